"""What the bot remembers, in SQLite: readers and where they are in the essay.

One connection, used from one thread at a time (the adapters run every call on a single
worker thread, so the event loop never waits on the disk).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.migrations import migrate


def now() -> str:
    """The current UTC time as ISO 8601, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class ReaderRecord:
    """A reader as stored."""

    user_id: int
    first_name: str
    language_code: str | None
    part_id: str | None
    furthest_part: int


class Store:
    """The bot's SQLite database."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        if path != ":memory:":
            self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA busy_timeout=5000")
        migrate(self.db)

    def close(self) -> None:
        self.db.close()

    def reader(self, user_id: int) -> ReaderRecord | None:
        row = self.db.execute(
            "SELECT user_id, first_name, language_code, part_id, furthest_part"
            " FROM readers WHERE user_id = ?",
            (user_id,),
        ).fetchone()
        return ReaderRecord(*row) if row else None

    def touch_reader(self, user_id: int, first_name: str, language_code: str | None) -> None:
        """Record that the reader was seen, creating them on first contact."""
        stamp = now()
        with self.db:
            self.db.execute(
                """
                INSERT INTO readers (user_id, first_name, language_code, created_at, seen_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET
                    first_name = excluded.first_name,
                    language_code = excluded.language_code,
                    seen_at = excluded.seen_at
                """,
                (user_id, first_name, language_code, stamp, stamp),
            )

    def record_question(
        self, user_id: int, text: str, lang: str, topic: str | None, score: int, outcome: str
    ) -> None:
        """Keep a reader's question with what it matched (the author reads the misses)."""
        with self.db:
            self.db.execute(
                "INSERT INTO questions (user_id, text, lang, topic, score, outcome, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user_id, text, lang, topic, score, outcome, now()),
            )

    def set_position(self, user_id: int, part_id: str, number: int) -> None:
        """Remember that the reader is at part ``part_id`` (number ``number``)."""
        with self.db:
            self.db.execute(
                "UPDATE readers SET part_id = ?, furthest_part = MAX(furthest_part, ?)"
                " WHERE user_id = ?",
                (part_id, number, user_id),
            )
