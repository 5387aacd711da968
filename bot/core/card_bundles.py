"""New cards bundled for an admin's chat on a busy day: Telegram lets a bot send one message a
second to a chat, so when answers and replies arrive faster than that, the outbox (see
``Outbox._bundle``) sends one message in their place: how many came, the newest few answers
with a button opening each one's card, and buttons to the held ones and to every answer.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.content.catalog import Content
from bot.content.markup import Markup
from bot.core.events import Button, Outcome, Reply
from bot.core.news.notify import reader_turn
from bot.core.registry import action
from bot.core.turn import Turn
from bot.core.views import answer_item
from bot.model.limits import parse_id
from bot.model.replies import QUESTION_CARDS
from bot.storage.store import Store

#: The answers a bundle shows, newest first, and how much of each.
SHOWN = 3
BUNDLE_EXCERPT = 160


class CardBundles:
    """Draws a bundle of new cards, and opens one card from it."""

    def __init__(self, content: Content, store: Store, pending: Callable[[Turn], Outcome]) -> None:
        """``pending``: /pending, which the bundle's button to the held ones runs."""
        self.content = content
        self.store = store
        self.pending = pending

    def render(self, chat_id: int, cards: list[int]) -> Reply:
        """One message for the admin of ``chat_id`` in place of ``cards`` (answers' ids and
        minus replies' ids, oldest first), drawn as they are now."""
        turn = reader_turn(self.store, self.content, chat_id)
        numbers = sorted({c for c in cards if 0 < c < QUESTION_CARDS}, reverse=True)
        replies = len({c for c in cards if c < 0})
        present = self.store.answers.by_ids(numbers[: SHOWN * 4])[:SHOWN]  # some may be gone
        lines = [
            turn.say("bundle_title", answers=len(numbers), replies=replies),
            *(answer_item(turn, a, excerpt=BUNDLE_EXCERPT) for a in present),
        ]
        rows: list[tuple[Button, ...]] = []
        if present:
            rows.append(
                tuple(
                    turn.button("button_open_card", "card", str(a.id), number=a.id)
                    for a in present
                )
            )
        held = self.store.answers.count("pending") + self.store.replies.count_pending()
        if held:
            lines.append(turn.say("bundle_pending", count=held))
            rows.append((turn.button("button_pending", "held", count=held),))
        rows.append((turn.button("button_all_answers", "list", "n", "all", "0"),))
        return Reply(Markup("\n\n".join(lines)), tuple(rows), chat_id=chat_id)

    @action("card", "answer_id", admin=True)
    def open(self, turn: Turn, answer_id: str) -> Outcome:
        """An answer's card, from a bundle: sent anew with its buttons (or what became of it)."""
        number = parse_id(answer_id)
        if number is None or self.store.answers.author(number) is None:
            return turn.notice("notice_card_expired")
        card = Reply(Markup(""), chat_id=turn.reader.user_id, card=number, fresh=True)
        return Outcome((card,))

    @action("held", admin=True)
    def held(self, turn: Turn) -> Outcome:
        """The bundle's button to the held answers and replies: /pending."""
        return self.pending(turn)
