"""Content an author edits: the essay and every phrase, loaded from YAML and strictly checked.

Loading never half-succeeds: either every file passes the schema, or :class:`ContentError` lists
one readable line per problem, naming the file, the entry and what is wrong.
"""

from __future__ import annotations

import dataclasses
import re
import string
from pathlib import Path
from typing import Any

from bot.content import markup
from bot.content.bank import intents, load_bank
from bot.content.catalog import Content, Essay, Guide, MatchingWords, Part, Topic, no_wording
from bot.content.guide import (
    HELP,
    OVERVIEW,
    check_quotes,
    load_premises,
    load_terms,
    load_texts,
    quotable,
)
from bot.content.phrases import BUTTONS, MAX_BUTTON_LABEL, NOTICES, PHRASES, RETIRED
from bot.content.schema import UNREADABLE, Problems, localized, read_yaml, text_of
from bot.content.topics import load_matching, load_topics
from bot.content.wording import load_wording
from bot.model.text import sentences

MAX_PART = 1000
MAX_NOTE = 200
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
PART_ID = re.compile(r"^[a-z0-9-]{1,16}$")
TOPICS = "content/topics.yaml"
TRANSLATED_TITLE = re.compile(r"title_[a-z]{2}")


class ContentError(Exception):
    """The content did not pass the schema; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _load_essay(raw: Any, problems: Problems) -> Essay | None:
    file = "content/essay.yaml"
    if not isinstance(raw, dict):
        problems.add(file, "file", "must be a mapping with title, language, source and parts")
        return None
    titles = {
        str(key)[6:]: text
        for key, value in raw.items()
        if TRANSLATED_TITLE.fullmatch(str(key)) and (text := text_of(value))
    }
    for key in sorted(set(raw) - {"title", "language", "source", "parts"}):
        if not TRANSLATED_TITLE.fullmatch(str(key)):
            problems.add(file, str(key), "unknown key")
    title = text_of(raw.get("title"))
    if title is None:
        problems.add(file, "title", "missing or empty")
    source = raw.get("source")
    source_name = source_url = None
    if not isinstance(source, dict):
        problems.add(file, "source", "missing: needs name and url")
    else:
        source_name, source_url = text_of(source.get("name")), text_of(source.get("url"))
        if source_name is None:
            problems.add(file, "source.name", "missing or empty")
        if source_url is None or not source_url.startswith(("https://", "http://")):
            problems.add(file, "source.url", "missing or not an http(s) address")
    parts = _load_parts(raw.get("parts"), problems)
    language = text_of(raw.get("language")) or ""
    if not LANGUAGE_CODE.match(language):
        problems.add(file, "language", "missing or not a two-letter code")
    if title is None or source_name is None or source_url is None or not parts:
        return None
    return Essay(title, language, source_name, source_url, tuple(parts), titles)


def _load_parts(raw: Any, problems: Problems) -> list[Part]:
    file = "content/essay.yaml"
    if not isinstance(raw, list) or not raw:
        problems.add(file, "parts", "missing or empty: list the essay's parts")
        return []
    parts: list[Part] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw, start=1):
        label = f"parts[{index}]"
        if not isinstance(entry, dict):
            problems.add(file, label, "must be a mapping with id and paragraphs")
            continue
        part_id = entry.get("id")
        if not isinstance(part_id, str) or not PART_ID.match(part_id):
            problems.add(file, label, "id missing or not made of a-z, 0-9 and '-'")
            continue
        label = f"part {part_id}"
        if part_id in seen:
            problems.add(file, label, "duplicate id")
            continue
        seen.add(part_id)
        for key in sorted(set(entry) - {"id", "paragraphs", "note"}):
            if not LANGUAGE_CODE.fullmatch(str(key)):
                problems.add(file, label, f"unknown key {key!r}")
        paragraphs: list[str] = entry.get("paragraphs") or []
        if not _paragraphs(paragraphs):
            problems.add(file, label, "paragraphs must list one or two non-empty paragraphs")
            continue
        translations: dict[str, tuple[str, ...]] = {}
        for lang in sorted(k for k in entry if k != "id" and LANGUAGE_CODE.fullmatch(str(k))):
            translated = entry[lang]
            if not _paragraphs(translated) or len(translated) != len(paragraphs):
                problems.add(file, f"{label}.{lang}", "must list the part's paragraphs translated")
                continue
            translations[lang] = tuple(p.strip() for p in translated)
        notes = _note(entry.get("note", {}), label, problems)
        part = Part(
            part_id, len(parts) + 1, tuple(p.strip() for p in paragraphs), translations, notes
        )
        longest = max([len(part.text), *(len(part.text_in(lang)) for lang in translations)])
        if longest > MAX_PART:
            problems.add(file, label, f"too long: {longest} characters (at most {MAX_PART})")
            continue
        parts.append(part)
    return parts


def _note(raw: Any, label: str, problems: Problems) -> dict[str, str]:
    """A part's note, outside the essay's text: a short text per language code."""
    notes = {str(k): text_of(v) for k, v in raw.items()} if isinstance(raw, dict) else None
    if notes is None or not all(LANGUAGE_CODE.fullmatch(k) for k in notes):
        problems.add("content/essay.yaml", f"{label}.note", "must map language codes to texts")
        return {}
    for lang, text in notes.items():
        if text is None or len(text) > MAX_NOTE:
            problems.add("content/essay.yaml", f"{label}.note.{lang}", f"empty or over {MAX_NOTE}")
    return {k: v for k, v in notes.items() if v is not None and len(v) <= MAX_NOTE}


def _paragraphs(raw: Any) -> bool:
    """Whether ``raw`` lists one or two non-empty paragraphs."""
    return isinstance(raw, list) and 1 <= len(raw) <= 2 and all(text_of(p) for p in raw)


def _check_translations(essay: Essay, languages: tuple[str, ...], problems: Problems) -> None:
    """Every language the bot speaks, other than the essay's, has the whole essay."""
    file = "content/essay.yaml"
    for lang in languages:
        if lang == essay.language:
            continue
        if lang not in essay.titles:
            problems.add(file, f"title_{lang}", f"missing: the title in {lang!r}")
        for part in essay.parts:
            if part.notes and lang not in part.notes:
                problems.add(file, f"part {part.id}.note", f"missing the {lang!r} text")
            if lang not in part.translations:
                problems.add(file, f"part {part.id}", f"missing the {lang!r} translation")
                continue
            pairs = zip(part.paragraphs, part.translations[lang], strict=False)
            for original, translated in pairs:
                have, want = len(sentences(translated)), len(sentences(original))
                if have != want:
                    problems.add(
                        file,
                        f"part {part.id} ({lang})",
                        f"{have} sentences where the original has {want}: "
                        "end them where the original does (. ; : ! ?)",
                    )


def _check_topic_quotes(topics: tuple[Topic, ...], essay: Essay, problems: Problems) -> None:
    """What a topic's answer or aspect puts in quotation marks is the essay's own words."""
    whole = quotable(essay)
    for topic in topics:
        for lang, text in topic.texts.items():
            check_quotes(TOPICS, f"topic {topic.id} ({lang})", text.answer, whole, problems)
        for name, aspect in topic.aspects.items():
            for lang, said in aspect.texts.items():
                where = f"topic {topic.id} aspect {name} ({lang})"
                check_quotes(TOPICS, where, said, whole, problems)


def _placeholders(template: str) -> set[str] | None:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError:
        return None


def _load_languages(raw: Any, problems: Problems) -> tuple[str, ...]:
    languages = raw.get("languages") if isinstance(raw, dict) else None
    if (
        not isinstance(languages, list)
        or not languages
        or not all(isinstance(c, str) and LANGUAGE_CODE.match(c) for c in languages)
    ):
        problems.add("content/messages.yaml", "languages", "must list two-letter codes")
        return ()
    if len(set(languages)) != len(languages):
        problems.add("content/messages.yaml", "languages", "duplicate language")
    return tuple(languages)


def _check_phrase(key: str, lang: str, template: str, problems: Problems) -> None:
    file = "content/messages.yaml"
    entry = f"{key} ({lang})"
    names = _placeholders(template)
    if names is None:
        problems.add(file, entry, "unbalanced { or }: write {{ and }} for literal braces")
        return
    for name in sorted(names - PHRASES[key]):
        allowed = ", ".join(sorted(PHRASES[key])) or "none"
        problems.add(file, entry, f"unknown placeholder {{{name}}} (allowed: {allowed})")
    for problem in markup.markup_problems(template):
        problems.add(file, entry, problem)
    sample = template.format_map({name: "x" for name in names}) if not names - PHRASES[key] else ""
    if key in NOTICES and len(markup.to_plain(sample)) > markup.MAX_NOTICE:
        problems.add(file, entry, f"too long for a button notice (at most {markup.MAX_NOTICE})")
    if key in BUTTONS and (markup.to_plain(sample) != sample or len(sample) > MAX_BUTTON_LABEL):
        problems.add(file, entry, f"a button label is plain text of 1-{MAX_BUTTON_LABEL} chars")


def _check_same_placeholders(key: str, texts: dict[str, str], problems: Problems) -> None:
    """Every language of a phrase says the same things: a placeholder one language fills and
    another drops is a slip (such as an unquoted ``#{number}``, which YAML reads as a
    comment)."""
    found = {lang: _placeholders(template) for lang, template in texts.items()}
    known = {lang: n for lang, n in found.items() if n is not None and n <= PHRASES[key]}
    every = set().union(*known.values())
    for lang, names in known.items():  # a language with a bad placeholder is reported already
        for name in sorted(every - names):
            problems.add(
                "content/messages.yaml",
                f"{key} ({lang})",
                f"lacks {{{name}}}, which another language has (a '#' starts a YAML comment:"
                " quote the text)",
            )


def _load_messages(
    raw: Any, command_names: tuple[str, ...], problems: Problems
) -> tuple[tuple[str, ...], dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    file = "content/messages.yaml"
    languages = _load_languages(raw, problems)
    if not isinstance(raw, dict):
        return languages, {}, {}
    for key in sorted(set(raw) - {"languages", "fallback_language", "commands", "messages"}):
        problems.add(file, str(key), "unknown key")
    if raw.get("fallback_language") not in (*languages, None):
        problems.add(file, "fallback_language", "must be one of `languages`")
    messages = raw.get("messages")
    if not isinstance(messages, dict):
        problems.add(file, "messages", "missing: map each phrase to its texts")
        messages = {}
    phrases: dict[str, dict[str, str]] = {}
    for key in PHRASES:
        if key not in messages:
            problems.add(file, key, "missing phrase")
            continue
        phrases[key] = localized(file, key, messages[key], languages, problems)
        for lang, template in phrases[key].items():
            _check_phrase(key, lang, template, problems)
        _check_same_placeholders(key, phrases[key], problems)
    for key in sorted(set(messages) - set(PHRASES) - RETIRED, key=str):
        problems.add(file, str(key), "unknown phrase: the bot never says it (a typo?)")
    commands = raw.get("commands")
    if not isinstance(commands, dict):
        problems.add(file, "commands", "missing: describe each command of the menu")
        commands = {}
    menu: dict[str, dict[str, str]] = {}
    for name in command_names:
        if name not in commands:
            problems.add(file, f"commands.{name}", "missing description")
            continue
        menu[name] = localized(file, f"commands.{name}", commands[name], languages, problems)
        for lang, text in menu[name].items():
            if len(text) > 256:
                problems.add(file, f"commands.{name} ({lang})", "longer than 256 characters")
    for name in sorted(set(commands) - set(command_names), key=str):
        problem = "not a valid command name" if not COMMAND_NAME.match(str(name)) else "unknown"
        problems.add(file, f"commands.{name}", f"{problem} command")
    return languages, phrases, menu


def load_content(directory: Path, command_names: tuple[str, ...]) -> Content:
    """Load and validate every content file in ``directory``; raise ContentError on problems.
    ``command_names`` are the commands whose menu descriptions the content must give."""
    if not directory.is_dir():  # one line naming the folder, not four about its files
        raise ContentError([f"{directory}: no such content folder (essay.yaml, messages.yaml…)"])
    problems = Problems()
    raw_essay = read_yaml(directory / "essay.yaml", problems)
    raw_messages = read_yaml(directory / "messages.yaml", problems)
    essay = None if raw_essay is UNREADABLE else _load_essay(raw_essay, problems)
    essay_problems = len(problems.lines)
    languages, phrases, commands = (
        ((), {}, {})
        if raw_messages is UNREADABLE
        else _load_messages(raw_messages, command_names, problems)
    )
    before = len(problems.lines)
    if essay is not None and languages:
        _check_translations(essay, languages, problems)
    # Topics quote the essay by part: check them only against an essay that loaded cleanly.
    whole = essay if not essay_problems and len(problems.lines) == before else None
    topics: tuple[Topic, ...] = ()
    matching = MatchingWords({}, {}, frozenset())
    if languages and whole is not None:
        raw_topics = read_yaml(directory / "topics.yaml", problems)
        if raw_topics is not UNREADABLE:
            topics = load_topics(raw_topics, languages, whole, problems)
            _check_topic_quotes(topics, whole, problems)
        raw_matching = read_yaml(directory / "matching.yaml", problems)
        if raw_matching is not UNREADABLE:
            matching = load_matching(raw_matching, languages, problems)
    blocked = _load_blocked(read_yaml(directory / "moderation.yaml", problems), problems)
    raw_wording = read_yaml(directory / "wording.yaml", problems)
    wording = no_wording() if raw_wording is UNREADABLE else load_wording(raw_wording, problems)
    if problems.lines or essay is None:
        raise ContentError(problems.lines or ["content/essay.yaml: file: could not be loaded"])
    fallback = raw_messages.get("fallback_language") if isinstance(raw_messages, dict) else None
    content = Content(essay, languages, phrases, commands, topics, matching, blocked, wording)
    if fallback in languages:
        content = dataclasses.replace(content, fallback_language=str(fallback))
    guide = _load_guide(directory, content, problems)
    if problems.lines:  # the bank names the guide's terms: check it against a sound guide
        raise ContentError(problems.lines)
    topic_ids = frozenset(t.id for t in topics)
    known = intents(topic_ids, guide)
    bank = load_bank(directory / "bank", known, topic_ids, languages, problems)
    if problems.lines:
        raise ContentError(problems.lines)
    return dataclasses.replace(content, guide=guide, bank=bank)


def _load_guide(directory: Path, content: Content, problems: Problems) -> Guide:
    """The glossary, premises, overview and help, each from its file where there is one."""

    def read(name: str) -> Any:
        path = directory / name
        return read_yaml(path, problems) if path.exists() else None

    essay, languages, topics = content.essay, content.languages, content.topics
    raw = read("glossary.yaml")
    terms = load_terms(raw, languages, essay, topics, problems) if raw is not None else {}
    raw = read("premises.yaml")
    premises = load_premises(raw, languages, essay, topics, problems) if raw is not None else {}
    raw = read("overview.yaml")
    overview = (
        load_texts("content/overview.yaml", raw, "kinds", OVERVIEW, languages, essay, problems)
        if raw is not None
        else {}
    )
    raw = read("help.yaml")
    features = tuple(HELP)
    help_texts = (
        load_texts(
            "content/help.yaml", raw, "features", features, languages, essay, problems, False
        )
        if raw is not None
        else {}
    )
    return Guide(terms, premises, overview, help_texts)


def _load_blocked(raw: Any, problems: Problems) -> tuple[str, ...]:
    if raw is UNREADABLE:
        return ()
    words = raw.get("blocked_words") if isinstance(raw, dict) else None
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        problems.add("content/moderation.yaml", "blocked_words", "must be a list of words")
        return ()
    return tuple(w.strip() for w in words)
