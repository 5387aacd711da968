"""On a busy day an admin's chat gets one message for many new cards: Telegram lets a bot send
about one message a second to a chat, so cards arriving faster than that are bundled (how many,
the newest few, a button opening each), the next ones wait a short pause, and a card for every
answer comes back when the pace drops. Nothing is lost: every card can still be opened."""

from __future__ import annotations

import asyncio

from conftest import Build
from fake_telegram import FakeBotAPI
from helpers import (
    AUTHOR,
    Clock,
    admin_chat,
    answer,
    buttons,
    datas,
    pairs,
    polling,
    posted,
    press,
    say,
    text,
)

from bot.bootstrap import Services
from bot.content.markup import to_plain
from bot.core.events import Command, Outcome, Press, Reader, Text
from bot.core.outbox import BUNDLE_AT, BUNDLE_PAUSE, MAX_ATTEMPTS
from bot.model.replies import QUESTION_CARDS


def reader(n: int) -> Reader:
    return Reader(7000 + n, f"Lettore{n}", "it")


def answers(services: Services, first: int, count: int) -> list[int]:
    """Readers ``first``… answer, one after the other; their answers' numbers."""
    numbers = []
    for n in range(first, first + count):
        answer(
            services, reader(n), "integrate", f"La risposta del lettore {n}, con le sue ragioni."
        )
        found = services.store.answers.of_reader(reader(n).user_id)
        assert found is not None
        numbers.append(found.id)
    return numbers


def for_author(services: Services) -> list[str]:
    """What the author's chat is sent now (as if delivered), each message as read."""
    return [to_plain(r.text) for r in posted(services) if r.chat_id == AUTHOR.user_id]


def test_cards_arriving_faster_than_the_chat_takes_them_come_as_one_message(
    build: Build,
) -> None:
    services = build(admins={42})
    numbers = answers(services, 1, 7)
    deliveries = services.dialogue.outbox.due(limit=1000)
    assert len(deliveries) == 1  # seven cards, one message
    bundle = deliveries[0].reply
    shown = to_plain(bundle.text)
    assert "Nuove risposte: 7 · repliche: 0" in shown
    for n in (7, 6, 5):  # the newest three, each with a button opening its card
        assert f"La risposta del lettore {n}" in shown
    assert "La risposta del lettore 4" not in shown
    buttons = [b.data for row in bundle.buttons for b in row]
    assert buttons[:3] == [f"card:{n}" for n in numbers[::-1][:3]]
    assert "list:n:all:0" in buttons
    services.dialogue.outbox.delivered(deliveries[0], 500)
    assert services.store.outbox.waiting() == 0  # every card it stood for is done with
    for number in numbers:  # and none of them is shown in the chat as a card
        assert services.store.outbox.card_message(number, AUTHOR.user_id) is None


def test_a_few_cards_still_come_one_by_one(build: Build) -> None:
    services = build(admins={42})
    answers(services, 1, BUNDLE_AT - 1)
    cards = posted(services)
    assert len(cards) == BUNDLE_AT - 1 and all(c.card for c in cards)


def test_after_a_bundle_new_cards_wait_a_pause_then_come_one_by_one(build: Build) -> None:
    clock = Clock()
    services = build(admins={42}, clock=clock)
    answers(services, 1, 5)
    assert len(for_author(services)) == 1
    answers(services, 10, 1)
    assert for_author(services) == []  # within the pause: it waits
    clock.advance(seconds=BUNDLE_PAUSE + 1)
    late = posted(services)
    assert len(late) == 1 and late[0].card is not None  # the pace dropped: a card again
    assert "Lettore10" in to_plain(late[0].text)


def test_after_a_bundle_many_new_cards_make_the_next_bundle(build: Build) -> None:
    clock = Clock()
    services = build(admins={42}, clock=clock)
    answers(services, 1, 4)
    for_author(services)
    answers(services, 10, 6)
    clock.advance(seconds=BUNDLE_PAUSE + 1)
    (second,) = for_author(services)
    assert "Nuove risposte: 6" in second


def test_a_card_opened_from_a_bundle_comes_with_its_buttons_even_during_the_pause(
    build: Build,
) -> None:
    services = build(admins={42})
    numbers = answers(services, 1, 4)
    for_author(services)
    say(services, AUTHOR, Press(f"card:{numbers[0]}"))
    (card,) = posted(services)
    assert card.card == numbers[0] and card.chat_id == AUTHOR.user_id
    assert f"mod:hide:{numbers[0]}:" in " ".join(b.data or "" for r in card.buttons for b in r)
    assert "La risposta del lettore 1" in to_plain(card.text)


def test_under_pre_moderation_the_bundle_leads_to_the_held_answers(build: Build) -> None:
    services = build(admins={42}, moderation="pre")
    answers(services, 1, 5)
    deliveries = services.dialogue.outbox.due(limit=1000)
    (bundle,) = [d.reply for d in deliveries]
    assert "In attesa di approvazione: 5." in to_plain(bundle.text)
    assert ("📋 In attesa (5)", "held") in [(b.label, b.data) for r in bundle.buttons for b in r]
    for delivery in deliveries:
        services.dialogue.outbox.delivered(delivery, 500)
    title = say(services, AUTHOR, Press("held"))
    assert "risposte: 5" in text(title)
    cards = posted(services)  # the cards /pending asked for are never bundled
    assert len(cards) == 5 and all(c.card for c in cards)


def test_a_card_already_shown_is_still_edited_in_place_not_bundled(build: Build) -> None:
    services = build(admins={42, 43})
    numbers = answers(services, 1, 2)
    for delivery in services.dialogue.outbox.due(limit=1000):
        services.dialogue.outbox.delivered(delivery, 100 + delivery.parcel.id)
    answers(services, 10, 4)  # four new cards wait for each admin...
    for n in numbers:  # ...and the author hides the two answers they already show
        card = services.dialogue.outbox.render_card(n, 42, False)
        hide = next(d for d in datas(Outcome((card,))) if d.startswith("mod:hide:"))
        say(services, AUTHOR, Press(hide))
    replies = posted(services) + posted(services)  # a bundle first, its chat's rest after
    edits = [r for r in replies if r.card in numbers]
    assert len(edits) == 2  # the copy in admin 43's chat, each edited where it is shown
    bundles = [r for r in replies if r.card is None]
    assert {r.chat_id for r in bundles} == {42, 43}


def test_a_forged_or_stale_card_button_gets_a_short_notice(build: Build) -> None:
    services = build(admins={42})
    for data in ("card:abc", "card:999999", "card:-5", "card"):
        outcome = say(services, AUTHOR, Press(data))
        assert outcome.replies == () and outcome.notice


def test_a_reader_cannot_press_an_admins_bundle_buttons(build: Build) -> None:
    services = build(admins={42})
    (number,) = answers(services, 1, 1)
    posted(services)  # the card went to the author
    for data in (f"card:{number}", "held"):
        outcome = say(services, reader(2), Press(data))
        assert "mod:" not in " ".join(datas(outcome))
        assert "In attesa" not in text(outcome) and outcome.notice
        assert services.store.outbox.waiting() == 0  # no card was sent to anyone


def test_cards_the_admin_asked_for_stay_unbundled_when_redrawn_on_their_way(
    build: Build,
) -> None:
    services = build(admins={42}, moderation="pre")
    numbers = answers(services, 1, 4)
    for delivery in services.dialogue.outbox.due(limit=1000):  # the bundle
        services.dialogue.outbox.delivered(delivery, 900)
    say(services, AUTHOR, Command("pending"))  # four cards asked for, still on their way...
    card = services.dialogue.outbox.render_card(numbers[1], 42, False)
    approve = next(d for d in datas(Outcome((card,))) if d.startswith("mod:approve:"))
    say(services, AUTHOR, Press(approve))  # ...and one is redrawn by a verdict meanwhile
    cards = [c for c in posted(services) if c.chat_id == AUTHOR.user_id]
    assert sorted(c.card or 0 for c in cards) == [n for n in numbers if n != numbers[1]]
    # the redrawn one waits the acting admin's two seconds, still one they asked for
    (body,) = services.store.db.execute("SELECT body FROM outbox WHERE chat_id = 42").fetchone()
    assert '"fresh": true' in body


def test_unanswered_questions_are_never_bundled(build: Build) -> None:
    services = build(admins={42})
    for n in range(5):
        say(services, reader(n), Text(f"qual è il colore preferito del gatto numero {n}?"))
    say(services, AUTHOR, Command("unanswered"))
    cards = posted(services)
    assert cards and all(c.card is not None and c.card >= QUESTION_CARDS for c in cards)


def test_each_bundled_card_counts_its_own_tries(build: Build) -> None:
    services = build(admins={42})
    answers(services, 1, 3)
    outbox = services.dialogue.outbox
    (first,) = outbox.due(limit=1000)
    services.store.db.execute(  # the oldest card has almost used up its tries
        "UPDATE outbox SET attempts = ? WHERE id = ?", (MAX_ATTEMPTS - 1, first.parcel.id)
    )
    (again,) = [d for d in outbox.due(limit=1000)]
    assert outbox.failed(again) is True  # the younger ones are tried again
    assert services.store.outbox.waiting() == 2


def test_a_bundle_telegram_asks_to_wait_for_keeps_every_card(build: Build) -> None:
    services = build(admins={42})
    answers(services, 1, 4)
    (delivery,) = services.dialogue.outbox.due(limit=1000)
    services.dialogue.outbox.failed(delivery, retry_after=30)
    assert services.store.outbox.waiting() == 4
    assert services.dialogue.outbox.due(limit=1000) == []  # they wait as Telegram said


def test_the_bundles_buttons_and_words_are_in_the_admins_language(build: Build) -> None:
    services = build(admins={42})
    say(services, Reader(42, "Author", "en"), Command("start"))
    posted(services)
    answers(services, 1, 3)
    (bundle,) = posted(services)
    assert "New answers: 3 · replies: 0" in to_plain(bundle.text)
    assert [label for label, _ in pairs(Outcome((bundle,)))][-1] == "⬅️ All answers"


# --- over the fake Bot API, at Telegram's flood limits ------------------------------------------


async def test_on_a_busy_minute_the_admins_chat_gets_a_bundle_and_is_never_behind(
    fake: FakeBotAPI, build: Build
) -> None:
    fake.set_flood_limits(per_chat_per_second=1.0, global_per_second=30.0)  # strictly
    services = build(admins={42}, fake=fake)
    services.dialogue.outbox.pause = 2.0  # a short pause after a bundle, for a short test
    admin = admin_chat(fake)
    async with polling(services):
        for n in range(12):  # ten answers a second, each posting its card
            answer(services, reader(n), "separate", f"La risposta numero {n}, tutta mia.")
            await asyncio.sleep(0.1)
        await fake.await_until(lambda: services.store.outbox.waiting() == 0, timeout=30)
        sent = fake.sent(42)
        assert 2 <= len(sent) <= 4  # twelve answers: a card, then bundles
        bundle = next(m for m in sent if "Nuove risposte" in m["text"])
        opened = next(d for _, d in buttons(bundle) if d.startswith("card:"))
        await press(fake, admin, bundle["message_id"], opened)
        card = await fake.await_until(
            lambda: next((m for m in fake.sent(42)[len(sent) :] if "mod:hide:" in str(m)), None),
            timeout=10,
        )
    assert "tutta mia" in card["text"]
    told = [t for t in fake.texts(42) if "Nuova risposta" in t or "Nuove risposte" in t]
    bundled = sum(int(t.split("Nuove risposte: ")[1].split(" ")[0]) for t in told if "Nuove" in t)
    assert bundled + sum("Nuova risposta" in t for t in told[: len(sent)]) == 12  # all told
    # the opened card may follow the bundle within the second: one 429, waited out
    floods = fake.clear_rejected()
    assert len(floods) <= 2 and all(r.error_code == 429 for r in floods)
