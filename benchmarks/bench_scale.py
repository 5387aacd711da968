"""Scale: a database with 10,000 readers and 10,000 answers, with votes, replies and questions
in plausible numbers (bulk inserts through the store's own connection, after its migrations),
then, in a fresh process that loads it through the composition root:

- the time (median of several) of /stats, an /answers page in both orders, /mydata and
  /export, each a whole ``Dialogue.handle``;
- EXPLAIN QUERY PLAN of every statement those calls ran (captured with the connection's trace
  callback), flagging any SCAN of a big table;
- whether a long /export holds up other readers: /story from another reader while the export's
  files are being made on a thread, as the Telegram adapter makes them;
- the process's peak RSS (target: under 150 MB).

Run: ``python benchmarks/bench_scale.py [--readers N] [--repeat K]`` (defaults 10,000 and 7), or
``--sizes 1000,10000,100000`` for each size in turn and then how each call's p99 grows.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import hashlib
import json
import pstats
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.adapters import offload
from bot.bootstrap import bootstrap, load
from bot.config import Config
from bot.core.events import Command, Event, Press, Reader, Text
from bot.core.understanding.classifier import Classifier
from bot.model.clock import stamp
from bot.model.fingerprints import fingerprint
from bot.storage.store import Store

ADMIN = 42
BIG = 1000  # rows: a table this big must not be scanned by a call a reader or the author makes
STANCES = ("separate", "integrate", "depends")
WORDS = (
    "marketing it integrazione dati cliente cdo cio reparto budget strategia digitale"
    " processi tecnologia silos azienda progetto team cultura obiettivi misure"
).split()


def build(path: str, readers: int, seed: int = 7) -> dict[str, int]:
    """Fill a new database at ``path``; how many rows went into each table."""
    rng = random.Random(seed)
    config = Config(database=path)
    topics = [topic.id for topic in load(config).topics]
    store = Store(path)
    db = store.db.connection
    start = datetime(2026, 1, 1, tzinfo=UTC)

    def at(i: int) -> str:
        return stamp(start + timedelta(minutes=i * 7 + rng.randrange(7)))

    def comment(i: int) -> str:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(8, 60)))
        return f"Risposta {i}: {words}."

    users = list(range(1_000_000, 1_000_000 + readers))
    with store.transaction():
        db.executemany(
            "INSERT INTO readers (user_id, first_name, language_code, part_id, furthest_part,"
            " created_at, seen_at, before_stance, notify, notify_asked)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    user,
                    f"Lettore{i}",
                    rng.choice(("it", "it", "en")),
                    f"p{(part := rng.randint(1, 7))}",
                    part,
                    at(i),
                    at(i + 100),
                    rng.choice((*STANCES, "skip", None)),
                    rng.choice((None, 0, 1)),
                    1,
                )
                for i, user in enumerate(users)
            ),
        )
        answers = []
        for i, user in enumerate(users):
            text = comment(i) if rng.random() < 0.8 else None
            status = rng.choices(("published", "pending", "hidden"), (90, 6, 4))[0]
            answers.append(
                (
                    i + 1,
                    user,
                    rng.choice(STANCES),
                    text,
                    f"Lettore{i}" if rng.random() < 0.6 else None,
                    "it",
                    status,
                    at(i),
                    at(i),
                    fingerprint(text) if text else None,
                )
            )
        db.executemany(
            "INSERT INTO answers (id, user_id, stance, comment, display_name, lang, status,"
            " created_at, updated_at, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            answers,
        )
        db.executemany(
            "INSERT INTO answer_authors (answer_id, user_id) VALUES (?, ?)",
            ((a[0], a[1]) for a in answers),
        )
        db.executemany(
            "INSERT INTO submissions (user_id, fingerprint, created_at) VALUES (?, ?, ?)",
            ((a[1], a[9] or hashlib.sha256(b"%d" % a[0]).hexdigest(), a[7]) for a in answers),
        )
        votes = {
            (rng.randrange(len(answers)) + 1, user)
            for user in users
            for _ in range(rng.choice((0, 0, 2, 5, 10)))
        }
        db.executemany(
            "INSERT OR IGNORE INTO votes (answer_id, user_id, value, created_at)"
            " VALUES (?, ?, ?, ?)",
            ((a, u, rng.choice((1, 1, -1)), at(a)) for a, u in votes if answers[a - 1][1] != u),
        )
        replies = [
            (
                rng.randrange(len(answers)) + 1,
                rng.choice(users),
                comment(i),
                rng.choice(("published", "published", "pending")),
                at(i),
            )
            for i in range(readers * 3 // 10)
        ]
        db.executemany(
            "INSERT INTO replies (answer_id, user_id, text, lang, status, created_at,"
            " updated_at, fingerprint) VALUES (?, ?, ?, 'it', ?, ?, ?, NULL)",
            ((a, u, t, s, c, c) for a, u, t, s, c in replies),
        )
        db.execute("INSERT INTO reply_authors SELECT id, user_id FROM replies")
        outcomes = ("answer", "answer", "answer", "related", "none", "choices")
        db.executemany(
            "INSERT INTO questions (user_id, text, lang, topic, score, outcome, created_at)"
            " VALUES (?, ?, 'it', ?, ?, ?, ?)",
            (
                (
                    rng.choice(users),
                    f"domanda {i} su {rng.choice(WORDS)}?",
                    rng.choice(topics) if (o := rng.choice(outcomes)) != "none" else None,
                    rng.randint(30, 100),
                    o,
                    at(i // 3),
                )
                for i in range(readers * 3)
            ),
        )
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    store.close()
    return {t: n for t, n in counts.items() if n}


def serve(path: str, readers: int, repeat: int, cache: str, profile: bool = False) -> None:
    """Load the database through the composition root and time the calls (run in a fresh
    process, so that its peak RSS is this alone)."""
    config = Config(database=path, admin_ids=frozenset({ADMIN}), model_cache=Path(cache))
    services = bootstrap(config)  # the understanding loaded from the cache, as a restart does
    services.dialogue.defer_syncs()  # as the Telegram adapter runs it: disk work off the loop
    started = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"started: peak RSS {started:.0f} MiB")
    connection = services.store.db.connection
    traced: list[str] = []
    author = Reader(ADMIN, "Autore", "it")
    someone = Reader(1_000_000 + readers // 2, f"Lettore{readers // 2}", "it")
    other = Reader(1_000_000 + 17, "Lettore17", "it")

    def answering(i: int) -> tuple[Reader, Event]:
        """A reader who answered long ago answers anew: /answer, a stance and a comment (not
        timed), then the choice to be shown by name, which saves and confirms the answer."""
        reader = Reader(1_000_000 + 100 + i, f"Lettore{100 + i}", "it")
        for event in (Command("answer"), Press("stance:integrate"), Text(f"Di nuovo, {i}.")):
            services.dialogue.handle(reader, event)
        return reader, Press("show:name")

    published = [
        int(row[0])
        for row in connection.execute(
            "SELECT id FROM answers WHERE status = 'published' AND id < 200 ORDER BY id"
        )
    ]

    def voting(i: int) -> tuple[Reader, Event]:
        """A reader agrees with an answer on the list by agreement (redrawn with the vote)."""
        voter = Reader(1_000_000 + 300 + i, f"Lettore{300 + i}", "it")
        return voter, Press(f"vote:{published[i % len(published)]}:up:a.all.0")

    # an answer halfway down the list by agreement, where ▶ is pressed deep in the list
    half = services.store.answers.count_published() // 2
    middle = services.store.answers.page_ids("a", None, half, 1)[0]
    deep = f"lpage:a:all:{half // 5}:a{middle}"

    calls: dict[str, Callable[[int], tuple[Reader, Event]]] = {
        "/stats": lambda i: (author, Command("stats")),
        "/unanswered": lambda i: (author, Command("unanswered")),
        "/answers (newest)": lambda i: (someone, Command("answers")),
        "/answers (agreement)": lambda i: (someone, Press("list:a:all:0")),
        "/answers p.3 (agreement)": lambda i: (someone, Press("list:a:all:3")),
        "/answers p.3 (one stance)": lambda i: (someone, Press("list:n:integrate:3")),
        "▶ halfway down (agreement)": lambda i: (someone, Press(deep)),
        "a vote, list redrawn": voting,
        "the tally button": lambda i: (someone, Press("tally:all:new")),
        "/mydata": lambda i: (someone, Command("mydata")),
        "/export": lambda i: (author, Command("export")),
        "/story (another reader)": lambda i: (other, Command("story")),
        "an answer saved": answering,
    }
    statements: dict[str, set[str]] = {}
    figures: dict[str, tuple[float, float]] = {}
    print(
        f"{'call':26} {'median ms':>10} {'p99 ms':>8} {'CPU p50':>8} {'CPU p99':>8}"
        f" {'RSS MiB':>8}  statements"
    )
    for name, call in calls.items():
        times: list[float] = []
        cpus: list[float] = []
        for i in range(repeat):
            reader, event = call(i)
            traced.clear()
            connection.set_trace_callback(traced.append if i == 0 else None)
            began, cpu = time.perf_counter(), time.thread_time()
            outcome = services.dialogue.handle(reader, event)
            handled = time.thread_time() - cpu  # the loop's own time: no disk sync, no files
            for reply in outcome.replies:  # files made when sent count too (the export; not
                document = reply.document  # the chart: benchmarks/bench_chart.py measures it)
                if document is not None and not document.mime_type.startswith("image/"):
                    document.content()
            if outcome.sync is not None:  # the adapter runs these off its loop
                outcome.sync()
            times.append(time.perf_counter() - began)
            cpus.append(handled * 1000)
            if i % 10 == 9:  # the adapter's upkeep, on a thread every few seconds
                services.dialogue.upkeep()
            if i == 0:
                statements[name] = set(traced)
                assert outcome.replies, name
        connection.set_trace_callback(None)
        ms, cpu_p99 = sorted(t * 1000 for t in times), percentile(cpus, 0.99)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{name:26} {statistics.median(ms):>10.1f} {percentile(ms, 0.99):>8.1f}"
            f" {statistics.median(cpus):>8.1f} {cpu_p99:>8.1f} {rss:>8.0f}"
            f"  {len(statements[name])}"
        )
        figures[name] = (statistics.median(ms), percentile(ms, 0.99), cpu_p99)
    if profile:
        for name, call in calls.items():
            reader, event = call(repeat)
            profiler = cProfile.Profile()
            profiler.runcall(services.dialogue.handle, reader, event)
            print(f"\n--- cProfile: {name} (cumulative, top 14)")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(14)
    plans(path, statements)
    lag = blocking(services, author, repeat)
    services.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of this process: {peak:.1f} MiB (target < 200 MB = 191 MiB)")
    print(f"  {'PASS' if peak * 1024 * 1024 < 200e6 else 'MISS'}  peak RSS < 200 MB")
    kept = {"calls": figures, "rss_mib": peak, "lag_p99_ms": lag}
    Path(f"{path}.json").write_text(json.dumps(kept))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def plans(path: str, statements: dict[str, set[str]]) -> None:
    """EXPLAIN QUERY PLAN of each statement, on a read-only connection; SCANs of big tables."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    sizes = {
        t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    print("\nEXPLAIN QUERY PLAN (▲ = SCAN of a table of ≥ 1,000 rows)")
    flagged: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for name, sqls in statements.items():
        again = sum(re.sub(r"'[^']*'|\b\d+\b", "?", sql) in seen for sql in sqls)
        print(f"-- {name}" + (f" ({again} statements as above, not repeated)" if again else ""))
        for sql in sorted(sqls):
            key = re.sub(r"'[^']*'|\b\d+\b", "?", sql)
            if re.match(r"\s*(BEGIN|COMMIT|SAVEPOINT|RELEASE|ROLLBACK|PRAGMA)", sql, re.I):
                continue
            try:
                rows = db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
            except sqlite3.Error as error:  # a write, on the read-only connection
                rows = [(0, 0, 0, f"(not explained: {error})")]
            details = [str(r[3]) for r in rows]
            aliases = dict(re.findall(r"\b(?:FROM|JOIN)\s+(\w+)\s+(?:AS\s+)?(\w+)", sql, re.I))
            tables = {alias: table for table, alias in aliases.items()}
            big = [
                (d, table)
                for d in details
                if (m := re.match(r"SCAN (\w+)", d))
                and sizes.get(table := tables.get(m[1], m[1]), 0) >= BIG
            ]
            if key in seen:
                continue
            seen.add(key)
            short = " ".join(key.split())
            print(f"  {'▲' if big else ' '} {short[:150]}")
            for detail in details:
                print(f"      {detail}")
            flagged += [(name, f"{d} ({sizes[t]:,} rows of {t})", short) for d, t in big]
    print(f"\nSCANs of big tables: {len(flagged)}")
    for name, detail, sql in flagged:
        print(f"  {name}: {detail} in: {sql[:100]}")


def blocking(services: object, author: Reader, repeat: int) -> dict[str, float]:
    """The event loop's lag while an /export's files and a /stats chart are made, as the
    Telegram adapter makes them (``bot.adapters.offload``: the export on a thread, the chart
    in a process of its own): a probe on the loop sleeps 5 ms again and again and records how
    late it wakes; alone first, as the baseline."""
    dialogue = services.dialogue  # type: ignore[attr-defined]

    async def lags(make: Callable[[], Awaitable[object]]) -> list[float]:
        late: list[float] = []
        done = False

        async def probe() -> None:
            while not done:
                began = time.perf_counter()
                await asyncio.sleep(0.005)
                late.append((time.perf_counter() - began - 0.005) * 1000)

        prober = asyncio.create_task(probe())
        await asyncio.sleep(0.02)
        await make()
        done = True
        await prober
        return late

    async def files(command: str) -> None:
        outcome = dialogue.handle(author, Command(command))  # on the loop: timed above
        for reply in outcome.replies:  # one after the other, as the adapter sends them
            if reply.document is not None:
                await offload.made(reply.document)

    async def measure() -> dict[str, list[float]]:
        await files("stats")  # the drawing process started, and matplotlib loaded in it
        found = {"alone": await lags(lambda: asyncio.sleep(1.0))}
        found["an /export"] = [x for _ in range(3) for x in await lags(lambda: files("export"))]
        found["a /stats chart"] = [
            x for _ in range(repeat) for x in await lags(lambda: files("stats"))
        ]
        return found

    found = asyncio.run(measure())
    print("\nthe event loop's lag (a 5 ms sleep's lateness), as the adapter makes the files")
    figures = {}
    for name, values in found.items():
        p99 = percentile(values, 0.99)
        print(
            f"  {name:16} median {statistics.median(values):6.2f} ms, p99 {p99:6.2f} ms,"
            f" max {max(values):6.1f} ms ({len(values)} samples)"
        )
        figures[name] = p99
    for name in ("an /export", "a /stats chart"):
        print(f"  {'PASS' if figures[name] <= 20 else 'MISS'}  lag p99 during {name} ≤ 20 ms")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=10_000)
    parser.add_argument(
        "--sizes",
        default="",
        help="comma-separated reader counts (e.g. 1000,10000,100000): each run, then how each"
        " call grows from the first",
    )
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="cProfile each call once")
    parser.add_argument("--serve", default="", help=argparse.SUPPRESS)
    parser.add_argument("--cache", default="", help=argparse.SUPPRESS)
    parser.add_argument("--train", default="", help=argparse.SUPPRESS)
    parser.add_argument("--build", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        print(json.dumps(build(args.build, args.readers)))
        return
    if args.train:
        Classifier.for_bank(load(Config()).bank, Path(args.train))
        return
    if args.serve:
        serve(args.serve, args.readers, args.repeat, args.cache, args.profile)
        return
    sizes = [int(n) for n in args.sizes.split(",") if n] or [args.readers]
    results: dict[int, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as cache:
        # trained once, in a process of its own (a child inherits its parent's peak RSS): the
        # serving processes load it, as every start after the first does
        subprocess.run([sys.executable, __file__, "--train", cache], check=True)
        for readers in sizes:
            print(f"=== {readers:,} readers and answers")
            results[readers] = run(readers, args.repeat, cache, args.profile)
    if len(sizes) > 1:
        growth(results)


def run(readers: int, repeat: int, cache: str, profile: bool) -> dict[str, object]:
    """Build a database of ``readers`` and serve it in a fresh process; its figures."""
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "scale.sqlite3")
        began = time.perf_counter()
        # built in a process of its own too: the serving process would inherit its peak RSS
        made = subprocess.run(
            [sys.executable, __file__, "--build", path, "--readers", str(readers)],
            check=True,
            capture_output=True,
            text=True,
        )
        counts = json.loads(made.stdout)
        size = Path(path).stat().st_size / 2**20
        print(f"built in {time.perf_counter() - began:.1f} s, {size:.1f} MiB:")
        print("  " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
        print()
        command = [sys.executable, __file__, "--serve", path]
        command += ["--readers", str(readers), "--repeat", str(repeat), "--cache", cache]
        command += ["--profile"] if profile else []
        subprocess.run(command, check=True)
        figures: dict[str, object] = json.loads(Path(f"{path}.json").read_text())
        return figures


def growth(results: dict[int, dict[str, object]]) -> None:
    """Each call's p99 at every size, and how many times its cost at the smallest size."""
    sizes = sorted(results)
    calls = list(results[sizes[0]]["calls"])  # type: ignore[call-overload]
    print("\n=== the loop's CPU time per call, p99 ms by size (× the smallest size's)")
    print(f"{'call':26}" + "".join(f"{n:>18,}" for n in sizes))
    for name in calls:
        base = results[sizes[0]]["calls"][name][2]  # type: ignore[index]
        cells = []
        for n in sizes:
            p99 = results[n]["calls"][name][2]  # type: ignore[index]
            cells.append(f"{p99:>9.1f} ({p99 / max(base, 0.05):>4.1f}×)")
        print(f"{name:26}" + "".join(f"{c:>18}" for c in cells))
    print(f"{'peak RSS MiB':26}" + "".join(f"{results[n]['rss_mib']:>18.0f}" for n in sizes))


if __name__ == "__main__":
    main()
