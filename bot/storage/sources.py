"""Which way readers came in (a deep link's source: the blog, the channel, a share, or one the
author named) and who shared the link that brought them, with the count per source kept up to
date by triggers, like those of :mod:`bot.storage.counts`: ``source_counts`` holds readers per
source, furthest part read and whether they answered, so /stats sums a few rows."""

from __future__ import annotations

import json
import sqlite3

from bot.storage.counts import add_to, differences

_TABLE, _COLUMNS = "source_counts", "source, furthest_part, answered"
_ANSWERED = "EXISTS (SELECT 1 FROM answers WHERE user_id = {0})"
_RECOUNT = (
    "SELECT coalesce(source, ''), furthest_part,"
    " EXISTS (SELECT 1 FROM answers AS a WHERE a.user_id = r.user_id), COUNT(*)"
    " FROM readers AS r GROUP BY 1, 2, 3"
)


#: Each reader's share code (migration m021): random, unique, given to every new reader.
SHARE_CODES = (
    "ALTER TABLE readers ADD COLUMN share_code TEXT",
    "UPDATE readers SET share_code = lower(hex(randomblob(8)))",
    "CREATE UNIQUE INDEX readers_by_share_code ON readers (share_code)",
    "CREATE TRIGGER readers_share_code AFTER INSERT ON readers WHEN NEW.share_code IS NULL"
    " BEGIN UPDATE readers SET share_code = lower(hex(randomblob(8)))"
    " WHERE user_id = NEW.user_id; END",
)


def _key(row: str) -> str:
    """The count's key for reader ``row`` (NEW or OLD): source ('' before sources were kept),
    furthest part, answered."""
    return f"coalesce({row}.source, ''), {row}.furthest_part, {_ANSWERED.format(row + '.user_id')}"


def _reader_key(user: str, answered: int) -> str:
    """The key of the reader who wrote answer ``user`` (an SQL expression), as answered or not."""
    found = f"(SELECT {{0}} FROM readers WHERE user_id = {user})"
    return f"coalesce({found.format('source')}, ''), {found.format('furthest_part')}, {answered}"


def statements() -> list[str]:
    """The columns, the table, its triggers and indexes (migration m020)."""
    has_reader = "EXISTS (SELECT 1 FROM readers WHERE user_id = {0}.user_id)"
    return [
        "ALTER TABLE readers ADD COLUMN source TEXT",
        "ALTER TABLE readers ADD COLUMN referrer INTEGER",
        # the readers already there came before sources were kept: a later link changes that
        # no more than it changes any reader's first way in
        "UPDATE readers SET source = ''",
        "CREATE INDEX readers_by_referrer ON readers (referrer) WHERE referrer IS NOT NULL",
        f"CREATE TABLE {_TABLE} (source TEXT NOT NULL, furthest_part INTEGER NOT NULL,"
        f" answered INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY ({_COLUMNS}))",
        f"CREATE TRIGGER readers_source_new AFTER INSERT ON readers BEGIN"
        f" {add_to(_TABLE, _COLUMNS, _key('NEW'), 1)} END",
        f"CREATE TRIGGER readers_source_moved AFTER UPDATE OF source, furthest_part ON readers"
        f" WHEN OLD.source IS NOT NEW.source OR OLD.furthest_part IS NOT NEW.furthest_part BEGIN"
        f" {add_to(_TABLE, _COLUMNS, _key('OLD'), -1)}"
        f" {add_to(_TABLE, _COLUMNS, _key('NEW'), 1)} END",
        f"CREATE TRIGGER readers_source_gone AFTER DELETE ON readers BEGIN"
        f" {add_to(_TABLE, _COLUMNS, _key('OLD'), -1)} END",
        f"CREATE TRIGGER answers_source_new AFTER INSERT ON answers"
        f" WHEN {has_reader.format('NEW')} BEGIN"
        f" {add_to(_TABLE, _COLUMNS, _reader_key('NEW.user_id', 0), -1)}"
        f" {add_to(_TABLE, _COLUMNS, _reader_key('NEW.user_id', 1), 1)} END",
        f"CREATE TRIGGER answers_source_gone AFTER DELETE ON answers"
        f" WHEN {has_reader.format('OLD')} BEGIN"
        f" {add_to(_TABLE, _COLUMNS, _reader_key('OLD.user_id', 1), -1)}"
        f" {add_to(_TABLE, _COLUMNS, _reader_key('OLD.user_id', 0), 1)} END",
    ]


def fill(db: sqlite3.Connection) -> None:
    """Count the readers a database holds already (once, in the migration)."""
    db.execute(f"INSERT INTO {_TABLE} ({_COLUMNS}, n) {_RECOUNT}")


def recount_problems(db: sqlite3.Connection) -> list[str]:
    """What the kept counts by source say that a recount from the readers does not."""
    return differences(db, _TABLE, "source_counts", _COLUMNS, _RECOUNT)


def by_source(
    db: sqlite3.Connection, parts: int, admins: list[int]
) -> list[tuple[str, int, int, int]]:
    """(source, readers, readers who reached the last part, readers who answered) per source,
    most readers first, from the kept counts; ``admins`` are not counted. Source '' holds the
    readers who came before sources were kept."""
    found: dict[str, list[int]] = {}

    def add(source: str, part: int, answered: int, n: int) -> None:
        row = found.setdefault(source, [0, 0, 0])
        row[0] += n
        row[1] += n if part >= parts else 0
        row[2] += n if answered else 0

    for source, part, answered, n in db.execute(f"SELECT {_COLUMNS}, n FROM {_TABLE}"):
        add(str(source), int(part), int(answered), int(n))
    for source, part, answered in db.execute(
        f"SELECT coalesce(source, ''), furthest_part, {_ANSWERED.format('readers.user_id')}"
        " FROM readers WHERE user_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(admins)),),
    ):
        add(str(source), int(part), int(answered), -1)
    rows = [(source, c[0], c[1], c[2]) for source, c in found.items() if c[0] > 0]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def sharing(db: sqlite3.Connection, top: int = 5) -> tuple[int, int, list[int]]:
    """Readers who came through a reader's share, how many readers' shares brought them, and
    the most any ``top`` of those brought (counts only: no names)."""
    brought = [
        int(row[1])
        for row in db.execute(
            "SELECT referrer, COUNT(*) FROM readers WHERE referrer IS NOT NULL"
            " GROUP BY referrer ORDER BY 2 DESC"
        )
    ]
    return sum(brought), len(brought), brought[:top]
