"""The HTTP side of the fake Telegram: see ``fake_telegram.FakeBotAPI`` for the test API.

An aiohttp server on 127.0.0.1, in a background thread with its own event loop, answering
``/bot{token}/{method}`` (and ``/file/bot{token}/{path}`` downloads) like the Bot API: any HTTP
method, form, multipart or JSON bodies, case-insensitive method names, 401 for a wrong token,
404 for a malformed one or an unknown method, and long polling with Telegram's 409 when a newer
getUpdates takes over. Every answer is recorded.
"""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from aiohttp import web
from fake_telegram_methods import BotState, Described
from fake_telegram_validation import ApiError, UploadedFile, decode_params, get_int

__all__ = ["DEFAULT_TOKEN", "Chat", "FakeTelegramServer", "Recorded", "Rejected"]

DEFAULT_TOKEN = "123456:TEST-token_abcdefghijklmnopqrstuvwxyz"
CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is "
    "running"
)
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)
_TOKEN = re.compile(r"[0-9]+:[A-Za-z0-9_-]+")
# Real Bot API methods the fake does not implement: a clear 400 instead of Telegram's 404 for
# unknown methods (which PTB would report as InvalidToken).
_NOT_IMPLEMENTED = frozenset(
    name.lower()
    for name in (
        "sendPhoto sendAudio sendVideo sendAnimation sendVoice sendVideoNote sendPaidMedia"
        " sendMediaGroup sendLocation sendVenue sendContact sendPoll sendDice sendSticker"
        " sendInvoice sendGame forwardMessage forwardMessages copyMessage copyMessages"
        " editMessageMedia editMessageLiveLocation stopMessageLiveLocation stopPoll"
        " deleteMessages setMessageReaction getUserProfilePhotos getChat getChatMember"
        " getChatMemberCount getChatAdministrators leaveChat pinChatMessage unpinChatMessage"
        " unpinAllChatMessages banChatMember unbanChatMember restrictChatMember"
        " promoteChatMember setChatMenuButton getChatMenuButton setMyName getMyName"
        " setMyDescription getMyDescription setMyShortDescription getMyShortDescription"
        " answerInlineQuery setMyDefaultAdministratorRights getMyDefaultAdministratorRights"
    ).split()
)
Chat = int | dict[str, Any]  # a chat id, a chat, or a user (meaning the private chat with them)


@dataclass(frozen=True)
class Recorded:
    """One request the fake answered."""

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any]

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def result(self) -> Any:
        return self.response.get("result")

    def __str__(self) -> str:
        outcome = "ok" if self.ok else f"{self.status} {self.response.get('description')}"
        return f"{self.method}({_brief(self.params)}) -> {outcome}"


@dataclass(frozen=True)
class Rejected:
    """A request answered with ``ok: false``."""

    method: str
    params: dict[str, Any]
    error_code: int
    description: str

    def __str__(self) -> str:
        return f"{self.method}({_brief(self.params)}) -> {self.error_code} {self.description}"


def _brief(params: dict[str, Any], width: int = 60) -> str:
    parts = []
    for key, value in params.items():
        text = repr(value)
        parts.append(f"{key}={text[:width] + '...' if len(text) > width else text}")
    return ", ".join(parts)


@dataclass
class _Poller:
    event: asyncio.Event
    terminated: bool = False


class FakeTelegramServer:
    """The Bot API server for one bot; :class:`fake_telegram.FakeBotAPI` adds the test side."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        username: str = "essay_test_bot",
        first_name: str = "Essay Test Bot",
    ) -> None:
        if not _TOKEN.fullmatch(token):
            raise ValueError(f"not a bot token: {token!r}")
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._state = BotState(self.bot_user)
        self._requests: list[Recorded] = []
        self._rejected: list[Rejected] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._stopping = False
        self._long_poll: _Poller | None = None

    # --- lifecycle -----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``; PTB wants ``base_url=f"{fake.base_url}/bot"``."""
        if not self._port:
            raise RuntimeError("FakeBotAPI is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def bot_id(self) -> int:
        return int(self.bot_user["id"])

    @property
    def is_polling(self) -> bool:
        """Whether a getUpdates long poll is waiting right now (the bot is up and listening)."""
        return self._long_poll is not None

    def start(self) -> Self:
        """Serve on a free port of 127.0.0.1 from a background thread; returns self."""
        if self._thread is not None:
            raise RuntimeError("FakeBotAPI is already started")
        self._stopping = False
        ready = threading.Event()
        failure: list[BaseException] = []
        self._thread = threading.Thread(
            target=self._serve, args=(ready, failure), name="FakeBotAPI", daemon=True
        )
        self._thread.start()
        ready.wait(10)
        if failure:
            raise RuntimeError("FakeBotAPI could not start") from failure[0]
        return self

    def stop(self) -> None:
        """Answer pending long polls with ``[]``, close every connection and stop serving."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        self._loop = self._thread = None
        self._port = 0

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _serve(self, ready: threading.Event, failure: list[BaseException]) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._open(loop))
        except BaseException as error:  # reported to start()
            failure.append(error)
            ready.set()
            loop.close()
            return
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    async def _open(self, loop: asyncio.AbstractEventLoop) -> None:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(
            app, access_log=None, shutdown_timeout=1.0, handler_cancellation=True
        )
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self._port = sock.getsockname()[1]
        self._loop = loop

    async def _shutdown(self) -> None:
        self._stopping = True
        self._wake_poller()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- HTTP ----------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        file_match = re.fullmatch(r"/file/bot([^/]*)/(.+)", request.path)
        if file_match:
            return self._download(*file_match.groups())
        match = re.fullmatch(r"/bot([^/]*)/([^/]*)", request.path)
        method = match.group(2) if match else request.path
        try:
            params = decode_params(await self._read_params(request))
        except ApiError as error:
            return self._answer(method, {}, error.error_code, error.to_json())
        except web.HTTPRequestEntityTooLarge:
            too_large = ApiError(413, "Request Entity Too Large")
            return self._answer(method, {}, 413, too_large.to_json())
        try:
            result = await self._call(match, params)
        except ApiError as error:
            return self._answer(self._canonical(method), params, error.error_code, error.to_json())
        except Exception as error:  # a bug of the fake: make it visible in `rejected`
            bug = ApiError(500, f"Internal Server Error: FakeBotAPI failed: {error!r}")
            return self._answer(self._canonical(method), params, 500, bug.to_json())
        body: dict[str, Any] = {"ok": True, "result": result}
        if isinstance(result, Described):
            body = {"ok": True, "result": result.result, "description": result.description}
        return self._answer(self._canonical(method), params, 200, body)

    async def _call(self, match: re.Match[str] | None, params: dict[str, Any]) -> Any:
        if match is None or not match.group(2) or not _TOKEN.fullmatch(match.group(1)):
            raise ApiError(404, "Not Found")
        if match.group(1) != self.token:
            raise ApiError(401, "Unauthorized")
        method = self._canonical(match.group(2))
        if method == "getUpdates":
            return await self._get_updates(params)
        handler = self._state.methods.get(method)
        if handler is None and method.lower() in _NOT_IMPLEMENTED:
            raise ApiError(400, f"Bad Request: FakeBotAPI does not implement {method}")
        if handler is None:
            raise ApiError(404, "Not Found")
        with self._lock:
            self._state.raise_injected(method, params)
            return handler(params)

    def _canonical(self, method: str) -> str:
        """Telegram matches method names case-insensitively."""
        names = [*self._state.methods, "getUpdates"]
        return next((name for name in names if name.lower() == method.lower()), method)

    @staticmethod
    async def _read_params(request: web.Request) -> dict[str, Any]:
        raw: dict[str, Any] = dict(request.query)
        if not request.body_exists:
            return raw
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON object") from None
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: JSON object expected")
            raw.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    content = value.file.read()
                    raw[key] = UploadedFile(value.filename, content, value.content_type)
                else:
                    raw[key] = value
        return raw

    def _answer(
        self, method: str, params: dict[str, Any], status: int, body: dict[str, Any]
    ) -> web.Response:
        with self._changed:
            self._requests.append(Recorded(method, params, status, body))
            if not body["ok"]:
                self._rejected.append(Rejected(method, params, status, body["description"]))
            self._changed.notify_all()
        return web.json_response(body, status=status)

    def _download(self, token: str, path: str) -> web.Response:
        with self._lock:
            stored = next((f for f in self._state.files.values() if f.file_path == path), None)
        if token != self.token or stored is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=stored.content, content_type="application/octet-stream")

    # --- getUpdates ----------------------------------------------------------------------------

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = get_int(params, "offset")
        limit = min(max(get_int(params, "limit", 100), 1), 100)
        try:
            timeout = min(max(float(params.get("timeout") or 0), 0.0), 50.0)
        except (TypeError, ValueError):
            timeout = 0.0
        with self._changed:
            if self._state.webhook_url:
                raise ApiError(409, WEBHOOK_CONFLICT)
            self._state.confirm_updates(offset)
            self._state.set_allowed_updates(params.get("allowed_updates"))
            updates = self._state.available_updates(limit)
            self._changed.notify_all()
        if updates or timeout <= 0 or self._stopping:
            return updates
        # Like the real server: a new long poll ends the one already waiting with a 409.
        poller = _Poller(asyncio.Event())
        if self._long_poll is not None:
            self._long_poll.terminated = True
            self._long_poll.event.set()
        self._long_poll = poller
        deadline = time.monotonic() + timeout
        try:
            while not self._stopping and (remaining := deadline - time.monotonic()) > 0:
                try:
                    await asyncio.wait_for(poller.event.wait(), remaining)
                except TimeoutError:
                    break
                poller.event.clear()
                if poller.terminated:
                    raise ApiError(409, CONFLICT)
                with self._lock:
                    updates = self._state.available_updates(limit)
                if updates:
                    break
        finally:
            if self._long_poll is poller:
                self._long_poll = None
        return updates

    def _wake_poller(self) -> None:
        if self._long_poll is not None:
            self._long_poll.event.set()

    def _updates_changed(self) -> None:
        """Called with the lock held, after pushing updates from any thread."""
        self._changed.notify_all()
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake_poller)

    # --- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _chat_id(chat: Chat) -> int:
        return chat if isinstance(chat, int) else int(chat["id"])
