"""The question bank: big and varied enough to learn from, strictly checked, a fifth of it held
out of training, and every problem named by file, entry and what is wrong."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import yaml
from test_content import problems_of

from bot.bootstrap import load
from bot.config import Config
from bot.content.bank import ESSAY, SMALLTALK
from bot.content.catalog import HELD_OUT, Content
from bot.content.guide import HELP


def test_the_bank_has_thousands_of_examples_a_third_of_them_out_of_scope(
    content: Content,
) -> None:
    bank = content.bank
    assert len(bank) >= 2500
    assert sum(e.intent == "out" for e in bank) >= len(bank) / 3
    languages = Counter(e.lang for e in bank)
    assert languages["en"] >= len(bank) / 4 and languages["it"] >= len(bank) / 2


def test_every_intent_the_bot_knows_has_examples_in_both_languages(content: Content) -> None:
    by_intent: dict[str, set[str]] = {}
    for example in content.bank:
        by_intent.setdefault(example.intent, set()).add(example.lang)
    wanted = {
        *(t.id for t in content.topics),
        *(f"glossary:{t}" for t in content.guide.terms),
        *(f"premise:{p}" for p in content.guide.premises),
        *(f"essay:{k}" for k in ESSAY),
        *(f"help:{h}" for h in HELP),
        *(f"smalltalk:{k}" for k in SMALLTALK),
        "sequence",
        "followup",
        "out",
    }
    assert {i for i in wanted if by_intent.get(i) != {"it", "en"}} == set()


def test_every_topic_has_examples_of_what_the_essay_does_not_answer_about_it(
    content: Content,
) -> None:
    related = Counter(e.related for e in content.bank if e.intent == "out")
    assert all(related[t.id] >= 20 for t in content.topics), related


def test_every_aspect_a_topic_has_is_asked_in_the_bank(content: Content) -> None:
    asked = {(e.intent, e.aspect) for e in content.bank}
    missing = [(t.id, a) for t in content.topics for a in t.aspects if (t.id, a) not in asked]
    assert missing == []


def test_a_fifth_of_the_bank_is_held_out_by_each_questions_checksum(content: Content) -> None:
    held = [e for e in content.bank if e.held_out]
    assert abs(len(held) / len(content.bank) - 1 / HELD_OUT) < 0.02
    assert all(e.held_out for e in held)  # the same question is always on the same side


def bank_file(folder: Path, *entries: str) -> Path:
    path = folder / "bank" / "zz-broken.yaml"
    path.write_text("examples:\n" + "".join(f"  - {e}\n" for e in entries), encoding="utf-8")
    return path


def test_a_broken_bank_entry_is_named_by_file_entry_and_problem(content_copy: Path) -> None:
    bank_file(
        content_copy,
        '{q: "che vuol dire spocchia", lang: it, intent: "glossary:arroganza"}',
        '{q: "perché?", lang: fr, intent: followup}',
        '{q: "quanto guadagna", lang: it, intent: cdo, related: cdo}',
        '{q: "", lang: it, intent: out}',
        '{q: "ok", lang: it, intent: out, aspect: why}',
    )
    assert problems_of(content_copy) == [
        "content/bank/zz-broken.yaml: examples[1]: unknown intent 'glossary:arroganza'",
        "content/bank/zz-broken.yaml: examples[2]: lang must be one of it, en",
        "content/bank/zz-broken.yaml: examples[3]: related goes only with out, and names a topic",
        "content/bank/zz-broken.yaml: examples[4]: q must be 1-300 characters",
        "content/bank/zz-broken.yaml: examples[5]: aspect goes only with a topic or followup",
    ]


def test_one_question_with_two_verdicts_is_refused_and_a_repeat_is_taken_once(
    content_copy: Path, content: Content
) -> None:
    known = next(e for e in content.bank if e.intent == "cdo" and e.q.replace(" ", "").isalnum())
    bank_file(
        content_copy,
        yaml.safe_dump({"q": known.q.upper(), "lang": known.lang, "intent": "cio"})
        .strip()
        .replace("\n", ", ")
        .join("{}"),
    )
    (problem,) = problems_of(content_copy)
    assert problem == "content/bank/zz-broken.yaml: examples[1]: also in the bank as cdo"
    again = {"q": f"{known.q}!", "lang": known.lang, "intent": "cdo"}
    bank_file(content_copy, json.dumps(again, ensure_ascii=False))
    assert len(load(Config(), content_copy).bank) == len(content.bank)


def test_a_bank_file_that_is_not_yaml_is_named(content_copy: Path) -> None:
    (content_copy / "bank" / "zz-broken.yaml").write_text("examples: [\n", encoding="utf-8")
    (problem,) = problems_of(content_copy)
    assert problem.startswith("content/bank/zz-broken.yaml: line ")
    assert "YAML syntax error" in problem


def test_a_glossary_quote_not_in_the_essay_is_named(content_copy: Path) -> None:
    path = content_copy / "glossary.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "spocchia e del senso", "spocchia e del sensi", 1
        ),
        encoding="utf-8",
    )
    assert problems_of(content_copy) == [
        "content/glossary.yaml: spocchia: quote missing or not in part 3, word for word"
    ]


def test_an_overview_that_quotes_words_the_essay_does_not_have_is_named(
    content_copy: Path,
) -> None:
    path = content_copy / "overview.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["kinds"]["summary"]["it"] += " L'autore conclude: «vanno uniti»."
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert problems_of(content_copy) == [
        "content/overview.yaml: kinds.summary (it): 'vanno uniti' is not in the essay"
    ]


def test_a_bank_that_asks_for_help_the_content_cannot_give_is_refused(
    content_copy: Path,
) -> None:
    (content_copy / "help.yaml").unlink()
    problems = problems_of(content_copy)
    assert problems and all("unknown intent 'help:" in p for p in problems)


def test_an_intent_that_is_not_a_word_is_named_not_a_crash(content_copy: Path) -> None:
    bank_file(
        content_copy, "{q: perché?, lang: it, intent: [out]}", '{q: "?!?", lang: it, intent: out}'
    )
    where = "content/bank/zz-broken.yaml: examples"
    assert problems_of(content_copy) == [
        f"{where}[1]: unknown intent ['out']",
        f"{where}[2]: q has nothing to read: no letter, digit or emoji",
    ]
