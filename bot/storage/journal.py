"""Telegram's updates, kept from the moment they arrive until they are handled: an update
Telegram was told the bot received is never lost to a crash (it is handled at the next start),
and one delivered twice is handled once."""

from __future__ import annotations

import logging
import sqlite3

from bot.storage.database import Database

log = logging.getLogger(__name__)

#: How many handled update ids are kept to recognise one delivered again (Telegram numbers
#: updates one after another; a re-delivered one is among the latest).
REMEMBERED = 100_000


class UpdateJournal:
    """The updates received and not yet handled, and the ids of those handled."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def keep(self, update_id: int, body: str) -> bool:
        """Keep update ``update_id`` (its JSON ``body``) until it is handled; False if it is
        already kept or was handled (a delivery again, to be ignored). A journal that cannot
        be written (a full disk) keeps nothing and lets the update be handled all the same."""
        try:
            return self._keep(update_id, body)
        except sqlite3.Error as error:
            log.error("could not keep update %s in the journal: %s", update_id, error)
            return True

    def _keep(self, update_id: int, body: str) -> bool:
        with self.db.transaction():
            seen = self.db.execute(
                "SELECT 1 FROM handled_updates WHERE update_id = ?", (update_id,)
            ).fetchone()
            if seen is not None:
                return False
            added = self.db.execute(
                "INSERT OR IGNORE INTO update_journal (update_id, body, received_at)"
                " VALUES (?, ?, ?)",
                (update_id, body, self.db.now()),
            )
            return added.rowcount > 0

    def pending(self) -> list[tuple[int, str]]:
        """The updates kept and not handled, oldest first."""
        rows = self.db.execute("SELECT update_id, body FROM update_journal ORDER BY update_id")
        return [(int(i), str(b)) for i, b in rows]

    def claim(self, update_id: int) -> bool:
        """Within the handling's own transaction: mark update ``update_id`` handled, so its
        effects and this mark commit together; False if it was handled already."""
        with self.db.transaction():
            added = self.db.execute(
                "INSERT OR IGNORE INTO handled_updates (update_id) VALUES (?)", (update_id,)
            )
            if added.rowcount == 0:
                return False
            self.db.execute("DELETE FROM update_journal WHERE update_id = ?", (update_id,))
            if update_id % 1000 == 0:
                self.db.execute(
                    "DELETE FROM handled_updates WHERE update_id < ?", (update_id - REMEMBERED,)
                )
            return True

    def done(self, update_id: int) -> None:
        """Update ``update_id`` went through every handler (or none wanted it)."""
        try:
            with self.db.transaction():
                self.db.execute("DELETE FROM update_journal WHERE update_id = ?", (update_id,))
        except sqlite3.Error as error:  # handled again at the next start: the core claims it
            log.error("could not mark update %s handled: %s", update_id, error)
