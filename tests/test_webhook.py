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


def webhook_settings() -> tuple[str, dict[str, str]]:
    """A webhook URL on a free loopback port, and the settings that serve it with SECRET."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    settings = {
        "ESSAYBOT_WEBHOOK_URL": url,
        "ESSAYBOT_LISTEN": "127.0.0.1",
        "ESSAYBOT_PORT": str(port),
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
    }
    return url, settings


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
    url, settings = webhook_settings()
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


def raw_post(url: str, size: int, secret: str | None) -> int:
    """A POST of ``size`` bytes to the webhook, sent as fast as the bot reads it: the status
    the bot answers with (0 if it closed the connection without one)."""
    host, port = url.split("/")[2].split(":")
    head = [
        "POST /telegram HTTP/1.1",
        f"Host: {host}",
        "Content-Type: application/json",
        f"Content-Length: {size}",
    ]
    head += [f"X-Telegram-Bot-Api-Secret-Token: {secret}"] if secret else []
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        chunk = b"x" * (1 << 20)
        try:
            for _ in range(size // len(chunk)):
                sock.sendall(chunk)
        except OSError:
            pass  # the bot stopped reading: refused
        try:
            answer = sock.recv(4096).decode(errors="replace")
        except OSError:
            return 0
    return int(answer.split()[1]) if answer.startswith("HTTP/") else 0


def rss(pid: int) -> int:
    """The process's resident memory, in MiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return (
        int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
        // 1024
    )


def test_an_oversized_or_secretless_webhook_post_is_refused_before_its_body_is_read(
    fake: FakeBotAPI, tmp_path: Path
) -> None:
    anna = fake.user(1001, "Anna", "it")
    url, settings = webhook_settings()
    with essaybot_run(fake, tmp_path, **settings) as process:
        fake.wait_for_request("setWebhook", lambda r: r.ok, timeout=30)
        fake.send_text(anna, "/story")
        assert "1/7" in fake.wait_for_reply(anna["id"], timeout=30)["text"]
        before = rss(process.pid)
        for _ in range(4):
            assert raw_post(url, 90 << 20, None) in (403, 0)  # no secret: 90 MB, never read
        assert raw_post(url, 90 << 20, SECRET) in (413, 0)  # too big for any update
        assert rss(process.pid) - before < 20
        fake.send_text(anna, "/story 2")  # the bot still serves readers
        assert "2/7" in fake.wait_for_reply(anna["id"], timeout=30)["text"]
    assert process.returncode == 0
