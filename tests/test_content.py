"""The content loads, is the essay verbatim, and broken content is named precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.bootstrap import load
from bot.config import Config
from bot.content.catalog import Content
from bot.content.loader import ContentError


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(Config(), folder)
    return caught.value.problems


def test_the_shipped_essay_has_seven_parts_of_at_most_a_thousand_characters(
    content: Content,
) -> None:
    assert content.essay.total == 7
    assert all(len(part.text) <= 1000 for part in content.essay.parts)
    assert content.essay.title == "Marketing e IT: ha ancora senso che siano separati?"
    assert content.essay.source_url.startswith("https://www.digitalmarketinglab.it/")


def test_the_unfinished_sentence_of_paragraph_six_is_kept_as_written(content: Content) -> None:
    assert "un’ibridazione di competenze che difficilmente. Le figure IT" in (
        content.essay.parts[5].text
    )


def test_every_phrase_exists_in_italian_and_english(content: Content) -> None:
    assert content.languages == ("it", "en")
    assert all(set(texts) == {"it", "en"} for texts in content.phrases.values())


def test_italian_readers_get_italian_and_everyone_else_english(content: Content) -> None:
    assert content.language_for("it") == content.language_for("it-IT") == "it"
    assert content.language_for("IT_ch") == "it"
    assert content.language_for("en-GB") == "en"
    assert content.language_for("de") == content.language_for("") == "en"
    assert content.language_for(None) == "en"


def test_placeholders_are_escaped_but_the_template_markup_is_kept(content: Content) -> None:
    text = content.say("welcome", "it", name="<b>Eve</b> & co", title="T")
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; co" in text
    assert "<b>T</b>" in text


def test_a_yaml_syntax_error_names_the_file_and_line(content_copy: Path) -> None:
    path = content_copy / "messages.yaml"
    path.write_text(path.read_text() + "\n  broken: [unclosed\n", encoding="utf-8")
    problems = problems_of(content_copy)
    assert len(problems) == 1
    assert problems[0].startswith("content/messages.yaml: line ")
    assert "YAML syntax error" in problems[0]


def test_a_missing_language_names_the_entry(content_copy: Path) -> None:
    path = content_copy / "messages.yaml"
    path.write_text(
        path.read_text().replace("    en: lettore\n", "").replace("    en: reader\n", ""),
        encoding="utf-8",
    )
    assert problems_of(content_copy) == [
        "content/messages.yaml: anonymous_name: missing language 'en'"
    ]


def test_an_unquoted_hash_that_swallows_a_placeholder_is_reported(content_copy: Path) -> None:
    path = content_copy / "messages.yaml"
    text = path.read_text(encoding="utf-8")
    quoted = '    en: "Thank you! Your reply to answer #{number} has been published."\n'
    assert quoted in text
    path.write_text(text.replace(quoted, quoted.replace('"', "")), encoding="utf-8")
    assert problems_of(content_copy) == [
        "content/messages.yaml: reply_saved (en): lacks {number}, which another language has"
        " (a '#' starts a YAML comment: quote the text)"
    ]


def test_a_missing_phrase_and_an_unknown_one_are_both_reported(content_copy: Path) -> None:
    path = content_copy / "messages.yaml"
    path.write_text(path.read_text().replace("  anonymous_name:", "  anonymus_name:"))
    problems = problems_of(content_copy)
    assert "content/messages.yaml: anonymous_name: missing phrase" in problems
    assert any(
        p.startswith("content/messages.yaml: anonymus_name: unknown phrase") for p in problems
    )


def test_a_part_that_is_too_long_is_reported_with_its_length(content_copy: Path) -> None:
    path = content_copy / "essay.yaml"
    text = path.read_text()
    path.write_text(
        text.replace("      - >-\n        C’era", "      - >-\n        " + "x" * 990 + " C’era")
    )
    problems = problems_of(content_copy)
    assert len(problems) == 1
    assert problems[0].startswith("content/essay.yaml: part p1: too long: ")


def test_a_duplicate_part_id_is_reported(content_copy: Path) -> None:
    path = content_copy / "essay.yaml"
    path.write_text(path.read_text().replace("  - id: p2\n", "  - id: p1\n"))
    assert problems_of(content_copy) == ["content/essay.yaml: part p1: duplicate id"]


def test_an_unknown_placeholder_is_a_dangling_reference(content_copy: Path) -> None:
    path = content_copy / "messages.yaml"
    path.write_text(path.read_text().replace("Non conosco il comando {command}", "Non {cmd}"))
    assert problems_of(content_copy) == [
        "content/messages.yaml: unknown_command (it): unknown placeholder {cmd} (allowed: command)"
    ]


def test_a_tag_telegram_rejects_is_reported(content_copy: Path) -> None:
    path = content_copy / "messages.yaml"
    path.write_text(path.read_text().replace("    it: lettore", "    it: <script>lettore"))
    problems = problems_of(content_copy)
    assert (
        "content/messages.yaml: anonymous_name (it): tag <script> is not allowed by Telegram"
        in (problems)
    )


def test_a_missing_file_is_reported(content_copy: Path) -> None:
    (content_copy / "essay.yaml").unlink()
    assert problems_of(content_copy)[0].startswith("content/essay.yaml: file: cannot be read")


def test_phrases_an_earlier_version_said_are_ignored_not_refused(content_copy: Path) -> None:
    messages = content_copy / "messages.yaml"
    retired = "  notice_already_here:\n    it: Sei già qui.\n    en: You are already here.\n"
    messages.write_text(messages.read_text(encoding="utf-8") + retired, encoding="utf-8")
    assert load(Config(), content_copy).essay.total == 7
