"""The author's side: verdicts on answers, held answers, statistics and the export.

Every command and button here is declared ``admin=True``: the dialogue lets only admins reach
them, and for anyone else they do not exist.
"""

from __future__ import annotations

from bot.content.catalog import Content
from bot.content.markup import Markup, clip
from bot.core.events import Document, Outcome, Reply
from bot.core.exports import export_csv
from bot.core.registry import action, command
from bot.core.turn import Turn
from bot.core.views import VERDICTS, admin_card, tally_lines
from bot.model.limits import MAX_PENDING, MISS_LENGTH, parse_id
from bot.storage.store import Store


class Moderation:
    """Verdicts, /pending, /stats and /export."""

    def __init__(self, content: Content, store: Store) -> None:
        self.content = content
        self.store = store
        self.answers = store.answers

    def _card(self, turn: Turn, answer_id: int) -> Reply | None:
        answer = self.answers.get(answer_id)
        if answer is None:
            return None
        reader = self.store.readers.get(answer.user_id)
        return admin_card(turn, answer, reader.first_name if reader else "")

    @action("mod", "verb", "answer_id", "revision", admin=True)
    def verdict(self, turn: Turn, verb: str, answer_id: str, seen: str) -> Outcome:
        """Approve, hide, or ban the answer's author. A card whose answer changed since
        (``seen`` is the revision it showed) is refreshed instead, so nobody approves a text they
        did not read."""
        number = parse_id(answer_id)
        answer = self.answers.get(number) if number is not None else None
        if answer is None or verb not in (*VERDICTS, "ban"):
            return turn.notice("notice_expired")
        if answer.revision != seen:
            card = self._card(turn, answer.id)
            assert card is not None
            return Outcome(
                (Reply(card.text, card.buttons, edit=True),),
                notice=str(turn.say("notice_answer_changed")),
            )
        if verb == "ban":
            self.answers.ban(answer.user_id, by=turn.reader.user_id)
            notice = turn.say("notice_banned", user_id=answer.user_id)
        else:
            self.answers.set_status(answer.id, VERDICTS[verb])
            status = turn.say(f"status_{VERDICTS[verb]}")
            notice = turn.say("notice_moderated", number=answer.id, status=status)
        card = self._card(turn, answer.id)
        if card is None:
            return Outcome(notice=str(notice))
        return Outcome((Reply(card.text, card.buttons, edit=True),), notice=str(notice))

    @command("pending", menu=1, admin=True)
    def pending(self, turn: Turn, argument: str = "") -> Outcome:
        """/pending: the held answers, each with its buttons."""
        held = self.answers.pending(MAX_PENDING)
        if not held:
            return turn.reply("pending_empty")
        title = Reply(turn.say("pending_title", count=self.answers.count("pending")))
        cards = (self._card(turn, a.id) for a in held)
        return Outcome((title, *(c for c in cards if c is not None)))

    @command("stats", menu=2, admin=True)
    def stats(self, turn: Turn, argument: str = "") -> Outcome:
        """/stats: the report."""
        return Outcome((Reply(self.report(turn)),))

    def report(self, turn: Turn) -> Markup:
        """Readers, reading funnel, stances, most asked topics, unanswered questions."""
        numbers = self.store.stats(self.content.essay.total)
        none = turn.say("stats_none")

        def lines(items: list[Markup]) -> Markup:
            return Markup("\n".join(items)) if items else none

        funnel = [turn.say("stats_funnel_line", number=n, count=c) for n, c in numbers.funnel]
        tally = tally_lines(turn, numbers.tally)
        topics = [
            turn.say("stats_topic_line", name=self._topic_name(turn, t), count=c)
            for t, c in numbers.topics
        ]
        misses = [
            turn.say("stats_miss_line", date=d, text=clip(q, MISS_LENGTH))
            for d, q in numbers.misses
        ]
        return turn.say(
            "stats_report",
            readers=numbers.readers,
            funnel=lines(funnel),
            tally=lines(tally),
            topics=lines(topics),
            misses=lines(misses),
        )

    def _topic_name(self, turn: Turn, topic_id: str) -> str:
        topic = self.content.topic(topic_id)
        return topic.texts[turn.lang].name if topic else topic_id

    @command("export", menu=3, admin=True)
    def export(self, turn: Turn, argument: str = "") -> Outcome:
        """/export: every answer as a CSV document."""
        rows = self.store.export_rows()
        caption = turn.say("export_caption", count=len(rows))
        document = Document("essaybot-answers.csv", export_csv(rows), "text/csv")
        return Outcome((Reply(caption, document=document),))
