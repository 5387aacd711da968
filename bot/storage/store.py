"""The bot's store: one SQLite database, migrated on open, with readers, answers and the
queries the author reads.

One connection, used from one thread at a time (the Telegram adapter calls the core from its
event loop only; an export reads on a connection of its own, on another thread).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from bot.model.clock import Clock, system_clock
from bot.model.replies import card_id
from bot.storage import statistics
from bot.storage.answers import AnswerStore
from bot.storage.database import Database, StoreError
from bot.storage.journal import UpdateJournal
from bot.storage.migrations import MIGRATIONS, migrate
from bot.storage.notices import NoticeStore
from bot.storage.outbox import OutboxStore
from bot.storage.questions import QuestionStore
from bot.storage.readers import ReaderStore
from bot.storage.replies import ReplyStore
from bot.storage.votes import VoteStore

#: Every answer's row and every reply's row, for the export.
Rows = Iterator[dict[str, object]]
#: Makes the two export files from the answers' rows and the replies' rows.
Render = Callable[[Rows, Rows], tuple[bytes, bytes]]


class Store:
    """The bot's SQLite database."""

    def __init__(self, path: str, clock: Clock = system_clock, *, read_only: bool = False) -> None:
        """``read_only``: the author's reports read an existing database as it is."""
        self.db = Database(path, clock, read_only=read_only)
        try:
            if read_only:
                self._check_current(path)
            else:
                migrate(self.db)
        except sqlite3.Error as error:
            self.db.close()
            raise StoreError(
                f"the database {path!r} cannot be used ({error}): is it an essaybot database,"
                " and writable?"
            ) from error
        self.readers = ReaderStore(self.db)
        self.answers = AnswerStore(self.db)
        self.questions = QuestionStore(self.db)
        self.outbox = OutboxStore(self.db)
        self.votes = VoteStore(self.db)
        self.replies = ReplyStore(self.db)
        self.notices = NoticeStore(self.db)
        self.journal = UpdateJournal(self.db)

    def _check_current(self, path: str) -> None:
        """A database read as it is must have every migration this code knows."""
        rows = self.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_migrations'"
        ).fetchall()
        done = {r[0] for r in self.db.execute("SELECT name FROM _migrations")} if rows else set()
        if missing := [name for name, _ in MIGRATIONS if name not in done]:
            self.db.close()
            raise StoreError(
                f"the database {path!r} lacks {len(missing)} migration(s): start the bot once"
                " (essaybot run applies them), then run this again"
            )

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything in the block commits once, at its end, or not at all."""
        with self.db.transaction():
            yield

    def admin_menus(self) -> set[int]:
        """The readers who were given the admins' command menu."""
        return {int(row[0]) for row in self.db.execute("SELECT user_id FROM admin_menus")}

    def set_admin_menus(self, user_ids: set[int]) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM admin_menus")
            for user_id in sorted(user_ids):
                self.db.execute("INSERT INTO admin_menus (user_id) VALUES (?)", (user_id,))

    def stats(self, parts: int, admins: Collection[int] = ()) -> statistics.Stats:
        """The numbers behind /stats, for an essay of ``parts`` parts (``admins`` are not
        counted as readers)."""
        return statistics.stats(self.db, parts, admins)

    def export_rows(self, parts: int) -> list[dict[str, object]]:
        """Every answer, whatever its status, as plain rows, with its votes, replies and its
        writer's before-reading stance and whether they read all ``parts``."""
        return list(statistics.iter_export_rows(self.db, parts))

    def export_counts(self) -> tuple[int, int]:
        """How many answers and replies the export holds (whatever their status)."""
        answers = self.db.execute("SELECT count(*) FROM answers").fetchone()[0]
        replies = self.db.execute("SELECT count(*) FROM replies").fetchone()[0]
        return int(answers), int(replies)

    def exporter(self, parts: int, render: Render) -> Callable[[], tuple[bytes, bytes]]:
        """The two export files, ``render`` made from every answer's and every reply's rows as
        they are read (never all held at once), when called and, for a database file, on a
        connection of its own and in one consistent view: an export can run on another thread
        and never holds the bot's connection (other readers go on meanwhile). Called twice, it
        reads once."""

        def made(store: Store) -> tuple[bytes, bytes]:
            return render(
                statistics.iter_export_rows(store.db, parts), statistics.iter_reply_rows(store.db)
            )

        if self.db.path == ":memory:":  # no other connection sees it: read it now
            now = made(self)
            return lambda: now

        @cache
        def read() -> tuple[bytes, bytes]:
            snapshot = Store(self.db.path, self.db.clock)
            try:
                with snapshot.db.reading():  # one consistent view for both files, no lock
                    return made(snapshot)
            finally:
                snapshot.close()

        return read

    def export_replies(self) -> list[dict[str, object]]:
        """Every reply, whatever its status, as plain rows."""
        return list(statistics.iter_reply_rows(self.db))

    def personal_data(self, user_id: int) -> dict[str, Any]:
        """Everything stored about a reader, for /mydata."""

        def rows(sql: str) -> list[dict[str, Any]]:
            return [dict(row) for row in self.db.execute(sql, (user_id,))]

        readers = rows("SELECT * FROM readers WHERE user_id = ?")
        for reader in readers:  # who shared the link they came by is that reader's business
            reader["referrer"] = reader["referrer"] is not None
        answers = rows("SELECT * FROM answers WHERE user_id = ?")
        bans = rows("SELECT banned_at FROM bans WHERE user_id = ?")  # not which admin
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
            "under_review": bool(rows("SELECT since FROM reviews WHERE user_id = ?")),
            "answer_numbers": self.answers.numbers_of(user_id),
            "readers_brought": self.readers.brought(user_id),
            "taught_phrasings": rows(
                "SELECT topic, phrase, created_at FROM learned_aliases WHERE asked_by = ?"
            ),
            "votes": self.votes.of_reader(user_id),
            "replies": rows(
                "SELECT id, answer_id, text, display_name, lang, status, created_at, updated_at"
                " FROM replies WHERE user_id = ? ORDER BY id"
            ),
            "reply_numbers": self.replies.numbers_of(user_id),
            "before_reading": readers[0].get("before_stance") if readers else None,
            "after_reading": answers[0].get("stance") if answers else None,
            "notifications": {None: "not chosen", 1: "on", 0: "off"}[
                readers[0].get("notify") if readers else None
            ],
            "notices_waiting": rows(
                "SELECT key, params, created_at FROM notices WHERE user_id = ?"
            ),
        }

    def forget(self, user_id: int, keep_since: str) -> None:
        """Delete everything stored about a reader. A ban stays, and so do the submissions
        (times and hashes only) and the questions' times (their text gone) after the stamp
        ``keep_since``, so that neither the ban nor a rate limit can be wiped away."""
        since = keep_since
        with self.db.transaction():
            answered = self.answers.numbers_of(user_id)
            under = self.replies.under(answered)
            # news of their replies, and of replies to their answer, is not news any more
            self.notices.drop_about_replies(self.replies.numbers_of(user_id) + under)
            for reply_id in under:  # replies to their answer
                self.replies.delete(reply_id)
            for answer_id in answered:  # votes on their answer
                self.votes.clear_answer(answer_id)
            self.db.execute(  # a recent question's time stays for the rate limit, nothing else
                "UPDATE questions SET text = '', topic = NULL, resolution = 'forgotten'"
                " WHERE user_id = ? AND created_at > ?",
                (user_id, since),
            )
            self.db.execute(
                "DELETE FROM questions WHERE user_id = ? AND created_at <= ?", (user_id, since)
            )
            for table in ("answers", "readers", "votes", "replies", "notices"):
                self.db.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
            # the readers they brought stay, counted by source, but no longer linked to them
            self.db.execute("UPDATE readers SET referrer = NULL WHERE referrer = ?", (user_id,))
            # who wrote which answer id stays (an old card still bans the right reader), and so
            # does being under review: deleting never dodges moderation
            # a phrasing learned from the reader's words goes with them
            self.db.execute("DELETE FROM learned_aliases WHERE asked_by = ?", (user_id,))
            self.db.execute(
                "DELETE FROM submissions WHERE user_id = ? AND created_at <= ?", (user_id, since)
            )
            # nothing of theirs waits in the outbox: no card with their text, no message to them
            cards = self.answers.numbers_of(user_id)
            cards += [card_id(n) for n in self.replies.numbers_of(user_id)]
            self.outbox.discard(user_id, cards)
        # secure_delete zeroes the rows in the pages written; the checkpoint leaves no old copy
        # of them in the write-ahead log
        self.db.after_commit(self.db.checkpoint)
