"""The one module that reads the environment (and a ``.env`` file in the working directory)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

TOKEN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,100}$")
WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
#: a webhook URL: https, or http to this machine (for tests and local proxies)
WEBHOOK_URL = re.compile(
    r"^(https://[^/\s:]+(:\d+)?|http://(127\.0\.0\.1|localhost)(:\d+)?)(/\S*)?$"
)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_API_URL = "https://api.telegram.org"


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line a person can act on."""


@dataclass(frozen=True)
class Config:
    """Every setting of the bot."""

    token: str | None = field(default=None, repr=False)
    api_url: str = DEFAULT_API_URL
    database: str = "essaybot.sqlite3"
    admin_ids: frozenset[int] = frozenset()
    log_level: str = "INFO"
    content_dir: Path | None = None
    moderation: str = "post"
    #: messages a second to Telegram overall (its limit is about 30); 0 sends without a limit
    max_rate: float = 30.0
    #: where Telegram delivers updates (webhook mode); None: long polling
    webhook_url: str | None = None
    #: the address and port the webhook server listens on (behind a reverse proxy)
    listen: str = "127.0.0.1"
    port: int = 8443
    #: the secret Telegram sends with every webhook request (required in webhook mode)
    webhook_secret: str | None = field(default=None, repr=False)
    #: where the model learned from the question bank is kept between starts (None: nowhere)
    model_cache: Path | None = None
    #: the author's channel (``@name``, or its ``-100…`` id) that /post publishes to
    channel: str | None = None

    @property
    def heartbeat_path(self) -> Path:
        """The file the running bot touches every few seconds (see ``essaybot health``)."""
        return Path(f"{self.database}.heartbeat")

    def require_token(self) -> str:
        """The bot token, or ConfigError when it is not set."""
        if self.token is None:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in .env"
                " (see .env.example)"
            )
        return self.token


def _admin_ids(raw: str) -> frozenset[int]:
    ids: set[int] = set()
    for piece in raw.split(","):
        piece = piece.strip()
        if not piece:
            continue
        if not re.fullmatch(r"\d{1,20}", piece):
            raise ConfigError(
                f"ESSAYBOT_ADMIN_IDS must be Telegram user ids separated by commas, got {piece!r}"
            )
        ids.add(int(piece))
    return frozenset(ids)


def load_config(
    environ: Mapping[str, str] | None = None, dotenv_path: Path | None = Path(".env")
) -> Config:
    """Read the settings from ``environ`` (default: the process environment) over ``.env``."""
    values: dict[str, str] = {}
    if dotenv_path is not None and dotenv_path.is_file():
        values.update({k: v for k, v in dotenv_values(dotenv_path).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    def get(name: str) -> str:
        return values.get(name, "").strip()

    token = get("TELEGRAM_BOT_TOKEN") or None
    if token is not None and not TOKEN.match(token):
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN looks malformed: a token is digits, a colon and a secret,"
            " as @BotFather gives it"
        )
    api_url = (get("TELEGRAM_API_URL") or DEFAULT_API_URL).rstrip("/")
    if not re.match(r"^https?://[^/\s]+", api_url):
        raise ConfigError(f"TELEGRAM_API_URL must start with http:// or https://, got {api_url!r}")
    log_level = (get("ESSAYBOT_LOG_LEVEL") or "INFO").upper()
    if log_level not in LOG_LEVELS:
        raise ConfigError(f"ESSAYBOT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
    content_dir = get("ESSAYBOT_CONTENT_DIR")
    moderation = (get("ESSAYBOT_MODERATION") or "post").lower()
    if moderation not in ("post", "pre"):
        raise ConfigError(
            "ESSAYBOT_MODERATION must be post (publish at once) or pre (hold for approval)"
        )
    raw_rate = get("ESSAYBOT_MAX_RATE") or "30"
    try:
        max_rate = float(raw_rate)
    except ValueError:
        max_rate = -1.0
    if not (max_rate == 0 or 1 <= max_rate <= 1000):
        raise ConfigError(
            "ESSAYBOT_MAX_RATE must be 0 (no limit) or messages a second from 1 to 1000,"
            f" got {raw_rate!r}"
        )
    channel = get("ESSAYBOT_CHANNEL") or None
    if channel is not None and not re.match(
        r"^(@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{5,15})$", channel
    ):
        raise ConfigError(
            f"ESSAYBOT_CHANNEL must be the channel's @username or its -100… id, got {channel!r}"
        )
    return Config(
        token=token,
        channel=channel,
        api_url=api_url,
        database=get("ESSAYBOT_DATABASE") or "essaybot.sqlite3",
        admin_ids=_admin_ids(get("ESSAYBOT_ADMIN_IDS")),
        log_level=log_level,
        content_dir=Path(content_dir) if content_dir else None,
        moderation=moderation,
        max_rate=max_rate,
        model_cache=_model_cache(get),
        **_webhook(get),
    )


def _model_cache(get: Callable[[str], str]) -> Path | None:
    """ESSAYBOT_MODEL_CACHE: the folder named, none for "off", else the user's cache folder
    (XDG_CACHE_HOME, else ~/.cache) / essaybot."""
    named = get("ESSAYBOT_MODEL_CACHE")
    if named.lower() == "off":
        return None
    if named:
        return Path(named)
    home = get("XDG_CACHE_HOME") or str(Path(get("HOME") or Path.home()) / ".cache")
    return Path(home) / "essaybot"


def with_webhook(config: Config, url: str | None, listen: str | None, port: int | None) -> Config:
    """``config`` with the webhook settings given on the command line (they win over the
    environment), checked as the environment's are."""
    settings = {
        "ESSAYBOT_WEBHOOK_URL": url if url is not None else config.webhook_url or "",
        "ESSAYBOT_LISTEN": listen if listen is not None else config.listen,
        "ESSAYBOT_PORT": str(port) if port is not None else str(config.port),
        "TELEGRAM_WEBHOOK_SECRET": config.webhook_secret or "",
    }
    return replace(config, **_webhook(lambda name: settings[name].strip()))


def _webhook(get: Callable[[str], str]) -> dict[str, Any]:
    """The webhook settings: none for long polling; with a URL, a valid secret is required."""
    url = get("ESSAYBOT_WEBHOOK_URL") or None
    secret = get("TELEGRAM_WEBHOOK_SECRET") or None
    listen = get("ESSAYBOT_LISTEN") or "127.0.0.1"
    raw_port = get("ESSAYBOT_PORT") or "8443"
    if not raw_port.isdigit() or not 1 <= int(raw_port) <= 65535:
        raise ConfigError(
            f"ESSAYBOT_PORT (--port) must be a port number from 1 to 65535, got {raw_port!r}"
        )
    if url is not None:
        if not WEBHOOK_URL.match(url):
            raise ConfigError(
                f"ESSAYBOT_WEBHOOK_URL must be an https:// URL Telegram can reach, got {url!r}"
            )
        if secret is None:
            raise ConfigError(
                "TELEGRAM_WEBHOOK_SECRET is required in webhook mode: 1-256 characters of"
                " A-Z, a-z, 0-9, _ and - (for instance: openssl rand -hex 32)"
            )
    if secret is not None and not WEBHOOK_SECRET.match(secret):
        raise ConfigError(
            "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
        )
    return {
        "webhook_url": url,
        "webhook_secret": secret,
        "listen": listen,
        "port": int(raw_port),
    }
