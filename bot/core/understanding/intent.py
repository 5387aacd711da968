"""What a question's wording asks for, beyond its topic: an aspect (why, when...), a yes or no,
a follow-up on the last topic, something about the essay or the bot, or something the essay
never discusses (a salary, a film, a how-to).

Reads only the words in ``content/wording.yaml`` and the essay's own vocabulary: no topic here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.content.catalog import ABOUT, ASPECTS, Content, Wording
from bot.model.text import fold

#: A year after 2000 is a date or a prediction the essay never gives.
_YEAR = re.compile(r"\b(?:200[1-9]|20[1-9][0-9]|2[1-9][0-9]{2})\b")
#: Words shorter than this are never "unexplained" (typing noise, dialect particles).
MIN_CONTENT = 4
#: How alike a word must be to one the essay uses to count as that word (a typo).
SIMILAR = 84
STEM = 5


def folded(text: str) -> str:
    return fold(text).lower()


def has(text: str, phrase: str) -> bool:
    """Whether folded ``text`` contains folded ``phrase`` as whole words."""
    return f" {phrase} " in f" {text} "


def cue_pattern(cues: Iterable[str]) -> re.Pattern[str]:
    """A pattern that finds any of ``cues`` as whole words in folded text (longest first)."""
    ordered = sorted(cues, key=len, reverse=True)
    if not ordered:
        return re.compile(r"(?!)")
    return re.compile(r"(?<!\S)(?:" + "|".join(re.escape(c) for c in ordered) + r")(?!\S)")


@dataclass(frozen=True)
class Intent:
    """What the wording asks for."""

    aspect: str | None = None
    yesno: bool = False
    followup: bool = False
    about: str | None = None
    about_strong: bool = False
    adjacent: tuple[str, ...] = ()
    unexplained: tuple[str, ...] = ()


class Reader:
    """Reads questions' wording against ``content/wording.yaml`` and the essay's vocabulary."""

    def __init__(self, content: Content, alias_words: Iterable[str]) -> None:
        self.wording: Wording = content.wording
        vocabulary: set[str] = set(self.wording.frame)
        texts = [p for part in content.essay.parts for p in part.paragraphs]
        for topic in content.topics:
            texts.append(topic.quote)
            for topic_text in topic.texts.values():
                texts += [topic_text.name, topic_text.answer, *topic_text.aliases]
            for aspect in topic.aspects.values():
                texts += [aspect.quote, *aspect.texts.values()]
        for sentence in texts:
            vocabulary.update(folded(sentence).split())
        vocabulary.update(alias_words)
        vocabulary.update(content.matching.stopwords)
        for phrases in (*self.wording.aspects.values(), self.wording.question_words):
            for phrase in phrases:
                vocabulary.update(phrase.split())
        self.vocabulary = vocabulary
        cues = [p for phrases in self.wording.aspects.values() for p in phrases]
        cues += [p for phrases in self.wording.about.values() for p in phrases]
        cues += list(self.wording.adjacent)
        self._phrases: dict[str, list[tuple[str, ...]]] = {}
        for sequence in sorted({tuple(p.split()) for p in cues if " " in p}):
            self._phrases.setdefault(sequence[0], []).append(sequence)
        self._aspects = {a: cue_pattern(self.wording.aspects.get(a, ())) for a in ASPECTS}
        self._about = {kind: cue_pattern(self.wording.about.get(kind, ())) for kind in ABOUT}
        self._adjacent = cue_pattern(self.wording.adjacent)
        self._long = sorted(w for w in vocabulary if len(w) >= MIN_CONTENT)
        self._stems = {w[:STEM] for w in self._long}

    @functools.lru_cache(maxsize=512)  # noqa: B019 - one reader lives as long as the bot
    def plain(self, question: str) -> str:
        """``question`` without the multi-word phrases that only say how it is asked ("in che
        senso", "what happened after"), case kept, so they cannot name a topic."""
        words = fold(question).split()
        lower = [w.lower() for w in words]
        drop: set[int] = set()
        for start, word in enumerate(lower):
            for phrase in self._phrases.get(word, ()):
                if tuple(lower[start : start + len(phrase)]) == phrase:
                    drop.update(range(start, start + len(phrase)))
        return " ".join(w for i, w in enumerate(words) if i not in drop)

    def read(self, question: str) -> Intent:
        """The intent of ``question``."""
        text = folded(question)
        words = text.split()
        wording = self.wording
        aspect = next((a for a in ASPECTS if self._aspects[a].search(text)), None)
        about, strong = None, False
        for kind in ABOUT:
            cues = self._about[kind].findall(text)
            if cues:
                about, strong = kind, kind == "unfinished" or any(" " in c for c in cues)
                break
        opens = bool(words) and any(has(" ".join(words[:2]), w) for w in wording.question_words)
        yesno = bool(words) and (
            words[0] in wording.yesno_starts or (question.rstrip().endswith("?") and not opens)
        )
        return Intent(
            aspect=aspect,
            yesno=yesno and aspect in (None, "what"),
            followup=text in wording.followups,
            about=about,
            about_strong=strong,
            adjacent=tuple(self._adjacent.findall(text)),
            unexplained=tuple(w for w in dict.fromkeys(words) if self._unexplained(w))
            + tuple(_YEAR.findall(text)),
        )

    def _unexplained(self, word: str) -> bool:
        """Whether the essay, its topics and the wording lists never use ``word`` (or a word it
        could be a typo or a form of)."""
        if len(word) < MIN_CONTENT or word.isdigit() or word in self.vocabulary:
            return False
        if word[:STEM] in self._stems:
            return False
        near = process.extractOne(word, self._long, scorer=fuzz.ratio, score_cutoff=SIMILAR)
        return near is None
