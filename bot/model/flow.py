"""Where a reader is in a multi-step flow (answering the title's question), as a small typed
record stored as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Literal, get_args

#: ``comment``: writing the comment (stance chosen); ``display``: choosing how to be shown
#: before saving (stance and comment kept); ``redisplay``: changing how a saved answer shows.
Step = Literal["comment", "display", "redisplay"]
STEPS: tuple[str, ...] = get_args(Step)


@dataclass(frozen=True)
class Flow:
    """The reader's place in the answering flow, with what they chose or wrote so far."""

    step: Step
    stance: str | None = None
    comment: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> Flow | None:
        """The flow stored as ``text``; None for no flow or anything unreadable."""
        try:
            data = json.loads(text) if text else None
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("step") not in STEPS:
            return None
        stance, comment = data.get("stance"), data.get("comment")
        return cls(
            data["step"],
            stance if isinstance(stance, str) else None,
            comment if isinstance(comment, str) else None,
        )
