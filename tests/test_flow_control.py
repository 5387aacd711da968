"""Flow control: a 429 pauses the chat it names; 429s in several chats at once pause them all."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from telegram.error import RetryAfter

from bot.adapters.flow_control import FLOODED_CHATS, NO_CHAT, RATE_BURST, ChatRateLimiter


class Telegram:
    """A send that meets one 429 per chat (asking for ``seconds``), then goes through."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.flooded: set[int] = set()
        self.sent: list[int] = []

    async def send(self, chat: int) -> bool:
        if chat not in self.flooded:
            self.flooded.add(chat)
            raise RetryAfter(timedelta(seconds=self.seconds))
        self.sent.append(chat)
        return True


def sending(limiter: ChatRateLimiter, telegram: Telegram, chat: int) -> asyncio.Task[object]:
    request = limiter.process_request(
        telegram.send, (chat,), {}, "sendMessage", {"chat_id": chat}, None
    )
    return asyncio.ensure_future(request)


async def until(condition: object) -> None:
    while not condition():  # type: ignore[operator]
        await asyncio.sleep(0.001)


async def test_a_429_pauses_the_chat_it_names_and_no_other() -> None:
    limiter, telegram = ChatRateLimiter(0), Telegram(0.2)
    task = sending(limiter, telegram, 1)
    await until(lambda: telegram.flooded)
    assert limiter.pause(1) > 0.1
    assert limiter.pause(2) == 0.0 and limiter.pause(NO_CHAT) == 0.0
    assert await task is True and telegram.sent == [1]


async def test_429s_in_several_chats_at_once_pause_every_chat_but_not_acknowledgements() -> None:
    limiter, telegram = ChatRateLimiter(1000), Telegram(0.2)
    chats = range(1, FLOODED_CHATS + 1)
    tasks = [sending(limiter, telegram, chat) for chat in chats]
    await until(lambda: len(telegram.flooded) == FLOODED_CHATS)
    assert limiter.pause(999) > 0.1  # a chat that never met a 429 waits too
    assert limiter.pause(NO_CHAT) == 0.0  # answering a press is not a message
    await asyncio.gather(*tasks)
    assert sorted(telegram.sent) == list(chats)
    assert limiter.pause(999) == 0.0


async def test_acknowledging_a_press_never_waits_behind_queued_messages() -> None:
    limiter = ChatRateLimiter(30)
    loop = asyncio.get_running_loop()
    done: dict[str, float] = {}

    async def call(name: str) -> bool:
        done[name] = loop.time()
        return True

    start = loop.time()
    queued = [
        asyncio.ensure_future(
            limiter.process_request(call, (f"m{n}",), {}, "sendMessage", {"chat_id": n}, None)
        )
        for n in range(1, 31)  # a second's worth of messages at 30 a second
    ]
    await limiter.process_request(call, ("ack",), {}, "answerCallbackQuery", {}, None)
    assert done["ack"] - start < 0.5 and len(done) < 30  # before most of the messages
    await asyncio.gather(*queued)


async def test_messages_go_one_a_turn_and_never_more_than_the_burst_at_once() -> None:
    rate = 10.0  # a turn every 0.1 s (RATE_MARGIN makes it a little longer)
    limiter = ChatRateLimiter(rate)
    loop = asyncio.get_running_loop()
    went: list[float] = []

    async def call(n: int) -> bool:
        went.append(loop.time())
        return True

    def message(n: int) -> asyncio.Future[object]:
        request = limiter.process_request(call, (n,), {}, "sendMessage", {"chat_id": n}, None)
        return asyncio.ensure_future(request)

    for idle in (0.0, 3 / rate):  # at start, and after turns nobody took
        await asyncio.sleep(idle)
        went.clear()
        await asyncio.gather(*(message(n) for n in range(RATE_BURST + 2)))
        assert went[RATE_BURST - 1] - went[0] < 0.5 / rate  # the burst went at once
        assert went[RATE_BURST] - went[0] >= 0.5 / rate  # the next waited for its turn
        assert went[-1] - went[0] >= 2 * 0.9 / rate  # as did the one after
