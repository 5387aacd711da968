"""Plain-text rules shared by the core and storage: Telegram's length unit, and folding text so
that case, accents and punctuation do not count."""

from __future__ import annotations

import re
import unicodedata

_DOTTED = re.compile(r"\b(?:[^\W\d_]\.){2,}")


def utf16_units(text: str) -> int:
    """Length of plain ``text`` as Telegram counts it: UTF-16 code units (an emoji is 2)."""
    return len(text.encode("utf-16-le")) // 2


#: Look-alikes of Latin letters from other scripts (Cyrillic, Greek), as Unicode TR39 maps them
#: for the letters Italian and English use: "mаrketing" with a Cyrillic "а" is "marketing".
CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁһԛԝАВЕКМНОРСТХІЈЅοαειкνρτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhqwABEKMHOPCTXIJSoaeiknptuxABEZHIKMNOPTYX",
)


def normal(text: str) -> str:
    """One normal form for every check on what readers write: NFKC (full-width and styled
    letters become plain ones), invisible format characters removed (zero-width space, soft
    hyphen, word joiner, joiners, BOM), and look-alike letters mapped to Latin ones."""
    composed = unicodedata.normalize("NFKC", text)
    visible = "".join(c for c in composed if unicodedata.category(c) != "Cf")
    return visible.translate(CONFUSABLES)


def fold(text: str) -> str:
    """Accents off, apostrophes and punctuation turned into spaces, dotted acronyms joined
    (C.D.O. -> CDO); case is kept, so "IT" can still be told from "it"."""
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), normal(text))
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())
