"""Agreement across sides: which answers readers of every stance find convincing.

Each vote is an agree (+1) or a disagree (-1) by a reader whose own stance is known (their
answer's, or else the one they gave before reading). An answer's *cross-side score* is the
lowest agreement rate among the groups of voters, each rate corrected for small samples
(Laplace: one agree and one disagree assumed, ``(agree + 1) / (votes + 2)``). The two sides of
the title's question, *separate* and *integrate*, always count, so an answer only one side
voted for cannot score above 0.5, whatever that side thinks; *it depends* counts when its
readers voted. Voters with no known stance count in the totals, not in the score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The groups always weighed (an answer needs both to rank high); others when they voted.
SIDES = ("separate", "integrate")


@dataclass(frozen=True)
class Standing:
    """An answer's votes: totals, and (agree, votes) per voters' stance."""

    agree: int = 0
    disagree: int = 0
    by_stance: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def score(self) -> float:
        """The cross-side score, between 0 and 1 (0.5 for an answer nobody voted on)."""
        groups = set(SIDES) | set(self.by_stance)
        rates = []
        for stance in groups:
            agree, votes = self.by_stance.get(stance, (0, 0))
            rates.append((agree + 1) / (votes + 2))
        return min(rates)


def ranked(standings: dict[int, Standing], order: list[int]) -> list[int]:
    """The answer ids of ``order`` (newest first) by cross-side score, then by votes, then as
    they came."""
    position = {answer_id: n for n, answer_id in enumerate(order)}
    empty = Standing()

    def key(answer_id: int) -> tuple[float, int, int]:
        standing = standings.get(answer_id, empty)
        return (-standing.score, -(standing.agree + standing.disagree), position[answer_id])

    return sorted(order, key=key)
