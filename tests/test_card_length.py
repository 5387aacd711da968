"""Every topic reply fits a phone's screen: its card, each aspect, the honest "the essay doesn't
say that" before a card, and a yes/no's sentence, in both languages, stay within about 600
characters of visible text (the Italian original under an English quote is one tap away, in a
spoiler, and not counted); and no reply says the same sentence twice."""

from __future__ import annotations

import re

from bot.content.catalog import ASPECTS, Content
from bot.content.markup import Markup, to_plain
from bot.core import topic_views
from bot.core.events import Reader
from bot.core.turn import Turn
from bot.core.understanding.sentences import essay_sentences
from bot.model.text import sentences

#: Visible characters a topic reply may take: about a phone screen.
SCREEN = 600
_SPOILER = re.compile(r"<tg-spoiler>.*?</tg-spoiler>", re.DOTALL)


def visible(markup: Markup) -> str:
    """What a reader sees before tapping anything: the text without its spoilers."""
    return to_plain(_SPOILER.sub("", str(markup)))


def every_topic_reply(content: Content) -> list[tuple[str, str, str, str]]:
    """(language, topic, what, visible text) for each reply a topic can give."""
    replies = []
    for lang in content.languages:
        turn = Turn(Reader(1), lang, content)
        for topic in content.topics:
            shown = {"card": topic_views.card(turn, topic)}
            for aspect in ASPECTS:
                if aspect in topic.aspects:
                    shown[aspect] = topic_views.aspect_text(turn, topic, aspect)
                else:
                    shown[f"silent {aspect}"] = topic_views.silent(turn, topic, aspect)
            parts = {topic.part, *(a.part for a in topic.aspects.values())}
            for number, sentence, twins in essay_sentences(content):
                if number not in parts:
                    continue
                said = topic_views.yesno(turn, topic, sentence, twins, number)
                shown[f"yes/no {number} {sentence[:20]}"] = said
            replies += [(lang, topic.id, what, visible(said)) for what, said in shown.items()]
    return replies


def test_every_topic_reply_fits_a_phone_screen(content: Content) -> None:
    replies = every_topic_reply(content)
    assert len(replies) > 200
    too_long = [(lang, topic, what, len(said)) for lang, topic, what, said in replies]
    assert [r for r in too_long if r[3] > SCREEN] == []


def test_no_topic_reply_says_a_sentence_twice(content: Content) -> None:
    for lang, topic, what, said in every_topic_reply(content):
        lines = [" ".join(s.split()).strip("«»“”\"' ") for s in sentences(said)]
        long_ones = [s for s in lines if len(s) > 40]
        assert len(long_ones) == len(set(long_ones)), (lang, topic, what, said)


def test_no_card_text_repeats_the_essays_sentence_it_shows(content: Content) -> None:
    for topic in content.topics:
        for lang in content.languages:
            quote = " ".join(topic.quote_in(lang).split())
            answer = " ".join(topic.texts[lang].answer.split())
            assert quote not in answer, (topic.id, lang)
            for name, aspect in topic.aspects.items():
                shown = " ".join(aspect.quote_in(lang).split())
                said = " ".join(aspect.texts[lang].split())
                assert shown not in said, (topic.id, name, lang)
