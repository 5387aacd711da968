"""Telegram's HTML parse mode and text rules, for the fake Bot API in ``fake_telegram``.

:func:`parse_html` follows TDLib's ``parse_html``: the same tags, character references (``&lt;``
``&gt;`` ``&amp;`` ``&quot;`` and numeric ones; any other ``&`` stays literal) and error messages,
with the same UTF-8 byte offsets; entity offsets and lengths are in UTF-16 code units. Left out:
``tg-emoji``, code languages, expandable quotes, and the entities Telegram finds by itself
(mentions, hashtags, URLs...).
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any, NamedTuple

__all__ = ["HtmlError", "check_link", "format_text", "parse_html", "utf16_len"]

_TAGS = {
    **dict.fromkeys(("b", "strong"), "bold"),
    **dict.fromkeys(("i", "em"), "italic"),
    **dict.fromkeys(("u", "ins"), "underline"),
    **dict.fromkeys(("s", "strike", "del"), "strikethrough"),
    **dict.fromkeys(("tg-spoiler", "span"), "spoiler"),
    **{"a": "text_link", "code": "code", "pre": "pre", "blockquote": "blockquote"},
}
# TDLib orders entities by offset, longer first, then by this priority of types.
_PRIORITY = {"blockquote": 0, "pre": 11, "code": 20, "text_link": 49, "bold": 90, "italic": 91}
_PRIORITY |= {"underline": 92, "strikethrough": 93, "spoiler": 94}
_NAMED = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}
_REFERENCE = re.compile(rb"&(?:#x([0-9a-fA-F]*)|#([0-9]*)|([a-zA-Z]*))")
_SPACE = b" \t\r\n\0\v"  # TDLib's is_space, which counts the terminating NUL as a space
_NAME_TOKEN = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"


class HtmlError(ValueError):
    """Telegram refused the text; ``str(error)`` is TDLib's message, without the Bot API prefix
    (``Bad Request: can't parse entities: ``)."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of every Bot API offset and limit."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def check_link(url: str) -> str:
    """A link as Telegram accepts and normalizes it (``https://Example.com`` becomes
    ``https://example.com/``, a bare host gets ``http://``); ValueError with TDLib's reason."""
    parts = urllib.parse.urlsplit(url.strip() if "://" in url else f"http://{url.strip()}")
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    if scheme == "tg":
        return url.strip()
    if scheme not in ("http", "https"):
        raise ValueError("Unsupported URL protocol")
    if not re.fullmatch(r"([a-z0-9_-]{1,63}\.)+([a-z]{2,}|xn--[a-z0-9-]+)\.?", host):
        raise ValueError("Wrong HTTP URL" if host else "URL host is empty")
    path = parts.path or "/"
    return urllib.parse.urlunsplit((scheme, parts.netloc.lower(), path, *parts[3:]))


def _reference(data: bytes, pos: int) -> tuple[str, int]:
    """TDLib's decode_html_entity at ``data[pos] == "&"``: the character and the position after
    the reference, or ``("", pos)`` when it is not one."""
    match = _REFERENCE.match(data, pos)
    assert match is not None  # every group may be empty
    hexadecimal, decimal, name = match.groups()
    if name is not None:
        char = _NAMED.get(name, "")
    else:
        code = int(hexadecimal or decimal or b"0", 16 if hexadecimal is not None else 10)
        char = chr(code) if 0 < code < 0x10FFFF and match.end() - pos < 10 else ""
    end = match.end() + (data[match.end()] == ord(";"))
    return (char, end) if char else ("", pos)


class _Open(NamedTuple):
    name: str
    argument: str
    offset: int  # UTF-16 offset in the result
    begin: int  # byte position in the result


def parse_html(html: str) -> tuple[str, list[dict[str, Any]]]:
    """The plain text and the entities (as the Bot API writes them) of Telegram HTML; raises
    :class:`HtmlError`, e.g. ``Unsupported start tag "script" at byte offset 0``."""
    data = html.encode("utf-8", "surrogatepass") + b"\0"
    result = bytearray()
    entities: list[dict[str, Any]] = []
    nested: list[_Open] = []
    utf16 = i = 0
    while i < len(data) - 1:
        if data[i] == ord("&") and (reference := _reference(data, i))[0]:
            char, i = reference
            utf16 += utf16_len(char)
            result += char.encode("utf-8", "surrogatepass")
        elif data[i] != ord("<"):
            if data[i] & 0xC0 != 0x80:  # the first byte of a character
                utf16 += 2 if data[i] >= 0xF0 else 1
            result.append(data[i])
            i += 1
        elif data[i + 1] != ord("/"):
            name, argument, i = _start_tag(data, i)
            nested.append(_Open(name, argument, utf16, len(result)))
        else:
            tag, i = _end_tag(data, i, nested)
            if utf16 > tag.offset:
                entity: dict[str, Any] = {"offset": tag.offset, "length": utf16 - tag.offset}
                entity["type"] = _TAGS[tag.name]
                if tag.name == "a":
                    url = tag.argument or bytes(result[tag.begin :]).decode("utf-8", "replace")
                    try:
                        entity["url"] = check_link(url)
                    except ValueError:
                        continue  # TDLib silently drops a link it cannot use
                entities.append(entity)
    if nested:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{nested[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"], _PRIORITY[e["type"]]))
    return bytes(result).decode("utf-8", "replace"), entities  # (TDLib refuses lone surrogates)


def _skip_spaces(data: bytes, i: int) -> int:
    while data[i] != 0 and data[i] in _SPACE:
        i += 1
    return i


def _start_tag(data: bytes, begin: int) -> tuple[str, str, int]:
    """Parse the start tag at ``begin``: its name, its argument and the position after it."""
    i = begin + 1
    while data[i] not in _SPACE and data[i] != ord(">"):
        i += 1
    if data[i] == 0:
        raise HtmlError(f"Unclosed start tag at byte offset {begin}")
    name = data[begin + 1 : i].decode("utf-8", "replace").lower()
    if name not in _TAGS:
        raise HtmlError(f'Unsupported start tag "{name}" at byte offset {begin}')
    argument = ""
    while data[i] != ord(">"):
        i = _skip_spaces(data, i)
        if data[i] == ord(">"):
            break
        attribute_begin = i
        while data[i] not in _SPACE and data[i] not in b"=>/\"'":
            i += 1
        attribute = data[attribute_begin:i]
        if not attribute:
            raise HtmlError(f'Empty attribute name in the tag "{name}" at byte offset {begin}')
        i = _skip_spaces(data, i)
        if data[i] != ord("="):
            if data[i] == 0:
                raise HtmlError(f'Unclosed start tag "{name}" at byte offset {begin}')
            continue
        i = _skip_spaces(data, i + 1)
        if data[i] == 0:
            raise HtmlError(f'Unclosed start tag "{name}" at byte offset {begin}')
        value, i = _attribute_value(data, i)
        if data[i] == 0:
            raise HtmlError(f"Unclosed start tag at byte offset {begin}")
        if (name, attribute) in (("a", b"href"), ("span", b"class")):
            argument = value
    if name == "span" and argument != "tg-spoiler":
        raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    return name, argument, i + 1


def _attribute_value(data: bytes, i: int) -> tuple[str, int]:
    if data[i] not in b"'\"":
        begin = i
        while data[i] in _NAME_TOKEN:
            i += 1
        if data[i] not in _SPACE and data[i] != ord(">"):
            raise HtmlError(f"Unexpected end of name token at byte offset {begin}")
        return data[begin:i].decode("ascii").lower(), i
    quote, value = data[i], bytearray()
    i += 1
    while data[i] != quote and data[i] != 0:
        if data[i] == ord("&") and (reference := _reference(data, i))[0]:
            char, i = reference
            value += char.encode("utf-8", "surrogatepass")
        else:
            value.append(data[i])
            i += 1
    return bytes(value).decode("utf-8", "replace"), i + 1 if data[i] == quote else i


def _end_tag(data: bytes, begin: int, nested: list[_Open]) -> tuple[_Open, int]:
    """Parse the end tag at ``begin``: the tag it closes and the position after it."""
    if not nested:
        raise HtmlError(f"Unexpected end tag at byte offset {begin}")
    i = begin + 2
    while data[i] not in _SPACE and data[i] != ord(">"):
        i += 1
    name = data[begin + 2 : i].decode("utf-8", "replace").lower()
    i = _skip_spaces(data, i)
    if data[i] != ord(">"):
        raise HtmlError(f"Unclosed end tag at byte offset {begin}")
    tag = nested.pop()
    if name and name != tag.name:
        raise HtmlError(
            f'Unmatched end tag at byte offset {begin}, expected "</{tag.name}>", '
            f'found "</{name}>"'
        )
    return tag, i + 1


def format_text(
    text: str, entities: list[dict[str, Any]], *, caption: bool = False
) -> tuple[str, list[dict[str, Any]]]:
    """The text Telegram stores: control characters become spaces, then spaces and newlines are
    trimmed from both ends (at the start, only before the first entity), entities cut to match.
    A whitespace-only text raises ``HtmlError("Text must be non-empty")``; a caption is ``""``.
    """
    text = "".join(" " if char < " " and char != "\n" else char for char in text)
    if not text.strip(" \n"):
        if caption:
            return "", []
        raise HtmlError("Text must be non-empty")
    text = text.rstrip(" \n")
    end = utf16_len(text)
    kept = [e | {"length": min(e["offset"] + e["length"], end) - e["offset"]} for e in entities]
    kept = [e for e in kept if e["length"] > 0]
    first = min((e["offset"] for e in kept), default=len(text))
    skip = 0
    while skip < first and text[skip] in " \n":
        skip += 1
    return text[skip:], [e | {"offset": e["offset"] - skip} for e in kept]
