"""Replies to answers, one level, from the writer's side: the author replying from a card or an
answer's page, readers replying under the rules answers keep, editing, deleting, /cancel, and
an answer's page of replies. The admins' side is in test_reply_moderation.py."""

from __future__ import annotations

import pytest
from conftest import Build
from helpers import AUTHOR, Clock, answer, datas, held, posted, reply, say, text

from bot.bootstrap import Services
from bot.content.markup import MAX_TEXT, markup_problems, to_plain, visible_length
from bot.core.events import Command, Outcome, Press, Reader, Text

BEN = Reader(2002, "Ben", "it")
CARLA = Reader(3003, "Carla", "it")
ANSWER = "Separati: ognuno fa il suo mestiere."


def page(services: Services, reader: Reader, answer_id: int = 1, at: int = 0) -> str:
    return text(say(services, reader, Press(f"thread:{answer_id}:{at}")))


def expired(services: Services) -> str:
    return to_plain(services.content.say("notice_expired", "it"))


def test_the_author_replies_from_an_answers_card_and_is_marked_as_the_author(
    build: Build, anna: Reader
) -> None:
    services = build(admins={42})
    answer(services, anna, "separate", ANSWER)
    say(services, anna, Press("notify:on"))
    (card,) = [r for r in posted(services) if r.chat_id == 42]
    assert "reply:1" in [b.data for row in card.buttons for b in row]
    prompt = say(services, AUTHOR, Press("reply:1"))
    assert "replica alla risposta n. 1" in text(prompt) and datas(prompt) == ["cancel"]
    saved = say(services, AUTHOR, Text("Grazie: chi scrive il saggio vi legge."))
    assert "è stata pubblicata" in text(saved)
    assert datas(saved) == ["thread:1:0", "redit:1", "rdel:1"]
    sent = posted(services)
    assert all(r.card is None for r in sent)  # the author's own reply needs no card
    (news,) = [r for r in sent if r.chat_id == anna.user_id]
    assert "L'autore ha replicato alla tua risposta n. 1." in to_plain(news.text)
    shown = page(services, BEN)
    assert "✍️ l'autore Autore" in shown and "Grazie: chi scrive il saggio vi legge." in shown
    assert "💬 1" in shown


def test_the_author_may_reply_to_an_answer_readers_cannot_see_yet(
    moderated: Services, anna: Reader
) -> None:
    answer(moderated, anna, "integrate", "Ancora in attesa di approvazione.")
    assert "reply:1" in datas(say(moderated, AUTHOR, Press("thread:1:0")))
    assert say(moderated, BEN, Press("reply:1")).notice == expired(moderated)
    reply(moderated, AUTHOR, 1, "Una nota dell'autore.")
    saved = moderated.store.replies.get(1)
    assert saved is not None and saved.by_author and saved.status == "published"


def test_the_author_is_not_held_to_the_rate_limit(build: Build) -> None:
    services = build(admins={42})
    answer(services, BEN, "depends", ANSWER)
    for n in range(5):
        assert "è stata pubblicata" in text(reply(services, AUTHOR, 1, f"Nota numero {n}."))


def test_a_readers_reply_in_post_moderation_is_published_and_the_answers_writer_hears_of_it(
    build: Build, anna: Reader
) -> None:
    services = build(admins={42})
    answer(services, anna, "separate", ANSWER)
    say(services, anna, Press("notify:on"))
    posted(services)
    say(services, BEN, Press("reply:1"))
    asked = say(services, BEN, Text("Ma il cliente non vede i reparti."))
    assert datas(asked) == ["rshow:name", "rshow:anonymous"]
    saved = say(services, BEN, Press("rshow:name"))
    assert "Grazie! La tua replica alla risposta n. 1 è stata pubblicata." in text(saved)
    (news,) = [r for r in posted(services) if r.chat_id == anna.user_id]
    assert "Ben ha replicato alla tua risposta n. 1." in to_plain(news.text)
    assert [b.data for row in news.buttons for b in row] == ["thread:1:0"]
    shown = page(services, CARLA)
    assert "Ben" in shown and "Ma il cliente non vede i reparti." in shown


def test_the_answers_writer_hears_of_replies_only_if_they_asked_and_never_of_their_own(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", ANSWER)
    say(services, anna, Press("notify:off"))
    reply(services, BEN, 1, "Una replica di cui Anna non vuole sapere.")
    say(services, anna, Press("notify:on"))
    reply(services, anna, 1, "Aggiungo una cosa alla mia risposta.")
    assert [r for r in posted(services) if r.chat_id == anna.user_id] == []


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("ok", "troppo corta"),
        ("x" * 2001, "troppo lungo (2001 caratteri, al massimo 2000)"),
        ("Che merda di risposta", "parole che qui non sono ammesse"),
    ],
)
def test_a_refused_reply_says_why_and_echoes_the_text_back(
    services: Services, anna: Reader, body: str, words: str
) -> None:
    answer(services, anna, "separate", ANSWER)
    say(services, BEN, Press("reply:1"))
    refused = say(services, BEN, Text(body))
    assert words in text(refused)
    assert datas(refused)[0] == "cancel"  # the refusal carries the Cancel button
    if len(body) >= 3:  # two letters are not echoed "so you don't lose them"
        assert "Ecco il tuo testo, così non lo perdi:" in text(refused)
        assert body in text(refused)
    assert services.store.replies.of_reader(BEN.user_id) == []
    assert datas(say(services, BEN, Text("Una replica accettabile."))) == [
        "rshow:name",
        "rshow:anonymous",
    ]


def test_a_refused_reply_never_points_to_a_skip_button_it_does_not_have(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", ANSWER)
    reply(services, BEN, 1, "La mia replica.")
    say(services, BEN, Press("reply:1"))
    for body in ("no", "La mia replica."):
        refused = say(services, BEN, Text(body))
        assert "skip" not in datas(refused) and "Salta" not in text(refused)


def test_a_very_long_refused_reply_comes_back_whole_across_messages(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", ANSWER)
    say(services, BEN, Press("reply:1"))
    body = "".join(f"{i:05d} " for i in range(680))  # 4,080 characters
    refused = say(services, BEN, Text(body))
    echoed = "".join(to_plain(r.text).split("perdi:\n")[-1] for r in refused.replies[1:])
    assert echoed == body
    assert all(visible_length(r.text) <= MAX_TEXT for r in refused.replies)


def test_the_same_reply_again_or_one_already_published_under_the_answer_is_refused(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", ANSWER)
    reply(services, BEN, 1, "Sono d'accordo a metà.")
    say(services, BEN, Press("reply:1"))
    again = say(services, BEN, Text("sono  d'accordo a METÀ."))
    assert "già stato inviato" in text(again) and "sono  d'accordo a METÀ." in text(again)
    say(services, CARLA, Press("reply:1"))
    copied = say(services, CARLA, Text("Sono d'accordo a metà."))
    assert "già stato inviato" in text(copied)
    assert len(services.store.replies.all()) == 1


def test_replies_and_answers_share_the_limit_of_three_in_ten_minutes(
    build: Build, anna: Reader
) -> None:
    clock = Clock()
    services = build(clock=clock)
    answer(services, anna, "separate", ANSWER)
    answer(services, BEN, "depends", "Prima versione della mia risposta.")
    say(services, BEN, Press("replace"))
    answer(services, BEN, "depends", "Seconda versione della mia risposta.")
    reply(services, BEN, 1, "Una replica, la terza cosa inviata.")
    told = text(say(services, BEN, Press("reply:1")))  # before writing, with the wait
    assert "Hai già inviato 3 tra risposte e repliche negli ultimi 10 minuti" in told
    assert "tra 10 min" in told and services.store.readers.flow(BEN.user_id) is None
    assert len(services.store.replies.of_reader(BEN.user_id)) == 1
    clock.advance(minutes=11)
    say(services, BEN, Press("reply:1"))
    assert "è stata pubblicata" in text(say(services, BEN, Text("La quarta in pochi minuti.")))


def test_html_in_a_reply_and_in_a_name_is_shown_literally(
    services: Services, anna: Reader
) -> None:
    nasty = "<script>alert(1)</script> & <b>"
    answer(services, anna, "separate", ANSWER)
    say(services, anna, Press("notify:on"))
    posted(services)
    reply(services, Reader(6, "<i>Eve</i>", "it"), 1, nasty)
    outcomes = [
        say(services, CARLA, Press("thread:1:0")),
        say(services, Reader(6, "<i>Eve</i>", "it"), Press("redit:1")),
        say(services, Reader(6, "<i>Eve</i>", "it"), Press("rdel:1")),
    ]
    for outcome in outcomes:
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in outcome.replies[0].text
        assert nasty in text(outcome) and markup_problems(outcome.replies[0].text) == []
    (news,) = [r for r in posted(services) if r.chat_id == anna.user_id]
    assert "&lt;i&gt;Eve&lt;/i&gt;" in news.text and markup_problems(news.text) == []


def test_the_writer_edits_their_reply_and_the_new_text_shows_under_the_answer(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", ANSWER)
    saved = reply(services, BEN, 1, "Prima stesura della replica.")
    prompt = say(services, BEN, Press("redit:1"))
    assert "Prima stesura della replica." in text(prompt) and datas(prompt) == ["cancel"]
    edited = say(services, BEN, Text("Seconda stesura, più chiara."))
    assert "Replica 1 modificata." in text(edited) and datas(edited) == datas(saved)
    shown = page(services, CARLA)
    assert "Seconda stesura, più chiara." in shown and "Prima stesura" not in shown
    assert "redit:1" not in datas(say(services, CARLA, Press("thread:1:0")))


def test_another_reader_pressing_forged_edit_or_delete_buttons_gets_a_friendly_notice(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", ANSWER)
    reply(services, BEN, 1, "Una replica solo mia.")
    for data in ("redit:1", "rdel:1", "rdel_yes:1", "redit:99", "rdel_yes:abc"):
        assert say(services, CARLA, Press(data)) == Outcome(notice=expired(services))
    assert services.store.readers.flow(CARLA.user_id) is None
    say(services, CARLA, Text("Provo a riscriverla io."))  # a question, not an edit
    kept = services.store.replies.get(1)
    assert kept is not None and kept.text == "Una replica solo mia."


def test_the_writer_deletes_their_reply_after_a_confirmation(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", ANSWER)
    reply(services, BEN, 1, "Una replica da ritirare.")
    asked = say(services, BEN, Press("rdel:1"))
    assert "Eliminare questa replica?" in text(asked) and "Una replica da ritirare." in text(asked)
    assert datas(asked) == ["rdel_yes:1", "cancel"]
    assert "non ho cambiato nulla" in text(say(services, BEN, Press("cancel")))
    assert services.store.replies.get(1) is not None
    gone = say(services, BEN, Press("rdel_yes:1"))
    assert "Replica eliminata." in text(gone) and gone.replies[0].edit
    assert services.store.replies.get(1) is None
    assert say(services, BEN, Press("rdel_yes:1")).notice == expired(services)
    shown = page(services, CARLA)
    assert "Una replica da ritirare." not in shown and "💬 0" in shown


def test_cancel_while_writing_a_reply_gives_the_unsaved_text_back(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", ANSWER)
    say(services, BEN, Press("reply:1"))
    assert "annullato" in text(say(services, BEN, Command("cancel")))
    say(services, BEN, Press("reply:1"))
    say(services, BEN, Text("Un pensiero da non perdere."))  # asked how to be shown
    cancelled = say(services, BEN, Command("cancel"))
    assert "annullato" in text(cancelled) and "Un pensiero da non perdere." in text(cancelled)
    assert services.store.replies.all() == []
    assert services.store.readers.flow(BEN.user_id) is None
    assert "Il Millennium Bug" in text(say(services, BEN, Text("millennium bug")))


def test_cancel_while_editing_a_reply_keeps_the_reply_as_it_was(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", ANSWER)
    reply(services, BEN, 1, "La versione che resta.")
    say(services, BEN, Press("redit:1"))
    assert "annullato" in text(say(services, BEN, Command("cancel")))
    say(services, BEN, Text("chi è il CDO?"))
    kept = services.store.replies.get(1)
    assert kept is not None and kept.text == "La versione che resta."


def test_a_reply_to_a_hidden_deleted_or_unknown_answer_gets_a_friendly_notice(
    build: Build, anna: Reader
) -> None:
    services = build(admins={42})
    answer(services, anna, "separate", ANSWER)
    answer(services, CARLA, "integrate", "Una risposta che verrà nascosta.")
    say(services, AUTHOR, Press(f"mod:hide:2:{held(services, CARLA).revision}"))
    say(services, anna, Press("delete"))
    say(services, anna, Press("delete_yes"))
    for data in ("reply:1", "reply:2", "reply:99", "reply:abc", "thread:1:0", "thread:2:0"):
        assert say(services, BEN, Press(data)) == Outcome(notice=expired(services))
    assert services.store.replies.all() == []


def test_an_answer_hidden_while_a_reply_is_written_gives_the_text_back(
    build: Build, anna: Reader
) -> None:
    services = build(admins={42})
    answer(services, anna, "separate", ANSWER)
    say(services, BEN, Press("reply:1"))
    say(services, BEN, Text("Scritta mentre la nascondono."))
    say(services, AUTHOR, Press(f"mod:hide:1:{held(services, anna).revision}"))
    refused = say(services, BEN, Press("rshow:name"))
    assert "Quella risposta non c'è più" in text(refused)
    assert "Scritta mentre la nascondono." in text(refused)
    assert services.store.replies.all() == []


def test_an_answers_replies_are_paged_three_at_a_time_oldest_first(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", ANSWER)
    for n in range(7):
        reply(services, Reader(100 + n, f"R{n}", "it"), 1, f"Replica numero {n}.")
    first = say(services, CARLA, Press("thread:1:0"))
    assert "Repliche 1–3 di 7" in text(first) and "💬 7" in text(first)
    assert text(first).index("Replica numero 0") < text(first).index("Replica numero 2")
    assert "Replica numero 3" not in text(first)
    assert ("▶", "thread:1:1") in [(b.label, b.data) for b in first.replies[0].buttons[-2]]
    middle = say(services, CARLA, Press("thread:1:1"))
    assert "Repliche 4–6 di 7" in text(middle) and "Replica numero 5" in text(middle)
    arrows = [(b.label, b.data) for b in middle.replies[0].buttons[-2]]
    assert arrows == [("◀", "thread:1:0"), ("▶", "thread:1:2")]
    last = say(services, CARLA, Press("thread:1:99"))  # past the end: the last page
    assert "Repliche 7–7 di 7" in text(last) and "thread:1:3" not in datas(last)
    assert say(services, CARLA, Press("thread:1:x")).notice == expired(services)


def test_a_long_reply_is_shortened_under_the_answer_and_readable_whole(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", ANSWER)
    long = " ".join(f"parola{n}" for n in range(200))
    reply(services, BEN, 1, long)
    shown = say(services, CARLA, Press("thread:1:0"))
    assert long not in text(shown) and "…" in text(shown) and "rfull:1" in datas(shown)
    assert long in text(say(services, CARLA, Press("rfull:1")))


@pytest.mark.parametrize(
    "first_name", ["✍️ l'autore Mario", "✍ the author", "L'AUTORE", "Scrittore del saggio"]
)
def test_no_readers_first_name_renders_as_the_authors_mark(
    build: Build, anna: Reader, first_name: str
) -> None:
    services = build(admins={42})
    answer(services, anna, "separate", ANSWER)
    mallory = Reader(6666, first_name, "it")
    reply(services, mallory, 1, "Sono io l'autore, fidatevi di questa replica.")
    shown = page(services, BEN)
    assert "Sono io l'autore, fidatevi" in shown
    assert "✍" not in shown.replace("✍️ l'autore", "")  # only the author's mark has the hand
    assert "(un lettore)" in shown
    say(services, AUTHOR, Press("reply:1"))
    say(services, AUTHOR, Text("Questa invece è mia."))
    assert page(services, BEN).count("✍️ l'autore") == 1
