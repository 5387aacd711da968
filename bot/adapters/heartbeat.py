"""The running bot's sign of life for health checks (a container's HEALTHCHECK, a monitor):
every few seconds the event loop, which also runs the core, touches a file, so a bot whose
loop or core is stuck stops beating. ``essaybot health`` reads it. And the bot's upkeep: work
that must happen now and then but not inside a reader's event (the database's checkpoint), run
on a thread every few seconds."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

#: Seconds between two beats, and the age past which the bot counts as not healthy.
EVERY = 10.0
STALE = 60.0
#: Seconds between two rounds of upkeep.
UPKEEP_EVERY = 5.0


def touch(path: Path) -> None:
    """One beat: the file's time is now."""
    path.touch()


async def beat(path: Path, every: float = EVERY, alive: Callable[[], bool] | None = None) -> None:
    """Beat until cancelled, from the event loop (so a stuck loop or core stops the beats),
    and only while ``alive()`` (the database takes writes: a full disk stops the beats too);
    a file that cannot be written is logged once and tried again."""
    warned = False
    while True:
        try:
            if alive is None or alive():
                touch(path)
            warned = False
        except OSError as error:
            if not warned:
                log.warning("cannot write the heartbeat file %s: %s", path, error.strerror)
            warned = True
        await asyncio.sleep(every)


def age(path: Path) -> float | None:
    """Seconds since the last beat; None if the bot never beat here."""
    try:
        return max(0.0, time.time() - path.stat().st_mtime)
    except OSError:
        return None


async def upkeep(work: Callable[[], None], every: float = UPKEEP_EVERY) -> None:
    """Run ``work`` on a thread every ``every`` seconds until cancelled; a failure is logged
    and the next round runs anyway."""
    while True:
        await asyncio.sleep(every)
        try:
            await asyncio.to_thread(work)
        except Exception:  # upkeep must never stop the bot
            log.exception("upkeep failed; trying again in %.0f s", every)
