"""The author's side: new answers sent to the admins with verdict buttons, held answers,
statistics and the export. Nothing here does anything for a reader who is not an admin."""

from __future__ import annotations

import logging

from bot.answer_store import AnswerRecord
from bot.content import Content
from bot.conversation import Document, Outcome, Reply
from bot.discussion import Discussion, is_id, tally_lines
from bot.markup import Markup, clip
from bot.reports import export_csv, export_rows, stats
from bot.store import Store
from bot.turn import Turn

log = logging.getLogger(__name__)
VERDICTS = {"approve": "published", "hide": "hidden"}
MAX_PENDING = 10
MISS_LENGTH = 120


class Moderation:
    """Admin notifications, verdicts, /pending, /stats and /export."""

    def __init__(
        self,
        content: Content,
        store: Store,
        discussion: Discussion,
        admins: frozenset[int],
        pre: bool,
    ) -> None:
        self.content = content
        self.store = store
        self.answers = store.answers
        self.discussion = discussion
        self.admins = admins
        self.pre = pre

    def is_admin(self, turn: Turn) -> bool:
        return turn.reader.user_id in self.admins

    def card(self, turn: Turn, answer: AnswerRecord, *, edited: bool = False) -> Reply:
        """An answer as an admin sees it, with approve / hide / ban buttons."""
        key = "admin_edited_answer" if edited else "admin_new_answer"
        reader = self.store.reader(answer.user_id)
        text = turn.say(
            key,
            number=answer.id,
            name=reader.first_name if reader and reader.first_name else "?",
            user_id=answer.user_id,
            answer=self.discussion.item(turn, answer),
            status=turn.say(f"status_{answer.status}"),
        )
        tag = (str(answer.id), answer.revision)
        verdicts = [
            turn.button(f"button_{verb}", "mod", verb, *tag)
            for verb, status in VERDICTS.items()
            if answer.status != status
        ]
        rows = (tuple(verdicts), (turn.button("button_ban", "mod", "ban", *tag),))
        return Reply(text, rows)

    def notify(self, turn: Turn, answer: AnswerRecord, *, edited: bool) -> tuple[Reply, ...]:
        """The new or edited answer, sent to every admin in the content's default language."""
        admin_turn = Turn(turn.reader, self.content.default_language, self.content)
        card = self.card(admin_turn, answer, edited=edited)
        return tuple(
            Reply(card.text, card.buttons, chat_id=admin) for admin in sorted(self.admins)
        )

    def verdict(self, turn: Turn, verb: str, answer_id: str, seen: str) -> Outcome:
        """An admin's button: approve, hide, or ban the answer's author. A card whose answer
        changed since (``seen`` is the revision it showed) is refreshed instead, so nobody
        approves a text they did not read. Forged presses from non-admins change nothing and are
        logged."""
        if not self.is_admin(turn):
            log.warning(
                "reader %s pressed an admin button (%s %s)", turn.reader.user_id, verb, answer_id
            )
            return turn.notice("notice_not_allowed")
        answer = self.answers.get(int(answer_id)) if is_id(answer_id) else None
        if answer is None or verb not in (*VERDICTS, "ban"):
            return turn.notice("notice_expired")
        if answer.revision != seen:
            card = self.card(turn, answer)
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
        updated = self.answers.get(answer.id)
        if updated is None:
            return Outcome(notice=str(notice))
        card = self.card(turn, updated)
        return Outcome((Reply(card.text, card.buttons, edit=True),), notice=str(notice))

    def pending(self, turn: Turn, _: str = "") -> Outcome:
        """/pending: the held answers, each with its buttons."""
        held = self.answers.pending(MAX_PENDING)
        if not held:
            return turn.reply("pending_empty")
        title = Reply(turn.say("pending_title", count=self.answers.count("pending")))
        return Outcome((title, *(self.card(turn, a) for a in held)))

    def stats(self, turn: Turn, _: str = "") -> Outcome:
        """/stats: the report."""
        return Outcome((Reply(self.report(turn)),))

    def report(self, turn: Turn) -> Markup:
        """Readers, reading funnel, stances, most asked topics, unanswered questions."""
        numbers = stats(self.store, self.content.essay.total)
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

    def export(self, turn: Turn, _: str = "") -> Outcome:
        """/export: every answer as a CSV document."""
        rows = export_rows(self.store)
        data = export_csv(rows)
        caption = turn.say("export_caption", count=len(rows))
        document = Document("essaybot-answers.csv", data, "text/csv")
        return Outcome((Reply(caption, document=document),))
