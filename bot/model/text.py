"""Plain-text rules shared by the core and storage: Telegram's length unit, and folding text so
that case, accents and punctuation do not count."""

from __future__ import annotations

import re
import unicodedata

_DOTTED = re.compile(r"\b(?:[^\W\d_]\.){2,}")


def utf16_units(text: str) -> int:
    """Length of plain ``text`` as Telegram counts it: UTF-16 code units (an emoji is 2)."""
    return len(text.encode("utf-16-le")) // 2


def fold(text: str) -> str:
    """Accents off, apostrophes and punctuation turned into spaces, dotted acronyms joined
    (C.D.O. -> CDO); case is kept, so "IT" can still be told from "it"."""
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())
