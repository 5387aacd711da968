"""Telegram flow control without head-of-line blocking, and waiting for Telegram at start-up.

- :class:`PerChatProcessor` handles different chats at the same time and each chat's updates in
  the order they came (python-telegram-bot's ``concurrent_updates``).
- :class:`ChatRateLimiter` keeps to Telegram's overall limit (``ESSAYBOT_MAX_RATE`` messages a
  second, evenly spaced, 0 for none), lets a few requests go at once, and, on a 429, pauses
  only the chat Telegram named for the seconds it asked, then tries again: one flooded chat
  never stalls the others. Only 429s in several chats at once (the overall limit, not one
  chat's) pause every chat.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import ContextVar
from typing import Any, TypeVar

from aiolimiter import AsyncLimiter
from telegram import Bot, Update
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter, BaseUpdateProcessor

from bot.config import Config, ConfigError

log = logging.getLogger(__name__)
T = TypeVar("T")
#: Called right before a request leaves for Telegram (after every wait), in the task that
#: asked it: the courier marks its parcel in flight then, not while it still queues.
BEFORE_SEND: ContextVar[Callable[[], None] | None] = ContextVar("before_send", default=None)
#: The longest wait between two attempts to reach Telegram at start-up, in seconds.
MAX_RETRY_DELAY = 60.0
#: Tries of one request that Telegram answers with 429.
MAX_RETRIES = 3
#: The key of requests that name no chat (answering a press, getUpdates).
NO_CHAT = 0
#: The key of the pause every chat keeps, after 429s in several chats at once.
EVERY_CHAT = "*"
#: 429s in this many chats within FLOOD_WINDOW seconds pause every chat.
FLOODED_CHATS = 3
FLOOD_WINDOW = 1.0
#: Requests to Telegram at once (getUpdates aside). More only queue inside httpcore, whose pool
#: bookkeeping grows with every waiting request and open connection: with python-telegram-bot's
#: 256 it took 40 % of the bot's CPU under load; 16 still 30 %; with 4 the bot answers as fast
#: as a bare echo bot (benchmarks/bench_load.py).
MAX_IN_FLIGHT = 4
#: A request still unanswered after this many seconds (a hung chat, a slow network) gives its
#: place among MAX_IN_FLIGHT to the next, and waits among at most MAX_SLOW of its kind: a few
#: hung chats never stall every reader. Each chat has one request in flight at a time.
SLOW = 0.5
MAX_SLOW = 16
#: Connections to Telegram: the requests going, and the slow ones waiting for their answer.
CONNECTIONS = MAX_IN_FLIGHT + MAX_SLOW
#: The share of ESSAYBOT_MAX_RATE actually used: evenly spaced sends still arrive a little
#: bunched (the event loop's own delays), and one 429 from the overall limit costs a second.
RATE_MARGIN = 0.985
#: Messages the limiter lets go at once. With 2, a turn taken late (the event loop busy with the
#: core) is made up by the next: 98.5 % of Telegram's 30/s used in benchmarks/bench_load.py (a
#: server counting in buckets of 3) against 95.3-95.5 % with 1; but a server that counts
#: strictly (bench_burst.py, buckets of 1) then answers 429s, in several chats at once, which
#: pauses every chat: 300 welcomes took 18.4 s against 12.0 s. Telegram's own counting is not
#: documented, so the bot stays on the side that Telegram cannot refuse.
RATE_BURST = 1


def chat_of(update: object) -> int:
    """The chat an update belongs to (0 for updates without one; an inline query, which has
    no chat, is its person's: different people's are answered side by side)."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    if isinstance(update, Update) and update.inline_query is not None:
        return update.inline_query.from_user.id
    return NO_CHAT


class PerChatProcessor(BaseUpdateProcessor):
    """Updates of different chats concurrently, of one chat in order."""

    def __init__(
        self,
        max_concurrent_updates: int = 4096,
        on_done: Callable[[object], None] | None = None,
    ) -> None:
        """``on_done`` is told of each update that went through every handler (not of one
        a stop cancelled)."""
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}
        self._on_done = on_done

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = chat_of(update)
        lock = self._locks.setdefault(chat, asyncio.Lock())
        self._waiting[chat] = self._waiting.get(chat, 0) + 1
        try:
            async with lock:
                await coroutine
            if self._on_done is not None:
                self._on_done(update)
        finally:
            self._waiting[chat] -= 1
            if not self._waiting[chat]:  # forget idle chats
                del self._waiting[chat]
                self._locks.pop(chat, None)

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free."""


class ChatRateLimiter(BaseRateLimiter[None]):
    """An overall rate for every request that sends something, and 429s per chat."""

    def __init__(self, max_rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        # one message every 1/max_rate seconds, evenly spaced: never a burst of max_rate at once
        rate = max_rate * RATE_MARGIN
        self._limiter = AsyncLimiter(RATE_BURST, RATE_BURST / rate) if max_rate > 0 else None
        self._in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        self._slow_requests = 0
        self._chats: dict[int | str, asyncio.Lock] = {}  # a chat's request in flight
        self._queued: dict[int | str, int] = {}  # requests holding or waiting for it
        self._paused: dict[int | str, float] = {}
        self._floods: dict[int | str, float] = {}  # chat -> time of its latest 429
        self._clock = clock

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free."""

    async def _wait_for(self, chat: int | str) -> None:
        """Wait out a pause Telegram asked of this chat, or of every chat (requests without a
        chat, such as answering a press, wait only for their own kind)."""
        while (pause := self.pause(chat)) > 0:
            await asyncio.sleep(pause)

    def pause(self, chat: int | str) -> float:
        """Seconds a request to ``chat`` must still wait (0 when it may go)."""
        keys = (chat,) if chat == NO_CHAT else (chat, EVERY_CHAT)
        return max(0.0, max(self._paused.get(k, 0.0) for k in keys) - self._clock())

    def _flooded(self, chat: int | str, pause: float) -> None:
        """Pause ``chat``; when several chats met a 429 just now, pause every chat."""
        now = self._clock()
        self._paused[chat] = now + pause
        self._floods[chat] = now
        self._floods = {c: t for c, t in self._floods.items() if now - t <= FLOOD_WINDOW}
        if len(self._floods) >= FLOODED_CHATS:
            log.info("429s in %d chats at once: every chat waits %s s", len(self._floods), pause)
            self._paused[EVERY_CHAT] = max(self._paused.get(EVERY_CHAT, 0.0), now + pause)

    async def _send(
        self,
        chat: int | str,
        limiter: AsyncLimiter | None,
        request: Callable[[], Coroutine[Any, Any, T]],
    ) -> T:
        """``request`` to ``chat``, once that chat has nothing else in flight and one of the
        MAX_IN_FLIGHT places is free; if it is still unanswered after SLOW seconds, its place
        goes to the next request while it waits among the slow ones (a timer, not a task: the
        common case costs nothing more)."""
        lock = self._chats.setdefault(chat, asyncio.Lock())
        self._queued[chat] = self._queued.get(chat, 0) + 1
        try:
            async with lock:
                await self._in_flight.acquire()
                place = [True, False]  # holding a place among MAX_IN_FLIGHT; counted as slow

                def demote() -> None:
                    if place[0] and self._slow_requests < MAX_SLOW:
                        place[0], place[1] = False, True
                        self._slow_requests += 1
                        self._in_flight.release()

                timer: asyncio.TimerHandle | None = None
                try:
                    if limiter is not None:  # the turn comes last: the request goes right after
                        await limiter.acquire()
                    timer = asyncio.get_running_loop().call_later(SLOW, demote)
                    going = BEFORE_SEND.get()
                    if going is not None:
                        going()  # the caller notes that the request is leaving now
                    return await request()
                finally:
                    if timer is not None:
                        timer.cancel()
                    if place[0]:
                        self._in_flight.release()
                    if place[1]:
                        self._slow_requests -= 1
        finally:
            self._queued[chat] -= 1
            if not self._queued[chat]:  # forget idle chats (none holds or waits for the lock)
                del self._queued[chat]
                self._chats.pop(chat, None)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat: int | str = data.get("chat_id") or NO_CHAT
        for attempt in range(1, MAX_RETRIES + 1):
            await self._wait_for(chat)
            # Telegram's flood limits count messages: polling, answering presses and inline
            # queries are free (and due within seconds: never behind queued messages)
            free = endpoint in ("getUpdates", "answerCallbackQuery", "answerInlineQuery")
            limiter = None if free else self._limiter
            try:
                if free:  # a long poll, or a press's acknowledgement (due within seconds):
                    return await callback(*args, **kwargs)  # never behind queued messages
                return await self._send(chat, limiter, lambda: callback(*args, **kwargs))
            except RetryAfter as error:
                seconds = error.retry_after
                pause = seconds.total_seconds() if hasattr(seconds, "total_seconds") else seconds
                self._flooded(chat, float(pause))
                if attempt == MAX_RETRIES:
                    raise
                log.info("Telegram asks chat %s to wait %s s (%s)", chat, pause, endpoint)
        raise AssertionError("unreachable")


async def wait_for_telegram(config: Config, first_delay: float = 1.0) -> None:
    """Until the Bot API answers: one log line per failed attempt, waiting longer each time
    (up to a minute). A token Telegram refuses is a configuration error, not worth retrying."""
    delay = first_delay
    for attempt in itertools.count(1):
        bot = Bot(config.require_token(), base_url=f"{config.api_url}/bot")
        try:
            async with bot:  # initialising asks getMe
                return
        except InvalidToken as error:
            raise ConfigError(
                f"Telegram refused TELEGRAM_BOT_TOKEN (401 or 404 from {config.api_url}): check"
                " the token with @BotFather, and that TELEGRAM_API_URL is a Bot API server"
            ) from error
        except TelegramError as error:  # network, 5xx, a 429: all worth another try
            log.warning(
                "Telegram is unreachable at %s (attempt %d: %s); trying again in %.0f s",
                config.api_url,
                attempt,
                error.message,
                delay,
            )
        await asyncio.sleep(delay)
        delay = min(delay * 2, MAX_RETRY_DELAY)
