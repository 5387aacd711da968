"""The vocabulary between the adapters and the dialogue: who speaks, what they sent, what to say.

Nothing here knows Telegram: the adapters translate their input into these events and render
these replies.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.content.markup import Markup


@dataclass(frozen=True)
class Reader:
    """The person talking to the bot."""

    user_id: int
    first_name: str = ""
    language_code: str | None = None


@dataclass(frozen=True)
class Command:
    """A command such as ``/story 3``: name ``story``, argument ``3``; ``addressee`` is the bot
    named in ``/story@essaybot 3``, if any (the adapter that knows its own name checks it)."""

    name: str
    argument: str = ""
    addressee: str | None = field(default=None, compare=False)
    #: the message as written, so text that only looks like a command is never lost
    raw: str = field(default="", compare=False)


@dataclass(frozen=True)
class Text:
    """Free text the reader wrote."""

    text: str


@dataclass(frozen=True)
class Press:
    """The reader pressed an inline button carrying ``data``."""

    data: str


@dataclass(frozen=True)
class Unsupported:
    """Something the bot does not read: a sticker, a photo, a voice note..."""

    kind: str


Event = Command | Text | Press | Unsupported


@dataclass(frozen=True)
class Button:
    """An inline button: it sends ``data`` back to the bot, opens ``url``, or lets the person
    pick a chat and writes ``@bot share`` there (an inline query, to share something)."""

    label: str
    data: str | None = None
    url: str | None = None
    share: str | None = None


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Document:
    """A file to send, such as an export; or one made only when it is sent (``render``: a
    chart, drawn by the adapter off the thread that holds the database)."""

    filename: str
    data: bytes
    mime_type: str
    render: Callable[[], bytes] | None = None
    #: What to say instead if the file turns out bigger than Telegram takes from a bot.
    oversize: Markup | None = None
    #: ``render`` reads nothing but its arguments and pickles: it may run in another process.
    portable: bool = False

    def content(self) -> bytes:
        """The file's bytes (made now, if it is made on demand)."""
        return self.data if self.render is None else self.render()


@dataclass(frozen=True)
class Reply:
    """One message to show. ``edit`` asks to replace the message whose button was pressed;
    ``chat_id`` sends it to another chat (an admin's), through the outbox; ``card`` names the
    answer whose card it is (one message per admin, edited in place as the answer changes);
    ``document`` sends a file, with ``text`` as its caption."""

    text: Markup
    buttons: Keyboard = ()
    edit: bool = False
    chat_id: int | None = None
    document: Document | None = None
    card: int | None = None
    #: for a card: it reports that the reader changed the answer
    card_edited: bool = False
    #: with ``edit``: change only the pressed message's buttons (its text stays as it is)
    keyboard_only: bool = False
    #: for a card: send it anew at the chat's bottom (/pending); the message that showed it is
    #: left as a pointer, so no copy of a reader's words escapes later edits
    fresh: bool = False
    #: a post for the author's channel: what to tell the acting admin if Telegram refuses it
    #: (the adapter adds Telegram's reason, and sends nothing of the outcome after it)
    channel_failed: Markup | None = None


@dataclass(frozen=True)
class Outcome:
    """Everything the bot does in answer to one event: messages, and a short button notice;
    ``posted`` counts the messages for other chats it left in the outbox; ``sync``, when the
    adapter deferred syncs, puts what the reader wrote on the disk: run it before replying."""

    replies: tuple[Reply, ...] = ()
    notice: str = ""
    posted: int = 0
    sync: Callable[[], None] | None = field(default=None, compare=False)


_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+(.*))?$", re.DOTALL)


def parse_command(text: str) -> Command | None:
    """``/story@bot 3`` as a Command; None if it is not a command."""
    match = _COMMAND.match(text.strip())
    if match is None:
        return None
    name, addressee, argument = match.groups()
    return Command(name.lower(), (argument or "").strip(), addressee, text)


@dataclass(frozen=True)
class Found:
    """One result offered to an inline query: what the chat gets if the person picks it."""

    id: str
    title: str
    description: str
    text: Markup
    buttons: Keyboard = ()


@dataclass(frozen=True)
class Offer:
    """The answer to an inline query: its results, and how long Telegram may keep them (for
    this person only when ``personal``)."""

    results: tuple[Found, ...]
    cache_time: int
    personal: bool
