"""A burst of readers at once, over the fake Bot API with Telegram's flood limits on (1 message a
second per chat, 30 a second overall): every reader sends /start, then presses "Read" on the
welcome. Prints how many replies and edits were lost, how long presses waited for their
acknowledgement (Telegram gives up after 15 s) and how long until every reader was answered.

Two set-ups in the same run: essaybot's (its own per-chat update processor and rate limiter,
presses acknowledged before anything is sent) and the baseline python-telegram-bot gives
(``concurrent_updates(True)`` with ``AIORateLimiter()``).
Run: ``python benchmarks/bench_burst.py [READERS]`` (default 300).
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fake_telegram import FakeBotAPI
from telegram.ext import AIORateLimiter

import bot.adapters.telegram as adapter
from bot.bootstrap import bootstrap
from bot.config import Config

TOKEN = "123456789:AAbenchmarkbenchmarkbenchmarkbench01"


async def burst(readers: int, baseline: bool) -> dict[str, float]:
    """One burst; the figures it measured."""
    if baseline:  # python-telegram-bot's own concurrency and rate limiter
        adapter.PerChatProcessor = lambda **_: True  # type: ignore[assignment,misc,return-value]
        adapter.ChatRateLimiter = lambda rate: AIORateLimiter()  # type: ignore[assignment,misc]
    with FakeBotAPI(token=TOKEN) as fake, tempfile.TemporaryDirectory() as folder:
        config = Config(
            token=TOKEN, api_url=fake.base_url, database=str(Path(folder) / "b.sqlite3")
        )
        services = bootstrap(config)
        application = adapter.build_application(config, services.dialogue)
        async with application:
            await adapter.on_startup(application)
            assert application.updater is not None
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
            await application.start()
            fake.set_flood_limits(1.0, 30.0)
            users = [fake.user(10_000 + i, f"R{i}", "it") for i in range(readers)]
            started = time.monotonic()
            for user in users:
                fake.send_text(user, "/start")
            welcomes = await collect(fake, users, started)
            welcomed = time.monotonic() - started
            queries: dict[str, float] = {}
            pressed = time.monotonic()
            for user, welcome in welcomes.items():
                queries[fake.press_button(users[user - 10_000], welcome, "read")] = (
                    time.monotonic()
                )
            acks = await acknowledged(fake, queries)
            edited = await collect(fake, users, pressed, edits=True)
            paged = time.monotonic() - pressed
            await application.updater.stop()
            await application.stop()
            await adapter.on_shutdown(application)
        services.close()
    waits = sorted(acks.values()) or [float("nan")]
    return {
        "lost welcomes": readers - len(welcomes),
        "unacknowledged presses": len(queries) - len(acks),
        "lost pages": len(welcomes) - len(edited),
        "press ack median s": statistics.median(waits),
        "press ack max s": waits[-1],
        "presses acked after 15 s": sum(w > 15 for w in waits),
        "welcomes done after s": welcomed,
        "pages done after s": paged,
    }


async def collect(
    fake: FakeBotAPI, users: list[dict], since: float, edits: bool = False, limit: float = 60.0
) -> dict[int, int]:
    """Readers who got a welcome (or, with ``edits``, part 1 of the essay): their
    user id and the message id; waits until all did, or nothing changed for 10 s."""
    found: dict[int, int] = {}
    last_change = time.monotonic()
    while time.monotonic() - since < limit and time.monotonic() - last_change < 10:
        for user in users:
            if user["id"] in found:
                continue
            sent = fake.sent(user["id"])
            page = [m for m in sent if "1/7" in m.get("text", "")]
            if edits and page:
                found[user["id"]] = page[0]["message_id"]
            elif not edits and sent:
                found[user["id"]] = sent[0]["message_id"]
            else:
                continue
            last_change = time.monotonic()
        if len(found) == len(users):
            break
        await asyncio.sleep(0.05)
    return found


async def acknowledged(fake: FakeBotAPI, queries: dict[str, float]) -> dict[str, float]:
    """How long each press waited for its acknowledgement (seconds)."""
    waits: dict[str, float] = {}
    deadline = time.monotonic() + 30
    while len(waits) < len(queries) and time.monotonic() < deadline:
        answers = fake.callback_answers
        now = time.monotonic()
        for query, pressed in queries.items():
            if query not in waits and query in answers:
                waits[query] = now - pressed
        await asyncio.sleep(0.01)
    return waits


def main() -> None:
    readers = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    logging.disable(logging.CRITICAL)  # the baseline's lost messages would fill the screen
    ours = asyncio.run(burst(readers, baseline=False))
    theirs = asyncio.run(burst(readers, baseline=True))
    print(f"{readers} readers: /start, then a press on the welcome")
    print(f"{'':28} {'essaybot':>10} {'baseline':>10}")
    for key in ours:
        print(f"{key:28} {ours[key]:>10.2f} {theirs[key]:>10.2f}")


if __name__ == "__main__":
    main()
