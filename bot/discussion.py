"""Showing readers' answers: one answer, the tally, and the paged list of published answers.

Everything a reader wrote goes through the phrases' escaping: ``<b>``, ``&`` and ``<script>`` show
literally and never break a message.
"""

from __future__ import annotations

import math

from bot.answer_store import STANCES, AnswerRecord
from bot.conversation import Button, Outcome, Reply
from bot.markup import Markup, clip, units
from bot.store import Store
from bot.turn import Turn

PAGE_SIZE = 5
EXCERPT = 600


def is_id(text: str) -> bool:
    """Whether a button's argument can be a row id (forged ones may be anything)."""
    return text.isdecimal() and len(text) <= 12


def tally_lines(turn: Turn, counts: dict[str, int]) -> list[Markup]:
    """One line per stance, in order: its label, count and percentage of ``counts``."""
    total = sum(counts.values())
    return [
        turn.say(
            "tally_line",
            stance=turn.say(f"stance_{stance}"),
            count=counts[stance],
            percent=round(100 * counts[stance] / total) if total else 0,
        )
        for stance in STANCES
    ]


class Discussion:
    """Renders answers for readers."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.answers = store.answers

    def item(self, turn: Turn, answer: AnswerRecord, excerpt: int | None = None) -> Markup:
        """One answer: number, stance, name (or anonymous), date and comment."""
        comment: object = turn.say("no_comment")
        if answer.comment:
            comment = clip(answer.comment, excerpt) if excerpt else answer.comment
        return turn.say(
            "answer_item",
            number=answer.id,
            stance=turn.say(f"stance_{answer.stance}"),
            name=answer.display_name or turn.say("anonymous_author"),
            date=answer.created_at[:10],
            comment=comment,
        )

    def tally(self, turn: Turn, user_id: int) -> Markup:
        """Counts and percentages per stance, the reader's own answer included."""
        counts = self.answers.tally(including=user_id)
        title = turn.say("tally_title", total=sum(counts.values()))
        return Markup("\n".join([title, *tally_lines(turn, counts)]))

    def page(self, turn: Turn, page: int, *, edit: bool = False) -> Outcome:
        """Page ``page`` (0-based) of published answers, newest first, with ◀ ▶."""
        total = self.answers.count()
        if total == 0:
            return turn.reply("answers_empty")
        pages = math.ceil(total / PAGE_SIZE)
        page = min(max(page, 0), pages - 1)
        answers = self.answers.published(page * PAGE_SIZE, PAGE_SIZE)
        title = turn.say("answers_title", total=total, page=page + 1, pages=pages)
        items = [self.item(turn, a, excerpt=EXCERPT) for a in answers]
        text = Markup("\n\n".join([title, *items]))
        more = [
            turn.button("button_full_answer", "full", str(a.id), number=a.id)
            for a in answers
            if a.comment and units(a.comment) > EXCERPT
        ]
        arrows: list[Button] = []
        if page > 0:
            arrows.append(turn.button("button_previous", "answers", str(page - 1)))
        if page < pages - 1:
            arrows.append(turn.button("button_next", "answers", str(page + 1)))
        rows = tuple((b,) for b in more) + ((tuple(arrows),) if arrows else ())
        return Outcome((Reply(text, rows, edit=edit),))

    def full(self, turn: Turn, answer_id: str) -> Outcome:
        """One published answer (or the reader's own) in full."""
        answer = self.answers.get(int(answer_id)) if is_id(answer_id) else None
        visible = answer is not None and (
            answer.status == "published" or answer.user_id == turn.reader.user_id
        )
        if answer is None or not visible:
            return turn.notice("notice_expired")
        return Outcome((Reply(self.item(turn, answer)),))
