"""Readers in SQLite: who they are, where they are in the essay and in the answering flow, how
they want to be shown, and the questions they asked."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.model.flow import Flow
from bot.storage.database import Database


@dataclass(frozen=True)
class ReaderRecord:
    """A reader as stored."""

    user_id: int
    first_name: str
    language_code: str | None
    part_id: str | None
    furthest_part: int


class ReaderStore:
    """Readers and their questions."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, user_id: int) -> ReaderRecord | None:
        row = self.db.execute(
            "SELECT user_id, first_name, language_code, part_id, furthest_part"
            " FROM readers WHERE user_id = ?",
            (user_id,),
        ).fetchone()
        return ReaderRecord(*row) if row else None

    def touch(self, user_id: int, first_name: str, language_code: str | None) -> None:
        """Record that the reader was seen, creating them on first contact."""
        now = self.db.now()
        self.db.execute(
            """
            INSERT INTO readers (user_id, first_name, language_code, created_at, seen_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE SET
                first_name = excluded.first_name,
                language_code = excluded.language_code,
                seen_at = excluded.seen_at,
                inactive = 0
            """,
            (user_id, first_name, language_code, now, now),
        )

    def arrived(self, user_id: int, source: str, code: str | None) -> None:
        """The reader came in through a link from ``source`` (shared by the reader whose share
        code is ``code``, not themselves): kept the first time only, so a reader counts for
        the way they first came."""
        self.db.execute(
            "UPDATE readers SET source = ?, referrer = (SELECT user_id FROM readers"
            " WHERE share_code = ? AND user_id != ?) WHERE user_id = ? AND source IS NULL",
            (source, code, user_id, user_id),
        )

    def share_code(self, user_id: int) -> str | None:
        """The code the reader's shared links carry (None for someone the bot never met)."""
        row = self.db.execute("SELECT share_code FROM readers WHERE user_id = ?", (user_id,))
        found = row.fetchone()
        return str(found[0]) if found and found[0] else None

    def brought(self, user_id: int) -> int:
        """How many readers came through links the reader shared."""
        row = self.db.execute("SELECT COUNT(*) FROM readers WHERE referrer = ?", (user_id,))
        return int(row.fetchone()[0])

    def language(self, user_id: int) -> tuple[str | None, str | None]:
        """The language the reader chose with /lang (None if they never did), and their
        Telegram language code."""
        row = self.db.execute(
            "SELECT chosen_language, language_code FROM readers WHERE user_id = ?", (user_id,)
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def set_language(self, user_id: int, lang: str) -> None:
        self.db.execute(
            "UPDATE readers SET chosen_language = ? WHERE user_id = ?", (lang, user_id)
        )

    def before(self, user_id: int) -> str | None:
        """The stance the reader gave before reading ("skip" if they skipped; None: not
        asked yet)."""
        row = self.db.execute(
            "SELECT before_stance FROM readers WHERE user_id = ?", (user_id,)
        ).fetchone()
        return str(row[0]) if row and row[0] else None

    def set_before(self, user_id: int, stance: str) -> None:
        self.db.execute(
            "UPDATE readers SET before_stance = ? WHERE user_id = ?", (stance, user_id)
        )

    def flow(self, user_id: int) -> Flow | None:
        """The reader's place in the answering flow, if they are in it."""
        row = self.db.execute("SELECT flow, flow_data FROM readers WHERE user_id = ?", (user_id,))
        found = row.fetchone()
        return Flow.from_row(found[0], found[1]) if found else None

    def set_flow(self, user_id: int, flow: Flow | None) -> None:
        """Enter or move on in the flow (or leave it, with None): its step in ``flow``, what
        the reader chose or wrote so far as JSON in ``flow_data``."""
        step, data = (flow.step, flow.data_json()) if flow is not None else (None, None)
        self.db.execute(
            "UPDATE readers SET flow = ?, flow_data = ? WHERE user_id = ?", (step, data, user_id)
        )
        if flow is not None and flow.comment:  # a text the reader wrote, not saved yet: synced
            self.db.durable()  # now if alone, else when the transaction it is in commits

    def display(self, user_id: int) -> str | None:
        """How the reader chose to be shown next to answers: "name", "anonymous" or None."""
        row = self.db.execute("SELECT display FROM readers WHERE user_id = ?", (user_id,))
        found = row.fetchone()
        return str(found[0]) if found and found[0] else None

    def set_display(self, user_id: int, display: str) -> None:
        self.db.execute("UPDATE readers SET display = ? WHERE user_id = ?", (display, user_id))

    def set_position(self, user_id: int, part_id: str, number: int) -> None:
        """Remember that the reader is at part ``part_id`` (number ``number``)."""
        self.db.execute(
            "UPDATE readers SET part_id = ?, furthest_part = MAX(furthest_part, ?)"
            " WHERE user_id = ?",
            (part_id, number, user_id),
        )

    def conversation(self, user_id: int) -> tuple[str | None, tuple[str, ...]]:
        """The last topic the reader asked about, and which of its aspects they were shown."""
        row = self.db.execute(
            "SELECT last_topic, last_shown FROM readers WHERE user_id = ?", (user_id,)
        ).fetchone()
        if row is None or row[0] is None:
            return None, ()
        try:
            shown = json.loads(row[1] or "[]")
        except ValueError:
            shown = []
        return str(row[0]), tuple(str(s) for s in shown if isinstance(s, str))

    def set_conversation(self, user_id: int, topic: str | None, shown: tuple[str, ...]) -> None:
        self.db.execute(
            "UPDATE readers SET last_topic = ?, last_shown = ? WHERE user_id = ?",
            (topic, json.dumps(list(shown)) if topic else None, user_id),
        )
