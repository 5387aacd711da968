"""Replies follow the answer they reply to: a rewritten answer says so to everyone and tells
who replied; deleting or forgetting an answer says first what becomes of its replies and gives
each writer their text back; how a reader is shown covers their replies too."""

from __future__ import annotations

from conftest import Build
from helpers import answer, datas, posted, reply, say, text

from bot.bootstrap import Services
from bot.content.markup import to_plain
from bot.core.events import Command, Press, Reader

BEN = Reader(2002, "Ben", "it")
CARLA = Reader(3003, "Carla", "en")
ANSWER = "Separati: ognuno fa il suo mestiere."
BENS = "Ma il cliente non vede i reparti."
CARLAS = "Customers never see the org chart."


def page(services: Services, reader: Reader, answer_id: int = 1) -> str:
    return text(say(services, reader, Press(f"thread:{answer_id}:0")))


def shown(services: Services) -> list[object]:
    """Deliver what waits in the outbox as messages 500, 501, …: cards are then shown."""
    deliveries = services.dialogue.outbox.due(limit=1000)
    for n, delivery in enumerate(deliveries):
        services.dialogue.outbox.delivered(delivery, 500 + n)
    return [delivery.reply for delivery in deliveries]


def to(chat: int, sent: list[object]) -> list[str]:
    return [to_plain(r.text) for r in sent if getattr(r, "chat_id", None) == chat]  # type: ignore[attr-defined]


def test_an_answer_shows_no_edited_mark_until_its_writer_changes_its_words(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", ANSWER)
    assert "modificata" not in page(services, BEN)
    say(services, anna, Press("redisplay"))
    say(services, anna, Press("show:anonymous"))  # how it is shown is not its words
    assert "modificata" not in page(services, BEN)
    answer(services, anna, "separate", ANSWER + " Anzi, lo penso ancora di più.")
    assert "✏️ modificata" in page(services, BEN)
    assert "✏️ edited" in page(services, CARLA)


def test_a_rewritten_answer_tells_each_reader_who_replied_under_it_once(
    build: Build, anna: Reader
) -> None:
    services = build(admins={42})
    answer(services, anna, "separate", ANSWER)
    reply(services, BEN, 1, BENS)
    reply(services, BEN, 1, BENS + " E nemmeno i ticket.")
    reply(services, CARLA, 1, CARLAS)
    reply(services, anna, 1, "Rispondo a tutti: ci ripenso.")
    posted(services)
    answer(services, anna, "integrate", "Ci ho ripensato: integrati.")
    sent = posted(services)
    (bens,) = to(BEN.user_id, sent)
    assert "La risposta n. 1, a cui hai replicato, è stata modificata da chi l'ha scritta." in bens
    (carlas,) = to(CARLA.user_id, sent)
    assert "Answer #1, which you replied to, was changed by its writer." in carlas
    assert to(anna.user_id, sent) == []  # never news of one's own words
    assert "Ma il cliente non vede i reparti." in page(services, CARLA)  # the replies stay


def test_the_same_answer_saved_again_tells_nobody(services: Services, anna: Reader) -> None:
    answer(services, anna, "separate", ANSWER)
    reply(services, BEN, 1, BENS)
    posted(services)
    answer(services, anna, "separate", ANSWER)  # refused as the same text: nothing changed
    assert to(BEN.user_id, posted(services)) == []


def test_deleting_an_answer_with_replies_says_first_what_becomes_of_them(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", ANSWER)
    reply(services, BEN, 1, BENS)
    reply(services, CARLA, 1, CARLAS)
    reply(services, anna, 1, "Una mia aggiunta.")
    asked = text(say(services, anna, Press("delete")))
    assert "Le repliche che ha sotto (in tutto: 3; altri lettori che le hanno scritte: 2)" in asked
    assert "a ciascuno rimanderò il testo" in asked


def test_deleting_an_answer_without_others_replies_asks_as_before(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", ANSWER)
    reply(services, anna, 1, "Una mia aggiunta.")
    asked = text(say(services, anna, Press("delete")))
    assert "repliche" not in asked and "Non si può tornare indietro." in asked


def test_each_replier_gets_their_text_back_in_their_language_when_the_answer_is_deleted(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", ANSWER)
    reply(services, BEN, 1, BENS)
    reply(services, CARLA, 1, "<b>not bold</b> & " + CARLAS)
    posted(services)
    say(services, anna, Press("delete"))
    say(services, anna, Press("delete_yes"))
    sent = posted(services)
    (bens,) = to(BEN.user_id, sent)
    assert "La risposta n. 1 è stata cancellata da chi l'ha scritta" in bens and BENS in bens
    (carla,) = [r for r in sent if r.chat_id == CARLA.user_id]
    assert "Answer #1 was deleted by its writer, and your reply #2 with it." in to_plain(
        carla.text
    )
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp; Customers" in carla.text  # escaped, whole
    assert to(anna.user_id, sent) == []
    answer(services, anna, "separate", ANSWER + " Di nuovo.")  # a new answer starts clean
    assert BENS not in page(services, CARLA, 2)


def test_forgetting_an_answer_gives_its_repliers_their_text_back(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", ANSWER)
    reply(services, BEN, 1, BENS)
    posted(services)
    say(services, anna, Command("forget"))
    say(services, anna, Press("forget_yes"))
    (bens,) = to(BEN.user_id, posted(services))
    assert BENS in bens and "n. 1" in bens


def test_a_reader_with_only_replies_can_choose_to_be_anonymous_in_all_of_them(
    build: Build, anna: Reader
) -> None:
    services = build(admins={42})
    answer(services, anna, "separate", ANSWER)
    saved = reply(services, BEN, 1, BENS)
    assert "redisplay" in datas(saved)
    assert "Ben" in page(services, CARLA)
    shown(services)
    assert datas(say(services, BEN, Press("redisplay"))) == ["show:name", "show:anonymous"]
    done = text(say(services, BEN, Press("show:anonymous")))
    assert "Le tue repliche ora appaiono come: anonimo." in done
    assert "Ben" not in page(services, CARLA)
    cards = [r for r in posted(services) if r.card == -1]
    assert [c.chat_id for c in cards] == [42]  # the admin's card is drawn again


def test_going_anonymous_on_ones_answer_takes_ones_replies_along(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", ANSWER)
    answer(services, BEN, "integrate", "Integrati, senza dubbio.")
    reply(services, BEN, 1, BENS)
    say(services, BEN, Command("answer"))
    say(services, BEN, Press("redisplay"))
    done = text(say(services, BEN, Press("show:anonymous")))
    assert "Ecco come appare ora la tua risposta" in done and "repliche" in done
    assert "Ben" not in page(services, CARLA, 1) and "Ben" not in page(services, CARLA, 2)


def test_a_reader_with_neither_answer_nor_replies_gets_a_notice_for_a_stale_display_button(
    services: Services,
) -> None:
    outcome = say(services, BEN, Press("redisplay"))
    assert outcome.notice and not outcome.replies


def test_news_of_a_reply_names_its_writer_as_they_show_themselves_when_it_goes(
    build: Build, anna: Reader
) -> None:
    services = build(admins={42})
    answer(services, anna, "separate", ANSWER)
    say(services, anna, Press("notify:on"))
    posted(services)
    reply(services, BEN, 1, BENS)  # the news waits to be bundled
    say(services, BEN, Press("redisplay"))
    say(services, BEN, Press("show:anonymous"))  # before it goes
    (news,) = to(anna.user_id, posted(services))
    assert "Ben" not in news and "anonimo ha replicato" in news
