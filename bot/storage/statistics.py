"""The queries behind what the author reads: statistics and every answer for the export."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field

from bot.model.agreement import Standing
from bot.model.answers import STANCES, Answer
from bot.model.limits import MAX_MISSES, MAX_TOPICS
from bot.model.replies import Response
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


def stats(db: Database, parts: int, admins: Collection[int] = ()) -> Stats:
    """Readers (not the ``admins``), how far they read, answers per stance, most asked topics,
    unanswered questions."""

    def count(sql: str, *args: object) -> int:
        return int(db.execute(sql, args).fetchone()[0])

    # one pass over the readers: how many stopped at each part; the funnel sums them up
    stopped = dict.fromkeys(range(parts + 1), 0)
    for part, number in db.execute(
        "SELECT min(max(furthest_part, 0), ?), COUNT(*) FROM readers"
        " WHERE user_id NOT IN (SELECT value FROM json_each(?)) GROUP BY 1",
        (parts, json.dumps(sorted(admins))),
    ):
        stopped[int(part)] += int(number)
    readers = sum(stopped.values())
    funnel = [(n, sum(stopped[m] for m in range(n, parts + 1))) for n in range(1, parts + 1)]
    tally = dict.fromkeys(STANCES, 0)
    for stance, number in db.execute(
        "SELECT stance, COUNT(*) FROM answers WHERE status != 'hidden' GROUP BY stance"
    ):
        tally[stance] = int(number)
    topics = [
        (str(topic), int(number))
        for topic, number in db.execute(
            "SELECT topic, COUNT(*) AS n FROM questions WHERE topic IS NOT NULL"
            " GROUP BY topic ORDER BY n DESC, topic LIMIT ?",
            (MAX_TOPICS,),
        )
    ]
    misses = [
        (str(created)[:10], str(text))
        for text, created in db.execute(
            "SELECT text, created_at FROM questions WHERE outcome IN ('none', 'related')"
            " ORDER BY id DESC LIMIT ?",
            (MAX_MISSES,),
        )
    ]
    finished = dict.fromkeys(STANCES, 0)
    for stance, number in db.execute(
        "SELECT stance, COUNT(*) FROM answers WHERE status != 'hidden' AND user_id IN"
        " (SELECT user_id FROM readers WHERE furthest_part >= ?) GROUP BY stance",
        (parts,),
    ):
        finished[stance] = int(number)
    pairs = db.execute(
        "SELECT r.before_stance, a.stance, r.furthest_part FROM readers AS r"
        " JOIN answers AS a ON a.user_id = r.user_id"
        " WHERE a.status != 'hidden' AND r.before_stance IN (SELECT value FROM json_each(?))",
        (json.dumps(STANCES),),
    ).fetchall()
    moved: dict[tuple[str, str], int] = {}
    by_part: dict[int, list[int]] = {}
    for before, after, part in pairs:
        counts = by_part.setdefault(int(part), [0, 0])
        counts[before == after] += 1
        if before != after:
            moved[(before, after)] = moved.get((before, after), 0) + 1
    moves = [(b, a, n) for (b, a), n in sorted(moved.items(), key=lambda m: (-m[1], m[0]))]
    minds = [(part, c[0], c[1]) for part, c in sorted(by_part.items())]
    return Stats(readers, funnel, tally, topics, misses, finished, moves, minds)


def export_rows(
    answers: list[Answer],
    standings: dict[int, Standing],
    replies: dict[int, int],
    befores: dict[int, str],
    finished: set[int],
) -> list[dict[str, object]]:
    """Every answer, whatever its status, as plain rows: its votes, its cross-side score, its
    published replies, and its writer's stance before reading and whether they finished."""
    empty = Standing()
    return [
        {
            "id": a.id,
            "stance": a.stance,
            "text": a.comment or "",
            "display_name": a.display_name or "",
            "language": a.lang,
            "status": a.status,
            "created_at": a.created_at,
            "updated_at": a.updated_at,
            "agree": standings.get(a.id, empty).agree,
            "disagree": standings.get(a.id, empty).disagree,
            "agreement_across_sides": round(standings.get(a.id, empty).score, 3),
            "replies": replies.get(a.id, 0),
            "writer_before": befores.get(a.user_id, ""),
            "writer_finished": a.user_id in finished,
        }
        for a in answers
    ]


def reply_rows(responses: list[Response]) -> list[dict[str, object]]:
    """Every reply, whatever its status, as plain rows (the writer's id stays out, as it does
    for answers)."""
    return [
        {
            "id": r.id,
            "answer_id": r.answer_id,
            "text": r.text,
            "display_name": r.display_name or "",
            "by_author": r.by_author,
            "language": r.lang,
            "status": r.status,
            "created_at": r.created_at,
            "updated_at": r.updated_at,
        }
        for r in responses
    ]
