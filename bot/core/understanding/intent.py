"""What a question's wording says beyond what it asks (that is learned from the question bank):
whether it is a yes or no question, which of its phrases only say how it is asked (left out of
fuzzy matching), and which of its words nothing the essay answers ever uses (the essay, its
topics and the bank's questions it answers).

Reads only the words in ``content/wording.yaml``, the essay and the bank: no topic here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from bot.content.catalog import Content, Wording
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


#: A word the bank's answered questions use with this many intents only says how one asks.
PHRASING = 3


def phrasing(content: Content) -> set[str]:
    """Words of the bank's answered questions that many kinds of question use ("gentilmente",
    "potrebbe", "spiegarmi"): how readers ask, not what they ask about; and the words of its
    questions about the essay as a whole and the bot ("forget", "riassunto")."""
    intents: dict[str, set[str]] = {}
    for example in content.bank:
        if example.intent != "out":
            for word in folded(example.q).split():
                intents.setdefault(word, set()).add(example.intent)
    return {
        word
        for word, used in intents.items()
        if len(used) >= PHRASING or any(":" in i for i in used)
    }


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
        vocabulary.update(phrasing(content))
        vocabulary.update(alias_words)
        vocabulary.update(content.matching.stopwords)
        for phrases in (*self.wording.aspects.values(), self.wording.question_words):
            for phrase in phrases:
                vocabulary.update(phrase.split())
        self.vocabulary = vocabulary
        cues = [p for phrases in self.wording.aspects.values() for p in phrases]
        self._phrases: dict[str, list[tuple[str, ...]]] = {}
        for sequence in sorted({tuple(p.split()) for p in cues if " " in p}):
            self._phrases.setdefault(sequence[0], []).append(sequence)
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

    def yesno(self, question: str) -> bool:
        """Whether ``question`` asks for a yes or a no ("l'IT veniva ringraziata?")."""
        words = folded(question).split()
        wording = self.wording
        opens = bool(words) and any(has(" ".join(words[:2]), w) for w in wording.question_words)
        return bool(words) and (
            words[0] in wording.yesno_starts or (question.rstrip().endswith("?") and not opens)
        )

    def unexplained(self, question: str) -> tuple[str, ...]:
        """The words of ``question`` that nothing the essay answers uses, and years after 2000
        (a date or a prediction the essay never gives)."""
        text = folded(question)
        words = tuple(w for w in dict.fromkeys(text.split()) if self._unexplained(w))
        return words + tuple(_YEAR.findall(text))

    def _unexplained(self, word: str) -> bool:
        """Whether the essay, its topics, the wording lists and the bank's answered questions
        never use ``word`` (or a word it could be a typo or a form of)."""
        if len(word) < MIN_CONTENT or word.isdigit() or word in self.vocabulary:
            return False
        if word[:STEM] in self._stems:
            return False
        near = process.extractOne(word, self._long, scorer=fuzz.ratio, score_cutoff=SIMILAR)
        return near is None
