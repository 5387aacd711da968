"""How well the bot understands readers' questions, per question set: the figures the quality
test requires and the README reports. Run ``python tests/quality.py`` to print them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.core.understanding import Decision, Understanding

DATA = Path(__file__).parent / "data"
SETS = (
    "questions.sample.yaml",
    "questions.extra.yaml",
    "questions.natural.sample.yaml",
    "questions.natural.yaml",
)


def questions(name: str) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return loaded


@dataclass
class Figures:
    """Scores of one set: in scope (right answer 1, right "did you mean" ½), not answered
    (given no topic), traps (questions of no topic at all, such as an acronym in another
    sense: rejected, that is no topic answered as if it applied; the kind figure tells how many
    got exactly "none"), kinds (the reply of the kind asked), with misses."""

    in_scope: float = 0.0
    in_scope_total: int = 0
    unanswered: int = 0
    unanswered_total: int = 0
    traps: int = 0
    traps_total: int = 0
    kinds: int = 0
    kinds_total: int = 0
    misses: list[str] = field(default_factory=list)

    def rate(self, part: float, total: int) -> float:
        return 100.0 * part / total if total else 100.0

    def line(self, name: str) -> str:
        in_scope = self.rate(self.in_scope, self.in_scope_total)
        unanswered = self.rate(self.unanswered, self.unanswered_total)
        kinds = self.rate(self.kinds, self.kinds_total)
        return (
            f"{name}: in scope {in_scope:.0f} % of {self.in_scope_total},"
            f" not answered {unanswered:.0f} % of {self.unanswered_total},"
            f" traps {self.traps}/{self.traps_total}, kind {kinds:.0f} % of {self.kinds_total}"
        )


def accepted(expect: str | list[str] | None) -> list[str]:
    return [expect] if isinstance(expect, str) else list(expect or [])


def score(understanding: Understanding, name: str) -> Figures:
    figures = Figures()
    for case in questions(name):
        decision: Decision = understanding.decide(case["q"])
        expect, outcome = case.get("expect"), case.get("outcome")
        if expect is not None:
            figures.in_scope_total += 1
            if decision.kind == "answer" and decision.topic in accepted(expect):
                figures.in_scope += 1
            elif decision.kind == "choices" and set(decision.choices) & set(accepted(expect)):
                figures.in_scope += 0.5
                figures.misses.append(f"½ {case['q']} -> choices {decision.choices}")
            else:
                figures.misses.append(f"✗ {case['q']} -> {decision.kind} {decision.topic}")
        else:
            figures.unanswered_total += 1
            if decision.kind != "answer":
                figures.unanswered += 1
            else:
                figures.misses.append(f"✗ {case['q']} -> answer {decision.topic} (no topic)")
            if outcome in (None, "none") and case.get("related") is None:
                figures.traps_total += 1
                if decision.kind != "answer":  # rejected: no topic answered as if it applied
                    figures.traps += 1
                else:
                    figures.misses.append(
                        f"✗ trap {case['q']} -> {decision.kind} {decision.topic}"
                    )
        if outcome is not None:
            figures.kinds_total += 1
            kind = "none" if decision.kind == "unclear" else decision.kind
            related_right = outcome != "related" or decision.topic == case.get("related")
            if kind == outcome and related_right:
                figures.kinds += 1
            elif expect is None:
                figures.misses.append(f"~ {case['q']} -> {kind} {decision.topic} (want {outcome})")
    return figures


def main() -> None:
    from bot.bootstrap import bootstrap
    from bot.config import Config

    services = bootstrap(Config(database=":memory:"))
    understanding = services.dialogue.asking.understanding
    for name in SETS:
        if (DATA / name).exists():
            figures = score(understanding, name)
            print(figures.line(name))
            for miss in figures.misses:
                print("   ", miss)


if __name__ == "__main__":
    main()
