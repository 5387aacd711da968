"""Replies to answers, one level: a reader replies under the rules an answer keeps (length,
rate limit, duplicates, blocked words, moderation, admin cards, everything escaped, the text
given back on a refusal); the author (any admin) replies from an answer's card or its page,
marked as the author's. Writers edit and delete their replies; admins approve, hide, or ban.
The answer's writer hears of a published reply (if they asked to)."""

from __future__ import annotations

from dataclasses import replace

from bot.content.catalog import Content
from bot.content.markup import Markup, quote
from bot.core.events import Keyboard, Outcome, Reply
from bot.core.news.notify import tell_replied
from bot.core.registry import action
from bot.core.turn import Turn
from bot.core.views import echo, redrawn, response_item, says_button
from bot.model.answers import DISPLAYS, Answer
from bot.model.comments import BlockedWords, Problem, comment_problem, shown_name, too_fast
from bot.model.flow import Flow
from bot.model.limits import MAX_COMMENT, MIN_COMMENT, parse_id
from bot.model.replies import Response, card_id
from bot.storage.store import Store

#: The answer's refusals that point to its Skip button, and the reply's own wording of them.
REFUSALS = {"comment_too_short": "reply_too_short", "comment_duplicate": "reply_duplicate"}


class Replies:
    """Writing, editing, deleting and moderating replies."""

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
        self.answers = store.answers
        self.replies = store.replies
        self.readers = store.readers
        self.admins = admins
        self.pre_moderation = pre_moderation
        self.blocked = BlockedWords(content.blocked_words)

    # --- writing -----------------------------------------------------------------------------

    @action("reply", "answer_id")
    def begin(self, turn: Turn, answer_id: str) -> Outcome:
        """ "Reply" under an answer (or on its admin card): ask for the reply."""
        answer = self._answer(turn, answer_id)
        if answer is None:
            return turn.notice("notice_expired")
        if self.answers.is_banned(turn.reader.user_id):
            return turn.reply("banned")
        wait = 0 if self._admin(turn) else self.answers.wait_minutes(turn.reader.user_id)
        if wait:  # told before the reader writes
            return turn.reply("too_fast_before", **too_fast(wait).params)
        unsaved = self._start(turn, Flow("reply", target=answer.id))
        text = turn.say("reply_prompt", number=answer.id, minimum=MIN_COMMENT, maximum=MAX_COMMENT)
        return Outcome((*unsaved, Reply(text, ((turn.button("button_cancel", "cancel"),),))))

    def _start(self, turn: Turn, flow: Flow) -> tuple[Reply, ...]:
        """Put the reader in ``flow``; a text they wrote and had not saved yet (an answer's
        comment, another reply) comes back to them rather than being dropped."""
        before = self.readers.flow(turn.reader.user_id)
        self.readers.set_flow(turn.reader.user_id, flow)
        return echo(turn, before.comment) if before and before.comment else ()

    def _answer(self, turn: Turn, answer_id: str | int | None) -> Answer | None:
        """The answer replied to, if the reader may reply to it (any, for an admin)."""
        number = parse_id(answer_id) if isinstance(answer_id, str) else answer_id
        answer = self.answers.get(number) if number is not None else None
        if answer is None or (answer.status != "published" and not self._admin(turn)):
            return None
        return answer

    def _admin(self, turn: Turn) -> bool:
        return turn.reader.user_id in self.admins

    def text(self, turn: Turn, text: str, flow: Flow) -> Outcome:
        """The reader wrote their reply (or its new version): check it, then save it. "Annulla"
        typed acts as the Cancel button."""
        if says_button(turn, text, "button_cancel"):
            self.readers.set_flow(turn.reader.user_id, None)
            return turn.reply("cancelled")
        body = text.strip()
        problem = comment_problem(body, self.blocked)
        user = turn.reader.user_id
        answer_id = flow.target
        if flow.step == "reply_edit":
            current = self.replies.get(flow.target or 0)
            answer_id = current.answer_id if current and current.user_id == user else None
        if answer_id is None:
            self.readers.set_flow(user, None)
            return self.refuse(turn, Problem("reply_gone"), text)
        if problem is None and self.replies.is_duplicate(user, answer_id, body):
            problem = Problem("comment_duplicate")
        wait = 0 if self._admin(turn) else self.answers.wait_minutes(user)
        if problem is None and wait:
            problem = too_fast(wait)  # shared with answers; the author has no limit
        if problem is not None:
            refused = self.refuse(turn, problem, text if len(body) >= MIN_COMMENT else None)
            first, *rest = refused.replies  # the refusal carries the Cancel button
            cancel = ((turn.button("button_cancel", "cancel"),),)
            return Outcome((replace(first, buttons=cancel), *rest))
        if flow.step == "reply_edit":
            return self.save_edit(turn, flow.target or 0, body)
        if not self._admin(turn) and self.readers.display(user) is None:
            self.readers.set_flow(user, Flow("reply_display", comment=body, target=answer_id))
            rows = (
                (turn.button("button_show_name", "rshow", "name", name=turn.name),),
                (turn.button("button_anonymous", "rshow", "anonymous"),),
            )
            return Outcome((Reply(turn.say("reply_ask_display"), rows),))
        return self.save(turn, answer_id, body)

    @action("rshow", "display")
    def choose_display(self, turn: Turn, choice: str) -> Outcome:
        """How to be shown, asked before a first reply: then save it."""
        user = turn.reader.user_id
        flow = self.readers.flow(user)
        if flow is None or flow.step != "reply_display" or choice not in DISPLAYS:
            return turn.notice("notice_expired")
        if flow.target is None or flow.comment is None:
            self.readers.set_flow(user, None)
            return turn.notice("notice_expired")
        self.readers.set_display(user, choice)
        return self.save(turn, flow.target, flow.comment)

    def _status(self, turn: Turn, previous: Response | None = None) -> str:
        if self._admin(turn):
            return "published"
        held = self.pre_moderation or self.answers.under_review(turn.reader.user_id)
        if held or (previous is not None and previous.status != "published"):
            return "pending"
        return "published"

    def _shown_name(self, turn: Turn) -> str | None:
        if self._admin(turn):
            return turn.reader.first_name or None
        display = self.readers.display(turn.reader.user_id)
        return shown_name(turn.reader.first_name, display, self.blocked)

    def save(self, turn: Turn, answer_id: int, body: str) -> Outcome:
        """Store the reply; admins get its card; the answer's writer hears of it."""
        user = turn.reader.user_id
        self.readers.set_flow(user, None)
        answer = self._answer(turn, answer_id)
        if answer is None:
            return self.refuse(turn, Problem("reply_gone"), body)
        if self.answers.is_banned(user):
            return self.refuse(turn, Problem("banned"), body)
        status = self._status(turn)
        saved = self.replies.add(
            answer.id,
            user,
            body,
            self._shown_name(turn),
            by_author=self._admin(turn),
            lang=turn.lang,
            status=status,
        )
        if status == "published":
            tell_replied(self.store, self.content, saved)
        key = "reply_saved_pending" if status == "pending" else "reply_saved"
        confirmation = Reply(turn.say(key, number=answer.id), self._own_buttons(turn, saved))
        return Outcome((confirmation, *self._cards(saved, edited=False)))

    def _own_buttons(self, turn: Turn, reply: Response) -> Keyboard:
        number = str(reply.id)
        return (
            (
                turn.button(
                    "button_thread", "thread", str(reply.answer_id), "0", number=reply.answer_id
                ),
            ),
            (
                turn.button("button_edit_reply", "redit", number, number=reply.id),
                turn.button("button_delete_reply", "rdel", number, number=reply.id),
            ),
            *(() if reply.by_author else ((turn.button("button_display", "redisplay"),),)),
        )

    def _cards(self, reply: Response, *, edited: bool) -> tuple[Reply, ...]:
        """The reply's card for every admin (drawn again when it goes, in their language);
        the author's own replies need none."""
        if reply.by_author:
            return ()
        placeholder = Markup("")
        return tuple(
            Reply(placeholder, chat_id=admin, card=card_id(reply.id), card_edited=edited)
            for admin in sorted(self.admins)
        )

    # --- editing and deleting ----------------------------------------------------------------

    def _own(self, turn: Turn, reply_id: str) -> Response | None:
        number = parse_id(reply_id)
        reply = self.replies.get(number) if number is not None else None
        return reply if reply is not None and reply.user_id == turn.reader.user_id else None

    @action("redit", "reply_id")
    def begin_edit(self, turn: Turn, reply_id: str) -> Outcome:
        reply = self._own(turn, reply_id)
        if reply is None:
            return turn.notice("notice_expired")
        if self.answers.is_banned(turn.reader.user_id):
            return turn.reply("banned")
        unsaved = self._start(turn, Flow("reply_edit", target=reply.id))
        text = turn.say("reply_edit_prompt", number=reply.id, text=quote(reply.text))
        return Outcome((*unsaved, Reply(text, ((turn.button("button_cancel", "cancel"),),))))

    def save_edit(self, turn: Turn, reply_id: int, body: str) -> Outcome:
        self.readers.set_flow(turn.reader.user_id, None)
        if self.store.answers.is_banned(turn.reader.user_id):  # banned while writing
            return Outcome((*turn.reply("banned").replies, *echo(turn, body)))
        current = self.replies.get(reply_id)
        if current is None or current.user_id != turn.reader.user_id:
            return self.refuse(turn, Problem("reply_gone"), body)
        status = self._status(turn, current)
        if current.status == "hidden" and not self._admin(turn):
            status = "pending"  # a hidden reply rewritten goes back to an admin
        saved = self.replies.edit(reply_id, body, status)
        assert saved is not None
        key = "reply_edited_pending" if status == "pending" else "reply_edited"
        confirmation = Reply(turn.say(key, number=saved.id), self._own_buttons(turn, saved))
        return Outcome((confirmation, *self._cards(saved, edited=True)))

    @action("rdel", "reply_id")
    def ask_delete(self, turn: Turn, reply_id: str) -> Outcome:
        reply = self._own(turn, reply_id)
        if reply is None:
            return turn.notice("notice_expired")
        rows = (
            (turn.button("button_confirm_delete", "rdel_yes", str(reply.id)),),
            (turn.button("button_cancel", "cancel"),),
        )
        item = response_item(turn, reply)
        return Outcome((Reply(turn.say("confirm_delete_reply", reply=item), rows),))

    @action("rdel_yes", "reply_id")
    def delete(self, turn: Turn, reply_id: str) -> Outcome:
        reply = self._own(turn, reply_id)
        if reply is None or not self.replies.delete(reply.id):
            return turn.notice("notice_expired")
        self.store.notices.drop_about_replies([reply.id])
        # the admins' cards are drawn again when they go: they say it was withdrawn
        card = card_id(reply.id)
        cards = redrawn({card: self.store.outbox.card_chats(card)})
        return Outcome((Reply(turn.say("reply_deleted"), edit=True), *cards))

    @action("rfull", "reply_id")
    def full(self, turn: Turn, reply_id: str) -> Outcome:
        number = parse_id(reply_id)
        reply = self.replies.get(number) if number is not None else None
        mine = reply is not None and reply.user_id == turn.reader.user_id
        if reply is None or not (reply.status == "published" or mine or self._admin(turn)):
            return turn.notice("notice_expired")
        return Outcome((Reply(response_item(turn, reply)),))

    # --- helpers -----------------------------------------------------------------------------

    def refuse(self, turn: Turn, problem: Problem, text: str | None) -> Outcome:
        """Say why the reply was refused, and give the reader's text back."""
        echoed = echo(turn, text) if text and text.strip() else ()
        key = REFUSALS.get(problem.key, problem.key)  # a reply has Cancel, not Skip
        return Outcome((Reply(turn.say(key, **problem.params)), *echoed))
