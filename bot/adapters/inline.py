"""Inline mode: ``@bot words`` in any chat. The core's offer (bot.core.reach.sharing) becomes
articles: a message the person sends in that chat, with a button back into the bot."""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    InlineQuery,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.adapters import sending
from bot.adapters.sending import keyboard
from bot.content.markup import fit
from bot.core.events import Offer

log = logging.getLogger(__name__)


def learn(bot: Bot) -> None:
    """What getMe said at start: whether BotFather's inline mode is on (share buttons are sent
    only then)."""
    sending.INLINE["on"] = bool(bot.supports_inline_queries)
    if not bot.supports_inline_queries:
        log.info("inline mode is off (BotFather /setinline): no share buttons, no @bot results")


async def answer(query: InlineQuery, offer: Offer) -> None:
    """Answer an inline query with the core's offer, at once (an offer Telegram refuses is
    logged; the person simply sees no results)."""
    results = [
        InlineQueryResultArticle(
            id=found.id,
            title=found.title,
            description=found.description,
            input_message_content=InputTextMessageContent(
                fit(found.text),
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
