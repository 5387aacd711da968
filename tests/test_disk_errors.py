"""When the database refuses writes (a full disk, a read-only file): the reader gets their words
back, health fails while writes fail, and a checkpoint held up by a reader is tried again."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import Build
from helpers import text
from telegram.error import NetworkError

from bot.adapters.heartbeat import beat
from bot.adapters.telegram import on_error
from bot.core.events import Reader, Text

ANNA = Reader(1001, "Anna", "it")


def test_a_reader_whose_message_could_not_be_handled_gets_their_words_back(build: Build) -> None:
    services = build()
    words = "Separati, ma con un <b>ponte</b> & tanta pazienza."
    outcome = services.dialogue.failed(ANNA, Text(words))
    assert "qualcosa è andato storto" in text(outcome)
    assert words in text(outcome)  # shown as written...
    assert "&lt;b&gt;ponte&lt;/b&gt; &amp;" in outcome.replies[1].text  # ...escaped for Telegram


def test_health_fails_while_the_database_refuses_writes(build: Build, tmp_path: Path) -> None:
    services = build(on_disk=True)
    assert services.dialogue.alive()
    services.store.db.execute("PRAGMA query_only = ON")  # every write refused, as a full disk
    assert not services.dialogue.alive()
    heartbeat = tmp_path / "heartbeat"

    async def one_beat() -> None:
        task = asyncio.ensure_future(beat(heartbeat, every=60, alive=services.dialogue.alive))
        await asyncio.sleep(0.05)
        task.cancel()

    asyncio.run(one_beat())
    assert not heartbeat.exists()  # no beat: `essaybot health` fails
    services.store.db.execute("PRAGMA query_only = OFF")
    asyncio.run(one_beat())
    assert heartbeat.exists()


def test_a_checkpoint_held_up_by_another_reader_is_tried_again_until_done(build: Build) -> None:
    services = build(on_disk=True)
    db = services.store.db
    db.execute("CREATE TABLE IF NOT EXISTS t (x TEXT)")
    db.execute("INSERT INTO t VALUES ('secret words')")
    other = sqlite3.connect(db.path)
    other.execute("BEGIN")
    other.execute("SELECT count(*) FROM t").fetchone()  # an export reading meanwhile
    db.execute("DELETE FROM t")
    db.checkpoint()
    assert db.owed_checkpoint
    other.rollback()
    other.close()
    assert services.dialogue.alive() and not db.owed_checkpoint
    assert Path(f"{db.path}-wal").stat().st_size == 0


def test_a_failed_poll_is_one_log_line_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    context = SimpleNamespace(error=NetworkError("Bad Gateway (a 502 page, not JSON)"))
    with caplog.at_level(logging.ERROR):
        asyncio.run(on_error(None, context))  # type: ignore[arg-type]
    (record,) = caplog.records
    assert "Bad Gateway" in record.getMessage() and record.exc_info is None
