"""Deep links into the bot (``https://t.me/BOT?start=PAYLOAD``): where a link opens, and which
way in it counts as. Telegram allows 1-64 characters of ``A-Z a-z 0-9 _ -`` in a payload.

    PAYLOAD := [TARGET] ["__" SOURCE ["-" CODE]]
    TARGET  := "topic-<id>" | "part-<n>" | "answer-<n>" | "question"
    SOURCE  := 1-20 of a-z 0-9 ("blog", "channel", "share", or one the author names)

CODE is the sharing reader's share code (16 hex digits, random: a link names no Telegram id).
``part-3`` and ``topic-cdo`` are the links of earlier versions, still valid; ``__blog`` opens
the welcome, counted as coming from the blog; ``answer-12__share-0123456789abcdef`` opens
answer 12, shared by the reader with that code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A payload Telegram takes.
PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
SOURCE = re.compile(r"^[a-z0-9]{1,20}$")
#: A reader's share code (migration m021).
CODE = re.compile(r"^[0-9a-f]{16}$")
#: The sources the bot itself puts in links (the author may name others).
BLOG, CHANNEL, SHARE = "blog", "channel", "share"
NAMED = (BLOG, CHANNEL, SHARE)
#: Sources only the bot itself puts in links (the author's ``essaybot link`` may not).
RESERVED = ("direct", SHARE)
#: A reader who came with no source in their first link (or none: they just wrote).
DIRECT = "direct"
_TARGET = re.compile(r"^(|question|topic-[a-z0-9-]{1,40}|part-\d{1,3}|answer-\d{1,12})$")


@dataclass(frozen=True)
class Link:
    """Where a deep link opens (``target``, "" for the welcome) and the way in it counts as."""

    target: str = ""
    source: str | None = None
    referrer: str | None = None

    @property
    def kind(self) -> str:
        """ "topic", "part", "answer", "question" or "" (the welcome)."""
        return self.target.partition("-")[0]

    @property
    def value(self) -> str:
        return self.target.partition("-")[2]


def parse(payload: str) -> Link:
    """The link ``payload`` stands for; what does not parse opens the welcome, from nowhere."""
    target, _, way = payload.strip().partition("__")
    if not _TARGET.match(target):
        return Link()
    source, _, referrer = way.partition("-")
    if not SOURCE.match(source):
        return Link(target)
    code = referrer if CODE.match(referrer) else None
    return Link(target, source, code if source == SHARE else None)


def payload(link: Link) -> str:
    """The payload of ``link`` (ValueError if Telegram would not take it)."""
    way = ""
    if link.source is not None:
        way = f"__{link.source}" + (f"-{link.referrer}" if link.referrer is not None else "")
    text = f"{link.target}{way}"
    if not PAYLOAD.match(text) or parse(text) != link:
        raise ValueError(f"not a deep link: {link}")
    return text


def url(username: str, link: Link) -> str:
    """The t.me address that opens the bot ``username`` with ``link``."""
    return f"https://t.me/{username}?start={payload(link)}"
