"""What a text looks like, for telling whether it spells a blocked word however it is written:
look-alike letters of any script as Unicode's TR39 confusables table maps them (from the
``confusable-homoglyphs`` package's copy of it), leetspeak ("m3rda"), and punctuation inside a
word ("mer.da", "mer-da") taken out."""

from __future__ import annotations

import functools
import json
import re
from importlib import resources

from bot.model.text import fold, normal

#: Digits and signs written for letters, inside a word that has letters.
LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"}
    | {"€": "e", "!": "i", "|": "i"}
)
#: Punctuation between two letters or digits of one word.
_INNER = re.compile(r"(?<=[^\W_])[.\-_*·•'’`~+/\\:,]+(?=[^\W_])")
#: A word with at least one letter (leetspeak is read only there: "2024" stays a year).
_WORD = re.compile(r"\S*[^\W\d_]\S*")


@functools.cache
def _confusables() -> dict[int, str]:
    """Every non-ASCII character TR39 confuses with an ASCII letter or digit, mapped to it."""
    source = resources.files("confusable_homoglyphs").joinpath("confusables.json")
    data: dict[str, list[dict[str, str]]] = json.loads(source.read_text(encoding="utf-8"))
    table: dict[int, str] = {}
    for char, glyphs in data.items():
        if len(char) != 1 or char.isascii():
            continue
        for glyph in glyphs:
            if len(glyph["c"]) == 1 and glyph["c"].isascii() and glyph["c"].isalnum():
                table[ord(char)] = glyph["c"].lower()
                break
    return table


def skeleton(text: str) -> str:
    """``text`` folded as a blocked word is matched: look-alikes, leetspeak and punctuation
    inside words undone, then case, accents and punctuation folded."""
    plain = normal(text).translate(_confusables())
    joined = _INNER.sub("", plain)
    return fold(_WORD.sub(lambda m: m.group().translate(LEET), joined)).lower()
