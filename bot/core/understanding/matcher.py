"""Fuzzy matching of readers' questions to the essay's topics, with an honest confidence.

Questions and aliases are normalised the same way (case, accents, apostrophes, punctuation,
stop words). Short words and acronyms (IT, CIO, DB...) only match exactly and whole; longer words
tolerate typos. A topic's score combines how well its best alias matches with how much of the
question its aliases explain, so "il ritorno del marketing" prefers the comeback over Marketing.
The result is a decision, not a best guess: a confident topic, a few close choices, or nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.content.catalog import MatchingWords, Topic
from bot.model.text import fold, unrepeated

#: Similarity (0-100) a word or phrase needs to count as a match.
SIMILAR = 85
#: Words shorter than this match only exactly.
MIN_FUZZY = 6
#: Longer words that share this many first letters are taken as forms of one word.
STEM = 6
#: In a whole-phrase comparison, how alike each word must at least be to its counterpart.
LOOSE = 60
#: Phrases shorter than this are not compared as whole strings.
MIN_PHRASE = 8
#: A topic this sure, clearly ahead of the next, is the answer.
CONFIDENT = 75
#: ...where clearly ahead means by at least this much.
MARGIN = 10
#: Below this a topic is not even offered as a choice.
PLAUSIBLE = 55
MAX_CHOICES = 3
#: How many tokens' similar words are kept.
SIMILAR_KEPT = 20000
WEAK_WEIGHT = 0.5
UNKNOWN_PENALTY = 0.25
_ACRONYM = re.compile(r"^[A-Z0-9]{2,4}$")


def words(text: str) -> list[str]:
    """The folded words of ``text``, case kept (so "IT" can be told from "it")."""
    return fold(text).split()


@dataclass(frozen=True)
class Alias:
    """One way of naming a topic, as normalised words; ``exact`` words match only exactly."""

    topic: str
    words: tuple[str, ...]
    exact: frozenset[str]

    @property
    def phrase(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class Candidate:
    """A topic and how well it matches, 0-100."""

    topic: str
    score: int


@dataclass(frozen=True)
class Match:
    """The decision: ``topic`` when confident, else ``choices`` when plausible, else nothing.

    ``smalltalk`` names a greeting, thanks or goodbye; ``ranking`` holds every topic that
    matched at all, best first.
    """

    topic: str | None = None
    score: int = 0
    choices: tuple[Candidate, ...] = ()
    smalltalk: str | None = None
    ranking: tuple[Candidate, ...] = field(default=(), compare=False)
    #: for each topic in the ranking, the positions of the question's words its aliases cover
    covers: Mapping[str, frozenset[int]] = field(default_factory=dict, compare=False)


#: Acronyms that are also words, read as the word after these words, or before these others
#: with no article ahead, unless written in capitals: "ciò che conta", "di ciò" is the
#: pronoun, not the CIO ("il cio che fine fa" is the CIO).
AS_WORD = {
    "cio": (
        frozenset({"di", "per", "con", "da", "su", "tutto", "questo"}),
        frozenset({"che", "chi", "nonostante"}),
    )
}
ARTICLES = frozenset({"il", "lo", "al", "del", "dal", "nel", "sul", "un", "a", "the"})


class Matcher:
    """Matches questions against the topics' aliases in every language."""

    def __init__(
        self,
        topics: Iterable[Topic],
        vocabulary: MatchingWords,
        neutral: Iterable[str] = (),
    ) -> None:
        """Match ``topics`` by their aliases; words of
        ``neutral`` (how questions are worded: "why", "reason", "salary"...) are left out of a
        question unless an alias uses them."""
        self.stopwords = vocabulary.stopwords
        self.by_language = vocabulary.by_language
        self.weak = frozenset(w.lower() for w in vocabulary.weak)
        self.smalltalk = self._smalltalk(vocabulary.smalltalk)
        # each small-talk word, with the kind of the first phrase it appears in
        self.smalltalk_words: dict[str, str] = {}
        for phrase, kind in self.smalltalk.items():
            for word in phrase.split():
                if len(word) > 2 or word not in self.stopwords or phrase == word:
                    self.smalltalk_words.setdefault(word, kind)
        self.aliases: list[Alias] = []
        for topic in topics:
            for text in topic.texts.values():
                for name in text.aliases:
                    self._add(topic.id, name)
        self._neutral = frozenset(w for n in neutral for w in n.lower().split())
        self._index()
        # Words that are stop words in some languages only ("is", "what" for English): their
        # presence shows which language an ambiguous word such as "it" is in.
        self.only_in: dict[str, frozenset[str]] = {}
        for lang, stops in vocabulary.by_language.items():
            others = set().union(
                *(s for other, s in vocabulary.by_language.items() if other != lang)
            )
            for word in stops - others:
                self.only_in[word] = frozenset({lang})

    def add_aliases(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Teach the matcher new ways of naming topics ((topic, alias) pairs), at once."""
        for topic, alias in pairs:
            self._add(topic, alias)
        self._index()

    def _index(self) -> None:
        self.acronyms = {w for a in self.aliases for w in a.exact}
        self.vocabulary = sorted({w for a in self.aliases for w in a.words})
        self.by_word: dict[str, list[int]] = {}
        for index, entry in enumerate(self.aliases):
            for word in entry.words:
                self.by_word.setdefault(word, []).append(index)
        self.by_stem: dict[str, list[str]] = {}
        for word in self.vocabulary:
            if len(word) > STEM:
                self.by_stem.setdefault(word[:STEM], []).append(word)
        self.neutral = self._neutral - set(self.by_word)
        #: similar_words of the tokens seen lately
        self._similar: dict[str, dict[str, float]] = {}

    def _add(self, topic: str, alias: str) -> None:
        acronyms = {w.lower() for w in words(alias) if _ACRONYM.match(w) and not w.isdigit()}
        kept = tuple(w for w in words(alias.lower()) if w in acronyms or w not in self.stopwords)
        entry = Alias(topic, kept, frozenset(acronyms))
        if kept and entry not in self.aliases:
            self.aliases.append(entry)

    def _smalltalk(self, kinds: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
        return {fold(p).lower(): kind for kind, phrases in kinds.items() for p in phrases}

    def tokens(self, question: str) -> list[str]:
        """The words of ``question`` that can carry a topic.

        An acronym that is also a stop word ("IT", the English "it") counts as the acronym when
        written in capitals, or when no other word of the question is a stop word of only the
        language where it is one ("what time is it" is English; "cos'è l'it" is not). One that
        is also a word of its own ("ciò") is that word where the words around it say so.
        """
        return self._read(question)[0]

    def as_words(self, question: str) -> list[str]:
        """The acronyms ``question`` uses as ordinary words ("it's", "ciò che conta")."""
        return self._read(question)[1]

    def _read(self, question: str) -> tuple[list[str], list[str]]:
        raw = words(question)
        lower = [w.lower() for w in raw]
        tokens, plain = [], []
        for i, (original, word) in enumerate(zip(raw, lower, strict=True)):
            if word in self.neutral:
                continue
            if word in AS_WORD and not original.isupper():
                before, after = AS_WORD[word]
                ahead = lower[i - 1] if i else ""
                if ahead in before or (
                    lower[i + 1 : i + 2] in ([w] for w in after) and ahead not in ARTICLES
                ):
                    plain.append(word)
                    continue
            if word not in self.stopwords:
                tokens.append(word)
            elif word in self.acronyms:
                ambiguous_in = {lang for lang, stops in self.by_language.items() if word in stops}
                context = any(
                    self.only_in.get(w, frozenset()) & ambiguous_in for w in lower if w != word
                )
                if original.isupper() or not context:
                    tokens.append(word)
                else:
                    plain.append(word)
        return tokens, plain

    def similar_words(self, token: str) -> dict[str, float]:
        """Alias words like ``token``, with their similarity: exact for short words and
        acronyms, fuzzy (typos) or by shared stem for longer ones (kept for the words seen
        most recently: readers use the same words again and again)."""
        found = self._similar.get(token)
        if found is None:
            if len(self._similar) >= SIMILAR_KEPT:
                self._similar.clear()
            found = self._similar[token] = self._similar_words(token)
        return found

    def _similar_words(self, token: str) -> dict[str, float]:
        found: dict[str, float] = {}
        if token in self.by_word:
            found[token] = 100.0
        if len(token) >= MIN_FUZZY:
            for word, score, _ in process.extract(
                token, self.vocabulary, scorer=fuzz.ratio, score_cutoff=LOOSE, limit=None
            ):
                if word != token and len(word) >= MIN_FUZZY and word not in self.acronyms:
                    found[word] = score if score >= SIMILAR else -score
            if len(token) > STEM:
                for word in self.by_stem.get(token[:STEM], ()):
                    found[word] = max(found.get(word, 0.0), float(SIMILAR))
        return found

    def _alias_score(
        self, alias: Alias, tokens: list[str], near: list[dict[str, float]]
    ) -> tuple[float, set[int]]:
        covered: set[int] = set()
        total = 0.0
        for alias_word in alias.words:
            best, where = 0.0, -1
            for index, similar in enumerate(near):
                score = similar.get(alias_word, 0.0)
                if score > best:
                    best, where = score, index
            total += best
            if where >= 0:
                covered.add(where)
        score = total / len(alias.words)
        if score >= 100 or alias.exact or len(alias.phrase) < MIN_PHRASE:
            # phrases with acronyms are never compared as a whole: "cia" is not "CIO"
            return score, covered
        size = len(alias.words)
        # windows only around the words that already look like the alias's: a long message
        # costs no more than a short one
        around = {i for where in covered for i in range(where - size, where + 1)}
        for width in {max(1, size - 1), size, size + 1}:
            last = max(0, len(tokens) - width)
            for start in sorted(i for i in around if 0 <= i <= last):
                window = tokens[start : start + width]
                ratio = fuzz.ratio(" ".join(window), alias.phrase)
                if ratio >= SIMILAR and ratio > score and self._each_word_near(alias, window):
                    score, covered = ratio, set(range(start, start + len(window)))
        return score, covered

    @staticmethod
    def _each_word_near(alias: Alias, window: list[str]) -> bool:
        """Every alias word has a loosely similar word in ``window`` ("bag" for "bug", but not
        "digital" for "information")."""
        return all(max(fuzz.ratio(a, w) for w in window) >= LOOSE for a in alias.words)

    def matched_aliases(self, tokens: list[str]) -> list[tuple[Alias, float, set[int]]]:
        """The aliases that match ``tokens``, with their score and the tokens they cover."""
        near = [self.similar_words(token) for token in tokens]
        candidates = sorted({i for similar in near for w in similar for i in self.by_word[w]})
        clean = [{w: s for w, s in similar.items() if s > 0} for similar in near]
        found = []
        for index in candidates:
            alias = self.aliases[index]
            score, where = self._alias_score(alias, tokens, clean)
            if score >= SIMILAR:
                found.append((alias, score, where))
        return found

    def mentions(self, text: str, limit: int = 2) -> list[str]:
        """Topics a longer text (a reader's comment) names, by more than a subject word alone:
        the ones whose aliases cover most of its words first."""
        covered: dict[str, set[int]] = {}
        tokens = self.tokens(text)
        for alias, _, where in self.matched_aliases(tokens):
            if not all(tokens[i] in self.weak for i in where):
                covered.setdefault(alias.topic, set()).update(where)
        ranked = sorted(covered, key=lambda topic: (-len(covered[topic]), topic))
        return ranked[:limit]

    def rank(
        self, tokens: list[str], covers: dict[str, frozenset[int]] | None = None
    ) -> list[Candidate]:
        """Every topic that matches ``tokens``, best first (and into ``covers``, the tokens each
        one's aliases cover)."""
        weights = [WEAK_WEIGHT if t in self.weak else 1.0 for t in tokens]
        best: dict[str, float] = {}
        covered: dict[str, set[int]] = {}
        for alias, score, where in self.matched_aliases(tokens):
            best[alias.topic] = max(best.get(alias.topic, 0.0), score)
            covered.setdefault(alias.topic, set()).update(where)
        known = set().union(*covered.values()) if covered else set()
        known_weight = sum(weights[i] for i in known) or 1.0
        unknown = 1 - sum(weights[i] for i in known) / (sum(weights) or 1.0)
        ranking = []
        for topic, score in best.items():
            coverage = sum(weights[i] for i in covered[topic]) / known_weight
            final = score * (0.6 + 0.4 * coverage) * (1 - UNKNOWN_PENALTY * unknown)
            ranking.append(Candidate(topic, round(final)))
        if covers is not None:
            covers.update({topic: frozenset(where) for topic, where in covered.items()})
        return sorted(ranking, key=lambda c: (-c.score, c.topic))

    def match(self, question: str) -> Match:
        """Decide what ``question`` is about."""
        folded = unrepeated(fold(question).lower())
        if folded in self.smalltalk:
            return Match(smalltalk=self.smalltalk[folded])
        tokens = self.tokens(question)
        covers: dict[str, frozenset[int]] = {}
        ranking = tuple(self.rank(tokens, covers))
        if not ranking:
            if folded and all(w in self.smalltalk_words for w in folded.split()):
                kinds = [self.smalltalk_words[w] for w in folded.split()]
                # "ok grazie" thanks: an acknowledgement gives way to what else is said
                return Match(smalltalk=next((k for k in kinds if k != "ack"), kinds[0]))
            return Match()
        top = ranking[0]
        runner_up = ranking[1].score if len(ranking) > 1 else 0
        if top.score >= CONFIDENT and top.score - runner_up >= MARGIN:
            return Match(top.topic, top.score, ranking=ranking, covers=covers)
        choices = tuple(
            c for c in ranking[:MAX_CHOICES] if c.score >= PLAUSIBLE and top.score - c.score < 15
        )
        return Match(score=top.score, choices=choices, ranking=ranking, covers=covers)
