"""Updates kept from their arrival until handled: nothing Telegram was told arrived is lost,
and nothing delivered twice is handled twice."""

from __future__ import annotations

import asyncio

from conftest import Build
from telegram import Update

from bot.adapters.journaled import JournaledQueue
from bot.core.events import Reader, Text

ANNA = Reader(1001, "Anna", "it")


def update(update_id: int, text: str = "ciao") -> Update:
    chat = {"id": 1001, "type": "private", "first_name": "Anna"}
    sender = {"id": 1001, "is_bot": False, "first_name": "Anna"}
    message = {"message_id": update_id, "date": 0, "chat": chat, "from": sender, "text": text}
    return Update.de_json({"update_id": update_id, "message": message}, None)


def test_an_event_handled_once_changes_nothing_the_second_time(build: Build) -> None:
    services = build()
    first = services.dialogue.handle(ANNA, Text("cos'è il CDO?"), key=7)
    again = services.dialogue.handle(ANNA, Text("cos'è il CDO?"), key=7)
    assert first.replies and not again.replies
    asked = services.store.db.execute("SELECT COUNT(*) FROM questions").fetchone()
    assert tuple(asked) == (1,)
    assert services.dialogue.handle(ANNA, Text("cos'è il CDO?"), key=8).replies


def test_an_update_is_kept_until_handled_and_queued_once(build: Build) -> None:
    services = build()
    journal = services.store.journal

    async def scenario() -> None:
        queue = JournaledQueue(journal)
        await queue.put(update(10))
        await queue.put(update(10))  # delivered again before the bot confirmed it
        assert queue.qsize() == 1
        assert [i for i, _ in journal.pending()] == [10]
        queue.done(await queue.get())
        assert journal.pending() == []

    asyncio.run(scenario())


def test_updates_left_by_a_crash_are_queued_again_at_start_and_a_handled_one_is_dropped(
    build: Build,
) -> None:
    services = build()
    journal = services.store.journal

    async def scenario() -> None:
        before = JournaledQueue(journal)
        for n in (20, 21):
            before.put_nowait(update(n, f"domanda {n}"))
        services.dialogue.handle(ANNA, Text("domanda 20"), key=20)  # handled, then the crash
        after = JournaledQueue(journal)  # the next start
        assert after.replay(None) == 1  # type: ignore[arg-type]
        replayed = await after.get()
        assert isinstance(replayed, Update) and replayed.update_id == 21
        assert replayed.message is not None and replayed.message.text == "domanda 21"
        after.put_nowait(update(20))  # Telegram delivers the handled one again: dropped
        assert after.qsize() == 0

    asyncio.run(scenario())
