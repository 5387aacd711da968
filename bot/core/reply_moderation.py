"""The author's side of replies: their cards (drawn when they go, in the admin's language) and
the verdicts on them. Everything here is declared ``admin=True``."""

from __future__ import annotations

from bot.content.catalog import Content
from bot.core.events import Outcome, Reply
from bot.core.news.notify import reader_turn, tell, tell_replied
from bot.core.registry import action
from bot.core.turn import Turn
from bot.core.views import VERDICTS, redrawn, response_card
from bot.model.limits import parse_id
from bot.model.replies import card_id
from bot.storage.store import Store


class ReplyModeration:
    """Reply cards and verdicts."""

    def __init__(self, content: Content, store: Store) -> None:
        self.content = content
        self.store = store
        self.replies = store.replies

    def card_for(self, reply_id: int, chat_id: int, edited: bool) -> Reply:
        """Reply ``reply_id``'s card as it is now for the admin of ``chat_id``: the reply with
        its buttons, or what became of it (withdrawn, forgotten, its writer banned), keeping
        the Ban button."""
        turn = reader_turn(self.store, self.content, chat_id)
        card = card_id(reply_id)
        found = self._card(turn, reply_id, edited=edited)
        if found is not None:
            return Reply(found.text, found.buttons, chat_id=chat_id, card=card)
        author = self.replies.author(reply_id)
        key = "card_reply_withdrawn"
        if author is not None and self.store.readers.get(author) is None:
            key = "card_reply_forgotten"
        elif author is not None and self.store.answers.is_banned(author):
            key = "card_reply_banned"
        rows = ((turn.button("button_ban", "rmod", "ban", str(reply_id), "0", "c"),),)
        return Reply(turn.say(key, number=reply_id), rows, chat_id=chat_id, card=card)

    def _card(self, turn: Turn, reply_id: int, *, edited: bool = False) -> Reply | None:
        reply = self.replies.get(reply_id)
        if reply is None:
            return None
        reader = self.store.readers.get(reply.user_id)
        answer = self.store.answers.get(reply.answer_id)
        name = reader.first_name if reader else ""
        return response_card(turn, reply, name, answer, edited=edited)

    @action("rmod", "verb", "reply_id", "revision", "where", admin=True)
    def verdict(self, turn: Turn, verb: str, reply_id: str, seen: str, where: str) -> Outcome:
        """Approve, hide, or ban the reply's writer, from its card (``where`` "c") or from the
        answer's page ("t"). A card whose reply changed since is refreshed instead."""
        number = parse_id(reply_id)
        if verb not in (*VERDICTS, "ban") or number is None or where not in ("c", "t"):
            return turn.notice("notice_card_expired")
        reply = self.replies.get(number)
        author = reply.user_id if reply else self.replies.author(number)
        if author is None:
            return turn.notice("notice_card_expired")
        if reply is None and verb != "ban":
            return turn.notice("notice_answer_gone")
        if reply is not None and reply.revision != seen and (seen != "0" or verb != "ban"):
            card = self._card(turn, number)
            assert card is not None
            shown = (Reply(card.text, card.buttons, edit=True),) if where == "c" else ()
            return Outcome(shown, notice=str(turn.say("notice_answer_changed")))
        if verb == "ban":
            self.store.answers.ban(author, by=turn.reader.user_id)
            notice = turn.say("notice_banned", user_id=author)
        else:
            assert reply is not None
            status = VERDICTS[verb]
            self.replies.set_status(number, status)
            if reply.status == "pending":
                self._tell(reply.user_id, reply.answer_id, number, status)
            notice = turn.say(
                "notice_reply_moderated", number=number, status=turn.say(f"status_{status}")
            )
        # every admin's card of it shows the verdict (the acting one's too, after the edit)
        copies = redrawn({card_id(number): self.store.outbox.card_chats(card_id(number))})
        own: tuple[Reply, ...] = ()
        if where == "c":
            now = self.card_for(number, turn.reader.user_id, False)
            own = (Reply(now.text, now.buttons, edit=True),)
        return Outcome((*own, *copies), notice=str(notice))

    def _tell(self, writer: int, answer_id: int, number: int, status: str) -> None:
        """A held reply's writer hears its fate; once published, the answer's writer hears of
        it."""
        key = "news_reply_published" if status == "published" else "news_reply_hidden"
        tell(self.store, writer, key, own=True, answer=answer_id, number=number)
        if status == "published":
            reply = self.replies.get(number)
            if reply is not None:
                tell_replied(self.store, self.content, reply)
