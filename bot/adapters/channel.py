"""Posting to the author's channel (ESSAYBOT_CHANNEL): a post's text, or its chart as a photo
with the text as caption, with its buttons (deep links: a channel takes no share button).
Telegram's refusal (the bot is not an admin of the channel, the channel does not exist) comes
back as its words, for the admin to read."""

from __future__ import annotations

import logging

from telegram import Bot, InputFile, LinkPreviewOptions
from telegram.constants import MessageLimit, ParseMode
from telegram.error import TelegramError

from bot.adapters import offload
from bot.adapters.sending import keyboard
from bot.content.markup import fit
from bot.core.events import Reply

log = logging.getLogger(__name__)


async def publish(bot: Bot, channel: str, reply: Reply) -> str | None:
    """Post ``reply`` on ``channel``: None when it went, else what Telegram said."""
    try:
        markup = keyboard(reply.buttons)
        if reply.document is not None:
            data = await offload.made(reply.document)
            photo = InputFile(data, filename=reply.document.filename)
            caption = fit(reply.text, MessageLimit.CAPTION_LENGTH)
            await bot.send_photo(
                channel, photo, caption=caption, parse_mode=ParseMode.HTML, reply_markup=markup
            )
        else:
            await bot.send_message(
                channel,
                fit(reply.text),
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
    except TelegramError as error:
        return error.message
    except Exception as error:  # the chart could not be drawn: said, not an incident
        log.exception("could not make a post for %s", channel)
        return f"{type(error).__name__}: {error}"
    return None
