"""An error seen while handling a Telegram update, summarised for the admins: what kind of
error, where in the bot's code, and what was being handled, without the token and without
what the reader wrote (its length stands in for it)."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Collection
from pathlib import Path

from telegram import Bot, Update
from telegram.error import TelegramError

from bot.content.catalog import Content
from bot.content.markup import clip
from bot.core.events import Command, parse_command
from bot.core.incidents import Incident

#: The most of an exception's message an admin is shown.
MAX_DETAIL = 300
#: A reader's text this long or longer is cut out of an exception's message wherever it appears.
MIN_QUOTED = 4
PACKAGE = Path(__file__).resolve().parents[1]  # the "bot" folder
#: Errors whose message says what went wrong in the machinery, not what a reader wrote.
SAFE_MESSAGES = (TelegramError, OSError, TimeoutError)
SAFE_MODULES = ("sqlite3", "bot.storage.database")  # the database's own errors
HIDDEN = "(message not shown: it may quote a reader; it is in the log)"
log = logging.getLogger(__name__)


def where(error: BaseException) -> str:
    """The innermost line of the bot's own code in the error's traceback (``?`` if none)."""
    found = "?"
    for frame in traceback.extract_tb(error.__traceback__):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(PACKAGE):
            found = f"bot/{path.relative_to(PACKAGE).as_posix()}:{frame.lineno}"
    return found


def describe(update: object) -> str:
    """What the update was, in a few words: its kind and chat, a command's name or a button's
    data, and a text only by its length."""
    if not isinstance(update, Update):
        return "no update (fetching or sending)"
    chat = update.effective_chat
    where_from = f" in chat {chat.id}" if chat is not None else ""
    if update.callback_query is not None:
        data = update.callback_query.data or ""
        return f"a button press ({data[:64]!r}){where_from}"
    message = update.effective_message
    if message is None:
        return f"an update of another kind{where_from}"
    text = message.text or message.caption
    if text is None:
        return f"a message without text{where_from}"
    command = parse_command(text) if text.startswith("/") else None
    if isinstance(command, Command):
        return f"the command /{command.name[:32]}{where_from}"
    return f"a text of {len(text)} characters{where_from}"


def incident_of(update: object, error: BaseException, token: str | None) -> Incident:
    """``error`` while handling ``update``, safe to show the admins: the message only of
    errors that speak of the database, the network or Telegram (any other may quote what a
    reader wrote, escaped or cut, from this update or an earlier one: it stays in the log)."""
    if not isinstance(error, SAFE_MESSAGES) and type(error).__module__ not in SAFE_MODULES:
        return Incident(type(error).__name__, where(error), HIDDEN, describe(update))
    detail = str(error) or type(error).__name__
    if token:
        detail = detail.replace(token, "<token>")
    if isinstance(update, Update) and update.effective_message is not None:
        message = update.effective_message
        for said in (message.text, message.caption):
            if said and len(said) >= MIN_QUOTED:
                detail = detail.replace(said, "<the reader's text>")
    return Incident(type(error).__name__, where(error), clip(detail, MAX_DETAIL), describe(update))


#: When each error was last told to the admins directly (not through the database).
TOLD_DIRECTLY: dict[str, float] = {}
DIRECT_EVERY = 60.0


async def tell_admins_directly(
    bot: Bot, admins: Collection[int], content: Content, incident: Incident
) -> None:
    """Tell every admin of ``incident`` with a message of its own, at most once a minute per
    error: when the database fails, the outbox can't carry it. Never raises."""
    now = time.monotonic()
    if now - TOLD_DIRECTLY.get(incident.key, -DIRECT_EVERY) < DIRECT_EVERY:
        return
    TOLD_DIRECTLY[incident.key] = now
    text = content.say(
        "error_report",
        content.default_language,
        kind=incident.kind,
        where=incident.where,
        detail=incident.detail,
        update=incident.update,
    )
    for admin in sorted(admins):
        try:
            await bot.send_message(admin, text)
        except TelegramError as error:
            log.warning("could not tell admin %s directly: %s", admin, error.message)
