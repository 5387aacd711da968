"""At least once, and once: every update is kept on disk the moment it arrives, before Telegram
hears that it arrived (long polling confirms an update with the next getUpdates, and the
webhook with its 200, both after the update is queued), and leaves the journal when it has been
handled. An update a crash or a stop left unhandled is handled at the next start; one Telegram
delivers again is dropped here, or, once handled, claimed by the core's own transaction."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Protocol

from telegram import Bot, Update

log = logging.getLogger(__name__)


class Journal(Protocol):
    """Where updates are kept until handled (the store's, through the core)."""

    def keep(self, update_id: int, body: str) -> bool: ...

    def pending(self) -> list[tuple[int, str]]: ...

    def done(self, update_id: int) -> None: ...


class JournaledQueue(asyncio.Queue[object]):
    """python-telegram-bot's update queue, keeping each update in the journal as it is put."""

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal

    def put_nowait(self, item: object) -> None:
        """Queue ``item`` (``put`` ends here too) unless it is an update already kept or
        handled."""
        if not isinstance(item, Update) or item.inline_query is not None:
            # an inline query is answered within seconds or never: not kept for a restart
            super().put_nowait(item)
            return
        if self.journal.keep(item.update_id, item.to_json()):
            super().put_nowait(item)

    def replay(self, bot: Bot) -> int:
        """Queue the updates kept and not handled (a crash or a stop came first); how many."""
        pending = self.journal.pending()
        for update_id, body in pending:
            try:
                update = Update.de_json(json.loads(body), bot)
            except (ValueError, TypeError, KeyError) as error:
                log.error("update %s in the journal cannot be read: %s", update_id, error)
                self.journal.done(update_id)
                continue
            super().put_nowait(update)
        if pending:
            log.info("handling %d updates received before the last stop", len(pending))
        return len(pending)

    def done(self, update: object) -> None:
        """``update`` went through every handler: it leaves the journal."""
        if isinstance(update, Update) and update.inline_query is None:
            self.journal.done(update.update_id)
