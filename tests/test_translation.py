"""The English edition reads as English and stays the essay: each paragraph keeps the original's
sentences, nothing is added inside the text (the unfinished sentence is explained under its part),
every word the bot puts in quotation marks is the essay's, and the title's question is worded one
way per language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import say, text
from test_content import problems_of

from bot.bootstrap import Services, load
from bot.config import Config
from bot.content.catalog import Content
from bot.core.events import Command, Reader
from bot.model.text import sentences

ANNA = Reader(1001, "Anna", "it")
BOB = Reader(2002, "Bob", "en")


def test_every_paragraph_of_the_translation_ends_its_sentences_where_the_original_does(
    content: Content,
) -> None:
    for part in content.essay.parts:
        for original, english in zip(part.paragraphs, part.paragraphs_in("en"), strict=True):
            assert len(sentences(original)) == len(sentences(english)), part.id


def test_the_translation_adds_nothing_inside_the_essays_text(content: Content) -> None:
    english = " ".join(p.text_in("en") for p in content.essay.parts)
    assert "[" not in english and "sic" not in english.split()
    six = content.essay.part(6)
    assert six is not None
    assert "a hybridisation of skills that hardly. IT people" in six.text_in("en")


@pytest.mark.parametrize(
    ("literal", "idiom"),
    [
        ("climbed back up the slope", "clawed its way back"),
        ("devilries", "newfangled contraptions"),
        ("glaring at each other like dogs", "looking daggers at each other"),
        ("lay under", "laboured under"),
        ("It happened that the ones", "Now and then one side"),
    ],
)
def test_the_translation_renders_idioms_by_their_english_equivalents(
    content: Content, literal: str, idiom: str
) -> None:
    english = " ".join(" ".join(p.text_in("en").split()) for p in content.essay.parts)
    assert literal not in english and idiom in english


def test_a_translation_that_cuts_a_sentence_in_two_is_reported(content_copy: Path) -> None:
    path = content_copy / "essay.yaml"
    source = path.read_text()
    path.write_text(source.replace("Their\n        dealings", "Their;\n        dealings"))
    assert problems_of(content_copy) == [
        "content/essay.yaml: part p1 (en): 4 sentences where the original has 3: "
        "end them where the original does (. ; : ! ?)"
    ]


def test_words_in_quotation_marks_that_the_essay_does_not_say_are_reported(
    content_copy: Path,
) -> None:
    path = content_copy / "topics.yaml"
    source = path.read_text()
    assert "“high voltage, touch the wires and you die”" in source
    path.write_text(source.replace("touch the wires and you die”", "touch the wires and die”"))
    assert problems_of(content_copy) == [
        "content/topics.yaml: topic separate-worlds (en): 'high voltage, touch the wires and die' "
        "is not in the essay"
    ]


def test_a_quote_of_the_original_inside_an_english_text_is_accepted(content_copy: Path) -> None:
    path = content_copy / "topics.yaml"
    source = path.read_text()
    english = "“high voltage, touch the wires and you die”"
    assert english in source
    path.write_text(source.replace(english, "“alta tensione, chi tocca i fili muore”", 1))
    answer = load(Config(), content_copy).topics[0].texts["en"].answer
    assert answer.endswith("its territory was “alta tensione, chi tocca i fili muore”.")


def test_a_part_note_must_be_given_in_every_language(content_copy: Path) -> None:
    path = content_copy / "essay.yaml"
    source = path.read_text()
    english_note = re.search(r"\n      en: \"The sentence ending[^\n]*", source)
    assert english_note is not None
    path.write_text(source.replace(english_note.group(0), ""))
    assert problems_of(content_copy) == ["content/essay.yaml: part p6.note: missing the 'en' text"]


def test_part_six_says_under_the_text_that_its_sentence_breaks_off_in_the_original(
    services: Services,
) -> None:
    english = text(say(services, BOB, Command("story", "6")))
    body, _, after = english.partition("that hardly.")
    assert "breaks off" not in body
    assert "breaks off like this in the original post too" in after
    italian = text(say(services, ANNA, Command("story", "6")))
    assert "si interrompe così" in italian.partition("che difficilmente. Le figure")[2]
    assert "6/7" in english and "6/7" in italian


def test_part_five_has_no_note(services: Services) -> None:
    five = text(say(services, BOB, Command("story", "5")))
    assert "breaks off" not in five and "original post" not in five


def test_the_titles_question_is_worded_one_way_per_language(content: Content) -> None:
    assert content.essay.title_in("en") == (
        "Marketing and IT: does it still make sense for them to be separate?"
    )
    said = {
        lang: " ".join(
            " ".join(str(content.phrases[key][lang]).split()) for key in content.phrases
        )
        for lang in content.languages
    }
    for other in ("keep them separate?", "stay separate?", "should Marketing and IT"):
        assert other not in said["en"], other
    for other in ("devono restare separati", "debbano restare separati"):
        assert other not in said["it"], other
    assert "does it still make sense for Marketing and IT to be separate?" in said["en"]
    assert "ha ancora senso che Marketing e IT siano separati?" in said["it"]
