"""The essay's sentences, and the parts of a reader's message worth reading: the end of a long
message, and its last sentence that asks something; the sentence of the essay closest to a
yes/no question."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from bot.content.catalog import MAX_QUESTION, Content, Topic
from bot.model.text import fold, sentences

#: Messages longer than this many words are read for their last question too.
LONG = 25
#: Letters of a word that make its stem, for finding a question's words in a sentence.
STEM = 5


def excerpt(message: str) -> str:
    """``message``, or of a longer one its last ``MAX_QUESTION`` characters from a word on."""
    if len(message) <= MAX_QUESTION:
        return message
    tail = message[-MAX_QUESTION:]
    return tail.split(None, 1)[-1] if " " in tail else tail


def focus(message: str) -> str:
    """The question in ``message``: in a long one, its last sentence that asks something."""
    if len(message.split()) <= LONG:
        return message
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", message.strip()) if s.strip()]
    asking = [s for s in sentences if s.rstrip().endswith("?")]
    return (asking or sentences or [message])[-1]


class Sentences:
    """Every sentence of the essay, with the stems of its words in every language."""

    def __init__(self, content: Content, ignored: frozenset[str]) -> None:
        self.all = essay_sentences(content)
        self.ignored = ignored
        self._stems = [
            {w[:STEM] for text in (s, *t.values()) for w in fold(text).lower().split()}
            for _, s, t in self.all
        ]
        # a word in few sentences says more than one in many ("cenerentola" vs "marketing")
        counts = Counter(stem for stems in self._stems for stem in stems)
        self._weight = {stem: 1 / n for stem, n in counts.items()}

    def closest(self, question: str, topic: Topic) -> tuple[int, str | None, Mapping[str, str]]:
        """The essay's sentence, in the topic's parts, that shares the most words with the
        question (its part, the original, its translations), for the reader to judge; never a
        yes put in the essay's mouth. A shared word counts less the more sentences have it."""
        parts = {topic.part, *(a.part for a in topic.aspects.values())}
        words = {
            w[:STEM]
            for w in fold(question).lower().split()
            if len(w) >= 4 and w not in self.ignored
        }
        best: tuple[int, str | None, Mapping[str, str]] = (0, None, {})
        best_shared = 0.0
        for sentence, have in zip(self.all, self._stems, strict=True):
            shared = sum(self._weight[w] for w in words & have) if sentence[0] in parts else 0
            if shared > best_shared:
                best, best_shared = sentence, shared
        return best


def essay_sentences(content: Content) -> list[tuple[int, str, Mapping[str, str]]]:
    """Every sentence of the essay: its part, the original, and the same sentence in each
    translation (paired by position where a paragraph's translation has as many sentences)."""
    found: list[tuple[int, str, Mapping[str, str]]] = []
    for part in content.essay.parts:
        for index, paragraph in enumerate(part.paragraphs):
            originals = sentences(paragraph)
            twins: dict[str, list[str]] = {}
            for lang, paragraphs in part.translations.items():
                translated = sentences(paragraphs[index])
                if len(translated) == len(originals):
                    twins[lang] = translated
            for n, sentence in enumerate(originals):
                found.append((part.number, sentence, {k: v[n] for k, v in twins.items()}))
    return found
