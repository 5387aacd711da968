"""Readers' answers to the title's question: stances, statuses, the record, and the rules on
what a comment may be and which status a saved answer gets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

#: The three stances, always shown in this order.
STANCES = ("separate", "integrate", "depends")
STATUSES = ("published", "pending", "hidden")
Status = Literal["published", "pending", "hidden"]
#: How a reader is shown next to their answer.
DISPLAYS = ("name", "anonymous")


@dataclass(frozen=True)
class Answer:
    """A reader's answer as stored."""

    id: int
    user_id: int
    stance: str
    comment: str | None
    display_name: str | None
    lang: str
    status: str
    created_at: str
    updated_at: str
    #: when its writer last changed its words or stance (None: never): replies follow it
    edited_at: str | None = None

    @property
    def revision(self) -> str:
        """A short tag that changes whenever what an admin reviews (who, stance, comment, name)
        changes: admin buttons carry it, so a stale card is refreshed instead of acted on, and
        never acts on another reader's answer that happens to read the same."""
        parts = (str(self.user_id), self.stance, self.comment, self.display_name)
        joined = "\x1f".join(part or "" for part in parts)
        return hashlib.sha256(joined.encode()).hexdigest()[:8]


def next_status(
    previous: Answer | None, *, pre_moderation: bool, under_review: bool = False
) -> Status:
    """The status of a new or changed answer: published at once, unless answers are held for
    approval, the reader is under review (an answer of theirs was hidden, even if deleted
    since), or the previous version still waits for an admin (a change never skips a review)."""
    if pre_moderation or under_review:
        return "pending"
    if previous is not None and previous.status != "published":
        return "pending"
    return "published"
