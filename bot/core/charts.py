"""The author's statistics as one picture: the stance tally (everyone and readers who finished),
minds changed (before → after), the reading funnel by part, the most asked topics, and the readers
by the way they came in.

The numbers and every label arrive ready (in the admin's language) as :class:`ChartData`;
:func:`draw` turns them into a PNG. matplotlib is imported only when a chart is drawn, so the bot
starts and answers without loading it.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: The picture: 1200 × 1300 pixels.
SIZE, DPI = (12.0, 13.0), 100
#: Ways in shown in the sources panel (the most readers first).
MAX_SOURCES = 6
#: Labels longer than this (in characters) are cut with an ellipsis, so the bars keep room.
LABEL_LENGTH = 36
#: The two tally series, then the single-series panels.
COLOURS = ("#4c72b0", "#dd8452", "#55a868")


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
    #: (source label, readers, readers who finished, readers who answered), most readers
    #: first; the panel's title and its three series' labels
    sources: list[tuple[str, int, int, int]] = field(default_factory=list)
    sources_panel: str = ""
    source_series: tuple[str, str, str] = ("", "", "")


def draw(data: ChartData) -> bytes:
    """The chart as PNG bytes: five panels on one 1200 × 1300 figure. Only the object API is
    used (no pyplot and its global state), so charts may be drawn on any thread."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(_text(data.title, 80), fontsize=16)
    tally, moves, funnel, topics, sources, spare = figure.subplots(3, 2).flat
    titles = (*data.panels, data.sources_panel)
    for axes, title in zip((tally, moves, funnel, topics, sources), titles, strict=True):
        axes.set_title(_text(title, 56), fontsize=12)
    spare.set_axis_off()
    _sources(sources, data)
    _tally(tally, data)
    half = (LABEL_LENGTH - 3) // 2  # both ends of a move stay readable, and the arrow
    moved = [(f"{_cut(b, half)} → {_cut(a, half)}", n) for b, a, n in data.moves]
    _bars(moves, moved, data.empty, COLOURS[2])
    _funnel(funnel, data)
    _bars(topics, data.topics, data.empty, COLOURS[0])
    output = io.BytesIO()
    figure.savefig(output, format="png", dpi=DPI, metadata={"Software": None})
    return output.getvalue()


def _tally(axes: Axes, data: ChartData) -> None:
    """Grouped bars: each stance's answers from everyone and from readers who finished."""
    if not any(everyone or finished for _, everyone, finished in data.tally):
        return _empty(axes, data.empty)
    width, places = 0.4, range(len(data.tally))
    for shift, series, values, colour in (
        (-width / 2, data.series[0], [n for _, n, _ in data.tally], COLOURS[0]),
        (width / 2, data.series[1], [n for _, _, n in data.tally], COLOURS[1]),
    ):
        bars = axes.bar(
            [p + shift for p in places], values, width, label=_text(series), color=colour
        )
        axes.bar_label(bars, padding=2)
    axes.set_xticks(list(places), [_text(label, 18) for label, _, _ in data.tally])
    _counts(axes, "y")
    tallest = max(max(everyone, finished) for _, everyone, finished in data.tally)
    axes.set_ylim(0, tallest * 1.4)  # the legend's room, above the tallest bar
    axes.legend(loc="upper right")


def _sources(axes: Axes, data: ChartData) -> None:
    """Horizontal grouped bars: per way in, its readers, those who finished, those who
    answered (the most readers on top)."""
    shown = data.sources[:MAX_SOURCES]
    if not any(readers for _, readers, _, _ in shown):
        return _empty(axes, data.empty)
    height, places = 0.27, range(len(shown))
    for n, (label, colour) in enumerate(zip(data.source_series, COLOURS, strict=True)):
        values = [row[1 + n] for row in shown]
        bars = axes.barh([p + (n - 1) * height for p in places], values, height, color=colour)
        bars.set_label(_text(label))
        axes.bar_label(bars, padding=2, fontsize=8)
    axes.set_yticks(list(places), [_text(label, 18) for label, *_ in shown])
    axes.invert_yaxis()
    axes.legend(loc="lower right", fontsize=8)
    _counts(axes, "x")


def _funnel(axes: Axes, data: ChartData) -> None:
    """Vertical bars: readers who reached each part, part numbers on x."""
    if not any(count for _, count in data.funnel):
        return _empty(axes, data.empty)
    parts = [part for part, _ in data.funnel]
    bars = axes.bar(parts, [count for _, count in data.funnel], 0.7, color=COLOURS[2])
    axes.bar_label(bars, padding=2)
    axes.set_xticks(parts, [str(part) for part in parts])
    _counts(axes, "y")


def _bars(axes: Axes, items: list[tuple[str, int]], empty: str, colour: str) -> None:
    """Horizontal bars, the first item on top; ``empty`` when there is nothing to show."""
    if not any(count for _, count in items):
        return _empty(axes, empty)
    places = range(len(items))
    bars = axes.barh(list(places), [count for _, count in items], 0.6, color=colour)
    axes.bar_label(bars, padding=2)
    axes.set_yticks(list(places), [_text(label) for label, _ in items])
    axes.invert_yaxis()
    _counts(axes, "x")


def _counts(axes: Axes, axis: str) -> None:
    """Whole numbers on the counting axis, with room above the tallest bar for its label."""
    from matplotlib.ticker import MaxNLocator

    (axes.yaxis if axis == "y" else axes.xaxis).set_major_locator(MaxNLocator(integer=True))
    if axis == "y":
        axes.margins(y=0.15)
    else:
        axes.margins(x=0.15)
    axes.spines[["top", "right"]].set_visible(False)


def _empty(axes: Axes, text: str) -> None:
    """An empty panel: its title and ``text``, centred."""
    axes.set_axis_off()
    axes.text(
        0.5,
        0.5,
        _text(text),
        transform=axes.transAxes,
        ha="center",
        va="center",
        fontsize=12,
        color="dimgray",
    )


def _text(label: str, length: int = LABEL_LENGTH) -> str:
    """``label`` as matplotlib shows it verbatim: :func:`_cut`, with dollar signs escaped
    (matplotlib reads text between two of them as a formula)."""
    return _cut(label, length).replace("$", r"\$")


def _cut(label: str, length: int) -> str:
    """``label`` on one line of at most ``length`` characters, without control characters, and
    every character one the font has (so no glyph warning)."""
    charmap, missing = _glyphs()
    line = " ".join(unicodedata.normalize("NFC", label).split())
    shown = "".join(
        c if ord(c) in charmap else missing
        for c in line
        if not unicodedata.category(c).startswith("C")
    )
    if len(shown) > length:
        shown = shown[: length - 1].rstrip() + "…"
    return shown


@cache
def _glyphs() -> tuple[frozenset[int], str]:
    """The characters of the font the labels are drawn in, and the stand-in for the others."""
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties())
    charmap = frozenset(font_manager.get_font(path).get_charmap())
    return charmap, "\ufffd" if 0xFFFD in charmap else "?"
