"""The discussion's edges found in review: a waiting digest never holds up an admin's cards,
starting a reply never drops a text not yet saved, news of a reply that is gone is not sent,
"before reading" cannot be given after reading, /pending counts every held reply, a banned
reader's votes stop counting, and a notice that cannot be drawn does not stop the rest."""

from __future__ import annotations

from conftest import Build
from helpers import AUTHOR, Clock, answer, datas, held, posted, say, text
from test_privacy_discussion import forget, mydata

from bot.bootstrap import Services
from bot.content.markup import to_plain
from bot.core.events import Command, Press, Reader, Text

ANNA, BEN, CLEO = Reader(1001, "Anna", "it"), Reader(2002, "Ben", "it"), Reader(3003, "Cleo", "it")


def reply(services: Services, reader: Reader, answer_id: int, body: str) -> None:
    say(services, reader, Press(f"reply:{answer_id}"))
    if "rshow:name" in datas(say(services, reader, Text(body))):
        say(services, reader, Press("rshow:name"))


def test_a_digest_waiting_its_ten_minutes_does_not_hold_up_the_admins_cards(
    build: Build,
) -> None:
    clock = Clock()
    services = build(admins={42}, clock=clock)
    answer(services, AUTHOR, "depends", "La mia risposta, da autore e da lettore.")
    mine = held(services, AUTHOR).id
    say(services, AUTHOR, Press("notify:on"))
    reply(services, BEN, mine, "Prima replica, per l'autore.")
    clock.advance(seconds=5)  # the acting admin's own card goes a moment later
    assert any("Novità per te" in r.text for r in posted(services))  # the first news: at once
    clock.advance(minutes=1)
    reply(services, BEN, mine, "Seconda replica, qualche minuto dopo.")  # its news waits
    answer(services, CLEO, "separate", "Una risposta nuova da moderare.")
    clock.advance(seconds=5)
    cards = [r for r in posted(services) if r.chat_id == 42]
    assert any("Una risposta nuova da moderare." in r.text for r in cards)
    assert not any("Novità per te" in r.text for r in cards)


def test_starting_a_reply_gives_back_a_comment_not_yet_saved(services: Services) -> None:
    answer(services, ANNA, "separate", "La risposta di Anna, da discutere.")
    say(services, BEN, Command("answer"))
    say(services, BEN, Press("stance:integrate"))
    asked = say(services, BEN, Text("Il commento di Ben, ancora da salvare."))
    assert "show:name" in datas(asked)
    started = say(services, BEN, Press("reply:1"))
    assert "Il commento di Ben, ancora da salvare." in text(started)
    assert "Scrivi qui sotto la tua replica" in text(started)


def test_news_of_a_reply_deleted_or_forgotten_is_never_sent(build: Build) -> None:
    clock = Clock()
    services = build(clock=clock)
    answer(services, ANNA, "separate", "La risposta di Anna, da discutere.")
    say(services, ANNA, Press("notify:on"))
    reply(services, BEN, 1, "Ben risponde subito ad Anna.")
    posted(services)
    reply(services, CLEO, 1, "Cleo risponde un minuto dopo.")
    reply(services, BEN, 1, "E Ben aggiunge qualcosa.")
    assert "Cleo" in str(mydata(services, ANNA)["notices_waiting"])
    forget(services, CLEO)
    assert "Cleo" not in str(mydata(services, ANNA)["notices_waiting"])
    ben_second = max(services.store.replies.numbers_of(BEN.user_id))
    say(services, BEN, Press(f"rdel:{ben_second}"))
    say(services, BEN, Press(f"rdel_yes:{ben_second}"))
    clock.advance(minutes=11)
    assert [r for r in posted(services) if r.chat_id == ANNA.user_id] == []
    assert services.store.notices.waiting(ANNA.user_id) == []


def test_the_stance_before_reading_cannot_be_given_after_reading_on(services: Services) -> None:
    say(services, ANNA, Command("story"))
    say(services, ANNA, Command("story", "3"))
    late = say(services, ANNA, Press("before:separate:p1"))
    assert "prima di leggere" in late.notice and late.replies == ()
    assert services.store.readers.before(ANNA.user_id) == "skip"
    say(services, BEN, Command("story"))  # asked, then answers without turning a page
    answer(services, BEN, "integrate", "Integrati, dopo la prima parte.")
    assert "prima di leggere" in say(services, BEN, Press("before:separate:p1")).notice
    tally = text(say(services, CLEO, Press("tally:all:new")))
    assert "«Tenerli separati» a «Integrarli»" not in tally


def test_pending_counts_every_held_reply_not_just_those_shown(build: Build) -> None:
    services = build(admins={42}, moderation="pre")
    answer(services, ANNA, "separate", "La risposta di Anna, da discutere.")
    say(services, AUTHOR, Press(f"mod:approve:1:{held(services, ANNA).revision}"))
    for n in range(12):
        writer = Reader(5000 + n, f"R{n}", "it")
        reply(services, writer, 1, f"Replica numero {n:02d}, in attesa.")
    title = say(services, AUTHOR, Command("pending")).replies[0]
    assert "repliche: 12" in to_plain(title.text)


def test_a_banned_readers_votes_stop_counting(build: Build) -> None:
    services = build(admins={42})
    answer(services, ANNA, "separate", "La risposta di Anna, da discutere.")
    say(services, BEN, Press("vote:1:up:t.0"))
    assert services.store.votes.standings()[1].agree == 1
    services.store.answers.ban(BEN.user_id, by=42)
    assert services.store.votes.standings() == {}


def test_a_notice_that_cannot_be_drawn_is_dropped_and_the_rest_still_go(build: Build) -> None:
    services = build()
    answer(services, ANNA, "separate", "La risposta di Anna, da discutere.")
    say(services, ANNA, Press("notify:on"))
    services.store.notices.add(ANNA.user_id, "news_no_longer_in_the_catalogue", answer=1)
    reply(services, BEN, 1, "Ben risponde ad Anna.")
    delivered = [r for r in posted(services) if r.chat_id == ANNA.user_id]
    assert len(delivered) == 1 and "Ben ha replicato" in to_plain(delivered[0].text)
    assert services.store.notices.waiting(ANNA.user_id) == []
