"""The outbox: messages for someone other than the person acting, kept until delivered.

A parcel is written in the same transaction as the change it reports (an answer saved, a
verdict, a deletion), so it exists exactly when the change does; a sender delivers it later,
retrying, and a restart resumes where it stopped. Each chat's parcels go out in order (but for
a digest, which waits on purpose, and new cards held after a bundle, see core/outbox.py). A card
(one answer's card in one admin's chat) has one message, edited in place: a newer version of a
card replaces an older one still waiting.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import timedelta

from bot.model.clock import stamp
from bot.model.replies import QUESTION_CARDS
from bot.storage.database import Database


@dataclass(frozen=True)
class Parcel:
    """One message waiting to be delivered; ``body`` is the core's serialized reply."""

    id: int
    chat_id: int
    body: str
    card: int | None
    attempts: int
    digest: bool = False


#: A parcel that brings an answer's or a reply's card its chat has not shown yet, and that
#: nobody in that chat asked for (a /pending or /unanswered card is sent "fresh"): what a busy
#: day bundles.
_NEW_CARD = (
    f"o.card IS NOT NULL AND o.card < {QUESTION_CARDS}"
    " AND NOT coalesce(json_extract(o.body, '$.fresh'), 0)"
    " AND NOT EXISTS (SELECT 1 FROM cards WHERE answer_id = o.card AND chat_id = o.chat_id)"
)


class OutboxStore:
    """Parcels waiting to be delivered, and the messages that show the cards."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def put(self, chat_id: int, body: str, card: int | None = None, delay: float = 0) -> int:
        """Queue a message for ``chat_id`` (to go in ``delay`` seconds); a card replaces the
        same card still waiting."""
        now = self.db.now()
        due = stamp(self.db.clock() + timedelta(seconds=delay)) if delay else now
        with self.db.transaction():
            if card is not None:
                # a card the admin asked for stays one they asked for when it is redrawn
                asked = self.db.execute(
                    "SELECT 1 FROM outbox WHERE card = ? AND chat_id = ?"
                    " AND json_extract(body, '$.fresh')",
                    (card, chat_id),
                ).fetchone()
                if asked:
                    body = json.dumps(json.loads(body) | {"fresh": True})
                self.db.execute(
                    "DELETE FROM outbox WHERE card = ? AND chat_id = ?", (card, chat_id)
                )
            cursor = self.db.execute(
                "INSERT INTO outbox (chat_id, body, card, created_at, due_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (chat_id, body, card, now, due),
            )
        return int(cursor.lastrowid or 0)

    def due(
        self,
        limit: int,
        chat_id: int | None = None,
        skip: Collection[int] = (),
        hold: Collection[int] = (),
    ) -> list[Parcel]:
        """The parcels to deliver now (to ``chat_id`` only, if given; none to the chats in
        ``skip``, and no new card to those in ``hold``), oldest first; none behind one of its
        chat's that waits for a later try (each chat's messages arrive in order), except behind
        a digest, which waits on purpose and has no order with the rest."""
        now = self.db.now()
        rows = self.db.execute(
            f"""
            SELECT id, chat_id, body, card, attempts, digest FROM outbox AS o
            WHERE due_at <= ? AND coalesce(?, chat_id) = chat_id AND NOT EXISTS (
                SELECT 1 FROM outbox AS earlier
                WHERE earlier.chat_id = o.chat_id AND earlier.id < o.id AND earlier.due_at > ?
                AND earlier.digest = 0
            )
            AND chat_id NOT IN (SELECT value FROM json_each(?))
            AND NOT (chat_id IN (SELECT value FROM json_each(?)) AND {_NEW_CARD})
            ORDER BY id LIMIT ?
            """,
            (now, chat_id, now, json.dumps(sorted(skip)), json.dumps(sorted(hold)), limit),
        )
        return [Parcel(int(i), int(c), str(b), k, int(a), bool(d)) for i, c, b, k, a, d in rows]

    def new_cards(self, chat_id: int, limit: int) -> list[Parcel]:
        """The cards due for ``chat_id`` that it does not show yet and did not ask for (see
        ``_NEW_CARD``), oldest first: what one bundle carries."""
        rows = self.db.execute(
            f"SELECT id, chat_id, body, card, attempts, digest FROM outbox AS o"
            f" WHERE chat_id = ? AND due_at <= ? AND {_NEW_CARD} ORDER BY id LIMIT ?",
            (chat_id, self.db.now(), limit),
        )
        return [Parcel(int(i), int(c), str(b), k, int(a), bool(d)) for i, c, b, k, a, d in rows]

    def waiting(self) -> int:
        """How many parcels are not delivered yet."""
        return int(self.db.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def delivered(self, parcel: Parcel, message_id: int | None) -> None:
        """``parcel`` reached its chat (as message ``message_id``, remembered for a card)."""
        with self.db.transaction():
            self.db.execute("DELETE FROM outbox WHERE id = ?", (parcel.id,))
            if parcel.card is not None and message_id is not None:
                self.db.execute(
                    "INSERT INTO cards (answer_id, chat_id, message_id) VALUES (?, ?, ?)"
                    " ON CONFLICT (answer_id, chat_id) DO UPDATE SET"
                    " message_id = excluded.message_id",
                    (parcel.card, parcel.chat_id, message_id),
                )

    def together(self) -> AbstractContextManager[None]:
        """One transaction for several of the calls here (a bundle's parcels)."""
        return self.db.transaction()

    def postpone(self, parcel: Parcel, seconds: float, *, count: bool = True) -> None:
        """Try ``parcel`` again in ``seconds``; ``count``: this was a failed attempt."""
        later = stamp(self.db.clock() + timedelta(seconds=max(1.0, seconds)))
        self.db.execute(
            "UPDATE outbox SET attempts = attempts + ?, due_at = ?, sending_at = NULL"
            " WHERE id = ?",
            (int(count), later, parcel.id),
        )

    def sending(self, parcel: Parcel) -> None:
        """``parcel`` is being handed to Telegram now (until delivered or postponed)."""
        self.db.execute(
            "UPDATE outbox SET sending_at = ? WHERE id = ?", (self.db.now(), parcel.id)
        )

    def reconcile(self) -> int:
        """After a crash, the parcels that were in flight: a message (which Telegram may have
        taken) is not sent again, so nothing arrives twice; a card is drawn again, in place
        where it is shown. How many messages were dropped."""
        with self.db.transaction():
            dropped = self.db.execute(
                "DELETE FROM outbox WHERE sending_at IS NOT NULL AND card IS NULL AND digest = 0"
            ).rowcount
            self.db.execute("UPDATE outbox SET sending_at = NULL WHERE sending_at IS NOT NULL")
        return int(dropped)

    def unreachable(self, chat_id: int) -> None:
        """The chat blocked the bot: no notices for it until it writes again."""
        self.db.execute("UPDATE readers SET inactive = 1 WHERE user_id = ?", (chat_id,))

    def card_message(self, answer_id: int, chat_id: int) -> int | None:
        """The message that shows answer ``answer_id``'s card in ``chat_id``, if any."""
        row = self.db.execute(
            "SELECT message_id FROM cards WHERE answer_id = ? AND chat_id = ?",
            (answer_id, chat_id),
        ).fetchone()
        return int(row[0]) if row else None

    def card_chats(self, answer_id: int) -> list[int]:
        """The chats that show (or are about to be sent) answer ``answer_id``'s card."""
        rows = self.db.execute(
            "SELECT chat_id FROM cards WHERE answer_id = ?"
            " UNION SELECT chat_id FROM outbox WHERE card = ? ORDER BY 1",
            (answer_id, answer_id),
        )
        return [int(row[0]) for row in rows]

    def shown_from(self, first: int) -> dict[int, list[int]]:
        """The cards numbered from ``first`` on that some chat shows or is about to be sent:
        card -> its chats."""
        found: dict[int, list[int]] = {}
        for card, chat in self.db.execute(
            "SELECT answer_id, chat_id FROM cards WHERE answer_id >= ?"
            " UNION SELECT card, chat_id FROM outbox WHERE card >= ? ORDER BY 1, 2",
            (first, first),
        ):
            found.setdefault(int(card), []).append(int(chat))
        return found

    def discard(self, chat_id: int, cards: list[int]) -> None:
        """Drop the messages still waiting for ``chat_id`` (cards of other readers' answers
        stay, for an admin) and every waiting version of ``cards`` (a reader who asks to be
        forgotten leaves nothing of theirs queued)."""
        with self.db.transaction():
            self.db.execute("DELETE FROM outbox WHERE chat_id = ? AND card IS NULL", (chat_id,))
            for card in cards:
                self.db.execute("DELETE FROM outbox WHERE card = ?", (card,))
