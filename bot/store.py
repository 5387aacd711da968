"""What the bot remembers, in SQLite: readers and where they are in the essay.

One connection, used from one thread at a time (the adapters run every call on a single
worker thread, so the event loop never waits on the disk).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.answer_store import AnswerStore
from bot.migrations import migrate
from bot.timestamps import now
from bot.transaction import transaction


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
        self.answers = AnswerStore(self.db)

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
        with transaction(self.db):
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
        with transaction(self.db):
            self.db.execute(
                "INSERT INTO questions (user_id, text, lang, topic, score, outcome, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user_id, text, lang, topic, score, outcome, now()),
            )

    def flow(self, user_id: int) -> tuple[str | None, dict[str, Any]]:
        """The multi-step flow the reader is in (such as writing an answer), and its data."""
        row = self.db.execute(
            "SELECT flow, flow_data FROM readers WHERE user_id = ?", (user_id,)
        ).fetchone()
        if row is None or row[0] is None:
            return None, {}
        return row[0], json.loads(row[1] or "{}")

    def set_flow(self, user_id: int, flow: str | None, data: dict[str, Any] | None = None) -> None:
        """Enter ``flow`` with ``data`` (or leave any flow, with None); committed on return."""
        payload = json.dumps(data, ensure_ascii=False) if flow is not None else None
        with transaction(self.db):
            self.db.execute(
                "UPDATE readers SET flow = ?, flow_data = ? WHERE user_id = ?",
                (flow, payload, user_id),
            )

    def display(self, user_id: int) -> str | None:
        """How the reader chose to be shown next to answers: "name", "anonymous" or None."""
        row = self.db.execute("SELECT display FROM readers WHERE user_id = ?", (user_id,))
        found = row.fetchone()
        return str(found[0]) if found and found[0] else None

    def set_display(self, user_id: int, display: str) -> None:
        with transaction(self.db):
            self.db.execute("UPDATE readers SET display = ? WHERE user_id = ?", (display, user_id))

    def personal_data(self, user_id: int) -> dict[str, Any]:
        """Everything stored about a reader, for /mydata."""

        def rows(sql: str) -> list[dict[str, Any]]:
            return [dict(row) for row in self.db.execute(sql, (user_id,))]

        readers = rows("SELECT * FROM readers WHERE user_id = ?")
        answers = rows("SELECT * FROM answers WHERE user_id = ?")
        bans = rows("SELECT banned_at, banned_by FROM bans WHERE user_id = ?")
        return {
            "reader": readers[0] if readers else None,
            "answer": answers[0] if answers else None,
            "submissions": rows(
                "SELECT created_at, fingerprint FROM submissions WHERE user_id = ?"
            ),
            "questions": rows(
                "SELECT text, lang, topic, score, outcome, created_at FROM questions"
                " WHERE user_id = ? ORDER BY id"
            ),
            "ban": bans[0] if bans else None,
        }

    def forget(self, user_id: int, keep_minutes: int) -> None:
        """Delete everything stored about a reader. A ban stays, and so do the last
        ``keep_minutes`` of submissions (times and hashes only), so that neither the ban nor the
        rate limit can be wiped away."""
        since = (datetime.now(UTC) - timedelta(minutes=keep_minutes)).replace(microsecond=0)
        with transaction(self.db):
            for table in ("answers", "questions", "readers"):
                self.db.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
            self.db.execute(
                "DELETE FROM submissions WHERE user_id = ? AND created_at <= ?",
                (user_id, since.isoformat()),
            )

    def set_position(self, user_id: int, part_id: str, number: int) -> None:
        """Remember that the reader is at part ``part_id`` (number ``number``)."""
        with transaction(self.db):
            self.db.execute(
                "UPDATE readers SET part_id = ?, furthest_part = MAX(furthest_part, ?)"
                " WHERE user_id = ?",
                (part_id, number, user_id),
            )
