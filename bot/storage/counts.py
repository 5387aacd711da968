"""Counts kept up to date as the data changes, so that nothing a reader does scans every answer:
SQLite triggers that run inside the transaction of the write that changes them.

- ``standings``: per answer, its votes (agree, disagree) and per voters' stance (separate,
  integrate, depends) the agrees and the votes; from them ``answers.rank_score`` (the cross-side
  score of :mod:`bot.model.agreement`) and ``answers.rank_votes``, indexed, so /answers "by
  agreement" reads a page through an index. Each vote row carries the stance it is counted under
  (``voter_stance``: the voter's answer's, else the one they gave before reading) and whether it
  counts (``counted``: not if the voter is banned); when either changes, the vote moves.
- ``tally_counts``: answers per status, stance, the writer's stance before reading ('' for none)
  and how far the writer read: the tally, the before/after moves and the counts by status are
  sums over at most a few hundred rows, whatever the number of answers.
- ``reader_parts`` and ``topic_counts``: readers per furthest part read (the funnel) and
  questions per topic, for /stats.

:func:`recount_problems` recounts both from the rows and names what disagrees (``essaybot
doctor`` runs it).
"""

from __future__ import annotations

import sqlite3

_STANCES = "('separate', 'integrate', 'depends')"


def _voter_stance(user: str) -> str:
    """SQL for the stance a vote by ``user`` (an SQL expression) is counted under."""
    return (
        f"coalesce((SELECT stance FROM answers WHERE user_id = {user}),"
        f" (SELECT before_stance FROM readers WHERE user_id = {user}"
        f" AND before_stance IN {_STANCES}))"
    )


def _delta(row: str, sign: str) -> str:
    """SET clauses adding (``sign`` '+') or removing ('-') vote ``row`` (NEW or OLD)."""
    agree, counted = f"({row}.counted AND {row}.value > 0)", f"{row}.counted"
    sets = [
        f"agree = agree {sign} {agree}",
        f"disagree = disagree {sign} ({counted} AND {row}.value < 0)",
    ]
    for stance in ("separate", "integrate", "depends"):
        same = f"{row}.voter_stance IS '{stance}'"
        sets.append(f"{stance}_agree = {stance}_agree {sign} ({agree} AND {same})")
        sets.append(f"{stance}_votes = {stance}_votes {sign} ({counted} AND {same})")
    return ", ".join(sets)


def _tally_key(status: str, stance: str, before: str, part: str) -> str:
    return f"{status}, {stance}, coalesce({before}, ''), coalesce({part}, 0)"


def _tally_move(key: str, step: int) -> str:
    """Statements adding ``step`` to the tally row at ``key`` (status, stance, before, part)."""
    return add_to("tally_counts", "status, stance, before_stance, furthest_part", key, step)


def _reader(user: str, column: str) -> str:
    return f"(SELECT {column} FROM readers WHERE user_id = {user})"


def statements() -> list[str]:
    """The tables, columns, indexes and triggers, in order (migration m018)."""
    old_key = _tally_key(
        "OLD.status",
        "OLD.stance",
        _reader("OLD.user_id", "before_stance"),
        _reader("OLD.user_id", "furthest_part"),
    )
    new_key = _tally_key(
        "NEW.status",
        "NEW.stance",
        _reader("NEW.user_id", "before_stance"),
        _reader("NEW.user_id", "furthest_part"),
    )
    answer_of = "(SELECT {0} FROM answers WHERE user_id = NEW.user_id)"
    reader_new = _tally_key(
        answer_of.format("status"),
        answer_of.format("stance"),
        "NEW.before_stance",
        "NEW.furthest_part",
    )
    reader_old = _tally_key(
        answer_of.format("status"),
        answer_of.format("stance"),
        "OLD.before_stance",
        "OLD.furthest_part",
    )
    unread = _tally_key(answer_of.format("status"), answer_of.format("stance"), "NULL", "NULL")
    has_answer = "EXISTS (SELECT 1 FROM answers WHERE user_id = NEW.user_id)"
    score = (
        "min((NEW.separate_agree + 1.0) / (NEW.separate_votes + 2),"
        " (NEW.integrate_agree + 1.0) / (NEW.integrate_votes + 2),"
        " CASE WHEN NEW.depends_votes > 0"
        " THEN (NEW.depends_agree + 1.0) / (NEW.depends_votes + 2) ELSE 1.0 END)"
    )
    groups = ", ".join(
        f"{s}_agree INTEGER NOT NULL DEFAULT 0, {s}_votes INTEGER NOT NULL DEFAULT 0"
        for s in ("separate", "integrate", "depends")
    )
    return [
        "ALTER TABLE votes ADD COLUMN voter_stance TEXT",
        "ALTER TABLE votes ADD COLUMN counted INTEGER NOT NULL DEFAULT 0",
        f"CREATE TABLE standings (answer_id INTEGER PRIMARY KEY, agree INTEGER NOT NULL"
        f" DEFAULT 0, disagree INTEGER NOT NULL DEFAULT 0, {groups})",
        "ALTER TABLE answers ADD COLUMN rank_score REAL NOT NULL DEFAULT 0.5",
        "ALTER TABLE answers ADD COLUMN rank_votes INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX answers_by_rank ON answers"
        " (status, rank_score DESC, rank_votes DESC, created_at DESC, id DESC)",
        "CREATE INDEX answers_by_stance_rank ON answers"
        " (status, stance, rank_score DESC, rank_votes DESC, created_at DESC, id DESC)",
        "CREATE INDEX answers_by_stance ON answers (status, stance, created_at DESC, id DESC)",
        "CREATE TABLE tally_counts (status TEXT NOT NULL, stance TEXT NOT NULL,"
        " before_stance TEXT NOT NULL, furthest_part INTEGER NOT NULL, n INTEGER NOT NULL,"
        " PRIMARY KEY (status, stance, before_stance, furthest_part))",
        # votes: counted under the voter's stance unless banned; moved when either changes
        f"CREATE TRIGGER votes_counted AFTER INSERT ON votes BEGIN"
        f" UPDATE votes SET voter_stance = {_voter_stance('NEW.user_id')},"
        f" counted = NOT EXISTS (SELECT 1 FROM bans WHERE user_id = NEW.user_id)"
        f" WHERE answer_id = NEW.answer_id AND user_id = NEW.user_id; END",
        f"CREATE TRIGGER votes_moved AFTER UPDATE OF value, voter_stance, counted ON votes BEGIN"
        f" INSERT INTO standings (answer_id) SELECT NEW.answer_id WHERE NOT EXISTS"
        f" (SELECT 1 FROM standings WHERE answer_id = NEW.answer_id);"
        f" UPDATE standings SET {_delta('OLD', '-')} WHERE answer_id = OLD.answer_id;"
        f" UPDATE standings SET {_delta('NEW', '+')} WHERE answer_id = NEW.answer_id; END",
        f"CREATE TRIGGER votes_gone AFTER DELETE ON votes BEGIN"
        f" UPDATE standings SET {_delta('OLD', '-')} WHERE answer_id = OLD.answer_id; END",
        f"CREATE TRIGGER standings_ranked AFTER UPDATE ON standings BEGIN"
        f" UPDATE answers SET rank_score = {score}, rank_votes = NEW.agree + NEW.disagree"
        f" WHERE id = NEW.answer_id; END",
        # a voter's stance: their answer's, else the one before reading
        "CREATE TRIGGER answers_voter_new AFTER INSERT ON answers BEGIN"
        " UPDATE votes SET voter_stance = NEW.stance"
        " WHERE user_id = NEW.user_id AND voter_stance IS NOT NEW.stance; END",
        "CREATE TRIGGER answers_voter_changed AFTER UPDATE OF stance ON answers"
        " WHEN OLD.stance IS NOT NEW.stance BEGIN"
        " UPDATE votes SET voter_stance = NEW.stance WHERE user_id = NEW.user_id; END",
        f"CREATE TRIGGER answers_voter_gone AFTER DELETE ON answers BEGIN"
        f" UPDATE votes SET voter_stance = {_voter_stance('OLD.user_id')}"
        f" WHERE user_id = OLD.user_id; DELETE FROM standings WHERE answer_id = OLD.id; END",
        f"CREATE TRIGGER readers_voter AFTER UPDATE OF before_stance ON readers"
        f" WHEN OLD.before_stance IS NOT NEW.before_stance BEGIN"
        f" UPDATE votes SET voter_stance = {_voter_stance('NEW.user_id')}"
        f" WHERE user_id = NEW.user_id; END",
        "CREATE TRIGGER bans_in AFTER INSERT ON bans BEGIN"
        " UPDATE votes SET counted = 0 WHERE user_id = NEW.user_id; END",
        "CREATE TRIGGER bans_out AFTER DELETE ON bans BEGIN"
        " UPDATE votes SET counted = 1 WHERE user_id = OLD.user_id; END",
        # the tally: each answer counted once, under its status, stance and writer's reading
        f"CREATE TRIGGER answers_tally_new AFTER INSERT ON answers BEGIN"
        f" {_tally_move(new_key, 1)} END",
        f"CREATE TRIGGER answers_tally_changed AFTER UPDATE OF status, stance ON answers"
        f" WHEN OLD.status IS NOT NEW.status OR OLD.stance IS NOT NEW.stance BEGIN"
        f" {_tally_move(old_key, -1)} {_tally_move(new_key, 1)} END",
        f"CREATE TRIGGER answers_tally_gone AFTER DELETE ON answers BEGIN"
        f" {_tally_move(old_key, -1)} END",
        f"CREATE TRIGGER readers_tally AFTER UPDATE OF before_stance, furthest_part ON readers"
        f" WHEN ({has_answer}) AND (OLD.before_stance IS NOT NEW.before_stance"
        f" OR OLD.furthest_part IS NOT NEW.furthest_part) BEGIN"
        f" {_tally_move(reader_old, -1)} {_tally_move(reader_new, 1)} END",
        *_simple_counts(),
        f"CREATE TRIGGER readers_tally_new AFTER INSERT ON readers WHEN {has_answer} BEGIN"
        f" {_tally_move(unread, -1)} {_tally_move(reader_new, 1)} END",
        f"CREATE TRIGGER readers_tally_gone AFTER DELETE ON readers"
        f" WHEN EXISTS (SELECT 1 FROM answers WHERE user_id = OLD.user_id) BEGIN"
        f" {_tally_move(reader_old.replace('NEW.user_id', 'OLD.user_id'), -1)}"
        f" {_tally_move(unread.replace('NEW.user_id', 'OLD.user_id'), 1)} END",
    ]


def add_to(table: str, columns: str, key: str, step: int) -> str:
    """Statements adding ``step`` to ``table``'s count ``n`` for ``columns`` = ``key``."""
    # not INSERT OR IGNORE: inside a trigger, the outer statement's conflict clause (an
    # upsert's) would override it
    return (
        f"INSERT INTO {table} ({columns}, n) SELECT {key}, 0 WHERE NOT EXISTS"
        f" (SELECT 1 FROM {table} WHERE ({columns}) = ({key}));"
        f" UPDATE {table} SET n = n + ({step}) WHERE ({columns}) = ({key});"
    )


def _simple_counts() -> list[str]:
    """Readers per furthest part read (the funnel) and questions per topic (/stats)."""
    parts, topics = "reader_parts", "topic_counts"
    return [
        f"CREATE TABLE {parts} (furthest_part INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
        f"CREATE TABLE {topics} (topic TEXT PRIMARY KEY, n INTEGER NOT NULL)",
        f"CREATE TRIGGER readers_part_new AFTER INSERT ON readers BEGIN"
        f" {add_to(parts, 'furthest_part', 'NEW.furthest_part', 1)} END",
        f"CREATE TRIGGER readers_part_moved AFTER UPDATE OF furthest_part ON readers"
        f" WHEN OLD.furthest_part IS NOT NEW.furthest_part BEGIN"
        f" {add_to(parts, 'furthest_part', 'OLD.furthest_part', -1)}"
        f" {add_to(parts, 'furthest_part', 'NEW.furthest_part', 1)} END",
        f"CREATE TRIGGER readers_part_gone AFTER DELETE ON readers BEGIN"
        f" {add_to(parts, 'furthest_part', 'OLD.furthest_part', -1)} END",
        f"CREATE TRIGGER questions_topic_new AFTER INSERT ON questions"
        f" WHEN NEW.topic IS NOT NULL BEGIN {add_to(topics, 'topic', 'NEW.topic', 1)} END",
        f"CREATE TRIGGER questions_topic_left AFTER UPDATE OF topic ON questions"
        f" WHEN OLD.topic IS NOT NULL AND OLD.topic IS NOT NEW.topic BEGIN"
        f" {add_to(topics, 'topic', 'OLD.topic', -1)} END",
        f"CREATE TRIGGER questions_topic_came AFTER UPDATE OF topic ON questions"
        f" WHEN NEW.topic IS NOT NULL AND OLD.topic IS NOT NEW.topic BEGIN"
        f" {add_to(topics, 'topic', 'NEW.topic', 1)} END",
        f"CREATE TRIGGER questions_topic_gone AFTER DELETE ON questions"
        f" WHEN OLD.topic IS NOT NULL BEGIN {add_to(topics, 'topic', 'OLD.topic', -1)} END",
    ]


#: Each kept count: what it is called in a report, its key columns, and the recount of it from
#: the rows (which also fills it for a database that had rows before migration m018).
_RECOUNTS = {
    "tally_counts": (
        "tally",
        "status, stance, before_stance, furthest_part",
        "SELECT a.status, a.stance, coalesce(r.before_stance, ''), coalesce(r.furthest_part, 0),"
        " COUNT(*) FROM answers AS a LEFT JOIN readers AS r ON r.user_id = a.user_id"
        " GROUP BY 1, 2, 3, 4",
    ),
    "reader_parts": (
        "reader_parts",
        "furthest_part",
        "SELECT furthest_part, COUNT(*) FROM readers GROUP BY 1",
    ),
    "topic_counts": (
        "topic_counts",
        "topic",
        "SELECT topic, COUNT(*) FROM questions WHERE topic IS NOT NULL GROUP BY 1",
    ),
}


def fill(db: sqlite3.Connection) -> None:
    """Count what a database holds already (once, in the migration): every vote moves to its
    stance, every answer into the tally, every reader and question into theirs."""
    db.execute(
        f"UPDATE votes SET voter_stance = {_voter_stance('votes.user_id')},"
        " counted = NOT EXISTS (SELECT 1 FROM bans WHERE bans.user_id = votes.user_id)"
    )
    for table, (_, columns, recount) in _RECOUNTS.items():
        db.execute(f"INSERT INTO {table} ({columns}, n) {recount}")


def recount_problems(db: sqlite3.Connection) -> list[str]:
    """What the maintained counts say that a full recount from the rows does not (empty: they
    agree). Reads every vote and answer: for ``essaybot doctor``, never on a reader's path."""
    problems: list[str] = []
    recounted = {
        int(row[0]): tuple(int(n) for n in row[1:])
        for row in db.execute(
            "SELECT answer_id, SUM(counted AND value > 0), SUM(counted AND value < 0),"
            + ", ".join(
                f" SUM(counted AND value > 0 AND voter_stance IS '{s}'),"
                f" SUM(counted AND voter_stance IS '{s}')"
                for s in ("separate", "integrate", "depends")
            )
            + " FROM (SELECT answer_id, value, NOT EXISTS (SELECT 1 FROM bans"
            " WHERE bans.user_id = votes.user_id) AS counted,"
            f" {_voter_stance('votes.user_id')} AS voter_stance FROM votes) GROUP BY answer_id"
        )
    }
    kept = {
        int(row[0]): tuple(int(n) for n in row[1:])
        for row in db.execute(
            "SELECT answer_id, agree, disagree, separate_agree, separate_votes, integrate_agree,"
            " integrate_votes, depends_agree, depends_votes FROM standings"
        )
    }
    for answer_id in sorted(set(recounted) | set(kept)):
        want = recounted.get(answer_id, (0,) * 8)
        have = kept.get(answer_id, (0,) * 8)
        if want != have:
            problems.append(f"answer {answer_id}: votes kept {have}, recounted {want}")
    for table, (label, columns, recount) in _RECOUNTS.items():
        problems += differences(db, table, label, columns, recount)
    return problems


def differences(
    db: sqlite3.Connection, table: str, label: str, columns: str, recount: str
) -> list[str]:
    """What kept count ``table`` (keyed by ``columns``) says that ``recount`` does not."""
    again = {tuple(row[:-1]): int(row[-1]) for row in db.execute(recount)}
    stored = {
        tuple(row[:-1]): int(row[-1])
        for row in db.execute(f"SELECT {columns}, n FROM {table} WHERE n != 0")
    }
    if again == stored:
        return []
    return [f"{label} kept {sorted(stored.items())}, recounted {sorted(again.items())}"]
