"""The webhook server refuses what Telegram never sends before it reads it: a request without
the secret (403) is answered from its headers alone, and a body over MAX_BODY (Telegram's
updates are a few kilobytes) is refused from its Content-Length, or as soon as it grows past
the limit while streaming, so no request can make the bot buffer megabytes.

python-telegram-bot's webhook server (tornado) reads up to 100 MB of any request before its
handler checks the secret; it offers no setting for either, so :func:`install` gives its
server a body limit and its handler a streaming subclass that checks the headers first."""

from __future__ import annotations

import functools
from http import HTTPStatus

import tornado.httpserver
import tornado.web
from telegram.ext._utils import webhookhandler

#: The largest request body the webhook reads, in bytes.
MAX_BODY = 1 << 20


@tornado.web.stream_request_body
class GuardedTelegramHandler(webhookhandler.TelegramHandler):
    """python-telegram-bot's handler, checking the headers before any of the body is read."""

    def prepare(self) -> None:
        self._validate_post()  # the content type and the secret: 403 on the headers alone
        length = self.request.headers.get("Content-Length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        self.chunks: list[bytes] = []
        self.size = 0

    def data_received(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > MAX_BODY:
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        self.chunks.append(chunk)

    async def post(self) -> None:
        self.request.body = b"".join(self.chunks)
        await super().post()


def install() -> None:
    """Make python-telegram-bot's webhook server use the guarded handler and the body limit
    (before ``run_webhook``; idempotent)."""
    limited = functools.partial(
        tornado.httpserver.HTTPServer, max_body_size=MAX_BODY, max_buffer_size=4 * MAX_BODY
    )
    setattr(webhookhandler, "TelegramHandler", GuardedTelegramHandler)  # noqa: B010
    setattr(webhookhandler, "HTTPServer", limited)  # noqa: B010
