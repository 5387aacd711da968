"""Request parameters as the Bot API reads them, for the fake server in ``fake_telegram``.

Decoding (form, multipart and JSON bodies all end up as one dict of Python values), typed access
to single parameters, and the validation of reply markup, bot commands and command scopes, with
Telegram's own error descriptions.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from typing import Any

from fake_telegram_entities import LinkError, check_link

__all__ = [
    "ApiError",
    "UploadedFile",
    "bad_request",
    "check_link_preview_options",
    "decode_params",
    "get_bool",
    "get_chat_id",
    "get_int",
    "get_str",
    "parse_commands",
    "parse_language_code",
    "parse_reply_markup",
    "parse_scope",
]


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(message: str) -> ApiError:
    """``Bad Request: <message>``, with the first letter lowercased as the Bot API does for
    sentences (``Text must be non-empty`` -> ``text must be non-empty``) but not for server
    error codes (``BUTTON_DATA_INVALID``)."""
    if len(message) > 1 and message[0].isupper() and not message[1].isupper():
        message = message[0].lower() + message[1:]
    return ApiError(400, f"Bad Request: {message}")


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content: bytes
    content_type: str

    def __repr__(self) -> str:
        return f"UploadedFile({self.filename!r}, {len(self.content)} bytes, {self.content_type!r})"


# --- decoding ----------------------------------------------------------------------------------

JSON_FIELDS = frozenset(
    "reply_markup entities caption_entities commands scope allowed_updates link_preview_options"
    " reply_parameters message_ids media results permissions reaction explanation_entities"
    " options".split()
)
INT_FIELDS = frozenset(
    "chat_id message_id offset limit timeout cache_time user_id reply_to_message_id"
    " message_thread_id from_chat_id duration width height".split()
)
BOOL_FIELDS = frozenset(
    "disable_web_page_preview disable_notification protect_content show_alert"
    " drop_pending_updates allow_sending_without_reply disable_content_type_detection"
    " show_caption_above_media has_spoiler".split()
)


def decode_params(raw: dict[str, Any]) -> dict[str, Any]:
    """Decode parameters as sent by any client: JSON-encoded fields (``reply_markup``,
    ``entities``, ``commands``...) become Python values, numeric ids become ints and
    ``true``/``false`` flags become bools. Anything undecodable is kept as sent, for the method
    to reject."""
    params: dict[str, Any] = {}
    for name, value in raw.items():
        if isinstance(value, str):
            if name in JSON_FIELDS:
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
            elif name in INT_FIELDS and re.fullmatch(r"-?[0-9]+", value.strip()):
                value = int(value)
            elif name in BOOL_FIELDS and value.lower() in ("true", "false"):
                value = value.lower() == "true"
        params[name] = value
    return params


def get_str(params: dict[str, Any], name: str) -> str | None:
    value = params.get(name)
    if value is None or isinstance(value, UploadedFile):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def get_int(params: dict[str, Any], name: str, default: int = 0) -> int:
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise bad_request(f'Field "{name}" must be of type Integer')
    try:
        return int(value)
    except ValueError:
        raise bad_request(f'Field "{name}" must be a valid Number') from None


def get_bool(params: dict[str, Any], name: str) -> bool:
    value = params.get(name)
    if isinstance(value, str):
        return value.lower() in ("true", "1")
    return bool(value)


def get_chat_id(params: dict[str, Any], name: str = "chat_id") -> int | str:
    """The chat id as given: an int, or an ``@username`` string. Missing -> 400 like Telegram."""
    value = params.get(name)
    if value is None or value == "":
        raise bad_request(f"{name} is empty")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if text.startswith("@"):
        return text
    raise bad_request("chat not found")


def check_link_preview_options(value: Any) -> None:
    """``link_preview_options`` is accepted (the fake makes no previews) if well-formed."""
    if value is None or value == "":
        return
    if not isinstance(value, dict):
        raise bad_request("can't parse link preview options JSON object")
    for name in ("is_disabled", "prefer_small_media", "prefer_large_media", "show_above_text"):
        _check_bool_field(value, name)
    url = value.get("url")
    if url is not None and not isinstance(url, str):
        raise bad_request('Field "url" must be of type String')


# --- reply markup ------------------------------------------------------------------------------

_BUTTON_ACTIONS = (
    "url",
    "login_url",
    "callback_data",
    "callback_game",
    "pay",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "web_app",
    "copy_text",
)
_EMPTY_MEANS_ABSENT = frozenset({"url", "callback_data"})
MAX_BUTTONS = 100
MAX_CALLBACK_DATA_BYTES = 64


def parse_reply_markup(value: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Validate ``reply_markup``; return the inline keyboard as the Message will carry it.

    Reply keyboards, ``remove_keyboard`` and ``force_reply`` are checked and accepted but, as on
    Telegram, not echoed in the Message (``None``); an inline keyboard without buttons is none.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if not isinstance(value, dict):
        raise bad_request("Object expected as reply markup")
    if "inline_keyboard" in value:
        return _parse_inline_keyboard(value["inline_keyboard"])
    if inline_only and value:
        raise bad_request("inline keyboard expected")
    if "keyboard" in value:
        _check_reply_keyboard(value["keyboard"])
    for flag in ("resize_keyboard", "one_time_keyboard", "selective", "is_persistent"):
        _check_bool_field(value, flag)
    for flag in ("remove_keyboard", "force_reply"):
        _check_bool_field(value, flag)
    return None


def _check_bool_field(value: dict[str, Any], name: str) -> None:
    if name in value and not isinstance(value[name], bool):
        raise bad_request(f'Field "{name}" must be of type Boolean')


def _check_reply_keyboard(rows: Any) -> None:
    if not isinstance(rows, list):
        raise bad_request('Field "keyboard" must be of type Array')
    for row in rows:
        if not isinstance(row, list):
            raise bad_request(
                'Field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays'
            )
        for button in row:
            if isinstance(button, dict) and not isinstance(button.get("text"), str):
                raise bad_request("Can't parse keyboard button: Can't find field \"text\"")
            if not isinstance(button, dict | str):
                raise bad_request("Can't parse keyboard button: KeyboardButton must be an Object")


def _parse_inline_keyboard(rows: Any) -> dict[str, Any] | None:
    if not isinstance(rows, list):
        raise bad_request('Field "inline_keyboard" must be of type Array')
    keyboard: list[list[dict[str, Any]]] = []
    actions: list[tuple[dict[str, Any], str]] = []
    for row in rows:
        if not isinstance(row, list):
            raise bad_request(
                'Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        parsed = [_parse_inline_button(button) for button in row]
        actions += parsed
        if parsed:
            keyboard.append([button for button, _ in parsed])
    for button, action in actions:  # TDLib's checks come after the Bot API's parsing
        _check_button_links(button, action)
    for button, action in actions:  # and the server's after both
        _check_button_on_server(button, action)
    if len(actions) > MAX_BUTTONS:
        raise bad_request("REPLY_MARKUP_TOO_LONG")
    return {"inline_keyboard": keyboard} if keyboard else None


def _parse_inline_button(button: Any) -> tuple[dict[str, Any], str]:
    prefix = "Can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise bad_request(prefix + "InlineKeyboardButton must be an Object")
    if "text" not in button:
        raise bad_request(prefix + 'Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise bad_request(prefix + 'Field "text" must be of type String')
    for action in _BUTTON_ACTIONS:
        value = button.get(action)
        if value is None or (action in _EMPTY_MEANS_ABSENT and value == ""):
            continue
        if action in ("url", "callback_data", "switch_inline_query") and not isinstance(
            value, str
        ):
            raise bad_request(prefix + f'Field "{action}" must be of type String')
        objects = ("web_app", "login_url", "copy_text", "switch_inline_query_chosen_chat")
        if action in objects and not isinstance(value, dict):
            raise bad_request(prefix + f'Field "{action}" must be of type Object')
        return {"text": button["text"], action: value}, action
    raise bad_request(prefix + "Text buttons are unallowed in the inline keyboard")


def _check_button_links(button: dict[str, Any], action: str) -> None:
    if action == "url":
        url = button["url"]
        try:
            button["url"] = check_link(url)  # stored, and sent back, normalized
        except LinkError as error:
            raise bad_request(f"inline keyboard button URL '{url}' is invalid: {error}") from None
    elif action in ("web_app", "login_url"):
        url = str(button[action].get("url", ""))
        what = "Web App URL" if action == "web_app" else "login URL"
        if not url.lower().startswith("https://"):
            raise bad_request(
                f"inline keyboard button {what} '{url}' is invalid: Only HTTPS links are allowed"
            )


def _check_button_on_server(button: dict[str, Any], action: str) -> None:
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    if action == "callback_data":
        if len(button["callback_data"].encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    elif action in ("pay", "callback_game"):
        raise bad_request("BUTTON_TYPE_INVALID")
    elif action == "copy_text":
        text = button["copy_text"].get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= 256:
            raise bad_request("BUTTON_COPY_TEXT_INVALID")


# --- bot commands ------------------------------------------------------------------------------

MAX_COMMANDS = 100
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_SCOPES_WITHOUT_CHAT = frozenset(
    {"default", "all_private_chats", "all_group_chats", "all_chat_administrators"}
)


def parse_commands(value: Any) -> list[dict[str, str]]:
    """Validate ``setMyCommands``'s ``commands`` as the Bot API, TDLib and the server do."""
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        raise bad_request("can't parse commands JSON object")
    commands: list[dict[str, str]] = []
    for item in value:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand: expected an Object")
        for field in ("command", "description"):
            if field not in item:
                raise bad_request(f"can't parse BotCommand: Can't find field \"{field}\"")
            if not isinstance(item[field], str):
                raise bad_request(
                    f'can\'t parse BotCommand: Field "{field}" must be of type String'
                )
        command = item["command"].strip().removeprefix("/")
        description = item["description"].strip()
        if not command:
            raise bad_request("Command must be non-empty")
        if len(command) > 32:
            raise bad_request("Command length must not exceed 32")
        if not description:
            raise bad_request("Command description must be non-empty")
        if len(description) > 256:
            raise bad_request("Command description length must not exceed 256")
        commands.append({"command": command, "description": description})
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    if any(not _COMMAND.fullmatch(command["command"]) for command in commands):
        raise bad_request("BOT_COMMAND_INVALID")
    return commands


def parse_scope(value: Any) -> str:
    """A canonical key for a BotCommandScope (``"default"`` when absent)."""
    if value is None or value == "":
        return "default"
    if not isinstance(value, dict):
        raise bad_request("can't parse BotCommandScope JSON object")
    kind = value.get("type")
    if kind in _SCOPES_WITHOUT_CHAT:
        return str(kind)
    if kind not in ("chat", "chat_administrators", "chat_member"):
        raise bad_request("can't parse BotCommandScope: Unsupported type specified")
    if "chat_id" not in value:
        raise bad_request("can't parse BotCommandScope: Can't find field \"chat_id\"")
    key = f"{kind}:{value['chat_id']}"
    if kind == "chat_member":
        if "user_id" not in value:
            raise bad_request("can't parse BotCommandScope: Can't find field \"user_id\"")
        key += f":{value['user_id']}"
    return key


def parse_language_code(params: dict[str, Any]) -> str:
    code = get_str(params, "language_code") or ""
    if code and not re.fullmatch(r"[a-z]{2}", code):
        raise bad_request("invalid language code specified")
    return code
