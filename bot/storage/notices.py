"""Notices for readers (a reply to their answer, their answer published, their question
answered at last), gathered and sent as one message at most every ``BUNDLE_MINUTES``, and each
reader's choice about them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.model.clock import stamp
from bot.storage.database import Database

#: At most one notification message per reader in this many minutes.
BUNDLE_MINUTES = 10


@dataclass(frozen=True)
class Notice:
    id: int
    key: str
    params: dict[str, object]


class NoticeStore:
    """Notices waiting for their reader, and readers' notification settings."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def settings(self, user_id: int) -> tuple[bool | None, bool]:
        """Whether the reader wants notifications (None: not asked yet), and whether they can
        still be reached (False once they blocked the bot, until they write again)."""
        row = self.db.execute(
            "SELECT notify, inactive FROM readers WHERE user_id = ?", (user_id,)
        ).fetchone()
        if row is None:
            return None, False
        return (None if row[0] is None else bool(row[0])), not row[1]

    def set_notify(self, user_id: int, on: bool) -> None:
        """The reader's choice; saying no also drops the news already waiting for them (and
        the message that would have carried it)."""
        with self.db.transaction():
            self.db.execute(
                "UPDATE readers SET notify = ?, notify_asked = 1 WHERE user_id = ?",
                (int(on), user_id),
            )
            if not on:
                self.discard(user_id)

    def asked(self, user_id: int) -> bool:
        """Whether the bot already asked the reader (once is enough, whatever they did)."""
        row = self.db.execute(
            "SELECT notify_asked FROM readers WHERE user_id = ?", (user_id,)
        ).fetchone()
        return bool(row and row[0])

    def set_asked(self, user_id: int) -> None:
        self.db.execute("UPDATE readers SET notify_asked = 1 WHERE user_id = ?", (user_id,))

    def set_inactive(self, user_id: int, inactive: bool = True) -> None:
        self.db.execute(
            "UPDATE readers SET inactive = ? WHERE user_id = ?", (int(inactive), user_id)
        )

    def add(self, user_id: int, key: str, **params: object) -> None:
        """Queue a notice for the reader, and the one message that will carry it (not before
        ``BUNDLE_MINUTES`` after the last one)."""
        now = self.db.now()
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO notices (user_id, key, params, created_at) VALUES (?, ?, ?, ?)",
                (user_id, key, json.dumps(params, ensure_ascii=False), now),
            )
            self.schedule(user_id)

    def schedule(self, user_id: int) -> None:
        """Make sure one message will carry the reader's waiting notices, not before
        ``BUNDLE_MINUTES`` after the last one."""
        now = self.db.now()
        with self.db.transaction():
            waiting = self.db.execute(
                "SELECT 1 FROM outbox WHERE chat_id = ? AND digest = 1", (user_id,)
            ).fetchone()
            if waiting:
                return
            row = self.db.execute(
                "SELECT notified_at FROM readers WHERE user_id = ?", (user_id,)
            ).fetchone()
            due = now
            if row and row[0]:
                later = datetime.fromisoformat(row[0]) + timedelta(minutes=BUNDLE_MINUTES)
                due = max(now, stamp(later))
            self.db.execute(
                "INSERT INTO outbox (chat_id, body, card, created_at, due_at, digest)"
                " VALUES (?, ?, NULL, ?, ?, 1)",
                (user_id, json.dumps({"digest": True}), now, due),
            )

    def waiting(self, user_id: int) -> list[Notice]:
        rows = self.db.execute(
            "SELECT id, key, params FROM notices WHERE user_id = ? ORDER BY id", (user_id,)
        )
        return [Notice(int(i), str(k), json.loads(p)) for i, k, p in rows]

    def sent(self, user_id: int, upto: int) -> None:
        """The notices up to ``upto`` reached the reader: drop them, remember when."""
        with self.db.transaction():
            self.db.execute("DELETE FROM notices WHERE user_id = ? AND id <= ?", (user_id, upto))
            self.db.execute(
                "UPDATE readers SET notified_at = ? WHERE user_id = ?", (self.db.now(), user_id)
            )

    def drop(self, user_id: int, upto: int) -> None:
        """Forget the reader's notices up to ``upto`` without telling them (nothing in them
        holds any more)."""
        self.db.execute("DELETE FROM notices WHERE user_id = ? AND id <= ?", (user_id, upto))

    def drop_about_replies(self, reply_ids: list[int]) -> None:
        """Forget the news of these replies (deleted, or their writer forgotten): no one hears
        of them, and their writers' names leave other readers' waiting news."""
        self.db.execute(
            "DELETE FROM notices WHERE json_extract(params, '$.reply') IN"
            " (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(reply_ids))),),
        )

    def discard(self, user_id: int) -> None:
        """Drop the news waiting for the reader and the message that would carry it."""
        self.db.execute("DELETE FROM notices WHERE user_id = ?", (user_id,))
        self.db.execute("DELETE FROM outbox WHERE chat_id = ? AND digest = 1", (user_id,))
