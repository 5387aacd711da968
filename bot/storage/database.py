"""The SQLite connection and its transactions.

The connection runs in autocommit mode, so writes are atomic only inside
:meth:`Database.transaction`. Transactions nest: the outermost is ``BEGIN IMMEDIATE ... COMMIT``
and inner ones are savepoints, so the dialogue can wrap a whole reader event in one transaction
while every store call of several statements still protects itself when called alone (from the
CLI, say); a call of one statement needs no transaction, the statement being atomic itself.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.model.clock import Clock, stamp, system_clock

log = logging.getLogger(__name__)

#: Pages of write-ahead log at which a commit checkpoints, once the upkeep does it instead.
BACKSTOP_PAGES = 10_000


class StoreError(Exception):
    """The database cannot be opened or used; the message is one line a person can act on."""


def open_read_only(path: str | Path, **options: Any) -> sqlite3.Connection:
    """A read-only connection to the existing database file at ``path`` (never creates it).
    Where this user may not write beside it (a WAL database's ``-shm``), it is read as
    immutable: as the file stands, which is what a report or a check needs."""
    uri = Path(path).resolve().as_uri()
    connection: sqlite3.Connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, **options)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return connection
    except sqlite3.OperationalError:
        connection.close()
    immutable: sqlite3.Connection = sqlite3.connect(
        f"{uri}?mode=ro&immutable=1", uri=True, **options
    )
    return immutable


class Database:
    """One SQLite connection, used from one thread at a time. WAL with ``synchronous=NORMAL``:
    every commit survives the process being killed; one that holds what a reader wrote (see
    :meth:`durable`) is also synced to the disk, as ``synchronous=FULL`` would, so it survives
    a power cut too, while page turns and questions do not wait for the disk."""

    def __init__(self, path: str, clock: Clock = system_clock, *, read_only: bool = False) -> None:
        """``read_only``: open an existing file only to read it (the author's reports), never
        creating it nor writing to it."""
        self.owed_checkpoint = False  # a checkpoint held up by another connection
        self._checkpointing = threading.Lock()  # the upkeep's and /forget's, one at a time
        self.path = path
        self.clock = clock
        self.read_only = read_only
        try:
            if read_only:
                if not os.path.isfile(path):
                    raise StoreError(
                        f"there is no database at {path!r}: set ESSAYBOT_DATABASE or pass"
                        " --database (essaybot run creates it)"
                    )
                self.connection = open_read_only(
                    path, check_same_thread=False, isolation_level=None
                )
            else:
                self.connection = sqlite3.connect(
                    path, check_same_thread=False, isolation_level=None
                )
            self.connection.row_factory = sqlite3.Row
            if path != ":memory:" and not read_only:
                self.connection.execute("PRAGMA journal_mode=WAL")
            pragmas = ("synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000")
            for pragma in (*pragmas, "secure_delete=ON"):
                self.connection.execute(f"PRAGMA {pragma}")
        except sqlite3.Error as error:
            raise StoreError(
                f"cannot open the database {path!r} ({error}): check ESSAYBOT_DATABASE, that its"
                " folder exists and is writable, and that the file is an essaybot database"
            ) from error
        self._depth = 0
        self._after_commit: list[Callable[[], None]] = []
        #: syncs left to the caller (see :meth:`defer_syncs`), and whether one is owed
        self._deferring = False
        self._owed = False

    def durable(self) -> None:
        """Sync the open transaction to the disk when it commits: for what a reader wrote."""
        if self.path != ":memory:" and self._synced not in self._after_commit:
            self.after_commit(self._synced)

    def defer_syncs(self) -> None:
        """From now on a durable commit only notes that it owes a sync, and the caller runs
        :meth:`sync` (off its event loop's thread, say) before it tells the reader; and no
        commit runs SQLite's automatic checkpoint (every ~1,000 pages of log, inside whichever
        reader's event came then): the caller runs :meth:`checkpoint_passive` off its loop."""
        self._deferring = True
        if self.path != ":memory:" and not self.read_only:
            # a backstop only: should the upkeep fall behind (a commit during each of its
            # checkpoints keeps the log from being reused), a commit checkpoints at 10,000
            # pages, and the log is cut back to 64 MiB once emptied
            self.connection.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
            self.connection.execute(f"PRAGMA journal_size_limit={64 * 2**20}")

    def checkpoint_passive(self) -> None:
        """Copy what the write-ahead log holds into the database file, without waiting for
        readers or writers (SQLite's PASSIVE mode), on a connection of its own: any thread.
        Repeated (a few times at most) while commits meanwhile left part of the log behind."""
        if self.path == ":memory:" or self.read_only:
            return
        try:
            connection = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True, timeout=1.0)
            try:
                for _ in range(4):
                    with self._checkpointing:
                        _, pages, copied = connection.execute(
                            "PRAGMA wal_checkpoint(PASSIVE)"
                        ).fetchone()
                    if pages == copied:
                        break
            finally:
                connection.close()
        except sqlite3.Error as error:
            log.warning("the write-ahead log could not be checkpointed now: %s", error)

    def owed_sync(self) -> Callable[[], None] | None:
        """The sync that durable commits since the last call still owe (None if none)."""
        owed, self._owed = self._owed, False
        return self.sync if owed else None

    def _synced(self) -> None:
        if self._deferring:
            self._owed = True
        else:
            self.sync()

    def sync(self) -> None:
        """Sync the write-ahead log, and so every commit so far, to the disk (any thread: it
        opens the file on its own)."""
        try:
            fd = os.open(f"{self.path}-wal", os.O_RDONLY)
        except FileNotFoundError:  # checkpointed and truncated already: in the database file
            return
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the outermost transaction has committed (at once if none is
        open); dropped if it rolls back."""
        if self._depth == 0:
            callback()
        else:
            self._after_commit.append(callback)

    def checkpoint(self) -> None:
        """Move everything from the write-ahead log into the database file and empty the log,
        so that deleted rows (overwritten there by secure_delete) leave no copy behind. Another
        connection reading at that moment (``essaybot stats`` on the same file, say) keeps the
        log from being emptied: that is logged, and the next checkpoint empties it."""
        if self.path != ":memory:":
            with self._checkpointing:  # not while the upkeep's checkpoint runs
                busy = self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if busy and not self.owed_checkpoint:
                log.warning("the write-ahead log could not be emptied now (another connection)")
            self.owed_checkpoint = bool(busy)

    def writable(self) -> bool:
        """Whether a write reaches the disk now (a full disk, a file made read-only: no); and
        a checkpoint another connection held up is tried again, until done."""
        try:
            with self.transaction():
                self.connection.execute(
                    "INSERT OR REPLACE INTO heartbeat (id, at) VALUES (1, ?)", (self.now(),)
                )
            if self.owed_checkpoint:
                self.checkpoint()
        except sqlite3.Error as error:
            log.error("the database cannot be written: %s", error)
            return False
        return True

    def close(self) -> None:
        self.connection.close()

    def now(self) -> str:
        """The clock's current time as the store keeps it."""
        return stamp(self.clock())

    def execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> sqlite3.Cursor:
        return self.connection.execute(sql, params)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Read in the block from one consistent snapshot, taking no write lock (in WAL mode
        the bot's own writes go on meanwhile)."""
        self.connection.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            self.connection.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block atomically: the outermost block commits once at its end, an inner block
        is a savepoint; an exception rolls back the block it leaves."""
        db, depth = self.connection, self._depth
        savepoint = f"sp{depth}"
        db.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT {savepoint}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth = depth
            self._roll_back(savepoint)
            if depth == 0:
                self._after_commit.clear()
            raise
        self._depth = depth
        try:
            db.execute("COMMIT" if depth == 0 else f"RELEASE {savepoint}")
        except sqlite3.Error:
            self._roll_back(savepoint)  # never leave a transaction open for the next event
            if depth == 0:
                self._after_commit.clear()
            raise
        if depth == 0:
            callbacks, self._after_commit = self._after_commit, []
            for callback in callbacks:
                callback()

    def _roll_back(self, savepoint: str) -> None:
        if self._depth == 0:
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
        else:
            self.connection.execute(f"ROLLBACK TO {savepoint}")
            self.connection.execute(f"RELEASE {savepoint}")
