"""Understanding learned from the question bank: what a question asks (its intent) and which
aspect, as probabilities, from linear models over the question's words and character n-grams.

Trained with scikit-learn (a linear support vector machine, one class against the rest: under
a second for the whole bank), deterministic, and kept per bank: in the process, and on disk by
the bank's hash (``save``/``load``, numpy arrays only), so a bot starts without training.
Answering a question runs no scikit-learn code: the question's n-grams (this module's own
analyzers, the very functions the vectorizers were trained with) are looked up in the trained
vocabularies and multiplied by the weights with numpy.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bot.content.catalog import HELD_OUT, Example
from bot.model.text import normalized

#: The label of an example with no aspect.
NO_ASPECT = "none"
#: How strongly the models are fitted to the bank (the inverse of the regularisation).
FIT = 1.0
#: How sharply margins become probabilities (a margin ahead by 1 is e**SHARPNESS as likely).
SHARPNESS = 8.0
#: How many labels a reading ranks (the rest are all but impossible).
TOP = 10
#: The character n-grams' lengths, within each word padded with spaces.
CHARS = (2, 5)
#: Shorthand readers type, read as the words it stands for (by the model and the bank alike).
SHORTHAND = {
    **dict.fromkeys(("xke", "xk", "xche", "pk", "pke"), "perche"),
    **{"nn": "non", "ke": "che", "x": "per", "cmq": "comunque", "tt": "tutti", "xo": "pero"},
    **{"qlc": "qualche", "qlcs": "qualcosa", "dv": "dove", "cm": "come", "sn": "sono"},
    **{"risp": "risposta", "msg": "messaggio", "mkt": "marketing"},
    **{"u": "you", "ur": "your", "r": "are", "y": "why", "abt": "about", "thx": "thanks"},
    **{"pls": "please", "plz": "please", "bc": "because", "cuz": "because", "wat": "what"},
}
VERSION = f"svc 0|{FIT}|{SHARPNESS}|{CHARS}|words 1-2|{sorted(SHORTHAND.items())}|v2"
_CACHE: dict[str, Classifier] = {}


def forget() -> None:
    """Drop the models kept in this process (the next start reads the cache or trains)."""
    _CACHE.clear()


def spelled_out(text: str) -> str:
    """``text`` (normalized) with its shorthand written out ("xke" is "perche")."""
    return " ".join(SHORTHAND.get(word, word) for word in text.split())


def word_grams(text: str) -> list[str]:
    """Words and pairs of words."""
    words = text.split()
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def char_grams(text: str) -> list[str]:
    """Character n-grams of each word, padded with a space on both sides."""
    grams: list[str] = []
    low, high = CHARS
    for word in text.split():
        padded = f" {word} "
        for n in range(low, min(high, len(padded)) + 1):
            grams += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return grams


ANALYZERS: tuple[Callable[[str], list[str]], ...] = (word_grams, char_grams)


@dataclass(frozen=True)
class Ranked:
    """A label and its probability."""

    label: str
    p: float


class Linear:
    """Trained linear models, one per label, as weights per feature and label."""

    def __init__(self, labels: Sequence[str], weights: NDArray[Any], bias: NDArray[Any]) -> None:
        self.labels = tuple(labels)
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)
        self.bias = bias.astype(np.float32)

    def rank(self, indices: NDArray[np.intp], values: NDArray[np.float64]) -> list[Ranked]:
        """The ``TOP`` most likely labels, most likely first: a softmax of the margins."""
        scores = values @ self.weights[indices] + self.bias
        scores = np.exp(scores - scores.max())
        probs = scores / scores.sum()
        order = np.argsort(-probs, kind="stable")[:TOP]
        return [Ranked(self.labels[i], float(probs[i])) for i in order.tolist()]


class Classifier:
    """The intent and aspect models of one bank, with the vocabularies they read."""

    def __init__(
        self,
        vocabularies: Sequence[dict[str, int]],
        idfs: Sequence[NDArray[np.float64]],
        intents: Linear,
        aspects: Linear,
        examples: Sequence[Example],
        matrix: Any,
    ) -> None:
        self.vocabularies = tuple(vocabularies)
        self.idfs = tuple(idfs)
        self.intents = intents
        self.aspects = aspects
        #: the examples trained on, and their features (for the nearest examples)
        self.examples = tuple(examples)
        self.matrix = matrix
        self._offsets = np.cumsum([0, *(len(v) for v in vocabularies)])

    @classmethod
    def for_bank(cls, examples: Sequence[Example], cache: Path | None = None) -> Classifier:
        """The classifier of ``examples``: kept in the process, and in ``cache`` (a folder)
        by the bank's hash; trained when neither has it (a cache that cannot be read or
        written only means training)."""
        key = bank_hash(examples)
        if key in _CACHE:
            return _CACHE[key]
        path = cache / f"model-{key[:24]}.npz" if cache is not None else None
        found = load(path, examples) if path is not None else None
        if found is None:
            found = train(examples)
            if path is not None:
                save(found, path)
        _CACHE[key] = found
        return found

    def features(self, text: str) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """The indices and TF-IDF weights of ``text``'s features, each block normalised to
        length 1 (what TfidfVectorizer computes, with sublinear term frequencies)."""
        indices: list[int] = []
        weights: list[float] = []
        normal = spelled_out(normalized(text))
        for analyze, vocabulary, idf, offset in zip(
            ANALYZERS, self.vocabularies, self.idfs, self._offsets, strict=False
        ):
            found = [
                (vocabulary[g], n) for g, n in Counter(analyze(normal)).items() if g in vocabulary
            ]
            if not found:
                continue
            block = np.array([i for i, _ in found], dtype=np.intp)
            values = (1 + np.log([n for _, n in found])) * idf[block]
            indices += (block + int(offset)).tolist()
            weights += (values / np.sqrt(values @ values)).tolist()
        return np.array(indices, dtype=np.intp), np.array(weights)

    def read(self, text: str) -> tuple[list[Ranked], list[Ranked]]:
        """The intents of ``text`` and its aspects, most likely first."""
        indices, values = self.features(text)
        return self.intents.rank(indices, values), self.aspects.rank(indices, values)

    def nearest(self, text: str, limit: int = 3) -> list[tuple[Example, float]]:
        """The trained examples most like ``text`` (cosine of their features)."""
        indices, values = self.features(text)
        if not len(indices):
            return []
        similarity = self.matrix[:, indices] @ values / len(ANALYZERS)
        order = np.argsort(-similarity, kind="stable")[:limit]
        return [(self.examples[i], float(similarity[i])) for i in order]


def _fit(matrix: Any, labels: list[str]) -> Linear:
    """A linear support vector machine per label against the rest, its margins scaled so that
    a softmax turns them into probabilities."""
    from sklearn.svm import LinearSVC

    if len(set(labels)) < 2:
        only = labels[0] if labels else NO_ASPECT
        return Linear((only,), np.zeros((matrix.shape[1], 1)), np.zeros(1))
    model = LinearSVC(C=FIT, random_state=0).fit(matrix, labels)
    coef, bias = model.coef_ * SHARPNESS, model.intercept_ * SHARPNESS
    if len(model.classes_) == 2:  # one weight vector for two labels: spell out both
        coef, bias = np.vstack([-coef[0], coef[0]]) / 2, np.array([-bias[0], bias[0]]) / 2
    return Linear([str(c) for c in model.classes_], coef.T, bias)


def trained_on(examples: Sequence[Example]) -> list[Example]:
    """The examples a model learns from: the bank but its held-out fifth."""
    return [e for e in examples if not e.held_out]


def train(examples: Sequence[Example]) -> Classifier:
    """Train on ``examples``, the held-out fifth left out (deterministic). A bank with too
    little to learn from gives a model that reads everything as "out"."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    trained = trained_on(examples)
    texts = [spelled_out(e.text) for e in trained]
    vectorizers = [
        TfidfVectorizer(analyzer=analyze, sublinear_tf=True, min_df=1 if i == 0 else 2)
        for i, analyze in enumerate(ANALYZERS)
    ]
    try:
        matrix = hstack([v.fit_transform(texts) for v in vectorizers]).tocsr()
    except ValueError:  # no examples, or no n-gram any two of them share
        nothing = [np.zeros(0)] * len(ANALYZERS)
        out = Linear(("out",), np.zeros((0, 1)), np.zeros(1))
        aspects = Linear((NO_ASPECT,), np.zeros((0, 1)), np.zeros(1))
        empty = csr_matrix((len(trained), 0))
        return Classifier([{}] * len(ANALYZERS), nothing, out, aspects, trained, empty)
    intents = _fit(matrix, [e.intent for e in trained])
    # aspects are learned from what asks them: a topic or a follow-up
    with_aspect = [i for i, e in enumerate(trained) if ":" not in e.intent and e.intent != "out"]
    aspects = _fit(matrix[with_aspect], [trained[i].aspect or NO_ASPECT for i in with_aspect])
    vocabularies = [{str(t): int(i) for t, i in v.vocabulary_.items()} for v in vectorizers]
    return Classifier(
        vocabularies, [v.idf_ for v in vectorizers], intents, aspects, trained, matrix
    )


def save(classifier: Classifier, path: Path) -> None:
    """Write ``classifier`` to ``path`` (numpy arrays; nothing that runs code when loaded),
    through a file of its own renamed into place, so a reader never sees half of it and two
    writers never mix; then remove the models of other banks beside it. A cache that cannot
    be written is no error: the next start trains again."""
    arrays: dict[str, Any] = {}
    for n, (vocabulary, idf) in enumerate(
        zip(classifier.vocabularies, classifier.idfs, strict=True)
    ):
        arrays[f"terms{n}"] = np.array(sorted(vocabulary, key=vocabulary.__getitem__), dtype=str)
        arrays[f"idf{n}"] = idf
    for name, linear in (("intents", classifier.intents), ("aspects", classifier.aspects)):
        arrays[f"{name}_labels"] = np.array(linear.labels)
        arrays[f"{name}_weights"] = linear.weights
        arrays[f"{name}_bias"] = linear.bias
    matrix = classifier.matrix
    arrays |= {"data": matrix.data, "indices": matrix.indices, "indptr": matrix.indptr}
    arrays["shape"] = np.array(matrix.shape)
    partial: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=".model-", suffix=".npz")
        partial = Path(name)
        with os.fdopen(handle, "wb") as file:
            np.savez(file, **arrays)
        partial.replace(path)
        partial = None
        for other in path.parent.glob("model-*.npz"):
            if other != path:
                other.unlink(missing_ok=True)
    except OSError:
        return
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)


def load(path: Path, examples: Sequence[Example]) -> Classifier | None:
    """The classifier saved at ``path`` for ``examples``, or None if it is not there, cannot
    be read, or does not fit the bank (a truncated or foreign file is never trusted)."""
    from scipy.sparse import csr_matrix

    trained = trained_on(examples)
    blocks = len(ANALYZERS)
    try:
        with np.load(path, allow_pickle=False) as saved:
            arrays = {name: saved[name] for name in saved.files}
        vocabularies = [
            {str(t): i for i, t in enumerate(arrays[f"terms{n}"])} for n in range(blocks)
        ]
        size = sum(len(v) for v in vocabularies)
        linear = {}
        for name in ("intents", "aspects"):
            labels = [str(x) for x in arrays[f"{name}_labels"]]
            weights, bias = arrays[f"{name}_weights"], arrays[f"{name}_bias"]
            if weights.shape != (size, len(labels)) or bias.shape != (len(labels),):
                return None
            linear[name] = Linear(labels, weights, bias)
        shape = tuple(int(n) for n in arrays["shape"])
        if shape != (len(trained), size):
            return None
        matrix = csr_matrix((arrays["data"], arrays["indices"], arrays["indptr"]), shape=shape)
        idfs = [arrays[f"idf{n}"] for n in range(blocks)]
    except Exception:
        return None
    return Classifier(vocabularies, idfs, linear["intents"], linear["aspects"], trained, matrix)


def bank_hash(examples: Sequence[Example]) -> str:
    """A hash of the bank's contents and of this model's settings."""
    digest = hashlib.sha256(f"{VERSION}|{HELD_OUT}".encode())
    for example in examples:
        digest.update(f"{example!r}|{example.text}".encode())
    return digest.hexdigest()
