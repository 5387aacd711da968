"""The templates fit their words: every phrase that names a topic reads right with every
topic's name, in every language (no "Su «Il CIO»", no "è Il CDO", no "separati?:")."""

from __future__ import annotations

import re

from bot.content.catalog import Content
from bot.content.markup import to_plain
from bot.content.phrases import PHRASES

#: The phrases that take a topic's name as {name} (others take a reader's).
TOPIC_NAMED = (
    "already_told",
    "topic_aspect",
    "topic_answer",
    "order_last",
    "order_line",
    "notice_taught",
    "notice_taught_aspect",
    "button_teach",
    "button_topic",
)

#: What a template must never produce with a topic's name (Italian and English).
AWKWARD = re.compile(r"\b(?:Su|su|Sul|è|di|is|on|On) «?“?(?:Il|La|Lo|L'|I|Le|Gli|The) ")


def test_no_template_puts_a_preposition_or_a_verb_before_a_topic_name_with_its_article(
    content: Content,
) -> None:
    naming = [key for key in TOPIC_NAMED if "name" in PHRASES[key]]
    assert naming == list(TOPIC_NAMED)  # each still takes the topic's name
    checked = 0
    for key in naming:
        for lang in content.languages:
            for topic in content.topics:
                name = topic.texts[lang].name
                params = dict.fromkeys(PHRASES[key], "x") | {"name": name}
                said = to_plain(content.say(key, lang, **params))
                assert not AWKWARD.search(said), (key, lang, said)
                assert "?:" not in said and "?»:" not in said, (key, lang, said)
                checked += 1
    assert checked > 100
