"""``essaybot run`` as a process: long polling a Bot API on loopback, restarts, and its log."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import TOKEN
from fake_telegram import FakeBotAPI
from helpers import essaybot, essaybot_run


def test_a_restarted_bot_resumes_the_story_where_the_reader_left_off(
    fake: FakeBotAPI, tmp_path: Path
) -> None:
    anna = fake.user(1001, "Anna", "it")
    with essaybot_run(fake, tmp_path) as process:
        fake.send_text(anna, "/story 3")
        part = fake.wait_for_reply(anna["id"], timeout=30)
        query = fake.press_button(anna, part["message_id"], "part:p4")
        fake.wait_until(lambda: query in fake.callback_answers, timeout=10)
    assert process.returncode == 0
    with essaybot_run(fake, tmp_path):
        fake.send_text(anna, "/story")
        assert "4/7" in fake.wait_for_reply(anna["id"], timeout=30)["text"]
    log = (tmp_path / "bot.log").read_text()
    assert "essaybot is running as @essay_test_bot" in log
    assert "getUpdates" in log  # PTB's debug lines are there...
    assert TOKEN not in log  # ...but never the token
    assert TOKEN.split(":")[1] not in log


def test_a_confirmed_answer_survives_the_process_being_killed_right_after(
    fake: FakeBotAPI, tmp_path: Path
) -> None:
    anna = fake.user(1001, "Anna", "it")
    with essaybot_run(fake, tmp_path) as process:
        fake.send_text(anna, "/answer")
        question = fake.wait_for_reply(anna["id"], timeout=30)
        fake.press_button(anna, question["message_id"], "stance:integrate")
        fake.wait_for_reply(anna["id"], after=question["message_id"], timeout=10)
        fake.send_text(anna, "Integrati: lo dico e lo confermo.")
        display = fake.wait_for_reply(anna["id"], timeout=10)
        fake.press_button(anna, display["message_id"], "show:anonymous")
        fake.wait_until(
            lambda: fake.last_sent(anna["id"])["text"].startswith("Grazie"), timeout=10
        )
        process.kill()  # SIGKILL, the moment the confirmation has been sent
        process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    db = sqlite3.connect(tmp_path / "bot.sqlite3")
    row = db.execute("SELECT stance, comment, status FROM answers WHERE user_id = 1001").fetchone()
    assert row == ("integrate", "Integrati: lo dico e lo confermo.", "published")


def test_a_comment_confirmed_to_telegram_behind_a_429_survives_kill_9_and_is_handled_once(
    fake: FakeBotAPI, tmp_path: Path
) -> None:
    anna = fake.user(1001, "Anna", "it")
    with essaybot_run(fake, tmp_path) as process:
        fake.send_text(anna, "/answer")
        question = fake.wait_for_reply(anna["id"], timeout=30)
        # the reply to the stance waits 30 s on a 429: the comment after it waits in memory
        fake.fail_next(
            "editMessageText", "Too Many Requests: retry after 30", error_code=429, retry_after=30
        )
        fake.press_button(anna, question["message_id"], "stance:integrate")
        fake.wait_until(lambda: not fake.pending_updates, timeout=10)
        fake.send_text(anna, "Integrati, e lo scrivo prima che tu mi risponda.")
        fake.wait_until(lambda: not fake.pending_updates, timeout=10)  # Telegram was told
        process.kill()
        process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    with essaybot_run(fake, tmp_path):
        display = fake.wait_until(
            lambda: next(
                (m for m in fake.sent(anna["id"]) if m["text"].startswith("Come vuoi")), None
            ),
            timeout=30,
        )
        fake.press_button(anna, display["message_id"], "show:anonymous")
        fake.wait_until(
            lambda: fake.last_sent(anna["id"])["text"].startswith("Grazie"), timeout=10
        )
    db = sqlite3.connect(tmp_path / "bot.sqlite3")
    rows = db.execute("SELECT stance, comment FROM answers WHERE user_id = 1001").fetchall()
    assert rows == [("integrate", "Integrati, e lo scrivo prima che tu mi risponda.")]
    assert db.execute("SELECT COUNT(*) FROM update_journal").fetchone() == (0,)
    fake.expect_rejection("getUpdates", error_code=409)  # the killed bot's long poll, cut off
    log = (tmp_path / "bot.log").read_text()
    assert "getUpdates" in log and "sendmessage" in log  # at DEBUG: the requests...
    assert "lo scrivo prima" not in log and "Anna" not in log  # ...not what readers wrote


def test_an_unreachable_bot_api_is_retried_with_one_log_line_per_attempt(tmp_path: Path) -> None:
    import socket
    import time

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ESSAYBOT_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": f"http://127.0.0.1:{port}",
        "ESSAYBOT_DATABASE": str(tmp_path / "bot.sqlite3"),
    }
    log_path = tmp_path / "bot.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], env=env, cwd=tmp_path, stdout=log, stderr=log
        )
        deadline = time.monotonic() + 30
        while log_path.read_text().count("unreachable") < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 130
    lines = log_path.read_text().splitlines()
    attempts = [line for line in lines if "Telegram is unreachable" in line]
    assert len(attempts) >= 2 and "(attempt 1:" in attempts[0] and "(attempt 2:" in attempts[1]
    assert "Traceback" not in log_path.read_text()
    assert TOKEN not in log_path.read_text()


def test_a_token_telegram_refuses_is_one_clear_line(fake: FakeBotAPI, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ESSAYBOT_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": "999:" + "x" * 35,
        "TELEGRAM_API_URL": fake.base_url,
        "ESSAYBOT_DATABASE": str(tmp_path / "bot.sqlite3"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Telegram refused TELEGRAM_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr
    fake.clear_rejected()


def test_health_is_ok_while_the_bot_beats_and_fails_when_it_is_stuck_or_stopped(
    fake: FakeBotAPI, tmp_path: Path
) -> None:
    env = {"ESSAYBOT_DATABASE": str(tmp_path / "bot.sqlite3")}
    beat = tmp_path / "bot.sqlite3.heartbeat"
    assert essaybot("health", cwd=tmp_path, env=env).returncode == 1  # never ran
    broken = essaybot("health", cwd=tmp_path, env={**env, "ESSAYBOT_PORT": "x"})
    assert broken.returncode == 1  # a health check answers 0 or 1, never Docker's reserved 2
    with essaybot_run(fake, tmp_path) as process:
        fake.wait_until(beat.exists, timeout=30)
        healthy = essaybot("health", cwd=tmp_path, env=env)
        assert healthy.returncode == 0 and healthy.stdout.startswith("ok: the bot beat")
        for _ in range(3):  # as if the core were stuck (unless it beats again meanwhile)
            os.utime(beat, (time.time() - 120, time.time() - 120))
            stuck = essaybot("health", cwd=tmp_path, env=env)
            if stuck.returncode == 1 or time.time() - beat.stat().st_mtime > 60:
                break
        assert stuck.returncode == 1 and "old" in stuck.stdout
    assert process.returncode == 0
    assert not beat.exists()
    assert essaybot("health", cwd=tmp_path, env=env).returncode == 1
