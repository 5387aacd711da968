"""Readers answer the title's question: a stance, an optional comment, how to be shown; then
the bot confirms (only once the answer is on disk) and discusses it.

Every refusal (too short, too long, too fast, the same text again, a blocked word) says why and
echoes the reader's text back, so nothing they wrote is lost.
"""

from __future__ import annotations

import re
from typing import Any

from bot.answer_store import STANCES, AnswerRecord
from bot.content import Content
from bot.conversation import Outcome, Reply
from bot.discussion import EXCERPT, Discussion
from bot.markup import Markup, chunks, quote, units
from bot.matcher import Matcher, fold
from bot.moderation import Moderation
from bot.store import Store
from bot.turn import Turn

MIN_COMMENT = 3
MAX_COMMENT = 2000
RATE_COUNT = 3
RATE_MINUTES = 10
ECHO_CHUNK = 3500
MAX_MENTIONS = 2


class Answering:
    """The answering flow, from /answer to the discussion."""

    def __init__(
        self,
        content: Content,
        store: Store,
        matcher: Matcher,
        discussion: Discussion,
        moderation: Moderation,
    ) -> None:
        self.content = content
        self.store = store
        self.answers = store.answers
        self.matcher = matcher
        self.discussion = discussion
        self.moderation = moderation
        folded = (fold(w).lower() for w in content.blocked_words)
        self.blocked = re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in folded if w) + r")\b"
            if content.blocked_words
            else r"(?!)"
        )

    # --- entering ----------------------------------------------------------------------------

    def begin(self, turn: Turn, _: object = None) -> Outcome:
        """/answer: the question with its stances, or the reader's current answer to edit."""
        user = turn.reader.user_id
        if self.answers.is_banned(user):
            return turn.reply("banned")
        current = self.answers.of_reader(user)
        if current is None:
            return self.question(turn)
        status = turn.say(f"status_{current.status}")
        text = turn.say(
            "current_answer", answer=self.discussion.item(turn, current), status=status
        )
        rows = (
            (turn.button("button_replace", "replace"), turn.button("button_delete", "delete")),
            (turn.button("button_display", "redisplay"),),
            (turn.button("button_cancel", "cancel"),),
        )
        return Outcome((Reply(text, rows),))

    def question(self, turn: Turn) -> Outcome:
        """The title's question with the three stances, always in the same order."""
        if self.answers.is_banned(turn.reader.user_id):
            return turn.reply("banned")
        text = turn.say("answer_question", question=self.content.essay.title)
        rows = tuple((turn.button(f"stance_{s}", "stance", s),) for s in STANCES)
        return Outcome((Reply(text, rows),))

    # --- the steps ---------------------------------------------------------------------------

    def choose(self, turn: Turn, stance: str) -> Outcome:
        """A stance was chosen: ask for a comment, which may be skipped."""
        if stance not in STANCES:
            return turn.notice("notice_expired")
        if self.answers.is_banned(turn.reader.user_id):
            return turn.reply("banned")
        _, before = self.store.flow(turn.reader.user_id)
        unsaved = before.get("comment")  # a comment written before choosing again
        self.store.set_flow(turn.reader.user_id, "comment", {"stance": stance})
        text = turn.say(
            "ask_comment",
            stance=turn.say(f"stance_{stance}"),
            minimum=MIN_COMMENT,
            maximum=MAX_COMMENT,
        )
        rows = ((turn.button("button_skip", "skip"), turn.button("button_cancel", "cancel")),)
        echo = self.echo(turn, unsaved) if isinstance(unsaved, str) and unsaved else ()
        return Outcome((*echo, Reply(text, rows)))

    def comment(self, turn: Turn, text: str, data: dict[str, Any]) -> Outcome:
        """The reader wrote their comment: check it, then go on (or say why not, echoing it)."""
        comment = text.strip()
        length = units(comment)  # as Telegram counts characters: an emoji is two
        problem: tuple[str, dict[str, object]] | None = None
        if length < MIN_COMMENT:
            problem = ("comment_too_short", {"minimum": MIN_COMMENT})
        elif length > MAX_COMMENT:
            problem = ("comment_too_long", {"maximum": MAX_COMMENT, "length": length})
        elif self.blocked.search(fold(comment).lower()):
            problem = ("comment_blocked", {})
        elif self.answers.is_duplicate(turn.reader.user_id, comment):
            problem = ("comment_duplicate", {})
        if problem is not None:
            return self.refuse(turn, problem[0], text, **problem[1])
        return self.proceed(turn, str(data.get("stance")), comment)

    def skip(self, turn: Turn) -> Outcome:
        """Answer without a comment."""
        flow, data = self.store.flow(turn.reader.user_id)
        if flow != "comment":
            return turn.notice("notice_expired")
        return self.proceed(turn, str(data.get("stance")), None)

    def proceed(self, turn: Turn, stance: str, comment: str | None) -> Outcome:
        """Ask how to show the reader the first time; then save."""
        if stance not in STANCES:
            self.store.set_flow(turn.reader.user_id, None)
            return turn.notice("notice_expired")
        if self._too_fast(turn.reader.user_id):
            return self.refuse(
                turn, "comment_too_fast", comment, count=RATE_COUNT, minutes=RATE_MINUTES
            )
        if self.store.display(turn.reader.user_id) is None:
            self.store.set_flow(
                turn.reader.user_id, "display", {"stance": stance, "comment": comment}
            )
            return self.ask_display(turn)
        return self.save(turn, stance, comment)

    def ask_display(self, turn: Turn) -> Outcome:
        """Ask whether to show the reader's first name or nothing next to their answer."""
        rows = (
            (turn.button("button_show_name", "show", "name", name=turn.name),),
            (turn.button("button_anonymous", "show", "anonymous"),),
        )
        return Outcome((Reply(turn.say("ask_display"), rows),))

    def redisplay(self, turn: Turn) -> Outcome:
        """Change how an existing answer shows its author."""
        if self.answers.of_reader(turn.reader.user_id) is None:
            return turn.notice("notice_expired")
        self.store.set_flow(turn.reader.user_id, "redisplay", {})
        return self.ask_display(turn)

    def choose_display(self, turn: Turn, choice: str) -> Outcome:
        """The reader chose to be shown by name or anonymously: save the answer."""
        user = turn.reader.user_id
        flow, data = self.store.flow(user)
        if flow not in ("display", "redisplay") or choice not in ("name", "anonymous"):
            return turn.notice("notice_expired")
        self.store.set_display(user, choice)
        if flow == "redisplay":
            return self._redisplayed(turn)
        comment = data.get("comment")
        return self.save(
            turn, str(data.get("stance")), comment if isinstance(comment, str) else None
        )

    def _redisplayed(self, turn: Turn) -> Outcome:
        """Show an existing answer under the reader's new choice; admins see the change."""
        user = turn.reader.user_id
        self.store.set_flow(user, None)
        current = self.answers.of_reader(user)
        if current is None:
            return turn.notice("notice_expired")
        name = self._shown_name(turn)
        updated = self.answers.update_display(user, name, self._status(current))
        if updated is None:
            return turn.notice("notice_expired")
        item = self.discussion.item(turn, updated)
        status = turn.say(f"status_{updated.status}")
        replies = [Reply(turn.say("display_changed", answer=item, status=status))]
        if name is None and self.store.display(user) == "name":
            replies.insert(0, Reply(turn.say("name_blocked")))
        return Outcome((*replies, *self.moderation.notify(turn, updated, edited=True)))

    def _shown_name(self, turn: Turn) -> str | None:
        """The reader's first name if they chose to be shown by it (and it is not offensive)."""
        name = turn.reader.first_name
        if self.store.display(turn.reader.user_id) != "name" or not name:
            return None
        return None if self.blocked.search(fold(name).lower()) else name

    def _status(self, previous: AnswerRecord | None) -> str:
        """Published at once, unless answers are held for approval, or this one was hidden or is
        still waiting for an admin (a change never skips a pending review)."""
        if self.moderation.pre or (previous is not None and previous.status != "published"):
            return "pending"
        return "published"

    def save(self, turn: Turn, stance: str, comment: str | None) -> Outcome:
        """Store the answer (committed before anything is confirmed), then discuss it."""
        user = turn.reader.user_id
        if self.answers.is_banned(user):
            self.store.set_flow(user, None)
            return self.refuse(turn, "banned", comment)
        if self._too_fast(user):
            return self.refuse(
                turn, "comment_too_fast", comment, count=RATE_COUNT, minutes=RATE_MINUTES
            )
        previous = self.answers.of_reader(user)
        edited = previous is not None
        status = self._status(previous)
        saved = self.answers.save(user, stance, comment, self._shown_name(turn), turn.lang, status)
        self.store.set_flow(user, None)
        key = "answer_saved_pending" if status == "pending" else "answer_saved"
        discussion = self.discuss(turn, saved, turn.say(key, name=turn.name))
        return Outcome((discussion, *self.moderation.notify(turn, saved, edited=edited)))

    def discuss(self, turn: Turn, saved: AnswerRecord, confirmation: Markup) -> Reply:
        """The confirmation, the tally, the essay on what the comment mentions, another view."""
        parts = [confirmation, self.discussion.tally(turn, saved.user_id)]
        for topic_id in self.matcher.mentions(saved.comment or "", limit=MAX_MENTIONS + 1):
            topic = self.content.topic(topic_id)
            if topic is None or topic.kind == "question" or len(parts) >= 2 + MAX_MENTIONS:
                continue
            name = topic.texts[turn.lang].name
            parts.append(turn.say("essay_on_topic", name=name, quote=topic.quote, part=topic.part))
        other = self.answers.other_view(saved.user_id, saved.stance)
        if other is not None:
            parts.append(turn.say("other_view"))
            parts.append(self.discussion.item(turn, other, excerpt=EXCERPT))
        rows = ((turn.button("button_more_answers", "answers", "0"),),)
        return Reply(Markup("\n\n".join(parts)), rows)

    # --- editing, deleting, cancelling -------------------------------------------------------

    def ask_delete(self, turn: Turn) -> Outcome:
        if self.answers.of_reader(turn.reader.user_id) is None:
            return turn.notice("notice_expired")
        rows = (
            (turn.button("button_confirm_delete", "delete_yes"),),
            (turn.button("button_cancel", "cancel"),),
        )
        return Outcome((Reply(turn.say("confirm_delete"), rows),))

    def delete(self, turn: Turn) -> Outcome:
        """Delete the reader's answer (replacing the confirmation, so it cannot be pressed
        again)."""
        if not self.answers.delete(turn.reader.user_id):
            return turn.notice("notice_expired")
        self.store.set_flow(turn.reader.user_id, None)
        return Outcome((Reply(turn.say("answer_deleted"), edit=True),))

    def cancel_button(self, turn: Turn) -> Outcome:
        """The Cancel button: leave the flow, or keep things as they are under a confirmation."""
        if self.store.flow(turn.reader.user_id)[0] is None:
            return Outcome((Reply(turn.say("kept"), edit=True),))
        return self.cancel(turn)

    def cancel(self, turn: Turn, _: object = None) -> Outcome:
        """/cancel: leave the flow; a comment not yet saved is echoed back."""
        flow, data = self.store.flow(turn.reader.user_id)
        if flow is None:
            return turn.reply("nothing_to_cancel")
        self.store.set_flow(turn.reader.user_id, None)
        comment = data.get("comment")
        echo = self.echo(turn, comment) if isinstance(comment, str) and comment else ()
        return Outcome((Reply(turn.say("cancelled")), *echo))

    # --- helpers -----------------------------------------------------------------------------

    def _too_fast(self, user_id: int) -> bool:
        return self.answers.recent_submissions(user_id, RATE_MINUTES) >= RATE_COUNT

    def refuse(self, turn: Turn, key: str, text: str | None, **params: object) -> Outcome:
        """Say why the answer was refused, and give the reader's text back."""
        echo = self.echo(turn, text) if text and text.strip() else ()
        return Outcome((Reply(turn.say(key, **params)), *echo))

    def echo(self, turn: Turn, text: str) -> tuple[Reply, ...]:
        """The reader's text, escaped, in as many messages as Telegram's limit needs."""
        pieces = chunks(text, ECHO_CHUNK)
        first = Markup(f"{turn.say('echo_intro')}\n{quote(pieces[0])}")
        return (Reply(first), *(Reply(quote(piece)) for piece in pieces[1:]))
