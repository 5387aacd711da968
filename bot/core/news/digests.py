"""A reader's waiting notices drawn as one message when the outbox delivers it: in the reader's
language, as many as fit, with buttons to what they are about."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from bot.content.catalog import Content
from bot.content.markup import Markup
from bot.core.events import Button, Reply
from bot.core.topic_views import buttons as topic_buttons
from bot.core.topic_views import card as topic_card
from bot.core.turn import Turn
from bot.storage.notices import Notice
from bot.storage.store import Store

log = logging.getLogger(__name__)
#: News of a verdict, and the status the answer must still have for it to be told.
VERDICT_NEWS = {
    "news_answer_published": "published",
    "news_answer_hidden": "hidden",
    "news_answer_edited": "published",  # the new words are told only once they are public
}

#: The longest a bundle grows before the rest waits for the next one (Telegram allows 4,096).
MAX_BUNDLE = 3500
MAX_ROWS = 6


class Notifier:
    """Draws a reader's waiting notices as one message."""

    def __init__(self, content: Content, store: Store, turn_for: Callable[[int], Turn]) -> None:
        self.content = content
        self.store = store
        self.turn_for = turn_for  # a turn in a reader's language

    def render(self, chat_id: int) -> tuple[Reply, int] | None:
        """The message carrying the reader's waiting notices (as many as fit), and the id of
        the last one it carries; None when nothing waits."""
        waiting = self.store.notices.waiting(chat_id)
        if not waiting:
            return None
        turn = self.turn_for(chat_id)
        parts: list[Markup] = [turn.say("news_title")]
        rows: list[tuple[Button, ...]] = []
        upto = waiting[0].id
        for notice in waiting:
            drawn = self._drawn(turn, notice)
            if drawn is not None:
                text, more = drawn
                if len(parts) > 1 and sum(len(p) for p in parts) + len(text) > MAX_BUNDLE:
                    break
                parts.append(text)
                rows.extend(row for row in more if row not in rows)
            upto = notice.id
        if len(parts) == 1:  # nothing still true to tell: the notices go, nothing is sent
            self.store.notices.drop(chat_id, upto)
            return None
        parts.append(turn.say("news_footer"))
        body = Markup("\n\n".join(parts))
        return Reply(body, tuple(rows[:MAX_ROWS]), chat_id=chat_id), upto

    def _drawn(self, turn: Turn, notice: Notice) -> tuple[Markup, list[tuple[Button, ...]]] | None:
        """The notice as text and buttons; None when it is no longer true (the reply it
        announces was deleted or hidden) or cannot be drawn (logged: the rest still go)."""
        reply_id = notice.params.get("reply")
        if reply_id is not None:
            reply = self.store.replies.get(reply_id) if isinstance(reply_id, int) else None
            if reply is None or reply.status != "published":
                return None
            if notice.key == "news_reply":  # the name as its writer shows it now (anonymous?)
                name = reply.display_name or turn.say("anonymous_author")
                notice = replace(notice, params={**notice.params, "name": str(name)})
        still = VERDICT_NEWS.get(notice.key)
        if still is not None:  # "approved and public" only while it is (a later verdict wins)
            answer_id = notice.params.get("answer")
            answer = self.store.answers.get(answer_id) if isinstance(answer_id, int) else None
            if answer is None or answer.status != still:
                return None
        try:
            return self._one(turn, notice)
        except (KeyError, ValueError, TypeError):
            log.exception(
                "dropped notice %s (%s) for chat %s", notice.id, notice.key, turn.reader.user_id
            )
            return None

    def _one(self, turn: Turn, notice: Notice) -> tuple[Markup, list[tuple[Button, ...]]]:
        params = {k: v for k, v in notice.params.items() if k != "reply"}
        if notice.key == "news_learned":
            topic = self.content.topic(str(params.get("topic")))
            intro = turn.say("learned_reply", question=str(params.get("question", ""))[:300])
            if topic is None:
                return intro, []
            body = Markup(f"{intro}\n\n{topic_card(turn, topic)}")
            return body, list(topic_buttons(turn, self.content, topic, ("card",)))
        answer = params.get("answer")
        text = turn.say(notice.key, **params)
        if not isinstance(answer, int):
            return text, []
        return text, [(turn.button("button_thread", "thread", str(answer), "0", number=answer),)]

    def sent(self, chat_id: int, upto: int) -> None:
        """The message reached the reader: those notices are done; any left wait for the next
        message, ``BUNDLE_MINUTES`` later."""
        self.store.notices.sent(chat_id, upto)
        if self.store.notices.waiting(chat_id):
            self.store.notices.schedule(chat_id)
