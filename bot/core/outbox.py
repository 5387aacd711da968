"""Messages for other chats: posted to the outbox with the change they report, and handed to
an adapter to deliver (retrying what can be retried) as :class:`Delivery` items."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from bot.content.markup import Markup
from bot.core.events import Button, Outcome, Reply
from bot.storage.outbox import OutboxStore, Parcel

#: Tries of one parcel before it is given up (with the pauses below, about an hour and a half).
MAX_ATTEMPTS = 15
#: The longest pause between two tries, in seconds.
MAX_PAUSE = 600.0


@dataclass(frozen=True)
class Delivery:
    """One message to deliver: ``reply`` goes to ``parcel.chat_id``; ``message_id`` is the
    message to edit in place (a card already shown), if any."""

    parcel: Parcel
    reply: Reply
    message_id: int | None


def pack(reply: Reply) -> str:
    """``reply`` (text and buttons) as the outbox keeps it."""
    rows = [[dataclasses.asdict(button) for button in row] for row in reply.buttons]
    return json.dumps({"text": str(reply.text), "buttons": rows}, ensure_ascii=False)


def unpack(parcel: Parcel) -> Reply:
    body = json.loads(parcel.body)
    buttons = tuple(tuple(Button(**b) for b in row) for row in body["buttons"])
    return Reply(Markup(body["text"]), buttons, chat_id=parcel.chat_id, card=parcel.card)


class Outbox:
    """The core's side of the outbox."""

    def __init__(self, store: OutboxStore) -> None:
        self.store = store

    def post(self, outcome: Outcome, chat_id: int) -> Outcome:
        """Queue the outcome's messages for other chats (and cards, even to the acting chat:
        a card has one message per admin); the rest is the reply to the acting chat."""
        own: list[Reply] = []
        for reply in outcome.replies:
            if reply.chat_id is None or (reply.chat_id == chat_id and reply.card is None):
                own.append(reply)
            else:
                self.store.put(reply.chat_id, pack(reply), reply.card)
        posted = len(outcome.replies) - len(own)
        return Outcome(tuple(own), outcome.notice, outcome.posted + posted)

    def due(self, limit: int = 50, chat_id: int | None = None) -> list[Delivery]:
        """What to deliver now (to ``chat_id`` only, if given), each chat's in order."""
        return [
            Delivery(
                parcel,
                unpack(parcel),
                None
                if parcel.card is None
                else self.store.card_message(parcel.card, parcel.chat_id),
            )
            for parcel in self.store.due(limit, chat_id)
        ]

    def delivered(self, delivery: Delivery, message_id: int | None) -> None:
        """The message arrived (or can never arrive: a blocked chat, a refused message)."""
        self.store.delivered(delivery.parcel, message_id)

    def failed(self, delivery: Delivery, retry_after: float | None = None) -> bool:
        """A try failed for a passing reason: try again later (after ``retry_after`` seconds
        when Telegram said so). False when the parcel was given up after ``MAX_ATTEMPTS``."""
        attempts = delivery.parcel.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            self.store.delivered(delivery.parcel, None)
            return False
        pause = retry_after if retry_after is not None else min(2.0**attempts, MAX_PAUSE)
        self.store.postpone(delivery.parcel, pause)
        return True

    def waiting(self) -> int:
        return self.store.waiting()
