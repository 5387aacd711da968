"""Readers' questions about the essay: a topic's answer with the essay's own words, a few
choices when unsure, or an honest "the essay doesn't talk about that" with the topic menu."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.catalog import Content, Topic
from bot.content.markup import Markup
from bot.core.events import Button, Keyboard, Outcome, Reply
from bot.core.matcher import Candidate, Match, Matcher
from bot.core.registry import action, command
from bot.core.turn import Turn
from bot.model.text import fold
from bot.storage.store import Store

BUTTONS_PER_ROW = 2
MAX_RELATED = 2
MAX_ALTERNATIVES = 3


@dataclass(frozen=True)
class Lookup:
    """What the bot replies to a question, with the matcher's decision behind it."""

    lang: str
    match: Match
    outcome: Outcome

    @property
    def alternatives(self) -> tuple[Candidate, ...]:
        """The choices offered, or the runners-up of a confident answer."""
        if self.match.choices:
            return self.match.choices
        return tuple(c for c in self.match.ranking if c.topic != self.match.topic)[
            :MAX_ALTERNATIVES
        ]


class Asking:
    """Answers questions and shows topics."""

    def __init__(self, content: Content, store: Store, matcher: Matcher) -> None:
        self.content = content
        self.readers = store.readers
        self.matcher = matcher

    def preview(self, turn: Turn, question: str) -> Lookup:
        """What the bot replies to ``question``, without recording anything."""
        match = self.matcher.match(question)
        return Lookup(turn.lang, match, self.reply(turn, question, match))

    def ask(self, turn: Turn, question: str) -> Outcome:
        """Answer a free-text question, and record it for the author."""
        lookup = self.preview(turn, question)
        match, outcome = lookup.match, lookup.outcome
        kind = (
            "smalltalk"
            if match.smalltalk
            else "topic"
            if match.topic
            else "choices"
            if match.choices
            else "none"
        )
        self.readers.record_question(
            turn.reader.user_id, question, turn.lang, match.topic, match.score, kind
        )
        return outcome

    def reply(self, turn: Turn, question: str, match: Match) -> Outcome:
        """What to answer to ``question`` given the matcher's decision (records nothing)."""
        if match.smalltalk:
            return turn.reply(f"smalltalk_{match.smalltalk}", name=turn.name)
        if match.topic:
            return self.show(turn, match.topic)
        if match.choices:
            rows = [(self._topic_button(turn, choice.topic),) for choice in match.choices]
            rows.append((turn.button("button_none_of_these", "nomatch"),))
            return Outcome((Reply(turn.say("did_you_mean"), tuple(rows)),))
        if not fold(question):
            return turn.reply("question_unclear")
        return self.menu(turn, "not_in_essay")

    @action("topic", "topic_id")
    def show(self, turn: Turn, topic_id: str) -> Outcome:
        """A topic's answer, the essay's sentence, a button to read that part, related topics."""
        topic = self.content.topic(topic_id)
        if topic is None:
            return turn.notice("notice_expired")
        text = topic.texts[turn.lang]
        part = self.content.essay.part(topic.part)
        body = turn.say(
            "topic_answer", name=text.name, answer=text.answer, quote=topic.quote, part=topic.part
        )
        rows: list[tuple[Button, ...]] = []
        if part is not None:
            rows.append((turn.button("button_read_part", "open", part.id, part=topic.part),))
        related = [self._topic_button(turn, other) for other in topic.related[:MAX_RELATED]]
        if related:
            rows.append(tuple(related))
        return Outcome((Reply(body, tuple(rows)),))

    @command("topics", menu=2)
    def command(self, turn: Turn, argument: str) -> Outcome:
        """/topics: every topic as a button."""
        return self.menu(turn)

    @action("topics")
    def menu_button(self, turn: Turn) -> Outcome:
        """The "topics" button of the welcome."""
        return self.menu(turn)

    @action("nomatch")
    def none_of_these(self, turn: Turn) -> Outcome:
        """ "None of these" under did-you-mean choices: the whole menu."""
        return self.menu(turn)

    def menu(self, turn: Turn, key: str = "topics_menu") -> Outcome:
        """Phrase ``key`` with every topic as a button: the eras in order, then the roles."""
        ordered = sorted(
            self.content.topics, key=lambda t: ("era", "role", "question").index(t.kind)
        )
        buttons = [self._topic_button(turn, topic.id) for topic in ordered]
        rows: Keyboard = tuple(
            tuple(buttons[i : i + BUTTONS_PER_ROW])
            for i in range(0, len(buttons), BUTTONS_PER_ROW)
        )
        return Outcome((Reply(Markup(turn.say(key)), rows),))

    def _topic_button(self, turn: Turn, topic_id: str) -> Button:
        topic: Topic | None = self.content.topic(topic_id)
        name = topic.texts[turn.lang].name if topic else topic_id
        return turn.button("button_topic", "topic", topic_id, name=name)
