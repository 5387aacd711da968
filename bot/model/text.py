"""Plain-text rules shared by the core and storage: Telegram's length unit, and folding text so
that case, accents and punctuation do not count."""

from __future__ import annotations

import functools
import re
import unicodedata

_DOTTED = re.compile(r"\b(?:[^\W\d_]\.){2,}")
#: The characters a per-character check need look at: every non-ASCII one, and the two ASCII
#: modifier symbols (^ and `); the rest of ASCII is never a symbol, a format or combining mark.
_NOT_PLAIN = re.compile(r"[^\x00-\x5d\x5f\x61-\x7f]")


def utf16_units(text: str) -> int:
    """Length of plain ``text`` as Telegram counts it: UTF-16 code units (an emoji is 2)."""
    return len(text.encode("utf-16-le")) // 2


#: Look-alikes of Latin letters from other scripts and styles, as Unicode TR39 maps them for the
#: letters Italian and English use: Cyrillic and Greek letters, the dotless i, small capitals,
#: and squared letters ("mаrketing" with a Cyrillic "а" is "marketing"; "ᴍᴇʀᴅᴀ" is "merda").
CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁһԛԝАВЕКМНОРСТХІЈЅοαειкνρτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧıᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ"
    + "".join(chr(c) for c in range(0x1F130, 0x1F14A))
    + "".join(chr(c) for c in range(0x1F170, 0x1F18A)),
    "aeopcyxijsdhqwABEKMHOPCTXIJSoaeikvptuxABEZHIKMNOPTYXiabcdefghijklmnoprstuvwyz"
    + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 2,
)
#: Characters that show nothing (Unicode's Default_Ignorable_Code_Point, plus the blank
#: braille pattern): removed before any check.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def normal(text: str) -> str:
    """One normal form for every check on what readers write: NFKC (full-width and styled
    letters become plain ones), invisible format characters removed (zero-width space, soft
    hyphen, word joiner, joiners, BOM), and look-alike letters mapped to Latin ones."""
    composed = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    visible = _NOT_PLAIN.sub(
        lambda m: "" if unicodedata.category(m.group()) == "Cf" else m.group(), composed
    )
    return visible.translate(CONFUSABLES)


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Accents off, apostrophes and punctuation turned into spaces, dotted acronyms joined
    (C.D.O. -> CDO); case is kept, so "IT" can still be told from "it"."""
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), normal(text))
    decomposed = unicodedata.normalize("NFKD", text)
    plain = _NOT_PLAIN.sub(
        lambda m: "" if unicodedata.combining(m.group()) else m.group(), decomposed
    )
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


_REPEATED = re.compile(r"(\w)\1{2,}")


def unrepeated(text: str) -> str:
    """``text`` with a letter repeated for emphasis written once ("ciaooo" is "ciao")."""
    return _REPEATED.sub(r"\1", text)


def _symbol_word(match: re.Match[str]) -> str:
    """An emoji or symbol as a word of its own ("👍" is " u1f44d "); anything else as it is."""
    c = match.group()
    return f" u{ord(c):x} " if unicodedata.category(c) in ("So", "Sk") else c


@functools.lru_cache(maxsize=4096)
def normalized(text: str) -> str:
    """The text the model reads: folded, lower case, letters repeated for emphasis once, and
    each emoji or symbol a word of its own ("👍" is "u1f44d")."""
    marked = _NOT_PLAIN.sub(_symbol_word, text)
    return unrepeated(fold(marked).lower())


_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+")


def sentences(text: str) -> list[str]:
    """``text`` cut after each . ; : ! ? that white space follows: how the essay and its
    translations are paired sentence by sentence."""
    return [s for s in _SENTENCE_END.split(text) if s.strip()]
