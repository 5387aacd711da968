"""What the author reads: statistics and the export of every answer (for /stats, /export and the
``essaybot stats`` and ``essaybot export`` commands)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from bot.answer_store import STANCES
from bot.store import Store

EXPORT_FIELDS = (
    "id",
    "stance",
    "text",
    "display_name",
    "language",
    "status",
    "created_at",
    "updated_at",
)
MAX_MISSES = 15
MAX_TOPICS = 8


@dataclass(frozen=True)
class Stats:
    """The numbers behind /stats."""

    readers: int
    funnel: list[tuple[int, int]]  # (part number, readers who reached it)
    tally: dict[str, int]  # stance -> answers (published and pending)
    topics: list[tuple[str, int]]  # (topic id, questions), most asked first
    misses: list[tuple[str, str]]  # (date, question), newest first


def stats(store: Store, parts: int) -> Stats:
    """Readers, how far they read, answers per stance, most asked topics, unanswered questions."""
    db = store.db
    readers = int(db.execute("SELECT COUNT(*) FROM readers").fetchone()[0])
    funnel = [
        (
            n,
            int(
                db.execute(
                    "SELECT COUNT(*) FROM readers WHERE furthest_part >= ?", (n,)
                ).fetchone()[0]
            ),
        )
        for n in range(1, parts + 1)
    ]
    tally = dict.fromkeys(STANCES, 0)
    for stance, count in db.execute(
        "SELECT stance, COUNT(*) FROM answers WHERE status != 'hidden' GROUP BY stance"
    ):
        tally[stance] = int(count)
    topics = [
        (str(topic), int(count))
        for topic, count in db.execute(
            "SELECT topic, COUNT(*) AS n FROM questions WHERE topic IS NOT NULL"
            " GROUP BY topic ORDER BY n DESC, topic LIMIT ?",
            (MAX_TOPICS,),
        )
    ]
    misses = [
        (str(created)[:10], str(text))
        for text, created in db.execute(
            "SELECT text, created_at FROM questions WHERE outcome = 'none'"
            " ORDER BY id DESC LIMIT ?",
            (MAX_MISSES,),
        )
    ]
    return Stats(readers, funnel, tally, topics, misses)


def export_rows(store: Store) -> list[dict[str, object]]:
    """Every answer, whatever its status, as plain rows."""
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
        }
        for a in store.answers.all()
    ]


def export_csv(rows: list[dict[str, object]]) -> bytes:
    """Rows as CSV a spreadsheet opens correctly: UTF-8 with a BOM, a header row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def export_json(rows: list[dict[str, object]]) -> bytes:
    """Rows as a JSON array."""
    return (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode()
