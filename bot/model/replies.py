"""Replies to readers' answers (one level): by a reader, or by the author (an admin), marked
as such. In code a reader's reply is a *response*: ``Reply`` is what the bot sends."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Response:
    """A reply to an answer, as stored."""

    id: int
    answer_id: int
    user_id: int
    text: str
    display_name: str | None
    by_author: bool
    lang: str
    status: str
    created_at: str
    updated_at: str

    @property
    def revision(self) -> str:
        """Changes whenever what an admin reviews changes (as an answer's revision does)."""
        joined = "\x1f".join((str(self.user_id), self.text, self.display_name or ""))
        return hashlib.sha256(joined.encode()).hexdigest()[:8]


#: Where the outbox's card numbers of /unanswered groups start (answers' cards are their ids).
QUESTION_CARDS = 1 << 40


def card_id(response_id: int) -> int:
    """The outbox's card number of a reply: answers' cards are their ids, replies' the
    negatives of theirs."""
    return -response_id


def question_card(question_id: int) -> int:
    """The outbox's card number of the /unanswered group that question ``question_id`` heads."""
    return QUESTION_CARDS + question_id
