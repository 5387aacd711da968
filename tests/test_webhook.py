"""Webhook mode end to end: ``essaybot run`` with a webhook URL sets the webhook with its secret,
the fake Bot API delivers updates to it, a request without the secret (or with a wrong one) is
refused and does nothing, and running again without a URL goes back to polling and deletes the
webhook."""

from __future__ import annotations

import socket
from pathlib import Path

import fake_webhook
from fake_telegram import FakeBotAPI
from helpers import essaybot, essaybot_run

SECRET = "webhook_Secret-123"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def forged_start(user_id: int) -> dict[str, object]:
    user = {"id": user_id, "is_bot": False, "first_name": "Mallory"}
    message = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": user_id, "type": "private", "first_name": "Mallory"},
        "from": user,
        "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
    }
    return {"update_id": 999_999, "message": message}


def test_webhook_mode_serves_readers_refuses_requests_without_the_secret_and_polling_undoes_it(
    fake: FakeBotAPI, tmp_path: Path
) -> None:
    anna = fake.user(1001, "Anna", "it")
    url = f"http://127.0.0.1:{free_port()}/telegram"
    port = url.rsplit(":", 1)[1].split("/")[0]
    settings = {
        "ESSAYBOT_WEBHOOK_URL": url,
        "ESSAYBOT_LISTEN": "127.0.0.1",
        "ESSAYBOT_PORT": port,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
    }
    with essaybot_run(fake, tmp_path, **settings) as process:
        set_webhook = fake.wait_for_request("setWebhook", lambda r: r.ok, timeout=30)
        assert set_webhook.params["url"] == url
        assert set_webhook.params["secret_token"] == SECRET
        assert fake.calls("getUpdates") == []  # no polling in webhook mode
        fake.send_text(anna, "/story")
        assert "1/7" in fake.wait_for_reply(anna["id"], timeout=30)["text"]
        assert (fake.webhook_deliveries[-1][1]) == 200  # (an early try may find no server yet)
        assert fake_webhook.post(url, forged_start(666)) == 403  # no secret
        assert fake_webhook.post(url, forged_start(666), secret="guess") == 403
        fake.send_text(anna, "/story 2")  # a real update after the forged ones...
        assert "2/7" in fake.wait_for_reply(anna["id"], timeout=30)["text"]
        assert fake.sent(666) == []  # ...and nothing answered the forged ones
        doctor = essaybot("doctor", cwd=tmp_path, env=doctor_env(fake, tmp_path, settings))
        assert "webhook" in doctor.stdout and "FAIL webhook" not in doctor.stdout
    assert process.returncode == 0
    log = (tmp_path / "bot.log").read_text()
    assert SECRET not in log
    with essaybot_run(fake, tmp_path):  # polling again
        fake.wait_for_request("deleteWebhook", lambda r: r.ok, timeout=30)
        fake.send_text(anna, "/story 3")
        assert "3/7" in fake.wait_for_reply(anna["id"], timeout=30)["text"]
    info = fake.calls("getUpdates")
    assert info and all(r.ok for r in info)


def test_webhook_mode_without_a_secret_refuses_to_start_in_one_line(tmp_path: Path) -> None:
    result = essaybot(
        "run",
        "--webhook-url",
        "https://bot.example.com/telegram",
        cwd=tmp_path,
        env={"TELEGRAM_BOT_TOKEN": "123456:TEST-token_abcdefghijklmnopqrstuvwxyz"},
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "TELEGRAM_WEBHOOK_SECRET is required in webhook mode" in result.stderr


def doctor_env(fake: FakeBotAPI, folder: Path, settings: dict[str, str]) -> dict[str, str]:
    from conftest import TOKEN

    return {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": fake.base_url,
        "ESSAYBOT_DATABASE": str(folder / "bot.sqlite3"),
        **settings,
    }
