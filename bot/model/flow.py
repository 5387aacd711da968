"""Where a reader is in a multi-step flow (answering the title's question): a small typed record,
stored as its step and, as JSON, what the reader chose or wrote so far."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal, get_args

#: ``comment``: writing the comment (stance chosen); ``display``: choosing how to be shown
#: before saving (stance and comment kept); ``redisplay``: changing how a saved answer shows;
#: ``reply``: writing a reply to answer ``target``; ``reply_display``: choosing how to be shown
#: before saving that reply (kept in ``comment``); ``reply_edit``: rewriting reply ``target``.
Step = Literal["comment", "display", "redisplay", "reply", "reply_display", "reply_edit"]
#: The steps in which the reader's next message is text they are writing.
WRITING = ("comment", "reply", "reply_edit")
STEPS: tuple[str, ...] = get_args(Step)


@dataclass(frozen=True)
class Flow:
    """The reader's place in the answering flow, with what they chose or wrote so far."""

    step: Step
    stance: str | None = None
    comment: str | None = None
    target: int | None = None
    #: another command came in the middle: the flow waits for the reader to resume it
    paused: bool = False

    def data_json(self) -> str:
        """What the reader chose or wrote so far, as JSON (only what is set)."""
        data = {"stance": self.stance, "comment": self.comment, "target": self.target}
        found: dict[str, object] = {k: v for k, v in data.items() if v is not None}
        if self.paused:
            found["paused"] = True
        return json.dumps(found, ensure_ascii=False)

    @classmethod
    def from_row(cls, step: str | None, data: str | None) -> Flow | None:
        """The flow stored as ``step`` and JSON ``data``; None for no flow or an unknown step.
        Data that cannot be read counts as nothing chosen yet."""
        if step not in STEPS:
            return None
        try:
            fields = json.loads(data) if data else {}
        except ValueError:
            fields = {}
        fields = fields if isinstance(fields, dict) else {}
        stance, comment = fields.get("stance"), fields.get("comment")
        target = fields.get("target")
        return cls(
            step,  # type: ignore[arg-type]
            stance if isinstance(stance, str) else None,
            comment if isinstance(comment, str) else None,
            target if isinstance(target, int) and not isinstance(target, bool) else None,
            fields.get("paused") is True,
        )
