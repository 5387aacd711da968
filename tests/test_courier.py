"""The courier and the outbox under failure: one chat's trouble stays in that chat, nothing goes
twice, a card shows the answer as it is when it goes, an admin's /forget keeps other readers'
cards, and a 429 is never counted as a failure. (The courier's Bot here is a stand-in that
fails on cue; the happy paths run over the fake Bot API in test_outbox.py.)"""

from __future__ import annotations

import asyncio
from typing import Any

from conftest import Build
from helpers import AUTHOR, Clock, answer, say
from telegram.error import RetryAfter

from bot.adapters.courier import Courier
from bot.core.events import Command, Press, Reader
from bot.core.outbox import MAX_ATTEMPTS

ANNA, OTHER_ADMIN = Reader(1001, "Anna", "it"), Reader(43, "Bea", "en")


class Telegram:
    """A stand-in Bot: ``trouble`` maps a chat to what its sends do (an exception to raise,
    or seconds to hang)."""

    def __init__(self, trouble: dict[int, Any]) -> None:
        self.trouble = trouble
        self.sent: list[int] = []

    async def do_api_request(self, endpoint: str, api_kwargs: dict[str, Any]) -> Any:
        """sendMessage (Telegram's raw answer) and editMessageText, as the courier calls them."""
        if endpoint == "editmessagetext":
            return True
        chat_id = api_kwargs["chat_id"]
        problem = self.trouble.get(chat_id)
        if isinstance(problem, BaseException):
            raise problem
        if problem:
            await asyncio.sleep(problem)
        self.sent.append(chat_id)
        return {"message_id": len(self.sent), "chat": {"id": chat_id}}


async def deliver_all(courier: Courier, until: Any, timeout: float = 5.0) -> None:
    runner = asyncio.ensure_future(courier.run())
    deadline = asyncio.get_running_loop().time() + timeout
    while not until() and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.01)
    await courier.stop()
    await asyncio.wait_for(runner, 5)


async def test_an_unexpected_error_in_one_chat_neither_repeats_nor_stops_another(
    build: Build,
) -> None:
    services = build(admins={42, 43})
    answer(services, ANNA, "separate", "Per due admin.")
    telegram = Telegram({42: RuntimeError("a bug somewhere")})
    courier = Courier(services.dialogue.outbox, telegram)  # type: ignore[arg-type]
    await deliver_all(courier, lambda: telegram.sent == [43], timeout=1.5)
    assert telegram.sent == [43]  # once, however many rounds ran
    waiting = services.store.db.execute("SELECT chat_id, attempts FROM outbox").fetchall()
    assert [tuple(row) for row in waiting] == [(42, 1)]  # Anna's card for 42, tried once


async def test_a_chat_whose_send_hangs_does_not_hold_up_another(build: Build) -> None:
    services = build(admins={42, 43})
    answer(services, ANNA, "separate", "Per due admin.")
    telegram = Telegram({42: 3.0})
    courier = Courier(services.dialogue.outbox, telegram)  # type: ignore[arg-type]
    await deliver_all(courier, lambda: telegram.sent == [43, 42], timeout=5)
    assert telegram.sent == [43, 42]  # 43 went while 42 still hung


def test_a_card_waiting_in_the_outbox_goes_out_as_the_answer_is_then(build: Build) -> None:
    clock = Clock()
    services = build(admins={42, 43}, clock=clock)
    answer(services, ANNA, "separate", "Da giudicare.")
    hide = services.store.answers.of_reader(ANNA.user_id)
    assert hide is not None
    say(services, OTHER_ADMIN, Press(f"mod:hide:{hide.id}:{hide.revision}"))
    (card,) = services.dialogue.outbox.due(chat_id=42)
    assert "nascosta" in card.reply.text  # not the "pubblicata" it was when posted
    clock.advance(seconds=3)  # the acting admin's own copy waits for the edit in place
    (theirs,) = services.dialogue.outbox.due(chat_id=43)
    assert "hidden" in theirs.reply.text  # each admin in their own language


def test_an_admin_who_uses_forget_keeps_the_cards_of_other_readers(build: Build) -> None:
    services = build(admins={42})
    answer(services, ANNA, "separate", "La scheda deve restare.")
    say(services, AUTHOR, Command("forget"))
    say(services, AUTHOR, Press("forget_yes"))
    (card,) = services.dialogue.outbox.due(chat_id=42)
    assert "La scheda deve restare." in card.reply.text


def test_a_429_is_never_counted_as_a_failed_try(build: Build) -> None:
    services = build(admins={42})
    answer(services, ANNA, "separate", "Sotto flood.")
    outbox = services.dialogue.outbox
    for _ in range(MAX_ATTEMPTS + 3):
        (delivery,) = outbox.due(skip=())
        assert outbox.failed(delivery, retry_after=0.0)
        services.store.db.execute("UPDATE outbox SET due_at = ''")  # due again at once
    (delivery,) = outbox.due()
    assert delivery.parcel.attempts == 0


def test_a_flood_error_from_telegram_keeps_the_parcel(build: Build) -> None:
    services = build(admins={42})
    answer(services, ANNA, "separate", "Sotto flood.")
    telegram = Telegram({42: RetryAfter(30)})
    courier = Courier(services.dialogue.outbox, telegram)  # type: ignore[arg-type]
    asyncio.run(deliver_all(courier, lambda: False, timeout=0.3))
    assert telegram.sent == [] and services.store.outbox.waiting() == 1
