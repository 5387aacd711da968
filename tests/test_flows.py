"""Flows never lose what the reader did: another command in the middle of an answer or a reply
is served and the flow waits, kept, with one line and a button to resume it or drop it."""

from __future__ import annotations

from helpers import answer, datas, held, reply, say, text

from bot.bootstrap import Services
from bot.content.markup import to_plain
from bot.core.events import Command, Press, Reader, Text

PAUSED = "La tua risposta (Integrarli) è a metà"


def half_way(services: Services, reader: Reader) -> None:
    say(services, reader, Command("answer"))
    say(services, reader, Press("stance:integrate"))


def test_help_in_the_middle_of_an_answer_is_served_and_the_answer_waits(
    services: Services, anna: Reader
) -> None:
    half_way(services, anna)
    helped = say(services, anna, Command("help"))
    assert "/story" in text(helped) and PAUSED in text(helped)
    assert datas(helped)[-2:] == ["resume", "cancel"]
    flow = services.store.readers.flow(anna.user_id)
    assert flow is not None and flow.stance == "integrate" and flow.paused


def test_text_written_after_a_command_becomes_the_comment_once_the_reader_says_so(
    services: Services, anna: Reader
) -> None:
    half_way(services, anna)
    say(services, anna, Command("help"))
    which = say(services, anna, Text("Secondo me vanno integrati, lo vedo ogni giorno."))
    assert datas(which) == ["use_text", "as_question", "cancel"]  # never saved on a guess
    assert services.store.answers.of_reader(anna.user_id) is None
    asked = say(services, anna, Press("use_text"))
    assert datas(asked) == ["show:name", "show:anonymous"]
    say(services, anna, Press("show:name"))
    saved = held(services, anna)
    assert (saved.stance, saved.comment) == (
        "integrate",
        "Secondo me vanno integrati, lo vedo ogni giorno.",
    )
    assert services.store.questions.unanswered(10) == []  # not filed as a question


def test_a_question_while_the_answer_waits_is_answered_and_the_answer_still_waits(
    services: Services, anna: Reader
) -> None:
    half_way(services, anna)
    say(services, anna, Command("story", "2"))
    answered = text(say(services, anna, Text("chi è il CDO?")))
    assert "Il CDO" in answered and PAUSED in answered
    assert services.store.answers.of_reader(anna.user_id) is None


def test_one_tap_resumes_the_answer_and_answer_resumes_it_too(
    services: Services, anna: Reader
) -> None:
    half_way(services, anna)
    say(services, anna, Command("topics"))
    resumed = text(say(services, anna, Press("resume")))
    assert "Hai scelto: Integrarli" in resumed
    say(services, anna, Command("mydata"))
    assert "Hai scelto: Integrarli" in text(say(services, anna, Command("answer")))
    flow = services.store.readers.flow(anna.user_id)
    assert flow is not None and not flow.paused


def test_letting_it_go_drops_the_answer_and_says_so(services: Services, anna: Reader) -> None:
    half_way(services, anna)
    say(services, anna, Command("help"))
    assert "annullato" in text(say(services, anna, Press("cancel")))
    assert services.store.readers.flow(anna.user_id) is None
    assert say(services, anna, Press("resume")).notice  # a stale resume button


def test_a_reply_half_way_waits_too_and_resumes_with_its_prompt(
    services: Services, anna: Reader
) -> None:
    ben = Reader(2002, "Ben", "it")
    answer(services, anna, "separate", "Separati: ognuno fa il suo mestiere.")
    say(services, ben, Press("reply:1"))
    paused = text(say(services, ben, Command("answers")))
    assert "La tua replica alla risposta n. 1 è a metà" in paused
    assert "replica alla risposta n. 1" in text(say(services, ben, Press("resume")))
    reply(services, ben, 1, "Eccola, finalmente.")
    assert services.store.replies.written_by(ben.user_id)


def test_no_reminder_when_nothing_waits(services: Services, anna: Reader) -> None:
    assert "a metà" not in text(say(services, anna, Command("help")))
    assert "resume" not in datas(say(services, anna, Command("help")))


def test_privacy_says_what_is_kept_and_why_and_points_to_mydata_and_forget(
    services: Services, anna: Reader
) -> None:
    said = text(say(services, anna, Command("privacy")))
    assert "Cosa tengo di te, e perché" in said
    assert "/mydata" in said and "/forget" in said


def test_a_returning_reader_s_start_says_where_they_stopped(
    services: Services, anna: Reader
) -> None:
    assert "Bentornato" not in text(say(services, anna, Command("start")))  # a first visit
    say(services, anna, Command("story", "3"))
    again = text(say(services, anna, Command("start")))
    assert "Bentornato: eri arrivato alla parte 3 di 7" in again
    answer(services, anna, "depends", "Dipende, come sempre.")
    assert "hai già risposto" in text(say(services, anna, Command("start")))


def test_the_bots_descriptions_fit_telegrams_limits(services: Services) -> None:
    for lang in services.content.languages:
        assert len(to_plain(services.content.say("bot_description", lang))) <= 512
        assert len(to_plain(services.content.say("bot_short_description", lang))) <= 120


def test_mydata_says_in_words_what_is_kept_before_the_file(
    services: Services, anna: Reader
) -> None:
    say(services, anna, Command("story", "2"))
    say(services, anna, Text("chi è il CDO?"))
    answer(services, anna, "depends", "Dipende, come sempre.")
    (sent,) = say(services, anna, Command("mydata")).replies
    caption = to_plain(sent.text)
    assert "fin dove hai letto: parte 2" in caption and "domande che mi hai fatto: 1" in caption
    assert "una risposta alla domanda del titolo: sì" in caption
    assert len(caption) <= 1024 and sent.document is not None


def test_the_title_s_question_as_a_topic_offers_to_answer_it(
    services: Services, anna: Reader
) -> None:
    shown = say(services, anna, Press("topic:the-question"))
    assert "answer" in datas(shown)


def test_a_published_answer_is_never_overwritten_by_text_typed_while_a_new_one_waits(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", "Separati, e lo resto.")
    say(services, anna, Press("replace"))
    say(services, anna, Press("stance:integrate"))
    say(services, anna, Command("story", "2"))
    say(services, anna, Press("read"))
    which = say(services, anna, Text("chi è il CDO"))  # no "?": a question, or the comment?
    assert held(services, anna).comment == "Separati, e lo resto."
    assert "as_question" in datas(which)
    asked = text(say(services, anna, Press("as_question")))
    assert "Il CDO" in asked and PAUSED in asked
    assert held(services, anna).comment == "Separati, e lo resto."
    say(services, anna, Text("Integrati, ci ho ripensato."))
    assert "Integrati, ci ho ripensato." in text(say(services, anna, Press("cancel")))  # back


def test_a_second_text_while_the_answer_waits_gives_the_first_one_back(
    services: Services, anna: Reader
) -> None:
    half_way(services, anna)
    say(services, anna, Command("help"))
    say(services, anna, Text("Prima stesura del commento."))
    second = text(say(services, anna, Text("Seconda stesura, migliore.")))
    assert "Prima stesura del commento." in second  # never lost
    say(services, anna, Press("use_text"))
    say(services, anna, Press("show:name"))
    assert held(services, anna).comment == "Seconda stesura, migliore."
