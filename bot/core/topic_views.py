"""How the essay's answers look: a topic's card (the essay's answer and its sentence), one aspect,
a yes/no, an honest "not covered"; an expression's meaning and how the essay uses it, a false
premise corrected with the essay's words, the story's order, the essay as a whole, how to use
the bot; and the buttons that go on from there."""

from __future__ import annotations

from collections.abc import Mapping

from bot.content.catalog import ASPECTS, Content, Passage, Topic
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
    intro = turn.say("aspect_silent", asked=turn.say(f"aspect_{asked}"))
    return Markup(f"{intro}\n\n{card(turn, topic)}")


def yesno(
    turn: Turn, topic: Topic, sentence: str, translations: Mapping[str, str], part: int
) -> Markup:
    """A yes/no question: the essay's closest sentence for the reader to judge, and the way to
    the topic's card (a button: the card would make the reply too long for a phone)."""
    return turn.say(
        "topic_yesno_open",
        sentence=turn.quote(sentence, translations),
        part=part,
        name=topic.texts[turn.lang].name,
    )


def buttons(
    turn: Turn, content: Content, topic: Topic, shown: tuple[str, ...], part: int | None = None
) -> Keyboard:
    """Read the part; up to two aspects not yet shown; after a yes/no, the topic's card; up to
    two related topics; for the title's question, answer it."""
    rows: list[tuple[Button, ...]] = []
    number = part or topic.part
    found = content.essay.part(number)
    if found is not None:
        rows.append((turn.button("button_read_part", "open", found.id, part=number),))
    more = [a for a in ASPECTS if a in topic.aspects and a not in shown][:MAX_ASPECT_BUTTONS]
    if more:
        rows.append(tuple(turn.button(f"button_aspect_{a}", "aspect", topic.id, a) for a in more))
    if "yesno" in shown and "card" not in shown:  # the yes/no reply points to the card
        rows.append((topic_button(turn, topic),))
    related = [content.topic(other) for other in topic.related[:MAX_RELATED]]
    if any(related):
        rows.append(tuple(topic_button(turn, t) for t in related if t is not None))
    if topic.kind == "question":  # the title's question: the reader can answer it from here
        rows.append((turn.button("button_answer", "answer"),))
    rows.append((turn.share("button_share_topic", topic.texts[turn.lang].name),))
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


def quoted(turn: Turn, passage: Passage) -> Markup:
    return turn.quote(passage.quote, passage.translations)


def term(turn: Turn, content: Content, term_id: str) -> Reply:
    """An expression's meaning, labelled as such, then how and where the essay uses it."""
    found = content.guide.terms[term_id]
    text = found.texts[turn.lang]
    topic = _topic(content, found.topic)
    body = turn.say(
        "glossary_term",
        term=text["term"],
        meaning=text["meaning"],
        use=text["use"],
        quote=quoted(turn, found.passage),
        part=found.passage.part,
    )
    return Reply(body, buttons(turn, content, topic, (), found.passage.part))


def premise(turn: Turn, content: Content, premise_id: str) -> Reply:
    """A false premise, corrected with the essay's words."""
    found = content.guide.premises[premise_id]
    body = turn.say(
        "premise_corrected",
        text=found.texts[turn.lang],
        quote=quoted(turn, found.passage),
        part=found.passage.part,
    )
    return Reply(
        body, buttons(turn, content, _topic(content, found.topic), (), found.passage.part)
    )


def sequence(turn: Turn, content: Content, eras: tuple[str, ...], part: int) -> Reply:
    """The story's order: two eras, what follows a part, or the whole order."""
    essay = content.essay
    if part:
        following = essay.part(part + 1)
        if following is None:
            return Reply(turn.say("order_part_last", number=part))
        names = ", ".join(t.texts[turn.lang].name for t in in_part(content, part + 1))
        body = turn.say("order_part", number=part, next=part + 1, names=names)
        return Reply(
            body, ((turn.button("button_read_part", "open", following.id, part=part + 1),),)
        )
    topics = [_topic(content, era) for era in eras]
    if len(topics) == 2:
        first, second = topics
        body = turn.say(
            "order_pair",
            first=first.texts[turn.lang].name,
            second=second.texts[turn.lang].name,
            first_part=first.part,
            second_part=second.part,
        )
        return Reply(body, (tuple(topic_button(turn, t) for t in topics),))
    if len(topics) == 1:
        only = topics[0]
        body = turn.say("order_last", name=only.texts[turn.lang].name, part=only.part)
        return Reply(body, ((topic_button(turn, only),),))
    lines = "\n".join(
        turn.say("order_line", n=n, name=t.texts[turn.lang].name, part=t.part)
        for n, t in enumerate(topics, start=1)
    )
    return Reply(
        turn.say("order_all", eras=Markup(lines)), ((turn.button("button_read", "read"),),)
    )


def in_part(content: Content, number: int) -> list[Topic]:
    """The topics that rest on part ``number``, by their sentence or an aspect's."""
    return [
        t
        for t in content.topics
        if t.part == number or any(a.part == number for a in t.aspects.values())
    ]


def overview(turn: Turn, content: Content, kind: str) -> Reply:
    """What the essay does as a whole: its summary, thesis, tone or structure."""
    text = content.guide.overview[kind][turn.lang]
    rows = ((turn.button("button_read", "read"), turn.button("button_topics", "topics")),)
    return Reply(turn.say("about_overview", text=text), rows)


def helping(turn: Turn, content: Content, feature: str, command: str) -> Reply:
    """How to use the bot for ``feature`` (done by ``command``), with the button that does it."""
    text = content.guide.help[feature][turn.lang]
    return Reply(turn.say("help_feature", text=text), help_buttons(turn, feature, command))


def help_buttons(turn: Turn, feature: str, command: str) -> Keyboard:
    """The button that does what a help answer explains, where there is one."""
    if feature == "results":
        return ((turn.button("button_tally", "tally", "all", "new"),),)
    match command:
        case "answers":
            return ((turn.button("button_more_answers", "answers", "0"),),)
        case "answer":
            return ((turn.button("button_answer", "answer"),),)
        case "story":
            return ((turn.button("button_read", "read"),),)
        case "topics":
            return ((turn.button("button_topics", "topics"),),)
        case "cancel":
            return ((turn.button("button_cancel", "cancel"),),)
        case "lang":
            italian = turn.button("button_lang_it", "lang", "it")
            return ((italian, turn.button("button_lang_en", "lang", "en")),)
        case "notify":
            on = turn.button("button_notify_on", "notify", "on")
            return ((on, turn.button("button_notify_off", "notify", "off")),)
    return ()


def _topic(content: Content, topic_id: str) -> Topic:
    topic = content.topic(topic_id)
    assert topic is not None, topic_id
    return topic
