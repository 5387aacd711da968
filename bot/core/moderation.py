"""The author's side: verdicts on answers, held answers, statistics and the export.

Every command and button here is declared ``admin=True``: the dialogue lets only admins reach
them, and for anyone else they do not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from bot.content.catalog import Content
from bot.content.markup import Markup, clip, to_plain
from bot.core.charts import ChartData, draw
from bot.core.events import Document, Outcome, Reply
from bot.core.exports import EXPORT_FIELDS, REPLY_EXPORT_FIELDS, ZIP_FROM, export_csv, export_zip
from bot.core.news.notify import reader_turn, tell
from bot.core.registry import action, command
from bot.core.turn import Turn
from bot.core.views import (
    VERDICTS,
    admin_card,
    redrawn,
    seen_token,
    tally_lines,
    withdrawn_cards,
)
from bot.model import links
from bot.model.limits import MAX_BANNED, MAX_PENDING, MISS_LENGTH, parse_id
from bot.model.replies import card_id
from bot.storage.store import Store

#: Ways in listed one by one in /stats (most readers first; the others summed).
MAX_SOURCES = 8


class Moderation:
    """Verdicts, /pending, /stats and /export."""

    def __init__(
        self, content: Content, store: Store, admins: frozenset[int] = frozenset()
    ) -> None:
        """``admins``: left out of the readers /stats counts (they test the bot, not read it)."""
        self.content = content
        self.store = store
        self.answers = store.answers
        self.admins = admins

    def card_for(self, answer_id: int, chat_id: int, edited: bool) -> Reply:
        """Answer ``answer_id``'s card as it is now, for the admin of ``chat_id``, in their
        language: the answer with its buttons, or what became of it (withdrawn, forgotten,
        its author banned), keeping the Ban button."""
        turn = self._admin_turn(chat_id)
        card = self._card(turn, answer_id, edited=edited)
        if card is not None:
            return Reply(card.text, card.buttons, chat_id=chat_id, card=answer_id)
        author = self.answers.author(answer_id)
        key = "card_withdrawn"
        if author is not None and self.store.readers.get(author) is None:
            key = "card_forgotten"
        elif author is not None and self.answers.is_banned(author):
            key = "card_banned"
        return withdrawn_cards(turn, answer_id, [chat_id], key)[0]

    def _admin_turn(self, user_id: int) -> Turn:
        """A turn in the admin's language."""
        return reader_turn(self.store, self.content, user_id)

    def _card(self, turn: Turn, answer_id: int, *, edited: bool = False) -> Reply | None:
        """Answer ``answer_id``'s card as it is now (None once the answer is gone)."""
        answer = self.answers.get(answer_id)
        if answer is None:
            return None
        reader = self.store.readers.get(answer.user_id)
        name, banned = reader.first_name if reader else "", self.answers.is_banned(answer.user_id)
        return admin_card(turn, answer, name, edited=edited, banned=banned)

    @action("mod", "verb", "answer_id", "revision", admin=True)
    def verdict(self, turn: Turn, verb: str, answer_id: str, seen: str) -> Outcome:
        """Approve, hide, or ban the answer's author. A card whose answer changed since
        (``seen`` is the revision it showed) is refreshed instead, so nobody approves a text they
        did not read."""
        number = parse_id(answer_id)
        answer = self.answers.get(number) if number is not None else None
        if verb not in (*VERDICTS, "ban") or number is None:
            return turn.notice("notice_card_expired")
        if answer is None:
            # withdrawn since the card was made: a ban still reaches the reader who wrote it
            author = self.answers.author(number)
            if author is None:
                return turn.notice("notice_card_expired")
            if verb != "ban":
                return turn.notice("notice_answer_gone")
            self.answers.ban(author, by=turn.reader.user_id)
            done = turn.say("notice_banned", user_id=author)
            chats = self.store.outbox.card_chats(number)
            copies = withdrawn_cards(turn, number, chats, "card_banned")
            gone = Reply(turn.say("card_banned", number=number), edit=True)
            return Outcome((gone, *copies), notice=str(done))
        # changed since: its text, or another admin's verdict (a card drawn before cards
        # carried the status shows only the revision)
        if seen not in (seen_token(answer), *(() if "-" in seen else (answer.revision,))):
            card = self._card(turn, answer.id)
            assert card is not None
            changed = answer.revision != seen.partition("-")[0]
            key = "notice_answer_changed" if changed else "notice_verdict_meanwhile"
            return Outcome((Reply(card.text, card.buttons, edit=True),), notice=str(turn.say(key)))
        if verb == "approve" and self.answers.is_banned(answer.user_id):
            return turn.notice("notice_author_banned")  # a banned reader's words stay hidden
        if verb == "ban":
            self.answers.ban(answer.user_id, by=turn.reader.user_id)
            notice = turn.say("notice_banned", user_id=answer.user_id)
        else:
            self.answers.set_status(answer.id, VERDICTS[verb])
            if answer.status == "pending":  # the writer hears what became of it
                key = "news_answer_published" if verb == "approve" else "news_answer_hidden"
                tell(self.store, answer.user_id, key, own=True, answer=answer.id)
            status = turn.say(f"status_{VERDICTS[verb]}")
            notice = turn.say("notice_moderated", number=answer.id, status=status)
        card = self._card(turn, answer.id)
        if card is None:
            return Outcome(notice=str(notice))
        # the card in every admin's chat shows the verdict too (the acting admin's included, so
        # a copy still on its way there can never leave an older state on top)
        chats = self.store.outbox.card_chats(answer.id)
        copies = tuple(Reply(card.text, card.buttons, chat_id=c, card=answer.id) for c in chats)
        return Outcome((Reply(card.text, card.buttons, edit=True), *copies), notice=str(notice))

    @command("banned", menu=5, admin=True)
    def banned(self, turn: Turn, argument: str = "") -> Outcome:
        """/banned: the banned readers, newest first, each with an Unban button."""
        banned = self.answers.banned(MAX_BANNED)
        if not banned:
            return turn.reply("banned_empty")
        lines = []
        for user_id, when in banned:
            reader = self.store.readers.get(user_id)
            name = reader.first_name if reader and reader.first_name else "?"
            lines.append(turn.say("banned_line", user_id=user_id, name=name, date=when[:10]))
        rows = tuple(
            (turn.button("button_unban", "unban", str(user_id), user_id=user_id),)
            for user_id, _ in banned
        )
        return Outcome((Reply(Markup("\n".join([turn.say("banned_title"), *lines])), rows),))

    @command("unban", admin=True, argument=True)
    def unban_command(self, turn: Turn, argument: str = "") -> Outcome:
        """/unban N: lift the ban on reader N."""
        user_id = parse_id(argument.strip())
        if user_id is None:
            return turn.reply("unban_usage")
        return self._unban(turn, user_id)

    @action("unban", "user_id", admin=True)
    def unban_button(self, turn: Turn, user_id: str) -> Outcome:
        number = parse_id(user_id)
        if number is None:
            return turn.notice("notice_card_expired")
        return self._unban(turn, number)

    def _unban(self, turn: Turn, user_id: int) -> Outcome:
        if not self.answers.unban(user_id):
            return turn.reply("unban_not_banned", user_id=user_id)
        # the cards of their answer no longer say "banned", and get their buttons back
        shown = {n: self.store.outbox.card_chats(n) for n in self.answers.numbers_of(user_id)}
        return Outcome((*turn.reply("unbanned", user_id=user_id).replies, *redrawn(shown)))

    @command("pending", menu=1, admin=True)
    def pending(self, turn: Turn, argument: str = "") -> Outcome:
        """/pending: the held answers, each with its buttons."""
        held = self.answers.pending(MAX_PENDING)
        replies = self.store.replies.pending(MAX_PENDING)
        if not held and not replies:
            return turn.reply("pending_empty")
        count = self.answers.count("pending")
        waiting = self.store.replies.count_pending()
        title = Reply(turn.say("pending_title", count=count, replies=waiting))
        # each card is the admin's one card of that answer or reply, sent anew below: when the
        # reader deletes or /forgets it, no copy keeps their words
        here = turn.reader.user_id
        numbers = [a.id for a in held] + [card_id(r.id) for r in replies]
        cards = (Reply(Markup(""), chat_id=here, card=n, fresh=True) for n in numbers)
        return Outcome((title, *cards))

    @command("stats", menu=2, admin=True)
    def stats(self, turn: Turn, argument: str = "") -> Outcome:
        """/stats: the report, then the same numbers as a chart (drawn when it is sent)."""
        data = self.chart_data(turn)
        chart = Document(
            "essaybot-stats.png", b"", "image/png", render=partial(draw, data), portable=True
        )
        text = Reply(self.report(turn))
        return Outcome((text, Reply(turn.say("chart_caption"), document=chart)))

    def report(self, turn: Turn) -> Markup:
        """Readers, reading funnel, stances, most asked topics, unanswered questions."""
        numbers = self.store.stats(self.content.essay.total, self.admins)
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
        finished = tally_lines(turn, numbers.tally_finished)
        minds = [
            turn.say(
                "minds_moved",
                count=n,
                before=turn.say(f"stance_{b}"),
                after=turn.say(f"stance_{a}"),
            )
            for b, a, n in numbers.moves
        ]
        by_part = [
            turn.say("stats_minds_line", number=p, changed=c, kept=k)
            for p, c, k in numbers.minds_by_part
        ]
        ways = [
            turn.say(
                "stats_source_line",
                source=_source_name(turn, s),
                readers=r,
                finished=f,
                answered=a,
            )
            for s, r, f, a in numbers.sources[:MAX_SOURCES]
        ]
        if len(numbers.sources) > MAX_SOURCES:  # any link can name a source: the rest summed
            rest = numbers.sources[MAX_SOURCES:]
            ways.append(
                turn.say(
                    "stats_source_line",
                    source=turn.say("source_others"),
                    readers=sum(r for _, r, _, _ in rest),
                    finished=sum(f for _, _, f, _ in rest),
                    answered=sum(a for _, _, _, a in rest),
                )
            )
        brought, sharers, most = numbers.sharing
        shared = ", ".join(map(str, most)) or "0"
        sharing = turn.say("stats_sharing", brought=brought, sharers=sharers, most=shared)
        return turn.say(
            "stats_report",
            sources=lines(ways),
            sharing=sharing,
            readers=numbers.readers,
            funnel=lines(funnel),
            tally=lines(tally),
            finished=lines(finished),
            minds=lines(minds),
            minds_by_part=lines(by_part),
            topics=lines(topics),
            misses=lines(misses),
        )

    def chart_data(self, turn: Turn) -> ChartData:
        """The numbers of /stats for the chart, labelled in the admin's language."""
        numbers = self.store.stats(self.content.essay.total, self.admins)
        finished = numbers.tally_finished
        label = {s: to_plain(turn.say(f"stance_{s}")) for s in numbers.tally}
        return ChartData(
            title=to_plain(turn.say("chart_title")),
            tally=[(label[s], n, finished.get(s, 0)) for s, n in numbers.tally.items()],
            series=(
                to_plain(turn.say("chart_series_all")),
                to_plain(turn.say("chart_series_finished")),
            ),
            moves=[(label[b], label[a], n) for b, a, n in numbers.moves],
            funnel=numbers.funnel,
            topics=[(self._topic_name(turn, t), c) for t, c in numbers.topics],
            panels=(
                to_plain(turn.say("chart_panel_tally")),
                to_plain(turn.say("chart_panel_moves")),
                to_plain(turn.say("chart_panel_funnel")),
                to_plain(turn.say("chart_panel_topics")),
            ),
            empty=to_plain(turn.say("stats_none")),
            sources=[(to_plain(_source_name(turn, s)), r, f, a) for s, r, f, a in numbers.sources],
            sources_panel=to_plain(turn.say("chart_panel_sources")),
            source_series=(
                to_plain(turn.say("chart_series_readers")),
                to_plain(turn.say("chart_series_finished")),
                to_plain(turn.say("chart_series_answered")),
            ),
        )

    def _topic_name(self, turn: Turn, topic_id: str) -> str:
        topic = self.content.topic(topic_id)
        return topic.texts[turn.lang].name if topic else topic_id

    @command("export", menu=3, admin=True)
    def export(self, turn: Turn, argument: str = "") -> Outcome:
        """/export: every answer as a CSV document, and every reply as a second one; both are
        read and written when they are sent, on their own connection, so a long export keeps
        no other reader waiting."""
        answers, replies = self.store.export_counts()
        zipped = (answers >= ZIP_FROM, replies >= ZIP_FROM)
        names = ("essaybot-answers.csv", "essaybot-replies.csv")

        def made(rows: Iterable[dict[str, object]], which: int) -> bytes:
            fields = (EXPORT_FIELDS, REPLY_EXPORT_FIELDS)[which]
            if zipped[which]:
                return export_zip(rows, names[which], fields)
            return export_csv(rows, fields)

        files = self.store.exporter(
            self.content.essay.total, lambda a, r: (made(a, 0), made(r, 1))
        )
        documents = [
            Document(
                f"{name}.zip" if zipped[n] else name,
                b"",
                "application/zip" if zipped[n] else "text/csv",
                render=partial(_nth, files, n),
                oversize=turn.say("document_too_big", filename=name),
            )
            for n, name in enumerate(names)
        ]
        captions = (
            turn.say("export_caption", count=answers),
            turn.say("export_replies_caption", count=replies),
        )
        return Outcome(
            tuple(
                Reply(turn.say("export_zipped", caption=caption) if zip_ else caption, document=d)
                for caption, d, zip_ in zip(captions, documents, zipped, strict=True)
            )
        )


def _nth(files: Callable[[], tuple[bytes, bytes]], n: int) -> bytes:
    """File ``n`` of the export (both are made at the first call)."""
    return files()[n]


def _source_name(turn: Turn, source: str) -> Markup | str:
    """A way in as the admin reads it: the bot's own named in their language, the author's
    as they named it."""
    named = {"": "before", links.DIRECT: "direct", **{s: s for s in links.NAMED}}
    return turn.say(f"source_{named[source]}") if source in named else source
