"""Sending and editing the bot's text messages, reading back only the message's id.

python-telegram-bot's ``send_message`` and ``edit_message_text`` turn Telegram's answer into a
:class:`telegram.Message`: for a message with formatting and buttons that costs 0.25–0.4 ms, a
tenth of all the bot spends on a reply (``benchmarks/bench_load.py``), and the bot needs only
the id. These functions make the same request through ``Bot.do_api_request`` (the same rate
limiter, the same errors) and keep Telegram's answer as it came. The Bot API's method names are
case-insensitive: written in lower case they do not trip ``do_api_request``'s warning, which is
meant for methods the library wraps. Parse mode and link previews are set here, as the
application's ``Defaults`` set them for its own calls.
"""

from __future__ import annotations

from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import MessageLimit, ParseMode

from bot.content.markup import fit
from bot.core.events import Keyboard

#: How every text of the bot is read: HTML, and no link previews.
FORMAT: dict[str, Any] = {
    "parse_mode": ParseMode.HTML,
    "link_preview_options": LinkPreviewOptions(is_disabled=True),
}


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


async def send_text(
    bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> int:
    """Send ``text`` (HTML, cut to Telegram's limit) with ``markup``; the new message's id."""
    text = fit(text, MessageLimit.MAX_TEXT_LENGTH)
    sent = await bot.do_api_request(
        "sendmessage", {"chat_id": chat_id, "text": text, "reply_markup": markup} | FORMAT
    )
    return int(sent["message_id"])


async def edit_text(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    """Show ``text`` (HTML, cut to Telegram's limit) and ``markup`` in message ``message_id``."""
    await bot.do_api_request(
        "editmessagetext",
        {
            "chat_id": chat_id,
            "message_id": message_id,
            "text": fit(text, MessageLimit.MAX_TEXT_LENGTH),
            "reply_markup": markup,
        }
        | FORMAT,
    )
