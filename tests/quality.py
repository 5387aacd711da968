"""How well the bot understands readers' questions, per question set: the figures the quality
test requires and the README reports. Run ``python tests/quality.py`` to print them (``-v``
lists every miss).

The sets: the public samples, the project's own natural sets, the outside development set, and
the question bank's held-out fifth (``content/bank/``, never trained on)."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.content.catalog import Content
from bot.content.guide import HELP
from bot.core.understanding.decide import ABOUT, Decision, Understanding

DATA = Path(__file__).parent / "data"
SETS = (
    "questions.sample.yaml",
    "questions.extra.yaml",
    "questions.natural.sample.yaml",
    "questions.natural.yaml",
    "questions.outside-dev.yaml",
)
BANK = "bank held-out"
#: What issue 19 asks of every set: in scope, aspect, not answered, traps, about the essay/bot.
TARGETS = (90.0, 85.0, 90.0, 95.0, 90.0)


@dataclass(frozen=True)
class Case:
    """A question and what is right for it: ``want`` (acceptable topics; none when the essay
    does not answer it), the ``aspect`` asked, the ``outcome`` kind, the ``about`` intent
    (``essay:<kind>`` or ``help:<feature>``) and whether it is a trap (no topic at all)."""

    q: str
    want: tuple[str, ...] = ()
    aspect: str | None = None
    outcome: str | None = None
    related: str | None = None
    about: str | None = None
    trap: bool = False
    #: for the bank's expressions and premises: the one asked (its reply counts as a kind)
    term: str | None = None
    premise: str | None = None


def questions(name: str) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return loaded


def accepted(expect: str | list[str] | None) -> tuple[str, ...]:
    return (expect,) if isinstance(expect, str) else tuple(expect or ())


def file_cases(name: str) -> list[Case]:
    found = []
    for raw in questions(name):
        want = accepted(raw.get("expect", raw.get("want")))
        outcome, related = raw.get("outcome"), raw.get("related")
        trap = not want and related is None and outcome in (None, "none")
        aspect = raw.get("aspect") if raw.get("aspect") != "yesno" else None
        if raw.get("about"):  # about the essay or the bot: judged by its kind (and command)
            found.append(Case(raw["q"], about=raw["about"]))
            continue
        found.append(Case(raw["q"], want, aspect, outcome, related, None, trap))
    return found


def bank_cases(content: Content) -> list[Case]:
    """The bank's held-out examples as cases."""
    found = []
    terms, premises = content.guide.terms, content.guide.premises
    for example in (e for e in content.bank if e.held_out):
        kind, _, name = example.intent.partition(":")
        q = example.q
        if kind in ("essay", "help"):
            found.append(Case(q, about=example.intent))
        elif kind == "glossary":
            found.append(Case(q, (terms[name].topic,), term=name))
        elif kind == "premise":
            found.append(Case(q, (premises[name].topic,), premise=name))
        elif kind == "smalltalk" or example.intent in ("sequence", "followup"):
            found.append(Case(q, outcome=kind if kind == "smalltalk" else example.intent))
        elif example.intent == "out":
            trap = example.related is None
            found.append(Case(q, related=example.related, trap=trap))
        else:
            found.append(Case(q, (example.intent,), example.aspect))
    return found


@dataclass
class Figures:
    """Scores of one set: in scope (right topic 1, a "did you mean" that offers it ½), the
    aspect asked answered, not answered (given no topic), traps (no topic answered), about
    the essay or the bot (the right kind, and for the bot the right command), kinds (the reply
    of the kind asked)."""

    in_scope: float = 0.0
    in_scope_total: int = 0
    aspects: Counter[str] = field(default_factory=Counter)
    aspects_total: Counter[str] = field(default_factory=Counter)
    unanswered: int = 0
    unanswered_total: int = 0
    traps: int = 0
    traps_total: int = 0
    about: int = 0
    about_total: int = 0
    kinds: int = 0
    kinds_total: int = 0
    misses: list[str] = field(default_factory=list)

    @staticmethod
    def rate(part: float, total: int) -> float:
        return 100.0 * part / total if total else 100.0

    @property
    def aspect_rate(self) -> float:
        return self.rate(sum(self.aspects.values()), sum(self.aspects_total.values()))

    def line(self, name: str) -> str:
        r = self.rate
        return (
            f"{name}: in scope {r(self.in_scope, self.in_scope_total):.1f} % of"
            f" {self.in_scope_total}, aspect {self.aspect_rate:.1f} % of"
            f" {sum(self.aspects_total.values())}, not answered"
            f" {r(self.unanswered, self.unanswered_total):.1f} % of {self.unanswered_total},"
            f" traps {r(self.traps, self.traps_total):.1f} % of {self.traps_total},"
            f" about the essay/bot {r(self.about, self.about_total):.1f} % of"
            f" {self.about_total}, kind {r(self.kinds, self.kinds_total):.1f} % of"
            f" {self.kinds_total}"
        )

    def aspect_line(self) -> str:
        return ", ".join(
            f"{a} {self.rate(self.aspects[a], n):.0f} % of {n}"
            for a, n in sorted(self.aspects_total.items())
        )


def _about_right(decision: Decision, about: str) -> bool:
    kind, _, name = about.partition(":")
    if kind == "help":  # the right command: voting and reading the answers are both /answers
        return decision.kind == "help" and HELP.get(str(decision.about)) == HELP[name]
    # the bot's opinion and the unfinished sentence are answered on their topic
    return decision.kind in ("about", "answer") and decision.about == ABOUT.get(name, name)


def judge(figures: Figures, case: Case, decision: Decision) -> None:
    """Add one case and the decision on it to ``figures``."""
    miss = f"{case.q} -> {decision.kind} {decision.topic or decision.about or ''}".rstrip()
    if case.want:
        figures.in_scope_total += 1
        if decision.kind == "answer" and decision.topic in case.want:
            figures.in_scope += 1
        elif decision.kind == "choices" and set(decision.choices) & set(case.want):
            figures.in_scope += 0.5
            figures.misses.append(f"½ {case.q} -> choices {decision.choices}")
        else:
            figures.misses.append(f"✗ {miss} (want {'/'.join(case.want)})")
        if case.term or case.premise:  # the meaning or the correction, not the card alone
            figures.kinds_total += 1
            if (decision.term, decision.premise) == (case.term, case.premise):
                figures.kinds += 1
            else:
                figures.misses.append(f"~ {case.q} -> not the {case.term or case.premise}")
        if case.aspect is not None:
            figures.aspects_total[case.aspect] += 1
            topic_right = decision.kind == "answer" and decision.topic in case.want
            said = {decision.aspect, decision.asked}
            if topic_right and (
                case.aspect in said or (case.aspect == "what" and said <= {None, "what"})
            ):
                figures.aspects[case.aspect] += 1
            elif topic_right:
                figures.misses.append(f"✗ aspect {case.q} -> {said} (want {case.aspect})")
    elif case.about is not None:
        figures.about_total += 1
        if _about_right(decision, case.about):
            figures.about += 1
        else:
            figures.misses.append(f"✗ {miss} (want {case.about})")
    elif case.outcome in ("smalltalk", "sequence", "followup"):
        figures.kinds_total += 1
        if decision.kind == case.outcome or decision.intent == case.outcome:
            figures.kinds += 1
        else:
            figures.misses.append(f"✗ {miss} (want {case.outcome})")
    else:
        figures.unanswered_total += 1
        if decision.kind != "answer":
            figures.unanswered += 1
        else:
            figures.misses.append(f"✗ {miss} (no topic)")
        if case.trap:
            figures.traps_total += 1
            figures.traps += decision.kind != "answer"
    if case.outcome is not None and case.outcome not in ("smalltalk", "sequence", "followup"):
        figures.kinds_total += 1
        kind = {"unclear": "none", "help": "about"}.get(decision.kind, decision.kind)
        if kind == case.outcome and (case.outcome != "related" or decision.topic == case.related):
            figures.kinds += 1
        elif not case.want:
            figures.misses.append(f"~ {miss} (want {case.outcome})")


def score(understanding: Understanding, name: str) -> Figures:
    """The figures of set ``name`` (a file in tests/data, or BANK)."""
    figures = Figures()
    cases = bank_cases(understanding.content) if name == BANK else file_cases(name)
    for case in cases:
        judge(figures, case, understanding.decide(case.q))
    return figures


def main() -> None:
    from bot.bootstrap import bootstrap
    from bot.config import Config

    services = bootstrap(Config(database=":memory:"))
    understanding = services.dialogue.asking.understanding
    for name in (*SETS, BANK):
        figures = score(understanding, name)
        print(figures.line(name))
        print("    aspects:", figures.aspect_line())
        reached = (
            figures.rate(figures.in_scope, figures.in_scope_total),
            figures.aspect_rate,
            figures.rate(figures.unanswered, figures.unanswered_total),
            figures.rate(figures.traps, figures.traps_total),
            figures.rate(figures.about, figures.about_total),
        )
        names = ("in scope", "aspect", "not answered", "traps", "about")
        under = [
            f"{n} {r:.1f} < {t:.0f}"
            for n, r, t in zip(names, reached, TARGETS, strict=True)
            if r < t
        ]
        print("    under the target:", ", ".join(under) or "none")
        if "-v" in sys.argv:
            for miss in figures.misses:
                print("   ", miss)


if __name__ == "__main__":
    main()
