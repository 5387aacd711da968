"""The rule on what a comment may be: its length (as Telegram counts it) and its words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.model.limits import MAX_COMMENT, MIN_COMMENT, RATE_COUNT, RATE_MINUTES
from bot.model.skeleton import skeleton
from bot.model.text import fold, normal, utf16_units


@dataclass(frozen=True)
class Problem:
    """Why a comment is refused: a phrase key and its parameters."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


def too_fast(wait: int) -> Problem:
    """Too many answers and replies in the rate limit's window (they share it): the reader may
    send again in ``wait`` minutes."""
    return Problem(
        "comment_too_fast", {"count": RATE_COUNT, "minutes": RATE_MINUTES, "wait": wait}
    )


#: A question sent while an answer waits, rather than its comment: short, ending with "?".
QUESTION_LENGTH = 120


def is_question(text: str) -> bool:
    """Whether ``text``, sent while the reader's answer waits half way, is a question to the
    bot rather than the comment (a long text is a comment, even one that ends asking)."""
    body = text.strip()
    return body.endswith("?") and len(body) <= QUESTION_LENGTH


class BlockedWords:
    """The words a comment (or a name shown with it) may not contain: whole words, whatever
    their case, accents or punctuation, and however they are spelled (look-alike letters of
    any script, leetspeak, punctuation inside the word, the words of a phrase run together)."""

    def __init__(self, words: Iterable[str]) -> None:
        folded = [fold(w).lower().split() for w in words]
        alternatives = "|".join(r"\s*".join(map(re.escape, w)) for w in folded if w)
        self._pattern = re.compile(rf"\b(?:{alternatives})\b" if alternatives else r"(?!)")

    def found_in(self, text: str) -> bool:
        return any(self._pattern.search(form) for form in (fold(text).lower(), skeleton(text)))


def shown_name(first_name: str, display: str | None, blocked: BlockedWords) -> str | None:
    """The name beside what a reader wrote: their first name if they chose to be shown by
    it (``display`` "name") and it is not offensive; else none (anonymous)."""
    shown = " ".join(normal(first_name).split())  # no bidi overrides, no invisible characters
    if display != "name" or not shown or blocked.found_in(shown):
        return None
    return shown


def comment_problem(comment: str, blocked: BlockedWords) -> Problem | None:
    """What is wrong with ``comment`` (already stripped) on its own, or None."""
    length = utf16_units(comment)
    if length < MIN_COMMENT or utf16_units("".join(normal(comment).split())) < MIN_COMMENT:
        return Problem("comment_too_short", {"minimum": MIN_COMMENT})
    if length > MAX_COMMENT:
        return Problem("comment_too_long", {"maximum": MAX_COMMENT, "length": length})
    if blocked.found_in(comment):
        return Problem("comment_blocked")
    return None
