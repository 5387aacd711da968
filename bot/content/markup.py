"""The one place where text becomes Telegram HTML, and HTML becomes plain text again.

Everything a reader, the essay or a topic supplies is escaped here; templates written by the
author in ``content/`` are trusted markup, checked by :func:`markup_problems` at load time.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

#: Tags Telegram accepts in HTML parse mode.
ALLOWED_TAGS = frozenset(
    "b strong i em u ins s strike del span tg-spoiler a code pre blockquote".split()
)
#: Telegram's limits (a test checks them against ``telegram.constants``, which the core and
#: content may not import). A message's text after entity parsing:
MAX_TEXT = 4096
#: Telegram's limit on a callback query answer.
MAX_NOTICE = 200
#: Telegram's limit on a document's caption.
MAX_CAPTION = 1024


class Markup(str):
    """A fragment that is already Telegram HTML: :func:`fill` inserts it as it is."""


def escape(text: str) -> str:
    """Escape ``<``, ``>`` and ``&`` (and quotes) so Telegram shows ``text`` literally."""
    if isinstance(text, Markup):
        return text
    return html.escape(text, quote=True)


def fill(template: str, params: dict[str, object]) -> Markup:
    """Fill a trusted template's ``{placeholders}``, escaping every value that is not Markup."""
    return Markup(
        template.format_map(
            {k: escape(v if isinstance(v, str) else str(v)) for k, v in params.items()}
        )
    )


def quote(text: str) -> Markup:
    """``text`` escaped, as a block quotation."""
    return Markup(f"<blockquote>{escape(text)}</blockquote>")


def link(url: str, label: str) -> Markup:
    """A link to ``url`` showing ``label``."""
    return Markup(f'<a href="{escape(url)}">{escape(label)}</a>')


_TAG = re.compile(r"<[^>]*>")


def to_plain(markup: str) -> str:
    """The text a reader sees once Telegram has parsed ``markup`` (tags gone, entities decoded)."""
    return html.unescape(_TAG.sub("", markup))


_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)


def to_terminal(markup: str) -> str:
    """Like :func:`to_plain`, but links keep their address: ``label <https://...>``."""
    return to_plain(_LINK.sub(lambda m: f"{m.group(2)} &lt;{m.group(1)}&gt;", markup))


def units(text: str) -> int:
    """Length of plain ``text`` as Telegram counts it: UTF-16 code units (an emoji is 2).
    The same rule as :func:`bot.model.text.utf16_units`; kept here so markup imports nothing
    (a test checks they agree)."""
    return len(text.encode("utf-16-le")) // 2


def visible_length(markup: str) -> int:
    """Length of ``markup`` as Telegram counts it: UTF-16 code units after entity parsing."""
    return units(to_plain(markup))


def chunks(text: str, size: int) -> list[str]:
    """``text`` cut into pieces of at most ``size`` UTF-16 units, never inside a character."""
    pieces: list[str] = []
    start, used = 0, 0
    for index, char in enumerate(text):
        width = 2 if ord(char) > 0xFFFF else 1
        if used + width > size:
            pieces.append(text[start:index])
            start, used = index, 0
        used += width
    pieces.append(text[start:])
    return [p for p in pieces if p] or [""]


def clip(text: str, size: int) -> str:
    """``text`` shortened to at most ``size`` UTF-16 units, ending in "…" when cut."""
    if units(text) <= size:
        return text
    return chunks(text, size - 1)[0].rstrip() + "…"


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> is not allowed by Telegram")
        elif tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            self.problems.append('<span> needs class="tg-spoiler"')
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"unexpected </{tag}>")
            return
        self.open.pop()


def markup_problems(markup: str) -> list[str]:
    """What Telegram would reject in ``markup`` (unknown or unbalanced tags); empty when fine."""
    checker = _Checker()
    checker.feed(markup)
    checker.close()
    problems = checker.problems
    if checker.open:
        problems.append(f"<{checker.open[-1]}> is never closed")
    if re.search(r"<(?![a-zA-Z/])", markup):
        problems.append("a bare '<' must be written &lt;")
    return problems


def fit(markup: str, limit: int = MAX_TEXT) -> Markup:
    """``markup`` as it is if Telegram accepts its length, else its plain text clipped to fit
    (formatting lost, never the message). The last line of defence, not a way to lay out text."""
    if visible_length(markup) <= limit:
        return Markup(markup)
    return Markup(escape(clip(to_plain(markup), limit)))
