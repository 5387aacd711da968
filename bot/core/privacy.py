"""The reader's data: /privacy says what is kept and why, /mydata sends all of it, /forget
deletes all of it after a confirmation."""

from __future__ import annotations

import json

from bot.content.catalog import Content
from bot.content.markup import Markup
from bot.core.events import Document, Outcome, Reply
from bot.core.news.notify import given_back
from bot.core.registry import action, command
from bot.core.turn import Turn
from bot.core.views import redrawn, withdrawn_cards
from bot.model.clock import Clock, stamp_before
from bot.model.limits import RATE_MINUTES
from bot.model.replies import QUESTION_CARDS, card_id
from bot.storage.store import Store


class Privacy:
    """What a reader can see and erase about themselves."""

    def __init__(self, content: Content, store: Store, clock: Clock) -> None:
        self.content = content
        self.store = store
        self.clock = clock

    @command("privacy", menu=12)
    def policy(self, turn: Turn, argument: str = "") -> Outcome:
        """/privacy: what is stored about a reader and why, in a few lines; /mydata, /forget."""
        return turn.reply("privacy")

    @command("mydata", menu=7)
    def mydata(self, turn: Turn, argument: str = "") -> Outcome:
        """Everything stored about the reader, as a JSON document."""
        data = self.store.personal_data(turn.reader.user_id)
        body = json.dumps(data, ensure_ascii=False, indent=2).encode()
        document = Document("essaybot-mydata.json", body + b"\n", "application/json")
        reader = data["reader"] or {}
        summary = turn.say(  # in words first: the file is for whoever wants every detail
            "mydata_summary",
            part=reader.get("furthest_part") or 0,
            questions=len(data["questions"]),
            answer=turn.say("mydata_yes" if data["answer"] else "mydata_no"),
            votes=len(data["votes"]),
            replies=len(data["replies"]),
            brought=data["readers_brought"],
        )
        caption = Markup(f"{summary}\n\n{turn.say('mydata_caption')}")  # within 1,024
        return Outcome((Reply(caption, document=document),))

    @command("forget", menu=9)
    def ask_forget(self, turn: Turn, argument: str = "") -> Outcome:
        """/forget: ask for a confirmation first."""
        rows = (
            (turn.button("button_forget", "forget_yes"),),
            (turn.button("button_cancel", "cancel"),),
        )
        return Outcome((Reply(turn.say("forget_confirm"), rows),))

    @action("forget_yes")
    def forget(self, turn: Turn) -> Outcome:
        """Delete everything about the reader, except what the rate limit's window needs; the
        admins' cards of their answers lose the text."""
        user = turn.reader.user_id
        chats = {n: self.store.outbox.card_chats(n) for n in self.store.answers.numbers_of(user)}
        answered = self.store.answers.numbers_of(user)
        replies = self.store.replies.numbers_of(user) + self.store.replies.under(answered)
        reply_chats = {card_id(n): self.store.outbox.card_chats(card_id(n)) for n in replies}
        # every /unanswered group shown: theirs may head one or be listed under another's
        reply_chats.update(self.store.outbox.shown_from(QUESTION_CARDS))
        # whoever replied to their answer gets the text of their reply back
        back = [
            given_back(self.store, self.content, n, user, self.store.replies.of_answer(n))
            for n in answered
        ]
        self.store.forget(user, stamp_before(self.clock(), RATE_MINUTES))
        cards = [withdrawn_cards(turn, n, c, "card_forgotten") for n, c in chats.items()]
        # the cards of their replies, and of replies to their answer, are drawn again when
        # they go: "forgotten", "withdrawn"
        gone = redrawn(reply_chats)
        done = Reply(turn.say("forget_done"), edit=True)
        return Outcome((done, *sum(cards, ()), *gone, *sum(back, ())))
