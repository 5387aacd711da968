"""The Telegram adapter: turns updates into dialogue events and outcomes into Bot API calls.

Handlers stay thin (parse → core → render). The core runs on a single worker thread so the event
loop never waits on SQLite; every callback query is answered; edits that would change nothing are
never sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, CallbackContext, ExtBot

from bot.bootstrap import Services
from bot.conversation import (
    Event,
    Keyboard,
    Outcome,
    Press,
    Reader,
    Reply,
    Text,
    Unsupported,
    parse_command,
)
from bot.markup import MAX_CAPTION, fit, to_plain

log = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
REMEMBERED_MESSAGES = 2048


class BotData:
    """Application-wide state: the services and what each recent message shows."""

    def __init__(self) -> None:
        self.services: Services | None = None
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="essaybot-core")
        self.shown: OrderedDict[tuple[int, int], tuple[str, Keyboard]] = OrderedDict()

    def remember(self, chat_id: int, message_id: int, reply: Reply) -> None:
        """Note what message ``message_id`` now shows, to skip edits that change nothing."""
        self.shown[(chat_id, message_id)] = (reply.text, reply.buttons)
        self.shown.move_to_end((chat_id, message_id))
        while len(self.shown) > REMEMBERED_MESSAGES:
            self.shown.popitem(last=False)


class EssayContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]):
    """The callback context, with typed access to the services."""

    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("the application was built without services")
        return services


EssayApp = Application[ExtBot[Any], EssayContext, dict[Any, Any], dict[Any, Any], BotData, Any]


def keyboard(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    """Inline keyboard markup for ``buttons`` (None when there are none)."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data, url=b.url) for b in row]
            for row in buttons
        ]
    )


def reader_of(update: Update) -> Reader | None:
    """The reader behind ``update`` (None for updates without a person, such as channel posts)."""
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    return Reader(user.id, user.first_name or "", user.language_code)


def event_of(message: Message, bot_username: str | None) -> Event | None:
    """The dialogue event for an incoming message; None for messages meant to be ignored."""
    if message.text is not None:
        if message.text.startswith("/"):
            return parse_command(message.text, bot_username) or Text(message.text)
        return Text(message.text)
    attachment = message.effective_attachment
    if attachment is None:
        return None  # a service message (member joined, pinned...): nothing to answer
    kind = type(attachment[-1] if isinstance(attachment, tuple) else attachment).__name__
    return Unsupported(kind.lower())


async def handle(update: Update, context: EssayContext, event: Event) -> None:
    """Run ``event`` through the core off the event loop, then render its outcome."""
    reader, chat = reader_of(update), update.effective_chat
    if reader is None or chat is None:
        return
    services = context.services
    private = chat.type == ChatType.PRIVATE
    call = partial(services.dialogue.handle, reader, event, private=private)
    try:
        outcome = await asyncio.get_running_loop().run_in_executor(context.bot_data.worker, call)
    except Exception:
        log.exception(
            "the dialogue failed on %s from reader %s", type(event).__name__, reader.user_id
        )
        turn = services.dialogue.turn(reader)
        outcome = Outcome((Reply(turn.say("error")),), notice=to_plain(turn.say("error")))
    await render(context, chat.id, update.callback_query, outcome)


async def render(
    context: EssayContext, chat_id: int, query: CallbackQuery | None, outcome: Outcome
) -> None:
    """Send or edit the outcome's messages; always answer the button press, if any."""
    try:
        for reply in outcome.replies:
            target = reply.chat_id if reply.chat_id is not None else chat_id
            try:
                if reply.edit and query is not None and isinstance(query.message, Message):
                    await edit(context, query.message, reply)
                elif reply.document is not None:
                    await send_document(context, target, reply)
                else:
                    await send(context, target, reply)
            except Forbidden as error:
                log.info("chat %s cannot be written to: %s", target, error.message)
            except BadRequest as error:
                log.error("Telegram refused a message to chat %s: %s", target, error.message)
    finally:
        if query is not None:
            await answer(query, outcome.notice)


async def send_document(context: EssayContext, chat_id: int, reply: Reply) -> None:
    """Send ``reply``'s document, with its text as the caption."""
    assert reply.document is not None
    document = reply.document
    await context.bot.send_document(
        chat_id,
        InputFile(document.data, filename=document.filename),
        caption=fit(reply.text, MAX_CAPTION),
        parse_mode=ParseMode.HTML,
    )


async def edit(context: EssayContext, message: Message, reply: Reply) -> None:
    """Replace ``message`` with ``reply`` in place, unless it already shows exactly that."""
    key = (message.chat.id, message.message_id)
    markup = keyboard(reply.buttons)
    shown = context.bot_data.shown.get(key)
    unchanged = shown == (reply.text, reply.buttons) or (
        shown is None and message.text == to_plain(reply.text) and message.reply_markup == markup
    )
    if unchanged:
        return
    try:
        await message.edit_text(
            fit(reply.text),
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as error:
        if "not modified" in error.message:
            pass
        elif "not found" in error.message or "can't be edited" in error.message:
            await send(context, message.chat.id, reply)
            return
        else:
            raise
    context.bot_data.remember(key[0], key[1], reply)


async def send(context: EssayContext, chat_id: int, reply: Reply) -> None:
    """Send ``reply`` as a new message."""
    sent = await context.bot.send_message(
        chat_id,
        fit(reply.text),
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard(reply.buttons),
        link_preview_options=NO_PREVIEW,
    )
    context.bot_data.remember(chat_id, sent.message_id, reply)


async def answer(query: CallbackQuery, notice: str) -> None:
    """Answer a button press (Telegram shows a spinner until we do)."""
    try:
        await query.answer(notice[:200] or None)
    except TelegramError as error:
        log.info("could not answer a button press: %s", error.message)


async def on_message(update: Update, context: EssayContext) -> None:
    """Any message: a command, free text, or something the bot does not read."""
    if update.message is None:
        return
    event = event_of(update.message, context.bot.username)
    if event is not None:
        await handle(update, context, event)


async def on_button(update: Update, context: EssayContext) -> None:
    """A press on one of the bot's inline buttons."""
    query = update.callback_query
    if query is not None:
        await handle(update, context, Press(query.data or ""))


async def on_error(update: object, context: EssayContext) -> None:
    """Log what went wrong (never the token), and keep running."""
    log.error("error while handling an update", exc_info=context.error)
