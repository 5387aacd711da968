"""Files the event loop hands off, so no reader waits while they are made: an export on a
thread (it reads the database through a connection of its own and yields between batches), and
a chart in a process of its own. Drawing holds Python's lock for 80-140 ms at a time, which a
thread cannot give back to the loop; a separate process also keeps matplotlib (about 40 MB) out
of the bot's own memory. The process is started at the first chart, and stays for the next."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.core.events import Document

log = logging.getLogger(__name__)
#: The longest a drawing may take before its process is stopped (a chart takes under a second).
DRAWING_TIMEOUT = 60.0
_pool: ProcessPoolExecutor | None = None


def _drawing_process() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # spawned, not forked: a fork of a process with an event loop and threads may hang
        _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return _pool


def shutdown() -> None:
    """Stop the drawing process, if one was started (what it draws is dropped)."""
    global _pool
    pool, _pool = _pool, None
    if pool is not None:
        for process in list(getattr(pool, "_processes", {}).values()):  # a hung one too
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)


async def made(document: Document) -> bytes:
    """``document``'s bytes, made off the event loop's thread when they are made on demand."""
    if document.render is None:
        return document.data
    if document.portable:
        pool = _drawing_process()
        try:
            running = asyncio.get_running_loop().run_in_executor(pool, document.render)
            return await asyncio.wait_for(running, DRAWING_TIMEOUT)
        except (BrokenProcessPool, TimeoutError):  # died (killed, out of memory) or hung
            log.warning("the drawing process failed; drawing %s on a thread", document.filename)
            if _pool is pool:  # a new process for the next chart
                shutdown()
    return await asyncio.to_thread(document.render)
