"""Messages for other chats go through a durable outbox: written with the change they report,
delivered with retries, resumed after a restart, one card per answer edited in place."""

from __future__ import annotations

import asyncio
import sqlite3
import time

import pytest
from conftest import Build
from fake_telegram import FakeBotAPI
from helpers import (
    AUTHOR,
    Clock,
    admin_chat,
    answer,
    buttons,
    go_answer,
    go_forget,
    polling,
    press,
    say,
)

from bot.bootstrap import Services
from bot.core.events import Command, Press, Reader, Text
from bot.core.outbox import MAX_ATTEMPTS
from bot.storage.outbox import OutboxStore

ANNA = Reader(1001, "Anna", "it")


def test_an_answer_and_its_admin_cards_commit_together_or_not_at_all(build: Build) -> None:
    services = build(admins={42, 43})
    outbox = services.store.outbox
    put = outbox.put
    calls: list[int] = []

    def second_put_fails(chat_id: int, body: str, card: int | None, delay: float) -> int:
        calls.append(chat_id)
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return put(chat_id, body, card, delay)

    outbox.put = second_put_fails  # type: ignore[method-assign]
    say(services, ANNA, Command("answer"))
    say(services, ANNA, Press("stance:separate"))
    say(services, ANNA, Text("Una risposta che non deve restare a metà."))
    with pytest.raises(RuntimeError):
        say(services, ANNA, Press("show:name"))
    assert services.store.answers.of_reader(ANNA.user_id) is None
    assert outbox.waiting() == 0
    outbox.put = put  # type: ignore[method-assign]
    outcome = say(services, ANNA, Press("show:name"))
    assert outcome.posted == 2 and outbox.waiting() == 2


def test_a_newer_version_of_a_card_replaces_the_one_still_waiting(build: Build) -> None:
    services = build(admins={42})
    answer(services, ANNA, "separate", "Prima versione.")
    say(services, ANNA, Press("redisplay"))
    say(services, ANNA, Press("show:anonymous"))
    due = services.dialogue.outbox.due()
    assert len(due) == 1 and "modificata" in due[0].reply.text
    assert due[0].reply.card == services.store.answers.of_reader(ANNA.user_id).id  # type: ignore[union-attr]


def test_a_message_that_waits_holds_back_its_chat_but_no_other(build: Build) -> None:
    clock = Clock()
    services = build(clock=clock)
    store: OutboxStore = services.store.outbox
    for chat, body in ((42, "a"), (42, "b"), (7, "c")):
        store.put(chat, body)
    first = store.due(10)
    assert [p.body for p in first] == ["a", "b", "c"]
    store.postpone(first[0], 30)
    assert [p.body for p in store.due(10)] == ["c"]
    clock.advance(seconds=31)
    assert [p.body for p in store.due(10)] == ["a", "b", "c"]


def test_a_message_is_given_up_only_after_many_tries(build: Build) -> None:
    clock = Clock()
    services = build(admins={42}, clock=clock)
    answer(services, ANNA, "separate", "Per l'admin.")
    outbox = services.dialogue.outbox
    for _ in range(MAX_ATTEMPTS - 1):
        (delivery,) = outbox.due()
        assert outbox.failed(delivery)
        clock.advance(hours=1)
    (delivery,) = outbox.due()
    assert not outbox.failed(delivery)
    assert outbox.waiting() == 0


# --- over the fake Bot API ---------------------------------------------------------------------


def waiting(services: Services) -> int:
    """The parcels in the outbox, read on a connection of the test's own (the bot's is busy)."""
    with sqlite3.connect(services.config.database) as db:
        return int(db.execute("SELECT count(*) FROM outbox").fetchone()[0])


async def test_a_card_posted_while_the_bot_was_down_arrives_after_a_server_error(
    fake: FakeBotAPI, build: Build
) -> None:
    services = build(admins={42}, fake=fake)
    admin_chat(fake)
    answer(services, ANNA, "integrate", "Scritta mentre il bot era fermo.")  # left in the outbox
    fake.fail_next("sendMessage", "Internal Server Error", error_code=500)
    async with polling(services):
        await fake.await_until(
            lambda: any("Scritta mentre il bot era fermo." in t for t in fake.texts(42)),
            timeout=10,
        )
        await fake.await_until(lambda: waiting(services) == 0)
    fake.expect_rejection("sendMessage", error_code=500)
    assert len(fake.sent(42)) == 1


async def test_one_card_per_answer_is_edited_in_place_and_loses_the_text_after_forget(
    fake: FakeBotAPI, build: Build
) -> None:
    services = build(admins={42}, fake=fake)
    admin_chat(fake)
    anna = fake.user(1001, "Anna", "it")
    async with polling(services):
        await go_answer(fake, anna, "Il testo segreto di Anna.")
        card = await fake.await_reply(42)
        assert "Nuova risposta" in card["text"] and "Anna" in card["text"]
        fake.send_text(anna, "/answer")
        mine = await fake.await_reply(anna["id"])
        await press(fake, anna, mine["message_id"], "redisplay")
        await press(fake, anna, fake.last_sent(anna["id"])["message_id"], "show:anonymous")
        await fake.await_until(
            lambda: "modificata" in fake.message(42, card["message_id"])["text"]
        )
        await go_forget(fake, anna)
        await fake.await_until(
            lambda: "cancellare i suoi dati" in fake.message(42, card["message_id"])["text"]
        )
    assert len(fake.sent(42)) == 1  # the same message all along
    assert not any("segreto" in t for t in fake.texts(42))
    assert [d for _, d in buttons(fake.message(42, card["message_id"]))] == ["mod:ban:1:0"]


async def test_pending_sends_a_card_anew_and_no_copy_keeps_a_forgotten_readers_words(
    fake: FakeBotAPI, build: Build
) -> None:
    services = build(admins={42}, moderation="pre", fake=fake)
    author = admin_chat(fake)
    anna = fake.user(1001, "Anna", "it")
    async with polling(services):
        await go_answer(fake, anna, "Il testo segreto di Anna.")
        first = await fake.await_reply(42)
        fake.send_text(author, "/pending")
        await fake.await_until(lambda: len(fake.sent(42)) == 3)  # the title, the card anew
        await fake.await_until(
            lambda: "riproposta più in basso" in fake.message(42, first["message_id"])["text"]
        )
        again = fake.sent(42)[-1]
        assert "Il testo segreto di Anna." in again["text"] and buttons(again)
        assert buttons(fake.message(42, first["message_id"])) == []
        await go_forget(fake, anna)
        await fake.await_until(
            lambda: "cancellare i suoi dati" in fake.message(42, again["message_id"])["text"]
        )
    assert not any("segreto" in t for t in fake.texts(42))


async def test_an_unanswered_question_leaves_the_admins_chat_when_its_reader_forgets(
    fake: FakeBotAPI, build: Build
) -> None:
    services = build(admins={42}, fake=fake)
    author = admin_chat(fake)
    anna = fake.user(1001, "Anna", "it")
    async with polling(services):
        fake.send_text(anna, "quale reparto prendeva le bastonate segrete")
        await fake.await_reply(1001)
        fake.send_text(author, "/unanswered")
        await fake.await_until(lambda: len(fake.sent(42)) == 2)  # the title, then the group
        card = fake.sent(42)[-1]
        assert "bastonate segrete" in card["text"] and buttons(card)
        every_topic = next(d for _, d in buttons(card) if d.startswith("teach_menu:"))
        await press(fake, author, card["message_id"], every_topic)  # the menu, in its place
        shown = card["message_id"]
        await fake.await_until(lambda: "Vite separate" in str(buttons(fake.message(42, shown))))
        assert "segrete" in fake.message(42, card["message_id"])["text"]
        await go_forget(fake, anna)
        await fake.await_until(
            lambda: "non è più in attesa" in fake.message(42, card["message_id"])["text"]
        )
    assert not any("segrete" in t for t in fake.texts(42))


async def test_a_verdict_on_one_admins_card_shows_on_the_other_admins_card(
    fake: FakeBotAPI, build: Build
) -> None:
    services = build(admins={42, 43}, moderation="pre", fake=fake)
    first, second = admin_chat(fake, 42), admin_chat(fake, 43)
    anna = fake.user(1001, "Anna", "it")
    async with polling(services):
        await go_answer(fake, anna, "Da approvare, una volta sola.")
        mine = await fake.await_reply(42)
        theirs = await fake.await_reply(43)
        approve = next(d for _, d in buttons(mine) if d.startswith("mod:approve"))
        await press(fake, first, mine["message_id"], approve)
        await fake.await_until(
            lambda: "pubblicata" in fake.message(43, theirs["message_id"])["text"]
        )
        assert not any(d.startswith("mod:approve") for _, d in buttons(fake.message(43, 1)))
    assert second["id"] == 43 and len(fake.sent(43)) == 1


async def test_a_blocked_admin_does_not_keep_a_card_in_the_outbox(
    fake: FakeBotAPI, build: Build
) -> None:
    services = build(admins={42}, fake=fake)
    fake.block(admin_chat(fake))
    answer(services, ANNA, "separate", "Per un admin che ha bloccato il bot.")
    async with polling(services):
        await fake.await_until(lambda: waiting(services) == 0)
    fake.expect_rejection("sendMessage", error_code=403)


async def test_a_hanging_request_in_one_chat_does_not_delay_another_reader(
    fake: FakeBotAPI, build: Build
) -> None:
    services = build(admins={42}, fake=fake)
    anna, bob = fake.user(1001, "Anna", "it"), fake.user(2002, "Bob", "en")
    async with polling(services):
        fake.hang_next("sendMessage", 3.0)
        fake.send_text(anna, "/story")
        await fake.await_until(lambda: fake.hanging == 0)  # Anna's reply is on its way, hung
        started = time.monotonic()
        fake.send_text(bob, "/start")
        await fake.await_reply(bob["id"], timeout=5)
        assert time.monotonic() - started < 1.5  # not the 3 s Anna's request hangs
        assert "1/7" in (await fake.await_reply(anna["id"], timeout=10))["text"]
        await asyncio.sleep(0)


def test_the_console_shows_its_own_messages_and_leaves_the_admins_in_the_outbox(
    build: Build,
) -> None:
    import io

    from bot.adapters.console import Console

    services = build(admins={42, AUTHOR.user_id})
    lines = "/answer\n1\nLa mia risposta dalla console.\n1\n"
    out = io.StringIO()
    Console(services.dialogue, ANNA, io.StringIO(lines), out, prompt=False).run()
    assert "(Messaggi per altre chat in coda, come le schede per gli admin: 1." in out.getvalue()
    assert services.store.outbox.waiting() == 1


def test_what_a_crash_left_in_flight_is_not_sent_twice_and_cards_are_drawn_again(
    build: Build,
) -> None:
    services = build(admins={42})
    store = services.store.outbox
    plain = store.put(1001, '{"text": "una notizia", "buttons": []}')
    card = store.put(42, '{"edited": false}', card=1)
    for parcel in store.due(10):
        store.sending(parcel)  # then kill -9, before Telegram answered
    assert services.dialogue.outbox.reconcile() == 1
    left = store.due(10)
    assert [p.id for p in left] == [card] and plain not in [p.id for p in left]
    assert services.dialogue.outbox.reconcile() == 0
