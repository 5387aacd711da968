"""Understanding a reader's question: which topic, which aspect of it, whether the essay answers
it at all, and how it follows from the conversation so far. Pure: it reads the question, the
content and the matcher, and decides; rendering and recording are the asking feature's."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.content.catalog import ASPECTS, Content, Topic
from bot.core.intent import Intent, Reader, folded
from bot.core.matcher import PLAUSIBLE, Match, Matcher

#: A single plausible topic this sure is the answer rather than a lone "did you mean".
ALONE = 62
#: A second topic this sure makes a question about two topics.
SECOND = 60
#: Questions about the essay that may also be about its content ("does the author think...").
TOPICAL_ABOUT = frozenset({"author", "essay"})
#: Two choices this sure make a question about both topics.
PAIR = 70
#: Unexplained words that make a question one the essay does not answer.
UNEXPLAINED = 2
#: How alike a question must be to a phrasing the author taught the bot.
LEARNED = 90
_SENTENCE = re.compile(r"(?<=[.;:!?])\s+")


#: Messages longer than this many words are read for their last question.
LONG = 25


def focus(message: str) -> str:
    """The question in ``message``: in a long one, its last sentence that asks something."""
    if len(message.split()) <= LONG:
        return message
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", message.strip()) if s.strip()]
    asking = [s for s in sentences if s.rstrip().endswith("?")]
    return (asking or sentences or [message])[-1]


@dataclass(frozen=True)
class Decision:
    """What the bot makes of a question.

    ``kind``: ``answer`` (the essay answers it: ``topic``, and ``aspect`` to show or None for
    the whole card), ``related`` (it doesn't; ``topic`` is the nearest), ``choices``, ``none``,
    ``smalltalk``, ``about`` (the essay or the bot), ``unclear`` (nothing to read).
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


class Understanding:
    """Decides what a question is, given the conversation so far."""

    def __init__(self, content: Content, matcher: Matcher) -> None:
        self.content = content
        self.matcher = matcher
        self.reader = Reader(content, matcher.vocabulary)
        self.topics = {topic.id: topic for topic in content.topics}
        self.eras = [t.id for t in content.topics if t.kind == "era"]
        #: phrasings the author taught the bot (folded), with their topic
        self.learned: dict[str, str] = {}
        #: every sentence of the essay: its part, the original and its translations
        self.sentences = essay_sentences(content)
        self._sentence_stems = [
            {w[:5] for text in (s, *t.values()) for w in folded(text).split()}
            for _, s, t in self.sentences
        ]

    def learn(self, pairs: list[tuple[str, str]]) -> None:
        """From now on, questions phrased like each (topic, phrase) are about that topic."""
        for topic, phrase in pairs:
            self.learned[folded(phrase)] = topic
        self.matcher.add_aliases(pairs)

    def _learned(self, question: str) -> str | None:
        """The topic the author taught for a phrasing like ``question`` (same acronyms)."""
        if not self.learned:
            return None
        text = folded(question)
        found = process.extractOne(
            text, list(self.learned), scorer=fuzz.ratio, score_cutoff=LEARNED
        )
        if found is None:
            return None
        acronyms = self.matcher.acronyms
        if {w for w in text.split() if w in acronyms} != {
            w for w in found[0].split() if w in acronyms
        }:
            return None  # "quanto guadagna un CIO" is not "quanto guadagna un CDO"
        return self.learned[found[0]]

    def match(self, question: str) -> Match:
        """The matcher's decision on ``question``, its wording phrases left out."""
        return self.matcher.match(self.reader.plain(question) or question)

    def decide(
        self, question: str, last: str | None = None, shown: tuple[str, ...] = ()
    ) -> Decision:
        """What ``question`` is, after a conversation on topic ``last`` of which the reader
        was shown ``shown`` ("card" and aspects). In a long message (a story, a rant), the
        question is its last sentence that asks something."""
        return self._decide(focus(question), last, shown)

    def _decide(self, question: str, last: str | None, shown: tuple[str, ...]) -> Decision:
        intent = self.reader.read(question)
        match = self.match(question)
        if intent.followup:
            if last in self.topics:
                return self._follow(last, intent.aspect or "next", shown)
            return Decision("unclear")  # "e poi?" with nothing before it
        if match.smalltalk and not intent.about:
            return Decision("smalltalk", smalltalk=match.smalltalk)
        named = match.topic or match.choices
        about_first = intent.about_strong and intent.about not in TOPICAL_ABOUT
        if intent.about and (about_first or not named):
            return Decision("about", about=intent.about)
        if not folded(question):
            return Decision("unclear")
        nearest = match.topic or (match.ranking[0].topic if match.ranking else None)
        if nearest is not None and intent.adjacent:
            return Decision("related", topic=nearest, score=match.score)
        taught = self._learned(question)  # what the author taught wins over unknown words
        if taught is not None:
            return self._answer(question, taught, intent, match, last, shown)
        if nearest is not None and intent.aspect in (None, "what"):
            named_by = self._covered(question, match, nearest)
            acronym = bool(named_by) and all(t in self.matcher.acronyms for t in named_by)
            foreign = len(intent.unexplained)
            if (acronym and foreign) or (len(named_by) <= 2 and foreign >= 2):
                # "cdo bond rating downgrade", "torre di pisa orari": a word of the essay's in
                # another sense, among words the essay never uses
                return Decision("none", score=match.score)
            if foreign >= UNEXPLAINED and intent.aspect is None:  # what the essay never discusses
                return Decision("related", topic=nearest, score=match.score)
        topic = match.topic or self._alone(question, match) or self._pair(match)
        if topic is None:
            if match.choices:
                return Decision("choices", choices=self._choices(match), score=match.score)
            return Decision("none", score=match.score)
        return self._answer(question, topic, intent, match, last, shown)

    def _tokens(self, question: str) -> list[str]:
        """The question's words that can name a topic, its wording phrases left out."""
        return self.matcher.tokens(self.reader.plain(question) or question)

    def _covered(self, question: str, match: Match, topic: str) -> list[str]:
        """The words of the question that name ``topic``."""
        tokens = self._tokens(question)
        return [tokens[i] for i in match.covers.get(topic, frozenset()) if i < len(tokens)]

    def _alone(self, question: str, match: Match) -> str | None:
        """A lone plausible topic, sure enough to answer rather than ask "did you mean"; a
        choice that only names one of the essay's two subjects ("it", "marketing"), with
        another choice naming more, does not count."""
        tokens = self._tokens(question)
        strong = {i for i, t in enumerate(tokens) if t not in self.matcher.weak}
        real = [c for c in match.choices if match.covers.get(c.topic, frozenset()) & strong]
        if len(real) == 1 and real[0].score >= ALONE:
            return real[0].topic
        return None

    def _pair(self, match: Match) -> str | None:
        """Two topics named equally clearly: a question about both (answered as a relation)."""
        strong = [c.topic for c in match.choices if c.score >= PAIR]
        if len(strong) < 2:
            return None
        first, second = (match.covers.get(t, frozenset()) for t in strong[:2])
        return strong[0] if first != second else None

    def _relation_holder(self, first: Topic, second: Topic) -> tuple[Topic, Topic]:
        """Of two topics, the one whose relation aspect speaks of the other goes first."""
        for one, other in ((first, second), (second, first)):
            relation = one.aspects.get("relation")
            if relation is not None:
                words = f"{relation.quote} {relation.texts.get(self.content.default_language, '')}"
                if other.id in self.matcher.mentions(words, limit=4):
                    return one, other
        if "relation" not in first.aspects and "relation" in second.aspects:
            return second, first
        return first, second

    def _choices(self, match: Match) -> tuple[str, ...]:
        """At least two choices, best first."""
        picked = [c.topic for c in match.choices]
        for candidate in match.ranking:
            if len(picked) >= 2:
                break
            if candidate.topic not in picked:
                picked.append(candidate.topic)
        return tuple(picked)

    def _answer(
        self,
        question: str,
        topic_id: str,
        intent: Intent,
        match: Match,
        last: str | None,
        shown: tuple[str, ...],
    ) -> Decision:
        topic = self.topics[topic_id]
        own = match.covers.get(topic_id, frozenset())
        tokens = self._tokens(question)
        strong = {i for i, t in enumerate(tokens) if t not in self.matcher.weak}
        other = next(
            (
                c.topic
                for c in match.ranking
                if c.topic != topic_id
                and c.score >= max(SECOND, PLAUSIBLE)
                and (match.covers.get(c.topic, frozenset()) - own) & strong
            ),
            None,
        )
        asked = intent.aspect
        if other is not None and asked in (None, "relation", "what"):
            asked = "relation"
            topic, _ = self._relation_holder(topic, self.topics[other])
        aspect = asked if asked in topic.aspects else None
        part, sentence, translated = (
            self._best_sentence(question, topic) if intent.yesno else (0, None, {})
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

    def _follow(self, last: str, asked: str, shown: tuple[str, ...]) -> Decision:
        """A follow-up ("e poi?", "why?") on the last topic."""
        topic = self.topics[last]
        if asked in topic.aspects and (asked != "next" or asked not in shown):
            return Decision("answer", topic=last, aspect=asked, asked=asked)
        if asked == "next" and last in self.eras:
            following = self._era_after(topic)
            if following is not None:
                return Decision("answer", topic=following)
        if asked not in ("next", None) and asked not in topic.aspects:
            return Decision("answer", topic=last, asked=asked)
        unshown = next((a for a in ASPECTS if a in topic.aspects and a not in shown), None)
        return Decision("answer", topic=last, aspect=unshown, asked=asked, repeated=True)

    def _era_after(self, topic: Topic) -> str | None:
        """The era the story moves on to from ``topic``: the one its "next" aspect names, else
        the next in the essay's order."""
        later = self.eras[self.eras.index(topic.id) + 1 :]
        following = topic.aspects.get("next")
        if following is not None:
            words = f"{following.quote} {following.texts.get(self.content.default_language, '')}"
            named = [t for t in self.matcher.mentions(words, limit=4) if t in later]
            if named:
                return named[0]
        return later[0] if later else None

    def _best_sentence(
        self, question: str, topic: Topic
    ) -> tuple[int, str | None, Mapping[str, str]]:
        """The essay's sentence, in the topic's parts, that shares the most words with the
        question, for the reader to judge; never a yes put in the essay's mouth (word overlap
        cannot tell who did what: "l'IT risalì la china?" shares every word with a sentence
        about Marketing)."""
        parts = {topic.part, *(a.part for a in topic.aspects.values())}
        ignored = self.matcher.stopwords | self.reader.wording.frame
        words = {w[:5] for w in folded(question).split() if len(w) >= 4 and w not in ignored}
        best: tuple[int, str | None, Mapping[str, str]] = (0, None, {})
        best_shared = 0
        for sentence, have in zip(self.sentences, self._sentence_stems, strict=True):
            shared = len(words & have) if sentence[0] in parts else 0
            if shared > best_shared:
                best, best_shared = sentence, shared
        return best


def essay_sentences(content: Content) -> list[tuple[int, str, Mapping[str, str]]]:
    """Every sentence of the essay: its part, the original, and the same sentence in each
    translation (paired by position where a paragraph's translation has as many sentences)."""
    found: list[tuple[int, str, Mapping[str, str]]] = []
    for part in content.essay.parts:
        for index, paragraph in enumerate(part.paragraphs):
            originals = [s for s in _SENTENCE.split(paragraph) if s.strip()]
            twins: dict[str, list[str]] = {}
            for lang, paragraphs in part.translations.items():
                translated = [s for s in _SENTENCE.split(paragraphs[index]) if s.strip()]
                if len(translated) == len(originals):
                    twins[lang] = translated
            for n, sentence in enumerate(originals):
                found.append((part.number, sentence, {k: v[n] for k, v in twins.items()}))
    return found
