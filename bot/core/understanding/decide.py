"""Deciding what a reader's question is: the intent learned from the question bank (a topic, a
term of the glossary, a false premise, the story's order, the essay as a whole, how to use the
bot, small talk, a follow-up, or something the essay does not answer), the aspect asked, and
how it follows from the conversation so far. Fuzzy matching names the topics a question spells
out (typos, acronyms), for relations, the story's order and the nearest topic. Pure: rendering
and recording are the asking feature's."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bot.content.catalog import ASPECTS, Content, Topic
from bot.core.understanding.classifier import NO_ASPECT, Classifier, Ranked
from bot.core.understanding.intent import Reader, folded
from bot.core.understanding.matcher import PLAUSIBLE, Match, Matcher
from bot.core.understanding.order import Order
from bot.core.understanding.sentences import Sentences, excerpt, focus
from bot.core.understanding.taught import Taught
from bot.model.text import normalized

#: Below this probability the top intent is not taken as the answer.
SURE = 0.40
#: ...or this, for a question about the bot or the essay as a whole (its reply claims nothing
#: the essay does not say).
SURE_ABOUT = 0.25
#: A topic this likely, with another close behind, makes a "did you mean".
CHOICE = 0.15
#: Probability an aspect needs to be the one asked.
ASPECT = 0.45
#: A second topic this sure, naming other words of the question, makes a relation.
SECOND = 60
#: What the essay's kinds of questions about itself are called in the replies.
ABOUT = {"length": "essay"}
#: Questions about the essay that are about one of its topics: asking the bot's opinion is
#: asking the title's question; the unfinished sentence is the one on hybrid skills.
ABOUT_TOPIC = {"opinion": "the-question", "unfinished": "hybrid-roles"}
#: An "out" this unsure, with a topic the question names clearly close behind, is that topic.
DOUBT = 0.5
RESCUE = 0.10
#: ...and a question about the bot or the essay this likely close behind it is that.
ABOUT_RESCUE = 0.3
#: The matcher's score that names a topic clearly.
NAMED = 75
#: A question of at most this many words that names no topic the matcher knows is not taken
#: as a topic on the model's word alone ("it's", "it is what it is").
BARE = 5
#: At most this many words that can name something are a keyword, not a sentence.
KEYWORD = 2
#: At most this many words that can name something make a question short.
SHORT = 4


@dataclass(frozen=True)
class Decision:
    """What the bot makes of a question.

    ``kind``: ``answer`` (the essay answers it: ``topic``, and ``aspect`` to show or None for
    the whole card; ``term`` for an expression's meaning, ``premise`` for a false premise
    corrected), ``related`` (it doesn't; ``topic`` is the nearest), ``choices``, ``none``,
    ``smalltalk``, ``about`` (the essay as a whole), ``help`` (how to use the bot: ``about``
    names the feature), ``sequence`` (the story's order), ``unclear`` (nothing to read).
    """

    kind: str
    topic: str | None = None
    aspect: str | None = None
    asked: str | None = None
    sentence: str | None = None
    #: the part ``sentence`` is in, and the sentence in the essay's translations
    sentence_part: int = 0
    sentence_translations: Mapping[str, str] = field(default_factory=dict)
    choices: tuple[str, ...] = ()
    about: str | None = None
    smalltalk: str | None = None
    repeated: bool = False
    score: int = 0
    term: str | None = None
    premise: str | None = None
    #: for the story's order: the topics in question (first the earlier), or the part asked
    order: tuple[str, ...] = ()
    part: int = 0
    #: the learned intent that decided, and its probability
    intent: str = ""
    confidence: float = 0.0


class Understanding:
    """Decides what a question is, given the conversation so far."""

    def __init__(
        self, content: Content, matcher: Matcher, model: Classifier | None = None
    ) -> None:
        self.content = content
        self.matcher = matcher
        self.reader = Reader(content, matcher.vocabulary)
        self.model = model or Classifier.for_bank(content.bank)
        self.topics = {topic.id: topic for topic in content.topics}
        self.order = Order(content, matcher.mentions)
        self.taught = Taught(lambda: matcher.acronyms)
        #: every sentence of the essay: its part, the original and its translations
        self.sentences = Sentences(content, matcher.stopwords | self.reader.wording.frame)

    def learn(self, pairs: list[tuple[str, str]]) -> None:
        """From now on, questions phrased like each (topic or "out", phrase) are about that."""
        for topic, phrase in pairs:
            self.taught.add(topic, excerpt(phrase))  # as decide reads a long one
        self.matcher.add_aliases([(t, p) for t, p in pairs if t in self.topics])
        self._match.cache_clear()  # the matcher knows new names
        self._relation_mentions.cache_clear()
        self.order.forget()

    def learn_aspect(self, phrase: str, aspect: str) -> None:
        """From now on, questions phrased like ``phrase`` (taught) ask ``aspect``."""
        self.taught.add_aspect(excerpt(phrase), aspect)

    def match(self, question: str) -> Match:
        """The matcher's decision on ``question``, its wording phrases left out (kept for the
        last few questions: one decision asks for it several times)."""
        return self._match(question)

    @functools.lru_cache(maxsize=64)  # noqa: B019 - one understanding lives as long as the bot
    def _match(self, question: str) -> Match:
        return self.matcher.match(self.reader.plain(question) or question)

    def _tokens(self, question: str) -> list[str]:
        """The question's words that can name a topic, its wording phrases left out."""
        return self.matcher.tokens(self.reader.plain(question) or question)

    def read(self, question: str) -> tuple[list[Ranked], list[Ranked]]:
        """The learned intents and aspects of ``question``, most likely first."""
        return self.model.read(question)

    def decide(
        self, question: str, last: str | None = None, shown: tuple[str, ...] = (), part: int = 0
    ) -> Decision:
        """What ``question`` is, after a conversation on topic ``last`` of which the reader
        was shown ``shown`` ("card" and aspects), by a reader who last opened part ``part``.
        Of a long message, its end is read (where the question is): no longer than the bank's
        longest question, so a long message costs no more than a short one."""
        question = excerpt(question)
        if not normalized(question):
            return Decision("unclear")
        intents, aspects = self.read(question)
        if not folded(question):  # only emoji or symbols: a 👍 is an ack, the rest unclear
            kind, _, name = intents[0].label.partition(":")
            found = Decision("smalltalk", smalltalk=name) if kind == "smalltalk" else None
            return found or Decision("unclear")
        focused = focus(question)
        if focused != question and intents[0].label == "out":
            intents, aspects = self.read(focused)  # a story, then the question it asks
        top = intents[0]
        label = top.label  # what the model read, unless the names in the question say more
        if label == "out" and top.p <= DOUBT:
            label = self._rescued(intents, self.match(question)) or label
        elif label == "sequence" or label.startswith("premise:"):
            label = self._keyword(question) or label
        aspect = aspects[0].label if aspects[0].p >= ASPECT else NO_ASPECT
        asked = None if aspect == NO_ASPECT else aspect
        decided = self._taught(question, asked, last, shown)
        if decided is None:
            about = label.startswith(("help:", "essay:"))
            sure = top.p >= (SURE_ABOUT if about and top.label == label else SURE)
            decided = self._by_intent(question, label, sure, intents, asked, (last, shown, part))
        chosen = next((r.p for r in intents if r.label == label), top.p)
        return replace(decided, intent=label, confidence=round(chosen, 3))

    def _taught(
        self, question: str, asked: str | None, last: str | None, shown: tuple[str, ...]
    ) -> Decision | None:
        found = self.taught.find(question)  # what the author taught wins
        if found is None:
            return None
        taught, aspect = found
        if taught not in self.topics:
            return Decision("none")
        asked = aspect or asked
        return self._answer(question, taught, asked, self.match(question), last, shown)

    def _by_intent(
        self,
        question: str,
        label: str,
        sure: bool,
        intents: list[Ranked],
        asked: str | None,
        context: tuple[str | None, tuple[str, ...], int],
    ) -> Decision:
        """The decision for intent ``label`` (``sure``: the model's top intent is sure)."""
        last, shown, part = context
        kind, _, name = label.partition(":")
        if not sure:
            return self._unsure(question, intents)
        if label == "followup":
            if last in self.topics:
                return self._follow(last, asked or "next", shown)
            if part and asked in (None, "next"):  # "e poi?" after reading a part
                return Decision("sequence", part=part)
            return Decision("unclear")
        if kind == "smalltalk":
            return Decision("smalltalk", smalltalk=name)
        if kind == "help":
            return Decision("help", about=name)
        if kind == "essay":
            topic = ABOUT_TOPIC.get(name)
            return Decision(
                "answer" if topic else "about", topic=topic, about=ABOUT.get(name, name)
            )
        if kind == "glossary":
            term = self.content.guide.terms[name]
            return Decision("answer", topic=term.topic, term=name)
        if kind == "premise":
            premise = self.content.guide.premises[name]
            return Decision("answer", topic=premise.topic, premise=name)
        if label == "sequence":
            eras, named_part = self.order.asked(question, last, part)
            return Decision(
                "sequence", topic=eras[-1] if eras else None, order=eras, part=named_part
            )
        if label == "out":
            return self._out(question, intents)
        match = self.match(question)
        if not match.ranking and (
            len(normalized(question).split()) <= BARE or self._as_words(question)
        ):
            return Decision("none")  # "it's", "ciò che conta": the pronoun, not the department
        elif asked in (None, "what") and self._other_sense(question, label, match):
            return Decision("none", score=match.score)  # "cdo bond rating downgrade"
        return self._answer(question, label, asked, match, last, shown)

    def _as_words(self, question: str) -> list[str]:
        return self.matcher.as_words(self.reader.plain(question) or question)

    def _other_sense(self, question: str, topic: str, match: Match) -> bool:
        """The question names ``topic`` only by an acronym, among words nothing the essay
        answers ever uses, and asks no aspect of it: the acronym in another sense."""
        tokens = self._tokens(question)
        if len(tokens) > SHORT:
            return False  # a longer question says enough for the model to be trusted
        named = [tokens[i] for i in match.covers.get(topic, frozenset()) if i < len(tokens)]
        acronyms = self.matcher.acronyms
        return (
            bool(named)
            and all(t in acronyms for t in named)
            and bool(self.reader.unexplained(question))
        )

    def _keyword(self, question: str) -> str | None:
        """The topic a question of a name or two, and nothing else, names clearly ("millenium
        bag"): no order asked and no premise stated in so few words."""
        tokens = self._tokens(question)
        match = self.match(question)
        return match.topic if len(tokens) <= KEYWORD and match.topic else None

    def _rescued(self, intents: list[Ranked], match: Match) -> str | None:
        """What the model ranks close behind "out", about a topic the question names clearly
        (the topic, or an expression or a premise of it)."""
        named = {c.topic for c in match.ranking if c.score >= NAMED}
        for ranked in intents[1:3]:
            if ranked.p >= RESCUE and self._topic_of(ranked.label) in named:
                return ranked.label
            if ranked.p >= ABOUT_RESCUE and ranked.label.startswith(("help:", "essay:")):
                return ranked.label  # about the bot or the essay: no name to look for
        return None

    def _topic_of(self, label: str) -> str | None:
        """The topic an intent is about: a topic's own, or its expression's or premise's."""
        kind, _, name = label.partition(":")
        guide = self.content.guide
        if kind == "glossary" and name in guide.terms:
            return guide.terms[name].topic
        if kind == "premise" and name in guide.premises:
            return guide.premises[name].topic
        return label if label in self.topics else None

    def _topics(self, intents: list[Ranked]) -> list[Ranked]:
        return [r for r in intents if r.label in self.topics]

    def _unsure(self, question: str, intents: list[Ranked]) -> Decision:
        """No intent is sure: a few topics to choose from, else nothing."""
        likely = [r.label for r in self._topics(intents)[:3] if r.p >= CHOICE]
        if len(likely) >= 2 or (likely and intents[0].label == likely[0]):
            picked = likely if len(likely) >= 2 else [*likely, *self._nearest(question, likely)]
            return Decision("choices", choices=tuple(picked[:3]))
        return Decision("none")

    def _nearest(self, question: str, besides: list[str]) -> list[str]:
        ranking = self.match(question).ranking
        return [c.topic for c in ranking if c.topic not in besides][:1]

    def _out(self, question: str, intents: list[Ranked]) -> Decision:
        """The essay does not answer it: the nearest topic the question names, if any."""
        match = self.match(question)
        named = {c.topic for c in match.ranking if c.score >= PLAUSIBLE}
        for ranked in self._topics(intents)[:3]:
            if ranked.label in named:
                return Decision("related", topic=ranked.label, score=match.score)
        return Decision("none", score=match.score)

    def _answer(
        self,
        question: str,
        topic_id: str,
        asked: str | None,
        match: Match,
        last: str | None,
        shown: tuple[str, ...],
    ) -> Decision:
        topic = self.topics[topic_id]
        other = self._second(question, topic_id, match)
        if other is not None and asked in (None, "relation", "what"):
            asked = "relation"
            topic, _ = self._relation_holder(topic, self.topics[other])
        aspect = asked if asked in topic.aspects else None
        yesno = self.reader.yesno(question) and asked in (None, "what")
        part, sentence, translated = (
            self.sentences.closest(question, topic) if yesno else (0, None, {})
        )
        # the same plain question again moves on; a question that asks something is answered
        plain_again = asked in (None, "what") and sentence is None
        repeated = plain_again and topic.id == last and (aspect or "card") in shown
        if repeated:
            aspect = next((a for a in ASPECTS if a in topic.aspects and a not in shown), aspect)
        return Decision(
            "answer",
            topic=topic.id,
            aspect=aspect,
            asked=asked,
            sentence=sentence,
            sentence_part=part,
            sentence_translations=translated,
            repeated=repeated,
            score=match.score,
        )

    def _second(self, question: str, topic_id: str, match: Match) -> str | None:
        """Another topic the question names by words of its own ("cio e cdo")."""
        own = match.covers.get(topic_id, frozenset())
        tokens = self._tokens(question)
        strong = {i for i, t in enumerate(tokens) if t not in self.matcher.weak}
        return next(
            (
                c.topic
                for c in match.ranking
                if c.topic != topic_id
                and c.score >= max(SECOND, PLAUSIBLE)
                and (match.covers.get(c.topic, frozenset()) - own) & strong
            ),
            None,
        )

    def _relation_holder(self, first: Topic, second: Topic) -> tuple[Topic, Topic]:
        """Of two topics, the one whose relation aspect speaks of the other goes first."""
        for one, other in ((first, second), (second, first)):
            if other.id in self._relation_mentions(one.id):
                return one, other
        if "relation" not in first.aspects and "relation" in second.aspects:
            return second, first
        return first, second

    @functools.lru_cache(maxsize=64)  # noqa: B019 - one understanding lives as long as the bot
    def _relation_mentions(self, topic_id: str) -> tuple[str, ...]:
        """The topics the relation aspect of ``topic_id`` speaks of (its quote and text)."""
        relation = self.topics[topic_id].aspects.get("relation")
        if relation is None:
            return ()
        words = f"{relation.quote} {relation.texts.get(self.content.default_language, '')}"
        return tuple(self.matcher.mentions(words, limit=4))

    def _follow(self, last: str | None, asked: str, shown: tuple[str, ...]) -> Decision:
        """A follow-up ("e poi?", "why?") on the last topic."""
        assert last is not None
        topic = self.topics[last]
        if asked in topic.aspects and (asked != "next" or asked not in shown):
            return Decision("answer", topic=last, aspect=asked, asked=asked)
        if asked == "next":
            following = self.order.after(topic)
            if following is not None:
                return Decision("answer", topic=following)
        if asked not in ("next", None) and asked not in topic.aspects:
            return Decision("answer", topic=last, asked=asked)
        unshown = next((a for a in ASPECTS if a in topic.aspects and a not in shown), None)
        return Decision("answer", topic=last, aspect=unshown, asked=asked, repeated=True)
