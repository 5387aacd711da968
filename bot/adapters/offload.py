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
_pool: ProcessPoolExecutor | None = None


def _drawing_process() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # spawned, not forked: a fork of a process with an event loop and threads may hang
        _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return _pool


async def made(document: Document) -> bytes:
    """``document``'s bytes, made off the event loop's thread when they are made on demand."""
    if document.render is None:
        return document.data
    if document.portable:
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(_drawing_process(), document.render)
        except BrokenProcessPool:  # the process died (killed, out of memory): a new one next
            global _pool
            _pool = None
            log.warning("the drawing process stopped; drawing %s on a thread", document.filename)
    return await asyncio.to_thread(document.render)
