"""Telegram's HTML parse mode, a line-by-line port of TDLib's ``parse_html``.

The same supported tags and attributes, the same character references (``&lt;`` ``&gt;``
``&amp;`` ``&quot;`` and numeric ones; any other ``&`` stays literal), and the same error texts
with the same UTF-8 byte offsets. The Bot API answers a failure with
``Bad Request: can't parse entities: <message>``.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, replace

from fake_telegram_entities import Entity, LinkError, TextError, check_link, sort_entities

__all__ = ["parse_html"]

# --- parse_html --------------------------------------------------------------------------------

_SUPPORTED_TAGS = frozenset(
    "a b strong i em s strike del u ins tg-spoiler tg-emoji span pre code blockquote".split()
)
_SIMPLE_TAGS = {
    **dict.fromkeys(("b", "strong"), "bold"),
    **dict.fromkeys(("i", "em"), "italic"),
    **dict.fromkeys(("u", "ins"), "underline"),
    **dict.fromkeys(("s", "strike", "del"), "strikethrough"),
    **dict.fromkeys(("tg-spoiler", "span"), "spoiler"),
}
_NAMED_REFERENCES = {b"lt": ord("<"), b"gt": ord(">"), b"amp": ord("&"), b"quot": ord('"')}
_SPACE = frozenset(b" \t\r\n\0\v")  # TDLib's is_space counts the terminating NUL as a space
_HEX = frozenset(b"0123456789abcdefABCDEF")
_NAME_TOKEN = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")


def _decode_reference(data: bytes, pos: int) -> tuple[int, int]:
    """TDLib's decode_html_entity: (code point or 0, position after the reference)."""
    end = pos + 1
    code = 0
    if data[pos + 1] == ord("#"):
        end += 1
        if data[pos + 2] == ord("x"):
            end += 1
            while data[end] in _HEX:
                code = code * 16 + int(chr(data[end]), 16)
                end += 1
        else:
            while 0x30 <= data[end] <= 0x39:
                code = code * 10 + data[end] - 0x30
                end += 1
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        while chr(data[end]).isascii() and chr(data[end]).isalpha():
            end += 1
        code = _NAMED_REFERENCES.get(data[pos + 1 : end], 0)
        if code == 0:
            return 0, pos
    if data[end] == ord(";"):
        end += 1
    return code, end


def _utf8(code: int) -> bytes:
    return chr(code).encode("utf-8", "surrogatepass")


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int  # UTF-16 offset in the result
    begin: int  # byte position in the result


def parse_html(text: str) -> tuple[str, list[Entity]]:
    """Parse Telegram HTML exactly as TDLib does: the plain text and its entities.

    Raises :class:`TextError` with TDLib's message (e.g. ``Unsupported start tag "script" at
    byte offset 0``); the Bot API sends it as ``Bad Request: can't parse entities: <message>``.
    No trimming or automatic entities here: see :func:`format_text` for the whole pipeline.
    """
    if "\0" in text:
        raise TextError("Text must not contain null bytes")
    data = text.encode("utf-8", "surrogatepass") + b"\0"
    size = len(data) - 1
    result = bytearray()
    entities: list[Entity] = []
    nested: list[_OpenTag] = []
    utf16 = 0
    i = 0
    while i < size:
        char = data[i]
        if char == ord("&"):
            code, after = _decode_reference(data, i)
            if code:
                utf16 += 2 if code > 0xFFFF else 1
                result += _utf8(code)
                i = after
                continue
        if char != ord("<"):
            if char & 0xC0 != 0x80:
                utf16 += 2 if char >= 0xF0 else 1
            result.append(char)
            i += 1
            continue
        begin = i
        i += 1
        if data[i] != ord("/"):
            i = _parse_start_tag(data, begin, i, nested, utf16, len(result))
        else:
            i = _parse_end_tag(data, begin, i, nested, utf16, result, entities)
        i += 1  # past '>'
    if nested:
        raise TextError(f'Can\'t find end tag corresponding to start tag "{nested[-1].name}"')
    entities = [replace(e, language=None) if e.type == "code" else e for e in entities]
    try:
        plain = bytes(result).decode("utf-8")
    except UnicodeDecodeError:
        raise TextError(
            "Text contains invalid Unicode characters after decoding HTML entities, check for "
            "unmatched surrogate code units"
        ) from None
    return plain, sort_entities(entities)


def _parse_start_tag(
    data: bytes, begin: int, i: int, nested: list[_OpenTag], utf16: int, result_size: int
) -> int:
    while data[i] not in _SPACE and data[i] != ord(">"):
        i += 1
    if data[i] == 0:
        raise TextError(f"Unclosed start tag at byte offset {begin}")
    name = data[begin + 1 : i].decode("utf-8", "replace").lower()
    if name not in _SUPPORTED_TAGS:
        raise TextError(f'Unsupported start tag "{name}" at byte offset {begin}')
    argument = ""
    while data[i] != ord(">"):
        while data[i] != 0 and data[i] in _SPACE:
            i += 1
        if data[i] == ord(">"):
            break
        attribute_begin = i
        while data[i] not in _SPACE and data[i] not in b"=>/\"'":
            i += 1
        attribute = data[attribute_begin:i]
        if not attribute:
            raise TextError(f'Empty attribute name in the tag "{name}" at byte offset {begin}')
        while data[i] != 0 and data[i] in _SPACE:
            i += 1
        if data[i] != ord("="):
            if data[i] == 0:
                raise TextError(f'Unclosed start tag "{name}" at byte offset {begin}')
            if name == "blockquote" and attribute == b"expandable":
                argument = "1"
            continue
        i += 1
        while data[i] != 0 and data[i] in _SPACE:
            i += 1
        if data[i] == 0:
            raise TextError(f'Unclosed start tag "{name}" at byte offset {begin}')
        value, i = _parse_attribute_value(data, i)
        if data[i] == 0:
            raise TextError(f"Unclosed start tag at byte offset {begin}")
        argument = _tag_argument(name, attribute, value, argument)
    if name == "span" and argument != "spoiler":
        raise TextError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    nested.append(_OpenTag(name, argument, utf16, result_size))
    return i


def _parse_attribute_value(data: bytes, i: int) -> tuple[str, int]:
    if data[i] not in b"'\"":
        token_begin = i
        while data[i] in _NAME_TOKEN:
            i += 1
        if data[i] not in _SPACE and data[i] != ord(">"):
            raise TextError(f"Unexpected end of name token at byte offset {token_begin}")
        return data[token_begin:i].decode("ascii").lower(), i
    quote = data[i]
    i += 1
    value = bytearray()
    while data[i] != quote and data[i] != 0:
        if data[i] == ord("&"):
            code, after = _decode_reference(data, i)
            if code:
                value += _utf8(code)
                i = after
                continue
        value.append(data[i])
        i += 1
    if data[i] == quote:
        i += 1
    return bytes(value).decode("utf-8", "surrogatepass"), i


def _tag_argument(name: str, attribute: bytes, value: str, argument: str) -> str:
    if name == "a" and attribute == b"href":
        return value
    if name == "code" and attribute == b"class" and value.startswith("language-"):
        return value[len("language-") :]
    if name == "span" and attribute == b"class" and value.startswith("tg-"):
        return value[len("tg-") :]
    if name == "tg-emoji" and attribute == b"emoji-id":
        return value
    if name == "blockquote" and attribute == b"expandable":
        return "1"
    return argument


def _parse_end_tag(
    data: bytes,
    begin: int,
    i: int,
    nested: list[_OpenTag],
    utf16: int,
    result: bytearray,
    entities: list[Entity],
) -> int:
    if not nested:
        raise TextError(f"Unexpected end tag at byte offset {begin}")
    while data[i] not in _SPACE and data[i] != ord(">"):
        i += 1
    end_name = data[begin + 2 : i].decode("utf-8", "replace").lower()
    while data[i] in _SPACE and data[i] != 0:
        i += 1
    if data[i] != ord(">"):
        raise TextError(f"Unclosed end tag at byte offset {begin}")
    tag = nested[-1]
    if end_name and end_name != tag.name:
        raise TextError(
            f'Unmatched end tag at byte offset {begin}, expected "</{tag.name}>", '
            f'found "</{end_name}>"'
        )
    if utf16 > tag.offset:
        _close_entity(tag, utf16 - tag.offset, result, entities)
    nested.pop()
    return i


def _close_entity(tag: _OpenTag, length: int, result: bytearray, entities: list[Entity]) -> None:
    offset = tag.offset
    last = entities[-1] if entities else None
    same_span = last is not None and last.offset == offset and last.length == length
    if tag.name in _SIMPLE_TAGS:
        entities.append(Entity(_SIMPLE_TAGS[tag.name], offset, length))
    elif tag.name == "tg-emoji":
        if not _is_nonzero_int64(tag.argument):
            raise TextError("Invalid custom emoji identifier specified")
        entities.append(Entity("custom_emoji", offset, length, custom_emoji_id=tag.argument))
    elif tag.name == "a":
        url = tag.argument or bytes(result[tag.begin :]).decode("utf-8", "replace")
        with contextlib.suppress(LinkError):  # TDLib silently drops a link it cannot use
            entities.append(Entity("text_link", offset, length, url=check_link(url)))
    elif tag.name == "pre":
        if same_span and last is not None and last.type == "code" and last.language:
            entities[-1] = Entity("pre", offset, length, language=last.language)
        else:
            entities.append(Entity("pre", offset, length))
    elif tag.name == "code":
        if same_span and last is not None and last.type == "pre" and tag.argument:
            entities[-1] = Entity("pre", offset, length, language=tag.argument)
        else:
            entities.append(Entity("code", offset, length, language=tag.argument or None))
    else:  # blockquote
        kind = "expandable_blockquote" if tag.argument else "blockquote"
        entities.append(Entity(kind, offset, length))


def _is_nonzero_int64(value: str) -> bool:
    if not re.fullmatch(r"-?[0-9]+", value):
        return False
    number = int(value)
    return number != 0 and -(2**63) <= number < 2**63
