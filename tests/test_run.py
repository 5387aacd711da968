"""``essaybot run`` as a process: long polling a Bot API on loopback, restarts, and its log."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import TOKEN
from fake_telegram import FakeBotAPI


@contextmanager
def essaybot_run(fake: FakeBotAPI, folder: Path) -> Iterator[subprocess.Popen[str]]:
    """``essaybot run`` pointed at the fake, logging at DEBUG into ``folder/bot.log``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ESSAYBOT_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": fake.base_url,
        "ESSAYBOT_DATABASE": str(folder / "bot.sqlite3"),
        "ESSAYBOT_LOG_LEVEL": "DEBUG",
    }
    with (folder / "bot.log").open("a") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            env=env,
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    raise


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
