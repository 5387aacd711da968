"""Fingerprints of readers' texts: hashes that tell "the same text" without keeping it."""

from __future__ import annotations

import hashlib


def fingerprint(text: str) -> str:
    """A hash of what makes two comments "the same text" (case and spacing do not count)."""
    normal = " ".join(text.casefold().split())
    return hashlib.sha256(normal.encode()).hexdigest()[:32]
