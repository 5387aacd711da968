"""The state of the fake Telegram and its Bot API methods, for ``fake_telegram.FakeBotAPI``.

:class:`BotState` is plain single-threaded Python: every method is called with the
``FakeBotAPI`` lock held. Each Bot API method takes the decoded parameters and returns the
``result`` or raises :class:`~fake_telegram_validation.ApiError` with Telegram's error answer, in
the order the real Bot API checks things (request parsing, then the chat, then the server).
"""

from __future__ import annotations

import copy
import math
import mimetypes
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fake_telegram_entities import Entity, TextError, format_text, parse_entities, utf16_len
from fake_telegram_html import parse_html
from fake_telegram_validation import (
    ApiError,
    UploadedFile,
    bad_request,
    check_link_preview_options,
    get_bool,
    get_chat_id,
    get_int,
    get_str,
    parse_commands,
    parse_language_code,
    parse_reply_markup,
    parse_scope,
)

__all__ = [
    "BotState",
    "CallbackQueryState",
    "Described",
    "Injection",
    "StoredFile",
    "StoredMessage",
]

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
BLOCKED = ApiError(403, "Forbidden: bot was blocked by the user")
CANT_INITIATE = ApiError(403, "Forbidden: bot can't initiate conversation with a user")
CHAT_ACTIONS = frozenset(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document"
    " choose_sticker find_location record_video_note upload_video_note record_audio"
    " upload_audio".split()
)
# Telegram's default when allowed_updates was never set: everything but these.
NOT_DEFAULT_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass
class StoredMessage:
    """A message in a chat: its current Message object, and who sent it."""

    data: dict[str, Any]
    from_bot: bool
    deleted: bool = False


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_name: str | None = None
    mime_type: str | None = None


@dataclass
class CallbackQueryState:
    query_id: str
    chat_id: int
    message_id: int
    data: str
    answer: dict[str, Any] | None = None


@dataclass(frozen=True)
class Described:
    """A successful result that Telegram sends with a ``description`` (e.g. deleteWebhook)."""

    result: Any
    description: str


@dataclass
class _Bucket:
    rate: float
    burst: float
    tokens: float
    stamp: float

    def wait_time(self, now: float) -> float:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


@dataclass
class FloodControl:
    """Token buckets: ``burst`` requests at once, then ``rate`` per second (per chat, global)."""

    per_chat: float | None = None
    global_rate: float | None = None
    burst: float = 1.0
    buckets: dict[int | None, _Bucket] = field(default_factory=dict)

    def retry_after(self, chat_id: int, now: float) -> int | None:
        """Seconds to wait, or ``None`` (and a token is spent) if the request may go."""
        buckets = []
        for key, rate in ((chat_id, self.per_chat), (None, self.global_rate)):
            if rate:
                bucket = self.buckets.setdefault(key, _Bucket(rate, self.burst, self.burst, now))
                buckets.append(bucket)
        wait = max((bucket.wait_time(now) for bucket in buckets), default=0.0)
        if wait > 0:
            return max(1, math.ceil(wait))
        for bucket in buckets:
            bucket.tokens -= 1
        return None


@dataclass
class Injection:
    """An error to answer the next calls of a method with (see ``FakeBotAPI.fail_next``)."""

    method: str
    chat_id: int | None
    error: ApiError
    times: int


class BotState:
    """Users, chats, messages, pending updates, commands and files of one fake bot."""

    def __init__(self, bot_user: dict[str, Any]) -> None:
        self.bot_user = bot_user
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, dict[str, Any]] = {}  # chats the bot may write to
        self.blocked: set[int] = set()
        self.messages: dict[int, dict[int, StoredMessage]] = {}
        self.updates: list[dict[str, Any]] = []  # pushed, not yet confirmed by an offset
        self.next_update_id = 10_001
        self.allowed_updates: frozenset[str] | None = None
        self.webhook_url = ""
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.callback_queries: dict[str, CallbackQueryState] = {}
        self.files: dict[str, StoredFile] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.flood = FloodControl()
        self.injections: list[Injection] = []
        self._counter = 0
        self.methods: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getMe": self.get_me,
            "logOut": self.log_out,
            "close": self.log_out,
            "getWebhookInfo": self.get_webhook_info,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "sendMessage": self.send_message,
            "sendDocument": self.send_document,
            "editMessageText": self.edit_message_text,
            "editMessageCaption": self.edit_message_caption,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "sendChatAction": self.send_chat_action,
            "answerCallbackQuery": self.answer_callback_query,
            "getFile": self.get_file,
        }

    def next_number(self) -> int:
        self._counter += 1
        return self._counter

    # --- updates -------------------------------------------------------------------------------

    def push_update(self, kind: str, payload: dict[str, Any]) -> int:
        update_id = self.next_update_id
        self.next_update_id += 1
        self.updates.append({"update_id": update_id, kind: copy.deepcopy(payload)})
        return update_id

    def confirm_updates(self, offset: int) -> None:
        """getUpdates' ``offset``: forget the updates before it (negative: keep the last N)."""
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]

    def set_allowed_updates(self, value: Any) -> None:
        if isinstance(value, list) and all(isinstance(kind, str) for kind in value):
            self.allowed_updates = frozenset(value) if value else None

    def available_updates(self, limit: int) -> list[dict[str, Any]]:
        """Deliverable updates; the ones of types the bot did not ask for are dropped."""
        self.updates = [u for u in self.updates if self._is_allowed(u)]
        return copy.deepcopy(self.updates[:limit])

    def _is_allowed(self, update: dict[str, Any]) -> bool:
        kind = next(key for key in update if key != "update_id")
        if self.allowed_updates is None:
            return kind not in NOT_DEFAULT_UPDATES
        return kind in self.allowed_updates

    # --- chats and messages --------------------------------------------------------------------

    def chat_of(self, chat_id: int) -> dict[str, Any]:
        chat = self.chats.get(chat_id)
        if chat is None:
            raise KeyError(f"no chat {chat_id} in the fake; send a message from a user first")
        return chat

    def store(
        self, chat: dict[str, Any], fields: dict[str, Any], *, from_bot: bool
    ) -> dict[str, Any]:
        chat_messages = self.messages.setdefault(chat["id"], {})
        message_id = max(chat_messages, default=0) + 1
        sender = self.bot_user if from_bot else fields.pop("from")
        data = {
            "message_id": message_id,
            "from": copy.deepcopy(sender),
            "chat": copy.deepcopy(chat),
            "date": int(time.time()),
            **fields,
        }
        chat_messages[message_id] = StoredMessage(data, from_bot)
        return data

    def stored(self, chat_id: int, message_id: int) -> StoredMessage | None:
        message = self.messages.get(chat_id, {}).get(message_id)
        return None if message is None or message.deleted else message

    def new_file(
        self, content: bytes, kind: str, file_name: str | None = None, mime: str | None = None
    ) -> StoredFile:
        number = self.next_number()
        extension = (file_name or "").rpartition(".")[2] if "." in (file_name or "") else "bin"
        stored = StoredFile(
            file_id=f"BQACAgQAAx{kind[:3].upper()}{number:08d}FAKE",
            file_unique_id=f"AgAD{number:06d}",
            file_path=f"{kind}s/file_{number}.{extension}",
            content=content,
            file_name=file_name,
            mime_type=mime,
        )
        self.files[stored.file_id] = stored
        return stored

    # --- request helpers -----------------------------------------------------------------------

    def raise_injected(self, method: str, params: dict[str, Any]) -> None:
        for injection in self.injections:
            if injection.method.lower() != method.lower():
                continue
            if injection.chat_id is not None and params.get("chat_id") != injection.chat_id:
                continue
            injection.times -= 1
            if injection.times <= 0:
                self.injections.remove(injection)
            raise injection.error

    def _target_chat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = get_chat_id(params)
        if isinstance(chat_id, str):
            found = [c for c in self.chats.values() if c.get("username") == chat_id[1:]]
            if not found:
                raise bad_request("chat not found")
            return found[0]
        chat = self.chats.get(chat_id)
        if chat is None:
            raise CANT_INITIATE if chat_id in self.users else bad_request("chat not found")
        return chat

    def _check_can_write(self, chat_id: int) -> None:
        if chat_id in self.blocked:
            raise BLOCKED

    def _check_flood(self, chat_id: int) -> None:
        retry_after = self.flood.retry_after(chat_id, time.monotonic())
        if retry_after is not None:
            raise ApiError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )

    def _formatted(
        self, params: dict[str, Any], name: str, entities_name: str, *, caption: bool
    ) -> tuple[str, list[Entity]]:
        raw = get_str(params, name) or ""
        if not raw and not caption:
            raise bad_request("message text is empty")
        mode = (get_str(params, "parse_mode") or "").strip()
        try:
            if mode.lower() == "html":
                try:
                    plain, entities = parse_html(raw)
                except TextError as error:
                    raise bad_request(f"can't parse entities: {error}") from None
            elif mode.lower() in ("markdown", "markdownv2"):
                raise ApiError(
                    400, f"Bad Request: FakeBotAPI does not implement parse_mode {mode}; use HTML"
                )
            elif mode.lower() in ("", "none"):
                given = params.get(entities_name)
                plain = raw
                entities = [] if given in (None, "") else parse_entities(given, self.users)
            else:
                raise bad_request("unsupported parse_mode")
            return format_text(plain, entities, allow_empty=caption)
        except TextError as error:
            raise bad_request(str(error)) from None

    def _reply_to(self, params: dict[str, Any], chat_id: int) -> dict[str, Any] | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            if "message_id" not in reply:
                raise bad_request('can\'t find field "message_id"')
            message_id = get_int(reply, "message_id")
            allow_missing = get_bool(reply, "allow_sending_without_reply")
        else:
            message_id = get_int(params, "reply_to_message_id")
            allow_missing = get_bool(params, "allow_sending_without_reply")
        if not message_id:
            return None
        target = self.stored(chat_id, message_id)
        if target is None:
            if allow_missing:
                return None
            raise bad_request("message to be replied not found")
        replied = copy.deepcopy(target.data)
        replied.pop("reply_to_message", None)
        return replied

    def _message_to_edit(self, params: dict[str, Any]) -> StoredMessage:
        if params.get("inline_message_id"):
            raise ApiError(400, "Bad Request: FakeBotAPI does not support inline_message_id")
        chat = self._target_chat(params)
        message_id = get_int(params, "message_id")
        if not message_id:
            raise bad_request("message identifier is not specified")
        message = self.stored(chat["id"], message_id)
        if message is None:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    @staticmethod
    def _set_optional(data: dict[str, Any], key: str, value: Any) -> None:
        if value:
            data[key] = value
        else:
            data.pop(key, None)

    # --- Bot API methods -----------------------------------------------------------------------

    def get_me(self, params: dict[str, Any]) -> Any:
        return copy.deepcopy(self.bot_user)

    def log_out(self, params: dict[str, Any]) -> Any:
        return True

    def get_webhook_info(self, params: dict[str, Any]) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }
        if self.allowed_updates is not None:
            info["allowed_updates"] = sorted(self.allowed_updates)
        return info

    def set_webhook(self, params: dict[str, Any]) -> Any:
        self.webhook_url = get_str(params, "url") or ""
        return Described(True, "Webhook was set")

    def delete_webhook(self, params: dict[str, Any]) -> Any:
        if get_bool(params, "drop_pending_updates"):
            self.updates.clear()
        if not self.webhook_url:
            return Described(True, "Webhook is already deleted")
        self.webhook_url = ""
        return Described(True, "Webhook was deleted")

    def set_my_commands(self, params: dict[str, Any]) -> Any:
        commands = parse_commands(params.get("commands"))
        key = (parse_scope(params.get("scope")), parse_language_code(params))
        if commands:
            self.commands[key] = commands
        else:
            self.commands.pop(key, None)
        return True

    def get_my_commands(self, params: dict[str, Any]) -> Any:
        key = (parse_scope(params.get("scope")), parse_language_code(params))
        return copy.deepcopy(self.commands.get(key, []))

    def delete_my_commands(self, params: dict[str, Any]) -> Any:
        key = (parse_scope(params.get("scope")), parse_language_code(params))
        self.commands.pop(key, None)
        return True

    def send_message(self, params: dict[str, Any]) -> Any:
        text, entities = self._formatted(params, "text", "entities", caption=False)
        check_link_preview_options(params.get("link_preview_options"))
        markup = parse_reply_markup(params.get("reply_markup"))
        chat = self._target_chat(params)
        replied = self._reply_to(params, chat["id"])
        if utf16_len(text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        self._check_can_write(chat["id"])
        self._check_flood(chat["id"])
        fields: dict[str, Any] = {"text": text}
        self._set_optional(fields, "entities", [e.to_dict() for e in entities])
        self._set_optional(fields, "reply_to_message", replied)
        self._set_optional(fields, "reply_markup", markup)
        return copy.deepcopy(self.store(chat, fields, from_bot=True))

    def send_document(self, params: dict[str, Any]) -> Any:
        caption, entities = self._formatted(params, "caption", "caption_entities", caption=True)
        markup = parse_reply_markup(params.get("reply_markup"))
        document = self._document(params.get("document"))
        chat = self._target_chat(params)
        replied = self._reply_to(params, chat["id"])
        if utf16_len(caption) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        self._check_can_write(chat["id"])
        self._check_flood(chat["id"])
        fields: dict[str, Any] = {"document": document}
        self._set_optional(fields, "caption", caption)
        self._set_optional(fields, "caption_entities", [e.to_dict() for e in entities])
        self._set_optional(fields, "reply_to_message", replied)
        self._set_optional(fields, "reply_markup", markup)
        return copy.deepcopy(self.store(chat, fields, from_bot=True))

    def _document(self, value: Any) -> dict[str, Any]:
        if isinstance(value, UploadedFile):
            if not value.content:
                raise bad_request("file must be non-empty")
            if len(value.content) > MAX_UPLOAD_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            mime = value.content_type
            if not mime or mime == "application/octet-stream":
                mime = mimetypes.guess_type(value.filename)[0] or "application/octet-stream"
            stored = self.new_file(value.content, "document", value.filename or None, mime)
        elif isinstance(value, str) and value.startswith(("http://", "https://")):
            raise ApiError(
                400, "Bad Request: FakeBotAPI does not download HTTP URLs; upload the file"
            )
        elif isinstance(value, str) and value in self.files:
            stored = self.files[value]
        elif value:
            raise bad_request("wrong file identifier/HTTP URL specified")
        else:
            raise bad_request("there is no document in the request")
        return self.document_object(stored)

    @staticmethod
    def document_object(stored: StoredFile) -> dict[str, Any]:
        document: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
        }
        if stored.file_name:
            document["file_name"] = stored.file_name
        if stored.mime_type:
            document["mime_type"] = stored.mime_type
        return document

    def edit_message_text(self, params: dict[str, Any]) -> Any:
        text, entities = self._formatted(params, "text", "entities", caption=False)
        check_link_preview_options(params.get("link_preview_options"))
        markup = parse_reply_markup(params.get("reply_markup"), inline_only=True)
        message = self._message_to_edit(params)
        data = message.data
        if "text" not in data:
            raise bad_request("there is no text in the message to edit")
        if utf16_len(text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        new_entities = [e.to_dict() for e in entities]
        if (text, new_entities, markup) == (
            data["text"],
            data.get("entities", []),
            data.get("reply_markup"),
        ):
            raise ApiError(400, NOT_MODIFIED)
        return self._apply_edit(
            message, {"text": text, "entities": new_entities, "reply_markup": markup}
        )

    def edit_message_caption(self, params: dict[str, Any]) -> Any:
        caption, entities = self._formatted(params, "caption", "caption_entities", caption=True)
        markup = parse_reply_markup(params.get("reply_markup"), inline_only=True)
        message = self._message_to_edit(params)
        data = message.data
        if "text" in data:
            raise bad_request("there is no caption in the message to edit")
        if utf16_len(caption) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        new_entities = [e.to_dict() for e in entities]
        if (caption, new_entities, markup) == (
            data.get("caption", ""),
            data.get("caption_entities", []),
            data.get("reply_markup"),
        ):
            raise ApiError(400, NOT_MODIFIED)
        return self._apply_edit(
            message, {"caption": caption, "caption_entities": new_entities, "reply_markup": markup}
        )

    def edit_message_reply_markup(self, params: dict[str, Any]) -> Any:
        markup = parse_reply_markup(params.get("reply_markup"), inline_only=True)
        message = self._message_to_edit(params)
        if markup == message.data.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        return self._apply_edit(message, {"reply_markup": markup})

    def _apply_edit(self, message: StoredMessage, changes: dict[str, Any]) -> Any:
        chat_id = message.data["chat"]["id"]
        self._check_can_write(chat_id)
        self._check_flood(chat_id)
        for key, value in changes.items():
            if key in ("text", "caption") and key in message.data:
                message.data[key] = value
            else:
                self._set_optional(message.data, key, value)
        message.data["edit_date"] = int(time.time())
        return copy.deepcopy(message.data)

    def delete_message(self, params: dict[str, Any]) -> Any:
        chat = self._target_chat(params)
        message = self.stored(chat["id"], get_int(params, "message_id"))
        if message is None:
            raise bad_request("message to delete not found")
        message.deleted = True
        return True

    def send_chat_action(self, params: dict[str, Any]) -> Any:
        action = get_str(params, "action") or ""
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        chat = self._target_chat(params)
        self._check_can_write(chat["id"])
        self.chat_actions.append((chat["id"], action))
        return True

    def answer_callback_query(self, params: dict[str, Any]) -> Any:
        query = self.callback_queries.get(get_str(params, "callback_query_id") or "")
        if query is None or query.answer is not None:
            raise bad_request(QUERY_INVALID)
        if len(get_str(params, "text") or "") > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answer = copy.deepcopy(params)
        return True

    def get_file(self, params: dict[str, Any]) -> Any:
        stored = self.files.get(get_str(params, "file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }
