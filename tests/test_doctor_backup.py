"""``essaybot doctor`` against the fake Telegram, and ``essaybot backup`` while the bot writes."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from conftest import TOKEN, Build
from fake_telegram import FakeBotAPI
from helpers import answer, essaybot

from bot.bootstrap import bootstrap
from bot.cli import main
from bot.config import Config
from bot.content.catalog import Content
from bot.core.events import Reader
from bot.storage.maintenance import check_database
from bot.storage.migrations import MIGRATIONS
from bot.storage.store import Store

ADMIN = 42


def database(folder: Path) -> Path:
    """A fresh essaybot database (every migration applied) in ``folder``."""
    path = folder / "bot.sqlite3"
    Store(str(path)).close()
    return path


@pytest.fixture
def setting(fake: FakeBotAPI, tmp_path: Path) -> dict[str, str]:
    """The environment of a healthy deployment: the fake, a database, an admin who started
    the bot."""
    fake.open_private_chat(fake.user(ADMIN, "Autore"))
    return {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": fake.base_url,
        "ESSAYBOT_DATABASE": str(database(tmp_path)),
        "ESSAYBOT_ADMIN_IDS": str(ADMIN),
    }


def doctor(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], env: dict[str, str]
) -> tuple[int, dict[str, str]]:
    """``essaybot doctor`` in this process: its exit code and each check's line by name."""
    for name in os.environ:
        if name.startswith(("TELEGRAM_", "ESSAYBOT_")):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(Path(env["ESSAYBOT_DATABASE"]).parent)
    code = main(["doctor"])
    out = capsys.readouterr().out
    lines = {line[5:].split(":")[0]: line for line in out.splitlines()}
    assert list(lines) == ["token", "inline", "webhook", "database", "content", "admins"], out
    return code, lines


def webhook_mode(url: str) -> dict[str, str]:
    """The settings of webhook mode (the secret Telegram is to send is required)."""
    return {"ESSAYBOT_WEBHOOK_URL": url, "TELEGRAM_WEBHOOK_SECRET": "s3cret_for-tests"}


# --- doctor ------------------------------------------------------------------------------------


def test_doctor_on_a_healthy_deployment_says_ok_six_times_and_exits_zero(
    setting: dict[str, str], tmp_path: Path
) -> None:
    result = essaybot("doctor", cwd=tmp_path, env=setting)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "ok   token: @essay_test_bot (id 123456)"
    assert lines[1].startswith("ok   inline: inline mode is off: no share buttons")
    assert "/setinline" in lines[1]
    assert lines[2] == "ok   webhook: none, as polling needs"
    assert lines[3].startswith(f"ok   database: {setting['ESSAYBOT_DATABASE']}, integrity ok")
    assert lines[4].startswith("ok   content: 7 parts")
    assert lines[5] == "ok   admins: 42: each can be written to"
    assert len(lines) == 6 and result.stderr == ""


def test_doctor_says_when_inline_mode_is_on(
    setting: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fake: FakeBotAPI,
) -> None:
    fake.enable_inline_mode()
    code, lines = doctor(monkeypatch, capsys, setting)
    assert code == 0
    assert lines["inline"] == (
        "ok   inline: inline mode is on: readers can share the essay in any chat"
    )


def test_link_prints_the_t_me_address_and_writes_its_qr_code(
    setting: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    for name, value in setting.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    assert main(["link", "newsletter", "--to", "part-2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "https://t.me/essay_test_bot?start=part-2__newsletter"
    png = (tmp_path / "essaybot-newsletter.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 200
    assert main(["link", "News Letter"]) == 2
    assert main(["link", "blog", "--to", "nowhere", "--username", "x"]) == 2
    assert "--to is topic-ID" in capsys.readouterr().err


def test_doctor_with_a_wrong_token_fails_the_token_line_and_never_shows_the_token(
    setting: dict[str, str], tmp_path: Path, fake: FakeBotAPI
) -> None:
    wrong = "654321:WRONG-token_abcdefghijklmnopqrstuvwxyz"
    result = essaybot("doctor", cwd=tmp_path, env=setting | {"TELEGRAM_BOT_TOKEN": wrong})
    assert result.returncode == 1
    token, inline, webhook, data, content, admins = result.stdout.splitlines()
    assert token.startswith("FAIL token: Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized")
    assert inline == "skip inline: needs a working token"
    assert webhook == "skip webhook: needs a working token"
    assert admins == "skip admins: needs a working token"
    assert data.startswith("ok   database") and content.startswith("ok   content")
    assert "WRONG-token" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    fake.expect_rejection("getMe", error_code=401)


@pytest.mark.parametrize("damage", ["random bytes", "truncated"])
def test_a_broken_database_fails_the_database_line_not_the_token_line(
    setting: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    damage: str,
) -> None:
    path = Path(setting["ESSAYBOT_DATABASE"])
    whole = path.read_bytes()
    path.write_bytes(
        os.urandom(len(whole)) if damage == "random bytes" else whole[: len(whole) // 3]
    )
    code, lines = doctor(monkeypatch, capsys, setting)
    assert code == 1
    assert lines["token"].startswith("ok   token: @essay_test_bot")
    assert lines["database"].startswith(f"FAIL database: {path} ")
    assert "restore it from a backup" in lines["database"]
    assert [name for name, line in lines.items() if line.startswith("FAIL")] == ["database"]


def test_a_database_newer_than_the_code_or_not_yet_migrated_fails(tmp_path: Path) -> None:
    path = database(tmp_path)
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO _migrations VALUES ('m999_from_the_future', datetime('now'))")
    newer = check_database(str(path))
    assert newer.failed and "newer than this essaybot" in newer.detail
    assert "m999_from_the_future" in newer.detail
    with sqlite3.connect(path) as db:
        db.execute(
            "DELETE FROM _migrations WHERE name IN ('m999_from_the_future', ?)",
            (MIGRATIONS[-1][0],),
        )
    older = check_database(str(path))
    assert older.failed and f"lacks 1 migration(s) ({MIGRATIONS[-1][0]})" in older.detail
    missing = check_database(str(tmp_path / "elsewhere.sqlite3"))
    assert missing.failed and "does not exist: check ESSAYBOT_DATABASE" in missing.detail
    assert not (tmp_path / "elsewhere.sqlite3").exists()  # doctor creates nothing


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ({}, "but the bot runs by polling"),
        (webhook_mode("https://new.example.org/hook"), "Telegram delivers to"),
    ],
)
def test_a_webhook_that_does_not_match_the_mode_fails(
    setting: dict[str, str],
    fake: FakeBotAPI,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    mode: dict[str, str],
    expected: str,
) -> None:
    fake.set_webhook_state("https://old.example.org/hook")
    code, lines = doctor(monkeypatch, capsys, setting | mode)
    assert code == 1
    assert lines["webhook"].startswith("FAIL webhook: ")
    assert expected in lines["webhook"] and "--webhook-url" in lines["webhook"]
    assert "https://old.example.org/hook" in lines["webhook"]


def test_in_webhook_mode_the_right_webhook_passes_and_its_last_error_is_reported(
    setting: dict[str, str],
    fake: FakeBotAPI,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = "https://bot.example.org/hook"
    fake.set_webhook_state(url, last_error_message="Connection timed out", last_error_date=1)
    fake.send_text(fake.user(1001), "ciao")
    code, lines = doctor(monkeypatch, capsys, setting | webhook_mode(url))
    assert code == 0
    assert lines["webhook"] == (
        f"ok   webhook: {url}; 1 update(s) waiting;"
        " last error 1970-01-01 00:00 UTC: Connection timed out"
    )


def test_an_admin_who_never_started_the_bot_or_blocked_it_is_named(
    setting: dict[str, str],
    fake: FakeBotAPI,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake.block(ADMIN)
    code, lines = doctor(monkeypatch, capsys, setting | {"ESSAYBOT_ADMIN_IDS": "42,777"})
    assert code == 1
    assert lines["admins"] == (
        "FAIL admins: cannot write to 42 (Forbidden: bot was blocked by the user: unblock the"
        " bot); 777 (Chat not found: has the admin started the bot?)"
    )
    assert lines["token"].startswith("ok")
    fake.expect_rejection("sendChatAction", error_code=403)
    fake.expect_rejection("sendChatAction", error_code=400, contains="chat not found")


def test_an_unreachable_bot_api_fails_the_token_line_quickly(
    setting: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    unreachable = setting | {"TELEGRAM_API_URL": f"http://127.0.0.1:{port}"}
    code, lines = doctor(monkeypatch, capsys, unreachable)
    assert code == 1
    assert lines["token"].startswith(
        f"FAIL token: cannot reach the Bot API at http://127.0.0.1:{port}"
    )
    assert lines["webhook"].startswith("skip") and lines["database"].startswith("ok")


def test_broken_content_is_one_summarised_line(
    setting: dict[str, str],
    content_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    essay = content_copy / "essay.yaml"
    essay.write_text(essay.read_text().replace("  - id: p2\n", "  - id: p1\n"))
    messages = content_copy / "messages.yaml"
    messages.write_text(messages.read_text().replace("    en: reader\n", ""))
    code, lines = doctor(
        monkeypatch, capsys, setting | {"ESSAYBOT_CONTENT_DIR": str(content_copy)}
    )
    assert code == 1
    assert lines["content"] == (
        "FAIL content: content/essay.yaml: part p1: duplicate id and 1 more"
        " (essaybot check lists every problem)"
    )


# --- backup ------------------------------------------------------------------------------------


class Writer(threading.Thread):
    """Readers answering through the core, one after the other, until stopped: the bot busy."""

    def __init__(self, path: Path, content: Content) -> None:
        super().__init__(daemon=True)
        self.services = bootstrap(Config(database=str(path)), content)
        self.committed: list[int] = []  # reader ids whose answer is committed
        self.stop = threading.Event()

    def run(self) -> None:
        user_id = 10_000
        while not self.stop.is_set():
            user_id += 1
            reader = Reader(user_id, f"Lettore {user_id}", "it")
            answer(self.services, reader, "integrate", f"Integrarli, dice il lettore {user_id}.")
            self.committed.append(user_id)

    def finish(self) -> None:
        self.stop.set()
        self.join(30)
        self.services.close()


def test_a_backup_taken_while_answers_are_written_is_whole_and_consistent(
    tmp_path: Path, content: Content
) -> None:
    live = database(tmp_path)
    writer = Writer(live, content)
    writer.start()
    try:
        while len(writer.committed) < 5:
            writer.stop.wait(0.01)
        before = list(writer.committed)
        target = tmp_path / "copies" / "bot-backup.sqlite3"
        target.parent.mkdir()
        result = essaybot(
            "backup", str(target), cwd=tmp_path, env={"ESSAYBOT_DATABASE": str(live)}
        )
        during = len(writer.committed)
    finally:
        writer.finish()
    assert result.returncode == 0, result.stderr
    size = target.stat().st_size
    assert result.stdout == f"backed up {live} to {target} ({size:,} bytes)\n"
    assert during > len(before)  # the bot kept writing while the copy was made
    assert target.stat().st_mode & 0o777 == 0o600  # readers' data: the owner's only
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one whole file
    names = [row[0] for row in copy.execute("SELECT name FROM _migrations ORDER BY rowid")]
    assert names == [name for name, _ in MIGRATIONS]
    saved = {row[0] for row in copy.execute("SELECT user_id FROM answers")}
    assert set(before) <= saved
    assert check_database(str(target)).status == "ok"
    assert sorted(p.name for p in target.parent.iterdir()) == ["bot-backup.sqlite3"]


@pytest.mark.parametrize("spelling", ["bot.sqlite3", "./copies/../bot.sqlite3", "bot.sqlite3-wal"])
def test_backup_refuses_to_overwrite_the_live_database(tmp_path: Path, spelling: str) -> None:
    live = database(tmp_path)
    (tmp_path / "copies").mkdir()
    before = live.read_bytes()
    result = essaybot("backup", spelling, cwd=tmp_path, env={"ESSAYBOT_DATABASE": str(live)})
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "is the live database itself" in result.stderr
    assert live.read_bytes() == before and result.stdout == ""


@pytest.mark.parametrize(
    ("where", "why"), [("missing/folder/b.db", "No such file"), (".", "folder")]
)
def test_backup_to_an_unwritable_path_is_one_clear_line(
    tmp_path: Path, where: str, why: str
) -> None:
    live = database(tmp_path)
    result = essaybot("backup", where, cwd=tmp_path, env={"ESSAYBOT_DATABASE": str(live)})
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"essaybot: cannot write {where!r}") and why in result.stderr
    assert "Traceback" not in result.stderr


def test_backup_of_a_file_that_is_not_a_database_says_so_and_leaves_no_copy(
    tmp_path: Path,
) -> None:
    (tmp_path / "notes.txt").write_text("hello, I am not SQLite " * 100)
    env = {"ESSAYBOT_DATABASE": "notes.txt"}
    result = essaybot("backup", "copy.sqlite3", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert result.stderr == "essaybot: cannot back up 'notes.txt': file is not a database\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root to act as another user (setpriv)",
)
def test_doctor_tells_an_unreadable_or_read_only_database_from_a_damaged_one(
    build: Build,
) -> None:
    folder = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        folder.chmod(0o755)
        services = build(on_disk=True)
        database = folder / "bot.sqlite3"
        services.close()  # its write-ahead log folded into the file
        shutil.copy(services.config.database, database)

        def as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
            nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            command = [*nobody, sys.executable, "-m", "bot", *args, "--database", str(database)]
            return subprocess.run(command, capture_output=True, text=True, timeout=60)

        def doctor_as_nobody() -> str:
            lines = as_nobody("doctor").stdout.splitlines()
            return next(line for line in lines if "database" in line)

        database.chmod(0o600)
        unreadable = doctor_as_nobody()
        assert "cannot be read by this user" in unreadable and "do not restore it" in unreadable
        database.chmod(0o644)
        read_only = doctor_as_nobody()
        assert "is fine but read-only for this user" in read_only
        stats = as_nobody("stats")
        assert stats.returncode == 0 and stats.stdout.startswith("Statistiche")
    finally:
        shutil.rmtree(folder)
