"""Readers' questions and what the bot made of them, the ones it could not answer, and the
aliases the author taught it from those."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.database import Database

#: Outcomes of a question that left the reader without the essay's answer.
UNANSWERED = ("none", "related", "choices")


@dataclass(frozen=True)
class Question:
    """A reader's question as stored."""

    id: int
    user_id: int
    text: str
    lang: str
    topic: str | None
    outcome: str
    created_at: str


@dataclass(frozen=True)
class LearnedAlias:
    topic: str
    lang: str
    phrase: str
    #: the aspect the phrasing asks (None: the topic as a whole)
    aspect: str | None = None


class QuestionStore:
    """Questions, their resolutions, and learned aliases."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def record(
        self, user_id: int, text: str, lang: str, topic: str | None, score: int, outcome: str
    ) -> None:
        """Keep a reader's question with what it matched (the author reads the misses)."""
        self.db.execute(
            "INSERT INTO questions (user_id, text, lang, topic, score, outcome, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (user_id, text, lang, topic, score, outcome, self.db.now()),
        )

    def asked_since(self, user_id: int, since: str) -> int:
        """How many questions the reader asked after the stamp ``since``."""
        row = self.db.execute(
            "SELECT COUNT(*) FROM questions WHERE user_id = ? AND created_at > ?",
            (user_id, since),
        ).fetchone()
        return int(row[0])

    def unanswered(self, limit: int) -> list[Question]:
        """The newest questions the bot could not answer and nobody has resolved yet."""
        marks = ", ".join("?" for _ in UNANSWERED)
        rows = self.db.execute(
            "SELECT id, user_id, text, lang, topic, outcome, created_at FROM questions"
            f" WHERE resolution IS NULL AND outcome IN ({marks}) ORDER BY id DESC LIMIT ?",
            (*UNANSWERED, limit),
        )
        return [Question(*row) for row in rows]

    def ids_of(self, user_id: int) -> list[int]:
        """The ids of the reader's questions still kept."""
        rows = self.db.execute(
            "SELECT id FROM questions WHERE user_id = ? ORDER BY id", (user_id,)
        )
        return [int(row[0]) for row in rows]

    def resolve(self, ids: list[int], resolution: str) -> None:
        """Mark questions as answered by topic ``resolution``, or as "uncovered"."""
        now = self.db.now()
        with self.db.transaction():
            for question_id in ids:
                self.db.execute(
                    "UPDATE questions SET resolution = ?, resolved_at = ? WHERE id = ?",
                    (resolution, now, question_id),
                )

    def learn(self, topic: str, lang: str, phrase: str, taught_by: int, asked_by: int) -> bool:
        """Keep ``phrase`` (asked by reader ``asked_by``) as a new alias of ``topic``; False if
        it was already known."""
        with self.db.transaction():
            added = self.db.execute(
                "INSERT OR IGNORE INTO learned_aliases (topic, lang, phrase, taught_by,"
                " asked_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (topic, lang, phrase, taught_by, asked_by, self.db.now()),
            )
            return added.rowcount > 0

    def resolution(self, question_id: int) -> tuple[Question, str | None] | None:
        """Question ``question_id`` and what the author resolved it as (a topic id,
        "uncovered", or None), if it is kept."""
        row = self.db.execute(
            "SELECT id, user_id, text, lang, topic, outcome, created_at, resolution"
            " FROM questions WHERE id = ?",
            (question_id,),
        ).fetchone()
        return None if row is None else (Question(*row[:7]), row[7])

    def teach_aspect(self, topic: str, phrase: str, aspect: str) -> bool:
        """The learned ``phrase`` of ``topic`` asks ``aspect``; False if it is not learned."""
        with self.db.transaction():
            changed = self.db.execute(
                "UPDATE learned_aliases SET aspect = ? WHERE topic = ? AND phrase = ?",
                (aspect, topic, phrase),
            )
            return changed.rowcount > 0

    def learned(self) -> list[LearnedAlias]:
        rows = self.db.execute(
            "SELECT topic, lang, phrase, aspect FROM learned_aliases ORDER BY id"
        )
        return [LearnedAlias(*row) for row in rows]
