"""The SQLite store: migrations apply once and in order, each doing what it says; transactions
nest and roll back whole; positions survive a reopen."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from conftest import Build
from helpers import answer, say

from bot.core.events import Command, Press, Reader, Text
from bot.model.fingerprints import fingerprint
from bot.model.flow import Flow
from bot.model.limits import MAX_MISSES
from bot.storage.database import Database
from bot.storage.migrations import MIGRATIONS, applied, migrate
from bot.storage.store import Store

#: What each migration adds: table -> columns it must have afterwards (None: the table is gone).
EFFECTS: dict[str, dict[str, set[str]]] = {
    "m001_create_readers": {"readers": {"user_id", "first_name", "part_id", "furthest_part"}},
    "m002_create_questions": {"questions": {"user_id", "text", "topic", "score", "outcome"}},
    "m003_create_answers": {
        "answers": {"user_id", "stance", "comment", "display_name", "status"},
        "submissions": {"user_id", "fingerprint", "created_at"},
        "bans": {"user_id", "banned_by", "banned_at"},
        "readers": {"flow", "flow_data", "display"},
    },
    "m004_hash_answer_fingerprints": {"answers": {"fingerprint"}},
    "m005_conversation_and_learning": {
        "readers": {"last_topic", "last_shown"},
        "questions": {"resolution", "resolved_at"},
        "learned_aliases": {"topic", "lang", "phrase", "taught_by", "asked_by"},
    },
    "m006_identity_and_reviews": {
        "answers": {"id", "user_id", "stance", "comment", "status", "fingerprint"},
        "answer_authors": {"answer_id", "user_id"},
        "reviews": {"user_id", "since"},
    },
    "m007_admin_menus": {"admin_menus": {"user_id"}},
    "m008_index_questions_by_reader": {"questions": {"user_id", "created_at"}},
    "m009_outbox": {"outbox": {"chat_id", "body", "card", "due_at"}, "cards": {"message_id"}},
    "m010_chosen_language": {"readers": {"chosen_language"}},
    "m011_discussion": {
        "votes": {"answer_id", "user_id", "value"},
        "replies": {"answer_id", "user_id", "text", "by_author", "status"},
        "notices": {"user_id", "key", "params"},
        "readers": {"notify", "notify_asked", "notified_at", "inactive", "before_stance"},
        "outbox": {"digest"},
    },
    "m012_index_answer_authors_by_reader": {"answer_authors": {"user_id"}},
    "m013_learned_aspect": {"learned_aliases": {"aspect"}},
    "m014_update_journal": {
        "update_journal": {"update_id", "body", "received_at"},
        "handled_updates": {"update_id"},
    },
    "m015_outbox_sending": {"outbox": {"sending_at"}},
    "m016_heartbeat": {"heartbeat": {"id", "at"}},
    "m017_answer_edited_at": {"answers": {"edited_at"}},
    "m018_maintained_counts": {
        "answers": {"rank_score", "rank_votes"},
        "votes": {"voter_stance", "counted"},
        "standings": {"answer_id", "agree", "disagree", "separate_votes", "depends_agree"},
        "tally_counts": {"status", "stance", "before_stance", "furthest_part", "n"},
    },
    "m019_questions_by_outcome": {"questions": {"outcome", "id"}},  # and an index on them
    "m020_reader_sources": {
        "readers": {"source", "referrer"},
        "source_counts": {"source", "furthest_part", "answered", "n"},
    },
    "m021_share_codes": {"readers": {"share_code"}},
}


def columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


@pytest.mark.parametrize("index", range(len(MIGRATIONS)), ids=[n for n, _ in MIGRATIONS])
def test_each_migration_applies_on_a_memory_database_after_its_predecessors(index: int) -> None:
    db = sqlite3.connect(":memory:")
    for _, function in MIGRATIONS[:index]:
        function(db)
    name, function = MIGRATIONS[index]
    function(db)
    for table, expected in EFFECTS[name].items():
        assert expected <= columns(db, table), (name, table)


def test_every_migration_states_its_effect() -> None:
    assert list(EFFECTS) == [name for name, _ in MIGRATIONS]


def test_the_newest_questions_of_an_outcome_are_read_through_its_index() -> None:
    store = Store(":memory:")
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN SELECT id, text, created_at FROM questions WHERE outcome = ?"
        " ORDER BY id DESC LIMIT ?",
        ("none", 10),
    ).fetchall()
    assert [row[3] for row in plan] == [
        "SEARCH questions USING INDEX questions_by_outcome (outcome=?)"
    ]


def test_stats_lists_the_newest_misses_of_both_kinds_newest_first() -> None:
    store = Store(":memory:")
    outcomes = ["none", "answered", "related", "none", "smalltalk"] * 8
    for n, outcome in enumerate(outcomes):
        store.questions.record(1, f"domanda {n}", "it", None, 0, outcome)
    misses = [text for _, text in store.stats(7).misses]
    expected = [
        f"domanda {n}" for n in range(len(outcomes))[::-1] if outcomes[n] in ("none", "related")
    ]
    assert misses == expected[:MAX_MISSES] and len(expected) > MAX_MISSES


def test_readers_from_before_sources_were_kept_count_as_before_whatever_link_follows() -> None:
    db = sqlite3.connect(":memory:")
    names = [name for name, _ in MIGRATIONS]
    for _, function in MIGRATIONS[: names.index("m020_reader_sources")]:
        function(db)
    db.execute(
        "INSERT INTO readers (user_id, first_name, language_code, created_at, seen_at)"
        " VALUES (7, 'Ada', 'it', 'x', 'x')"
    )
    dict(MIGRATIONS)["m020_reader_sources"](db)
    assert db.execute("SELECT source FROM readers").fetchone() == ("",)
    assert db.execute("SELECT source, n FROM source_counts").fetchall() == [("", 1)]
    db.execute("UPDATE readers SET source = 'blog' WHERE user_id = 7 AND source IS NULL")
    assert db.execute("SELECT source FROM readers").fetchone() == ("",)


def test_hashing_fingerprints_keeps_no_copy_of_a_comment() -> None:
    db = sqlite3.connect(":memory:")
    for _, function in MIGRATIONS[:3]:
        function(db)
    db.execute(
        "INSERT INTO answers (user_id, stance, comment, lang, status, created_at, updated_at)"
        " VALUES (1, 'depends', 'Dipende dal budget', 'it', 'published', 'x', 'x')"
    )
    db.execute("INSERT INTO submissions VALUES (1, 1, 'Dipende dal budget', 'x')")
    dict(MIGRATIONS)["m004_hash_answer_fingerprints"](db)
    mark = fingerprint("Dipende dal budget")
    assert db.execute("SELECT fingerprint FROM answers").fetchone() == (mark,)
    assert db.execute("SELECT fingerprint FROM submissions").fetchone() == (mark,)


def test_the_flow_is_stored_as_its_step_and_json_as_earlier_versions_stored_it() -> None:
    store = Store(":memory:")
    store.readers.touch(7, "Ada", "it")
    store.readers.set_flow(7, Flow("display", "integrate", "Un pensiero"))
    row = store.db.execute("SELECT flow, flow_data FROM readers").fetchone()
    assert (row[0], json.loads(row[1])) == (
        "display",
        {"stance": "integrate", "comment": "Un pensiero"},
    )
    store.db.execute(
        "UPDATE readers SET flow = 'comment', flow_data = '{\"stance\": \"depends\"}'"
    )
    assert store.readers.flow(7) == Flow("comment", "depends")
    store.readers.set_flow(7, None)
    assert tuple(store.db.execute("SELECT flow, flow_data FROM readers").fetchone()) == (
        None,
        None,
    )


def test_migrations_are_recorded_and_never_run_twice() -> None:
    db = Database(":memory:")
    first = migrate(db)
    assert first == [name for name, _ in MIGRATIONS]
    assert migrate(db) == []
    assert applied(db) == first


def test_migration_names_are_unique_and_numbered_in_order() -> None:
    names = [name for name, _ in MIGRATIONS]
    assert len(set(names)) == len(names)
    assert names == sorted(names)
    assert all(name[0] == "m" and name[1:4].isdigit() for name in names)


def test_a_failed_transaction_leaves_nothing_behind() -> None:
    db = Database(":memory:")
    db.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(RuntimeError), db.transaction():
        db.execute("INSERT INTO t VALUES (1)")
        raise RuntimeError("boom")
    assert db.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 0


def test_nested_transactions_commit_once_and_an_inner_failure_undoes_only_itself() -> None:
    db = Database(":memory:")
    db.execute("CREATE TABLE t (x INTEGER)")
    statements: list[str] = []
    db.connection.set_trace_callback(statements.append)
    with db.transaction():
        db.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(RuntimeError), db.transaction():
            db.execute("INSERT INTO t VALUES (2)")
            raise RuntimeError("boom")
        with db.transaction():
            db.execute("INSERT INTO t VALUES (3)")
    assert [row[0] for row in db.execute("SELECT x FROM t")] == [1, 3]
    assert statements.count("COMMIT") == 1


def test_a_file_database_uses_write_ahead_logging(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "bot.sqlite3"))
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


def test_a_reader_position_survives_closing_and_reopening(tmp_path: Path) -> None:
    path = str(tmp_path / "bot.sqlite3")
    store = Store(path)
    store.readers.touch(7, "Ada", "it")
    store.readers.set_position(7, "p3", 3)
    store.close()
    again = Store(path)
    record = again.readers.get(7)
    assert record is not None
    assert (record.part_id, record.furthest_part, record.first_name) == ("p3", 3, "Ada")
    again.close()


def test_the_furthest_part_never_goes_back() -> None:
    store = Store(":memory:")
    store.readers.touch(7, "Ada", None)
    store.readers.set_position(7, "p5", 5)
    store.readers.set_position(7, "p2", 2)
    record = store.readers.get(7)
    assert record is not None
    assert (record.part_id, record.furthest_part) == ("p2", 5)


def test_a_flow_that_cannot_be_read_is_no_flow_or_nothing_chosen_yet() -> None:
    assert Flow.from_row("elsewhere", "{}") is None
    assert Flow.from_row(None, '{"stance": "depends"}') is None
    assert Flow.from_row("comment", "[1, 2]") == Flow("comment")
    assert Flow.from_row("comment", "not json") == Flow("comment")
    assert Flow.from_row("comment", '{"stance": 3}') == Flow("comment")
    record = Flow("display", "depends", "ok")
    assert Flow.from_row(record.step, record.data_json()) == record


def test_answer_ids_are_never_reused_after_a_delete() -> None:
    store = Store(":memory:")
    first = store.answers.save(1, "depends", None, None, "it", "published")
    store.answers.delete(1)
    second = store.answers.save(2, "depends", None, None, "it", "published")
    assert second.id > first.id
    assert store.answers.author(first.id) == 1


def test_m006_keeps_every_answer_its_id_and_who_was_hidden() -> None:
    db = sqlite3.connect(":memory:")
    for _, function in MIGRATIONS[:5]:
        function(db)
    db.execute(
        "INSERT INTO answers (id, user_id, stance, lang, status, created_at, updated_at)"
        " VALUES (7, 70, 'depends', 'it', 'hidden', 'x', 'y'), (9, 90, 'separate', 'it',"
        " 'published', 'x', 'y')"
    )
    dict(MIGRATIONS)["m006_identity_and_reviews"](db)
    assert db.execute("SELECT id, user_id FROM answers ORDER BY id").fetchall() == [
        (7, 70),
        (9, 90),
    ]
    assert db.execute("SELECT * FROM answer_authors ORDER BY 1").fetchall() == [(7, 70), (9, 90)]
    assert db.execute("SELECT user_id FROM reviews").fetchall() == [(70,)]
    db.execute(
        "INSERT INTO answers (user_id, stance, lang, status, created_at, updated_at)"
        " VALUES (10, 'depends', 'it', 'published', 'x', 'x')"
    )
    db.execute("DELETE FROM answers WHERE id = 10")
    db.execute(
        "INSERT INTO answers (user_id, stance, lang, status, created_at, updated_at)"
        " VALUES (11, 'depends', 'it', 'published', 'x', 'x')"
    )
    assert db.execute("SELECT MAX(id) FROM answers").fetchone() == (11,)


def test_m006_hands_out_no_id_an_answer_deleted_before_it_had() -> None:
    db = sqlite3.connect(":memory:")
    for _, function in MIGRATIONS[:5]:
        function(db)
    for user, stance in ((1, "depends"), (2, "depends")):  # two answers, two submissions
        db.execute(
            "INSERT INTO answers (user_id, stance, lang, status, created_at, updated_at)"
            " VALUES (?, ?, 'it', 'published', 'x', 'x')",
            (user, stance),
        )
        db.execute(
            "INSERT INTO submissions (user_id, fingerprint, created_at) VALUES (?, 'f', 'x')",
            (user,),
        )
    db.execute("DELETE FROM answers WHERE id = 2")  # deleted before the upgrade
    dict(MIGRATIONS)["m006_identity_and_reviews"](db)
    db.execute(
        "INSERT INTO answers (user_id, stance, lang, status, created_at, updated_at)"
        " VALUES (3, 'depends', 'it', 'published', 'x', 'x')"
    )
    assert db.execute("SELECT id FROM answers WHERE user_id = 3").fetchone()[0] > 2


def test_counting_a_readers_recent_questions_uses_an_index() -> None:
    store = Store(":memory:")
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM questions WHERE user_id = ? AND created_at > ?",
        (1, "x"),
    ).fetchall()
    assert any("questions_by_reader" in str(tuple(row)) for row in plan), plan


@pytest.fixture
def fsyncs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The file descriptors ``os.fsync`` is called with from now on (it still syncs them)."""
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd))[1])
    return synced


def test_what_a_reader_wrote_is_synced_to_the_disk_and_a_page_turn_is_not(
    build: Build, fsyncs: list[int]
) -> None:
    services = build(on_disk=True)
    anna = Reader(1001, "Anna", "it")
    say(services, anna, Command("story", "3"))
    assert fsyncs == []  # synchronous=NORMAL: committed, not synced
    answer(services, anna, "depends", "Parole da non perdere, nemmeno se manca la corrente.")
    assert len(fsyncs) >= 2  # the comment held in the flow, then the answer itself


def test_with_syncs_deferred_the_outcome_carries_the_sync_the_reader_s_text_still_needs(
    build: Build, fsyncs: list[int]
) -> None:
    services = build(on_disk=True)
    services.dialogue.defer_syncs()
    anna = Reader(1001, "Anna", "it")
    say(services, anna, Command("answer"))
    assert say(services, anna, Press("stance:depends")).sync is None  # nothing written yet
    written = say(services, anna, Text("Parole che aspettano il disco prima del grazie."))
    assert fsyncs == [] and written.sync is not None  # committed; the sync is the caller's
    written.sync()
    assert len(fsyncs) == 1
    assert say(services, anna, Command("story", "3")).sync is None  # owed once, then cleared
