"""The courier: delivers the outbox to Telegram, each chat in order, chats side by side.

A parcel leaves the outbox only once Telegram took it, or refused it for good (a blocked chat,
a message it rejects). Network errors, timeouts, 5xx and 429s leave it there for a later try
(after Telegram's ``retry_after`` for a 429), so a restart resumes where the courier stopped.
A card already shown is edited in place; if that message is gone, the card is sent anew.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from functools import partial
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.content.markup import fit
from bot.core.events import Keyboard
from bot.core.outbox import Delivery, Outbox

log = logging.getLogger(__name__)
T = TypeVar("T")
#: Seconds between two looks at the outbox when nobody wakes the courier (for retries due).
POLL = 1.0
BATCH = 100


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


def seconds(error: RetryAfter) -> float:
    value: Any = error.retry_after
    return float(value.total_seconds() if hasattr(value, "total_seconds") else value)


class Courier:
    """Delivers what the dialogue left in the outbox."""

    def __init__(self, outbox: Outbox, worker: Executor, bot: Bot) -> None:
        self.outbox = outbox
        self.worker = worker
        self.bot = bot
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Something was posted: look at the outbox now."""
        self._wake.set()

    async def _core(self, call: Callable[..., T], *args: Any) -> T:
        """Run a store call on the core's thread (the store is used from one thread)."""
        return await asyncio.get_running_loop().run_in_executor(self.worker, partial(call, *args))

    async def run(self) -> None:
        """Deliver until cancelled."""
        while True:
            try:
                delivered = await self.round()
            except Exception:  # never let one bad round stop the deliveries for good
                log.exception("the courier failed a round; trying again")
                delivered = 0
            if not delivered:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), POLL)
            self._wake.clear()

    async def round(self) -> int:
        """Deliver what is due now, chats side by side; return how many left the outbox."""
        due = await self._core(self.outbox.due, BATCH)
        by_chat: dict[int, list[Delivery]] = {}
        for delivery in due:
            by_chat.setdefault(delivery.parcel.chat_id, []).append(delivery)
        counts = await asyncio.gather(*(self._chat(items) for items in by_chat.values()))
        return sum(counts)

    async def _chat(self, deliveries: list[Delivery]) -> int:
        """One chat's deliveries, in order, stopping at the first that must wait."""
        done = 0
        for delivery in deliveries:
            if not await self.deliver(delivery):
                break
            done += 1
        return done

    async def deliver(self, delivery: Delivery) -> bool:
        """Try one delivery; False if it stays in the outbox for later."""
        chat, outbox = delivery.parcel.chat_id, self.outbox
        try:
            message_id = await self._put(delivery)
        except RetryAfter as error:
            await self._core(outbox.failed, delivery, seconds(error))
            return False
        except Forbidden as error:
            log.info("chat %s cannot be written to: %s", chat, error.message)
            message_id = None
        except BadRequest as error:
            log.error("Telegram refused a message to chat %s: %s", chat, error.message)
            message_id = None
        except TelegramError as error:  # network, timeout, 5xx
            if not await self._core(outbox.failed, delivery, None):
                log.error("gave up a message to chat %s: %s", chat, error.message)
                return True
            log.warning("a message to chat %s waits for another try: %s", chat, error.message)
            return False
        await self._core(outbox.delivered, delivery, message_id)
        return True

    async def _put(self, delivery: Delivery) -> int:
        """Edit the card in place, or send the message; the id of the message showing it."""
        reply, chat = delivery.reply, delivery.parcel.chat_id
        text = fit(reply.text, MessageLimit.MAX_TEXT_LENGTH)
        markup = keyboard(reply.buttons)
        if delivery.message_id is not None:
            try:
                await self.bot.edit_message_text(
                    text, chat_id=chat, message_id=delivery.message_id, reply_markup=markup
                )
                return delivery.message_id
            except BadRequest as error:
                if "not modified" in error.message:
                    return delivery.message_id
                if "not found" not in error.message and "can't be edited" not in error.message:
                    raise
        sent = await self.bot.send_message(chat, text, reply_markup=markup)
        return sent.message_id
