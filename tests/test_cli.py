"""The essaybot command: check, and run's refusal to start without a valid token."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Build
from helpers import AUTHOR, answer, essaybot, say

from bot.core.events import Press, Reader, Text


def test_check_passes_on_the_shipped_content_with_a_one_line_summary(tmp_path: Path) -> None:
    result = essaybot("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1
    assert result.stdout.startswith("content OK: 7 parts")


def test_check_names_each_problem_in_broken_content_and_exits_one(
    content_copy: Path, tmp_path: Path
) -> None:
    essay = content_copy / "essay.yaml"
    essay.write_text(essay.read_text().replace("  - id: p2\n", "  - id: p1\n"))
    messages = content_copy / "messages.yaml"
    messages.write_text(messages.read_text().replace("    en: reader\n", ""))
    result = essaybot("check", str(content_copy), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/essay.yaml: part p1: duplicate id",
        "content/messages.yaml: anonymous_name: missing language 'en'",
    ]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("env", "words"),
    [({}, "TELEGRAM_BOT_TOKEN is not set"), ({"TELEGRAM_BOT_TOKEN": "oops"}, "malformed")],
)
def test_run_without_a_valid_token_says_so_in_one_line_and_exits_two(
    tmp_path: Path, env: dict[str, str], words: str
) -> None:
    result = essaybot("run", cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_the_token_can_come_from_a_dotenv_file_in_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=oops\n")
    result = essaybot("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "malformed" in result.stderr


def test_ask_json_prints_one_object_per_question_from_arguments(tmp_path: Path) -> None:
    result = essaybot("ask", "--json", "Cos'era il Millennium Bug?", "cio e cdo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert set(first) == {
        "question",
        "lang",
        "outcome",
        "topic",
        "related",
        "aspect",
        "score",
        "alternatives",
        "intent",
        "confidence",
        "reply",
        "buttons",
    }
    assert (first["topic"], first["score"], first["lang"]) == ("millennium-bug", 100, "it")
    assert (first["outcome"], first["related"]) == ("answer", None)
    assert (first["intent"], first["buttons"][0]) == ("millennium-bug", "📖 Leggi la parte 4")
    assert 0.5 < first["confidence"] <= 1
    assert "stradominio" in first["reply"]
    assert second["outcome"] == "answer" and second["aspect"] == "relation"
    assert {second["topic"], *(a["topic"] for a in second["alternatives"][:1])} == {"cio", "cdo"}
    assert not (tmp_path / "essaybot.sqlite3").exists()


def test_ask_explain_prints_the_scores_and_the_nearest_bank_examples(tmp_path: Path) -> None:
    result = essaybot("ask", "--explain", "che vuol dire spocchia?", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "? che vuol dire spocchia?"
    assert lines[1].startswith("  intents: glossary:spocchia ")
    assert lines[2].startswith("  aspects: ") and lines[3].startswith("  matcher: ")
    nearest = [line for line in lines if line.startswith("  ~ ")]
    assert len(nearest) == 3 and "glossary:spocchia" in nearest[0]
    assert "«spocchia»" in result.stdout  # then the reply itself


def test_ask_reads_questions_from_stdin_in_the_chosen_language(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--lang", "en", "--json"],
        input="who is the CIO?\n\nricetta della carbonara\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["topic"], r["lang"]) for r in lines] == [("cio", "en"), (None, "en")]
    assert lines[1]["reply"].startswith("The essay doesn't talk about that")


def answered_database(tmp_path: Path) -> dict[str, str]:
    """A database where one reader answered through the console; the env pointing at it."""
    env = {"ESSAYBOT_DATABASE": str(tmp_path / "bot.sqlite3")}
    chat = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--name", "Eve", "--user-id", "7"],
        input="/story 2\nchi è il CDO?\nboh, la carbonara\n/answer\n2\nVirgole, è così & <b>\n1\n",
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=tmp_path,
        timeout=60,
    )
    assert "Grazie Eve!" in chat.stdout, chat.stdout
    return env


def test_stats_prints_the_funnel_the_tally_and_what_readers_asked(tmp_path: Path) -> None:
    result = essaybot("stats", cwd=tmp_path, env=answered_database(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Lettori: 1" in result.stdout
    assert "parte 2: 1" in result.stdout
    assert "Integrarli: 1 (100%)" in result.stdout
    assert "Il CDO: 1" in result.stdout
    assert "boh, la carbonara" in result.stdout


def test_export_writes_csv_for_spreadsheets_and_json(tmp_path: Path) -> None:
    env = answered_database(tmp_path)
    result = essaybot("export", "--output", str(tmp_path / "out.csv"), cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    raw = (tmp_path / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == [
        "id",
        "stance",
        "text",
        "display_name",
        "language",
        "status",
        "created_at",
        "updated_at",
        "agree",
        "disagree",
        "agreement_across_sides",
        "replies",
        "writer_before",
        "writer_finished",
    ]
    assert (rows[0]["stance"], rows[0]["text"], rows[0]["display_name"]) == (
        "integrate",
        "Virgole, è così & <b>",
        "Eve",
    )
    as_json = essaybot("export", "--format", "json", cwd=tmp_path, env=env)
    assert json.loads(as_json.stdout)[0]["status"] == "published"


def test_export_replies_writes_the_second_file_one_row_per_reply(build: Build) -> None:
    services = build(admins={42}, on_disk=True)
    answer(services, Reader(7, "Eve", "it"), "integrate", "Li unirei domani.")
    say(services, AUTHOR, Press("reply:1"))
    say(services, AUTHOR, Text("Grazie Eve, ci penso."))
    database = services.config.database
    services.close()
    result = essaybot(
        "export", "--replies", cwd=Path(database).parent, env={"ESSAYBOT_DATABASE": database}
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert [(r["answer_id"], r["text"], r["by_author"]) for r in rows] == [
        ("1", "Grazie Eve, ci penso.", "True")
    ]


@pytest.mark.parametrize("where", ["missing/folder/bot.db", ".", "not-a-database.txt"])
def test_a_database_that_cannot_be_opened_is_one_clear_line(tmp_path: Path, where: str) -> None:
    (tmp_path / "not-a-database.txt").write_text("hello, I am not SQLite " * 100)
    result = essaybot("stats", cwd=tmp_path, env={"ESSAYBOT_DATABASE": where})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(
        ("essaybot: cannot open the database", "essaybot: there is no database at")
    )


@pytest.mark.parametrize("command", [["stats"], ["export"], ["bank", "export"], ["doctor"]])
def test_the_authors_tools_run_from_the_wrong_folder_say_there_is_no_database(
    tmp_path: Path, command: list[str]
) -> None:
    result = essaybot(*command, cwd=tmp_path, env={"ESSAYBOT_DATABASE": ""})
    said = result.stdout + result.stderr
    assert result.returncode != 0
    assert "essaybot.sqlite3" in said and "ESSAYBOT_DATABASE" in said and "--database" in said
    assert not (tmp_path / "essaybot.sqlite3").exists()  # nothing created


def test_stats_and_export_take_database_and_lang_and_export_writes_0600(
    build: Build, tmp_path: Path
) -> None:
    services = build(on_disk=True)
    answer(services, Reader(1, "Anna", "it"), "depends", "Dipende da chi guida il digitale.")
    database = services.config.database
    services.close()
    stats = essaybot("stats", "--database", database, "--lang", "en", cwd=tmp_path)
    assert stats.returncode == 0 and stats.stdout.startswith("Statistics")
    wrong = essaybot("stats", "--database", database, "--chart", "x.jpg", cwd=tmp_path)
    assert wrong.returncode == 2 and ".png" in wrong.stderr
    out = tmp_path / "answers.csv"
    written = essaybot("export", "--database", database, "--output", str(out), cwd=tmp_path)
    assert written.returncode == 0 and "wrote 1 answers" in written.stdout
    assert out.stat().st_mode & 0o777 == 0o600


def test_content_that_is_not_utf8_is_named_in_one_line(content_copy: Path, tmp_path: Path) -> None:
    (content_copy / "messages.yaml").write_bytes("languages: [it]\nè".encode("latin-1"))
    result = essaybot("check", str(content_copy), cwd=tmp_path)
    assert result.returncode == 1
    assert "content/messages.yaml: file: is not UTF-8 text" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_to_a_folder_is_one_clear_line(build: Build, tmp_path: Path) -> None:
    services = build(on_disk=True)
    database = services.config.database
    services.close()
    result = essaybot("export", "--database", database, "--output", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("essaybot: cannot write")
    assert "Traceback" not in result.stderr


def test_check_on_a_folder_that_does_not_exist_names_it_in_one_line(tmp_path: Path) -> None:
    result = essaybot("check", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "nowhere: no such content folder" in result.stderr
