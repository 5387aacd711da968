"""Time, injectable: the core and the store ask a clock, so tests can move it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

#: A clock returns the current time, timezone-aware, in UTC.
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real current time, in UTC."""
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """``moment`` as the store keeps it: ISO 8601 in UTC, to the second."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def stamp_before(moment: datetime, minutes: int) -> str:
    """The stamp of ``minutes`` before ``moment`` (the start of a time window)."""
    return stamp(moment - timedelta(minutes=minutes))
