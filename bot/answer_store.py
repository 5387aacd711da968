"""Readers' answers to the title's question, their submissions and bans, in SQLite.

Every write is its own transaction, committed (synchronous=FULL) before the call returns, so a
confirmation the bot sends afterwards is never a lie, even if the process is killed right after.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.fingerprints import fingerprint, revision
from bot.timestamps import now
from bot.transaction import transaction

STANCES = ("separate", "integrate", "depends")
STATUSES = ("published", "pending", "hidden")


@dataclass(frozen=True)
class AnswerRecord:
    """A reader's answer as stored."""

    id: int
    user_id: int
    stance: str
    comment: str | None
    display_name: str | None
    lang: str
    status: str
    created_at: str
    updated_at: str

    @property
    def revision(self) -> str:
        """Changes whenever what an admin reviews (stance, comment, name) changes."""
        return revision(self.stance, self.comment, self.display_name)


_COLUMNS = "id, user_id, stance, comment, display_name, lang, status, created_at, updated_at"


class AnswerStore:
    """Answers, submissions and bans, on the store's connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def _one(self, where: str, *args: object) -> AnswerRecord | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM answers WHERE {where}", args).fetchone()
        return AnswerRecord(*row) if row else None

    def of_reader(self, user_id: int) -> AnswerRecord | None:
        return self._one("user_id = ?", user_id)

    def get(self, answer_id: int) -> AnswerRecord | None:
        return self._one("id = ?", answer_id)

    def save(
        self,
        user_id: int,
        stance: str,
        comment: str | None,
        display_name: str | None,
        lang: str,
        status: str,
    ) -> AnswerRecord:
        """Create or replace the reader's answer, and count the submission; committed on return."""
        stamp = now()
        mark = fingerprint(comment) if comment else None
        with transaction(self.db):
            self.db.execute(
                """
                INSERT INTO answers (user_id, stance, comment, display_name, lang, status,
                                     created_at, updated_at, fingerprint)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET
                    stance = excluded.stance, comment = excluded.comment,
                    display_name = excluded.display_name, lang = excluded.lang,
                    status = excluded.status, updated_at = excluded.updated_at,
                    fingerprint = excluded.fingerprint
                """,
                (user_id, stance, comment, display_name, lang, status, stamp, stamp, mark),
            )
            self.db.execute(
                "INSERT INTO submissions (user_id, fingerprint, created_at) VALUES (?, ?, ?)",
                (user_id, fingerprint(comment or f"({stance})"), stamp),
            )
        saved = self.of_reader(user_id)
        assert saved is not None
        return saved

    def update_display(
        self, user_id: int, display_name: str | None, status: str
    ) -> AnswerRecord | None:
        """Show the reader's answer under ``display_name`` (None: anonymous), with ``status``."""
        with transaction(self.db):
            self.db.execute(
                "UPDATE answers SET display_name = ?, status = ?, updated_at = ?"
                " WHERE user_id = ?",
                (display_name, status, now(), user_id),
            )
        return self.of_reader(user_id)

    def delete(self, user_id: int) -> bool:
        with transaction(self.db):
            return (
                self.db.execute("DELETE FROM answers WHERE user_id = ?", (user_id,)).rowcount > 0
            )

    def set_status(self, answer_id: int, status: str) -> AnswerRecord | None:
        with transaction(self.db):
            self.db.execute(
                "UPDATE answers SET status = ?, updated_at = ? WHERE id = ?",
                (status, now(), answer_id),
            )
        return self.get(answer_id)

    def recent_submissions(self, user_id: int, minutes: int) -> int:
        """How many answers the reader submitted in the last ``minutes``."""
        since = (datetime.now(UTC) - timedelta(minutes=minutes)).replace(microsecond=0)
        row = self.db.execute(
            "SELECT COUNT(*) FROM submissions WHERE user_id = ? AND created_at > ?",
            (user_id, since.isoformat()),
        ).fetchone()
        return int(row[0])

    def is_duplicate(self, user_id: int, comment: str) -> bool:
        """Whether the reader already sent this text, or someone's answer already says it."""
        mark = fingerprint(comment)
        found = self.db.execute(
            "SELECT 1 FROM submissions WHERE user_id = ? AND fingerprint = ?"
            " UNION ALL SELECT 1 FROM answers WHERE fingerprint = ? LIMIT 1",
            (user_id, mark, mark),
        ).fetchone()
        return found is not None

    def published(self, offset: int, limit: int) -> list[AnswerRecord]:
        """Published answers, newest first."""
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM answers WHERE status = 'published'"
            " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [AnswerRecord(*row) for row in rows]

    def count(self, status: str = "published") -> int:
        row = self.db.execute("SELECT COUNT(*) FROM answers WHERE status = ?", (status,))
        return int(row.fetchone()[0])

    def pending(self, limit: int = 20) -> list[AnswerRecord]:
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM answers WHERE status = 'pending' ORDER BY created_at LIMIT ?",
            (limit,),
        )
        return [AnswerRecord(*row) for row in rows]

    def tally(self, including: int | None = None) -> dict[str, int]:
        """Published answers per stance (plus reader ``including``'s own, whatever its status)."""
        counts = dict.fromkeys(STANCES, 0)
        rows = self.db.execute(
            "SELECT stance, COUNT(*) FROM answers WHERE status = 'published'"
            " OR (user_id = ? AND status != 'hidden') GROUP BY stance",
            (including if including is not None else -1,),
        )
        for stance, count in rows:
            counts[stance] = int(count)
        return counts

    def other_view(self, user_id: int, stance: str) -> AnswerRecord | None:
        """The newest published answer, with a comment, from someone of a different stance."""
        return self._one(
            "status = 'published' AND user_id != ? AND stance != ? AND comment IS NOT NULL"
            " ORDER BY created_at DESC, id DESC LIMIT 1",
            user_id,
            stance,
        )

    def all(self) -> list[AnswerRecord]:
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM answers ORDER BY id")
        return [AnswerRecord(*row) for row in rows]

    def ban(self, user_id: int, by: int) -> None:
        """Ban a reader from answering, and hide their answer."""
        with transaction(self.db):
            self.db.execute(
                "INSERT OR IGNORE INTO bans (user_id, banned_by, banned_at) VALUES (?, ?, ?)",
                (user_id, by, now()),
            )
            self.db.execute(
                "UPDATE answers SET status = 'hidden', updated_at = ? WHERE user_id = ?",
                (now(), user_id),
            )

    def is_banned(self, user_id: int) -> bool:
        row = self.db.execute("SELECT 1 FROM bans WHERE user_id = ?", (user_id,)).fetchone()
        return row is not None
