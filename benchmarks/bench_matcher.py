"""How fast the topic matcher decides, next to a naive baseline measured in the same run.

The baseline is what a best-guess FAQ bot does: one ``rapidfuzz.process.extractOne`` of the
folded question against every alias phrase. Questions: the test sets plus variants of each with
a random typo, repeated to N in all. Run: ``python benchmarks/bench_matcher.py [N]``.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from bot.bootstrap import build_matcher, load
from bot.config import Config
from bot.core.understanding.decide import Understanding
from bot.model.text import fold

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def typo(text: str, rng: random.Random) -> str:
    """``text`` with one letter dropped, doubled or swapped."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 2)
    return rng.choice(
        [
            text[:i] + text[i + 1 :],
            text[:i] + text[i] + text[i:],
            text[:i] + text[i + 1] + text[i] + text[i + 2 :],
        ]
    )


def questions(count: int) -> list[str]:
    rng = random.Random(7)
    base = [
        case["q"]
        for name in sorted(p.name for p in DATA.glob("questions.*.yaml"))
        for case in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    ]
    pool = base + [typo(q, rng) for q in base]
    return [pool[i % len(pool)] for i in range(count)]


def measure(decide: Callable[[str], object], items: list[str]) -> tuple[float, float]:
    """Median and p99 in microseconds."""
    timings = []
    for question in items:
        start = time.perf_counter_ns()
        decide(question)
        timings.append((time.perf_counter_ns() - start) / 1000)
    timings.sort()
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.99) - 1)]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    content = load(Config())
    tracemalloc.start()
    start = time.perf_counter()
    matcher = build_matcher(content)
    understanding = Understanding(content, matcher)
    built = (time.perf_counter() - start) * 1000
    memory = tracemalloc.get_traced_memory()[0] / 1024
    tracemalloc.stop()
    phrases = [alias.phrase for alias in matcher.aliases]

    def baseline(question: str) -> object:
        return process.extractOne(fold(question).lower(), phrases, scorer=fuzz.WRatio)

    items = questions(count)
    for warm in items[:200]:
        matcher.match(warm)
        baseline(warm)
    print(
        f"matcher and understanding: {len(matcher.aliases)} aliases,"
        f" built in {built:.1f} ms, {memory:.0f} KiB"
    )
    print(f"{count} questions (microseconds per question)")
    rows = (
        ("baseline extractOne", baseline),
        ("essaybot matcher", matcher.match),
        ("whole understanding", understanding.decide),
    )
    for name, decide in rows:
        median, p99 = measure(decide, items)
        print(f"  {name:<20} median {median:7.1f}   p99 {p99:7.1f}")


if __name__ == "__main__":
    main()
