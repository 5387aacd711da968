"""How long the store's calls take on a real file database (WAL, synchronous=FULL).

Prints median and p99 per call, next to a baseline measured in the same run: a bare
``SELECT 1`` on the same connection. Run: ``python benchmarks/bench_store.py [N]``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bot.store import Store


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
            ("reader (read)", lambda i: store.reader(i % 500)),
            ("touch_reader (write)", lambda i: store.touch_reader(i % 500, "Anna", "it")),
            ("set_position (write)", lambda i: store.set_position(i % 500, "p3", 3)),
        ]
        print(f"store calls on a WAL file database, {count} calls each (microseconds)")
        for name, call in rows:
            median, p99 = measure(call, count)
            print(f"  {name:<24} median {median:8.1f}   p99 {p99:8.1f}")
        store.close()


if __name__ == "__main__":
    main()
