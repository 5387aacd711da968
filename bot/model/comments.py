"""The rule on what a comment may be: its length (as Telegram counts it) and its words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.model.limits import MAX_COMMENT, MIN_COMMENT
from bot.model.text import fold, utf16_units


@dataclass(frozen=True)
class Problem:
    """Why a comment is refused: a phrase key and its parameters."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


class BlockedWords:
    """The words a comment (or a name shown with it) may not contain: whole words, whatever
    their case, accents or punctuation."""

    def __init__(self, words: Iterable[str]) -> None:
        folded = [fold(w).lower() for w in words]
        alternatives = "|".join(re.escape(w) for w in folded if w)
        self._pattern = re.compile(rf"\b(?:{alternatives})\b" if alternatives else r"(?!)")

    def found_in(self, text: str) -> bool:
        return self._pattern.search(fold(text).lower()) is not None


def comment_problem(comment: str, blocked: BlockedWords) -> Problem | None:
    """What is wrong with ``comment`` (already stripped) on its own, or None."""
    length = utf16_units(comment)
    if length < MIN_COMMENT:
        return Problem("comment_too_short", {"minimum": MIN_COMMENT})
    if length > MAX_COMMENT:
        return Problem("comment_too_long", {"maximum": MAX_COMMENT, "length": length})
    if blocked.found_in(comment):
        return Problem("comment_blocked")
    return None
