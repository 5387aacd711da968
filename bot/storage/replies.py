"""Replies to answers, in SQLite: written, edited and deleted by their writer, moderated like
answers, and counted under each answer."""

from __future__ import annotations

import json
from collections.abc import Iterable

from bot.model.fingerprints import fingerprint
from bot.model.replies import Response
from bot.storage.database import Database

_COLUMNS = (
    "id, answer_id, user_id, text, display_name, by_author, lang, status, created_at, updated_at"
)


def _response(row: tuple[object, ...]) -> Response:
    values = list(row)
    values[5] = bool(values[5])
    return Response(*values)  # type: ignore[arg-type]


class ReplyStore:
    """Replies and who wrote each."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _many(self, where: str, *args: object) -> list[Response]:
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM replies WHERE {where}", args)
        return [_response(row) for row in rows]

    def get(self, reply_id: int) -> Response | None:
        found = self._many("id = ?", reply_id)
        return found[0] if found else None

    def add(
        self,
        answer_id: int,
        user_id: int,
        text: str,
        display_name: str | None,
        *,
        by_author: bool,
        lang: str,
        status: str,
    ) -> Response:
        """Save a new reply and count the submission (the rate limit is shared with answers)."""
        now = self.db.now()
        with self.db.transaction():
            self.db.durable()
            cursor = self.db.execute(
                "INSERT INTO replies (answer_id, user_id, text, display_name, by_author, lang,"
                " status, created_at, updated_at, fingerprint)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    answer_id,
                    user_id,
                    text,
                    display_name,
                    int(by_author),
                    lang,
                    status,
                    now,
                    now,
                    fingerprint(text),
                ),
            )
            reply_id = int(cursor.lastrowid or 0)
            self.db.execute(
                "INSERT INTO reply_authors (reply_id, user_id) VALUES (?, ?)", (reply_id, user_id)
            )
            self._count(user_id, text, now)
        saved = self.get(reply_id)
        assert saved is not None
        return saved

    def edit(self, reply_id: int, text: str, status: str) -> Response | None:
        now = self.db.now()
        with self.db.transaction():
            self.db.durable()
            self.db.execute(
                "UPDATE replies SET text = ?, status = ?, updated_at = ?, fingerprint = ?"
                " WHERE id = ?",
                (text, status, now, fingerprint(text), reply_id),
            )
            found = self.get(reply_id)
            if found is not None:
                self._count(found.user_id, text, now)
        return found

    def _count(self, user_id: int, text: str, now: str) -> None:
        self.db.execute(
            "INSERT INTO submissions (user_id, fingerprint, created_at) VALUES (?, ?, ?)",
            (user_id, fingerprint(text), now),
        )

    def under(self, answer_ids: list[int]) -> list[int]:
        """The ids of every reply to these answers, whatever its status."""
        rows = self.db.execute(
            "SELECT id FROM replies WHERE answer_id IN (SELECT value FROM json_each(?))"
            " ORDER BY id",
            (json.dumps(sorted(set(answer_ids))),),
        )
        return [int(row[0]) for row in rows]

    def of_answer(self, answer_id: int) -> list[Response]:
        """Every reply to answer ``answer_id``, whatever its status, oldest first."""
        return self._many("answer_id = ? ORDER BY id", answer_id)

    def written_by(self, user_id: int) -> bool:
        """Whether the reader has a reply standing (not one written as the author)."""
        return bool(self._many("user_id = ? AND by_author = 0 LIMIT 1", user_id))

    def rename(self, user_id: int, display_name: str | None) -> list[int]:
        """Show the reader's replies (not those they wrote as the author) under
        ``display_name`` (None: anonymous): the ids of those that changed."""
        where = "user_id = ? AND by_author = 0 AND display_name IS NOT ?"
        with self.db.transaction():  # no RETURNING: SQLite before 3.35 lacks it
            rows = self.db.execute(
                f"SELECT id FROM replies WHERE {where}", (user_id, display_name)
            ).fetchall()
            self.db.execute(
                f"UPDATE replies SET display_name = ? WHERE {where}",
                (display_name, user_id, display_name),
            )
        return sorted(int(row[0]) for row in rows)

    def delete(self, reply_id: int) -> bool:
        with self.db.transaction():
            return self.db.execute("DELETE FROM replies WHERE id = ?", (reply_id,)).rowcount > 0

    def set_status(self, reply_id: int, status: str) -> Response | None:
        """An admin's verdict: a hidden reply puts its writer under review (as a hidden answer
        does); an approved one lifts it."""
        now = self.db.now()
        with self.db.transaction():
            self.db.execute(
                "UPDATE replies SET status = ?, updated_at = ? WHERE id = ?",
                (status, now, reply_id),
            )
            author = self.author(reply_id)
            if author is not None and status == "hidden":
                self.db.execute(
                    "INSERT OR IGNORE INTO reviews (user_id, since) VALUES (?, ?)", (author, now)
                )
            elif author is not None and status == "published":
                self.db.execute("DELETE FROM reviews WHERE user_id = ?", (author,))
        return self.get(reply_id)

    def author(self, reply_id: int) -> int | None:
        """Who wrote reply ``reply_id``, even after it was deleted."""
        row = self.db.execute(
            "SELECT user_id FROM reply_authors WHERE reply_id = ?", (reply_id,)
        ).fetchone()
        return int(row[0]) if row else None

    def numbers_of(self, user_id: int) -> list[int]:
        rows = self.db.execute(
            "SELECT reply_id FROM reply_authors WHERE user_id = ? ORDER BY 1", (user_id,)
        )
        return [int(row[0]) for row in rows]

    def thread(self, answer_id: int, viewer: int, offset: int, limit: int) -> list[Response]:
        """The replies under an answer that ``viewer`` may see (published ones, and their own
        unless hidden), oldest first."""
        return self._many(
            "answer_id = ? AND (status = 'published' OR (user_id = ? AND status != 'hidden'))"
            " ORDER BY id LIMIT ? OFFSET ?",
            answer_id,
            viewer,
            limit,
            offset,
        )

    def thread_size(self, answer_id: int, viewer: int) -> int:
        row = self.db.execute(
            "SELECT COUNT(*) FROM replies WHERE answer_id = ?"
            " AND (status = 'published' OR (user_id = ? AND status != 'hidden'))",
            (answer_id, viewer),
        ).fetchone()
        return int(row[0])

    def counts(self, answer_ids: Iterable[int]) -> dict[int, int]:
        """Published replies per answer."""
        rows = self.db.execute(
            "SELECT answer_id, COUNT(*) FROM replies WHERE status = 'published'"
            " AND answer_id IN (SELECT value FROM json_each(?)) GROUP BY answer_id",
            (json.dumps(sorted(set(answer_ids))),),
        )
        return {int(a): int(n) for a, n in rows}

    def count_pending(self) -> int:
        row = self.db.execute("SELECT count(*) FROM replies WHERE status = 'pending'").fetchone()
        return int(row[0])

    def pending(self, limit: int) -> list[Response]:
        return self._many("status = 'pending' ORDER BY id LIMIT ?", limit)

    def is_duplicate(self, user_id: int, answer_id: int, text: str) -> bool:
        """Whether the reader already sent this text, or a published reply under the same
        answer already says it."""
        mark = fingerprint(text)
        found = self.db.execute(
            "SELECT 1 FROM submissions WHERE user_id = ? AND fingerprint = ?"
            " UNION ALL SELECT 1 FROM replies WHERE answer_id = ? AND fingerprint = ?"
            " AND status = 'published' LIMIT 1",
            (user_id, mark, answer_id, mark),
        ).fetchone()
        return found is not None

    def of_reader(self, user_id: int) -> list[Response]:
        return self._many("user_id = ? ORDER BY id", user_id)

    def all(self) -> list[Response]:
        return self._many("1 ORDER BY id")
