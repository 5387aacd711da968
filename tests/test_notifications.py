"""Notifications (issue 11): asked once after the first answer, /notify on and off, news sent
through the outbox as one digest per reader at most every ten minutes, in the reader's
language; who gets what (yes: all news; not asked: only news of their own writing; no, or
blocked the bot: none)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from conftest import Build
from helpers import AUTHOR, Clock, answer, datas, held, listed, posted, say, text
from telegram.error import Forbidden

from bot.adapters.courier import Courier
from bot.bootstrap import Services
from bot.content.markup import markup_problems, to_plain, visible_length
from bot.core.events import Command, Press, Reader, Reply, Text

ANNA, BEN, CLEO, DAN = (
    Reader(1001, "Anna", "it"),
    Reader(2002, "Ben", "it"),
    Reader(3003, "Cleo", "it"),
    Reader(4004, "Dan", "it"),
)
BOB = Reader(5005, "Bob", "en")


def reply(services: Services, reader: Reader, answer_id: int, body: str) -> None:
    """``reader`` replies ``body`` under answer ``answer_id`` (shown by name, if asked)."""
    say(services, reader, Press(f"reply:{answer_id}"))
    outcome = say(services, reader, Text(body))
    if "rshow:name" in datas(outcome):
        say(services, reader, Press("rshow:name"))


def news_for(services: Services, reader: Reader) -> list[Reply]:
    """The messages delivered now (as the courier would) to ``reader``'s chat."""
    return [r for r in posted(services) if r.chat_id == reader.user_id]


def only(replies: list[Reply]) -> str:
    """The one message of ``replies``, as the reader reads it."""
    assert len(replies) == 1, [to_plain(r.text) for r in replies]
    return to_plain(replies[0].text)


def answered(services: Services, reader: Reader, stance: str, choice: str | None) -> int:
    """``reader`` answers, then says yes ("on"), no ("off") or nothing (None) to
    notifications; the answer's id."""
    answer(services, reader, stance, f"La risposta di {reader.first_name}, ben ponderata.")
    if choice is not None:
        say(services, reader, Press(f"notify:{choice}"))
    return held(services, reader).id


# --- asking, and /notify -------------------------------------------------------------------------


def test_the_choice_is_asked_after_the_first_answer_and_never_again(services: Services) -> None:
    first = answer(services, ANNA, "separate", "Separati, almeno per ora.")
    assert "Vuoi che ti avvisi" in text(first)
    assert datas(first)[-2:] == ["notify:on", "notify:off"]
    say(services, ANNA, Press("replace"))
    say(services, ANNA, Press("stance:integrate"))
    replaced = say(services, ANNA, Text("Ci ho ripensato: integrati."))
    assert "notify:on" not in datas(replaced) and "Vuoi che ti avvisi" not in text(replaced)


def test_the_choice_is_not_asked_again_after_deleting_and_answering_anew(
    services: Services,
) -> None:
    assert "notify:on" in datas(answer(services, ANNA, "separate", "La prima risposta."))
    say(services, ANNA, Press("delete"))
    say(services, ANNA, Press("delete_yes"))
    again = answer(services, ANNA, "depends", "La seconda, dopo averla cancellata.")
    assert "notify:on" not in datas(again)


def test_answering_the_question_sets_the_choice_and_it_is_not_asked_any_more(
    services: Services,
) -> None:
    answer(services, ANNA, "separate", "Separati.")
    chosen = say(services, ANNA, Press("notify:off"))
    assert "niente avvisi" in text(chosen) and chosen.replies[0].edit
    assert services.store.notices.settings(ANNA.user_id) == (False, True)
    say(services, ANNA, Press("delete"))
    say(services, ANNA, Press("delete_yes"))
    assert "notify:on" not in datas(answer(services, ANNA, "integrate", "Integrati, ora."))


def test_notify_shows_the_choice_and_turns_notifications_on_and_off(services: Services) -> None:
    say(services, ANNA, Command("start"))
    off = say(services, ANNA, Command("notify"))
    assert "Non hai ancora scelto" in text(off) and datas(off) == ["notify:on", "notify:off"]
    assert "ti avviso" in text(say(services, ANNA, Press("notify:on")))
    on = say(services, ANNA, Command("notify"))
    assert "Gli avvisi sono attivi" in text(on) and datas(on) == ["notify:off"]
    assert "10 minuti" in text(on)
    say(services, ANNA, Command("notify", "off"))
    assert services.store.notices.settings(ANNA.user_id) == (False, True)
    say(services, ANNA, Command("notify", "on"))
    assert services.store.notices.settings(ANNA.user_id) == (True, True)
    assert say(services, ANNA, Press("notify:maybe")).notice != ""
    assert services.store.notices.settings(ANNA.user_id) == (True, True)


# --- the digest ----------------------------------------------------------------------------------


def test_a_reply_reaches_the_answers_writer_once_as_a_digest(services: Services) -> None:
    number = answered(services, ANNA, "separate", "on")
    reply(services, BEN, number, "Non sono d'accordo, ecco perché.")
    news = only(news_for(services, ANNA))
    assert "Novità per te" in news
    assert f"Ben ha replicato alla tua risposta n. {number}." in news
    assert "/notify" in news
    assert posted(services) == []  # once
    reply(services, ANNA, number, "Grazie Ben, ci penso.")  # her own reply tells her nothing
    assert services.store.notices.waiting(ANNA.user_id) == []


def test_the_digest_has_a_button_to_the_answer_replied_to(services: Services) -> None:
    number = answered(services, ANNA, "separate", "on")
    reply(services, BEN, number, "Una replica con un bottone.")
    (digest,) = news_for(services, ANNA)
    assert [b.data for row in digest.buttons for b in row] == [f"thread:{number}:0"]


def test_replies_within_ten_minutes_are_bundled_into_the_next_single_digest(
    build: Build,
) -> None:
    clock = Clock()
    services = build(clock=clock)
    number = answered(services, ANNA, "separate", "on")
    reply(services, BEN, number, "La prima replica.")
    assert "Ben ha replicato" in only(news_for(services, ANNA))
    clock.advance(minutes=1)
    reply(services, CLEO, number, "La seconda replica.")
    clock.advance(minutes=2)
    reply(services, DAN, number, "La terza replica.")
    assert news_for(services, ANNA) == []
    clock.advance(minutes=6, seconds=59)  # 9:59 after the first digest
    assert news_for(services, ANNA) == []
    assert services.store.outbox.waiting() == 1  # one parcel carries both
    clock.advance(seconds=1)
    bundle = only(news_for(services, ANNA))
    assert "Cleo ha replicato" in bundle and "Dan ha replicato" in bundle
    assert "Ben ha replicato" not in bundle
    assert bundle.count("Novità per te") == 1
    assert posted(services) == []


def test_the_first_news_after_a_quiet_spell_goes_at_once(build: Build) -> None:
    clock = Clock()
    services = build(clock=clock)
    number = answered(services, ANNA, "separate", "on")
    reply(services, BEN, number, "La prima replica.")
    news_for(services, ANNA)
    clock.advance(minutes=30)
    reply(services, CLEO, number, "Molto più tardi.")
    assert "Cleo ha replicato" in only(news_for(services, ANNA))


def test_a_reader_who_said_no_gets_nothing(moderated: Services) -> None:
    number = answered(moderated, ANNA, "separate", "off")
    approve = f"mod:approve:{number}:{held(moderated, ANNA).revision}"
    say(moderated, AUTHOR, Press(approve))
    reply(moderated, AUTHOR, number, "L'autore risponde.")
    assert news_for(moderated, ANNA) == []
    assert moderated.store.notices.waiting(ANNA.user_id) == []


def test_saying_no_drops_the_news_still_waiting(build: Build) -> None:
    clock = Clock()
    services = build(clock=clock)
    number = answered(services, ANNA, "separate", "on")
    reply(services, BEN, number, "La prima replica.")
    news_for(services, ANNA)
    clock.advance(minutes=1)
    reply(services, CLEO, number, "Arriva mentre il digest aspetta.")
    say(services, ANNA, Command("notify", "off"))
    clock.advance(minutes=11)
    assert news_for(services, ANNA) == []


def test_a_reader_never_asked_gets_news_of_their_own_writing_only(build: Build) -> None:
    clock = Clock()
    services = build(admins={42}, moderation="pre", clock=clock)
    number = answered(services, ANNA, "separate", None)
    assert services.store.notices.settings(ANNA.user_id) == (None, True)
    say(services, AUTHOR, Press(f"mod:approve:{number}:{held(services, ANNA).revision}"))
    assert "approvata ed è pubblica" in only(news_for(services, ANNA))
    clock.advance(minutes=11)
    reply(services, BEN, number, "Un altro lettore le risponde, ma lei non l'ha chiesto.")
    (reply_id,) = services.store.replies.numbers_of(BEN.user_id)
    revision = services.store.replies.get(reply_id).revision  # type: ignore[union-attr]
    say(services, AUTHOR, Press(f"rmod:approve:{reply_id}:{revision}:t"))
    assert services.store.replies.get(reply_id).status == "published"  # type: ignore[union-attr]
    assert news_for(services, ANNA) == []
    assert services.store.notices.waiting(ANNA.user_id) == []


def test_the_writer_of_a_held_reply_hears_its_fate_and_the_answers_writer_of_it(
    build: Build,
) -> None:
    clock = Clock()
    services = build(admins={42}, moderation="pre", clock=clock)
    number = answered(services, ANNA, "separate", "on")
    say(services, AUTHOR, Press(f"mod:approve:{number}:{held(services, ANNA).revision}"))
    news_for(services, ANNA)
    clock.advance(minutes=10)
    reply(services, BEN, number, "Una replica in attesa.")
    assert news_for(services, ANNA) == []  # not while it waits
    (reply_id,) = services.store.replies.numbers_of(BEN.user_id)
    held_reply = services.store.replies.get(reply_id)
    assert held_reply is not None and held_reply.status == "pending"
    say(services, AUTHOR, Press(f"rmod:approve:{reply_id}:{held_reply.revision}:t"))
    delivered = {r.chat_id: to_plain(r.text) for r in posted(services)}
    assert f"La tua replica n. {reply_id} (alla risposta n. {number})" in delivered[BEN.user_id]
    assert "Ben ha replicato" in delivered[ANNA.user_id]


@pytest.mark.parametrize(
    ("verb", "words"),
    [("approve", "è stata approvata ed è pubblica."), ("hide", "non è stata pubblicata.")],
)
def test_a_verdict_on_a_pending_answer_notifies_its_writer(
    moderated: Services, verb: str, words: str
) -> None:
    number = answered(moderated, ANNA, "integrate", "on")
    say(moderated, AUTHOR, Press(f"mod:{verb}:{number}:{held(moderated, ANNA).revision}"))
    assert f"La tua risposta n. {number} {words}" in only(news_for(moderated, ANNA))


@pytest.mark.parametrize(
    ("verb", "words"), [("approve", "was approved and is public."), ("hide", "was not published.")]
)
def test_an_english_writer_hears_the_verdict_in_english_with_the_number(
    moderated: Services, verb: str, words: str
) -> None:
    number = answered(moderated, BOB, "integrate", "on")
    say(moderated, AUTHOR, Press(f"mod:{verb}:{number}:{held(moderated, BOB).revision}"))
    assert f"Your answer #{number} {words}" in only(news_for(moderated, BOB))


def test_hiding_an_already_published_answer_sends_no_news(build: Build) -> None:
    services = build(admins={42})
    number = answered(services, ANNA, "integrate", "on")
    say(services, AUTHOR, Press(f"mod:hide:{number}:{held(services, ANNA).revision}"))
    assert held(services, ANNA).status == "hidden"
    assert news_for(services, ANNA) == []


def test_the_learning_loop_tells_askers_unless_they_said_no(build: Build) -> None:
    services = build(admins={42})
    question = "quale reparto prendeva le bastonate"
    for reader in (ANNA, BEN, BOB):
        say(services, reader, Text(question))
    say(services, ANNA, Command("notify", "off"))
    say(services, BOB, Command("notify", "on"))
    group = listed(services).replies[1]
    question_id = (group.buttons[0][0].data or "").split(":")[1]
    say(services, AUTHOR, Press(f"teach:{question_id}:separate-worlds"))
    heard = {r.chat_id: to_plain(r.text) for r in posted(services)}
    assert set(heard) == {BEN.user_id, BOB.user_id}
    assert "Novità per te" in heard[BEN.user_id] and "Vite separate" in heard[BEN.user_id]
    assert "News for you" in heard[BOB.user_id] and "A while ago you asked" in heard[BOB.user_id]


# --- blocked readers -----------------------------------------------------------------------------


class Blocked:
    """A stand-in Bot for a reader who blocked the bot: every send is refused with a 403."""

    def __init__(self) -> None:
        self.tried: list[int] = []

    async def do_api_request(self, endpoint: str, api_kwargs: dict[str, Any]) -> Any:
        self.tried.append(api_kwargs["chat_id"])
        raise Forbidden("Forbidden: bot was blocked by the user")


def test_a_reader_who_blocked_the_bot_is_skipped_until_they_write_again(
    build: Build,
) -> None:
    clock = Clock()
    services = build(clock=clock)
    number = answered(services, ANNA, "separate", "on")
    reply(services, BEN, number, "Una replica che non arriverà.")
    bot = Blocked()
    courier = Courier(services.dialogue.outbox, bot)  # type: ignore[arg-type]
    (delivery,) = services.dialogue.outbox.due()
    assert asyncio.run(courier.deliver(delivery))
    assert bot.tried == [ANNA.user_id]
    assert services.store.notices.settings(ANNA.user_id) == (True, False)
    assert services.store.outbox.waiting() == 0
    reply(services, CLEO, number, "Anche questa resta qui.")
    assert services.store.outbox.waiting() == 0 and news_for(services, ANNA) == []
    clock.advance(minutes=11)
    say(services, ANNA, Command("start"))  # she is back
    assert services.store.notices.settings(ANNA.user_id) == (True, True)
    reply(services, DAN, number, "E questa le arriva.")
    assert "Dan ha replicato" in only(news_for(services, ANNA))


# --- language and size ---------------------------------------------------------------------------


def test_each_digest_is_in_its_readers_language(services: Services) -> None:
    italian = answered(services, ANNA, "separate", "on")
    english = answered(services, BOB, "integrate", "on")
    reply(services, BOB, italian, "I beg to differ, respectfully.")
    reply(services, ANNA, english, "Rispondo in italiano, va bene lo stesso.")
    delivered = {r.chat_id: to_plain(r.text) for r in posted(services)}
    assert "Novità per te" in delivered[ANNA.user_id]
    assert f"Bob ha replicato alla tua risposta n. {italian}." in delivered[ANNA.user_id]
    assert "News for you" in delivered[BOB.user_id]
    assert f"Anna replied to your answer #{english}." in delivered[BOB.user_id]


def test_a_chosen_language_wins_and_an_anonymous_replier_is_named_in_it(build: Build) -> None:
    clock = Clock()
    services = build(clock=clock)
    number = answered(services, ANNA, "separate", "on")
    say(services, ANNA, Command("lang", "en"))
    shy = Reader(6006, "Timida", "it")
    say(services, shy, Press(f"reply:{number}"))
    say(services, shy, Text("Preferisco restare anonima."))
    say(services, shy, Press("rshow:anonymous"))
    news = only(news_for(services, ANNA))
    assert "News for you" in news and f"anonymous replied to your answer #{number}." in news
    assert "Timida" not in news


def test_the_authors_reply_is_marked_as_the_authors(build: Build) -> None:
    services = build(admins={42})
    number = answered(services, BOB, "depends", "on")
    reply(services, AUTHOR, number, "Grazie del commento, Bob.")
    assert f"The author replied to your answer #{number}." in only(news_for(services, BOB))


def test_many_news_make_valid_digests_under_telegrams_limit_and_none_is_lost(
    build: Build,
) -> None:
    clock = Clock()
    services = build(clock=clock)
    number = answered(services, ANNA, "separate", "on")
    repliers = 60
    for n in range(repliers):
        name = f"<b>Lettore & {n:02d}</b> " + "x" * 40  # a 64-character first name
        reply(services, Reader(10_000 + n, name[:64], "it"), number, f"Replica numero {n:02d}.")
    digests: list[Reply] = []
    for _ in range(repliers):
        digests += news_for(services, ANNA)
        if not services.store.notices.waiting(ANNA.user_id):
            break
        clock.advance(minutes=10)
    assert len(digests) > 1
    for digest in digests:
        assert markup_problems(digest.text) == []
        assert visible_length(digest.text) <= 4096 and len(digest.text) <= 4096
        assert "<b>Lettore" not in digest.text.replace("&lt;b&gt;Lettore", "")
    told = "".join(to_plain(d.text) for d in digests)
    assert [f"<b>Lettore & {n:02d}</b>" in told for n in range(repliers)] == [True] * repliers
    assert told.count("ha replicato alla tua risposta") == repliers
