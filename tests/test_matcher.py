"""The topic matcher: right on readers' questions, honest about the rest, never guessing wildly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from quality import SETS

from bot.content.catalog import Content
from bot.core.understanding.matcher import Match, Matcher

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def matcher(content: Content) -> Matcher:
    return Matcher(content.topics, content.matching)


def questions(name: str) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return loaded


def right(match: Match, expect: str | list[str] | None) -> bool:
    if expect is None:
        return match.topic is None and not match.choices
    accepted = [expect] if isinstance(expect, str) else expect
    return match.topic in accepted


def test_every_topic_id_in_the_question_sets_exists(content: Content) -> None:
    ids = {topic.id for topic in content.topics}
    for name in SETS:
        for case in questions(name):
            expect = case.get("expect", case.get("want"))
            for topic in [expect] if isinstance(expect, str) else expect or []:
                assert topic in ids, (name, case)


@pytest.mark.parametrize("text", ["ciao", "cioè", "cia", "iTunes", "CIAO", "Cioccolato", "itunes"])
def test_short_acronyms_never_match_words_that_merely_contain_them(
    matcher: Matcher, text: str
) -> None:
    match = matcher.match(text)
    assert match.topic not in {"cio", "it"}
    assert all(c.topic not in {"cio", "it"} for c in match.ranking)


def test_it_in_capitals_is_the_department_but_the_english_pronoun_is_not(
    matcher: Matcher,
) -> None:
    assert matcher.match("why was IT in a tower").topic == "separate-worlds"
    assert matcher.match("what is IT").topic == "it"
    assert matcher.match("cos'è l'it").topic == "it"
    assert matcher.match("what time is it").ranking == ()
    assert matcher.match("is it raining").ranking == ()


@pytest.mark.parametrize(
    ("typo", "topic"),
    [
        ("millenium bag", "millennium-bug"),
        ("chief digitl oficer", "cdo"),
        ("databse", "databases"),
        ("cenerentla", "internet"),
        ("markting automation", "social-media"),
    ],
)
def test_longer_words_tolerate_typos(matcher: Matcher, typo: str, topic: str) -> None:
    assert matcher.match(typo).topic == topic


def test_accents_case_apostrophes_and_punctuation_do_not_matter(matcher: Matcher) -> None:
    for text in ("CHI È IL CDO???", "chi e il cdo", "Chi è il C.D.O.", "dell'IT... torre!"):
        assert matcher.match(text).topic is not None, text


def test_two_close_topics_give_at_most_three_choices_instead_of_a_guess(
    matcher: Matcher,
) -> None:
    match = matcher.match("cio e cdo")
    assert match.topic is None
    assert {c.topic for c in match.choices} == {"cio", "cdo"}
    assert len(matcher.match("digitale e IT").choices) <= 3


def test_a_longer_alias_beats_a_single_shared_word(matcher: Matcher) -> None:
    assert matcher.match("il ritorno del marketing").topic == "marketing-comeback"
    assert matcher.match("automazione del marketing").topic == "social-media"
    assert matcher.match("marketing digitale").topic == "internet"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ciao", "hello"),
        ("Grazie!", "thanks"),
        ("hi", "hello"),
        ("thank you", "thanks"),
        ("buongiorno", "hello"),
        ("ciao ciao", "bye"),
        ("ok grazie", "thanks"),
        ("mille grazie", "thanks"),
        ("pomeriggio", "hello"),
        ("you", "hello"),
    ],
)
def test_greetings_and_thanks_are_small_talk_never_a_topic(
    matcher: Matcher, text: str, kind: str
) -> None:
    match = matcher.match(text)
    assert (match.smalltalk, match.topic, match.choices) == (kind, None, ())


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_decision_without_crashing(matcher: Matcher, text: str) -> None:
    match = matcher.match(text)
    assert 0 <= match.score <= 100
    assert len(match.choices) <= 3
    assert match.topic is None or not match.choices
