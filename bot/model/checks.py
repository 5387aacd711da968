"""The outcome of one of ``essaybot doctor``'s checks, printed as one line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """``status`` is ``ok``, ``FAIL`` or ``skip`` (not run: what it needs failed)."""

    name: str
    status: str
    detail: str

    @classmethod
    def ok(cls, name: str, detail: str) -> Check:
        return cls(name, "ok", detail)

    @classmethod
    def fail(cls, name: str, detail: str) -> Check:
        return cls(name, "FAIL", detail)

    @classmethod
    def skip(cls, name: str, detail: str) -> Check:
        return cls(name, "skip", detail)

    @property
    def failed(self) -> bool:
        return self.status == "FAIL"

    def line(self) -> str:
        """``ok   token: @name (id 1)``, ``FAIL database: ...``: the names line up."""
        return f"{self.status:<4} {self.name}: {self.detail}"
