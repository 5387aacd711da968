"""What the author taught the bot with /unanswered: phrasings of a topic (with the aspect they
ask, if the author said) or of what the essay does not cover ("out"). A question phrased like
one of them is that, before anything the model reads."""

from __future__ import annotations

from collections.abc import Callable, Set

from rapidfuzz import fuzz, process

from bot.model.text import fold

#: How alike a question must be to a phrasing the author taught the bot.
LEARNED = 90


class Taught:
    """The phrasings taught, folded as a question is read, with their topic and aspect."""

    def __init__(self, acronyms: Callable[[], Set[str]]) -> None:
        """``acronyms``: the acronyms the matcher knows now (they grow as it learns)."""
        self.acronyms = acronyms
        self.topics: dict[str, str] = {}
        self.aspects: dict[str, str] = {}

    def add(self, topic: str, phrase: str) -> None:
        """Questions phrased like ``phrase`` (as decide reads it) are about ``topic``."""
        self.topics[fold(phrase).lower()] = topic

    def add_aspect(self, phrase: str, aspect: str) -> None:
        """Questions phrased like ``phrase`` ask ``aspect`` of its topic."""
        self.aspects[fold(phrase).lower()] = aspect

    def find(self, question: str) -> tuple[str, str | None] | None:
        """The topic (or "out") and aspect taught for a phrasing like ``question`` (with the
        same acronyms), if any."""
        if not self.topics:
            return None
        text = fold(question).lower()
        found = process.extractOne(
            text, list(self.topics), scorer=fuzz.ratio, score_cutoff=LEARNED
        )
        if found is None:
            return None
        acronyms = self.acronyms()
        if {w for w in text.split() if w in acronyms} != {
            w for w in found[0].split() if w in acronyms
        }:
            return None  # "quanto guadagna un CIO" is not "quanto guadagna un CDO"
        return self.topics[found[0]], self.aspects.get(found[0])
