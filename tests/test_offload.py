"""What the event loop hands off: a chart is drawn in a process of its own (drawing holds
Python's lock, which would stall every reader), an export made on a thread (it needs the
database), and a file made at once is sent as it is."""

from __future__ import annotations

import os
import pickle
import threading
import time
from functools import partial

import pytest
from conftest import Build
from helpers import AUTHOR, say

from bot.adapters import offload
from bot.core.events import Command, Document


async def test_a_portable_file_is_made_in_a_process_of_its_own() -> None:
    drawn = Document("pid", b"", "text/plain", render=os.getpid, portable=True)  # type: ignore[arg-type]
    first, second = await offload.made(drawn), await offload.made(drawn)
    assert first != os.getpid()
    assert first == second  # the same process, kept for the next chart


async def test_a_file_that_needs_the_database_is_made_on_a_thread() -> None:
    made = Document("thread", b"", "text/plain", render=threading.get_ident)  # type: ignore[arg-type]
    assert await offload.made(made) != threading.get_ident()


async def test_a_file_made_at_once_is_sent_as_it_is() -> None:
    assert await offload.made(Document("a.csv", b"a,b\r\n", "text/csv")) == b"a,b\r\n"


def test_the_stats_chart_can_be_drawn_in_another_process(build: Build) -> None:
    services = build(admins={42})
    chart = say(services, AUTHOR, Command("stats")).replies[1].document
    assert chart is not None and chart.portable
    drawn = pickle.loads(pickle.dumps(chart.render))()  # what the other process receives
    assert drawn.startswith(b"\x89PNG")


def test_an_export_is_never_sent_to_another_process(build: Build) -> None:
    services = build(admins={42})
    documents = [r.document for r in say(services, AUTHOR, Command("export")).replies]
    assert documents and all(d is not None and not d.portable for d in documents)


async def test_a_drawing_that_hangs_is_stopped_and_made_on_a_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(offload, "DRAWING_TIMEOUT", 0.5)
    hung = Document("hung", b"", "text/plain", render=partial(time.sleep, 1.5), portable=True)  # type: ignore[arg-type]
    began = time.monotonic()
    assert await offload.made(hung) is None  # time.sleep's answer, from the thread
    assert 1.5 <= time.monotonic() - began < 10
    assert offload._pool is None  # the hung process was stopped; the next chart gets a new one
    drawn = Document("pid", b"", "text/plain", render=os.getpid, portable=True)  # type: ignore[arg-type]
    assert await offload.made(drawn) != os.getpid()
    offload.shutdown()
