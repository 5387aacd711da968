"""Logging set-up: one format, quiet HTTP libraries, and the token redacted from every line."""

from __future__ import annotations

import logging


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


def setup_logging(
    level: str, secret: str | None = None, webhook_secret: str | None = None
) -> None:
    """Log to stderr at ``level``; httpx (which logs full URLs, token included) at WARNING;
    the token and the webhook's secret never appear."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if secret:
        handler.addFilter(Redact(secret))
    if webhook_secret:
        handler.addFilter(Redact(webhook_secret, "<webhook secret>"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
