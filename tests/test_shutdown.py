"""SIGTERM in the middle of a load: the bot stops fetching, finishes what it took, leaves the
outbox for the next start and closes the database; the restarted bot neither replays nor
drops an update, so no reader loses a reply and no answer is lost."""

from __future__ import annotations

import signal
import sqlite3
import threading
from pathlib import Path
from typing import Any

from fake_telegram import FakeBotAPI
from helpers import buttons, essaybot_run

READERS = 24
WAIT = 60.0  # long enough to span the restart


def reader_session(fake: FakeBotAPI, user: dict[str, Any], done: list[int]) -> None:
    """One reader: welcome, a question, then the whole answering flow, each step after the
    bot's reply to the one before."""
    chat = user["id"]
    fake.send_text(user, "/start")
    welcome = fake.wait_for_reply(chat, timeout=WAIT)
    fake.send_text(user, "chi è il CDO?")
    answered = fake.wait_for_reply(chat, after=welcome["message_id"], timeout=WAIT)
    fake.send_text(user, "/answer")
    question = fake.wait_for_reply(chat, after=answered["message_id"], timeout=WAIT)
    pressed = fake.press_button(user, question["message_id"], "stance:integrate")
    fake.wait_until(lambda: pressed in fake.callback_answers, timeout=WAIT)
    asked = fake.wait_for_reply(chat, after=question["message_id"], timeout=WAIT)
    fake.send_text(user, f"Integrati, dice il lettore {chat}.")
    display = fake.wait_for_reply(chat, after=asked["message_id"], timeout=WAIT)
    assert "show:name" in [d for _, d in buttons(display)], display["text"]
    shown = fake.press_button(user, display["message_id"], "show:name")
    fake.wait_until(lambda: shown in fake.callback_answers, timeout=WAIT)
    fake.wait_until(lambda: any(t.startswith("Grazie") for t in fake.texts(chat)), timeout=WAIT)
    done.append(chat)


def test_sigterm_mid_load_loses_no_reply_and_no_answer_and_replays_nothing(
    fake: FakeBotAPI, tmp_path: Path
) -> None:
    users = [fake.user(5000 + n, f"Lettore{n}", "it") for n in range(READERS)]
    done: list[int] = []
    threads = [
        threading.Thread(target=reader_session, args=(fake, user, done), daemon=True)
        for user in users
    ]
    with essaybot_run(fake, tmp_path, ESSAYBOT_MAX_RATE="0") as first:
        for thread in threads:
            thread.start()
        fake.wait_until(lambda: len(fake.calls("sendMessage")) >= READERS * 2, timeout=WAIT)
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=30)
    assert first.returncode == 0
    assert len(done) < READERS, "the signal came too late to test anything"
    log = (tmp_path / "bot.log").read_text()
    assert "Traceback" not in log
    with essaybot_run(fake, tmp_path, ESSAYBOT_MAX_RATE="0"):
        for thread in threads:
            thread.join(timeout=WAIT * 2)
        assert sorted(done) == sorted(u["id"] for u in users)
        fake.wait_until(lambda: not fake.pending_updates, timeout=WAIT)
    for user in users:
        texts = fake.texts(user["id"])
        assert sum(t.startswith("Grazie") for t in texts) == 1, texts
        assert len(texts) == len(set(texts)), "a reply was sent twice: an update was replayed"
    db = sqlite3.connect(tmp_path / "bot.sqlite3")
    assert db.execute("SELECT count(*) FROM answers").fetchone()[0] == READERS
    db.close()
