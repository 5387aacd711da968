"""The content as the bot uses it once loaded: the essay, its topics, the matcher's words and
every phrase, with :meth:`Content.say` to phrase one in a language."""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.content import markup
from bot.model.text import normalized


@dataclass(frozen=True)
class TopicText:
    """A topic in one language."""

    name: str
    aliases: tuple[str, ...]
    answer: str


#: The aspects of a topic a question can ask for, in the order a conversation goes through them.
ASPECTS = ("what", "when", "why", "relation", "next")


@dataclass(frozen=True)
class Aspect:
    """What the essay says on one aspect of a topic: its own words, and a short answer per
    language resting on them."""

    quote: str
    part: int
    texts: Mapping[str, str]
    #: the quote translated, per language other than the essay's
    translations: Mapping[str, str] = field(default_factory=dict)

    def quote_in(self, lang: str) -> str:
        """The quote in ``lang`` (the original where there is no translation)."""
        return self.translations.get(lang, self.quote)


@dataclass(frozen=True)
class Topic:
    """Something the essay talks about that readers ask about."""

    id: str
    kind: str
    part: int
    quote: str
    related: tuple[str, ...]
    texts: Mapping[str, TopicText]
    aspects: Mapping[str, Aspect] = field(default_factory=dict)
    #: the quote translated, per language other than the essay's
    translations: Mapping[str, str] = field(default_factory=dict)

    def quote_in(self, lang: str) -> str:
        """The quote in ``lang`` (the original where there is no translation)."""
        return self.translations.get(lang, self.quote)


@dataclass(frozen=True)
class MatchingWords:
    """Stop words, small talk and weak words, from ``content/matching.yaml``."""

    by_language: Mapping[str, frozenset[str]]
    smalltalk: Mapping[str, tuple[str, ...]]
    weak: frozenset[str]

    @property
    def stopwords(self) -> frozenset[str]:
        """The stop words of every language."""
        return frozenset().union(*self.by_language.values())


@dataclass(frozen=True)
class Part:
    """One page of the essay as a reader sees it: one or two paragraphs."""

    id: str
    number: int
    paragraphs: tuple[str, ...]
    #: the part translated, per language other than the essay's
    translations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: a note shown under the part, outside the essay's text, per language
    notes: Mapping[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    def paragraphs_in(self, lang: str) -> tuple[str, ...]:
        """The part in ``lang`` (the original where there is no translation)."""
        return self.translations.get(lang, self.paragraphs)

    def text_in(self, lang: str) -> str:
        return "\n\n".join(self.paragraphs_in(lang))


@dataclass(frozen=True)
class Essay:
    """The essay: title, source and its parts in reading order."""

    title: str
    language: str
    source_name: str
    source_url: str
    parts: tuple[Part, ...]
    #: the title translated, per language other than the essay's
    titles: Mapping[str, str] = field(default_factory=dict)

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` (the original where there is no translation)."""
        return self.titles.get(lang, self.title)

    def is_translated(self, lang: str) -> bool:
        """Whether a reader of ``lang`` reads a translation rather than the original."""
        return lang != self.language and lang in self.titles

    @property
    def total(self) -> int:
        return len(self.parts)

    def part(self, number: int) -> Part | None:
        """Part ``number`` (1-based), or None when out of range."""
        return self.parts[number - 1] if 1 <= number <= len(self.parts) else None

    def part_by_id(self, part_id: str) -> Part | None:
        return next((p for p in self.parts if p.id == part_id), None)


#: One question of the bank in this many is held out of training.
HELD_OUT = 5
#: The longest question of the bank, in characters.
MAX_QUESTION = 300


@dataclass(frozen=True)
class Example:
    """One labelled question of the bank."""

    q: str
    lang: str
    intent: str
    aspect: str | None = None
    related: str | None = None
    #: the question as the model reads it (``normalized``)
    text: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", normalized(self.q))

    @property
    def held_out(self) -> bool:
        """Whether the example is kept aside as the bank's test, never trained on."""
        return zlib.crc32(self.text.encode()) % HELD_OUT == 0

    def as_yaml(self) -> dict[str, str]:
        entry = {"q": self.q, "lang": self.lang, "intent": self.intent}
        entry |= {"aspect": self.aspect} if self.aspect else {}
        return entry | ({"related": self.related} if self.related else {})


@dataclass(frozen=True)
class Passage:
    """Where the essay says it: the part, the original words, and their translations."""

    part: int
    quote: str
    translations: Mapping[str, str]


@dataclass(frozen=True)
class Term:
    """An idiom or rare word of the essay: per language its name, its meaning, and how the
    essay uses it."""

    id: str
    topic: str
    passage: Passage
    texts: Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class Premise:
    """A false premise a question may rest on, and the essay's words that correct it."""

    id: str
    topic: str
    passage: Passage
    texts: Mapping[str, str]


@dataclass(frozen=True)
class Guide:
    """Everything of this module, empty where its file is not given."""

    terms: Mapping[str, Term] = field(default_factory=dict)
    premises: Mapping[str, Premise] = field(default_factory=dict)
    overview: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    help: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Content:
    """Everything loaded from ``content/``."""

    essay: Essay
    languages: tuple[str, ...]
    phrases: Mapping[str, Mapping[str, str]]
    commands: Mapping[str, Mapping[str, str]]
    topics: tuple[Topic, ...]
    matching: MatchingWords
    blocked_words: tuple[str, ...] = ()
    wording: Wording = field(default_factory=lambda: no_wording())
    #: the language of readers whose Telegram language is none of ``languages`` (or unknown)
    fallback_language: str = ""
    #: the glossary, premises, overview and help (``glossary.yaml`` and the rest)
    guide: Guide = field(default_factory=lambda: Guide())
    #: the question bank the understanding learns from
    bank: tuple[Example, ...] = ()

    def topic(self, topic_id: str) -> Topic | None:
        """The topic with id ``topic_id``, if there is one."""
        return next((t for t in self.topics if t.id == topic_id), None)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def language_for(self, code: str | None) -> str:
        """The language to speak to a reader whose Telegram language is ``code``."""
        short = (code or "").split("-")[0].split("_")[0].lower()
        return short if short in self.languages else self.fallback_language or self.languages[0]

    def say(self, key: str, lang: str, **params: object) -> markup.Markup:
        """Phrase ``key`` in ``lang`` as Telegram HTML, its placeholders filled and escaped."""
        texts = self.phrases[key]
        return markup.fill(texts.get(lang) or texts[self.default_language], params)


#: Kinds of questions about the essay itself or about the bot.
ABOUT = ("author", "source", "essay", "unfinished", "translate", "opinion")


@dataclass(frozen=True)
class Wording:
    """How a question's wording says what it asks for, from ``content/wording.yaml``; every
    phrase folded (lower case, no accents or punctuation)."""

    aspects: Mapping[str, tuple[str, ...]]
    yesno_starts: frozenset[str]
    question_words: tuple[str, ...]
    frame: frozenset[str]


def no_wording() -> Wording:
    """Wording that recognises nothing (for content loaded without ``wording.yaml``)."""
    return Wording({}, frozenset(), (), frozenset())
