"""Telegram's message text rules, ported from TDLib for the fake Bot API server.

Real Telegram turns ``text`` + ``parse_mode`` (or ``text`` + ``entities``) into the plain text and
the entity list a Message carries. TDLib's ``MessageEntity.cpp`` (which the official Bot API server
runs) does it in two steps: ``parse_html`` (see ``fake_telegram_html``) and ``fix_formatted_text``,
reproduced here by :func:`format_text`: control characters become spaces, ``\\r`` is dropped,
whitespace-only text is refused, the text is trimmed, overlapping entities are fixed or dropped,
bold/italic/... are split around code and links, and the automatic entities (commands, mentions,
hashtags, URLs, e-mails) are found. Offsets and lengths are in UTF-16 code units, as in the Bot
API.
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = [
    "Entity",
    "LinkError",
    "TextError",
    "check_link",
    "find_entities",
    "format_text",
    "parse_entities",
    "sort_entities",
    "utf16_len",
]


class TextError(ValueError):
    """Telegram refused the text; ``str(error)`` is TDLib's message, without the Bot API prefix."""


class LinkError(ValueError):
    """A URL Telegram does not accept; ``str(error)`` is the reason, e.g. ``Wrong HTTP URL``."""


@dataclass(frozen=True)
class Entity:
    """A MessageEntity; ``offset`` and ``length`` are in UTF-16 code units."""

    type: str
    offset: int
    length: int
    url: str | None = None
    language: str | None = None
    custom_emoji_id: str | None = None
    user: dict[str, Any] | None = field(default=None, compare=False, hash=False)

    @property
    def end(self) -> int:
        return self.offset + self.length

    def to_dict(self) -> dict[str, Any]:
        """The entity as the Bot API writes it in a Message."""
        result: dict[str, Any] = {"offset": self.offset, "length": self.length, "type": self.type}
        if self.url is not None:
            result["url"] = self.url
        if self.language:
            result["language"] = self.language
        if self.custom_emoji_id is not None:
            result["custom_emoji_id"] = self.custom_emoji_id
        if self.user is not None:
            result["user"] = dict(self.user)
        return result


# --- entity classes and ordering, as in TDLib --------------------------------------------------

MAX_USER_ENTITIES = 100
SPLITTABLE = ("bold", "italic", "underline", "strikethrough", "spoiler")
BLOCKQUOTES = frozenset({"blockquote", "expandable_blockquote"})
PRE_KINDS = frozenset({"pre", "pre_code", "code"})
CONTINUOUS = frozenset(
    "mention hashtag cashtag bot_command url email phone_number bank_card_number text_link"
    " text_mention custom_emoji".split()
)
USER_KINDS = frozenset(
    {*SPLITTABLE, *BLOCKQUOTES, *PRE_KINDS, "text_link", "text_mention", "custom_emoji"}
)
_PRIORITY = {
    **dict.fromkeys(CONTINUOUS, 50),
    **dict.fromkeys(BLOCKQUOTES, 0),
    **{"text_link": 49, "text_mention": 49, "custom_emoji": 99, "code": 20, "pre": 11},
    **{"pre_code": 10, "bold": 90, "italic": 91, "underline": 92, "strikethrough": 93},
    "spoiler": 94,
}


def _kind(entity: Entity) -> str:
    """TDLib's entity type: a ``pre`` with a language is a separate type, PreCode."""
    return "pre_code" if entity.type == "pre" and entity.language else entity.type


def _sort_key(entity: Entity) -> tuple[int, int, int]:
    return entity.offset, -entity.length, _PRIORITY[_kind(entity)]


def sort_entities(entities: Iterable[Entity]) -> list[Entity]:
    """Sort as TDLib does: by offset, longer first, then by a fixed priority of types."""
    return sorted(entities, key=_sort_key)


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of every Bot API offset and limit."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


# --- links -------------------------------------------------------------------------------------

_HOST_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)", re.IGNORECASE)


def check_link(url: str) -> str:
    """Validate a link as TDLib's ``LinkManager::check_link`` does and return it normalized.

    ``https://example.com`` becomes ``https://example.com/``; a bare ``example.com`` becomes
    ``http://example.com/``; ``tg://`` links are kept. Raises :class:`LinkError` with TDLib's
    reason otherwise (``Wrong HTTP URL``, ``Unsupported URL protocol``, ``URL host is empty``).
    """
    link = url.strip()
    if re.match(r"(?i)tg:", link):
        if not re.fullmatch(r"(?i)tg:(//)?[a-z0-9_-]+([/?#].*)?", link):
            raise LinkError("Wrong tg:// URL")
        return "tg://" + re.sub(r"(?i)^tg:(//)?", "", link)
    scheme_match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", link)
    scheme = "http"
    if scheme_match:
        scheme = scheme_match.group(1).lower()
        if scheme not in ("http", "https"):
            raise LinkError("Unsupported URL protocol")
        link = link[scheme_match.end() :]
    if not link or link[0] in "/?#":
        raise LinkError("URL host is empty")
    parts = urllib.parse.urlsplit(f"{scheme}://{link}")
    try:
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        raise LinkError("Wrong port number specified in the URL") from None
    if not host:
        raise LinkError("URL host is empty")
    if not _is_valid_host(host):
        raise LinkError("Wrong HTTP URL")
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    userinfo, _, hostport = parts.netloc.rpartition("@")
    netloc = f"{userinfo}@" * bool(userinfo) + hostport.lower()
    return f"{scheme}://{netloc}{path}{query}{fragment}"


def _is_valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return False
    top = labels[-1]
    return top.startswith("xn--") or (top.isalpha() and len(top) >= 2)


# --- automatic entities (TDLib's find_entities, the parts a bot meets) -------------------------


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _is_hashtag_letter(char: str) -> bool:
    return char.isalnum() or char in "_\u200c\u00b7" or "\u0d80" <= char <= "\u0dff"


def _ascii_word(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


def _run(text: str, start: int, accept: Any) -> int:
    end = start
    while end < len(text) and accept(text[end]):
        end += 1
    return end


def _find_mentions(text: str) -> Iterable[tuple[int, int]]:
    for match in re.finditer("@", text):
        start = match.start()
        if start > 0 and _is_word(text[start - 1]):
            continue
        end = _run(text, start + 1, _ascii_word)
        if not 2 <= end - start - 1 <= 32 or (end < len(text) and _is_word(text[end])):
            continue
        yield start, end


def _find_bot_commands(text: str) -> Iterable[tuple[int, int]]:
    for match in re.finditer("/", text):
        start = match.start()
        if start > 0 and (_is_word(text[start - 1]) or text[start - 1] in "/<>"):
            continue
        end = _run(text, start + 1, _ascii_word)
        if not 1 <= end - start - 1 <= 64:
            continue
        if end < len(text) and text[end] == "@":
            mention_end = _run(text, end + 1, _ascii_word)
            if not 3 <= mention_end - end - 1 <= 32:
                continue
            end = mention_end
        if end < len(text) and (_is_word(text[end]) or text[end] in "/<>"):
            continue
        yield start, end


def _find_hashtags(text: str) -> Iterable[tuple[int, int]]:
    for match in re.finditer("#", text):
        start = match.start()
        if start > 0 and _is_hashtag_letter(text[start - 1]):
            continue
        end = _run(text, start + 1, _is_hashtag_letter)
        body = text[start + 1 : min(end, start + 257)]
        if not body or (end < len(text) and text[end] == "#"):
            continue
        if not any(char.isalpha() for char in body):
            continue
        yield start, start + 1 + len(body)


def _find_cashtags(text: str) -> Iterable[tuple[int, int]]:
    for match in re.finditer(r"\$(1INCH|[A-Z]{1,8})", text):
        start, end = match.span()
        if start > 0 and (_is_hashtag_letter(text[start - 1]) or text[start - 1] == "$"):
            continue
        if end < len(text) and (_is_hashtag_letter(text[end]) or text[end] == "$"):
            continue
        yield start, end


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(
    r"(?i)\b(?:(?:https?|tg|ftp)://|www\.)[^\s<>\"]+"
    r"|\b(?:[a-z0-9-]+\.)+(?:com|org|net|edu|gov|io|it|eu|de|uk|fr|es|ru|me|dev|app|ai|info)"
    r"\b(?:/[^\s<>\"]*)?"
)


def _find_links(text: str) -> Iterable[tuple[str, int, int]]:
    emails = [(m.start(), m.end()) for m in _EMAIL.finditer(text)]
    for start, end in emails:
        yield "email", start, end
    for match in _URL.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in ".,:;!?'\")]}":
            end -= 1
        if any(s < end and start < e for s, e in emails):
            continue
        yield "url", start, end


def find_entities(text: str) -> list[Entity]:
    """The entities Telegram finds by itself: commands, mentions, hashtags, URLs, e-mails.

    Commands, mentions, hashtags and cashtags follow TDLib's matchers exactly; URL and e-mail
    detection is a simplification (scheme or ``www.`` URLs, and bare domains with common TLDs).
    """
    found = [("mention", s, e) for s, e in _find_mentions(text)]
    found += [("bot_command", s, e) for s, e in _find_bot_commands(text)]
    found += [("hashtag", s, e) for s, e in _find_hashtags(text)]
    found += [("cashtag", s, e) for s, e in _find_cashtags(text)]
    found += list(_find_links(text))
    offsets = _utf16_offsets(text)
    entities = [Entity(kind, offsets[s], offsets[e] - offsets[s]) for kind, s, e in found]
    return _remove_intersecting(sort_entities(entities))


def _utf16_offsets(text: str) -> list[int]:
    """``offsets[i]`` is the UTF-16 offset of ``text[i]``; one more entry for the end."""
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + (2 if ord(char) > 0xFFFF else 1))
    return offsets


# --- fix_formatted_text ------------------------------------------------------------------------


def _remove_intersecting(entities: list[Entity]) -> list[Entity]:
    """TDLib's remove_intersecting_entities: keeps the first of overlapping or nested ones."""
    kept: list[Entity] = []
    last_end = 0
    for entity in entities:
        if entity.offset >= last_end:
            kept.append(entity)
            last_end = entity.end
    return kept


def _remove_intersecting_blockquote(
    entities: list[Entity], blockquotes: list[Entity]
) -> list[Entity]:
    kept: list[Entity] = []
    index = 0
    for entity in entities:
        while index < len(blockquotes) and blockquotes[index].end <= entity.offset:
            index += 1
        if index < len(blockquotes):
            quote = blockquotes[index]
            if quote.end < entity.end or entity.offset < quote.offset < entity.end:
                continue
        kept.append(entity)
    return kept


def _are_entities_valid(entities: list[Entity]) -> bool:
    end_pos = dict.fromkeys(SPLITTABLE, -1)
    stack: list[Entity] = []
    for entity in entities:
        while stack and entity.offset >= stack[-1].end:
            stack.pop()
        kind = _kind(entity)
        if stack:
            kinds = {_kind(parent) for parent in stack}
            if entity.end > stack[-1].end or kind in kinds or _kind(stack[-1]) in PRE_KINDS:
                return False
            if kind in PRE_KINDS and kinds - BLOCKQUOTES:
                return False
            if (kind in CONTINUOUS or kind in BLOCKQUOTES) and kinds & CONTINUOUS:
                return False
            if kind in BLOCKQUOTES and kinds & BLOCKQUOTES:
                return False
            if kinds & set(SPLITTABLE):
                return False
        if kind in SPLITTABLE:
            if end_pos[kind] >= entity.offset:
                return False
            end_pos[kind] = entity.end
        stack.append(entity)
    return True


def _split_entities(splittable: list[Entity], others: list[Entity]) -> list[Entity]:
    """TDLib's split_entities: merge touching bold/italic/..., cut them at the borders of the
    other entities and drop the parts inside code and pre."""
    begin = dict.fromkeys(SPLITTABLE, 0)
    end = dict.fromkeys(SPLITTABLE, 0)
    result: list[Entity] = []
    position = 0

    def flush(offset: int) -> None:
        for kind in SPLITTABLE:
            if end[kind] != 0 and begin[kind] < offset:
                if end[kind] <= offset:
                    result.append(Entity(kind, begin[kind], end[kind] - begin[kind]))
                    begin[kind] = end[kind] = 0
                else:
                    result.append(Entity(kind, begin[kind], offset - begin[kind]))
                    begin[kind] = offset

    def add_entities(end_offset: int) -> None:
        nonlocal position
        while position < len(splittable) and splittable[position].offset < end_offset:
            entity = splittable[position]
            kind = entity.type
            if entity.offset <= end[kind] and end[kind] != 0:
                end[kind] = max(end[kind], entity.end)
            else:
                flush(entity.offset)
                begin[kind], end[kind] = entity.offset, entity.end
            position += 1
        flush(end_offset)

    stack: list[Entity] = []

    def add_offset(offset: int) -> None:
        while stack and offset >= stack[-1].end:
            size = len(result)
            add_entities(stack[-1].end)
            if _kind(stack[-1]) in PRE_KINDS:
                del result[size:]
            stack.pop()
        add_entities(offset)

    for other in others:
        add_offset(other.offset)
        stack.append(other)
    add_offset(2**31 - 1)
    return sort_entities(result)


def _fix_entities(entities: list[Entity]) -> list[Entity]:
    entities = sort_entities(entities)
    if _are_entities_valid(entities):
        return entities
    splittable = [e for e in entities if e.type in SPLITTABLE]
    blockquotes = [e for e in entities if e.type in BLOCKQUOTES]
    continuous = _remove_intersecting(
        [e for e in entities if e.type not in SPLITTABLE and e.type not in BLOCKQUOTES]
    )
    if blockquotes:
        blockquotes = _remove_intersecting(blockquotes)
        continuous = _remove_intersecting_blockquote(continuous, blockquotes)
        continuous = sort_entities(continuous + blockquotes)
    return _resplit(splittable, continuous)


def _resplit(splittable: list[Entity], continuous: list[Entity]) -> list[Entity]:
    if not splittable:
        return continuous
    splittable = _split_entities(splittable, continuous)
    return sort_entities(continuous + splittable) if continuous else splittable


def _merge_new_entities(entities: list[Entity], new_entities: list[Entity]) -> list[Entity]:
    if not new_entities:
        return entities
    splittable = [e for e in entities if e.type in SPLITTABLE]
    blockquotes = [e for e in entities if e.type in BLOCKQUOTES]
    continuous = [e for e in entities if e.type not in SPLITTABLE and e.type not in BLOCKQUOTES]
    new_entities = _remove_intersecting_blockquote(new_entities, blockquotes)
    merged: list[Entity] = []
    index = 0
    for old in continuous:
        while index < len(new_entities) and new_entities[index].end <= old.offset:
            merged.append(new_entities[index])
            index += 1
        merged.append(old)
        while index < len(new_entities) and new_entities[index].offset < old.end:
            index += 1
    merged += new_entities[index:]
    if blockquotes:
        merged = sort_entities(merged + blockquotes)
    return _resplit(splittable, merged)


_REMOVED = frozenset("\r\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u0333\u033f\u030a")


def _clean(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """TDLib's clean_input_string_with_entities: control characters become spaces; ``\\r``,
    line/paragraph separators, direction overrides and some combining marks are removed."""
    offsets = _utf16_offsets(text)
    total = offsets[-1]
    boundaries = set(offsets)
    for entity in entities:
        if entity.offset > total:
            raise TextError(
                f"Entity begins after the end of the text at UTF-16 offset {entity.offset}"
            )
        if entity.end > total:
            raise TextError(
                f"Entity beginning at UTF-16 offset {entity.offset} ends after the end of the "
                f"text at UTF-16 offset {entity.end}"
            )
        if entity.offset not in boundaries:
            raise TextError(
                "Entity begins in a middle of a UTF-16 symbol at byte offset "
                f"{_byte_offset_after(text, entity.offset)}"
            )
        if entity.end not in boundaries:
            raise TextError(
                f"Entity beginning at UTF-16 offset {entity.offset} ends in a middle of a UTF-16 "
                f"symbol at byte offset {_byte_offset_after(text, entity.end)}"
            )
    cleaned: list[str] = []
    new_offset = {0: 0}
    position = 0
    for index, char in enumerate(text):
        if char in _REMOVED:
            pass
        elif ord(char) <= 32 and char != "\n":
            cleaned.append(" ")
            position += 1
        else:
            cleaned.append(char)
            position += 2 if ord(char) > 0xFFFF else 1
        new_offset[offsets[index + 1]] = position
    remapped = [
        replace(e, offset=new_offset[e.offset], length=new_offset[e.end] - new_offset[e.offset])
        for e in entities
    ]
    return "".join(cleaned), [e for e in remapped if e.length > 0]


def _byte_offset_after(text: str, utf16_offset: int) -> int:
    """UTF-8 byte offset of the first character that starts after ``utf16_offset``."""
    units = 0
    for index, char in enumerate(text):
        if units > utf16_offset:
            return len(text[:index].encode("utf-8", "surrogatepass"))
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text.encode("utf-8", "surrogatepass"))


def _remove_empty(entities: list[Entity]) -> list[Entity]:
    return [
        e
        for e in entities
        if e.length > 0
        and not (e.type == "text_link" and not e.url)
        and not (e.type == "text_mention" and not e.user)
    ]


def _trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    kept = len(text.rstrip(" \n"))
    last = utf16_len(text[:kept])
    entities = [e for e in entities if e.offset < last]
    entities = sort_entities(replace(e, length=min(e.end, last) - e.offset) for e in entities)
    text = text[:kept]
    first_entity = entities[0].offset if entities else len(text)
    skip = 0
    while skip < first_entity and text[skip] in " \n":
        skip += 1
    return text[skip:], [replace(e, offset=e.offset - skip) for e in entities]


def format_text(
    text: str, entities: list[Entity] | None = None, *, allow_empty: bool = False
) -> tuple[str, list[Entity]]:
    """What Telegram stores for a message text (or, with ``allow_empty``, a caption).

    ``entities`` are the ones from :func:`parse_html` or the request's ``entities``. Raises
    :class:`TextError` (``Text must be non-empty`` for a whitespace-only text, or an entity
    range error); the Bot API prefixes it with ``Bad Request:`` and lowercases the first letter.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise TextError("Strings must be encoded in UTF-8") from None
    fixed = _fix_entities(_remove_empty(list(entities or [])))
    cleaned, fixed = _clean(text, fixed)
    fixed = _remove_empty(fixed)
    if not cleaned.strip(" \n"):
        if allow_empty:
            return "", []
        raise TextError("Text must be non-empty")
    cleaned, fixed = _trim(cleaned, _fix_entities(fixed))
    # What the client sends to the server: only user entities, with touching bold/italic/...
    # merged back together; the server adds its own automatic entities when it stores the text.
    # At most 100 of them are sent (custom emoji aside); the rest are dropped silently.
    user = [e for e in fixed if _kind(e) in USER_KINDS]
    splittable = _split_entities([e for e in user if e.type in SPLITTABLE], [])
    emoji = [e for e in user if e.type == "custom_emoji"]
    counted = [e for e in user if e.type not in SPLITTABLE and e.type != "custom_emoji"]
    counted = counted[:MAX_USER_ENTITIES]
    splittable = splittable[: MAX_USER_ENTITIES - len(counted)]
    user = sort_entities(emoji + counted + splittable)
    return cleaned, _merge_new_entities(_fix_entities(user), find_entities(cleaned))


# --- the entities parameter --------------------------------------------------------------------

_ENTITY_TYPES = frozenset(
    {
        *SPLITTABLE,
        *BLOCKQUOTES,
        *"mention hashtag cashtag bot_command url email phone_number".split(),
    }
    | {"code", "pre", "text_link", "text_mention", "custom_emoji"}
)


def parse_entities(value: Any, users: dict[int, dict[str, Any]]) -> list[Entity]:
    """Read the ``entities`` / ``caption_entities`` parameter as the Bot API does.

    ``users`` are the users the bot knows, for ``text_mention``. Raises :class:`TextError`
    with the Bot API's message (already lowercase, without ``Bad Request:``).
    """
    if not isinstance(value, list):
        raise TextError("can't parse entities JSON object")
    entities: list[Entity] = []
    for item in value:
        if not isinstance(item, dict):
            raise TextError("can't parse MessageEntity: expected an Object")
        kind = item.get("type")
        if not isinstance(kind, str) or kind not in _ENTITY_TYPES:
            raise TextError("can't parse MessageEntity: Unsupported type specified")
        offset, length = item.get("offset"), item.get("length")
        if not isinstance(offset, int) or not isinstance(length, int):
            raise TextError('can\'t parse MessageEntity: Field "offset" must be a valid Number')
        if not 0 <= offset <= 1_000_000:
            raise TextError(f"receive an entity with incorrect offset {offset}")
        if not 0 <= length <= 1_000_000:
            raise TextError(f"receive an entity with incorrect length {length}")
        entities.append(_entity_from_item(kind, offset, length, item, users))
    return [e for e in entities if _kind(e) in USER_KINDS]


def _entity_from_item(
    kind: str, offset: int, length: int, item: dict[str, Any], users: dict[int, dict[str, Any]]
) -> Entity:
    def required(name: str) -> Any:
        if name not in item:
            raise TextError(f"can't parse MessageEntity: Can't find field \"{name}\"")
        return item[name]

    if kind == "text_link":
        url = str(required("url"))
        try:
            return Entity(kind, offset, length, url=check_link(url))
        except LinkError as error:
            raise TextError(f"entity URL '{url}' is invalid: {error}") from None
    if kind == "text_mention":
        user = required("user")
        user_id = user.get("id") if isinstance(user, dict) else None
        if not isinstance(user_id, int) or user_id not in users:
            raise TextError("user not found")
        return Entity(kind, offset, length, user=users[user_id])
    if kind == "custom_emoji":
        emoji_id = str(required("custom_emoji_id"))
        if not re.fullmatch(r"[0-9]{1,19}", emoji_id) or int(emoji_id) >= 2**63:
            raise TextError(
                'can\'t parse MessageEntity: Field "custom_emoji_id" must be a valid Number'
            )
        return Entity(kind, offset, length, custom_emoji_id=emoji_id)
    if kind == "pre":
        language = item.get("language")
        return Entity(kind, offset, length, language=str(language) if language else None)
    return Entity(kind, offset, length)
