"""The database's checkpoint runs off the event loop: once the adapter takes the disk work,
no reader's event runs SQLite's automatic checkpoint (but a backstop at 10,000 pages, should
the upkeep fall behind), and the bot's upkeep, on a thread every few seconds, moves the
write-ahead log into the database file; the log is reused while writes go on."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from bot.adapters.heartbeat import upkeep
from bot.storage.store import Store


def test_once_deferred_no_commit_runs_the_checkpoint_and_the_upkeep_does(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    store = Store(str(path))
    store.db.defer_syncs()
    assert store.db.connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 10_000
    before = path.stat().st_size
    for user in range(1, 1500):  # more than SQLite's 1,000 pages would have let through
        store.readers.touch(user, "Anna " * 40, "it")
    assert path.stat().st_size == before  # all still in the write-ahead log
    assert Path(f"{path}-wal").stat().st_size > 1000 * 4096
    store.db.checkpoint_passive()
    assert path.stat().st_size > 100 * before  # now in the database file
    assert store.readers.get(1499) is not None
    store.close()


def test_without_deferring_sqlite_checkpoints_as_usual(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "bot.sqlite3"))
    assert store.db.connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    store.close()


def test_the_upkeep_runs_its_work_on_another_thread_and_survives_a_failure() -> None:
    threads: list[str] = []

    def work() -> None:
        threads.append(threading.current_thread().name)
        if len(threads) == 1:
            raise OSError("disk hiccup")

    async def run() -> None:
        task = asyncio.create_task(upkeep(work, every=0.01))
        while len(threads) < 3:
            await asyncio.sleep(0.01)
        task.cancel()

    asyncio.run(run())
    assert len(threads) >= 3
    assert threading.main_thread().name not in threads


def test_the_log_stops_growing_while_writes_go_on_between_checkpoints(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    store = Store(str(path))
    store.db.defer_syncs()
    sizes = []
    for round_ in range(6):
        for user in range(1, 400):
            store.readers.touch(user, f"Anna {round_}" * 20, "it")
        store.db.checkpoint_passive()
        sizes.append(Path(f"{path}-wal").stat().st_size)
    assert sizes[-1] <= sizes[1]  # written from its start again, not appended to
    store.close()


def test_a_passive_checkpoint_never_creates_a_missing_database(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    store = Store(str(path))
    store.db.defer_syncs()
    store.close()
    path.unlink()
    store.db.checkpoint_passive()  # logged, not raised
    assert not path.exists()
