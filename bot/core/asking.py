"""Readers' questions about the essay: the essay's answer to the aspect asked, an honest "the
essay doesn't cover that" with the nearest topic, a few choices when unsure, answers about the
essay and the bot, and a conversation that goes on from the last topic."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.catalog import Content, Topic
from bot.content.guide import HELP
from bot.content.markup import link
from bot.core.events import Outcome, Reply
from bot.core.registry import action, command
from bot.core.topic_views import (
    aspect_text,
    buttons,
    card,
    helping,
    menu,
    overview,
    premise,
    sequence,
    silent,
    term,
    topic_button,
    yesno,
)
from bot.core.turn import Turn
from bot.core.understanding.decide import Decision, Understanding
from bot.core.understanding.matcher import Match
from bot.core.understanding.sentences import excerpt
from bot.core.views import tally
from bot.model.clock import Clock, stamp_before
from bot.model.limits import QUESTION_RATE, RATE_MINUTES
from bot.storage.store import Store

#: The sentence the author left unfinished, as the essay has it.
UNFINISHED = "che difficilmente."


@dataclass(frozen=True)
class Lookup:
    """What the bot replies to a question, with the decision behind it."""

    lang: str
    match: Match
    decision: Decision
    outcome: Outcome


class Asking:
    """Answers questions and shows topics."""

    def __init__(
        self, content: Content, store: Store, understanding: Understanding, clock: Clock
    ) -> None:
        self.content = content
        self.clock = clock
        self.readers = store.readers
        self.questions = store.questions
        self.answers = store.answers
        self.matcher = understanding.matcher
        self.understanding = understanding

    def preview(
        self,
        turn: Turn,
        question: str,
        last: str | None = None,
        shown: tuple[str, ...] = (),
        part: int = 0,
    ) -> Lookup:
        """What the bot replies to ``question``, without recording anything."""
        decision = self.understanding.decide(question, last, shown, part)
        match = self.understanding.match(excerpt(question))
        return Lookup(turn.lang, match, decision, self.reply(turn, decision, shown))

    def ask(self, turn: Turn, question: str) -> Outcome:
        """Answer a free-text question, go on with the conversation, record it for the author."""
        user = turn.reader.user_id
        since = stamp_before(self.clock(), RATE_MINUTES)
        if self.questions.asked_since(user, since) >= QUESTION_RATE:
            return turn.reply("questions_too_fast", minutes=RATE_MINUTES)
        last, shown = self.readers.conversation(user)
        lookup = self.preview(turn, question, last, shown, self._part_read(user))
        decision = lookup.decision
        self._remember(user, decision, last, shown)
        topic = decision.topic if decision.kind == "answer" else None
        self.questions.record(user, question, turn.lang, topic, decision.score, decision.kind)
        return lookup.outcome

    def _part_read(self, user: int) -> int:
        """The number of the part the reader last opened (0: none yet)."""
        record = self.readers.get(user)
        part = self.content.essay.part_by_id(record.part_id or "") if record else None
        return part.number if part else 0

    def _remember(
        self, user: int, decision: Decision, last: str | None, shown: tuple[str, ...]
    ) -> None:
        if decision.kind in ("none", "about", "choices") and last is not None:
            self.readers.set_conversation(user, None, ())  # a new subject: no stale follow-ups
        if decision.kind not in ("answer", "related", "sequence") or decision.topic is None:
            return
        seen = shown if decision.topic == last else ()
        # an expression's meaning, a premise corrected, the story's order: the topic, not its card
        whole = not (decision.term or decision.premise or decision.about)
        whole = whole and decision.kind != "sequence" and not decision.repeated
        whole = whole and decision.sentence is None  # a yes/no shows a sentence, not the card
        part = decision.aspect or ("card" if whole else None)
        self.readers.set_conversation(
            user, decision.topic, tuple(dict.fromkeys((*seen, *([part] if part else []))))
        )

    def reply(self, turn: Turn, decision: Decision, shown: tuple[str, ...] = ()) -> Outcome:
        """What to answer for ``decision`` (records nothing)."""
        match decision.kind:
            case "smalltalk":
                return turn.reply(f"smalltalk_{decision.smalltalk}", name=turn.name)
            case "about":
                return self.about(turn, str(decision.about))
            case "help":
                feature = str(decision.about)
                return Outcome((helping(turn, self.content, feature, HELP[feature]),))
            case "sequence":
                return Outcome((sequence(turn, self.content, decision.order, decision.part),))
            case "unclear":
                return turn.reply("question_unclear")
            case "none":
                return Outcome((menu(turn, self.content, "not_in_essay"),))
            case "choices":
                rows = [(topic_button(turn, self._topic(t)),) for t in decision.choices]
                rows.append((turn.button("button_none_of_these", "nomatch"),))
                return Outcome((Reply(turn.say("did_you_mean"), tuple(rows)),))
        if decision.about is not None:  # a question about the essay that names a topic
            return self.about(turn, decision.about)
        if decision.term is not None:
            return Outcome((term(turn, self.content, decision.term),))
        if decision.premise is not None:
            return Outcome((premise(turn, self.content, decision.premise),))
        topic = self._topic(str(decision.topic))
        if decision.kind == "related":
            text = topic.texts[turn.lang]
            body = turn.say(
                "not_covered",
                name=text.name,
                answer=text.answer,
                quote=turn.quote(topic.quote, topic.translations),
                part=topic.part,
            )
            return Outcome((Reply(body, buttons(turn, self.content, topic, ("card",))),))
        return self.answer(turn, topic, decision, shown)

    def answer(
        self, turn: Turn, topic: Topic, decision: Decision, shown: tuple[str, ...]
    ) -> Outcome:
        """The essay's answer on ``topic``: the aspect asked, a yes/no, or the card."""
        yesno_only = decision.sentence is not None and decision.aspect is None
        now_shown = (*shown, decision.aspect or ("yesno" if yesno_only else "card"))
        part = topic.aspects[decision.aspect].part if decision.aspect else topic.part
        if decision.repeated and decision.aspect is None:
            body = turn.say("already_told", name=topic.texts[turn.lang].name)
        elif decision.aspect is not None:
            body = aspect_text(turn, topic, decision.aspect)
        elif decision.sentence is not None:
            part = decision.sentence_part
            body = yesno(turn, topic, decision.sentence, decision.sentence_translations, part)
        elif decision.asked is not None and decision.asked != "what":
            body = silent(turn, topic, decision.asked)
        else:
            body = card(turn, topic)
        return Outcome((Reply(body, buttons(turn, self.content, topic, now_shown, part)),))

    def about(self, turn: Turn, kind: str) -> Outcome:
        """A question about the essay itself or about the bot."""
        essay = self.content.essay
        source = link(essay.source_url, essay.source_name)
        if kind in self.content.guide.overview:
            return Outcome((overview(turn, self.content, kind),))
        if kind == "opinion":
            text = turn.say("about_opinion", tally=tally(turn, self.answers.tally()))
            return Outcome((Reply(text, ((turn.button("button_answer", "answer"),),)),))
        if kind == "unfinished":
            part = next(p for p in essay.parts if UNFINISHED in p.text)
            sentence = next(s for s in self.understanding.sentences.all if UNFINISHED in s[1])
            quote = turn.quote(sentence[1], sentence[2])
            return turn.reply("about_unfinished", quote=quote, part=part.number)
        words = sum(len(p.text.split()) for p in essay.parts)
        return turn.reply(
            f"about_{kind}",
            source=source,
            title=essay.title_in(turn.lang),
            parts=essay.total,
            words=words,
        )

    def _topic(self, topic_id: str) -> Topic:
        topic = self.content.topic(topic_id)
        assert topic is not None, topic_id
        return topic

    @action("topic", "topic_id")
    def show(self, turn: Turn, topic_id: str) -> Outcome:
        """A topic's card, a button to read that part, aspects and related topics."""
        topic = self.content.topic(topic_id)
        if topic is None:
            return turn.notice("notice_expired")
        self.readers.set_conversation(turn.reader.user_id, topic.id, ("card",))
        return Outcome((Reply(card(turn, topic), buttons(turn, self.content, topic, ("card",))),))

    @action("aspect", "topic_id", "aspect")
    def show_aspect(self, turn: Turn, topic_id: str, aspect: str) -> Outcome:
        """An aspect button under a topic ("Why?", "And then?")."""
        topic = self.content.topic(topic_id)
        if topic is None or aspect not in topic.aspects:
            return turn.notice("notice_expired")
        last, shown = self.readers.conversation(turn.reader.user_id)
        seen = (*(shown if last == topic.id else ("card",)), aspect)
        self.readers.set_conversation(turn.reader.user_id, topic.id, tuple(dict.fromkeys(seen)))
        body = aspect_text(turn, topic, aspect)
        part = topic.aspects[aspect].part
        return Outcome((Reply(body, buttons(turn, self.content, topic, seen, part)),))

    @command("topics", menu=2)
    def command(self, turn: Turn, argument: str) -> Outcome:
        """/topics: every topic as a button."""
        return Outcome((menu(turn, self.content, "topics_menu"),))

    @action("topics")
    def menu_button(self, turn: Turn) -> Outcome:
        """The "topics" button of the welcome."""
        return Outcome((menu(turn, self.content, "topics_menu"),))

    @action("nomatch")
    def none_of_these(self, turn: Turn) -> Outcome:
        """ "None of these" under did-you-mean choices: the whole menu."""
        return Outcome((menu(turn, self.content, "topics_menu"),))
