"""How long the store's calls, and a whole reader event, take on a real file database (WAL,
synchronous=FULL).

Prints median and p99 per call, next to a baseline measured in the same run: a bare
``SELECT 1`` on the same connection; and for a whole event (``/story 3`` through the
dialogue, one transaction), its two writes committed one by one as before.
Run: ``python benchmarks/bench_store.py [N]``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bot.bootstrap import bootstrap
from bot.config import Config
from bot.core.events import Command, Reader
from bot.storage.store import Store


def measure(call: Callable[[int], object], count: int) -> tuple[float, float]:
    """Median and p99 of ``call(i)`` in microseconds."""
    timings = []
    for i in range(count):
        start = time.perf_counter_ns()
        call(i)
        timings.append((time.perf_counter_ns() - start) / 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.99) - 1]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as folder:
        store = Store(str(Path(folder) / "bench.sqlite3"))
        rows = [
            ("baseline: SELECT 1", lambda i: store.db.execute("SELECT 1").fetchone()),
            ("reader (read)", lambda i: store.readers.get(i % 500)),
            ("touch (write)", lambda i: store.readers.touch(i % 500, "Anna", "it")),
            ("set_position (write)", lambda i: store.readers.set_position(i % 500, "p3", 3)),
        ]
        services = bootstrap(Config(database=str(Path(folder) / "event.sqlite3")))
        dialogue = services.dialogue

        def two_commits(i: int) -> None:
            reader = Reader(i % 500, "Anna", "it")
            services.store.readers.touch(reader.user_id, "Anna", "it")
            services.store.readers.set_position(reader.user_id, "p3", 3)

        rows += [
            ("event /story 3, 2 commits", two_commits),
            (
                "event /story 3 (1 commit)",
                lambda i: dialogue.handle(Reader(i % 500, "Anna", "it"), Command("story", "3")),
            ),
        ]
        print(f"store calls on a WAL file database, {count} calls each (microseconds)")
        for name, call in rows:
            median, p99 = measure(call, count)
            print(f"  {name:<26} median {median:8.1f}   p99 {p99:8.1f}")
        store.close()
        services.close()


if __name__ == "__main__":
    main()
