"""Agree and disagree votes on answers, with the voter's own stance for agreement across sides
(the stance of their answer, or else the one they gave before reading)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from bot.model.agreement import Standing
from bot.storage.database import Database

#: The voter's own stance: their answer's, else the one they chose before reading.
_VOTER_STANCE = """
    coalesce(
        (SELECT stance FROM answers WHERE answers.user_id = votes.user_id),
        (SELECT before_stance FROM readers WHERE readers.user_id = votes.user_id
         AND before_stance IN ('separate', 'integrate', 'depends'))
    )
"""


class VoteStore:
    """Votes: one per reader and answer, changeable."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def set(self, answer_id: int, user_id: int, value: int | None) -> None:
        """Record the reader's vote on the answer (+1, -1), or withdraw it (None)."""
        with self.db.transaction():
            if value is None:
                self.db.execute(
                    "DELETE FROM votes WHERE answer_id = ? AND user_id = ?", (answer_id, user_id)
                )
                return
            self.db.execute(
                "INSERT INTO votes (answer_id, user_id, value, created_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (answer_id, user_id) DO UPDATE SET value = excluded.value,"
                " created_at = excluded.created_at",
                (answer_id, user_id, value, self.db.now()),
            )

    def mine(self, user_id: int, answer_ids: Iterable[int]) -> dict[int, int]:
        """The reader's votes on these answers: answer id -> +1 or -1."""
        ids = json.dumps(sorted(set(answer_ids)))
        rows = self.db.execute(
            "SELECT answer_id, value FROM votes WHERE user_id = ?"
            " AND answer_id IN (SELECT value FROM json_each(?))",
            (user_id, ids),
        )
        return {int(a): int(v) for a, v in rows}

    def standings(self, answer_ids: Iterable[int] | None = None) -> dict[int, Standing]:
        """Votes per answer (all answers, or these), with agreement per voters' stance; a banned
        reader's votes do not count."""
        where = "WHERE user_id NOT IN (SELECT user_id FROM bans)"
        args: tuple[str, ...] = ()
        if answer_ids is not None:
            where += " AND answer_id IN (SELECT value FROM json_each(?))"
            args = (json.dumps(sorted(set(answer_ids))),)
        rows = self.db.execute(
            f"SELECT answer_id, {_VOTER_STANCE} AS stance, SUM(value > 0), COUNT(*)"
            f" FROM votes {where} GROUP BY answer_id, stance",
            args,
        )
        found: dict[int, tuple[int, int, dict[str, tuple[int, int]]]] = {}
        for answer_id, stance, agree, votes in rows:
            total_agree, total_disagree, groups = found.get(int(answer_id), (0, 0, {}))
            if stance is not None:
                groups[str(stance)] = (int(agree), int(votes))
            found[int(answer_id)] = (
                total_agree + int(agree),
                total_disagree + int(votes) - int(agree),
                groups,
            )
        return {
            a: Standing(agree, disagree, groups) for a, (agree, disagree, groups) in found.items()
        }

    def clear_answer(self, answer_id: int) -> None:
        """Forget the votes on an answer whose words changed (they were about other words)."""
        self.db.execute("DELETE FROM votes WHERE answer_id = ?", (answer_id,))

    def of_reader(self, user_id: int) -> list[dict[str, object]]:
        rows = self.db.execute(
            "SELECT answer_id, value, created_at FROM votes WHERE user_id = ? ORDER BY 1",
            (user_id,),
        )
        return [
            {"answer": int(a), "vote": "agree" if v > 0 else "disagree", "at": t}
            for a, v, t in rows
        ]
