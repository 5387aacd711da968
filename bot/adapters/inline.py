"""Inline mode: ``@bot words`` in any chat. The core's offer (bot.core.sharing) becomes
articles: a message the person sends in that chat, with a button back into the bot."""

from __future__ import annotations

import logging

from telegram import (
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.adapters import sending
from bot.adapters.context import EssayApp, EssayContext
from bot.adapters.sending import keyboard
from bot.adapters.updates import reader_of

log = logging.getLogger(__name__)


def learn(application: EssayApp) -> None:
    """What getMe said at start: the bot's username (for its links) and whether BotFather's
    inline mode is on (share buttons are sent only then)."""
    bot = application.bot
    sending.INLINE["on"] = bool(bot.supports_inline_queries)
    if application.bot_data.dialogue is not None:  # for the links of shares and posts
        application.bot_data.dialogue.sharing.username = bot.username
        application.bot_data.dialogue.posting.username = bot.username
    if not bot.supports_inline_queries:
        log.info(
            "inline mode is off (BotFather /setinline): no share buttons, no @%s results",
            bot.username,
        )


async def on_inline_query(update: Update, context: EssayContext) -> None:
    """An inline query: the core's offer, answered at once (an offer Telegram refuses is
    logged; the person simply sees no results)."""
    query, reader = update.inline_query, reader_of(update)
    if query is None or reader is None:
        return
    offer = context.dialogue.inline(reader, query.query)
    results = [
        InlineQueryResultArticle(
            id=found.id,
            title=found.title,
            description=found.description,
            input_message_content=InputTextMessageContent(
                str(found.text),
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            ),
            reply_markup=keyboard(found.buttons),
        )
        for found in offer.results
    ]
    try:
        await query.answer(results, cache_time=offer.cache_time, is_personal=offer.personal)
    except TelegramError as error:
        log.warning("could not answer an inline query: %s", error.message)
