"""The counts kept by triggers (votes per answer and per voters' stance, the cross-side rank,
answers per stance and how far their writers read) always equal a full recount, whatever
readers do in whatever order: answer, change stance, delete, vote, withdraw, say what they
thought before reading, read on, get banned and unbanned, be approved or hidden, forget."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.model.agreement import ranked
from bot.storage.counts import fill, recount_problems
from bot.storage.maintenance import check_database
from bot.storage.store import Store

USERS = range(1, 5)
STANCES = ("separate", "integrate", "depends")

vote = st.tuples(
    st.just("vote"), st.sampled_from(USERS), st.sampled_from(USERS), st.sampled_from((1, -1))
)
step = st.one_of(
    vote,
    vote,
    st.tuples(
        st.just("answer"),
        st.sampled_from(USERS),
        st.sampled_from(STANCES),
        st.booleans(),
        st.sampled_from(("published", "pending", "no reader row")),
    ),
    st.tuples(st.just("delete"), st.sampled_from(USERS)),
    st.tuples(st.just("withdraw"), st.sampled_from(USERS), st.sampled_from(USERS)),
    st.tuples(st.just("before"), st.sampled_from(USERS), st.sampled_from((*STANCES, "skip"))),
    st.tuples(st.just("read"), st.sampled_from(USERS), st.integers(1, 7)),
    st.tuples(st.just("ban"), st.sampled_from(USERS)),
    st.tuples(st.just("unban"), st.sampled_from(USERS)),
    st.tuples(
        st.just("verdict"),
        st.sampled_from(USERS),
        st.sampled_from(("published", "hidden", "pending")),
    ),
    st.tuples(st.just("forget"), st.sampled_from(USERS)),
    st.tuples(st.just("ask"), st.sampled_from(USERS), st.sampled_from((None, "cio", "cdo"))),
)


def apply(store: Store, action: tuple[object, ...]) -> None:
    kind, user = action[0], int(action[1])  # type: ignore[call-overload]
    answer = store.answers.of_reader(user)
    if kind == "answer":  # a writer may have no reader row yet (it comes with their next event)
        status = str(action[4]) if len(action) > 4 else "published"
        if status != "no reader row":
            store.readers.touch(user, f"R{user}", "it")
        words = "parole nuove" if action[3] else "le stesse parole"
        state = "pending" if status == "pending" else "published"
        store.answers.save(user, str(action[2]), words, None, "it", state)
    elif kind == "delete":
        store.answers.delete(user)
    elif kind in ("vote", "withdraw"):
        target = store.answers.of_reader(int(action[2]))  # type: ignore[call-overload]
        if target is not None and target.user_id != user:
            store.readers.touch(user, f"R{user}", "it")
            value = int(action[3]) if kind == "vote" else None  # type: ignore[call-overload]
            store.votes.set(target.id, user, value)
    elif kind == "before":
        store.readers.touch(user, f"R{user}", "it")
        store.readers.set_before(user, str(action[2]))
    elif kind == "read":
        store.readers.touch(user, f"R{user}", "it")
        store.readers.set_position(user, f"p{action[2]}", int(action[2]))  # type: ignore[call-overload]
    elif kind == "ban":
        store.answers.ban(user, 42)
    elif kind == "unban":
        store.answers.unban(user)
    elif kind == "verdict" and answer is not None:
        store.answers.set_status(answer.id, str(action[2]))
    elif kind == "forget":  # recent questions stay, their topic gone; older ones go
        store.forget(user, "2026-01-01T00:00:00+00:00")
    elif kind == "ask":
        store.readers.touch(user, f"R{user}", "it")
        topic = action[2] if isinstance(action[2], str) else None
        store.questions.record(user, "chi è?", "it", topic, 90, "answer")


def newest_first(store: Store, stance: str | None = None) -> list[int]:
    """Published answer ids (of one stance), newest first, by scanning them all: the oracle."""
    rows = store.db.execute(
        "SELECT id FROM answers WHERE status = 'published' AND coalesce(?, stance) = stance"
        " ORDER BY created_at DESC, id DESC",
        (stance,),
    )
    return [int(row[0]) for row in rows]


@settings(max_examples=300, deadline=None)
@given(st.lists(step, min_size=4, max_size=60))
def test_the_kept_counts_always_equal_a_full_recount(actions: list[tuple[object, ...]]) -> None:
    store = Store(":memory:")
    try:
        for user, stance in zip(USERS, STANCES, strict=False):  # all but one start answered
            apply(store, ("answer", user, stance, True, "published"))
        for action in actions:
            apply(store, action)
            assert recount_problems(store.db.connection) == [], action
        ids = newest_first(store)
        kept = store.answers.page_ids("a", None, 0, len(ids) + 1)
        assert kept == ranked(store.votes.standings(ids), ids)
        for stance in STANCES:
            mine = newest_first(store, stance)
            assert store.answers.count_published(stance) == len(mine)
            assert store.answers.page_ids("n", stance, 0, 100) == mine
    finally:
        store.close()


def test_a_database_with_votes_before_the_migration_is_counted_by_it() -> None:
    store = Store(":memory:")
    db = store.db.connection
    for user, stance in ((1, "separate"), (2, "integrate"), (3, "depends")):
        store.readers.touch(user, f"R{user}", "it")
        store.answers.save(user, stance, f"parole {user}", None, "it", "published")
    store.votes.set(1, 2, 1)
    store.votes.set(1, 3, -1)
    db.execute("DELETE FROM standings")
    db.execute("DELETE FROM tally_counts")
    assert recount_problems(db) != []
    db.execute("UPDATE votes SET counted = 0, voter_stance = NULL")
    for table in ("standings", "reader_parts", "topic_counts"):
        db.execute(f"DELETE FROM {table}")
    fill(db)
    assert recount_problems(db) == []
    assert store.answers.tally() == {"separate": 1, "integrate": 1, "depends": 1}
    store.close()


def test_the_doctor_says_when_the_kept_counts_disagree_with_a_recount(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    store = Store(str(path))
    store.readers.touch(1, "Anna", "it")
    store.answers.save(1, "separate", "parole", None, "it", "published")
    store.close()
    assert ", counts agree with a recount, " in check_database(str(path)).detail
    with sqlite3.connect(path) as db:
        db.execute("UPDATE tally_counts SET n = n + 1")
    verdict = check_database(str(path))
    assert verdict.failed and "the kept counts disagree with a recount (1: tally kept" in (
        verdict.detail
    )
