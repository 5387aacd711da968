"""The question bank (``content/bank/*.yaml``): readers' questions, each labelled with what it
asks, that the bot learns its understanding from. The author edits it; every entry is checked.

An entry: ``q`` (the message), ``lang``, ``intent`` (a topic id, ``out`` for what the essay does
not answer, ``essay:<kind>``, ``glossary:<term>``, ``premise:<id>``, ``help:<feature>``,
``smalltalk:<kind>``, ``sequence`` or ``followup``), ``aspect`` (with a topic or ``followup``)
and ``related`` (with ``out``: the topic it touches). A fifth of the bank, chosen by each
question's checksum, is never trained on: it is the bank's own test.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.content.catalog import ASPECTS, MAX_QUESTION, Example, Guide
from bot.content.guide import HELP, OVERVIEW
from bot.content.schema import UNREADABLE, Problems, read_yaml, text_of
from bot.model.text import normalized

#: Kinds of questions about the essay as a whole (``essay:<kind>``).
ESSAY = (*OVERVIEW, "author", "source", "length", "unfinished", "translate", "opinion")
SMALLTALK = ("hello", "thanks", "bye", "ack")
SINGLE = ("out", "sequence", "followup")
KEYS = frozenset({"q", "lang", "intent", "aspect", "related"})


def intents(topics: Iterable[str], guide: Guide) -> frozenset[str]:
    """Every intent an entry may have, given the content's topics and its guide: the terms,
    premises, overview kinds and help features it has an answer for."""
    return frozenset(
        (
            *topics,
            *SINGLE,
            *(f"essay:{k}" for k in ESSAY if k not in OVERVIEW or k in guide.overview),
            *(f"glossary:{t}" for t in guide.terms),
            *(f"premise:{p}" for p in guide.premises),
            *(f"help:{h}" for h in HELP if h in guide.help),
            *(f"smalltalk:{k}" for k in SMALLTALK),
        )
    )


def _text(raw: dict[str, Any], key: str) -> str | None:
    """The entry's ``key`` if it is a string (a list or a number is no intent)."""
    value = raw.get(key)
    return value if isinstance(value, str) else None


def check_entry(
    raw: Any, known: frozenset[str], topics: frozenset[str], languages: tuple[str, ...]
) -> Example | str:
    """The entry as an example, or what is wrong with it."""
    if not isinstance(raw, dict):
        return "must be a mapping with q, lang and intent"
    q, intent, lang = text_of(raw.get("q")), _text(raw, "intent"), _text(raw, "lang")
    text = normalized(q) if q is not None and len(q) <= MAX_QUESTION else ""
    aspect, related = raw.get("aspect"), raw.get("related")
    unknown = sorted(set(raw) - KEYS, key=str)
    problem = (
        f"unknown key {unknown[0]!r}"
        if unknown
        else f"q must be 1-{MAX_QUESTION} characters"
        if q is None or len(q) > MAX_QUESTION
        else "q has nothing to read: no letter, digit or emoji"
        if not text
        else f"lang must be one of {', '.join(languages)}"
        if lang not in languages
        else f"unknown intent {raw.get('intent')!r}"
        if intent not in known
        else "aspect goes only with a topic or followup"
        if aspect is not None and intent not in topics and intent != "followup"
        else f"aspect must be one of {', '.join(ASPECTS)}"
        if aspect is not None and aspect not in ASPECTS
        else "related goes only with out, and names a topic"
        if related is not None and (intent != "out" or related not in topics)
        else None
    )
    if problem is not None or q is None or lang is None or intent is None:
        return problem or "q missing"
    return Example(q, lang, intent, aspect, related, text)  # normalized once


def load_bank(
    directory: Path,
    known: frozenset[str],
    topics: frozenset[str],
    languages: tuple[str, ...],
    problems: Problems,
) -> tuple[Example, ...]:
    """Every example of every ``*.yaml`` in ``directory`` (none when there is no such folder)."""
    found: list[Example] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else ():
        file = f"content/bank/{path.name}"
        raw = read_yaml(path, problems, file)
        if raw is UNREADABLE:
            continue
        entries = raw.get("examples") if isinstance(raw, dict) else None
        if not isinstance(entries, list):
            problems.add(file, "examples", "must be a list of entries")
            continue
        for index, entry in enumerate(entries, start=1):
            example = check_entry(entry, known, topics, languages)
            if isinstance(example, str):
                problems.add(file, f"examples[{index}]", example)
                continue
            key = example.text
            if key in seen:  # the same question twice: once is enough, two verdicts are wrong
                if seen[key] != example.intent:
                    problems.add(file, f"examples[{index}]", f"also in the bank as {seen[key]}")
                continue
            seen[key] = example.intent
            found.append(example)
    return tuple(found)
