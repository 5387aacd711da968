"""How fast the bot understands a question, next to baselines measured in the same run: the
fuzzy topic matcher alone (what decided before the understanding was learned from the question
bank) and a naive best-guess FAQ bot (one ``rapidfuzz.process.extractOne`` of the folded
question against every alias phrase); and how long start-up takes with the model: trained from
the bank, and loaded from its cache on disk.

Questions: every test set and the bank's held-out fifth, plus variants of each with a random
typo, repeated to N in all. Run: ``python benchmarks/bench_matcher.py [N]``.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from bot.bootstrap import bootstrap, build_matcher, load
from bot.config import Config
from bot.content.catalog import Content
from bot.core.understanding import classifier
from bot.core.understanding.classifier import Classifier
from bot.core.understanding.decide import Understanding
from bot.model.text import fold, normalized

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


def questions(content: Content, count: int) -> list[str]:
    rng = random.Random(7)
    base = [
        case["q"]
        for name in sorted(p.name for p in DATA.glob("questions.*.yaml"))
        for case in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    ]
    base += [e.q for e in content.bank if e.held_out]
    pool = base + [typo(q, rng) for q in base]
    return [pool[i % len(pool)] for i in range(count)]


def forget_questions() -> None:
    """Drop what the bot keeps of the last questions it read (folded texts, the matcher's
    decision), so that a question asked again in the pool is timed as new; the matcher's
    words seen lately stay, as they do for a bot that reads many readers."""
    fold.cache_clear()
    normalized.cache_clear()
    Understanding._match.cache_clear()


def measure(decide: Callable[[str], object], items: list[str]) -> tuple[float, float]:
    """Median and p99 in microseconds, each question timed as new."""
    timings = []
    for question in items:
        forget_questions()
        start = time.perf_counter_ns()
        decide(question)
        timings.append((time.perf_counter_ns() - start) / 1000)
    timings.sort()
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.99) - 1)]


def startup(content: Content) -> None:
    """The model trained from the bank, saved, loaded from disk; and a whole start-up
    (content, store, matcher, model, dialogue) with the model on disk."""
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder)
        start = time.perf_counter()
        model = classifier.train(content.bank)
        trained = time.perf_counter() - start
        classifier.save(model, cache / "model.npz")
        start = time.perf_counter()
        classifier.load(cache / "model.npz", content.bank)
        loaded = time.perf_counter() - start
        size = (cache / "model.npz").stat().st_size / 2**20
        start = time.perf_counter()
        matcher = build_matcher(content)
        Understanding(content, matcher, model)
        fuzzy = time.perf_counter() - start
        Classifier.for_bank(content.bank, cache)  # as a start-up after the first finds it
        start = time.perf_counter()
        classifier.forget()
        services = bootstrap(Config(database=":memory:", model_cache=cache))
        whole = time.perf_counter() - start
        services.close()
    examples = sum(not e.held_out for e in content.bank)
    print(f"model: {examples} examples trained in {trained:.2f} s; on disk {size:.1f} MiB,")
    print(
        f"  loaded in {loaded * 1000:.0f} ms; matcher and wording built in {fuzzy * 1000:.0f} ms"
    )
    print(f"start-up with the model on disk (content, store, model, dialogue): {whole:.2f} s")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    content = load(Config())
    startup(content)
    classifier.forget()
    tracemalloc.start()
    matcher = build_matcher(content)
    with tempfile.TemporaryDirectory() as folder:
        classifier.save(classifier.train(content.bank), Path(folder) / "model.npz")
        before = tracemalloc.get_traced_memory()[0]
        model = classifier.load(Path(folder) / "model.npz", content.bank)
        memory = (tracemalloc.get_traced_memory()[0] - before) / 2**20
    tracemalloc.stop()
    understanding = Understanding(content, matcher, model)
    phrases = [alias.phrase for alias in matcher.aliases]

    def baseline(question: str) -> object:
        return process.extractOne(fold(question).lower(), phrases, scorer=fuzz.WRatio)

    items = questions(content, count)
    for warm in items[:200]:
        matcher.match(warm)
        baseline(warm)
        understanding.decide(warm)
    print(f"the model in memory: {memory:.0f} MiB; the matcher: {len(matcher.aliases)} aliases")
    print(f"{count} questions (microseconds per question)")
    rows = (
        ("baseline extractOne", baseline),
        ("fuzzy matcher alone", matcher.match),
        ("learned model alone", understanding.model.read),
        ("whole understanding", understanding.decide),
    )
    for name, decide in rows:
        median, p99 = measure(decide, items)
        print(f"  {name:<20} median {median:7.1f}   p99 {p99:7.1f}")


if __name__ == "__main__":
    main()
