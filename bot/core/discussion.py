"""Reading others' answers: the paged list of published answers, and one answer in full."""

from __future__ import annotations

import math

from bot.content.markup import Markup, units
from bot.core.events import Button, Outcome, Reply
from bot.core.registry import action, command
from bot.core.turn import Turn
from bot.core.views import answer_item
from bot.model.limits import EXCERPT, PAGE_SIZE, parse_id
from bot.storage.store import Store


class Discussion:
    """Shows published answers to readers."""

    def __init__(self, store: Store) -> None:
        self.answers = store.answers

    @command("answers", menu=4)
    def first_page(self, turn: Turn, argument: str) -> Outcome:
        """/answers: the newest published answers."""
        return self.page(turn, 0)

    @action("answers", "page")
    def turn_page(self, turn: Turn, page: str) -> Outcome:
        """◀ ▶ under the list, or "read other answers" after saving one's own."""
        if not page.isdecimal() or len(page) > 6:
            return turn.notice("notice_expired")
        return self.page(turn, int(page), edit=True)

    def page(self, turn: Turn, page: int, *, edit: bool = False) -> Outcome:
        """Page ``page`` (0-based) of published answers, newest first, with ◀ ▶."""
        total = self.answers.count()
        if total == 0:
            return turn.reply("answers_empty")
        pages = math.ceil(total / PAGE_SIZE)
        page = min(max(page, 0), pages - 1)
        answers = self.answers.published(page * PAGE_SIZE, PAGE_SIZE)
        title = turn.say("answers_title", total=total, page=page + 1, pages=pages)
        items = [answer_item(turn, a, excerpt=EXCERPT) for a in answers]
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

    @action("full", "answer_id")
    def full(self, turn: Turn, answer_id: str) -> Outcome:
        """One published answer (or the reader's own) in full."""
        number = parse_id(answer_id)
        answer = self.answers.get(number) if number is not None else None
        visible = answer is not None and (
            answer.status == "published" or answer.user_id == turn.reader.user_id
        )
        if answer is None or not visible:
            return turn.notice("notice_expired")
        return Outcome((Reply(answer_item(turn, answer)),))
