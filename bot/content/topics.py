"""Loading the essay's topics and the matcher's word lists, strictly checked."""

from __future__ import annotations

import re
from typing import Any

from bot.content.catalog import ASPECTS, Aspect, Essay, MatchingWords, Topic, TopicText
from bot.content.schema import Problems, text_of

KINDS = ("era", "role", "question")
TOPIC_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ANSWER = 600
MAX_NAME = 40
MAX_ASPECT = 400
SMALLTALK = ("hello", "thanks", "bye", "ack")


def _words(raw: Any) -> list[str] | None:
    if not isinstance(raw, list) or not all(isinstance(w, str | int) for w in raw):
        return None
    return [str(w).strip() for w in raw if str(w).strip()]


def load_matching(raw: Any, languages: tuple[str, ...], problems: Problems) -> MatchingWords:
    """The word lists of ``content/matching.yaml``."""
    file = "content/matching.yaml"
    raw = raw if isinstance(raw, dict) else {}
    stopwords: dict[str, frozenset[str]] = {}
    by_language = raw.get("stopwords")
    for lang in languages:
        words = _words(by_language.get(lang)) if isinstance(by_language, dict) else None
        if words is None:
            problems.add(file, f"stopwords.{lang}", "missing: list the language's stop words")
        else:
            stopwords[lang] = frozenset(w.lower() for w in words)
    smalltalk: dict[str, tuple[str, ...]] = {}
    raw_talk = raw.get("smalltalk") if isinstance(raw.get("smalltalk"), dict) else {}
    for kind in SMALLTALK:
        words = _words(raw_talk.get(kind))
        if not words:
            problems.add(file, f"smalltalk.{kind}", "missing: list its words and phrases")
        smalltalk[kind] = tuple(words or ())
    for kind in sorted(set(raw_talk) - set(SMALLTALK), key=str):
        problems.add(file, f"smalltalk.{kind}", f"unknown kind (allowed: {', '.join(SMALLTALK)})")
    weak = _words(raw.get("weak", []))
    if weak is None:
        problems.add(file, "weak", "must be a list of words")
    return MatchingWords(stopwords, smalltalk, frozenset(weak or ()))


def _topic_text(entry: Any, label: str, lang: str, problems: Problems) -> TopicText | None:
    file = "content/topics.yaml"
    where = f"{label} ({lang})"
    if not isinstance(entry, dict):
        problems.add(file, label, f"missing language {lang!r}")
        return None
    name, answer = text_of(entry.get("name")), text_of(entry.get("answer"))
    aliases = _words(entry.get("aliases"))
    if name is None or len(name) > MAX_NAME:
        problems.add(file, where, f"name missing or longer than {MAX_NAME} characters")
    if answer is None or len(answer) > MAX_ANSWER:
        problems.add(file, where, f"answer missing or longer than {MAX_ANSWER} characters")
    if not aliases:
        problems.add(file, where, "aliases missing: list the words readers may use")
    for key in sorted(set(entry) - {"name", "aliases", "answer"}, key=str):
        problems.add(file, where, f"unknown key {key!r}")
    if name is None or answer is None or not aliases or len(name) > MAX_NAME:
        return None
    return TopicText(name, tuple(aliases), answer)


def load_topics(
    raw: Any, languages: tuple[str, ...], essay: Essay, problems: Problems
) -> tuple[Topic, ...]:
    """The topics of ``content/topics.yaml``, their quotes checked against ``essay``."""
    file = "content/topics.yaml"
    entries = raw.get("topics") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        problems.add(file, "topics", "missing or empty: list the essay's topics")
        return ()
    topics: list[Topic] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        topic_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(topic_id, str) or not TOPIC_ID.match(topic_id):
            problems.add(file, f"topics[{index}]", "id missing or not like 'millennium-bug'")
            continue
        label = f"topic {topic_id}"
        if topic_id in seen:
            problems.add(file, label, "duplicate id")
            continue
        seen.add(topic_id)
        topic = _load_topic(entry, label, languages, essay, problems)
        if topic is not None:
            topics.append(topic)
    for topic in topics:
        for other in topic.related:
            if other not in seen:
                problems.add(file, f"topic {topic.id}", f"related topic {other!r} does not exist")
            elif other == topic.id:
                problems.add(file, f"topic {topic.id}", "is related to itself")
    return tuple(topics)


def _load_topic(
    entry: dict[str, Any],
    label: str,
    languages: tuple[str, ...],
    essay: Essay,
    problems: Problems,
) -> Topic | None:
    file = "content/topics.yaml"
    parts = tuple(part.text for part in essay.parts)
    others = [lang for lang in languages if lang != essay.language]
    known = {"id", "kind", "part", "quote", "related", "aspects", *languages}
    known |= {f"quote_{lang}" for lang in others}
    for key in sorted(set(entry) - known, key=str):
        problems.add(file, label, f"unknown key {key!r}")
    kind, part, quote = entry.get("kind"), entry.get("part"), text_of(entry.get("quote"))
    related = _words(entry.get("related", []))
    ok = True
    if kind not in KINDS:
        problems.add(file, label, f"kind must be one of {', '.join(KINDS)}")
        ok = False
    number = part if isinstance(part, int) and 1 <= part <= len(parts) else 0
    if not number:
        problems.add(file, label, f"part must be a part number from 1 to {len(parts)}")
        ok = False
    if quote is None:
        problems.add(file, label, "quote missing: the essay's sentence the topic rests on")
        ok = False
    elif ok and " ".join(quote.split()) not in " ".join(parts[number - 1].split()):
        problems.add(file, label, f"quote is not in part {part} of the essay, word for word")
        ok = False
    if related is None:
        problems.add(file, label, "related must be a list of topic ids")
        ok = False
    texts = {lang: _topic_text(entry.get(lang), label, lang, problems) for lang in languages}
    aspects = _load_aspects(entry.get("aspects", {}), label, languages, essay, problems)
    translations = _translated_quotes(entry, label, others, essay, number, problems)
    if not ok or quote is None or any(t is None for t in texts.values()) or aspects is None:
        return None
    if translations is None:
        return None
    return Topic(
        id=str(entry["id"]),
        kind=str(kind),
        part=number,
        quote=quote,
        related=tuple(related or ()),
        texts={lang: text for lang, text in texts.items() if text is not None},
        aspects=aspects,
        translations=translations,
    )


def _translated_quotes(
    entry: dict[str, Any],
    where: str,
    languages: list[str],
    essay: Essay,
    number: int,
    problems: Problems,
) -> dict[str, str] | None:
    """``quote_<lang>`` for every language but the essay's: the quote as the translation of
    part ``number`` has it, word for word (None if any is missing or not there)."""
    file = "content/topics.yaml"
    found: dict[str, str] = {}
    for lang in languages:
        quote = text_of(entry.get(f"quote_{lang}"))
        part = essay.part(number)
        if quote is None:
            problems.add(file, where, f"quote_{lang} missing: the quote in the {lang!r} essay")
        elif part is not None and " ".join(quote.split()) not in " ".join(
            part.text_in(lang).split()
        ):
            problems.add(
                file, where, f"quote_{lang} is not in part {number} of the {lang!r} essay"
            )
        else:
            found[lang] = quote
    return found if len(found) == len(languages) else None


def _part_of(quote: str, parts: tuple[str, ...]) -> int:
    """The number of the part that holds ``quote`` word for word (0 when none does)."""
    wanted = " ".join(quote.split())
    return next((n for n, text in enumerate(parts, 1) if wanted in " ".join(text.split())), 0)


def _load_aspects(
    raw: Any, label: str, languages: tuple[str, ...], essay: Essay, problems: Problems
) -> dict[str, Aspect] | None:
    """A topic's aspects: each a verbatim quote from any part, and a text per language."""
    file = "content/topics.yaml"
    parts = tuple(part.text for part in essay.parts)
    others = [lang for lang in languages if lang != essay.language]
    if not isinstance(raw, dict):
        problems.add(file, label, f"aspects must map aspects ({', '.join(ASPECTS)}) to texts")
        return None
    aspects: dict[str, Aspect] = {}
    for name, value in raw.items():
        where = f"{label} aspect {name}"
        if name not in ASPECTS:
            problems.add(file, where, f"unknown aspect (allowed: {', '.join(ASPECTS)})")
            continue
        value = value if isinstance(value, dict) else {}
        quote = text_of(value.get("quote"))
        part = _part_of(quote, parts) if quote else 0
        if not part:
            problems.add(file, where, "quote missing or not in the essay, word for word")
        texts: dict[str, str] = {}
        for lang in languages:
            text = text_of(value.get(lang))
            if text is None or len(text) > MAX_ASPECT:
                problems.add(file, f"{where} ({lang})", f"missing or over {MAX_ASPECT} characters")
            else:
                texts[lang] = text
        for key in sorted(set(value) - {"quote", *languages, *(f"quote_{o}" for o in others)}):
            problems.add(file, where, f"unknown key {key!r}")
        translations = _translated_quotes(value, where, others, essay, part, problems)
        if quote and part and len(texts) == len(languages) and translations is not None:
            aspects[name] = Aspect(quote, part, texts, translations)
    return aspects if len(aspects) == len(raw) else None
