"""What the bot explains beyond the topics, loaded from YAML and strictly checked: the glossary
of the essay's idioms (``glossary.yaml``), the false premises its text corrects
(``premises.yaml``), answers about the essay as a whole (``overview.yaml``) and how to use the
bot (``help.yaml``). Every quote is checked word for word against the essay."""

from __future__ import annotations

import re
from typing import Any

from bot.content.catalog import Essay, Passage, Premise, Term, Topic
from bot.content.schema import Problems, localized, text_of

OVERVIEW = ("summary", "thesis", "tone", "structure")
#: Every feature a reader may ask how to use, and the command that does it.
HELP = {
    "vote": "answers",
    "read_answers": "answers",
    "reply": "answers",
    "answer": "answer",
    "change_answer": "answer",
    "delete_answer": "answer",
    "story": "story",
    "jump_part": "story",
    "cancel": "cancel",
    "lang": "lang",
    "notify": "notify",
    "mydata": "mydata",
    "forget": "forget",
    "topics": "topics",
    "commands": "help",
    "results": "answers",
}
ENTRY_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_TEXT = 600
_QUOTED = {"«": "»", "“": "”"}


def flat(text: str) -> str:
    """``text`` with its white space folded and its apostrophes one kind, for comparing quotes."""
    return " ".join(text.replace("’", "'").split())


def quotable(essay: Essay) -> tuple[str, ...]:
    """The essay's title and text in each of its languages, flattened and in lower case: what
    :func:`check_quotes` looks quotes up in (made once per file checked)."""
    return tuple(
        flat(" ".join((essay.title_in(lang), *(p.text_in(lang) for p in essay.parts)))).lower()
        for lang in (essay.language, *essay.titles)
    )


def check_quotes(
    file: str, where: str, text: str, whole: tuple[str, ...], problems: Problems
) -> None:
    """What ``text`` quotes (between « » or “ ”) must be the essay's words, in the original or
    a translation (``whole``: :func:`quotable`): quotation marks tell the reader the words are
    the essay's."""
    for opening, closing in _QUOTED.items():
        for quoted in re.findall(f"{opening}(.+?){closing}", text):
            if not any(flat(quoted).lower() in essay_text for essay_text in whole):
                problems.add(file, where, f"{quoted!r} is not in the essay")


def passage(
    file: str, where: str, raw: dict[str, Any], essay: Essay, problems: Problems
) -> Passage | None:
    """The entry's part, quote and ``quote_<lang>``: each word for word in that part."""
    number = raw.get("part")
    part = essay.part(number if isinstance(number, int) else 0)
    quote = text_of(raw.get("quote"))
    if part is None:
        problems.add(file, where, f"part must be a number from 1 to {essay.total}")
        return None
    if quote is None or flat(quote) not in flat(part.text):
        problems.add(file, where, f"quote missing or not in part {part.number}, word for word")
        return None
    if len(quote) > MAX_TEXT:
        problems.add(file, where, f"quote over {MAX_TEXT} characters: quote less")
        return None
    translations: dict[str, str] = {}
    for lang in part.translations:
        translated = text_of(raw.get(f"quote_{lang}"))
        if translated is None or flat(translated) not in flat(part.text_in(lang)):
            problems.add(file, where, f"quote_{lang} missing or not in the {lang!r} part")
            return None
        translations[lang] = translated
    return Passage(part.number, quote, translations)


def _entries(file: str, raw: Any, key: str, problems: Problems) -> list[dict[str, Any]]:
    entries = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.add(file, key, "must be a list of mappings")
        return []
    return entries


def _own(
    file: str, entry: dict[str, Any], topics: set[str], seen: set[str], problems: Problems
) -> str | None:
    """The entry's id, unique and well formed, with a known topic."""
    entry_id = text_of(entry.get("id")) or ""
    if not ENTRY_ID.match(entry_id) or entry_id in seen:
        problems.add(file, entry_id or "entry", "id missing, malformed or repeated")
        return None
    seen.add(entry_id)
    if entry.get("topic") not in topics:
        problems.add(file, entry_id, f"unknown topic {entry.get('topic')!r}")
        return None
    return entry_id


def load_terms(
    raw: Any, languages: tuple[str, ...], essay: Essay, topics: tuple[Topic, ...], p: Problems
) -> dict[str, Term]:
    file = "content/glossary.yaml"
    terms: dict[str, Term] = {}
    seen: set[str] = set()
    whole = quotable(essay)
    for entry in _entries(file, raw, "terms", p):
        term_id = _own(file, entry, {t.id for t in topics}, seen, p)
        where = passage(file, term_id or "entry", entry, essay, p)
        texts: dict[str, dict[str, str]] = {}
        for lang in languages:
            given = entry.get(lang)
            text: dict[str, Any] = given if isinstance(given, dict) else {}
            fields = {k: text_of(text.get(k)) for k in ("term", "meaning", "use")}
            if not all(fields.values()) or any(len(v or "") > MAX_TEXT for v in fields.values()):
                p.add(file, f"{term_id} ({lang})", "needs term, meaning and use (≤ 600 chars)")
            texts[lang] = {k: v for k, v in fields.items() if v}
            check_quotes(file, f"{term_id} ({lang})", fields["use"] or "", whole, p)
        if term_id and where:
            terms[term_id] = Term(term_id, str(entry["topic"]), where, texts)
    return terms


def load_premises(
    raw: Any, languages: tuple[str, ...], essay: Essay, topics: tuple[Topic, ...], p: Problems
) -> dict[str, Premise]:
    file = "content/premises.yaml"
    premises: dict[str, Premise] = {}
    seen: set[str] = set()
    whole = quotable(essay)
    for entry in _entries(file, raw, "premises", p):
        premise_id = _own(file, entry, {t.id for t in topics}, seen, p)
        where = passage(file, premise_id or "entry", entry, essay, p)
        texts = localized(
            file, premise_id or "entry", {k: entry.get(k) for k in languages}, languages, p
        )
        for lang, text in texts.items():
            check_quotes(file, f"{premise_id} ({lang})", text, whole, p)
            if len(text) > MAX_TEXT:
                p.add(file, f"{premise_id} ({lang})", f"over {MAX_TEXT} characters")
        if premise_id and where and len(texts) == len(languages):
            premises[premise_id] = Premise(premise_id, str(entry["topic"]), where, texts)
    return premises


def load_texts(
    file: str,
    raw: Any,
    key: str,
    kinds: tuple[str, ...],
    languages: tuple[str, ...],
    essay: Essay,
    problems: Problems,
    quotes: bool = True,
) -> dict[str, dict[str, str]]:
    """``key``: each of ``kinds`` to a text per language; with ``quotes``, what a text quotes
    (between « » or “ ”) must be the essay's words, in the original or its translation."""
    entries = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(entries, dict):
        problems.add(file, key, f"must map each of {', '.join(kinds)} to texts")
        return {}
    for extra in sorted(set(entries) - set(kinds), key=str):
        problems.add(file, f"{key}.{extra}", "unknown kind")
    texts: dict[str, dict[str, str]] = {}
    whole = quotable(essay)
    for kind in kinds:
        found = localized(file, f"{key}.{kind}", entries.get(kind), languages, problems)
        for lang, text in found.items():
            if quotes:
                check_quotes(file, f"{key}.{kind} ({lang})", text, whole, problems)
            if len(text) > MAX_TEXT:
                problems.add(file, f"{key}.{kind} ({lang})", "over 600 characters")
        texts[kind] = found
    return texts
