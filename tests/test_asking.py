"""Questions in the dialogue: answers from the essay, honest misses, choices, links and records."""

from __future__ import annotations

from helpers import pairs as buttons
from helpers import say

from bot.bootstrap import Services
from bot.content.markup import MAX_TEXT, markup_problems, to_plain, visible_length
from bot.core.events import Command, Press, Reader, Text
from bot.core.registry import MAX_DATA_BYTES
from bot.core.understanding.classifier import Ranked
from bot.core.understanding.decide import Decision


def test_a_question_gets_the_topic_answer_the_essay_sentence_and_a_read_button(
    services: Services, anna: Reader
) -> None:
    outcome = say(services, anna, Text("Cos'era il Millennium Bug?"))
    text = outcome.replies[0].text
    assert "<b>Il Millennium Bug</b>" in text
    assert "<blockquote>Ci furono anni di stradominio dell’IT" in text
    assert "parte 4" in to_plain(text)
    shown = buttons(outcome)
    assert shown[0] == ("📖 Leggi la parte 4", "open:p4")
    assert shown[-1] == ("📤 Condividi", "")  # a share button: no callback data
    assert shown[-3:-1] == [
        ("Internet e il marketing digitale", "topic:internet"),
        ("La risalita del Marketing", "topic:marketing-comeback"),
    ]
    aspects = [data for _, data in shown[1:-3]]
    assert 1 <= len(aspects) <= 2
    assert all(data.startswith("aspect:millennium-bug:") for data in aspects)
    assert markup_problems(text) == []


def test_read_this_part_opens_the_story_at_that_part_in_a_new_message(
    services: Services, anna: Reader
) -> None:
    outcome = say(services, anna, Press("open:p4"))
    assert "4/7" in to_plain(outcome.replies[0].text)
    assert not outcome.replies[0].edit
    assert "4/7" in to_plain(say(services, anna, Command("story")).replies[0].text)


def test_an_english_reader_gets_the_english_answer_with_the_italian_quote(
    services: Services,
) -> None:
    outcome = say(services, Reader(5, "Bob", "en"), Text("who is the CIO?"))
    text = to_plain(outcome.replies[0].text)
    assert text.startswith("The CIO\nThe CIO, the Chief Information Officer, appears only")
    assert "il Chief Information Officer diventa Chief Digital Officer" in text


def test_a_greeting_gets_a_friendly_reply_and_no_topic(services: Services, anna: Reader) -> None:
    outcome = say(services, anna, Text("ciao"))
    assert to_plain(outcome.replies[0].text).startswith("Ciao Anna!")
    assert buttons(outcome) == []


def test_a_question_the_essay_does_not_cover_is_told_so_with_the_topic_menu(
    services: Services, anna: Reader
) -> None:
    outcome = say(services, anna, Text("ricetta della carbonara"))
    assert "Il saggio non parla di questo" in to_plain(outcome.replies[0].text)
    datas = [data for _, data in buttons(outcome)]
    assert len(datas) == len(services.content.topics)
    assert datas[:7] == [
        "topic:separate-worlds",
        "topic:databases",
        "topic:internet",
        "topic:millennium-bug",
        "topic:marketing-comeback",
        "topic:social-media",
        "topic:digital-era",
    ]


def test_a_did_you_mean_offers_at_least_two_choices_best_first_and_none_of_these(
    services: Services, anna: Reader
) -> None:
    understanding = services.dialogue.asking.understanding
    unsure = [Ranked("cdo", 0.3), Ranked("out", 0.25), Ranked("cio", 0.2), Ranked("it", 0.1)]
    assert understanding._unsure("cdo o cio", unsure).choices == ("cdo", "cio")
    lone = [Ranked("cdo", 0.3), Ranked("out", 0.29), Ranked("cio", 0.01)]
    decided = understanding._unsure("chief digital", lone)
    assert decided.kind == "choices" and decided.choices[0] == "cdo"
    assert len(decided.choices) >= 2  # with the nearest topic the question names
    turn = services.dialogue.turn(anna)
    outcome = services.dialogue.asking.reply(turn, Decision("choices", choices=("cdo", "cio")))
    assert "Intendevi" in outcome.replies[0].text
    assert buttons(outcome) == [
        ("Il CDO", "topic:cdo"),
        ("Il CIO", "topic:cio"),
        ("Nessuno di questi", "nomatch"),
    ]
    assert "Gli argomenti del saggio" in say(services, anna, Press("nomatch")).replies[0].text
    assert "<b>Il CDO</b>" in say(services, anna, Press("topic:cdo")).replies[0].text


def test_two_roles_in_one_question_get_the_relation_the_essay_describes(
    services: Services, anna: Reader
) -> None:
    for question in ("cio e cdo", "il cio diventa cdo?"):
        text = to_plain(say(services, anna, Text(question)).replies[0].text)
        assert "il Chief Information Officer diventa Chief Digital Officer" in text


def test_topics_lists_the_eras_in_order_then_the_roles(services: Services, anna: Reader) -> None:
    outcome = say(services, anna, Command("topics"))
    datas = [data for _, data in buttons(outcome)]
    assert datas[7:] == [
        "topic:marketing",
        "topic:it",
        "topic:executives",
        "topic:cio",
        "topic:cdo",
        "topic:hybrid-roles",
        "topic:the-question",
    ]
    assert all(len(row) <= 2 for row in outcome.replies[0].buttons)


def test_deep_links_open_a_topic_or_a_part_and_unknown_ones_welcome(
    services: Services, anna: Reader
) -> None:
    assert "<b>Il CDO</b>" in say(services, anna, Command("start", "topic-cdo")).replies[0].text
    assert "3/7" in to_plain(say(services, anna, Command("start", "part-3")).replies[0].text)
    for payload in ("topic-nope", "part-99", "part-x", "<b>", "x" * 64):
        assert "Ciao Anna!" in say(services, anna, Command("start", payload)).replies[0].text


def test_every_question_is_recorded_with_its_topic_and_score(
    services: Services, anna: Reader
) -> None:
    for text in ("chi è il CDO?", "ricetta della carbonara", "cio e cdo", "grazie"):
        say(services, anna, Text(text))
    rows = services.store.db.execute(
        "SELECT text, topic, score, outcome FROM questions ORDER BY id"
    ).fetchall()
    assert rows[2][1] in ("cio", "cdo")
    assert [tuple(r) for r in rows] == [
        ("chi è il CDO?", "cdo", 100, "answer"),
        ("ricetta della carbonara", None, 0, "none"),
        ("cio e cdo", rows[2][1], 80, "answer"),
        ("grazie", None, 0, "smalltalk"),
    ]


def test_a_message_of_only_emoji_or_punctuation_gets_a_hint(
    services: Services, anna: Reader
) -> None:
    for text in ("🙂", "???", "..."):
        assert "Scrivimi una domanda" in say(services, anna, Text(text)).replies[0].text


def test_a_huge_question_is_answered_within_telegram_limits(
    services: Services, anna: Reader
) -> None:
    question = "millennium bug " * 300  # 4,500 characters: more than Telegram lets a bot send
    outcome = say(services, anna, Text(question))
    assert "<b>Il Millennium Bug</b>" in outcome.replies[0].text
    for reply in outcome.replies:
        assert 1 <= visible_length(reply.text) <= MAX_TEXT
        assert not markup_problems(reply.text)
        assert all(
            len((b.data or "").encode()) <= MAX_DATA_BYTES for row in reply.buttons for b in row
        )
    stored = services.store.db.execute("SELECT length(text) FROM questions").fetchone()[0]
    assert stored == len(question)
