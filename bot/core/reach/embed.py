"""The blog's side: a static page (and a fragment to paste under the blog post, in place of
"Lascia un commento") with the title's question, the tally as an inline SVG chart, the answer of
each stance that readers on both sides agree with most (as its writer chose to be shown, never
one hidden or waiting), and the link into the bot, counted as coming from the blog. No script,
no external asset; every text escaped."""

from __future__ import annotations

from bot.content.catalog import Content
from bot.content.markup import Markup, clip, escape, to_plain
from bot.core.events import Reader
from bot.core.turn import Turn
from bot.core.views import reader_name
from bot.model import links
from bot.model.answers import STANCES
from bot.storage.store import Store

#: Characters of an answer shown on the page.
EXCERPT = 400
#: The chart: one bar per stance, this wide at 100 %, this tall each.
BAR_WIDTH, BAR_HEIGHT, LABEL_WIDTH = 360, 28, 190
COLOURS = {"separate": "#4c72b0", "integrate": "#dd8452", "depends": "#55a868"}

_STYLE = """
.essaybot{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:40rem;
margin:2rem auto;padding:1.25rem 1.5rem;border:1px solid #ddd;border-radius:12px;color:#222}
.essaybot h2{font-size:1.3rem;margin:0 0 .75rem}
.essaybot blockquote{margin:.75rem 0;padding:.5rem 1rem;border-left:4px solid #ccc;
background:#fafafa}
.essaybot .who{color:#666;font-size:.9rem}
.essaybot a.cta{display:inline-block;margin-top:1rem;padding:.6rem 1.1rem;border-radius:8px;
background:#2481cc;color:#fff;text-decoration:none;font-weight:600}
"""


class Embed:
    """Writes the page and the fragment from what the database holds now."""

    def __init__(self, content: Content, store: Store) -> None:
        self.content = content
        self.store = store

    def fragment(self, username: str) -> str:
        """The ``<section>`` to paste under the blog post (with its own style)."""
        turn = Turn(Reader(0), self.content.default_language, self.content)
        counts = self.store.answers.tally()
        question = self.content.essay.title_in(turn.lang)
        url = links.url(username, links.Link("question", links.BLOG))
        parts = [
            f"<style>{_STYLE}</style>",
            '<section class="essaybot">',
            f"<h2>{escape(question)}</h2>",
            f"<p>{escape(to_plain(turn.say('embed_intro', count=sum(counts.values()))))}</p>",
            self._chart(turn, counts),
            *self._best(turn),
            f'<a class="cta" href="{escape(url)}">{escape(to_plain(turn.say("embed_cta")))}</a>',
            "</section>",
        ]
        return "\n".join(parts) + "\n"

    def page(self, username: str) -> str:
        """A whole page around the fragment."""
        lang = self.content.default_language
        title = escape(self.content.essay.title_in(lang))
        return (
            f'<!doctype html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n</head>\n<body>\n{self.fragment(username)}</body>\n</html>\n"
        )

    def _chart(self, turn: Turn, counts: dict[str, int]) -> str:
        """The tally as an inline SVG: a labelled bar per stance, with count and share."""
        total = sum(counts.values())
        height = BAR_HEIGHT * len(STANCES) + 8
        width = LABEL_WIDTH + BAR_WIDTH + 90
        label = escape(to_plain(turn.say("embed_chart_label")))
        rows = [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}"'
            f' width="100%" viewBox="0 0 {width} {height}">'
        ]
        for n, stance in enumerate(STANCES):
            y = 4 + n * BAR_HEIGHT
            share = counts[stance] / total if total else 0.0
            bar = max(2, round(BAR_WIDTH * share)) if counts[stance] else 0
            name = escape(to_plain(turn.say(f"stance_{stance}")))
            rows += [
                f'<text x="0" y="{y + 19}" font-size="15">{name}</text>',
                f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{bar}" height="{BAR_HEIGHT - 8}"'
                f' fill="{COLOURS[stance]}"/>',
                f'<text x="{LABEL_WIDTH + bar + 6}" y="{y + 19}" font-size="15">'
                f"{counts[stance]} ({round(share * 100)} %)</text>",
            ]
        rows.append("</svg>")
        return "\n".join(rows)

    def _best(self, turn: Turn) -> list[str]:
        """The most agreed-upon published answer of each stance, as its writer chose."""
        shown: list[str] = []
        for stance in STANCES:
            answer = self.store.answers.most_agreed(stance)
            if answer is None or not answer.comment:
                continue
            name = reader_name(turn, answer.display_name or "")  # "" : shown anonymously
            who = to_plain(name) if isinstance(name, Markup) else name
            side = to_plain(turn.say(f"stance_{stance}"))
            shown.append(
                f"<blockquote><p>{escape(clip(answer.comment or '', EXCERPT))}</p>"
                f'<p class="who">— {escape(who)} · {escape(side)}</p></blockquote>'
            )
        if shown:
            shown.insert(0, f"<h3>{escape(to_plain(turn.say('embed_best')))}</h3>")
        return shown
