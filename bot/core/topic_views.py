"""How topics look: the card (the essay's answer and its sentence), one aspect, a yes/no, an
honest "not covered", and the buttons that go on from there."""

from __future__ import annotations

from collections.abc import Mapping

from bot.content.catalog import ASPECTS, Content, Topic
from bot.content.markup import Markup
from bot.core.events import Button, Keyboard, Reply
from bot.core.turn import Turn

MAX_RELATED = 2
MAX_ASPECT_BUTTONS = 2
BUTTONS_PER_ROW = 2


def topic_button(turn: Turn, topic: Topic) -> Button:
    return turn.button("button_topic", "topic", topic.id, name=topic.texts[turn.lang].name)


def card(turn: Turn, topic: Topic) -> Markup:
    """The topic's answer with the essay's sentence it rests on."""
    text = topic.texts[turn.lang]
    quote = turn.quote(topic.quote, topic.translations)
    return turn.say(
        "topic_answer", name=text.name, answer=text.answer, quote=quote, part=topic.part
    )


def aspect_text(turn: Turn, topic: Topic, aspect: str) -> Markup:
    """One aspect of the topic, with the essay's words it rests on."""
    found = topic.aspects[aspect]
    return turn.say(
        "topic_aspect",
        name=topic.texts[turn.lang].name,
        label=turn.say(f"aspect_{aspect}"),
        text=found.texts[turn.lang],
        quote=turn.quote(found.quote, found.translations),
        part=found.part,
    )


def silent(turn: Turn, topic: Topic, asked: str) -> Markup:
    """The essay does not say what was asked: say so, then give what it does say."""
    name = topic.texts[turn.lang].name
    intro = turn.say("aspect_silent", asked=turn.say(f"aspect_{asked}"), name=name)
    return Markup(f"{intro}\n\n{card(turn, topic)}")


def yesno(
    turn: Turn, topic: Topic, sentence: str, translations: Mapping[str, str], part: int
) -> Markup:
    """A yes/no question: the essay's closest sentence for the reader to judge, and the topic."""
    text = topic.texts[turn.lang]
    return turn.say(
        "topic_yesno_open",
        sentence=turn.quote(sentence, translations),
        part=part,
        name=text.name,
        answer=text.answer,
    )


def buttons(
    turn: Turn, content: Content, topic: Topic, shown: tuple[str, ...], part: int | None = None
) -> Keyboard:
    """Read the part; up to two aspects not yet shown; up to two related topics."""
    rows: list[tuple[Button, ...]] = []
    number = part or topic.part
    found = content.essay.part(number)
    if found is not None:
        rows.append((turn.button("button_read_part", "open", found.id, part=number),))
    more = [a for a in ASPECTS if a in topic.aspects and a not in shown][:MAX_ASPECT_BUTTONS]
    if more:
        rows.append(tuple(turn.button(f"button_aspect_{a}", "aspect", topic.id, a) for a in more))
    related = [content.topic(other) for other in topic.related[:MAX_RELATED]]
    if any(related):
        rows.append(tuple(topic_button(turn, t) for t in related if t is not None))
    return tuple(rows)


def menu(turn: Turn, content: Content, key: str) -> Reply:
    """Phrase ``key`` with every topic as a button: the eras in order, then the roles."""
    order = ("era", "role", "question")
    ordered = sorted(content.topics, key=lambda t: order.index(t.kind))
    row_buttons = [topic_button(turn, topic) for topic in ordered]
    rows = tuple(
        tuple(row_buttons[i : i + BUTTONS_PER_ROW])
        for i in range(0, len(row_buttons), BUTTONS_PER_ROW)
    )
    return Reply(Markup(turn.say(key)), rows)
