"""What the /stats chart costs: time and memory of drawing it, in a fresh process.

The bot is built and given readers first (40 readers reading, asking and answering), and the
text report of /stats is made: that process's peak RSS is the baseline, the bot without any
chart (matplotlib not yet imported). Then the chart of the same numbers is drawn: the first draw
includes importing matplotlib, later draws are timed one by one (median, p99); peak RSS after
them, and the tracemalloc peak of one draw (Python allocations only: Agg's own buffers are not
traced, RSS shows them). Run: ``python benchmarks/bench_chart.py [N]`` (default 100 later draws).
"""

from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from bot.bootstrap import Services, bootstrap
from bot.config import Config
from bot.core.charts import draw
from bot.core.events import Command, Press, Reader, Text

QUESTIONS = ("chi è il CDO?", "cos'era il Millennium Bug?", "cio e cdo", "ricetta della carbonara")
STANCES = ("separate", "integrate", "depends")


def peak_rss_mib() -> float:
    """The process's peak resident set size so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed(services: Services, readers: int) -> None:
    """Readers who read some parts, ask, and answer (some before finishing, some after)."""
    handle = services.dialogue.handle
    for n in range(readers):
        reader = Reader(1000 + n, f"Lettore {n}", "it")
        for part in range(1, 2 + n % 7):
            handle(reader, Command("story", str(part)))
        handle(reader, Text(QUESTIONS[n % len(QUESTIONS)]))
        if n % 3:
            handle(reader, Command("answer"))
            handle(reader, Press(f"stance:{STANCES[n % 3]}"))
            handle(reader, Press("skip"))
            handle(reader, Press("show:name"))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    assert "matplotlib" not in sys.modules, "the bot loaded matplotlib before any chart"
    with tempfile.TemporaryDirectory() as folder:
        services = bootstrap(Config(database=str(Path(folder) / "bench.sqlite3")))
        seed(services, 40)
        dialogue = services.dialogue
        turn = dialogue.turn(Reader(42, "Autore", "it"))
        start = time.perf_counter()
        dialogue.moderation.report(turn)
        report_ms = (time.perf_counter() - start) * 1000
        baseline = peak_rss_mib()
        data = dialogue.moderation.chart_data(turn)
        start = time.perf_counter()
        png = draw(data)
        first_ms = (time.perf_counter() - start) * 1000
        after_first = peak_rss_mib()
        timings = []
        for _ in range(count):
            start = time.perf_counter()
            draw(data)
            timings.append((time.perf_counter() - start) * 1000)
        after = peak_rss_mib()
        tracemalloc.start()
        draw(data)
        traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        services.close()
    timings.sort()
    rows = [
        ("baseline: the text report of /stats", f"{report_ms:8.1f} ms"),
        ("first draw, matplotlib's import included", f"{first_ms:8.1f} ms"),
        ("later draws: median", f"{statistics.median(timings):8.1f} ms"),
        ("later draws: p99", f"{timings[max(0, int(len(timings) * 0.99) - 1)]:8.1f} ms"),
        ("baseline: peak RSS of the bot, no chart", f"{baseline:8.1f} MiB"),
        ("peak RSS after the first draw", f"{after_first:8.1f} MiB"),
        (f"peak RSS after {count} more draws", f"{after:8.1f} MiB"),
        ("tracemalloc peak of one draw", f"{traced_peak:8.1f} MiB"),
    ]
    print(f"/stats chart: a {len(png) / 1024:.0f} KiB PNG; {count} later draws")
    for name, figure in rows:
        print(f"  {name:<42} {figure}")


if __name__ == "__main__":
    main()
