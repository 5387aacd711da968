"""The reader's data: /mydata sends all of it, /forget deletes all of it after a confirmation."""

from __future__ import annotations

import json

from bot.answering import RATE_MINUTES
from bot.conversation import Document, Outcome, Reply
from bot.store import Store
from bot.turn import Turn


class Privacy:
    """What a reader can see and erase about themselves."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def mydata(self, turn: Turn, _: str = "") -> Outcome:
        """Everything stored about the reader, as a JSON document."""
        data = self.store.personal_data(turn.reader.user_id)
        body = json.dumps(data, ensure_ascii=False, indent=2).encode()
        document = Document("essaybot-mydata.json", body + b"\n", "application/json")
        return Outcome((Reply(turn.say("mydata_caption"), document=document),))

    def ask_forget(self, turn: Turn, _: str = "") -> Outcome:
        """/forget: ask for a confirmation first."""
        rows = (
            (turn.button("button_forget", "forget_yes"),),
            (turn.button("button_cancel", "cancel"),),
        )
        return Outcome((Reply(turn.say("forget_confirm"), rows),))

    def forget(self, turn: Turn) -> Outcome:
        """Delete everything about the reader."""
        self.store.forget(turn.reader.user_id, keep_minutes=RATE_MINUTES)
        return Outcome((Reply(turn.say("forget_done"), edit=True),))
