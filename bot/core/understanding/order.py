"""The story's order: which era comes before which, what comes after a part, as the essay tells
it (the eras in ``topics.yaml`` are listed in the story's chronological order)."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.content.catalog import Content, Topic
from bot.model.text import fold

_NUMBERS = {
    **dict.fromkeys(("1", "uno", "una", "prima", "primo", "one", "first"), 1),
    **dict.fromkeys(("2", "due", "seconda", "secondo", "two", "second"), 2),
    **dict.fromkeys(("3", "tre", "terza", "terzo", "three", "third"), 3),
    **dict.fromkeys(("4", "quattro", "quarta", "quarto", "four", "fourth"), 4),
    **dict.fromkeys(("5", "cinque", "quinta", "quinto", "five", "fifth"), 5),
    **dict.fromkeys(("6", "sei", "sesta", "sesto", "six", "sixth"), 6),
    **dict.fromkeys(("7", "sette", "settima", "settimo", "seven", "seventh"), 7),
}
_PART = r"(?:parte|part|paragrafo|paragraph|capitolo|chapter|sezione|section|pagina|page)"
_NUMBER = "|".join(sorted(_NUMBERS, key=len, reverse=True))
#: Before the noun only ordinals: "una parte", "one part" are articles, not part 1.
_ORDINAL = "|".join(sorted((n for n in _NUMBERS if n not in ("uno", "una", "one")), key=len))
#: "parte 4", "part four", "la quarta parte", "fourth part"
PART = re.compile(rf"\b{_PART}\s+(?:n\s+)?({_NUMBER})\b|\b({_ORDINAL})\s+{_PART}\b")
#: Words that ask for what came before rather than after.
BEFORE = re.compile(r"\b(?:prima|before|precede|precedono|preceded|earlier|previous|precedente)\b")


def folded(text: str) -> str:
    return fold(text).lower()


class Order:
    """The eras in the story's order, and where a question about the order points;
    ``mentions`` names the topics a text names (the matcher's)."""

    def __init__(self, content: Content, mentions: Callable[[str, int], list[str]]) -> None:
        self.content = content
        self.mentions = mentions
        #: the era after each, once worked out
        self._after: dict[str, str | None] = {}
        self.eras = [t.id for t in content.topics if t.kind == "era"]

    def forget(self) -> None:
        """Work the eras out again (the matcher learned new names)."""
        self._after.clear()

    def after(self, topic: Topic) -> str | None:
        """The era the story moves on to from ``topic`` (for a role, none): the one its "next"
        aspect names ("Poi venne Internet"), else the next in the story's order."""
        if topic.id not in self.eras:
            return None
        if topic.id not in self._after:
            later = self.eras[self.eras.index(topic.id) + 1 :]
            following = topic.aspects.get("next")
            named: list[str] = []
            if following is not None:
                lang = self.content.default_language
                words = f"{following.quote} {following.texts.get(lang, '')}"
                named = [t for t in self.mentions(words, 4) if t in later]
            self._after[topic.id] = (named or later)[0] if named or later else None
        return self._after[topic.id]

    def part_asked(self, question: str) -> int:
        """The part a question names ("sono alla parte 4"), or 0."""
        found = PART.search(folded(question))
        if found is None:
            return 0
        number = _NUMBERS[found.group(1) or found.group(2)]
        return number if number <= self.content.essay.total else 0

    def named(self, question: str) -> list[str]:
        """The two eras a question names most clearly, in the story's order."""
        named = [topic for topic in self.mentions(question, 4) if topic in self.eras][:2]
        return [era for era in self.eras if era in named]

    def asked(self, question: str, last: str | None, read: int = 0) -> tuple[tuple[str, ...], int]:
        """The eras a question about the order is about (the earlier first) and the part it
        names: two eras named, or one and the era before or after it, or the part; else the
        last topic and what follows it; else the part last ``read``; else every era."""
        part = self.part_asked(question)
        named = self.named(question)
        if len(named) >= 2:
            return (named[0], named[-1]), 0
        if part:
            return (), part
        era = named[0] if named else (last if last in self.eras else None)
        if era is None:
            return ((), read) if read else (tuple(self.eras), 0)
        index = self.eras.index(era)
        if named and BEFORE.search(folded(question)) and index > 0:
            return (self.eras[index - 1], era), 0
        following = self.after(self.content.topic(era) or self.content.topics[0])
        return ((era, following) if following else (era,)), 0
