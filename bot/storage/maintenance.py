"""Looking after the database file: an online backup, and the doctor's health check.

Both read the live file through their own read-only connection, so they are safe while the bot
runs and writes (WAL): the backup copies one consistent snapshot, whatever commits meanwhile.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

from bot.model.checks import Check
from bot.storage import sources
from bot.storage.counts import recount_problems
from bot.storage.database import open_read_only
from bot.storage.migrations import MIGRATIONS

#: Milliseconds a read waits for a writer holding a lock it needs (a checkpoint, say).
BUSY_TIMEOUT = 5000


class BackupError(Exception):
    """The backup could not be made; the message is one line a person can act on."""


def _read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to the database file at ``path`` (never creates it)."""
    connection = open_read_only(path)
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT}")
    return connection


def _is_live(source: Path, target: Path) -> bool:
    """Whether writing ``target`` would overwrite the live database or one of its side files."""
    live = str(source.resolve())
    if str(target.resolve()) in {live, *(live + end for end in ("-wal", "-shm", "-journal"))}:
        return True
    with contextlib.suppress(OSError):
        return target.exists() and os.path.samefile(source, target)
    return False


def backup(database: str, path: str) -> int:
    """Copy the live ``database`` to ``path`` with SQLite's online backup API, in one step (one
    consistent snapshot), as a single file (no WAL). The copy is written next to ``path`` and
    renamed over it once complete and checked, so ``path`` is never half written. Returns its
    size in bytes; BackupError says why there is no copy."""
    if database == ":memory:":
        raise BackupError("ESSAYBOT_DATABASE is :memory:, there is no database file to back up")
    source, target = Path(database), Path(path)
    if not source.is_file():
        raise BackupError(f"there is no database at {database!r}: check ESSAYBOT_DATABASE")
    if _is_live(source, target):
        raise BackupError(f"{path!r} is the live database itself: back it up to another file")
    if target.is_dir():
        raise BackupError(f"cannot write {path!r}: it is a folder, give a file name")
    try:
        handle, partial = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".partial", dir=target.parent
        )
        os.close(handle)
    except OSError as error:
        raise BackupError(f"cannot write {path!r}: {error.strerror}") from None
    try:
        _copy(source, Path(partial))
        os.replace(partial, target)
    except sqlite3.Error as error:
        raise BackupError(f"cannot back up {database!r}: {error}") from None
    except OSError as error:
        raise BackupError(f"cannot write {path!r}: {error.strerror}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(partial)
    return target.stat().st_size


def _copy(source: Path, partial: Path) -> None:
    live = _read_only(source)
    copy = sqlite3.connect(partial)
    try:
        live.backup(copy)  # pages=-1: every page in one step, under one read transaction
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise sqlite3.DatabaseError(f"the copy fails its check: {verdict}")
    finally:
        copy.close()
        live.close()


def check_database(database: str) -> Check:
    """The doctor's database line: the file opens, passes ``PRAGMA integrity_check``, and has
    every migration this code knows applied and none it does not know. Changes nothing."""
    if database == ":memory:":
        return Check.fail("database", "ESSAYBOT_DATABASE is :memory:, nothing would be kept")
    file = Path(database)
    if not file.is_file():
        what = "is not a file" if file.exists() else "does not exist"
        return Check.fail(
            "database",
            f"{database} {what}: check ESSAYBOT_DATABASE or --database (essaybot run creates"
            " the file)",
        )
    if not os.access(file, os.R_OK):  # the file is fine: this user may not read it
        return Check.fail(
            "database",
            f"{database} cannot be read by this user (permissions, owner {_owner(file)}): run"
            " as the bot's user, or fix the permissions; do not restore it, it is not damaged",
        )
    try:
        connection = _read_only(file)
        try:
            verdicts = [row[0] for row in connection.execute("PRAGMA integrity_check(5)")]
            if verdicts != ["ok"]:
                return Check.fail(
                    "database",
                    f"{database} is damaged (integrity_check: {'; '.join(verdicts)}):"
                    " restore it from a backup",
                )
            tables = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_migrations'"
            ).fetchone()[0]
            applied = (
                [row[0] for row in connection.execute("SELECT name FROM _migrations")]
                if tables
                else []
            )
        finally:
            connection.close()
    except sqlite3.Error as error:
        return Check.fail(
            "database", f"{database} cannot be read as SQLite ({error}): restore it from a backup"
        )
    checked = _migrations_check(database, file, applied)
    if not checked.failed and (wrong := _recount(file)):
        return Check.fail(
            "database",
            f"{database}: the kept counts disagree with a recount ({len(wrong)}: {wrong[0]}):"
            " report it; readers may see wrong tallies or order",
        )
    writable = os.access(file, os.W_OK) and os.access(file.parent, os.W_OK)
    if not checked.failed and not writable:  # the bot must write it (and its -wal beside it)
        return Check.fail(
            "database",
            f"{database} is fine but read-only for this user (the file or its folder): the bot"
            " needs to write it; stats and export can read it as it is",
        )
    return checked


def _recount(file: Path) -> list[str]:
    """What the counts kept by triggers say that a recount of the rows does not, all read in
    one transaction (a running bot's commits meanwhile are not half seen)."""
    try:
        connection = _read_only(file)
        try:
            connection.execute("BEGIN")
            return recount_problems(connection) + sources.recount_problems(connection)
        finally:
            connection.close()
    except sqlite3.Error as error:
        return [f"could not recount ({error})"]


def _owner(file: Path) -> str:
    """The file's owner, by name when the system knows it."""
    try:
        return file.owner()
    except (KeyError, NotImplementedError, OSError):
        return f"uid {file.stat().st_uid}"


def _migrations_check(database: str, file: Path, applied: list[str]) -> Check:
    known = [name for name, _ in MIGRATIONS]
    if not applied:
        return Check.fail("database", f"{database} is not an essaybot database (no migrations)")
    if unknown := [name for name in applied if name not in known]:
        return Check.fail(
            "database",
            f"{database} is newer than this essaybot (migrations it does not know:"
            f" {', '.join(unknown)}): upgrade essaybot, or restore a backup",
        )
    if missing := [name for name in known if name not in applied]:
        return Check.fail(
            "database",
            f"{database} lacks {len(missing)} migration(s) ({', '.join(missing)}):"
            " essaybot run applies them",
        )
    size = file.stat().st_size
    return Check.ok(
        "database",
        f"{database}, integrity ok, all {len(known)} migrations, counts agree with a recount,"
        f" {size:,} bytes",
    )
