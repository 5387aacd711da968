"""The SQLite store: migrations apply once and in order; positions survive a reopen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.migrations import MIGRATIONS, applied, migrate
from bot.store import Store


@pytest.mark.parametrize("index", range(len(MIGRATIONS)), ids=[n for n, _ in MIGRATIONS])
def test_each_migration_applies_on_an_empty_memory_database_after_its_predecessors(
    index: int,
) -> None:
    db = sqlite3.connect(":memory:")
    for _, function in MIGRATIONS[:index]:
        function(db)
    name, function = MIGRATIONS[index]
    function(db)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",), name


def test_migrations_are_recorded_and_never_run_twice() -> None:
    db = sqlite3.connect(":memory:")
    first = migrate(db)
    assert first == [name for name, _ in MIGRATIONS]
    assert migrate(db) == []
    assert applied(db) == first


def test_migration_names_are_unique_and_numbered_in_order() -> None:
    names = [name for name, _ in MIGRATIONS]
    assert len(set(names)) == len(names)
    assert names == sorted(names)
    assert all(name[0] == "m" and name[1:4].isdigit() for name in names)


def test_a_file_database_uses_write_ahead_logging(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "bot.sqlite3"))
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


def test_a_reader_position_survives_closing_and_reopening(tmp_path: Path) -> None:
    path = str(tmp_path / "bot.sqlite3")
    store = Store(path)
    store.touch_reader(7, "Ada", "it")
    store.set_position(7, "p3", 3)
    store.close()
    again = Store(path)
    record = again.reader(7)
    assert record is not None
    assert (record.part_id, record.furthest_part, record.first_name) == ("p3", 3, "Ada")
    again.close()


def test_the_furthest_part_never_goes_back() -> None:
    store = Store(":memory:")
    store.touch_reader(7, "Ada", None)
    store.set_position(7, "p5", 5)
    store.set_position(7, "p2", 2)
    record = store.reader(7)
    assert record is not None
    assert (record.part_id, record.furthest_part) == ("p2", 5)
