"""Logging set-up: one format, quiet HTTP libraries, and the token redacted from every line."""

from __future__ import annotations

import logging
import re


class Redact(logging.Filter):
    """Replace ``secret`` wherever it would appear in a log line (with ``name``)."""

    def __init__(self, secret: str, name: str = "<token>") -> None:
        super().__init__()
        self.secret = secret
        self.name = name

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = message.replace(self.secret, self.name), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.secret in record.exc_text:
            record.exc_text = record.exc_text.replace(self.secret, self.name)
        return True


#: Signs that a line of python-telegram-bot's carries an update or a request's payload.
PAYLOAD = ("text", "caption", "first_name", "last_name", "username", "data=", "'data'")
WITHHELD = "(a line of Telegram's payload, not logged: it may hold what a reader wrote)"


class Withhold(logging.Filter):
    """Drop the payload from python-telegram-bot's DEBUG lines (an update as it arrived, a
    message as it was sent): at DEBUG the log shows the requests, never what readers wrote."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno <= logging.DEBUG and record.name.startswith("telegram"):
            message = record.getMessage()
            if any(sign in message for sign in PAYLOAD):
                head = re.split(r" `[{\[]|\(", message, maxsplit=1)[0][:100]
                record.msg, record.args = f"{head}: {WITHHELD}", None
        return True


def setup_logging(
    level: str, secret: str | None = None, webhook_secret: str | None = None
) -> None:
    """Log to stderr at ``level``; httpx (which logs full URLs, token included) at WARNING;
    the token, the webhook's secret and readers' words never appear."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(Withhold())
    if secret:
        handler.addFilter(Redact(secret))
    if webhook_secret:
        handler.addFilter(Redact(webhook_secret, "<webhook secret>"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
