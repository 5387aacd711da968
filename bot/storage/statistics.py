"""The queries behind what the author reads: statistics and every answer for the export."""

from __future__ import annotations

import json
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from bot.model.answers import STANCES
from bot.model.limits import MAX_MISSES, MAX_TOPICS
from bot.storage import sources
from bot.storage.database import Database


@dataclass(frozen=True)
class Stats:
    """The numbers behind /stats."""

    readers: int
    funnel: list[tuple[int, int]]  # (part number, readers who reached it)
    tally: dict[str, int]  # stance -> answers (published and pending)
    topics: list[tuple[str, int]]  # (topic id, questions), most asked first
    misses: list[tuple[str, str]]  # (date, question), newest first
    tally_finished: dict[str, int] = field(default_factory=dict)  # of readers who finished
    moves: list[tuple[str, str, int]] = field(default_factory=list)  # (before, after, readers)
    #: (furthest part read, readers who changed their mind, readers who kept it)
    minds_by_part: list[tuple[int, int, int]] = field(default_factory=list)
    #: (source, readers, finished, answered), most readers first ('' : before sources)
    sources: list[tuple[str, int, int, int]] = field(default_factory=list)
    #: readers brought by shares, the readers whose shares brought them, the most by one
    sharing: tuple[int, int, list[int]] = (0, 0, [])


def stats(db: Database, parts: int, admins: Collection[int] = ()) -> Stats:
    """Readers (not the ``admins``), how far they read, answers per stance, most asked topics,
    unanswered questions."""

    # from the kept counts (bot/storage/counts.py): nothing here grows with the readers
    stopped = dict.fromkeys(range(parts + 1), 0)
    for part, number in db.execute("SELECT furthest_part, n FROM reader_parts"):
        stopped[min(max(int(part), 0), parts)] += int(number)
    for (part,) in db.execute(  # the admins are not readers
        "SELECT furthest_part FROM readers WHERE user_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(admins)),),
    ):
        stopped[min(max(int(part), 0), parts)] -= 1
    readers = sum(stopped.values())
    funnel = [(n, sum(stopped[m] for m in range(n, parts + 1))) for n in range(1, parts + 1)]
    topics = [
        (str(topic), int(number))
        for topic, number in db.execute(
            "SELECT topic, n FROM topic_counts WHERE n > 0 ORDER BY n DESC, topic LIMIT ?",
            (MAX_TOPICS,),
        )
    ]
    misses = [  # the newest of each outcome through its index, then the newest of those
        (str(created)[:10], str(text))
        for _, text, created in sorted(
            (
                tuple(row)
                for outcome in ("none", "related")
                for row in db.execute(
                    "SELECT id, text, created_at FROM questions WHERE outcome = ?"
                    " ORDER BY id DESC LIMIT ?",
                    (outcome, MAX_MISSES),
                )
            ),
            reverse=True,
        )[:MAX_MISSES]
    ]
    tally, finished = dict.fromkeys(STANCES, 0), dict.fromkeys(STANCES, 0)
    moved: dict[tuple[str, str], int] = {}
    by_part: dict[int, list[int]] = {}
    for stance, before, part, number in db.execute(
        "SELECT stance, before_stance, furthest_part, SUM(n) FROM tally_counts"
        " WHERE status != 'hidden' GROUP BY 1, 2, 3"
    ):
        tally[stance] = tally.get(stance, 0) + int(number)
        if int(part) >= parts:
            finished[stance] = finished.get(stance, 0) + int(number)
        if before in STANCES and int(number):
            counts = by_part.setdefault(int(part), [0, 0])
            counts[before == stance] += int(number)
            if before != stance:
                moved[(before, stance)] = moved.get((before, stance), 0) + int(number)
    moves = [(b, a, n) for (b, a), n in sorted(moved.items(), key=lambda m: (-m[1], m[0]))]
    minds = [(part, c[0], c[1]) for part, c in sorted(by_part.items())]
    ways = sources.by_source(db.connection, parts, sorted(admins))
    return Stats(
        readers,
        funnel,
        tally,
        topics,
        misses,
        finished,
        moves,
        minds,
        ways,
        sources.sharing(db.connection),
    )


#: Rows read at a time by a streamed export; between two batches it lets other threads run.
BATCH = 500


def iter_export_rows(db: Database, parts: int) -> Iterator[dict[str, object]]:
    """Every answer, whatever its status, as plain rows: its votes and cross-side score (from
    the kept counts), its published replies, its writer's stance before reading and whether
    they read all ``parts``. Read in batches through one query: memory stays flat whatever the
    number of answers."""
    cursor = db.execute(
        "SELECT a.id, a.stance, coalesce(a.comment, ''), coalesce(a.display_name, ''), a.lang,"
        " a.status, a.created_at, a.updated_at, coalesce(s.agree, 0), coalesce(s.disagree, 0),"
        " a.rank_score, (SELECT COUNT(*) FROM replies WHERE replies.answer_id = a.id"
        " AND replies.status = 'published'),"
        " CASE WHEN r.before_stance IN (SELECT value FROM json_each(?)) THEN r.before_stance"
        " ELSE '' END, coalesce(r.furthest_part, 0) >= ?"
        " FROM answers AS a LEFT JOIN standings AS s ON s.answer_id = a.id"
        " LEFT JOIN readers AS r ON r.user_id = a.user_id ORDER BY a.id",
        (json.dumps(STANCES), parts),
    )
    names = (
        "id", "stance", "text", "display_name", "language", "status", "created_at",
        "updated_at", "agree", "disagree", "agreement_across_sides", "replies",
        "writer_before", "writer_finished",
    )  # fmt: skip
    while batch := cursor.fetchmany(BATCH):
        for row in batch:
            found = dict(zip(names, row, strict=True))
            found["agreement_across_sides"] = round(float(row[10]), 3)
            found["writer_finished"] = bool(row[13])
            yield found
        time.sleep(0)  # the event loop's thread gets Python's lock between batches


def iter_reply_rows(db: Database) -> Iterator[dict[str, object]]:
    """Every reply, whatever its status, as plain rows (the writer's id stays out, as it does
    for answers), read in batches."""
    cursor = db.execute(
        "SELECT id, answer_id, text, coalesce(display_name, ''), by_author, lang, status,"
        " created_at, updated_at FROM replies ORDER BY id"
    )
    names = (
        "id", "answer_id", "text", "display_name", "by_author", "language", "status",
        "created_at", "updated_at",
    )  # fmt: skip
    while batch := cursor.fetchmany(BATCH):
        for row in batch:
            found = dict(zip(names, row, strict=True))
            found["by_author"] = bool(row[4])
            yield found
        time.sleep(0)
