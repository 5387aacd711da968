"""Flow control: a 429 pauses the chat it names; 429s in several chats at once pause them all."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from telegram.error import RetryAfter

from bot.adapters.flow_control import (
    BEFORE_SEND,
    FLOODED_CHATS,
    MAX_IN_FLIGHT,
    NO_CHAT,
    RATE_BURST,
    SLOW,
    ChatRateLimiter,
)


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


async def test_four_hung_chats_do_not_stall_a_fifth_reader() -> None:
    limiter = ChatRateLimiter(0)
    loop = asyncio.get_running_loop()
    hung = asyncio.Event()  # never set while the fifth is served: Telegram hangs for them

    async def hang(chat: int) -> bool:
        await hung.wait()
        return True

    async def answer(chat: int) -> bool:
        return True

    def request(call: object, chat: int) -> asyncio.Future[object]:
        data = {"chat_id": chat}
        sent = limiter.process_request(call, (chat,), {}, "sendMessage", data, None)  # type: ignore[arg-type]
        return asyncio.ensure_future(sent)

    stuck = [request(hang, chat) for chat in range(1, MAX_IN_FLIGHT + 1)]
    await asyncio.sleep(0.05)  # every place taken by a chat that does not answer
    start = loop.time()
    assert await asyncio.wait_for(request(answer, 5), timeout=10) is True
    assert loop.time() - start < SLOW + 1.0  # not the hung requests' whole timeout
    hung.set()
    assert await asyncio.gather(*stuck) == [True] * MAX_IN_FLIGHT


async def test_a_chat_has_one_request_in_flight_at_a_time() -> None:
    limiter = ChatRateLimiter(0)
    running: list[int] = []
    most = 0

    async def call(n: int) -> bool:
        nonlocal most
        running.append(n)
        most = max(most, len(running))
        await asyncio.sleep(0.01)
        running.remove(n)
        return True

    same_chat = [
        limiter.process_request(call, (n,), {}, "sendMessage", {"chat_id": 7}, None)
        for n in range(5)
    ]
    assert await asyncio.gather(*same_chat) == [True] * 5
    assert most == 1


async def test_a_request_is_noted_as_leaving_only_after_its_waits() -> None:
    limiter, telegram = ChatRateLimiter(0), Telegram(0.3)
    left: list[float] = []
    loop = asyncio.get_running_loop()

    async def courier() -> object:
        BEFORE_SEND.set(lambda: left.append(loop.time()))
        return await limiter.process_request(
            telegram.send, (9,), {}, "sendMessage", {"chat_id": 9}, None
        )

    start = loop.time()
    assert await courier() is True  # a 429 first (0.3 s pause), then through
    assert len(left) == 2 and left[1] - start >= 0.25  # noted as it left, not while it waited
