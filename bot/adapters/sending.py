"""Sending and editing the bot's text messages, reading back only the message's id.

python-telegram-bot's ``send_message`` and ``edit_message_text`` turn Telegram's answer into a
:class:`telegram.Message`: for a message with formatting and buttons that costs 0.25–0.4 ms, a
tenth of all the bot spends on a reply (``benchmarks/bench_load.py``), and the bot needs only
the id. These functions make the same request through ``Bot.do_api_request`` (the same rate
limiter, the same errors) and keep Telegram's answer as it came. The buttons go as the Bot API
takes them, a JSON-serialized keyboard, made once for each keyboard the bot shows (building
python-telegram-bot's objects and serializing them took another 0.15 ms a reply).

The Bot API's method names are case-insensitive: written in lower case they do not trip
``do_api_request``'s warning, which is meant for methods the library wraps. Parse mode and link
previews are set here, as the application's ``Defaults`` set them for its own calls.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    SwitchInlineQueryChosenChat,
)
from telegram.constants import MessageLimit, ParseMode

from bot.content.markup import fit
from bot.core.events import Button, Keyboard

#: How every text of the bot is read: HTML, and no link previews (serialized once).
FORMAT: dict[str, Any] = {
    "parse_mode": ParseMode.HTML,
    "link_preview_options": LinkPreviewOptions(is_disabled=True).to_json(),
}


#: Whether the bot answers inline queries (BotFather's inline mode, read from getMe at start):
#: without it, a button that shares through one is useless, so none is sent.
INLINE = {"on": False}


def _chosen_chat(query: str) -> dict[str, object]:
    """Where a share button lets the person pick a chat: private chats and groups."""
    return {"query": query, "allow_user_chats": True, "allow_group_chats": True}


def _shown(buttons: Keyboard) -> list[list[Button]]:
    """The rows of ``buttons`` that can be sent now (share buttons only with inline mode on)."""
    rows = [[b for b in row if b.share is None or INLINE["on"]] for row in buttons]
    return [row for row in rows if row]


def keyboard_json(buttons: Keyboard) -> str | None:
    """``buttons`` as the Bot API's ``reply_markup``, JSON-serialized (None when there are
    none); the bot's keyboards repeat, so each is made once."""
    return _keyboard_json(buttons, INLINE["on"])


@lru_cache(maxsize=2048)
def _keyboard_json(buttons: Keyboard, inline: bool) -> str | None:
    rows = [
        [
            {"text": b.label}
            | ({"callback_data": b.data} if b.data is not None else {})
            | ({"url": b.url} if b.url is not None else {})
            | ({"switch_inline_query_chosen_chat": _chosen_chat(b.share)} if b.share else {})
            for b in row
        ]
        for row in _shown(buttons)
    ]
    if not rows:
        return None
    return json.dumps({"inline_keyboard": rows}, ensure_ascii=False, separators=(",", ":"))


def keyboard(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    """Inline keyboard markup for ``buttons`` (None when there are none)."""
    rows = _shown(buttons)
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    b.label,
                    callback_data=b.data,
                    url=b.url,
                    switch_inline_query_chosen_chat=(
                        SwitchInlineQueryChosenChat(**_chosen_chat(b.share))  # type: ignore[arg-type]
                        if b.share
                        else None
                    ),
                )
                for b in row
            ]
            for row in rows
        ]
    )


async def send_text(bot: Bot, chat_id: int, text: str, buttons: Keyboard = ()) -> int:
    """Send ``text`` (HTML, cut to Telegram's limit) with ``buttons``; the new message's id."""
    text = fit(text, MessageLimit.MAX_TEXT_LENGTH)
    sent = await bot.do_api_request(
        "sendmessage",
        {"chat_id": chat_id, "text": text, "reply_markup": keyboard_json(buttons)} | FORMAT,
    )
    return int(sent["message_id"])


async def edit_text(
    bot: Bot, chat_id: int, message_id: int, text: str, buttons: Keyboard = ()
) -> None:
    """Show ``text`` (HTML, cut to Telegram's limit) and ``buttons`` in message ``message_id``."""
    await bot.do_api_request(
        "editmessagetext",
        {
            "chat_id": chat_id,
            "message_id": message_id,
            "text": fit(text, MessageLimit.MAX_TEXT_LENGTH),
            "reply_markup": keyboard_json(buttons),
        }
        | FORMAT,
    )


async def edit_keyboard(bot: Bot, chat_id: int, message_id: int, buttons: Keyboard) -> None:
    """Show ``buttons`` under message ``message_id``, its text left as it is."""
    await bot.do_api_request(
        "editmessagereplymarkup",
        {"chat_id": chat_id, "message_id": message_id, "reply_markup": keyboard_json(buttons)},
    )
