"""Readers' answers to the title's question, their submissions and bans, in SQLite.

Every write runs in a transaction of its own when called alone, or inside the transaction of
the reader event that called it; either way it is committed, and an answer's words synced to the
disk, before the bot confirms anything.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta

from bot.model.answers import STANCES, Answer
from bot.model.clock import stamp_before
from bot.model.fingerprints import fingerprint
from bot.model.limits import RATE_COUNT, RATE_MINUTES
from bot.storage.database import Database


def _ids(ids: list[int]) -> str:
    return json.dumps(sorted(set(ids)))


#: The sort keys of /answers' orders, newest first ("n") or by the kept cross-side rank ("a"),
#: each matching an index (with the status, and the stance for one stance's list).
_KEYS = {
    "n": ("created_at", "id"),
    "a": ("rank_score", "rank_votes", "created_at", "id"),
}

_COLUMNS = (
    "id, user_id, stance, comment, display_name, lang, status, created_at, updated_at, edited_at"
)


class AnswerStore:
    """Answers, submissions and bans."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _one(self, where: str, *args: object) -> Answer | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM answers WHERE {where}", args).fetchone()
        return Answer(*row) if row else None

    def _many(self, where: str, *args: object) -> list[Answer]:
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM answers WHERE {where}", args)
        return [Answer(*row) for row in rows]

    def of_reader(self, user_id: int) -> Answer | None:
        return self._one("user_id = ?", user_id)

    def get(self, answer_id: int) -> Answer | None:
        return self._one("id = ?", answer_id)

    def save(
        self,
        user_id: int,
        stance: str,
        comment: str | None,
        display_name: str | None,
        lang: str,
        status: str,
    ) -> Answer:
        """Create or replace the reader's answer, and count the submission."""
        now = self.db.now()
        mark = fingerprint(comment) if comment else None
        with self.db.transaction():
            self.db.durable()  # what a reader wrote reaches the disk before they are thanked
            before = self.of_reader(user_id)
            if before is not None and (before.stance, before.comment) != (stance, comment):
                # votes were about other words
                self.db.execute("DELETE FROM votes WHERE answer_id = ?", (before.id,))
            self.db.execute(
                """
                INSERT INTO answers (user_id, stance, comment, display_name, lang, status,
                                     created_at, updated_at, fingerprint)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET
                    stance = excluded.stance, comment = excluded.comment,
                    display_name = excluded.display_name, lang = excluded.lang,
                    status = excluded.status, updated_at = excluded.updated_at,
                    fingerprint = excluded.fingerprint,
                    edited_at = CASE WHEN answers.stance IS excluded.stance
                        AND answers.comment IS excluded.comment
                        THEN answers.edited_at ELSE excluded.updated_at END
                """,
                (user_id, stance, comment, display_name, lang, status, now, now, mark),
            )
            self.db.execute(
                "INSERT INTO submissions (user_id, fingerprint, created_at) VALUES (?, ?, ?)",
                (user_id, fingerprint(comment or f"({stance})"), now),
            )
            saved = self.of_reader(user_id)
            assert saved is not None
            self.db.execute(
                "INSERT OR IGNORE INTO answer_authors (answer_id, user_id) VALUES (?, ?)",
                (saved.id, user_id),
            )
        return saved

    def count_submission(self, user_id: int, what: str) -> None:
        """Count a change that is not a new answer (how it is shown) against the rate limit."""
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO submissions (user_id, fingerprint, created_at) VALUES (?, ?, ?)",
                (user_id, fingerprint(what), self.db.now()),
            )

    def update_display(self, user_id: int, display_name: str | None, status: str) -> Answer | None:
        """Show the reader's answer under ``display_name`` (None: anonymous), with ``status``."""
        with self.db.transaction():
            self.db.execute(
                "UPDATE answers SET display_name = ?, status = ?, updated_at = ?"
                " WHERE user_id = ?",
                (display_name, status, self.db.now(), user_id),
            )
        return self.of_reader(user_id)

    def delete(self, user_id: int) -> bool:
        """Delete the reader's answer, with the votes on it and the replies under it (which
        answered words that are gone)."""
        with self.db.transaction():
            for table in ("votes", "replies"):
                self.db.execute(
                    f"DELETE FROM {table} WHERE answer_id IN"
                    " (SELECT id FROM answers WHERE user_id = ?)",
                    (user_id,),
                )
            deleted = self.db.execute("DELETE FROM answers WHERE user_id = ?", (user_id,))
            return deleted.rowcount > 0

    def set_status(self, answer_id: int, status: str) -> Answer | None:
        """An admin's verdict: a hidden answer puts its reader under review (their next answers
        wait for an admin, whatever they delete); an approved one lifts it."""
        now = self.db.now()
        with self.db.transaction():
            self.db.execute(
                "UPDATE answers SET status = ?, updated_at = ? WHERE id = ?",
                (status, now, answer_id),
            )
            author = self.author(answer_id)
            if author is not None and status == "hidden":
                self.db.execute(
                    "INSERT OR IGNORE INTO reviews (user_id, since) VALUES (?, ?)", (author, now)
                )
            elif author is not None and status == "published":
                self.db.execute("DELETE FROM reviews WHERE user_id = ?", (author,))
        return self.get(answer_id)

    def author(self, answer_id: int) -> int | None:
        """The reader who wrote answer ``answer_id``, even if it has been deleted since."""
        row = self.db.execute(
            "SELECT user_id FROM answer_authors WHERE answer_id = ?", (answer_id,)
        ).fetchone()
        return int(row[0]) if row else None

    def numbers_of(self, user_id: int) -> list[int]:
        """The ids of every answer the reader wrote, deleted ones included."""
        rows = self.db.execute(
            "SELECT answer_id FROM answer_authors WHERE user_id = ? ORDER BY 1", (user_id,)
        )
        return [int(row[0]) for row in rows]

    def under_review(self, user_id: int) -> bool:
        """Whether the reader's answers wait for an admin (an earlier one was hidden)."""
        row = self.db.execute("SELECT 1 FROM reviews WHERE user_id = ?", (user_id,))
        return row.fetchone() is not None

    def wait_minutes(self, user_id: int) -> int:
        """How many minutes until the reader may submit again under the rate limit, shared by
        answers and replies: RATE_COUNT submissions in RATE_MINUTES (0: now)."""
        now = self.db.clock()
        rows = self.db.execute(
            "SELECT created_at FROM submissions WHERE user_id = ? AND created_at > ?"
            " ORDER BY created_at DESC LIMIT ?",
            (user_id, stamp_before(now, RATE_MINUTES), RATE_COUNT),
        ).fetchall()
        if len(rows) < RATE_COUNT:
            return 0
        frees = datetime.fromisoformat(rows[-1][0]) + timedelta(minutes=RATE_MINUTES)
        return max(1, math.ceil((frees - now).total_seconds() / 60))

    def submissions_since(self, user_id: int, since: str) -> int:
        """How many answers the reader submitted after the stamp ``since``."""
        row = self.db.execute(
            "SELECT COUNT(*) FROM submissions WHERE user_id = ? AND created_at > ?",
            (user_id, since),
        ).fetchone()
        return int(row[0])

    def is_duplicate(self, user_id: int, comment: str) -> bool:
        """Whether the reader already sent this text, or a published answer already says it (a
        text still waiting for an admin is nobody else's business)."""
        mark = fingerprint(comment)
        found = self.db.execute(
            "SELECT 1 FROM submissions WHERE user_id = ? AND fingerprint = ?"
            " UNION ALL SELECT 1 FROM answers WHERE fingerprint = ? AND status = 'published'"
            " LIMIT 1",
            (user_id, mark, mark),
        ).fetchone()
        return found is not None

    def published(self, offset: int, limit: int) -> list[Answer]:
        """Published answers, newest first."""
        return self._many(
            "status = 'published' ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
            limit,
            offset,
        )

    def count(self, status: str = "published") -> int:
        """Answers with ``status``, from the kept counts."""
        row = self.db.execute("SELECT SUM(n) FROM tally_counts WHERE status = ?", (status,))
        return int(row.fetchone()[0] or 0)

    def count_published(self, stance: str | None = None) -> int:
        """Published answers (of one stance, if given), from the kept counts."""
        row = self.db.execute(
            "SELECT SUM(n) FROM tally_counts WHERE status = 'published'"
            " AND coalesce(?, stance) = stance",
            (stance,),
        )
        return int(row.fetchone()[0] or 0)

    def page_ids(self, order: str, stance: str | None, skip: int, size: int) -> list[int]:
        """``size`` published answer ids after the first ``skip`` (of one stance, if given),
        newest first (order "n") or by the kept cross-side rank (order "a"), read through an
        index (for the first pages: deeper ones are read from a neighbour, ``page_ids_from``)."""
        by = ", ".join(f"{key} DESC" for key in _KEYS[order])
        where = "status = 'published'" + (" AND stance = ?" if stance else "")
        rows = self.db.execute(
            f"SELECT id FROM answers WHERE {where} ORDER BY {by} LIMIT ? OFFSET ?",
            (*([stance] if stance else []), size, skip),
        )
        return [int(row[0]) for row in rows]

    def page_ids_from(
        self, order: str, stance: str | None, anchor: int, how: str, size: int
    ) -> list[int] | None:
        """Up to ``size`` published answer ids in ``order`` (of one stance, if given) next to
        answer ``anchor``: ``how`` "after" it, "from" it on, or "before" it (still in the list's
        order). Keyset pagination: one range of an index, however deep the page. None if the
        anchor is gone."""
        keys = _KEYS[order]
        row = self.db.execute(
            f"SELECT {', '.join(keys)} FROM answers WHERE id = ?", (anchor,)
        ).fetchone()
        if row is None:
            return None
        op, direction = {"after": ("<", "DESC"), "from": ("<=", "DESC"), "before": (">", "")}[how]
        where = "status = 'published'" + (" AND stance = ?" if stance else "")
        by = ", ".join(f"{key} {direction}" for key in keys)
        rows = self.db.execute(
            f"SELECT id FROM answers WHERE {where} AND ({', '.join(keys)}) {op}"
            f" ({', '.join('?' * len(keys))}) ORDER BY {by} LIMIT ?",
            (*([stance] if stance else []), *row, size),
        )
        ids = [int(found[0]) for found in rows]
        return ids[::-1] if how == "before" else ids

    def most_agreed(self, stance: str) -> Answer | None:
        """The published answer of ``stance`` that ranks highest across sides (the first of
        /answers by agreement, that stance only)."""
        found = self.by_ids(self.page_ids("a", stance, 0, 1))
        return found[0] if found else None

    def by_ids(self, ids: list[int]) -> list[Answer]:
        """These answers, in the order given (ids not found are left out)."""
        found = {a.id: a for a in self._many("id IN (SELECT value FROM json_each(?))", _ids(ids))}
        return [found[i] for i in ids if i in found]

    def finished(self, user_ids: list[int], parts: int) -> set[int]:
        """Which of these readers reached the essay's last part."""
        rows = self.db.execute(
            "SELECT user_id FROM readers WHERE furthest_part >= ?"
            " AND user_id IN (SELECT value FROM json_each(?))",
            (parts, _ids(user_ids)),
        )
        return {int(row[0]) for row in rows}

    def moves(
        self, including: int | None = None, finished_parts: int | None = None
    ) -> list[tuple[str, str, int]]:
        """(before, after, readers): readers who gave a stance before reading and whose answer
        is published (plus reader ``including``'s own, whatever its status, as in the tally),
        by what they thought before and after (the same stance twice: they kept it); with
        ``finished_parts``, only readers who reached that part. From the kept counts."""
        found: dict[tuple[str, str], int] = {}
        rows = self.db.execute(
            "SELECT before_stance, stance, SUM(n) FROM tally_counts WHERE status = 'published'"
            " AND before_stance IN (SELECT value FROM json_each(?)) AND furthest_part >= ?"
            " GROUP BY 1, 2",
            (json.dumps(STANCES), finished_parts or 0),
        )
        for before, after, n in rows:
            if n:
                found[(str(before), str(after))] = int(n)
        own = self._own_unpublished(including, finished_parts)
        if own is not None and own[1] in STANCES:
            key = (own[1], own[0])
            found[key] = found.get(key, 0) + 1
        return sorted(
            ((b, a, n) for (b, a), n in found.items()), key=lambda m: (-m[2], m[0], m[1])
        )

    def _own_unpublished(
        self, user_id: int | None, finished_parts: int | None
    ) -> tuple[str, str | None] | None:
        """Reader ``user_id``'s answer when it counts for them though not yet published (it
        waits for an admin): its stance and their stance before reading."""
        if user_id is None:
            return None
        row = self.db.execute(
            "SELECT a.stance, r.before_stance FROM answers AS a"
            " LEFT JOIN readers AS r ON r.user_id = a.user_id WHERE a.user_id = ?"
            " AND a.status NOT IN ('published', 'hidden') AND coalesce(r.furthest_part, 0) >= ?",
            (user_id, finished_parts or 0),
        ).fetchone()
        return (str(row[0]), row[1]) if row else None

    def pending(self, limit: int) -> list[Answer]:
        return self._many("status = 'pending' ORDER BY created_at LIMIT ?", limit)

    def tally(
        self, including: int | None = None, finished_parts: int | None = None
    ) -> dict[str, int]:
        """Published answers per stance (plus reader ``including``'s own, whatever its status
        but hidden); with ``finished_parts``, only of readers who reached that part. From the
        kept counts."""
        counts = dict.fromkeys(STANCES, 0)
        rows = self.db.execute(
            "SELECT stance, SUM(n) FROM tally_counts WHERE status = 'published'"
            " AND furthest_part >= ? GROUP BY stance",
            (finished_parts or 0,),
        )
        for stance, count in rows:
            counts[stance] = int(count)
        own = self._own_unpublished(including, finished_parts)
        if own is not None:
            counts[own[0]] = counts.get(own[0], 0) + 1
        return counts

    def best_other_view(self, user_id: int, stance: str) -> int | None:
        """The published answer, with a comment, from a reader of another stance that ranks
        highest across sides (then by votes, then the newest), read through the rank's index
        once per other stance."""
        best: tuple[float, int, str, int] | None = None
        for other in STANCES:
            if other == stance:
                continue
            row = self.db.execute(
                "SELECT rank_score, rank_votes, created_at, id FROM answers"
                " WHERE status = 'published' AND stance = ? AND user_id != ?"
                " AND comment IS NOT NULL"
                " ORDER BY rank_score DESC, rank_votes DESC, created_at DESC, id DESC LIMIT 1",
                (other, user_id),
            ).fetchone()
            if row is not None and (best is None or tuple(row) > best):
                best = (float(row[0]), int(row[1]), str(row[2]), int(row[3]))
        return best[3] if best else None

    def all(self) -> list[Answer]:
        return self._many("1 ORDER BY id")

    def ban(self, user_id: int, by: int) -> None:
        """Ban a reader from answering, and hide their answer."""
        now = self.db.now()
        with self.db.transaction():
            self.db.execute(
                "INSERT OR IGNORE INTO bans (user_id, banned_by, banned_at) VALUES (?, ?, ?)",
                (user_id, by, now),
            )
            for table in ("answers", "replies"):  # their replies go with their answer
                self.db.execute(
                    f"UPDATE {table} SET status = 'hidden', updated_at = ? WHERE user_id = ?",
                    (now, user_id),
                )
            # lifting the ban later does not lift the review: their next answer waits
            self.db.execute(
                "INSERT OR IGNORE INTO reviews (user_id, since) VALUES (?, ?)", (user_id, now)
            )

    def unban(self, user_id: int) -> bool:
        with self.db.transaction():
            removed = self.db.execute("DELETE FROM bans WHERE user_id = ?", (user_id,))
            return removed.rowcount > 0

    def banned(self, limit: int) -> list[tuple[int, str]]:
        """Banned readers, newest ban first: (user id, when)."""
        rows = self.db.execute(
            "SELECT user_id, banned_at FROM bans ORDER BY banned_at DESC LIMIT ?", (limit,)
        )
        return [(int(user), str(when)) for user, when in rows]

    def is_banned(self, user_id: int) -> bool:
        row = self.db.execute("SELECT 1 FROM bans WHERE user_id = ?", (user_id,)).fetchone()
        return row is not None
