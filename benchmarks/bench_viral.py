"""A viral day: 300 readers arriving within one minute at ``essaybot run`` over a database of
100,000 readers and answers (built by ``bench_scale.py``), the fake Bot API enforcing Telegram's
limits (30 messages a second overall, 1 a second per chat), the author's chat open to the cards.

Every reader reads (``/story``, ▶ twice), asks a question, opens ``/answers``, sorts it by
agreement across sides, goes one page on, opens an answer and agrees with it, then answers
(``/answer``, a stance, a comment, "show my name"), each step as soon as the bot has replied to
the one before. The baseline, in the same run: the same readers at the same bot over a database
of 1,000 readers and answers. For each: messages a second against the 30/s cap, over the busy
period and while at least 30 readers waited for a reply (arriving and leaving, fewer cannot fill
the cap), replies lost, each reader's wait per step (median, p99), the press acknowledgements,
the messages the author's chat got, and its backlog: the oldest card still waiting for it,
sampled from the bot's database every half second.

Run: ``python benchmarks/bench_viral.py [--answers 100000] [--readers 300] [--spread 60]``.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))

from bench_load import CAP, FLOOD_BURST, TOKEN, LoadFake, Reader, Step, percentile  # noqa: E402
from helpers import bot_process  # noqa: E402

ADMIN = 42  # the author, as in bench_scale.py
STANCES = ("separate", "integrate", "depends")
QUESTIONS = ("chi è il CDO?", "cos'era il Millennium Bug?", "che cosa fa il CIO?")
Json = dict[str, Any]


def script(number: int) -> list[Step]:
    """What reader ``number`` does: read, ask, browse by agreement, vote, answer. A press
    whose value ends with ":" takes the first button whose data starts with it."""
    return [
        Step("text", "/story"),
        *[Step("press", "part:p2", "▶")] * 2,
        Step("text", QUESTIONS[number % len(QUESTIONS)]),
        Step("text", "/answers"),
        Step("press", "lmenu:"),
        Step("press", "list:a:all:0"),
        Step("press", "lpage:a:all:1:"),
        Step("press", "thread:"),
        Step("press", "vote:"),
        Step("text", "/answer"),
        Step("press", f"stance:{STANCES[number % len(STANCES)]}"),
        Step("text", f"Lo penso da lettore numero {number}: l'ho visto succedere in azienda."),
        Step("press", "show:name"),
    ]


class ViralFake(LoadFake):
    """The readers of bench_load.py, who also press buttons by the start of their data, and
    take a keyboard changed in place as the bot's reply; every message the bot gets through is
    counted, the author's included."""

    def __init__(self) -> None:
        super().__init__()
        self.through: list[float] = []  # when each send or edit was accepted
        self.author_messages = 0

    def _count(self, message: Json) -> None:
        self.through.append(time.monotonic())
        if message["chat"]["id"] == ADMIN:
            self.author_messages += 1

    def _sendMessage(self, params: Json) -> Json:
        message = super()._sendMessage(params)
        self._count(message)
        return message

    def _editMessageText(self, params: Json) -> Json:
        message = super()._editMessageText(params)
        self._count(message)
        return message

    def _editMessageReplyMarkup(self, params: Json) -> Json:
        message: Json = super()._editMessageReplyMarkup(params)
        self._count(message)
        self._replied(message)
        return message

    def act(self, reader: Reader) -> None:
        if reader.done < len(reader.steps) and not reader.lost:
            step = reader.steps[reader.done]
            if step.kind == "press" and step.value.endswith(":"):
                found = next((d for _, d in reader.keyboard if d.startswith(step.value)), None)
                reader.steps[reader.done] = Step("press", found or step.value + "0")
        super().act(reader)


def backlog(path: Path) -> tuple[float, int]:
    """The age in seconds of the oldest message waiting for the author's chat, and how many."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)) as db:
        oldest, count = db.execute(
            "SELECT min(created_at), count(*) FROM outbox WHERE chat_id = ?", (ADMIN,)
        ).fetchone()
    if oldest is None:
        return 0.0, 0
    made = datetime.fromisoformat(oldest)
    return (datetime.now(UTC) - made).total_seconds(), int(count)


def waiting_now(database: Path) -> int:
    """Messages still waiting for the author's chat (-1 if the database is busy)."""
    try:
        return backlog(database)[1]
    except sqlite3.Error:
        return -1


def measure(database: Path, readers: int, spread: float, lost_after: float) -> dict[str, float]:
    """The viral minute against the bot serving ``database``; its figures."""
    with ViralFake() as fake, tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        settings = {
            "ESSAYBOT_DATABASE": str(database),
            "ESSAYBOT_ADMIN_IDS": str(ADMIN),
            "ESSAYBOT_LOG_LEVEL": "INFO",
        }
        with (
            contextlib.suppress(subprocess.TimeoutExpired),
            bot_process([sys.executable, "-m", "bot", "run"], fake, folder, settings, token=TOKEN),
        ):
            fake.wait_until(lambda: fake.is_polling, timeout=60, description="polling")
            fake.open_private_chat(fake.user(ADMIN, "Autore", "it"))
            time.sleep(0.3)
            fake.set_flood_limits(1.0, CAP, burst=FLOOD_BURST)
            people = [
                Reader(fake.user(300_000 + i, f"Lettrice{i}", "it"), script(i))
                for i in range(readers)
            ]
            fake.start(people, spread=spread)
            lost, worst, waiting = 0, 0.0, 0
            lined: list[tuple[float, int]] = []  # (when, readers waiting for a reply)
            while True:
                time.sleep(0.5)
                with contextlib.suppress(sqlite3.Error):
                    age, count = backlog(database)
                    worst, waiting = max(worst, age), max(waiting, count)
                with fake._lock:
                    now = time.monotonic()
                    for reader in people:
                        if (
                            reader.waiting
                            and not reader.lost
                            and now - reader.waiting[0] > lost_after
                        ):
                            reader.lost, lost = True, lost + 1
                    done = all(reader.finished for reader in people)
                    lined.append((now, sum(r.waiting is not None for r in people)))
                if done and waiting_now(database) == 0:
                    break
            rejected = fake.clear_rejected()
        with contextlib.closing(sqlite3.connect(database)) as db:
            saved = db.execute(
                "SELECT count(*) FROM answers WHERE user_id >= 300000 AND user_id < ?",
                (300_000 + readers,),
            ).fetchone()[0]
    waits = sorted(fake.latencies) or [math.nan]
    acks = sorted(fake.acks) or [math.nan]
    through = sorted(fake.through)
    busy = through[-1] - fake.first_update if through else math.nan
    sent = sum(1 for t in through if t >= fake.first_update)
    # while at least 30 readers wait in line, the bot could send 30 a second: what it did
    full = [when for when, count in lined if count >= CAP]
    start, end = (full[0], full[-1]) if full else (math.nan, math.nan)
    in_line = sum(1 for t in through if start <= t <= end) / (end - start) if full else math.nan
    return {
        "readers": readers,
        "replies": len(fake.latencies),
        "messages/s (all chats)": sent / busy,
        "share of the 30/s cap": sent / busy / CAP,
        "messages/s, ≥ 30 in line": in_line,
        "share, ≥ 30 in line": in_line / CAP,
        "seconds with ≥ 30 in line": end - start if full else 0.0,
        "reader's wait median ms": statistics.median(waits) * 1000,
        "reader's wait p99 ms": percentile(waits, 99) * 1000,
        "press ack p99 ms": percentile(acks, 99) * 1000,
        "replies lost": lost - fake.late,
        "answers saved": saved,
        "author's chat messages": fake.author_messages,
        "author's backlog max s": worst,
        "author's cards waiting max": waiting,
        "429s from Telegram": sum(r.error_code == 429 for r in rejected),
        "other rejections": sum(r.error_code != 429 for r in rejected),
        "busy s": busy,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=1_000, help="answers of the baseline")
    parser.add_argument("--readers", type=int, default=300)
    parser.add_argument("--spread", type=float, default=60.0, help="seconds they arrive over")
    parser.add_argument("--lost-after", type=float, default=60.0)
    args = parser.parse_args()
    steps = len(script(0))
    print(f"{args.readers} readers within {args.spread:g} s, {steps} steps each")
    results = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for answers in (args.baseline, args.answers):
            built = folder / f"built-{answers}.sqlite3"
            began = time.perf_counter()
            scale = [sys.executable, str(HERE / "bench_scale.py"), "--build", str(built)]
            subprocess.run([*scale, "--readers", str(answers)], check=True, capture_output=True)
            took = time.perf_counter() - began
            print(f"built {answers:,} readers and answers in {took:.0f} s")
            label = f"{answers:,} answers"
            results[label] = measure(built, args.readers, args.spread, args.lost_after)
            print(f"  {label}: done")
    labels = list(results)
    print(f"\n{'':30}" + "".join(f"{label:>18}" for label in labels))
    for key in results[labels[0]]:
        cells = []
        for label in labels:
            value = results[label][key]
            decimals = 2 if key.startswith("share") else (1 if "/s" in key or " s" in key else 0)
            cells.append(f"{value:>18.{decimals}f}")
        print(f"{key:30}" + "".join(cells))
    viral = results[labels[1]]
    checks = [
        ("≥ 95 % of the 30/s cap while 30 readers wait", viral["share, ≥ 30 in line"] >= 0.95),
        ("0 replies lost", viral["replies lost"] == 0),
        ("every answer saved", viral["answers saved"] == args.readers),
        ("the author's chat never a minute behind", viral["author's backlog max s"] < 60),
    ]
    for name, ok in checks:
        print(f"  {'PASS' if ok else 'MISS'}  {name}")


if __name__ == "__main__":
    main()
