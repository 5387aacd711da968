"""The one place for test helpers: driving the core, reading its outcomes, and running the real
Telegram layer against the fake Bot API."""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fake_telegram import FakeBotAPI
from telegram import Update

from bot.adapters.telegram import build_application, on_shutdown, on_startup, on_stop
from bot.bootstrap import Services
from bot.content.markup import to_plain
from bot.core.events import Command, Event, Outcome, Press, Reader, Reply, Text
from bot.model.answers import Answer

AUTHOR = Reader(42, "Autore", "it")

# --- the core -----------------------------------------------------------------------------------


def say(services: Services, reader: Reader, event: Event) -> Outcome:
    """What the bot answers to ``event`` from ``reader``."""
    return services.dialogue.handle(reader, event)


def posted(services: Services) -> list[Reply]:
    """The messages for other chats waiting in the outbox, taken out as if delivered."""
    deliveries = services.dialogue.outbox.due(limit=1000)
    for delivery in deliveries:
        services.dialogue.outbox.delivered(delivery, None)
    return [delivery.reply for delivery in deliveries]


def listed(services: Services, command: str = "unanswered") -> Outcome:
    """The author's /unanswered (or /pending): its title, then the cards it sends anew through
    the outbox to the author's chat, taken out as if delivered."""
    outcome = say(services, AUTHOR, Command(command))
    deliveries = services.dialogue.outbox.due(limit=1000, chat_id=AUTHOR.user_id)
    for delivery in deliveries:
        services.dialogue.outbox.delivered(delivery, None)
    return Outcome((*outcome.replies, *(d.reply for d in deliveries)), outcome.notice)


def datas(outcome: Outcome) -> list[str]:
    """The callback data of every button of the outcome that has some (not a link's, nor a
    share button's)."""
    return [b.data for r in outcome.replies for row in r.buttons for b in row if b.data]


def labels(outcome: Outcome) -> list[str]:
    return [b.label for r in outcome.replies for row in r.buttons for b in row]


def pairs(outcome: Outcome) -> list[tuple[str, str]]:
    """Every button of the outcome as (label, callback data)."""
    return [(b.label, b.data or "") for r in outcome.replies for row in r.buttons for b in row]


def text(outcome: Outcome) -> str:
    """The outcome's messages as the reader reads them."""
    return "\n".join(to_plain(r.text) for r in outcome.replies)


def answer(
    services: Services, reader: Reader, stance: str, comment: str | None, show: str = "name"
) -> Outcome:
    """Go through the whole answering flow."""
    say(services, reader, Command("answer"))
    say(services, reader, Press(f"stance:{stance}"))
    outcome = say(services, reader, Press("skip") if comment is None else Text(comment))
    if datas(outcome)[:1] == ["show:name"]:
        outcome = say(services, reader, Press(f"show:{show}"))
    return outcome


def reply(services: Services, reader: Reader, answer_id: int, body: str) -> Outcome:
    """Reply to an answer through the whole flow (shown by name, if asked)."""
    say(services, reader, Press(f"reply:{answer_id}"))
    outcome = say(services, reader, Text(body))
    if datas(outcome)[:1] == ["rshow:name"]:
        outcome = say(services, reader, Press("rshow:name"))
    return outcome


def held(services: Services, reader: Reader) -> Answer:
    """The reader's stored answer (the test fails if there is none)."""
    saved = services.store.answers.of_reader(reader.user_id)
    assert saved is not None
    return saved


def revision_of(services: Services, answer_id: int) -> str:
    found = services.store.answers.get(answer_id)
    assert found is not None
    return found.revision


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


#: Where the processes the tests start keep the model: trained by the first, loaded by the rest,
#: and never the developer's own cache.
MODEL_CACHE = Path(tempfile.mkdtemp(prefix="essaybot-model-"))
atexit.register(shutil.rmtree, MODEL_CACHE, ignore_errors=True)


def essaybot(
    *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m bot ARGS`` as a process, with none of the developer's settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ESSAYBOT_"))}
    clean["ESSAYBOT_MODEL_CACHE"] = str(MODEL_CACHE)  # one model for the session's processes
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**clean, **(env or {})},
        cwd=cwd,
        timeout=60,
    )


@contextmanager
def bot_process(
    command: list[str], fake: FakeBotAPI, folder: Path, settings: dict[str, str], *, token: str
) -> Iterator[subprocess.Popen[str]]:
    """``command`` (a bot) as a process polling the fake with ``token``, none of the
    developer's TELEGRAM_ and ESSAYBOT_ settings but ``settings``, logging into
    ``folder/bot.log``; interrupted at the end (killed if it has not stopped 20 s later, and
    then ``subprocess.TimeoutExpired`` raised)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ESSAYBOT_"))}
    env |= {"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": fake.base_url}
    env |= {"ESSAYBOT_MODEL_CACHE": str(MODEL_CACHE), **settings}
    with (folder / "bot.log").open("a") as log:
        process = subprocess.Popen(
            command, env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT, text=True
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                    raise


@contextmanager
def essaybot_run(
    fake: FakeBotAPI, folder: Path, **settings: str
) -> Iterator[subprocess.Popen[str]]:
    """``essaybot run`` as a process pointed at the fake, logging at DEBUG into
    ``folder/bot.log``; ``settings`` add environment variables (``ESSAYBOT_ADMIN_IDS="42"``)."""
    from conftest import TOKEN

    env = {
        "ESSAYBOT_DATABASE": str(folder / "bot.sqlite3"),
        "ESSAYBOT_LOG_LEVEL": "DEBUG",
        **settings,
    }
    with bot_process([sys.executable, "-m", "bot", "run"], fake, folder, env, token=TOKEN) as run:
        yield run


# --- Telegram, over the fake Bot API -------------------------------------------------------------


#: The applications polling in this process (see :func:`settled`).
RUNNING: list[Any] = []


async def settled(timeout: float = 5.0) -> None:
    """Until every application polling in this process has finished the updates it took."""
    deadline = asyncio.get_running_loop().time() + timeout
    while any(app.update_processor.current_concurrent_updates for app in RUNNING):
        assert asyncio.get_running_loop().time() < deadline, "the bot is still handling updates"
        await asyncio.sleep(0.005)


@asynccontextmanager
async def polling(services: Services) -> AsyncIterator[None]:
    """The bot long-polling the configured API (as ``essaybot run`` does) until the block ends."""
    application = build_application(services.config, services.dialogue)
    RUNNING.append(application)
    async with application:
        await on_startup(application)
        assert application.updater is not None
        await application.updater.start_polling(
            poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES
        )
        await application.start()
        try:
            yield
        finally:
            RUNNING.remove(application)
            await application.updater.stop()
            await application.stop()
            await on_stop(application)
            await on_shutdown(application)


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    """A message's inline buttons as (label, callback data or url)."""
    markup = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data") or b.get("url", "")) for row in markup for b in row]


async def press(
    fake: FakeBotAPI, user: dict[str, Any], message_id: int, data: str
) -> dict[str, Any]:
    """Press a button and wait until the bot has acknowledged the press (which it does first)
    and finished handling it."""
    query_id = fake.press_button(user, message_id, data)
    await fake.await_until(lambda: query_id in fake.callback_answers, description="an answer")
    await settled()
    return fake.callback_answers[query_id]


def admin_chat(fake: FakeBotAPI, user_id: int = 42) -> dict[str, Any]:
    """An admin who has opened their chat with the bot (so cards can reach it)."""
    admin = fake.user(user_id, "Autore" if user_id == 42 else f"Mod{user_id}", "it")
    fake.open_private_chat(admin)
    return admin


async def go_answer(
    fake: FakeBotAPI, user: dict[str, Any], comment: str, stance: str = "separate"
) -> dict[str, Any]:
    """Answer through Telegram: /answer, a stance, the comment, shown by name if asked; the
    confirmation (the message with "read other answers", before any notification question)."""
    fake.send_text(user, "/answer")
    question = await fake.await_reply(user["id"])
    await press(fake, user, question["message_id"], f"stance:{stance}")
    fake.send_text(user, comment)
    reply = await fake.await_reply(user["id"])
    if "show:name" in (d for _, d in buttons(reply)):
        await press(fake, user, reply["message_id"], "show:name")
    await settled()
    sent = fake.sent(user["id"])
    return next((m for m in reversed(sent) if "answers:0" in (d for _, d in buttons(m))), sent[-1])


async def go_forget(fake: FakeBotAPI, user: dict[str, Any]) -> None:
    """/forget through Telegram, confirmed."""
    fake.send_text(user, "/forget")
    confirm = await fake.await_reply(user["id"])
    await press(fake, user, confirm["message_id"], "forget_yes")
