"""The courier: delivers the outbox to Telegram, each chat in order, chats side by side.

Each chat with something due gets a sender of its own; a chat that waits (a 429, a slow or
failing request) holds up only itself, and no chat ever has two senders, so nothing goes twice.

A parcel leaves the outbox only once Telegram took it, or refused it for good (a blocked chat,
a message it rejects). Network errors, timeouts, 5xx and 429s leave it there for a later try
(after Telegram's ``retry_after`` for a 429), so a restart resumes where the courier stopped.
A card already shown is edited in place; if that message is gone, the card is sent anew.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.adapters.flow_control import BEFORE_SEND
from bot.adapters.sending import edit_text, send_text
from bot.core.events import Keyboard, Reply
from bot.core.outbox import Delivery, Outbox

log = logging.getLogger(__name__)
#: Seconds between two looks at the outbox when nobody wakes the courier (for retries due).
POLL = 1.0
BATCH = 100


def _remember_nothing(chat_id: int, message_id: int, reply: Reply) -> None:
    """Without an adapter's memory of what messages show, every edit is sent."""


def seconds(error: RetryAfter) -> float:
    value: Any = error.retry_after
    return float(value.total_seconds() if hasattr(value, "total_seconds") else value)


class Courier:
    """Delivers what the dialogue left in the outbox."""

    def __init__(
        self,
        outbox: Outbox,
        bot: Bot,
        shown: Mapping[tuple[int, int], tuple[str, Keyboard]] | None = None,
        remember: Callable[[int, int, Reply], None] | None = None,
    ) -> None:
        self.outbox = outbox
        self.bot = bot
        #: what recent messages show (shared with the adapter), so no edit changes nothing
        self.shown = shown if shown is not None else {}
        self.remember = remember or _remember_nothing
        self._wake = asyncio.Event()
        self._busy: dict[int, asyncio.Task[None]] = {}
        self._stopping = False

    def wake(self) -> None:
        """Something was posted: look at the outbox now."""
        self._wake.set()

    async def run(self) -> None:
        """Deliver until :meth:`stop`."""
        while not self._stopping:
            self._wake.clear()
            try:
                await self.round()
            except Exception:  # never let one bad round stop the deliveries for good
                log.exception("the courier could not read the outbox; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), POLL)

    async def stop(self, timeout: float = 5.0) -> None:
        """Stop taking parcels; let the chats' senders finish what they are sending (up to
        ``timeout`` seconds), so nothing Telegram took stays in the outbox to go again."""
        self._stopping = True
        self._wake.set()
        senders = list(self._busy.values())
        if senders:
            _, late = await asyncio.wait(senders, timeout=timeout)
            for sender in late:
                sender.cancel()

    async def round(self) -> int:
        """Start a sender for each chat that has something due and none running; return how
        many were started."""
        due = self.outbox.due(BATCH, None, set(self._busy))
        by_chat: dict[int, list[Delivery]] = {}
        for delivery in due:
            by_chat.setdefault(delivery.parcel.chat_id, []).append(delivery)
        for chat, deliveries in by_chat.items():
            if chat in self._busy or self._stopping:
                continue
            sender = asyncio.get_running_loop().create_task(self._chat(deliveries))
            self._busy[chat] = sender
            sender.add_done_callback(partial(self._idle, chat))
        return len(by_chat)

    def _idle(self, chat: int, sender: object = None) -> None:
        """A chat's sender finished: look at the outbox again (the chat may have more)."""
        self._busy.pop(chat, None)
        self._wake.set()

    async def _chat(self, deliveries: list[Delivery]) -> None:
        """One chat's deliveries, in order, stopping at the first that must wait."""
        for delivery in deliveries:
            if self._stopping:
                return
            try:
                if not await self.deliver(delivery):
                    return
            except Exception:  # whatever it was, the parcel stays for a later, counted, try
                log.exception("a message to chat %s failed", delivery.parcel.chat_id)
                with contextlib.suppress(Exception):
                    self.outbox.failed(delivery, None)
                return

    async def deliver(self, delivery: Delivery) -> bool:
        """Try one delivery; False if it stays in the outbox for later."""
        chat, outbox = delivery.parcel.chat_id, self.outbox
        # in flight once the request leaves (after the limiter's waits): a crash from then on
        # is reconciled at the next start
        going = BEFORE_SEND.set(partial(outbox.sending, delivery))
        try:
            message_id = await self._put(delivery)
        except RetryAfter as error:
            outbox.failed(delivery, seconds(error))
            return False
        except Forbidden as error:
            log.info("chat %s cannot be written to: %s", chat, error.message)
            outbox.unreachable(delivery)
            return True
        except BadRequest as error:
            log.error("Telegram refused a message to chat %s: %s", chat, error.message)
            message_id = None
        except TelegramError as error:  # network, timeout, 5xx
            if not outbox.failed(delivery, None):
                log.error("gave up a message to chat %s: %s", chat, error.message)
                return True
            log.warning("a message to chat %s waits for another try: %s", chat, error.message)
            return False
        finally:
            BEFORE_SEND.reset(going)
        outbox.delivered(delivery, message_id)
        return True

    async def _put(self, delivery: Delivery) -> int:
        """Edit the card in place, or send the message; the id of the message showing it."""
        reply, chat, shown = delivery.reply, delivery.parcel.chat_id, delivery.message_id
        if shown is not None:
            if self.shown.get((chat, shown)) == (reply.text, reply.buttons):
                return shown  # it already shows exactly this
            try:
                await edit_text(self.bot, chat, shown, reply.text, reply.buttons)
                self.remember(chat, shown, reply)
                return shown
            except BadRequest as error:
                if "not modified" in error.message:
                    return shown
                if "not found" not in error.message and "can't be edited" not in error.message:
                    raise
        message_id = await send_text(self.bot, chat, reply.text, reply.buttons)
        self.remember(chat, message_id, reply)
        if delivery.moved_from is not None and delivery.pointer is not None:
            await self._point(chat, delivery.moved_from, delivery.pointer)
        return message_id

    async def _point(self, chat: int, message_id: int, pointer: Reply) -> None:
        """A card sent anew: its former message stops showing it (nor a reader's words)."""
        try:
            await edit_text(self.bot, chat, message_id, pointer.text, pointer.buttons)
            self.remember(chat, message_id, pointer)
        except TelegramError as error:  # the card went out: it is not sent twice for this
            log.warning("chat %s: a card's former message stays: %s", chat, error.message)
