"""Fingerprints of readers' texts: hashes that tell "the same text" without keeping it."""

from __future__ import annotations

import hashlib

from bot.model.text import normal


def fingerprint(text: str) -> str:
    """A hash of what makes two comments "the same text": case, spacing, invisible characters
    and look-alike letters do not count."""
    same = " ".join(normal(text).casefold().split())
    return hashlib.sha256(same.encode()).hexdigest()[:32]
