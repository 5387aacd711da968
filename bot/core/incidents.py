"""Errors reach the author: a failure while handling an update goes to every admin through the
outbox, at most once a minute per distinct error (the same kind of error at the same place),
with a summary of what was being handled. What it carries is made safe by the adapter that
saw the error: never the token, never what a reader wrote (only how long it was)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.content.catalog import Content
from bot.core.events import Outcome, Reply
from bot.core.news.notify import Store, reader_turn
from bot.model.clock import Clock

#: The shortest time between two reports of the same error.
EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Incident:
    """One error, as the admins read it."""

    kind: str  # the exception's class, such as "OperationalError"
    where: str  # the innermost line of the bot's own code, such as "bot/core/reading.py:88"
    detail: str  # the exception's message, clipped, with no token and no reader's text
    update: str  # what was being handled, such as "a command /story from reader 1001"

    @property
    def key(self) -> str:
        """What makes two errors the same one."""
        return f"{self.kind}@{self.where}"


class Incidents:
    """Decides which errors to tell the admins, and tells them in their own language."""

    def __init__(
        self, content: Content, store: Store, admins: frozenset[int], clock: Clock
    ) -> None:
        self.content = content
        self.store = store
        self.admins = admins
        self.clock = clock
        self.told: dict[str, datetime] = {}  # error key -> when the admins were last told
        self.since: dict[str, int] = {}  # error key -> times it happened since, untold

    def report(self, incident: Incident) -> Outcome:
        """A message to each admin, unless the same error was reported less than a minute ago
        (then it is counted, and the next report says how many times it happened)."""
        now = self.clock()
        last = self.told.get(incident.key)
        if last is not None and now - last < EVERY:
            self.since[incident.key] = self.since.get(incident.key, 0) + 1
            return Outcome(())
        self.told[incident.key] = now
        repeated = self.since.pop(incident.key, 0)
        replies = []
        for admin in sorted(self.admins):
            turn = reader_turn(self.store, self.content, admin)
            text = turn.say(
                "error_report",
                kind=incident.kind,
                where=incident.where,
                detail=incident.detail,
                update=incident.update,
            )
            if repeated:
                text = turn.say("error_report_repeated", report=text, count=repeated)
            replies.append(Reply(text, chat_id=admin))
        return Outcome(tuple(replies))
