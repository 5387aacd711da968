"""Readers answer the title's question: a stance, an optional comment, how to be shown; then
the bot confirms (only once the answer is on disk) and discusses it.

Every refusal (too short, too long, too fast, the same text again, a blocked word) says why and
echoes the reader's text back, so nothing they wrote is lost.
"""

from __future__ import annotations

from bot.content.catalog import Content
from bot.content.markup import Markup
from bot.core.events import Outcome, Reply
from bot.core.news.notify import given_back, tell_edited
from bot.core.registry import action, command
from bot.core.turn import Turn
from bot.core.views import (
    admin_cards,
    answer_item,
    discussion_rows,
    echo,
    redrawn,
    says_button,
    tally,
    vote_buttons,
    withdrawn_cards,
)
from bot.model.agreement import Standing
from bot.model.answers import DISPLAYS, STANCES, Answer, next_status
from bot.model.comments import BlockedWords, Problem, comment_problem, shown_name, too_fast
from bot.model.flow import Flow
from bot.model.limits import (
    EXCERPT,
    MAX_COMMENT,
    MIN_COMMENT,
)
from bot.model.replies import card_id
from bot.storage.store import Store


class Answering:
    """The answering flow, from /answer to the discussion."""

    def __init__(
        self,
        content: Content,
        store: Store,
        *,
        admins: frozenset[int],
        pre_moderation: bool,
    ) -> None:
        self.content = content
        self.store = store
        self.readers = store.readers
        self.answers = store.answers
        self.outbox = store.outbox
        self.admins = admins
        self.pre_moderation = pre_moderation
        self.blocked = BlockedWords(content.blocked_words)

    # --- entering ----------------------------------------------------------------------------

    @command("answer", menu=3)
    def begin(self, turn: Turn, argument: str = "") -> Outcome:
        """/answer: the question with its stances, or the reader's current answer to edit."""
        user = turn.reader.user_id
        if self.answers.is_banned(user):
            return turn.reply("banned")
        waiting = self.readers.flow(user)
        if waiting is not None and waiting.step == "comment" and waiting.stance:
            return self.choose(turn, waiting.stance)  # the answer left half way, resumed
        current = self.answers.of_reader(user)
        if current is None:
            return self.question(turn)
        status = turn.say(f"status_{current.status}")
        text = turn.say("current_answer", answer=answer_item(turn, current), status=status)
        rows = (
            (turn.button("button_replace", "replace"), turn.button("button_delete", "delete")),
            (turn.button("button_display", "redisplay"),),
            (turn.button("button_cancel", "cancel"),),
        )
        return Outcome((Reply(text, rows),))

    @action("answer")
    def begin_button(self, turn: Turn) -> Outcome:
        """The "answer" button at the end of the story and in the welcome."""
        return self.begin(turn)

    @action("replace")
    def question(self, turn: Turn) -> Outcome:
        """The title's question with the three stances, always in the same order."""
        if self.answers.is_banned(turn.reader.user_id):
            return turn.reply("banned")
        if early := self._wait_first(turn):
            return early
        text = turn.say("answer_question", question=self.content.essay.title_in(turn.lang))
        rows = tuple((turn.button(f"stance_{s}", "stance", s),) for s in STANCES)
        return Outcome((Reply(text, rows),))

    # --- the steps ---------------------------------------------------------------------------

    @action("stance", "stance")
    def choose(self, turn: Turn, stance: str) -> Outcome:
        """A stance was chosen: ask for a comment, which may be skipped."""
        user = turn.reader.user_id
        if stance not in STANCES:
            return turn.notice("notice_expired")
        if self.answers.is_banned(user):
            return turn.reply("banned")
        if early := self._wait_first(turn):
            return early
        before = self.readers.flow(user)
        unsaved = before.comment if before else None  # a comment written before choosing again
        self.readers.set_flow(user, Flow("comment", stance))
        text = turn.say(
            "ask_comment",
            stance=turn.say(f"stance_{stance}"),
            minimum=MIN_COMMENT,
            maximum=MAX_COMMENT,
        )
        rows = ((turn.button("button_skip", "skip"), turn.button("button_cancel", "cancel")),)
        echoed = echo(turn, unsaved) if unsaved else ()
        return Outcome((*echoed, Reply(text, rows)))

    def _wait_first(self, turn: Turn) -> Outcome | None:
        """Under the rate limit, say so (and for how long) before the reader writes."""
        wait = self.answers.wait_minutes(turn.reader.user_id)
        if not wait:
            return None
        return turn.reply("too_fast_before", **too_fast(wait).params)

    def comment(self, turn: Turn, text: str, flow: Flow) -> Outcome:
        """The reader wrote their comment: check it, then go on (or say why not, echoing it,
        with the buttons on the refusal). The word on a button, typed, acts as the button."""
        if says_button(turn, text, "button_skip"):
            return self.skip(turn)
        if says_button(turn, text, "button_cancel"):
            return self.cancel(turn)
        comment = text.strip()
        problem = comment_problem(comment, self.blocked)
        if problem is None and self.answers.is_duplicate(turn.reader.user_id, comment):
            problem = Problem("comment_duplicate")
        if problem is not None:
            rows = ((turn.button("button_skip", "skip"), turn.button("button_cancel", "cancel")),)
            refusal = Reply(turn.say(problem.key, **problem.params), rows)
            # two letters ("ok") are not worth echoing "so you don't lose them"
            worth = len(comment) >= MIN_COMMENT
            return Outcome((refusal, *(echo(turn, text) if worth else ())))
        return self.proceed(turn, flow.stance, comment)

    @action("skip")
    def skip(self, turn: Turn) -> Outcome:
        """Answer without a comment."""
        flow = self.readers.flow(turn.reader.user_id)
        if flow is None or flow.step != "comment":
            return turn.notice("notice_expired")
        return self.proceed(turn, flow.stance, None)

    def proceed(self, turn: Turn, stance: str | None, comment: str | None) -> Outcome:
        """Ask how to show the reader the first time; then save."""
        user = turn.reader.user_id
        if stance not in STANCES:
            self.readers.set_flow(user, None)
            return turn.notice("notice_expired")
        if wait := self.answers.wait_minutes(user):
            return self.refuse(turn, too_fast(wait), comment)
        if self.readers.display(user) is None:
            self.readers.set_flow(user, Flow("display", stance, comment))
            return self.ask_display(turn)
        return self.save(turn, stance, comment)

    def ask_display(self, turn: Turn) -> Outcome:
        """Ask whether to show the reader's first name or nothing next to their answer."""
        rows = (
            (turn.button("button_show_name", "show", "name", name=turn.name),),
            (turn.button("button_anonymous", "show", "anonymous"),),
        )
        return Outcome((Reply(turn.say("ask_display"), rows),))

    @action("redisplay")
    def redisplay(self, turn: Turn) -> Outcome:
        """Change how the reader's answer and replies show them (a reader with only replies
        too)."""
        if self.answers.is_banned(turn.reader.user_id):
            return turn.reply("banned")
        user = turn.reader.user_id
        if self.answers.of_reader(user) is None and not self.store.replies.written_by(user):
            return turn.notice("notice_expired")
        self.readers.set_flow(user, Flow("redisplay"))
        return self.ask_display(turn)

    @action("show", "display")
    def choose_display(self, turn: Turn, choice: str) -> Outcome:
        """The reader chose to be shown by name or anonymously: save the answer."""
        user = turn.reader.user_id
        flow = self.readers.flow(user)
        if flow is None or flow.step not in ("display", "redisplay") or choice not in DISPLAYS:
            return turn.notice("notice_expired")
        if flow.step == "redisplay" and self.answers.is_banned(user):
            self.readers.set_flow(user, None)
            return turn.reply("banned")
        self.readers.set_display(user, choice)
        if flow.step == "redisplay":
            return self._redisplayed(turn)
        return self.save(turn, str(flow.stance), flow.comment)

    def _redisplayed(self, turn: Turn) -> Outcome:
        """Show the reader's answer, and their replies, under their new choice; admins see the
        change."""
        user = turn.reader.user_id
        self.readers.set_flow(user, None)
        current = self.answers.of_reader(user)
        if current is None and not self.store.replies.written_by(user):
            return turn.notice("notice_expired")
        name = self._shown_name(turn)
        changes = current is not None and name != current.display_name
        # going anonymous is never held back by the rate limit
        wait = self.answers.wait_minutes(user) if changes and name is not None else 0
        if wait:
            return self.refuse(turn, too_fast(wait), None)
        renamed = self.store.replies.rename(user, name)
        cards = redrawn({card_id(n): self.outbox.card_chats(card_id(n)) for n in renamed})
        said: list[Reply] = []
        if name is None and self.readers.display(user) == "name":
            said.append(Reply(turn.say("name_blocked")))
        about_replies: tuple[Reply, ...] = ()
        if renamed or current is None:
            shown_as = name or turn.say("anonymous_author")
            about_replies = (Reply(turn.say("display_changed_replies", name=shown_as)),)
        if current is None:
            return Outcome((*said, *about_replies, *cards))
        updated = current
        if changes:
            self.answers.count_submission(user, f"(display {name or ''})")
            status = next_status(
                current,
                pre_moderation=self.pre_moderation,
                under_review=self.answers.under_review(user),
            )
            renewed = self.answers.update_display(user, name, status)
            if renewed is None:
                return turn.notice("notice_expired")
            updated = renewed
        shown = turn.say(f"status_{updated.status}")
        item = answer_item(turn, updated)
        said.append(Reply(turn.say("display_changed", answer=item, status=shown)))
        told = self._notify(turn, updated, edited=True) if changes else ()
        return Outcome((*said, *about_replies, *cards, *told))

    def _shown_name(self, turn: Turn) -> str | None:
        """The reader's first name if they chose to be shown by it (and it is not offensive)."""
        display = self.readers.display(turn.reader.user_id)
        return shown_name(turn.reader.first_name, display, self.blocked)

    def save(self, turn: Turn, stance: str, comment: str | None) -> Outcome:
        """Store the answer and leave the flow (one transaction, committed before the dialogue
        returns anything to confirm), then discuss it."""
        user = turn.reader.user_id
        if self.answers.is_banned(user):
            self.readers.set_flow(user, None)
            return self.refuse(turn, Problem("banned"), comment)
        if wait := self.answers.wait_minutes(user):
            return self.refuse(turn, too_fast(wait), comment)
        previous = self.answers.of_reader(user)
        status = next_status(
            previous,
            pre_moderation=self.pre_moderation,
            under_review=self.answers.under_review(user),
        )
        saved = self.answers.save(user, stance, comment, self._shown_name(turn), turn.lang, status)
        self.readers.set_flow(user, None)
        if previous is not None and (previous.stance, previous.comment) != (stance, comment):
            tell_edited(self.store, saved.id, user, self.store.replies.of_answer(saved.id))
        key = "answer_saved_pending" if status == "pending" else "answer_saved"
        confirmation = turn.say(key, name=turn.name)
        discussion = self.discuss(turn, saved, confirmation)
        return Outcome((*discussion, *self._notify(turn, saved, edited=previous is not None)))

    def discuss(self, turn: Turn, saved: Answer, confirmation: Markup) -> tuple[Reply, ...]:
        """What fits a phone: the thanks, whether the reader's mind changed, the tally, and the
        answer from another stance that readers on both sides agree with most, with its
        buttons; after a first answer, the notification question as a
        message of its own (its answer edits only it)."""
        parts = [confirmation]
        before = self.readers.before(saved.user_id)
        if before in STANCES:
            key = "minds_yours_kept" if before == saved.stance else "minds_yours_changed"
            parts.append(
                turn.say(
                    key,
                    before=turn.say(f"stance_{before}"),
                    after=turn.say(f"stance_{saved.stance}"),
                )
            )
        parts.append(tally(turn, self.answers.tally(including=saved.user_id)))
        votes = None
        best = self.answers.best_other_view(saved.user_id, saved.stance)
        if best is not None:
            other = self.answers.get(best)
            if other is not None:
                standing = self.store.votes.standings([best]).get(best, Standing())
                parts.append(turn.say("other_view"))
                replies = self.store.replies.counts([best]).get(best, 0)
                parts.append(answer_item(turn, other, EXCERPT, standing=standing, replies=replies))
                mine = self.store.votes.mine(saved.user_id, [best]).get(best)
                votes = vote_buttons(turn, other, standing, mine, "d")
        rows = discussion_rows(turn, votes, shareable=saved.status == "published")
        said = [Reply(Markup("\n\n".join(parts)), rows)]
        notices = self.store.notices
        if notices.settings(saved.user_id)[0] is None and not notices.asked(saved.user_id):
            notices.set_asked(saved.user_id)  # asked once, after the first answer
            rows = (
                (
                    turn.button("button_notify_yes", "notify", "on"),
                    turn.button("button_notify_no", "notify", "off"),
                ),
            )
            said.append(Reply(turn.say("notify_ask"), rows))
        return tuple(said)

    def _notify(self, turn: Turn, answer: Answer, *, edited: bool) -> tuple[Reply, ...]:
        reader = self.readers.get(answer.user_id)
        author = reader.first_name if reader else ""
        return admin_cards(turn, answer, author, self.admins, edited=edited)

    # --- editing, deleting, cancelling -------------------------------------------------------

    @action("delete")
    def ask_delete(self, turn: Turn) -> Outcome:
        if self.answers.is_banned(turn.reader.user_id):
            return turn.reply("banned")
        current = self.answers.of_reader(turn.reader.user_id)
        if current is None:
            return turn.notice("notice_expired")
        rows = (
            (turn.button("button_confirm_delete", "delete_yes"),),
            (turn.button("button_cancel", "cancel"),),
        )
        replies = self.store.replies.of_answer(current.id)
        others = len({r.user_id for r in replies if r.user_id != current.user_id})
        text = turn.say("confirm_delete")
        if others:  # what happens to the replies under it, said before it happens
            text = turn.say("confirm_delete_replies", count=len(replies), writers=others)
        return Outcome((Reply(text, rows),))

    @action("delete_yes")
    def delete(self, turn: Turn) -> Outcome:
        """Delete the reader's answer (replacing the confirmation, so it cannot be pressed
        again)."""
        user = turn.reader.user_id
        if self.answers.is_banned(user):
            return turn.reply("banned")
        current = self.answers.of_reader(user)
        under = self.store.replies.of_answer(current.id) if current else []
        replies = [r.id for r in under]
        if current is None or not self.answers.delete(user):
            return turn.notice("notice_expired")
        self.store.notices.drop_about_replies(replies)
        back = given_back(self.store, self.content, current.id, user, under)
        self.readers.set_flow(user, None)
        chats = self.outbox.card_chats(current.id)  # the admins' cards say it was withdrawn
        cards = withdrawn_cards(turn, current.id, chats, "card_withdrawn")
        replied = redrawn({card_id(n): self.outbox.card_chats(card_id(n)) for n in replies})
        done = Reply(turn.say("answer_deleted"), edit=True)
        return Outcome((done, *cards, *replied, *back))

    @action("cancel")
    def cancel_button(self, turn: Turn) -> Outcome:
        """The Cancel button: leave the flow, or keep things as they are under a confirmation."""
        if self.readers.flow(turn.reader.user_id) is None:
            return Outcome((Reply(turn.say("kept"), edit=True),))
        return self.cancel(turn)

    @command("cancel", menu=10)
    def cancel(self, turn: Turn, argument: str = "") -> Outcome:
        """/cancel: leave the flow; a comment not yet saved is echoed back."""
        flow = self.readers.flow(turn.reader.user_id)
        if flow is None:
            return turn.reply("nothing_to_cancel")
        self.readers.set_flow(turn.reader.user_id, None)
        echoed = echo(turn, flow.comment) if flow.comment else ()
        return Outcome((Reply(turn.say("cancelled")), *echoed))

    # --- helpers -----------------------------------------------------------------------------

    def refuse(self, turn: Turn, problem: Problem, text: str | None) -> Outcome:
        """Say why the answer was refused, and give the reader's text back."""
        echoed = echo(turn, text) if text and text.strip() else ()
        return Outcome((Reply(turn.say(problem.key, **problem.params)), *echoed))
