"""Configuration comes from the environment over .env, and bad values get one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TOKEN

from bot.config import ConfigError, load_config


def test_defaults_need_no_token() -> None:
    config = load_config({}, dotenv_path=None)
    assert config.token is None
    assert config.api_url == "https://api.telegram.org"
    assert config.database == "essaybot.sqlite3"
    assert config.admin_ids == frozenset()
    assert config.log_level == "INFO"


def test_the_environment_wins_over_the_dotenv_file(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nESSAYBOT_DATABASE=from-file.db\n")
    config = load_config({"ESSAYBOT_DATABASE": "from-env.db"}, dotenv_path=dotenv)
    assert config.token == TOKEN
    assert config.database == "from-env.db"


def test_admin_ids_are_parsed_from_a_comma_separated_list() -> None:
    config = load_config({"ESSAYBOT_ADMIN_IDS": " 12, 34 ,,56"}, dotenv_path=None)
    assert config.admin_ids == frozenset({12, 34, 56})


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "malformed"),
        ("ESSAYBOT_ADMIN_IDS", "12,abc", "ESSAYBOT_ADMIN_IDS"),
        ("ESSAYBOT_LOG_LEVEL", "LOUD", "ESSAYBOT_LOG_LEVEL"),
        ("TELEGRAM_API_URL", "ftp://x", "TELEGRAM_API_URL"),
        ("ESSAYBOT_CHANNEL", "my channel", "ESSAYBOT_CHANNEL"),
        ("ESSAYBOT_CHANNEL", "https://t.me/x", "ESSAYBOT_CHANNEL"),
    ],
)
def test_a_malformed_setting_is_named_in_one_line(name: str, value: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config({name: value}, dotenv_path=None)
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_token_is_never_part_of_the_config_repr() -> None:
    assert TOKEN not in repr(load_config({"TELEGRAM_BOT_TOKEN": TOKEN}, dotenv_path=None))


def test_the_overall_rate_is_30_a_second_unless_set_and_0_turns_it_off() -> None:
    assert load_config({}, dotenv_path=None).max_rate == 30
    assert load_config({"ESSAYBOT_MAX_RATE": "0"}, dotenv_path=None).max_rate == 0
    assert load_config({"ESSAYBOT_MAX_RATE": "12.5"}, dotenv_path=None).max_rate == 12.5
    for bad in ("-1", "fast", "5000", "0.5"):
        with pytest.raises(ConfigError, match="ESSAYBOT_MAX_RATE"):
            load_config({"ESSAYBOT_MAX_RATE": bad}, dotenv_path=None)


def test_polling_is_the_default_and_a_webhook_url_needs_a_valid_secret() -> None:
    assert load_config({}, dotenv_path=None).webhook_url is None
    url = "https://bot.example.com/telegram"
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET is required"):
        load_config({"ESSAYBOT_WEBHOOK_URL": url}, dotenv_path=None)
    for bad in ("has space", "x" * 257, "ünï", "a/b"):
        with pytest.raises(ConfigError, match="1-256 characters of A-Z"):
            load_config(
                {"ESSAYBOT_WEBHOOK_URL": url, "TELEGRAM_WEBHOOK_SECRET": bad}, dotenv_path=None
            )
    config = load_config(
        {"ESSAYBOT_WEBHOOK_URL": url, "TELEGRAM_WEBHOOK_SECRET": "s3cr3t_-X"}, dotenv_path=None
    )
    assert (config.webhook_url, config.listen, config.port) == (url, "127.0.0.1", 8443)
    assert "s3cr3t" not in repr(config)


@pytest.mark.parametrize(
    "url", ["http://bot.example.com/hook", "ftp://x/y", "https://", "bot.example.com/hook"]
)
def test_a_webhook_url_telegram_could_not_call_is_one_clear_line(url: str) -> None:
    settings = {"ESSAYBOT_WEBHOOK_URL": url, "TELEGRAM_WEBHOOK_SECRET": "abc"}
    with pytest.raises(ConfigError, match="must be an https:// URL"):
        load_config(settings, dotenv_path=None)


def test_the_command_lines_webhook_settings_win_and_are_checked_the_same_way() -> None:
    from bot.config import with_webhook

    base = load_config(
        {"TELEGRAM_WEBHOOK_SECRET": "abc", "ESSAYBOT_PORT": "9000"}, dotenv_path=None
    )
    config = with_webhook(base, "https://bot.example.com/t", "0.0.0.0", None)
    assert (config.webhook_url, config.listen, config.port) == (
        "https://bot.example.com/t",
        "0.0.0.0",
        9000,
    )
    assert with_webhook(base, None, None, None).webhook_url is None
    with pytest.raises(ConfigError, match=r"ESSAYBOT_PORT \(--port\) must be a port number"):
        with_webhook(base, None, None, 70000)


def test_the_model_cache_is_the_folder_named_or_the_user_s_cache_or_off() -> None:
    from pathlib import Path

    from bot.config import load_config

    named = load_config({"ESSAYBOT_MODEL_CACHE": "/srv/models"}, dotenv_path=None)
    assert named.model_cache == Path("/srv/models")
    xdg = load_config({"XDG_CACHE_HOME": "/tmp/xdg", "HOME": "/home/a"}, dotenv_path=None)
    assert xdg.model_cache == Path("/tmp/xdg/essaybot")
    home = load_config({"HOME": "/home/a"}, dotenv_path=None)
    assert home.model_cache == Path("/home/a/.cache/essaybot")
    assert load_config({"ESSAYBOT_MODEL_CACHE": "off"}, dotenv_path=None).model_cache is None


def test_the_channel_is_its_at_name_or_its_id() -> None:
    assert load_config({"ESSAYBOT_CHANNEL": "@saggio_mkt"}, dotenv_path=None).channel == (
        "@saggio_mkt"
    )
    assert load_config({"ESSAYBOT_CHANNEL": "-1001234567890"}, dotenv_path=None).channel == (
        "-1001234567890"
    )
    assert load_config({}, dotenv_path=None).channel is None
