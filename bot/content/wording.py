"""Loading ``content/wording.yaml``: the words that tell what a question asks for."""

from __future__ import annotations

from typing import Any

from bot.content.catalog import ASPECTS, Wording
from bot.content.schema import Problems
from bot.model.text import fold

FILE = "content/wording.yaml"
KEYS = ("aspects", "yesno_starts", "question_words", "frame")


def _phrases(raw: Any, entry: str, problems: Problems) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(w, str | int) for w in raw):
        problems.add(FILE, entry, "must be a non-empty list of words or phrases")
        return ()
    folded = (fold(str(w)).lower() for w in raw)
    return tuple(dict.fromkeys(w for w in folded if w))


def _kinds(
    raw: Any, entry: str, kinds: tuple[str, ...], problems: Problems
) -> dict[str, tuple[str, ...]]:
    raw = raw if isinstance(raw, dict) else {}
    for kind in sorted(set(raw) - set(kinds), key=str):
        problems.add(FILE, f"{entry}.{kind}", f"unknown kind (allowed: {', '.join(kinds)})")
    return {kind: _phrases(raw.get(kind), f"{entry}.{kind}", problems) for kind in kinds}


def load_wording(raw: Any, problems: Problems) -> Wording:
    """The word lists of ``content/wording.yaml``."""
    raw = raw if isinstance(raw, dict) else {}
    for key in sorted(set(raw) - set(KEYS), key=str):
        problems.add(FILE, str(key), "unknown key")
    return Wording(
        aspects=_kinds(raw.get("aspects"), "aspects", ASPECTS, problems),
        yesno_starts=frozenset(_phrases(raw.get("yesno_starts"), "yesno_starts", problems)),
        question_words=_phrases(raw.get("question_words"), "question_words", problems),
        frame=frozenset(_phrases(raw.get("frame"), "frame", problems)),
    )
