"""Button payloads (Telegram's callback_data): short, versioned strings, parsed strictly.

A payload that does not parse — stale from an old version, or forged — is None, and the
dialogue answers it politely as expired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
_ARG = re.compile(r"^[A-Za-z0-9_.-]{0,40}$")

#: action name -> number of arguments it carries.
ACTIONS: dict[str, int] = {
    "read": 0,  # open the story where the reader left off
    "part": 1,  # turn the page to a part, by id (edits the message)
    "open": 1,  # open a part, by id, in a new message
    "topic": 1,  # show a topic, by id
    "topics": 0,  # the topic menu
    "nomatch": 0,  # "none of these" under did-you-mean choices
    "answer": 0,  # start answering the title's question (or see one's answer)
    "stance": 1,  # choose a stance: separate, integrate, depends
    "skip": 0,  # answer without a comment
    "show": 1,  # how to be shown: name or anonymous
    "replace": 0,  # replace one's answer
    "redisplay": 0,  # change how one's answer shows its author
    "delete": 0,  # ask to delete one's answer
    "delete_yes": 0,  # delete it
    "cancel": 0,  # leave the answering flow
    "answers": 1,  # a page of published answers
    "full": 1,  # one answer in full, by id
    "mod": 3,  # an admin's verdict (approve, hide, ban) on an answer id at a revision
    "forget_yes": 0,  # delete everything about the reader
}


@dataclass(frozen=True)
class Action:
    """A decoded button payload."""

    name: str
    args: tuple[str, ...] = ()


def encode(name: str, *args: str) -> str:
    """The callback_data for action ``name``; ValueError if it could not be sent to Telegram."""
    if ACTIONS.get(name) != len(args) or not all(_ARG.match(a) for a in args):
        raise ValueError(f"bad action {name}{args}")
    data = ":".join((name, *args))
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def decode(data: str) -> Action | None:
    """The action in ``data``, or None if it is not one this version of the bot sends."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    name, *args = data.split(":")
    if ACTIONS.get(name) != len(args) or not all(_ARG.match(a) for a in args):
        return None
    return Action(name, tuple(args))
