"""What the bot's recent messages show, and sending or editing a reply with that memory: an
edit that would change nothing is never sent (Telegram refuses it: "message is not modified"),
and an edit of a message that is gone becomes a new message."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace

from telegram import Bot, Message
from telegram.error import BadRequest

from bot.adapters.sending import edit_keyboard, edit_text, keyboard, send_text
from bot.content.markup import Markup, to_plain
from bot.core.events import Keyboard, Reply

#: How many recent messages are remembered.
REMEMBERED_MESSAGES = 2048


class Shown:
    """What recent messages show: (chat, message id) -> (text, buttons), the oldest forgotten."""

    def __init__(self, size: int = REMEMBERED_MESSAGES) -> None:
        self.size = size
        self.messages: OrderedDict[tuple[int, int], tuple[str, Keyboard]] = OrderedDict()

    def get(self, key: tuple[int, int]) -> tuple[str, Keyboard] | None:
        return self.messages.get(key)

    def remember(self, chat_id: int, message_id: int, reply: Reply) -> None:
        """Note what message ``message_id`` now shows, to skip edits that change nothing."""
        self.messages[(chat_id, message_id)] = (reply.text, reply.buttons)
        self.messages.move_to_end((chat_id, message_id))
        while len(self.messages) > self.size:
            self.messages.popitem(last=False)


async def send(bot: Bot, shown: Shown, chat_id: int, reply: Reply) -> None:
    """Send ``reply`` as a new message."""
    message_id = await send_text(bot, chat_id, reply.text, reply.buttons)
    shown.remember(chat_id, message_id, reply)


async def edit(bot: Bot, shown: Shown, message: Message, reply: Reply) -> None:
    """Replace ``message`` with ``reply`` in place (only its buttons, for a keyboard-only
    reply), unless it already shows exactly that."""
    key = (message.chat.id, message.message_id)
    before = shown.get(key)
    if reply.keyboard_only:  # the text stays: only the buttons are compared and changed
        reply = replace(reply, text=Markup(before[0] if before else message.text_html or ""))
    unchanged = before == (reply.text, reply.buttons) or (
        before is None
        and (reply.keyboard_only or message.text == to_plain(reply.text))
        and message.reply_markup == keyboard(reply.buttons)
    )
    if unchanged:
        return
    try:
        if reply.keyboard_only:
            await edit_keyboard(bot, key[0], key[1], reply.buttons)
        else:
            await edit_text(bot, key[0], key[1], reply.text, reply.buttons)
    except BadRequest as error:
        if "not modified" in error.message:
            pass
        elif "not found" in error.message or "can't be edited" in error.message:
            if reply.text:  # a keyboard-only change of a message that is gone: nothing to send
                await send(bot, shown, message.chat.id, reply)
            return
        else:
            raise
    shown.remember(key[0], key[1], reply)
