"""Load: N simulated readers at once over the fake Bot API, against ``essaybot run`` and, as the
baseline in the same run, a bare python-telegram-bot echo bot (``benchmarks/echo_bot.py``), each
a subprocess polling the fake on 127.0.0.1.

Every reader reads the story (``/story``, then ▶ three times), asks two questions, and answers
(``/answer``, a stance, a comment, "show my name"), each step as soon as the bot has replied to
the one before (a closed loop: no think time). The echo bot gets the same updates: it echoes
texts and edits the pressed message. For each bot: replies a second over the busy period (first
update queued → last reply), latency from the moment the fake queues an update to the bot's
reply to it (sendMessage or editMessageText in that chat; also from the moment the fake hands
the update out), how long a press waits for its acknowledgement (answerCallbackQuery), replies
lost (none within ``--lost-after`` seconds; that reader stops), and CPU seconds per reply (the
bot process's utime + stime from /proc/PID/stat). Three runs:

1. no rate limit (``ESSAYBOT_MAX_RATE=0``, no flood limits in the fake): throughput ≥ 0.8× and
   p99 ≤ 1.5× the echo bot's;
2. the fake enforcing Telegram's limits (30 messages a second overall, 1 a second per chat), the
   bot's limiter at its default: 0 lost, ≥ 95 % of the 30/s cap used while busy;
3. 300 readers arriving within one second, each sending ``/story``, limits as in 2: 0 lost, p99
   within what a queue at 30/s implies (300 / 30 = 10 s) plus 2 s.

Run 1 runs the two bots back to back ``--repeat`` times (default 5; each goes first as often)
and compares within each pair, then takes the median of those ratios: on a small machine one
run can differ by a third from the next, while two runs back to back share the machine's load.

Run: ``python benchmarks/bench_load.py [--readers N] [--runs 1,2,3]`` (default 200 readers).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from fake_telegram import FakeBotAPI  # noqa: E402
from helpers import bot_process  # noqa: E402

TOKEN = "123456:TEST-token_abcdefghijklmnopqrstuvwxyz"
CAP = 30.0  # Telegram's overall limit, messages a second
#: The fake's token buckets hold this many messages: Telegram counts about 30 a second and 1 a
#: second per chat, and lets a few come bunched; a bucket of 1 would count a few milliseconds of
#: network jitter between two evenly spaced messages as a flood.
FLOOD_BURST = 3.0
BURST_READERS = 300
MARGIN = 2.0  # seconds over the 30/s queue that run 3 allows
STANCES = ("separate", "integrate", "depends")
QUESTIONS = (
    ("chi è il CDO?", "cos'era il Millennium Bug?"),
    ("che cosa fa il CIO?", "cosa sono i ruoli ibridi?"),
    ("cos'era il Millennium Bug?", "chi è il CDO?"),
)
Json = dict[str, Any]
PLACES = {"CPU ms/reply": 2, "replies/s": 1, "busy s": 1}  # decimals shown; counts: none


@dataclass(frozen=True)
class Step:
    """A text the reader sends, or a button they press: the one labelled ``label`` or with the
    data ``value`` on the bot's latest message; ``value`` where it has none (the echo bot)."""

    kind: str  # "text" or "press"
    value: str
    label: str = ""


def script(number: int) -> list[Step]:
    """What reader ``number`` does: read, ask, answer."""
    first, second = QUESTIONS[number % len(QUESTIONS)]
    stance = STANCES[number % len(STANCES)]
    comment = f"Lo penso da lettore numero {number}: ne ho viste tante in azienda, davvero."
    return [
        Step("text", "/story"),
        *[Step("press", "part:p2", "▶")] * 3,
        Step("text", first),
        Step("text", second),
        Step("text", "/answer"),
        Step("press", f"stance:{stance}"),
        Step("text", comment),
        Step("press", "show:name"),
    ]


@dataclass
class Reader:
    user: Json
    steps: list[Step]
    done: int = 0  # steps taken
    waiting: tuple[float, int] | None = None  # (queued at, update id) of the step taken
    message_id: int = 0  # the bot's latest message in the chat, and its buttons
    keyboard: list[tuple[str, str]] = field(default_factory=list)
    lost: bool = False

    @property
    def finished(self) -> bool:
        return self.lost or (self.waiting is None and self.done == len(self.steps))


class LoadFake(FakeBotAPI):
    """The fake Bot API that also plays the readers: each reply the bot sends (recorded as the
    fake stores it) lets its reader take their next step, on the fake's own event loop."""

    def __init__(self) -> None:
        super().__init__(token=TOKEN)
        self.readers: dict[int, Reader] = {}
        self.latencies: list[float] = []  # from queued
        self.by_step: dict[int, list[float]] = {}
        self.handout_latencies: list[float] = []  # from handed out by getUpdates
        self.handed: dict[int, float] = {}
        self.first_update = math.inf
        self.last_reply = 0.0
        self.extra = 0  # replies to no step (a second reply to one update)
        self.late = 0  # replies after their step was counted lost
        self.pressed: dict[str, float] = {}  # callback query id -> when the reader pressed
        self.acks: list[float] = []  # from press to the bot's answerCallbackQuery

    async def _get_updates(self, params: Json) -> list[Json]:
        updates = await super()._get_updates(params)
        now = time.monotonic()
        for update in updates:
            self.handed.setdefault(update["update_id"], now)
        return updates

    def _sendMessage(self, params: Json) -> Json:
        message = super()._sendMessage(params)
        self._replied(message)
        return message

    def _editMessageText(self, params: Json) -> Json:
        message = super()._editMessageText(params)
        self._replied(message)
        return message

    def _answerCallbackQuery(self, params: Json) -> bool:
        answered = super()._answerCallbackQuery(params)
        pressed = self.pressed.pop(str(params.get("callback_query_id")), None)
        if pressed is not None:
            self.acks.append(time.monotonic() - pressed)
        return answered

    def _replied(self, message: Json) -> None:
        now = time.monotonic()
        reader = self.readers.get(message["chat"]["id"])
        if reader is None or reader.waiting is None:
            self.extra += 1
            return
        if reader.lost:
            self.late += 1
            reader.waiting = None
            return
        queued, update_id = reader.waiting
        reader.waiting = None
        self.last_reply = now
        self.latencies.append(now - queued)
        self.by_step.setdefault(reader.done, []).append(now - queued)
        if update_id in self.handed:
            self.handout_latencies.append(now - self.handed[update_id])
        markup = message.get("reply_markup", {}).get("inline_keyboard", [])
        reader.message_id = message["message_id"]
        reader.keyboard = [(b["text"], b.get("callback_data", "")) for row in markup for b in row]
        assert self._loop is not None
        self._loop.call_soon(self.act, reader)

    def act(self, reader: Reader) -> None:
        """The reader's next step, if any."""
        if reader.done == len(reader.steps) or reader.lost:
            return
        step = reader.steps[reader.done]
        reader.done += 1
        with self._lock:
            if step.kind == "text":
                self.send_text(reader.user, step.value)
            else:
                if step.label:
                    found = (d for label, d in reader.keyboard if label == step.label and d)
                else:
                    found = (d for _, d in reader.keyboard if d == step.value)
                data = next(found, step.value)
                query = self.press_button(reader.user, reader.message_id, data)
                self.pressed[query] = time.monotonic()
            now = time.monotonic()
            reader.waiting = (now, self._updates[-1]["update_id"])
            self.first_update = min(self.first_update, now)

    def start(self, readers: list[Reader], spread: float) -> None:
        """Let the readers begin, all at once or evenly over ``spread`` seconds."""
        assert self._loop is not None
        with self._lock:
            self.readers = {reader.user["id"]: reader for reader in readers}

        def begin() -> None:
            assert self._loop is not None
            for i, reader in enumerate(readers):
                self._loop.call_later(spread * i / len(readers), self.act, reader)

        self._loop.call_soon_threadsafe(begin)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (its threads included), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    baseline: bool,
    readers: int,
    *,
    flood: bool,
    burst: bool,
    lost_after: float,
    settings: dict[str, str],
    logs: str = "",
    spy: str = "",
    by_step: bool = False,
) -> dict[str, float]:
    """One bot under one load; its figures."""
    if baseline:
        command = [sys.executable, str(HERE / "echo_bot.py")]
    else:
        command = [sys.executable, "-m", "bot", "run"]
    if spy:  # CPU figures are then py-spy's own, not the bot's
        stacks = Path(f"{spy}.{'echo' if baseline else 'essaybot'}").resolve()
        command = ["py-spy", "record", "-r", "250", "-f", "raw", "-o", str(stacks), "--", *command]
    with LoadFake() as fake, tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = {"ESSAYBOT_DATABASE": str(folder / "bot.sqlite3"), "ESSAYBOT_LOG_LEVEL": "INFO"}
        with (
            contextlib.suppress(subprocess.TimeoutExpired),  # a bot that would not stop: killed
            bot_process(command, fake, folder, env | settings, token=TOKEN) as process,
        ):
            try:
                fake.wait_until(lambda: fake.is_polling, timeout=30, description="polling")
            except AssertionError:
                print((folder / "bot.log").read_text()[-3000:], file=sys.stderr)
                raise
            time.sleep(0.3)
            if flood:
                fake.set_flood_limits(1.0, CAP, burst=FLOOD_BURST)
            people = [
                Reader(fake.user(200_000 + i, f"Lettore{i}", "it"), script(i))
                for i in range(readers)
            ]
            if burst:
                for reader in people:
                    reader.steps = reader.steps[:1]
            before = cpu_seconds(process.pid)
            fake.start(people, spread=1.0 if burst else 0.0)
            lost = 0
            while True:
                time.sleep(0.1)
                with fake._lock:
                    now = time.monotonic()
                    for reader in people:
                        waiting = reader.waiting
                        if waiting and not reader.lost and now - waiting[0] > lost_after:
                            reader.lost, lost = True, lost + 1
                    if all(reader.finished for reader in people):
                        break
            after = cpu_seconds(process.pid)
            if lost:  # replies after --lost-after are late, not lost, if they come at all
                time.sleep(min(lost_after, 15.0))
            if process.poll() is not None:
                print((folder / "bot.log").read_text()[-3000:], file=sys.stderr)
        if logs:
            kept = Path(logs) / f"{'echo' if baseline else 'essaybot'}-{readers}-{flood:d}.log"
            kept.write_bytes((folder / "bot.log").read_bytes())
        saved = math.nan
        if not baseline:  # the readers' answers really reached the database
            with contextlib.closing(sqlite3.connect(folder / "bot.sqlite3")) as db:
                saved = db.execute("SELECT count(*) FROM answers").fetchone()[0]
        rejected = fake.clear_rejected()
    replies = len(fake.latencies)
    if by_step and not baseline:
        print(f"essaybot latency by step, {readers} readers (ms): step  median  p99")
        for number, values in sorted(fake.by_step.items()):
            ordered = sorted(values)
            label = people[0].steps[number - 1].value[:22]
            middle, tail = statistics.median(ordered) * 1000, percentile(ordered, 99) * 1000
            print(f"  {number:2} {label:22} {middle:8.0f} {tail:8.0f}")
    latencies = sorted(fake.latencies) or [math.nan]
    acks = sorted(fake.acks) or [math.nan]
    busy = fake.last_reply - fake.first_update if replies else math.nan
    return {
        "updates sent": sum(reader.done for reader in people),
        "replies": replies,
        "replies/s": replies / busy,
        "latency median ms": statistics.median(latencies) * 1000,
        "latency p99 ms": percentile(latencies, 99) * 1000,
        "from hand-out median ms": statistics.median(fake.handout_latencies or [math.nan]) * 1000,
        "press ack median ms": statistics.median(acks) * 1000,
        "press ack p99 ms": percentile(acks, 99) * 1000,
        "replies lost": lost - fake.late,
        f"replies after {lost_after:g} s": fake.late,
        "extra replies": fake.extra,
        "readers stopped": sum(reader.lost for reader in people),
        "429s from Telegram": sum(r.error_code == 429 for r in rejected),
        "other rejections": sum(r.error_code != 429 for r in rejected),
        "answers saved": saved,
        "CPU ms/reply": (after - before) / replies * 1000 if replies else math.nan,
        "busy s": busy,
    }


def percentile(ordered: list[float], p: float) -> float:
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def table(title: str, ours: dict[str, float], echo: dict[str, float]) -> None:
    print(f"\n{title}")
    print(f"{'':26} {'essaybot':>10} {'echo':>10} {'ratio':>7}")
    for key, value in ours.items():
        other = echo[key]
        ratio = f"{value / other:7.2f}" if other and not math.isnan(other) else f"{'—':>7}"
        decimals = PLACES.get(key, 1 if "ms" in key else 0)
        print(f"{key:26} {value:>10.{decimals}f} {other:>10.{decimals}f} {ratio}")


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over ``runs`` (NaN where a bot has no such figure)."""
    return {
        key: statistics.median(values) if not any(math.isnan(v) for v in values) else math.nan
        for key in runs[0]
        for values in [[run[key] for run in runs]]
    }


def verdict(name: str, ok: bool, detail: str) -> None:
    print(f"  {'PASS' if ok else 'MISS'}  {name}: {detail}")


def lost(figures: dict[str, float]) -> str:
    late = next(v for k, v in figures.items() if k.startswith("replies after"))
    return f"{figures['replies lost']:.0f} never sent ({late:.0f} sent late, after the cut-off)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--runs", default="1,2,3", help="which runs, e.g. 1,3")
    parser.add_argument(
        "--repeat", type=int, default=5, help="run 1 this many times per bot, in pairs"
    )
    parser.add_argument("--lost-after", type=float, default=30.0, help="seconds (default 30)")
    parser.add_argument("--max-rate", default="", help="ESSAYBOT_MAX_RATE in runs 2 and 3")
    parser.add_argument("--by-step", action="store_true", help="essaybot's latency per step")
    parser.add_argument("--logs", default="", help="keep the bots' logs in this folder")
    spy = "py-spy both bots: raw stacks to SPY.essaybot and SPY.echo"
    parser.add_argument("--spy", default="", help=spy)
    args = parser.parse_args()
    runs = {int(run) for run in args.runs.split(",")}
    load: dict[str, Any] = {"lost_after": args.lost_after, "logs": args.logs, "spy": args.spy}
    load["by_step"] = args.by_step
    limited = {"ESSAYBOT_MAX_RATE": args.max_rate} if args.max_rate else {}
    steps = len(script(0))
    print(f"{args.readers} readers, {steps} steps each; lost after {args.lost_after:g} s")
    if 1 in runs:  # a ratio of two speeds on a busy 2-core machine: pairs of runs back to back
        bots = ((False, {"ESSAYBOT_MAX_RATE": "0"}), (True, {}))
        trials = []
        for n in range(max(1, args.repeat)):
            order = bots if n % 2 == 0 else bots[::-1]  # each bot goes first as often
            done = {
                b: measure(b, args.readers, flood=False, burst=False, settings=s, **load)
                for b, s in order
            }
            trials.append((done[False], done[True]))
        ours, echo = (median_of([trial[i] for trial in trials]) for i in (0, 1))
        title = "1. no rate limit (ESSAYBOT_MAX_RATE=0, no flood limits)"
        table(f"{title}; medians of {len(trials)} runs each", ours, echo)
        # each pair ran back to back, under the same load on the machine: compare within pairs
        speeds = [o["replies/s"] / e["replies/s"] for o, e in trials]
        tails = [o["latency p99 ms"] / e["latency p99 ms"] for o, e in trials]
        pairs = " ".join(f"{o['replies/s']:.0f}/{e['replies/s']:.0f}" for o, e in trials)
        print(f"  pairs, replies/s:        {pairs}")
        print(f"  pairs, throughput ratio: {' '.join(f'{r:.2f}' for r in speeds)}")
        print(f"  pairs, p99 ratio:        {' '.join(f'{r:.2f}' for r in tails)}")
        speed, tail = statistics.median(speeds), statistics.median(tails)
        verdict("throughput ≥ 0.8× echo (median of pairs)", speed >= 0.8, f"{speed:.2f}×")
        verdict("p99 ≤ 1.5× echo (median of pairs)", tail <= 1.5, f"{tail:.2f}×")
    if 2 in runs:
        ours, echo = (
            measure(b, args.readers, flood=True, burst=False, settings=limited, **load)
            for b in (False, True)
        )
        rate = f"ESSAYBOT_MAX_RATE={args.max_rate}" if args.max_rate else "limiter at default"
        table(f"2. Telegram's limits (30/s overall, 1/s per chat), {rate}", ours, echo)
        used = ours["replies/s"] / CAP
        verdict("0 lost", ours["replies lost"] == 0, lost(ours))
        verdict("≥ 95 % of the 30/s cap", used >= 0.95, f"{used:.1%}")
    if 3 in runs:
        ours, echo = (
            measure(b, BURST_READERS, flood=True, burst=True, settings=limited, **load)
            for b in (False, True)
        )
        table(f"3. {BURST_READERS} readers within one second, each /story, limits on", ours, echo)
        bound = (BURST_READERS / CAP + MARGIN) * 1000
        p99 = ours["latency p99 ms"]
        verdict("0 lost", ours["replies lost"] == 0, lost(ours))
        verdict(f"p99 ≤ {bound:.0f} ms", p99 <= bound, f"{p99:.0f} ms")


if __name__ == "__main__":
    main()
