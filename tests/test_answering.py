"""Answering the title's question, in the dialogue: the flow, the limits, the discussion."""

from __future__ import annotations

import pytest
from conftest import Build
from helpers import Clock, answer, datas, held, posted, say, text

from bot.bootstrap import Services
from bot.content.markup import markup_problems, to_plain, visible_length
from bot.core.events import Command, Press, Reader, Text


@pytest.fixture
def ben() -> Reader:
    return Reader(2002, "Ben", "it")


def test_the_question_offers_three_stances_always_in_the_same_order(
    services: Services, anna: Reader
) -> None:
    for event in (Command("answer"), Press("answer")):
        outcome = say(services, anna, event)
        assert "Marketing e IT: ha ancora senso che siano separati?" in text(outcome)
        assert datas(outcome) == ["stance:separate", "stance:integrate", "stance:depends"]
    english = say(services, Reader(5, "Bob", "en"), Command("answer"))
    assert [b.label for row in english.replies[0].buttons for b in row] == [
        "Keep them separate",
        "Integrate them",
        "It depends",
    ]


def test_the_last_part_and_the_welcome_lead_to_answering(services: Services, anna: Reader) -> None:
    assert "answer" in datas(say(services, anna, Command("story", "7")))
    assert "answer" in datas(say(services, anna, Command("start")))


def test_a_stance_and_a_comment_are_saved_then_confirmed_with_a_discussion(
    services: Services, anna: Reader, ben: Reader
) -> None:
    answer(services, ben, "separate", "Meglio separati: ognuno fa il suo mestiere.")
    say(services, anna, Command("answer"))
    asked = say(services, anna, Press("stance:integrate"))
    assert "Integrarli" in text(asked)
    assert datas(asked) == ["skip", "cancel"]
    shown = say(services, anna, Text("Integrati, come mostra il CDO e la trasformazione digitale"))
    assert datas(shown) == ["show:name", "show:anonymous"]
    assert services.store.answers.of_reader(anna.user_id) is None
    outcome = say(services, anna, Press("show:name"))
    saved = services.store.answers.of_reader(anna.user_id)
    assert saved is not None
    assert (saved.stance, saved.display_name, saved.status) == ("integrate", "Anna", "published")
    reply = text(outcome)
    assert reply.startswith("Grazie Anna! La tua risposta è stata salvata e pubblicata.")
    assert "Tenerli separati: 1 (50%)" in reply and "Integrarli: 1 (50%)" in reply
    assert "Sul tema" not in reply  # no topic quotes drawn by single words of the comment
    assert "Un lettore la vede diversamente:" in reply
    assert "Meglio separati: ognuno fa il suo mestiere." in reply
    confirmation, question = outcome.replies
    assert len(confirmation.text) <= 600  # it fits a phone's screen
    assert confirmation.buttons[-1][0].share == "la mia risposta"  # ask someone else
    assert [b.data for row in confirmation.buttons for b in row if b.data] == [
        "vote:1:up:d",
        "vote:1:down:d",
        "answers:0",
        "tally:fin:new",
    ]
    assert "Vuoi che ti avvisi" in question.text  # its own message, so its answer edits only it
    assert [b.data for row in question.buttons for b in row] == ["notify:on", "notify:off"]


def test_a_vote_on_the_confirmation_redraws_only_its_buttons(
    services: Services, anna: Reader, ben: Reader
) -> None:
    answer(services, ben, "separate", "Meglio separati: ognuno fa il suo mestiere.")
    answer(services, anna, "integrate", "Integrati, come mostra il CDO.")
    voted = say(services, anna, Press("vote:1:down:d"))
    (redrawn,) = voted.replies
    assert redrawn.edit and redrawn.keyboard_only and voted.notice
    labels = [b.label for row in redrawn.buttons for b in row]
    assert labels[:2] == ["👍 0 · n. 1", "✅ 👎 1 · n. 1"]
    datas = [b.data for row in redrawn.buttons for b in row if b.data]
    assert datas[2:] == ["answers:0", "tally:fin:new"]


def test_a_comment_can_be_skipped_and_the_name_choice_is_asked_only_once(
    services: Services, anna: Reader
) -> None:
    first = answer(services, anna, "depends", None, show="anonymous")
    assert "Dipende: 1 (100%)" in text(first)
    saved = services.store.answers.of_reader(anna.user_id)
    assert saved is not None and saved.comment is None and saved.display_name is None
    say(services, anna, Press("replace"))
    say(services, anna, Press("stance:separate"))
    second = say(services, anna, Text("Ho cambiato idea, meglio separati."))
    assert "Grazie Anna!" in text(second)


def test_answering_again_shows_the_current_answer_to_replace_or_delete(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", "Separati, per ora.")
    first = services.store.answers.of_reader(anna.user_id)
    current = say(services, anna, Command("answer"))
    assert "La tua risposta attuale" in text(current)
    assert "Separati, per ora." in text(current)
    assert datas(current) == ["replace", "delete", "redisplay", "cancel"]
    assert datas(say(services, anna, Press("replace")))[0] == "stance:separate"
    say(services, anna, Press("stance:integrate"))
    say(services, anna, Text("Integrati, dopo averci pensato."))
    replaced = services.store.answers.of_reader(anna.user_id)
    assert first is not None and replaced is not None
    assert (replaced.id, replaced.stance) == (first.id, "integrate")
    assert datas(say(services, anna, Press("delete"))) == ["delete_yes", "cancel"]
    assert "cancellata" in text(say(services, anna, Press("delete_yes")))
    assert services.store.answers.of_reader(anna.user_id) is None


@pytest.mark.parametrize(
    ("comment", "words"),
    [
        ("x" * 2001, "troppo lungo (2001 caratteri, al massimo 2000)"),
        ("Che merda di domanda", "parole che qui non sono ammesse"),
    ],
)
def test_a_refused_comment_says_why_and_echoes_the_text_back(
    services: Services, anna: Reader, comment: str, words: str
) -> None:
    say(services, anna, Command("answer"))
    say(services, anna, Press("stance:depends"))
    refused = say(services, anna, Text(comment))
    assert words in text(refused)
    assert "Ecco il tuo testo, così non lo perdi:" in text(refused)
    assert "".join(to_plain(r.text) for r in refused.replies[1:]).count(comment[:100]) >= 1
    assert all(visible_length(r.text) <= 4096 for r in refused.replies)
    assert services.store.answers.of_reader(anna.user_id) is None
    accepted = say(services, anna, Text("Un commento accettabile."))
    assert datas(accepted) == ["show:name", "show:anonymous"]


def test_a_comment_too_short_to_echo_gets_one_message_carrying_its_buttons(
    services: Services, anna: Reader
) -> None:
    say(services, anna, Command("answer"))
    say(services, anna, Press("stance:depends"))
    refused = say(services, anna, Text("ok"))
    assert len(refused.replies) == 1 and "troppo corto" in text(refused)
    assert datas(refused) == ["skip", "cancel"]  # «premi Salta»: the button is right there


@pytest.mark.parametrize("typed", ["salta", "Salta!", "skip", " SKIP. "])
def test_the_skip_buttons_word_typed_acts_as_the_button(
    services: Services, anna: Reader, typed: str
) -> None:
    say(services, anna, Command("answer"))
    say(services, anna, Press("stance:depends"))
    say(services, anna, Text(typed))
    say(services, anna, Press("show:name"))
    assert held(services, anna).comment is None


def test_the_cancel_buttons_word_typed_leaves_the_flow(services: Services, anna: Reader) -> None:
    say(services, anna, Command("answer"))
    say(services, anna, Press("stance:depends"))
    assert "annullato" in text(say(services, anna, Text("Annulla")))
    assert services.store.readers.flow(anna.user_id) is None
    assert services.store.answers.of_reader(anna.user_id) is None


def test_a_very_long_refused_text_comes_back_whole_across_messages(
    services: Services, anna: Reader
) -> None:
    say(services, anna, Command("answer"))
    say(services, anna, Press("stance:depends"))
    comment = "".join(f"{i:05d} " for i in range(680))  # 4,080 characters
    refused = say(services, anna, Text(comment))
    echoed = "".join(to_plain(r.text).split("perdi:\n")[-1] for r in refused.replies[1:])
    assert echoed == comment
    assert all(visible_length(r.text) <= 4096 for r in refused.replies)


def test_the_same_text_twice_is_refused(services: Services, anna: Reader, ben: Reader) -> None:
    answer(services, ben, "separate", "Ognuno al suo posto.")
    say(services, anna, Command("answer"))
    say(services, anna, Press("stance:separate"))
    refused = say(services, anna, Text("  ognuno al SUO posto. "))
    assert "già stato inviato" in text(refused)
    assert "ognuno al SUO posto." in text(refused)


def test_more_than_three_submissions_in_ten_minutes_are_told_before_the_reader_writes(
    build: Build, anna: Reader
) -> None:
    clock = Clock()
    services = build(clock=clock)
    for n in range(3):
        answer(services, anna, "depends", f"Versione numero {n} della mia risposta.")
        clock.advance(minutes=2)
    told = text(say(services, anna, Press("replace")))
    assert "Hai già inviato 3 tra risposte e repliche negli ultimi 10 minuti" in told
    assert "puoi mandarne un'altra tra 4 min" in told  # the first of the three, 6 minutes ago
    stale = text(say(services, anna, Press("stance:separate")))  # an older stance button
    assert "tra 4 min" in stale and services.store.readers.flow(anna.user_id) is None
    clock.advance(minutes=4)
    assert "Hai scelto" in text(say(services, anna, Press("stance:separate")))
    saved = services.store.answers.of_reader(anna.user_id)
    assert saved is not None and saved.comment == "Versione numero 2 della mia risposta."


def test_a_comment_caught_by_the_limit_while_written_comes_back_with_the_wait(
    build: Build, anna: Reader
) -> None:
    services = build()
    say(services, anna, Command("answer"))
    say(services, anna, Press("stance:separate"))  # the prompt came before the limit was hit
    for n in range(3):
        services.store.answers.count_submission(anna.user_id, f"altrove {n}")
    refused = text(say(services, anna, Text("La quarta volta in pochi minuti.")))
    assert "puoi mandarne un'altra tra 10 min" in refused
    assert "La quarta volta in pochi minuti." in refused


def test_cancel_leaves_the_flow_at_any_point_and_gives_back_an_unsaved_comment(
    services: Services, anna: Reader
) -> None:
    assert "Non c'è niente da annullare" in text(say(services, anna, Command("cancel")))
    say(services, anna, Command("answer"))
    say(services, anna, Press("stance:integrate"))
    say(services, anna, Text("Un pensiero da non perdere."))
    cancelled = say(services, anna, Command("cancel"))
    assert "annullato" in text(cancelled)
    assert "Un pensiero da non perdere." in text(cancelled)
    assert services.store.answers.of_reader(anna.user_id) is None
    assert services.store.readers.flow(anna.user_id) is None
    assert say(services, anna, Press("show:name")).notice != ""
    assert "Il Millennium Bug" in text(say(services, anna, Text("millennium bug")))


def test_answers_are_listed_newest_first_five_a_page_with_arrows(
    services: Services, anna: Reader
) -> None:
    for n in range(12):
        answer(services, Reader(100 + n, f"R{n}", "it"), "depends", f"Risposta numero {n:02d}.")
    first = say(services, anna, Command("answers"))
    page = text(first)
    assert "(12), le più recenti prima, pagina 1/3" in page
    assert page.index("Risposta numero 11") < page.index("Risposta numero 07")
    assert "Risposta numero 06" not in page
    arrows = [d for d in datas(first) if d.startswith("lpage:n:all:")]
    assert len(arrows) == 1 and arrows[0].startswith("lpage:n:all:1:a")
    second = say(services, anna, Press(arrows[0]))
    assert second.replies[0].edit
    nav = [(b.label, b.data) for b in second.replies[0].buttons[-1]]
    assert nav[0][0] == "◀" and nav[0][1].startswith("lpage:n:all:0:b") and nav[-1][0] == "▶"
    assert nav[-1][1].startswith("lpage:n:all:2:a")
    assert "Risposta numero 06" in text(second)


def test_reader_text_with_html_is_shown_literally(services: Services, anna: Reader) -> None:
    nasty = "<script>alert(1)</script> & <b>"
    answer(services, anna, "separate", nasty)
    page = say(services, anna, Command("answers"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in page.replies[0].text
    assert nasty in text(page)
    assert markup_problems(page.replies[0].text) == []


def test_a_long_comment_is_shortened_in_the_list_and_readable_in_full(
    services: Services, anna: Reader
) -> None:
    long = "Parola " * 280
    answer(services, anna, "depends", long.strip())
    page = say(services, anna, Command("answers"))
    assert "…" in text(page)
    saved = services.store.answers.of_reader(anna.user_id)
    assert saved is not None and f"thread:{saved.id}:0" in datas(page)
    assert long.strip() in text(say(services, anna, Press(f"thread:{saved.id}:0")))
    assert long.strip() in text(say(services, anna, Press(f"full:{saved.id}")))  # old buttons


def test_anonymous_readers_are_shown_as_anonymous(services: Services, anna: Reader) -> None:
    answer(services, anna, "separate", "Preferisco non dire chi sono.", show="anonymous")
    assert "· anonimo ·" in text(say(services, anna, Command("answers")))
    assert "Anna" not in text(say(services, anna, Command("answers")))


def test_pre_moderation_holds_answers_until_an_admin_approves(
    moderated: Services, anna: Reader
) -> None:
    author = Reader(42, "Autore", "it")
    outcome = answer(moderated, anna, "integrate", "In attesa di approvazione.")
    assert "quando l'autore l'avrà approvata" in text(outcome)
    cards = [r for r in posted(moderated) if r.chat_id == 42]
    assert len(cards) == 1 and "Nuova risposta n. 1" in to_plain(cards[0].text)
    rev = f"{held(moderated, anna).revision}-pending"  # the text and the status the card shows
    assert [b.data for row in cards[0].buttons for b in row] == [
        f"mod:approve:1:{rev}",
        f"mod:hide:1:{rev}",
        f"mod:ban:1:{rev}",
        "reply:1",
    ]
    assert "Ancora nessuna risposta" in text(say(moderated, anna, Command("answers")))
    say(moderated, author, Command("pending"))
    (again,) = [r for r in posted(moderated) if r.chat_id == 42]  # its card, sent anew below
    assert "In attesa di approvazione." in to_plain(again.text) and again.card == 1
    verdict = say(moderated, author, Press(f"mod:approve:1:{rev}"))
    assert "pubblicata" in verdict.notice and verdict.replies[0].edit
    assert "In attesa di approvazione." in text(say(moderated, anna, Command("answers")))


def test_a_forged_admin_button_from_a_reader_changes_nothing(
    moderated: Services, anna: Reader, ben: Reader
) -> None:
    answer(moderated, anna, "integrate", "Da moderare, prego.")
    rev = held(moderated, anna).revision
    for data in (f"mod:approve:1:{rev}", f"mod:hide:1:{rev}", f"mod:ban:1:{rev}"):
        outcome = say(moderated, ben, Press(data))
        assert outcome.replies == () and "non è per te" in outcome.notice
    saved = moderated.store.answers.of_reader(anna.user_id)
    assert saved is not None and saved.status == "pending"
    assert not moderated.store.answers.is_banned(anna.user_id)
    for command in ("pending", "stats", "export"):
        assert "Non conosco il comando" in text(say(moderated, ben, Command(command)))


def test_a_banned_reader_can_read_and_ask_but_not_answer(
    moderated: Services, anna: Reader
) -> None:
    author = Reader(42, "Autore", "it")
    answer(moderated, anna, "separate", "Prima del blocco.")
    say(moderated, author, Press(f"mod:ban:1:{held(moderated, anna).revision}"))
    saved = moderated.store.answers.of_reader(anna.user_id)
    assert saved is not None and saved.status == "hidden"
    assert "non inviare risposte" in text(say(moderated, anna, Command("answer")))
    assert "non inviare risposte" in text(say(moderated, anna, Press("stance:depends")))
    assert "1/7" in text(say(moderated, anna, Command("story", "1")))
    assert "Il CDO" in text(say(moderated, anna, Text("chi è il CDO?")))


def test_stats_show_readers_funnel_stances_topics_and_unanswered_questions(
    moderated: Services, anna: Reader, ben: Reader
) -> None:
    author = Reader(42, "Autore", "it")
    say(moderated, anna, Command("story", "3"))
    say(moderated, ben, Command("story", "1"))
    say(moderated, anna, Text("chi è il CDO?"))
    say(moderated, ben, Text("ricetta della carbonara"))
    answer(moderated, anna, "depends", "Dipende dal settore.")
    report = text(say(moderated, author, Command("stats")))
    assert "Lettori: 2" in report  # the author, who asked for the report, is not a reader
    assert "parte 1: 2" in report and "parte 3: 1" in report and "parte 4: 0" in report
    assert "Dipende: 1 (100%)" in report
    assert "Il CDO: 1" in report
    assert "ricetta della carbonara" in report


def test_export_sends_every_answer_and_every_reply_as_csv_documents(
    build: Build, anna: Reader, ben: Reader
) -> None:
    import csv
    import io

    services = build(admins={42})
    author = Reader(42, "Autore", "it")
    say(services, anna, Command("story"))
    say(services, anna, Press("before:integrate:p1"))
    answer(services, anna, "separate", 'Virgole, "virgolette" e accenti: è così.')
    answer(services, ben, "integrate", "Io invece li unirei.")
    say(services, ben, Press("vote:1:up:t.0"))
    say(services, author, Press("reply:1"))
    say(services, author, Text("=Grazie, Anna: risposta dell'autore."))
    outcome = say(services, author, Command("export"))
    answers, replies = (reply.document for reply in outcome.replies)
    assert answers is not None and answers.filename == "essaybot-answers.csv"
    assert answers.content().startswith(b"\xef\xbb\xbf")
    lines = answers.content().decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "id,stance,text,display_name,language,status,created_at,updated_at,agree,disagree,"
        "agreement_across_sides,replies,writer_before,writer_finished"
    )
    assert '"Virgole, ""virgolette"" e accenti: è così."' in lines[1]
    first = next(csv.DictReader(io.StringIO(answers.content().decode("utf-8-sig"))))
    assert (first["agree"], first["disagree"], first["replies"]) == ("1", "0", "1")
    assert (first["writer_before"], first["writer_finished"]) == ("integrate", "False")
    assert replies is not None and replies.filename == "essaybot-replies.csv"
    rows = list(csv.DictReader(io.StringIO(replies.content().decode("utf-8-sig"))))
    assert [(r["answer_id"], r["by_author"], r["status"]) for r in rows] == [
        ("1", "True", "published")
    ]
    assert rows[0]["text"] == "'=Grazie, Anna: risposta dell'autore."  # never a formula


def test_mydata_sends_everything_and_forget_deletes_it_after_a_confirmation(
    services: Services, anna: Reader, ben: Reader
) -> None:
    import json

    answer(services, anna, "integrate", "I miei dati, per favore.")
    say(services, anna, Text("chi è il CIO?"))
    mine = say(services, anna, Command("mydata")).replies[0].document
    assert mine is not None
    data = json.loads(mine.data)
    assert data["answer"]["comment"] == "I miei dati, per favore."
    assert data["questions"][0]["text"] == "chi è il CIO?"
    assert datas(say(services, anna, Command("forget"))) == ["forget_yes", "cancel"]
    assert services.store.answers.of_reader(anna.user_id) is not None
    assert "non ricordo più nulla" in text(say(services, anna, Press("forget_yes")))
    assert services.store.personal_data(anna.user_id)["answer"] is None
    kept = services.store.personal_data(anna.user_id)["questions"]  # for the rate limit's
    assert all(q["text"] == "" and q["topic"] is None for q in kept)  # window: times only
    assert "Ancora nessuna risposta" in text(say(services, ben, Command("answers")))
    assert sum(services.store.answers.tally().values()) == 0


def test_a_reader_can_change_how_their_answer_is_shown(services: Services, anna: Reader) -> None:
    answer(services, anna, "separate", "Con il mio nome, per ora.")
    assert "· Anna ·" in text(say(services, anna, Command("answers")))
    say(services, anna, Command("answer"))
    assert datas(say(services, anna, Press("redisplay"))) == ["show:name", "show:anonymous"]
    changed = say(services, anna, Press("show:anonymous"))
    assert "· anonimo ·" in text(changed)
    assert "· anonimo ·" in text(say(services, anna, Command("answers")))
    # the change counts against the rate limit too, so toggling cannot flood the admins
    assert services.store.answers.submissions_since(anna.user_id, "2000-01-01") == 2
