"""The author's statistics as one picture: the stance tally (everyone and readers who finished),
minds changed (before → after), the reading funnel by part and the most asked topics.

The numbers and every label arrive ready (in the admin's language) as :class:`ChartData`;
:func:`draw` turns them into a PNG. matplotlib is imported only when a chart is drawn, so the bot
starts and answers without loading it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChartData:
    """What the chart shows, with its labels in the reader's (the admin's) language."""

    title: str
    #: (stance label, answers of everyone, answers of readers who finished), in stance order.
    tally: list[tuple[str, int, int]]
    #: Legend labels of the two tally series: everyone, readers who finished.
    series: tuple[str, str]
    #: (before label, after label, readers), readers whose before and after differ.
    moves: list[tuple[str, str, int]]
    #: (part number, readers who reached it).
    funnel: list[tuple[int, int]]
    #: (topic name, questions), most asked first.
    topics: list[tuple[str, int]]
    #: Panel titles: tally, minds changed, funnel, topics.
    panels: tuple[str, str, str, str]
    #: What an empty panel says ("none yet").
    empty: str


def draw(data: ChartData) -> bytes:
    """The chart as PNG bytes."""
    raise NotImplementedError
