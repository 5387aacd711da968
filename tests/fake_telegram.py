"""A lean, strict fake of the Telegram Bot API, for end-to-end tests of the bot.

The real bot talks to it over HTTP on 127.0.0.1 (``{base_url}/bot{token}/{method}``) and gets
Telegram's JSON answers back. Only the methods the bot calls exist, with the checks Telegram
makes on them and its error descriptions; any other method is Telegram's ``404 Not Found``, and
a parameter the fake does not model is refused with a 400 saying so, never silently ignored.
The server runs in a thread with its own event loop, so sync and async tests can use it alike:
``with FakeBotAPI() as fake: fake.send_text(fake.user(), "/start"); fake.wait_for_reply(1001)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import math
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self, TypeVar

import fake_webhook
from aiohttp import web
from fake_telegram_html import HtmlError, check_link, format_text, parse_html, utf16_len

__all__ = ["DEFAULT_TOKEN", "FakeBotAPI", "Recorded", "StoredFile"]

T = TypeVar("T")
Chat = int | dict[str, Any]  # a chat id, a chat, or a user (meaning the private chat with them)
Json = dict[str, Any]
Rate = float | None  # per second; None: no limit

DEFAULT_TOKEN = "123456:TEST-token_abcdefghijklmnopqrstuvwxyz"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
#: What a bot may upload: 50 MB for a file, 10 MB for a photo (Telegram's Bot API limits).
UPLOAD_LIMIT = 50_000_000
PHOTO_UPLOAD_LIMIT = 10_000_000
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)
CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is "
    "running"
)
# The methods, and the parameters of each, that the fake implements.
PARAMETERS = {
    name: frozenset(params.split())
    for name, params in {
        "getMe": "",
        "getUpdates": "offset limit timeout allowed_updates",
        "deleteWebhook": "drop_pending_updates",
        "setWebhook": "url secret_token allowed_updates max_connections drop_pending_updates",
        "setMyCommands": "commands scope language_code",
        "setMyDescription": "description language_code",
        "setMyShortDescription": "short_description language_code",
        "sendMessage": "chat_id text parse_mode reply_markup link_preview_options",
        "editMessageText": "chat_id message_id text parse_mode reply_markup link_preview_options",
        "editMessageReplyMarkup": "chat_id message_id reply_markup",
        "sendDocument": "chat_id document caption parse_mode reply_markup",
        "sendPhoto": "chat_id photo caption parse_mode reply_markup",
        "answerCallbackQuery": "callback_query_id text show_alert",
        "answerInlineQuery": "inline_query_id results cache_time is_personal",
        "getWebhookInfo": "",
        "sendChatAction": "chat_id action",
    }.items()
}
_CANONICAL = {name.lower(): name for name in PARAMETERS}  # Telegram ignores the case
_JSON = {"reply_markup", "commands", "scope", "allowed_updates", "link_preview_options", "results"}
_INT = {"chat_id", "message_id", "offset", "limit", "timeout", "max_connections", "cache_time"}
_BOOL = {"drop_pending_updates", "show_alert", "is_personal"}
_CHAT_ACTIONS = frozenset(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document"
    " choose_sticker find_location record_video_note upload_video_note".split()
)
_TOKEN = re.compile(r"[0-9]+:[A-Za-z0-9_-]+")
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,32})?(?![\w/<>@])")


class ApiError(Exception):
    """A Bot API error answer, sent with the HTTP status ``error_code``."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.body: Json = {"ok": False, "error_code": error_code, "description": description}
        if retry_after is not None:
            self.body["parameters"] = {"retry_after": retry_after}


def bad_request(message: str) -> ApiError:
    return ApiError(400, f"Bad Request: {message}")


@dataclass(frozen=True)
class StoredFile:
    """A file part of a multipart request; a file the bot uploaded or a user sent."""

    filename: str | None
    content: bytes
    content_type: str | None


@dataclass(frozen=True)
class Recorded:
    """One request the fake answered, ok or not, and its answer."""

    method: str
    params: Json
    response: Json
    ok: bool
    result: Any
    error_code: int  # the HTTP status: 200 when ok
    description: str

    def __str__(self) -> str:
        args = ", ".join(f"{k}={str(v)[:60]!r}" for k, v in self.params.items())
        outcome = "ok" if self.ok else f"{self.error_code} {self.description}"
        return f"{self.method}({args}) -> {outcome}"


Match = Callable[[Recorded], bool] | None


class FakeBotAPI:
    """A fake Telegram for one bot: the Bot API server, the test's side of Telegram (users,
    their messages and button presses), and ways to look at and wait for what the bot did."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        username: str = "essay_test_bot",
        first_name: str = "Essay Test Bot",
    ) -> None:
        if not _TOKEN.fullmatch(token):
            raise ValueError(f"not a bot token: {token!r}")
        self.token = token
        self.bot_user: Json = {"id": int(token.split(":")[0]), "is_bot": True}
        self.bot_user |= {"first_name": first_name, "username": username, "can_join_groups": True}
        self.bot_user |= {"can_read_all_group_messages": False, "supports_inline_queries": False}
        self.bot_user |= {"can_connect_to_business": False, "has_main_web_app": False}
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._requests: list[Recorded] = []
        self._rejected: list[Recorded] = []
        self._inline: dict[str, Json | None] = {}  # inline query id -> the bot's answer
        self._channels: dict[int, str] = {}  # channel id -> the bot's status in it
        self._channel_names: dict[str, int] = {}  # "@name" -> channel id
        self._users: dict[int, Json] = {}
        self._chats: dict[int, Json] = {}  # the chats the bot may write to
        self._blocked: set[int] = set()
        self._webhook_secret: str | None = None
        self._webhook_deleted = False  # whether the last deleteWebhook found one
        self._webhook_task: asyncio.Task[None] | None = None
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update id, HTTP status)
        self._webhook: Json = {}  # WebhookInfo's fields but pending_update_count; {}: none
        self._messages: dict[int, dict[int, Json]] = {}  # chat id -> message id -> Message
        self._updates: list[Json] = []  # queued, not yet confirmed by a getUpdates offset
        self._allowed_updates: frozenset[str] = frozenset()
        self._ids = itertools.count(10_001)  # update, callback query and file numbers
        self._commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._descriptions: dict[tuple[str, str], str] = {}  # (kind, language) -> text
        self._queries: dict[str, Json | None] = {}  # callback query id -> its answer
        self._files: dict[str, StoredFile] = {}
        self._flood: tuple[Rate, Rate, float] = (None, None, 1.0)  # per chat, global, burst
        self._buckets: dict[int | None, tuple[float, float]] = {}  # tokens, time
        self._injected: dict[str, ApiError] = {}  # method -> its next answer, see fail_next
        self._hangs: dict[str, float] = {}  # method -> seconds its next call hangs, see hang_next
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._stopping = False
        self._poller: asyncio.Future[bool] | None = None  # True: terminated by a newer poll

    # --- the server ----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``; PTB wants ``base_url=f"{fake.base_url}/bot"``."""
        if not self._port:
            raise RuntimeError("FakeBotAPI is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def is_polling(self) -> bool:
        """Whether a getUpdates long poll is waiting right now (the bot is up and listening)."""
        return self._poller is not None

    def __enter__(self) -> Self:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10) or not self._port:
            raise RuntimeError("FakeBotAPI could not start")
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Answer a waiting long poll with ``[]``, close every connection and stop serving."""
        if self._loop is not None and self._thread is not None:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self._loop, self._thread, self._port = None, None, 0

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._open(loop))
            ready.set()
            loop.run_forever()
        finally:
            ready.set()  # if it could not start, __enter__ sees no port
            loop.close()

    async def _open(self, loop: asyncio.AbstractEventLoop) -> None:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self._loop, self._port = loop, sock.getsockname()[1]

    async def _shutdown(self) -> None:
        self._stopping = True
        self._wake_poller()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        match = re.fullmatch(r"/bot([^/]*)/([^/]+)", request.path)
        method = _CANONICAL.get(match[2].lower(), match[2]) if match else request.path
        params: Json = {}
        body: Json
        try:
            params = await self._read_params(request)
            if match is None or not _TOKEN.fullmatch(match[1]):
                raise ApiError(404, "Not Found")
            if match[1] != self.token:
                raise ApiError(401, "Unauthorized")
            if method not in PARAMETERS:
                raise ApiError(404, "Not Found")
            if unknown := sorted(set(params) - PARAMETERS[method]):
                raise bad_request(f"FakeBotAPI does not implement {method}'s {unknown[0]}")
            if hang := self._hangs.pop(method, 0.0):
                await asyncio.sleep(hang)  # only this request waits: the server goes on
            if method == "getUpdates":
                body = {"ok": True, "result": await self._get_updates(params)}
            else:
                with self._lock:
                    if injected := self._injected.pop(method, None):
                        raise injected
                    body = {"ok": True, "result": getattr(self, f"_{method}")(params)}
            if method == "deleteWebhook":
                was = "was" if self._webhook_deleted else "is already"
                body["description"] = f"Webhook {was} deleted"
            if method == "setWebhook":
                body["description"] = "Webhook was set"
        except ApiError as error:
            body = error.body
        except ConnectionResetError:  # the client went away mid-request (a bot stopping): as
            return web.Response(status=499)  # Telegram, answer nobody and record nothing
        except Exception as error:  # a bug of the fake: make it visible in `rejected`
            body = ApiError(500, f"Internal Server Error: FakeBotAPI failed: {error!r}").body
        status, description = body.get("error_code", 200), body.get("description", "")
        recorded = Recorded(
            method, params, body, body["ok"], body.get("result"), status, description
        )
        with self._changed:
            self._requests.append(recorded)
            if not recorded.ok:
                self._rejected.append(recorded)
            self._changed.notify_all()
        return web.json_response(body, status=recorded.error_code)

    @staticmethod
    async def _read_params(request: web.Request) -> Json:
        """Form, multipart or JSON parameters, decoded: JSON-valued fields become Python
        values, ids and numbers ints, flags bools; anything undecodable is kept as sent."""
        params: Json = {}
        if request.content_type == "application/json":
            try:
                params = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON object") from None
            if not isinstance(params, dict):
                raise bad_request("JSON object expected")
        for name, part in (await request.post()).items():
            if isinstance(part, web.FileField):
                params[name] = StoredFile(part.filename, part.file.read(), part.content_type)
            else:
                params[name] = part
        for name, value in params.items():
            if not isinstance(value, str):
                continue
            if name in _JSON:
                with contextlib.suppress(ValueError):
                    params[name] = json.loads(value)
            elif name in _INT and re.fullmatch(r"-?[0-9]+", value):
                params[name] = int(value)
            elif name in _BOOL and value in ("true", "false"):
                params[name] = value == "true"
        return params

    # --- getUpdates ----------------------------------------------------------------------------

    async def _get_updates(self, params: Json) -> list[Json]:
        if self._webhook:
            raise ApiError(409, WEBHOOK_CONFLICT)
        offset, limit = _int(params, "offset"), min(max(_int(params, "limit", 100), 1), 100)
        with self._changed:
            if offset > 0:  # confirms the updates before it
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if isinstance(allowed := params.get("allowed_updates"), list):
                self._allowed_updates = frozenset(map(str, allowed))
            updates = copy.deepcopy(self._updates[:limit])
            self._changed.notify_all()
        timeout = min(max(_int(params, "timeout"), 0), 50)
        if updates or not timeout or self._stopping:
            return updates
        if self._poller is not None and not self._poller.done():
            self._poller.set_result(True)  # like Telegram: the newer long poll wins
        poller = self._poller = asyncio.get_running_loop().create_future()
        try:
            terminated = await asyncio.wait_for(poller, timeout)
        except TimeoutError:
            terminated = False
        finally:
            if self._poller is poller:
                self._poller = None
        if terminated:
            raise ApiError(409, CONFLICT)
        with self._lock:
            return copy.deepcopy(self._updates[:limit])

    def _wake_poller(self) -> None:
        if self._poller is not None and not self._poller.done():
            self._poller.set_result(False)

    def _push_update(self, kind: str, payload: Json) -> None:
        """Queue an update (with the lock held), unless allowed_updates leaves its type out:
        Telegram does not create those."""
        if self._allowed_updates and kind not in self._allowed_updates:  # empty: every type
            return
        self._updates.append({"update_id": next(self._ids), kind: copy.deepcopy(payload)})
        self._changed.notify_all()
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake_poller)

    # --- the other Bot API methods, named after them (called with the lock held) --------------

    def _getMe(self, params: Json) -> Json:
        return copy.deepcopy(self.bot_user)

    def _deleteWebhook(self, params: Json) -> bool:
        if params.get("drop_pending_updates") is True:
            self._updates.clear()
        self._webhook_deleted = bool(self._webhook)
        self._webhook, self._webhook_secret = {}, None
        return True

    def _setWebhook(self, params: Json) -> bool:
        """Like Telegram, but an http URL to 127.0.0.1 is allowed too (Telegram wants https on
        443, 80, 88 or 8443): updates are then POSTed to it, see :mod:`fake_webhook`."""
        url, secret = str(params.get("url", "")), params.get("secret_token")
        if not re.fullmatch(r"(https://[^/\s]+|http://127\.0\.0\.1:\d+)(/\S*)?", url):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise bad_request("secret token contains unallowed characters")
        if params.get("drop_pending_updates") is True:
            self._updates.clear()
        if isinstance(allowed := params.get("allowed_updates"), list):
            self._allowed_updates = frozenset(map(str, allowed))
        started = not self._webhook
        self._webhook = {"url": url, "max_connections": _int(params, "max_connections", 40)}
        self._webhook_secret = None if secret is None else str(secret)
        if started:
            self._webhook_task = asyncio.get_running_loop().create_task(
                fake_webhook.deliver(
                    lambda: self._webhook.get("url"),
                    lambda: self._webhook_secret,
                    self._next_for_webhook,
                    self._webhook_answered,
                    lambda: self._stopping,
                )
            )
        return True

    def _next_for_webhook(self) -> Json | None:
        with self._lock:
            return copy.deepcopy(self._updates[0]) if self._updates else None

    def _webhook_answered(self, update_id: int, status: int) -> None:
        with self._changed:
            self.webhook_deliveries.append((update_id, status))
            if status == 200:
                self._updates = [u for u in self._updates if u["update_id"] != update_id]
            self._changed.notify_all()

    def _getWebhookInfo(self, params: Json) -> Json:
        """Telegram's WebhookInfo: ``url`` is empty without a webhook; the updates waiting are
        those not yet confirmed (by getUpdates) or delivered."""
        info: Json = {"url": "", "has_custom_certificate": False}
        info |= {"pending_update_count": len(self._updates)} | copy.deepcopy(self._webhook)
        return info

    def _sendChatAction(self, params: Json) -> bool:
        if params.get("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        chat = self._target_chat(params)
        if chat["id"] in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return True

    def _setMyCommands(self, params: Json) -> bool:
        given = params.get("commands")
        if not isinstance(given, list) or not all(isinstance(c, dict) for c in given):
            raise bad_request("can't parse commands JSON object")
        commands = [
            {k: str(c.get(k, "")).strip() for k in ("command", "description")} for c in given
        ]
        for name, description in (c.values() for c in commands):
            if not name:
                raise bad_request("command must be non-empty")
            if len(name) > 32:
                raise bad_request("command length must not exceed 32")
            if not description:
                raise bad_request("command description must be non-empty")
            if len(description) > 256:
                raise bad_request("command description length must not exceed 256")
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        if any(not re.fullmatch(r"[a-z0-9_]{1,32}", c["command"]) for c in commands):
            raise bad_request("BOT_COMMAND_INVALID")
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope not in (
            {"type": "default"},
            {"type": "chat", "chat_id": scope.get("chat_id")},
        ):
            raise bad_request(f"FakeBotAPI does not implement the command scope {scope}")
        if scope["type"] == "chat" and scope.get("chat_id") not in self._chats:
            raise bad_request("chat not found")  # a chat that never opened the bot
        language = self._language(params)
        key = (scope["type"] + (f":{scope['chat_id']}" if "chat_id" in scope else ""), language)
        self._commands.pop(key, None)
        if commands:  # an empty list deletes them, as on Telegram
            self._commands[key] = commands
        return True

    def _language(self, params: Json) -> str:
        language = str(params.get("language_code") or "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise bad_request("invalid language code specified")
        return language

    def _describe(self, params: Json, kind: str, limit: int) -> bool:
        text = str(params.get(kind) or "")
        if len(text) > limit:
            raise bad_request(f"{kind.upper()}_INVALID")  # Telegram's word for too long
        self._descriptions[(kind, self._language(params))] = text
        return True

    def _setMyDescription(self, params: Json) -> bool:
        return self._describe(params, "description", 512)

    def _setMyShortDescription(self, params: Json) -> bool:
        return self._describe(params, "short_description", 120)

    def _sendMessage(self, params: Json) -> Json:
        text, entities = self._formatted(params, "text")
        markup = _inline_keyboard(params.get("reply_markup"))
        chat = self._target_chat(params)
        if utf16_len(text) > 4096:
            raise bad_request("message is too long")
        _no_share_in_channels(chat, markup)
        self._check_can_send(chat["id"])
        fields = {"text": text, "entities": entities, "reply_markup": markup}
        return copy.deepcopy(self._store(chat, self.bot_user, fields))

    def _sendDocument(self, params: Json) -> Json:
        caption, entities = self._formatted(params, "caption")
        markup = _inline_keyboard(params.get("reply_markup"))
        if not isinstance(upload := params.get("document"), StoredFile):  # no file_ids nor URLs
            raise bad_request("there is no document in the request")
        if not upload.content:
            raise bad_request("file must be non-empty")
        if len(upload.content) > UPLOAD_LIMIT:
            raise ApiError(413, "Request Entity Too Large")
        chat = self._target_chat(params)
        if utf16_len(caption) > 1024:
            raise bad_request("message caption is too long")
        self._check_can_send(chat["id"])
        document = self._new_file("DOC", upload.content, upload.filename, upload.content_type)
        fields = {"document": document, "caption": caption, "caption_entities": entities}
        return copy.deepcopy(self._store(chat, self.bot_user, fields | {"reply_markup": markup}))

    def _sendPhoto(self, params: Json) -> Json:
        """A PNG upload (what the bot sends), stored as Telegram does: sizes, largest last."""
        caption, entities = self._formatted(params, "caption")
        markup = _inline_keyboard(params.get("reply_markup"))
        if not isinstance(upload := params.get("photo"), StoredFile):  # no file_ids nor URLs
            raise bad_request("there is no photo in the request")
        content = upload.content
        if len(content) > PHOTO_UPLOAD_LIMIT:
            raise bad_request("PHOTO_SAVE_FILE_INVALID")
        if not content.startswith(b"\x89PNG\r\n\x1a\n") or len(content) < 24:  # the bot's PNGs
            raise bad_request("IMAGE_PROCESS_FAILED")
        width, height = (int.from_bytes(content[i : i + 4]) for i in (16, 20))
        if width + height > 10000 or not 0 < max(width, height) <= 20 * min(width, height):
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        chat = self._target_chat(params)
        if utf16_len(caption) > 1024:
            raise bad_request("message caption is too long")
        _no_share_in_channels(chat, markup)
        self._check_can_send(chat["id"])
        scales = [s / max(width, height) for s in (90, 320, 800) if s < max(width, height)]
        photo = [
            self._new_file("PHO", content, None, None)
            | {"width": max(1, round(width * k)), "height": max(1, round(height * k))}
            for k in (*scales, 1.0)
        ]
        fields = {"photo": photo, "caption": caption, "caption_entities": entities}
        return copy.deepcopy(self._store(chat, self.bot_user, fields | {"reply_markup": markup}))

    def _editMessageText(self, params: Json) -> Json:
        text, entities = self._formatted(params, "text")
        markup = _inline_keyboard(params.get("reply_markup"))
        chat, message = self._editable(params)
        if "text" not in message:  # a document or a photo
            raise bad_request("there is no text in the message to edit")
        if utf16_len(text) > 4096:
            raise bad_request("message is too long")
        current = (message["text"], message.get("entities", []), message.get("reply_markup"))
        if (text, entities, markup) == current:
            raise ApiError(400, NOT_MODIFIED)
        self._check_can_send(chat["id"])
        for key, value in {"text": text, "entities": entities, "reply_markup": markup}.items():
            message.pop(key, None)
            message |= {key: value} if value else {}
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _editable(self, params: Json) -> tuple[Json, Json]:
        """The chat and the bot's own message an edit names (400 if there is none)."""
        chat = self._target_chat(params)
        message = self._messages.get(chat["id"], {}).get(params.get("message_id", 0))
        if message is None:
            raise bad_request("message to edit not found")
        if message["from"]["id"] != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        return chat, message

    def _editMessageReplyMarkup(self, params: Json) -> Json:
        markup = _inline_keyboard(params.get("reply_markup"))
        chat, message = self._editable(params)
        if markup == message.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        self._check_can_send(chat["id"])
        message.pop("reply_markup", None)
        message |= {"reply_markup": markup} if markup else {}
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _answerCallbackQuery(self, params: Json) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._queries or self._queries[query_id] is not None:
            raise bad_request(QUERY_INVALID)
        if len(str(params.get("text", ""))) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self._queries[query_id] = copy.deepcopy(params)
        return True

    def _answerInlineQuery(self, params: Json) -> bool:
        """Results for an inline query, checked as Telegram checks them (articles only: the
        one kind the bot sends); kept in ``inline_answers``."""
        query_id = str(params.get("inline_query_id", ""))
        if query_id not in self._inline or self._inline[query_id] is not None:
            raise bad_request(QUERY_INVALID)
        results = params.get("results")
        if not isinstance(results, list):
            raise bad_request("can't parse inline query results JSON object")
        if len(results) > 50:
            raise bad_request("RESULTS_TOO_MUCH")
        kept, ids = [], set()
        for result in results:
            if not isinstance(result, dict) or result.get("type") != "article":
                raise bad_request("RESULT_TYPE_INVALID")
            result_id = result.get("id")
            if not isinstance(result_id, str) or not 1 <= len(result_id.encode()) <= 64:
                raise bad_request("RESULT_ID_INVALID")
            if result_id in ids:
                raise bad_request("RESULT_ID_DUPLICATE")
            ids.add(result_id)
            if not str(result.get("title") or "").strip():
                raise bad_request("ARTICLE_TITLE_EMPTY")
            content = result.get("input_message_content")
            if not isinstance(content, dict) or not content.get("message_text"):
                raise bad_request("MESSAGE_EMPTY")
            text, entities = self._formatted(content, "message_text")
            if utf16_len(text) > 4096:
                raise bad_request("MESSAGE_TOO_LONG")
            markup = _inline_keyboard(result.get("reply_markup"))
            shown = {"id": result_id, "title": result["title"], "text": text}
            shown |= {"entities": entities, "reply_markup": markup}
            kept.append(shown | {"description": result.get("description", "")})
        if not isinstance(params.get("cache_time", 300), int):
            raise bad_request("cache_time must be an Integer")
        self._inline[query_id] = {"results": kept, **{k: params.get(k) for k in _INLINE_FLAGS}}
        return True

    # --- checks shared by the methods ----------------------------------------------------------

    def _formatted(self, params: Json, name: str) -> tuple[str, list[Json]]:
        """The text (or caption) as Telegram stores it, and its entities."""
        raw = "" if params.get(name) is None else str(params[name])
        if not raw and name == "text":
            raise bad_request("message text is empty")
        if not isinstance(params.get("link_preview_options", {}), dict):
            raise bad_request("can't parse link preview options JSON object")
        mode, entities = str(params.get("parse_mode", "")), list[Json]()
        if mode.lower() == "html":
            try:
                raw, entities = parse_html(raw)
            except HtmlError as error:
                raise bad_request(f"can't parse entities: {error}") from None
        elif mode.lower() in ("markdown", "markdownv2"):
            raise bad_request(f"FakeBotAPI does not implement parse_mode {mode}; use HTML")
        elif mode:
            raise bad_request("unsupported parse_mode")
        try:
            return format_text(raw, entities, caption=name == "caption")
        except HtmlError:
            raise bad_request("text must be non-empty") from None

    def _target_chat(self, params: Json) -> Json:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        if isinstance(chat_id, str) and chat_id.startswith("@"):  # a channel's @username
            chat_id = self._channel_names.get(chat_id.lower(), chat_id)
        if isinstance(chat_id, int) and chat_id in self._channels:
            return self._channel(chat_id)
        if isinstance(chat_id, int) and chat_id in self._chats:
            return self._chats[chat_id]
        if chat_id in self._users:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        raise bad_request("chat not found")

    def _check_can_send(self, chat_id: int) -> None:
        """403 for a blocked chat; 429 over the flood limits (token buckets of ``burst``
        requests refilled at ``rate`` per second, per chat and global)."""
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        per_chat, global_rate, burst = self._flood
        rates = [(key, r) for key, r in ((chat_id, per_chat), (None, global_rate)) if r]
        now, wait = time.monotonic(), 0.0
        for key, rate in rates:
            tokens, stamp = self._buckets.get(key, (burst, now))
            tokens = min(burst, tokens + (now - stamp) * rate)
            self._buckets[key] = (tokens, now)
            wait = max(wait, 0.0 if tokens >= 1 else (1 - tokens) / rate)
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        for key, _ in rates:
            self._buckets[key] = (self._buckets[key][0] - 1, now)

    def _store(self, chat: Json, sender: Json, fields: Json) -> Json:
        """A new message in the chat; empty fields are left out, as Telegram does."""
        messages = self._messages.setdefault(chat["id"], {})
        message_id = max(messages, default=0) + 1
        message = {
            "message_id": message_id,
            "from": sender,
            "chat": chat,
            "date": int(time.time()),
        }
        messages[message_id] = copy.deepcopy(message | {k: v for k, v in fields.items() if v})
        return messages[message_id]

    def _new_file(self, kind: str, content: bytes, name: str | None, mime: str | None) -> Json:
        """Store a file; returns the fields Telegram gives every file object."""
        number = next(self._ids)
        file_id = f"BQACAgQAAx{kind}{number:08d}FAKE"
        self._files[file_id] = StoredFile(name, content, mime)
        fields = {"file_id": file_id, "file_unique_id": f"AgAD{number}", "file_size": len(content)}
        fields |= {"file_name": name, "mime_type": mime}
        return {key: value for key, value in fields.items() if value is not None}

    # --- configuring Telegram ------------------------------------------------------------------

    def block(self, chat: Chat) -> None:
        """The user blocks the bot: sends and edits to the chat get 403 "bot was blocked by the
        user". (Telegram's ``my_chat_member`` update is not sent: the bot ignores it.)"""
        with self._lock:
            self._blocked.add(_chat_id(chat))

    def set_flood_limits(
        self, per_chat_per_second: Rate = 1.0, global_per_second: Rate = 30.0, *, burst: float = 1
    ) -> None:
        """Turn on flood control (off by default): over the limits (token buckets of ``burst``
        requests refilled at the given rates), sends and edits get 429 with ``retry_after``."""
        with self._lock:
            self._flood, self._buckets = (per_chat_per_second, global_per_second, burst), {}

    def fail_next(
        self,
        method: str,
        description: str,
        *,
        error_code: int = 400,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next call of ``method`` with an error, e.g. ``fail_next("sendMessage",
        "Too Many Requests: retry after 3", error_code=429, retry_after=3)``."""
        with self._lock:
            self._injected[method] = ApiError(error_code, description, retry_after)

    def set_webhook_state(
        self,
        url: str,
        *,
        last_error_message: str | None = None,
        last_error_date: int | None = None,
        max_connections: int = 40,
    ) -> None:
        """Telegram's webhook for the bot as an earlier deployment left it, as getWebhookInfo
        reports it (an empty ``url``: no webhook). Nothing is delivered to it."""
        with self._lock:
            self._webhook = {}
            if url:
                self._webhook = {"url": url, "max_connections": max_connections}
                self._webhook |= {"ip_address": "203.0.113.7"}  # where Telegram found the host
            if last_error_message is not None:
                self._webhook |= {"last_error_date": last_error_date or int(time.time())}
                self._webhook |= {"last_error_message": last_error_message}

    def hang_next(self, method: str, seconds: float) -> None:
        """Let the next call of ``method`` wait ``seconds`` before it is answered."""
        with self._lock:
            self._hangs[method] = seconds

    @property
    def hanging(self) -> int:  # how many hang_next calls still wait for their request
        return len(self._hangs)

    # --- the users' side -----------------------------------------------------------------------

    def user(
        self,
        user_id: int = 1001,
        first_name: str = "Anna",
        language_code: str | None = "it",
        username: str | None = None,
    ) -> Json:
        """A Telegram user (a User object). The bot cannot write to them until they write to
        the bot (or :meth:`open_private_chat`), as on Telegram."""
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        user |= {"username": username} if username else {}
        user |= {"language_code": language_code} if language_code else {}
        with self._lock:
            self._users[user_id] = user
        return copy.deepcopy(user)

    def group_chat(self, chat_id: int = -100123, title: str = "Lettori") -> Json:
        """A group (a ``supergroup`` for ``-100...`` ids) the bot is a member of."""
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        with self._lock:
            self._chats[chat_id] = {"id": chat_id, "title": title, "type": kind}
            return copy.deepcopy(self._chats[chat_id])

    def channel(self, username: str, bot_is: str = "administrator") -> Json:
        """A public channel ``@username``; the bot is its ``administrator`` (and may post),
        a ``member`` only, or not in it (``left``)."""
        with self._lock:
            chat_id = -1002000000000 - len(self._channels)
            chat = {"id": chat_id, "title": username.lstrip("@").title(), "type": "channel"}
            self._chats[chat_id] = chat | {"username": username.lstrip("@")}
            self._channels[chat_id] = bot_is
            self._channel_names[username.lower()] = chat_id
            return copy.deepcopy(self._chats[chat_id])

    def _channel(self, chat_id: int) -> Json:
        """A channel the bot posts to: Telegram's answer when it may not."""
        status = self._channels[chat_id]
        if status == "left":
            raise ApiError(403, "Forbidden: bot is not a member of the channel chat")
        if status != "administrator":
            raise bad_request("need administrator rights in the channel chat")
        return self._chats[chat_id]

    def open_private_chat(self, user: Json) -> Json:
        """The private chat with ``user``, as if they had started the bot (no update is sent)."""
        with self._lock:
            known = self._users.setdefault(user["id"], copy.deepcopy(user))
            chat = {"id": known["id"], "first_name": known["first_name"], "type": "private"}
            chat |= {"username": known["username"]} if "username" in known else {}
            return copy.deepcopy(self._chats.setdefault(known["id"], chat))

    def _send(self, user: Json, fields: Json, chat: Json | None) -> int:
        """Queue a ``message`` update from ``user`` in their private chat or in ``chat``."""
        target = chat if chat is not None else self.open_private_chat(user)
        with self._lock:
            stored = self._chats.setdefault(target["id"], copy.deepcopy(target))
            message = self._store(stored, self._users.get(user["id"], user), fields)
            self._push_update("message", message)
            return int(message["message_id"])

    def send_text(self, user: Json, text: str, chat: Json | None = None) -> int:
        """The user sends ``text``; a leading ``/command`` (or ``/command@bot``) gets its
        ``bot_command`` entity, as on Telegram. Returns the message_id."""
        fields: Json = {"text": text}
        if command := _COMMAND.match(text):
            fields["entities"] = [{"offset": 0, "length": command.end(), "type": "bot_command"}]
        return self._send(user, fields, chat)

    def edit_text(self, user: Json, message_id: int, text: str) -> None:
        """The user edits a text they sent in their private chat: an ``edited_message``."""
        with self._lock:
            message = self._messages[user["id"]][message_id]
            message |= {"text": text, "edit_date": int(time.time())}
            self._push_update("edited_message", message)

    def channel_post(self, text: str, chat_id: int = -1001234) -> None:
        """A post in a channel the bot is in (no ``from``: the channel is the sender)."""
        chat = {"id": chat_id, "title": "Canale", "type": "channel"}
        with self._lock:
            post = self._store(chat, {}, {"text": text, "sender_chat": chat})
            post.pop("from")
            self._push_update("channel_post", post)

    def send_sticker(self, user: Json, emoji: str = "👍", chat: Json | None = None) -> int:
        with self._lock:
            sticker = self._new_file("STK", b"RIFF-webp", None, None)
        sticker |= {"type": "regular", "width": 512, "height": 512, "emoji": emoji}
        sticker |= {"is_animated": False, "is_video": False, "set_name": "FakeStickers"}
        return self._send(user, {"sticker": sticker}, chat)

    def send_photo(self, user: Json, caption: str | None = None, chat: Json | None = None) -> int:
        with self._lock:
            photo = [
                self._new_file("PHO", b"\xff\xd8" * w, None, None) | {"width": w, "height": h}
                for w, h in ((90, 60), (320, 213), (1280, 853))
            ]
        return self._send(user, {"photo": photo, "caption": caption}, chat)

    def send_voice(self, user: Json, duration: int = 3, chat: Json | None = None) -> int:
        with self._lock:
            voice = self._new_file("VOI", b"OggS", None, "audio/ogg") | {"duration": duration}
        return self._send(user, {"voice": voice}, chat)

    def send_document(
        self,
        user: Json,
        file_name: str = "essay.txt",
        content: bytes = b"Marketing e IT",
        *,
        mime_type: str = "text/plain",
        caption: str | None = None,
        chat: Json | None = None,
    ) -> int:
        with self._lock:
            document = self._new_file("DOC", content, file_name, mime_type)
        return self._send(user, {"document": document, "caption": caption}, chat)

    def send_inline_query(self, user: Json, query: str) -> str:
        """The user types ``@bot query`` in some chat: queue an ``inline_query``; its id."""
        with self._lock:
            query_id = str(5_151_000_000 + next(self._ids))
            self._inline[query_id] = None
            sender = self._users.get(user["id"], user)
            payload = {"id": query_id, "from": sender, "query": query, "offset": ""}
            self._push_update("inline_query", payload | {"chat_type": "sender"})
            return query_id

    def inline_answer(self, query_id: str) -> Json | None:
        """What the bot answered to inline query ``query_id`` (None: not yet)."""
        with self._lock:
            return copy.deepcopy(self._inline.get(query_id))

    def enable_inline_mode(self) -> None:
        """BotFather's /setinline: getMe says the bot supports inline queries."""
        with self._lock:
            self.bot_user["supports_inline_queries"] = True

    def press_button(
        self, user: Json, message_id: int, callback_data: str, chat_id: int | None = None
    ) -> str:
        """The user presses a button of a bot message: queue a ``callback_query`` carrying the
        message as it is now. The data need not be on its keyboard (stale or forged presses are
        allowed). Returns the callback query id."""
        chat = chat_id if chat_id is not None else user["id"]
        with self._lock:
            message = self._messages.get(chat, {}).get(message_id)
            if message is None:
                raise KeyError(f"no message {message_id} in chat {chat}")
            query_id = str(4_242_000_000 + next(self._ids))
            self._queries[query_id] = None
            query = {"id": query_id, "from": self._users.get(user["id"], user)}
            query |= {"message": message, "chat_instance": str(-7919 * abs(chat) - 13)}
            self._push_update("callback_query", query | {"data": callback_data})
            return query_id

    # --- looking at what happened --------------------------------------------------------------

    @property
    def requests(self) -> list[Recorded]:
        """Every request answered so far, in order (getUpdates included)."""
        with self._lock:
            return list(self._requests)

    def calls(self, method: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self._requests if r.method == method]

    @property
    def rejected(self) -> list[Recorded]:
        """Requests answered with ``ok: false`` and not yet acknowledged."""
        with self._lock:
            return list(self._rejected)

    def clear_rejected(self) -> list[Recorded]:
        """Acknowledge every rejection so far; returns them."""
        with self._lock:
            cleared, self._rejected = self._rejected, []
            return cleared

    def expect_rejection(
        self, method: str | None = None, *, error_code: int | None = None, contains: str = ""
    ) -> Recorded:
        """Acknowledge the first rejection that matches; AssertionError if there is none."""
        with self._lock:
            for rejection in self._rejected:
                if (
                    method in (None, rejection.method)
                    and error_code in (None, rejection.error_code)
                    and contains in rejection.description
                ):
                    self._rejected.remove(rejection)
                    return rejection
            wanted = f"{method or 'any method'} with code {error_code} containing {contains!r}"
            raise AssertionError(
                "\n  ".join([f"no rejection of {wanted}:", *map(str, self._rejected)])
            )

    def assert_no_rejections(self) -> None:
        with self._lock:
            if self._rejected:
                listed = "\n  ".join(map(str, self._rejected))
                raise AssertionError(f"Telegram rejected {len(self._rejected)}:\n  {listed}")

    def messages(self, chat: Chat) -> list[Json]:
        """Every message of the chat, the users' and the bot's, as they are now."""
        with self._lock:
            return copy.deepcopy(list(self._messages.get(_chat_id(chat), {}).values()))

    def sent(self, chat: Chat) -> list[Json]:
        """The bot's messages in the chat, oldest first, as they are now (after edits)."""
        return [m for m in self.messages(chat) if m["from"]["id"] == self.bot_user["id"]]

    def texts(self, chat: Chat) -> list[str]:
        """The text (or caption) of each message the bot has in the chat."""
        return [str(m.get("text", m.get("caption", ""))) for m in self.sent(chat)]

    def last_sent(self, chat: Chat) -> Json:
        if not (sent := self.sent(chat)):
            raise AssertionError(f"the bot has no message in chat {_chat_id(chat)}")
        return sent[-1]

    def message(self, chat: Chat, message_id: int) -> Json:
        """A message as it is now; KeyError if there is none."""
        with self._lock:
            return copy.deepcopy(self._messages.get(_chat_id(chat), {})[message_id])

    @property
    def callback_answers(self) -> dict[str, Json]:
        """callback_query_id -> the parameters of its answerCallbackQuery (answered ones only)."""
        with self._lock:
            return {k: copy.deepcopy(v) for k, v in self._queries.items() if v is not None}

    def commands(self, language_code: str = "", scope: str = "default") -> list[dict[str, str]]:
        """The command list set for a language and a scope (``"default"`` or ``"chat:ID"``)."""
        with self._lock:
            return copy.deepcopy(self._commands.get((scope, language_code), []))

    def description(self, language_code: str = "", *, short: bool = False) -> str:
        """The bot's description (or short description) set for a language ("" : default)."""
        kind = "short_description" if short else "description"
        with self._lock:
            return self._descriptions.get((kind, language_code), "")

    def file(self, file_id: str) -> StoredFile:
        """A file the bot uploaded (or a user sent), with its bytes."""
        with self._lock:
            return self._files[file_id]

    @property
    def pending_updates(self) -> list[Json]:
        """Updates queued and not yet confirmed by the bot."""
        with self._lock:
            return copy.deepcopy(self._updates)

    # --- waiting -------------------------------------------------------------------------------

    def wait_until(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, description: str = ""
    ) -> T:
        """Block until ``predicate()`` (run with the lock held) is truthy; return its value.
        Not for async tests running the bot on their own loop: use :meth:`await_until`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not (value := predicate()):
                if (remaining := deadline - time.monotonic()) <= 0:
                    raise AssertionError(self._report(description or repr(predicate), timeout))
                self._changed.wait(min(remaining, 0.05))
            return value

    async def await_until(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, description: str = ""
    ) -> T:
        """:meth:`wait_until` for async tests: polls without blocking the event loop."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if value := predicate():
                    return value
            if time.monotonic() >= deadline:
                raise AssertionError(self._report(description or repr(predicate), timeout))
            await asyncio.sleep(0.005)

    def _finds_request(
        self, method: str, predicate: Match, since: int
    ) -> Callable[[], Recorded | None]:
        def find() -> Recorded | None:
            calls = (r for r in self._requests[since:] if r.method == method)
            return next((r for r in calls if predicate is None or predicate(r)), None)

        return find

    def wait_for_request(
        self, method: str, predicate: Match = None, *, since: int = 0, timeout: float = 5.0
    ) -> Recorded:
        """The first request to ``method`` (from index ``since``, see :meth:`mark`) for which
        ``predicate`` is true, answered ok or not."""
        find = self._finds_request(method, predicate, since)
        return self.wait_until(find, timeout, f"a {method} request")

    async def await_request(
        self, method: str, predicate: Match = None, *, since: int = 0, timeout: float = 5.0
    ) -> Recorded:
        find = self._finds_request(method, predicate, since)
        return await self.await_until(find, timeout, f"a {method} request")

    def _finds_reply(self, chat: Chat, after: int | None) -> Callable[[], Json | None]:
        if after is None:  # after the user's latest message
            users = [m for m in self.messages(chat) if m["from"]["id"] != self.bot_user["id"]]
            after = users[-1]["message_id"] if users else 0
        return lambda: next((m for m in self.sent(chat) if m["message_id"] > after), None)

    def wait_for_reply(
        self, chat: Chat, after: int | None = None, *, timeout: float = 5.0
    ) -> Json:
        """The first bot message in the chat after message id ``after`` (by default, after the
        user's latest message), as it is now."""
        find = self._finds_reply(chat, after)
        return self.wait_until(find, timeout, f"a bot message in chat {_chat_id(chat)}")

    async def await_reply(
        self, chat: Chat, after: int | None = None, *, timeout: float = 5.0
    ) -> Json:
        find = self._finds_reply(chat, after)
        return await self.await_until(find, timeout, f"a bot message in chat {_chat_id(chat)}")

    async def await_delivered(self, timeout: float = 5.0) -> None:
        """Until the bot has confirmed (by a later getUpdates offset) every queued update."""
        await self.await_until(lambda: not self._updates, timeout, "every update confirmed")

    def _report(self, what: str, timeout: float) -> str:
        with self._lock:
            recent = [str(r) for r in self._requests if r.method != "getUpdates"][-12:]
            lines = [f"timed out after {timeout:g} s waiting for {what}; recent requests:"]
            lines += [*recent, "rejected:", *map(str, self._rejected)]
            lines += [f"updates not yet confirmed by the bot: {len(self._updates)}"]
            return "\n  ".join(lines)


def _chat_id(chat: Chat) -> int:
    return chat if isinstance(chat, int) else int(chat["id"])


def _int(params: Json, name: str, default: int = 0) -> int:
    value = params.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(f'field "{name}" must be of type Integer')
    return value


def _inline_keyboard(markup: Any) -> Json | None:
    """Validate ``reply_markup`` as Telegram does: the inline keyboard the Message will carry
    (None for an empty one). Reply keyboards and force_reply are not implemented."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if not isinstance(rows := markup.get("inline_keyboard"), list):
        raise bad_request('field "inline_keyboard" must be of type Array')
    if not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    if sum(map(len, rows)) > 100:
        raise bad_request("REPLY_MARKUP_TOO_LONG")
    keyboard = [[_button(button) for button in row] for row in rows if row]
    return {"inline_keyboard": keyboard} if keyboard else None


def _no_share_in_channels(chat: Json, markup: Json | None) -> None:
    """Buttons that switch to inline mode cannot be sent to channels (Bot API 3.0)."""
    rows = (markup or {}).get("inline_keyboard", [])
    if chat.get("type") == "channel" and any(_SHARE in b for row in rows for b in row):
        raise bad_request("BUTTON_TYPE_INVALID")


_INLINE_FLAGS = ("cache_time", "is_personal")
_SHARE = "switch_inline_query_chosen_chat"


def _chosen_chat(value: Any) -> Json:
    """A switch_inline_query_chosen_chat object, checked."""
    if not isinstance(value, dict) or not isinstance(value.get("query", ""), str):
        raise bad_request("can't parse inline keyboard button: SwitchInlineQueryChosenChat")
    kinds = ("allow_user_chats", "allow_bot_chats", "allow_group_chats", "allow_channel_chats")
    if not any(value.get(kind) for kind in kinds):
        raise bad_request("can't parse inline keyboard button: no chat type allowed")
    return {k: v for k, v in value.items() if k in ("query", *kinds)}


def _button(button: Any) -> Json:
    cannot = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise bad_request(cannot + "InlineKeyboardButton must be an Object")
    if "text" not in button:
        raise bad_request(cannot + 'Can\'t find field "text"')
    if unknown := sorted(set(button) - {"text", "url", "callback_data", _SHARE}):
        raise bad_request(f"FakeBotAPI does not implement inline buttons with {unknown[0]}")
    if _SHARE in button:
        if len(button) != 2 or not str(button["text"]).strip():
            raise bad_request(cannot + "a button must have exactly one action")
        return {"text": button["text"], _SHARE: _chosen_chat(button[_SHARE])}
    text, url, data = button["text"], button.get("url"), button.get("callback_data")
    if not all(isinstance(value, str) for value in (text, url or "", data or "")):
        raise bad_request(cannot + "text, url and callback_data must be Strings")
    if not url and not data:
        raise bad_request(cannot + "Text buttons are unallowed in the inline keyboard")
    if not text.strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    if url:
        try:
            return {"text": text, "url": check_link(url)}
        except ValueError as error:
            raise bad_request(f"inline keyboard button URL '{url}' is invalid: {error}") from None
    if len(str(data).encode("utf-8")) > 64:
        raise bad_request("BUTTON_DATA_INVALID")
    return {"text": text, "callback_data": data}
