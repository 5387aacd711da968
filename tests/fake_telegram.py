"""A fake Telegram Bot API server for end-to-end tests of the bot.

The real bot (python-telegram-bot's HTTPXRequest) talks to it over real HTTP on 127.0.0.1, at
``{base_url}/bot{token}/{method}``, and gets Telegram's JSON shapes and error answers back: the
fake rejects what real Telegram rejects (HTML it cannot parse, texts over 4096 UTF-16 code units,
callback data over 64 bytes, edits that change nothing...), with the same descriptions.

    with FakeBotAPI() as fake:
        anna = fake.user(1001, "Anna")
        bot = telegram.Bot(fake.token, base_url=f"{fake.base_url}/bot")
        ...                                  # start the bot, polling the fake
        fake.send_text(anna, "/start")
        reply = fake.wait_for_reply(anna)    # in async tests: await fake.await_reply(anna)
        assert fake.rejected == []

The server runs in a background thread with its own event loop, so the fake works the same from
sync tests and from async tests; every test-side method is a plain, thread-safe call.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import time
from collections.abc import Callable
from typing import Any, TypeVar

from fake_telegram_entities import Entity, TextError, format_text, utf16_len
from fake_telegram_html import parse_html
from fake_telegram_methods import BotState, CallbackQueryState, Injection, StoredFile
from fake_telegram_server import DEFAULT_TOKEN, Chat, FakeTelegramServer, Recorded, Rejected
from fake_telegram_validation import ApiError, UploadedFile

__all__ = [
    "DEFAULT_TOKEN",
    "Entity",
    "FakeBotAPI",
    "Recorded",
    "Rejected",
    "StoredFile",
    "TextError",
    "UploadedFile",
    "format_text",
    "parse_html",
    "render_html",
    "utf16_len",
]

T = TypeVar("T")


def render_html(html: str) -> tuple[str, list[dict[str, Any]]]:
    """What Telegram makes of an HTML message text: the plain ``text`` and the ``entities`` of
    the Message, exactly as the fake stores them. Raises ``TextError`` where Telegram would
    answer 400 (unparsable HTML, whitespace-only text)."""
    plain, entities = format_text(*parse_html(html))
    return plain, [entity.to_dict() for entity in entities]


class FakeBotAPI(FakeTelegramServer):
    """A fake Telegram for one bot: the Bot API server, plus the test's side of Telegram (its
    users, their messages and button presses) and ways to look at and wait for what the bot did.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        username: str = "essay_test_bot",
        first_name: str = "Essay Test Bot",
    ) -> None:
        super().__init__(token, username, first_name)
        self._query_ids = itertools.count(4_242_000_001)

    # --- configuring Telegram ------------------------------------------------------------------

    def block(self, chat: Chat, *, notify: bool = True) -> None:
        """The user blocks the bot: sends and edits to the chat get 403 "bot was blocked by the
        user". With ``notify``, the bot gets the ``my_chat_member`` update Telegram sends."""
        chat_id = self._chat_id(chat)
        with self._lock:
            self._state.blocked.add(chat_id)
            user = self._state.users.get(chat_id)
            if notify and user is not None and chat_id in self._state.chats:
                self._push_member_update(user, old="member", new="kicked")
            self._updates_changed()

    def unblock(self, chat: Chat, *, notify: bool = True) -> None:
        chat_id = self._chat_id(chat)
        with self._lock:
            self._state.blocked.discard(chat_id)
            user = self._state.users.get(chat_id)
            if notify and user is not None and chat_id in self._state.chats:
                self._push_member_update(user, old="kicked", new="member")
            self._updates_changed()

    def _push_member_update(self, user: dict[str, Any], *, old: str, new: str) -> None:
        bot = self.bot_user
        self._state.push_update(
            "my_chat_member",
            {
                "chat": self._state.chats[user["id"]],
                "from": user,
                "date": int(time.time()),
                "old_chat_member": {"user": bot, "status": old},
                "new_chat_member": {"user": bot, "status": new}
                | ({"until_date": 0} if new == "kicked" else {}),
            },
        )

    def set_flood_limits(
        self,
        per_chat_per_second: float | None = 1.0,
        global_per_second: float | None = 30.0,
        *,
        burst: float = 1.0,
    ) -> None:
        """Turn on flood control (off by default): token buckets of ``burst`` requests refilled
        at the given rates; over the limit, sends and edits get 429 with ``retry_after``.
        ``set_flood_limits(None, None)`` turns it off again."""
        with self._lock:
            self._state.flood.per_chat = per_chat_per_second
            self._state.flood.global_rate = global_per_second
            self._state.flood.burst = burst
            self._state.flood.buckets.clear()

    def fail_next(
        self,
        method: str,
        description: str,
        *,
        error_code: int = 400,
        chat_id: int | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (in ``chat_id``, if given) with an error,
        e.g. ``fail_next("sendMessage", "Too Many Requests: retry after 3", error_code=429,
        retry_after=3)`` or ``fail_next("sendMessage", "Bad Gateway", error_code=502)``."""
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        with self._lock:
            self._state.injections.append(
                Injection(method, chat_id, ApiError(error_code, description, parameters), times)
            )

    # --- the users' side -----------------------------------------------------------------------

    def user(
        self,
        user_id: int = 1001,
        first_name: str = "Anna",
        language_code: str | None = "it",
        username: str | None = None,
        *,
        last_name: str | None = None,
    ) -> dict[str, Any]:
        """A Telegram user (a User object). The bot cannot write to them until they write to
        the bot (or :meth:`open_private_chat`), as on Telegram."""
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        for key, value in (
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value is not None:
                user[key] = value
        with self._lock:
            self._state.users[user_id] = user
        return copy.deepcopy(user)

    def group_chat(
        self, chat_id: int = -100123, title: str = "Lettori", *, kind: str | None = None
    ) -> dict[str, Any]:
        """A group (``supergroup`` for ``-100...`` ids) the bot is a member of."""
        chat_type = kind or ("supergroup" if str(chat_id).startswith("-100") else "group")
        chat = {"id": chat_id, "title": title, "type": chat_type}
        with self._lock:
            self._state.chats[chat_id] = chat
        return copy.deepcopy(chat)

    def open_private_chat(self, user: dict[str, Any]) -> dict[str, Any]:
        """The private chat with ``user``, as if they had started the bot (no update is sent)."""
        with self._lock:
            known = self._state.users.setdefault(user["id"], copy.deepcopy(user))
            chat = {"id": known["id"], "first_name": known["first_name"], "type": "private"}
            for key in ("last_name", "username"):
                if key in known:
                    chat[key] = known[key]
            self._state.chats.setdefault(known["id"], chat)
            return copy.deepcopy(self._state.chats[known["id"]])

    def send_message_update(
        self, user: dict[str, Any], fields: dict[str, Any], chat: dict[str, Any] | None = None
    ) -> int:
        """Queue a ``message`` update from ``user`` with the given Message fields (``text``,
        ``photo``...), in their private chat or in ``chat``; returns its message_id."""
        target = chat if chat is not None else self.open_private_chat(user)
        with self._lock:
            self._state.chats.setdefault(target["id"], copy.deepcopy(target))
            message = self._state.store(
                self._state.chats[target["id"]], {"from": user, **fields}, from_bot=False
            )
            self._state.push_update("message", message)
            self._updates_changed()
            return int(message["message_id"])

    def send_text(
        self, user: dict[str, Any], text: str, chat: dict[str, Any] | None = None
    ) -> int:
        """The user sends ``text``; commands, mentions, URLs... get their entities as on
        Telegram (``/start@essay_test_bot`` is one ``bot_command``). Returns the message_id."""
        plain, entities = format_text(text)
        fields: dict[str, Any] = {"text": plain}
        if entities:
            fields["entities"] = [entity.to_dict() for entity in entities]
        return self.send_message_update(user, fields, chat)

    def send_sticker(
        self, user: dict[str, Any], emoji: str = "👍", chat: dict[str, Any] | None = None
    ) -> int:
        sticker = self._file_fields("sticker", b"RIFF-fake-webp")
        sticker |= {"type": "regular", "width": 512, "height": 512, "emoji": emoji}
        sticker |= {"is_animated": False, "is_video": False, "set_name": "FakeStickers"}
        return self.send_message_update(user, {"sticker": sticker}, chat)

    def send_photo(
        self, user: dict[str, Any], caption: str | None = None, chat: dict[str, Any] | None = None
    ) -> int:
        photo = [
            self._file_fields("photo", b"\xff\xd8fake-jpeg" * size) | {"width": w, "height": h}
            for size, (w, h) in enumerate(((90, 60), (320, 213), (1280, 853)), start=1)
        ]
        fields: dict[str, Any] = {"photo": photo}
        if caption:
            fields["caption"] = caption
        return self.send_message_update(user, fields, chat)

    def send_voice(
        self, user: dict[str, Any], duration: int = 3, chat: dict[str, Any] | None = None
    ) -> int:
        voice = self._file_fields("voice", b"OggS-fake", "audio/ogg") | {"duration": duration}
        return self.send_message_update(user, {"voice": voice}, chat)

    def send_document(
        self,
        user: dict[str, Any],
        file_name: str = "essay.txt",
        content: bytes = b"Marketing e IT",
        *,
        mime_type: str = "text/plain",
        caption: str | None = None,
        chat: dict[str, Any] | None = None,
    ) -> int:
        """The user sends a file; the bot can getFile and download it."""
        with self._lock:
            stored = self._state.new_file(content, "document", file_name, mime_type)
        fields: dict[str, Any] = {"document": BotState.document_object(stored)}
        if caption:
            fields["caption"] = caption
        return self.send_message_update(user, fields, chat)

    def _file_fields(self, kind: str, content: bytes, mime: str | None = None) -> dict[str, Any]:
        with self._lock:
            stored = self._state.new_file(content, kind, None, mime)
        fields = BotState.document_object(stored)
        return fields

    def press_button(
        self,
        user: dict[str, Any],
        message_id: int,
        callback_data: str,
        chat_id: int | None = None,
    ) -> str:
        """The user presses a button of a bot message: queue a ``callback_query`` with the
        message as it is now. The data need not be on the message's current keyboard (stale or
        forged presses are allowed). Returns the callback query id."""
        chat = chat_id if chat_id is not None else user["id"]
        with self._lock:
            stored = self._state.stored(chat, message_id)
            if stored is None:
                raise KeyError(f"no message {message_id} in chat {chat}")
            query_id = str(next(self._query_ids))
            self._state.callback_queries[query_id] = CallbackQueryState(
                query_id, chat, message_id, callback_data
            )
            self._state.push_update(
                "callback_query",
                {
                    "id": query_id,
                    "from": self._state.users.get(user["id"], user),
                    "message": stored.data,
                    "chat_instance": f"-{abs(chat) * 7919 + 13}",
                    "data": callback_data,
                },
            )
            self._updates_changed()
            return query_id

    def push_update(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue any other update, e.g. ``push_update("edited_message", {...})``; returns its
        update_id."""
        with self._lock:
            update_id = self._state.push_update(kind, payload)
            self._updates_changed()
            return update_id

    # --- looking at what happened --------------------------------------------------------------

    @property
    def requests(self) -> list[Recorded]:
        """Every request answered so far, in order (getUpdates included)."""
        with self._lock:
            return list(self._requests)

    def calls(self, method: str) -> list[Recorded]:
        """The requests to one method (case-insensitive)."""
        with self._lock:
            return [r for r in self._requests if r.method.lower() == method.lower()]

    def mark(self) -> int:
        """The number of requests so far; pass it as ``since`` to :meth:`wait_for_request`."""
        with self._lock:
            return len(self._requests)

    @property
    def rejected(self) -> list[Rejected]:
        """Requests answered with ``ok: false`` and not yet acknowledged; a test that triggers no
        error on purpose should end with ``assert fake.rejected == []``."""
        with self._lock:
            return list(self._rejected)

    def clear_rejected(self) -> list[Rejected]:
        """Acknowledge every rejection so far; returns them."""
        with self._lock:
            cleared, self._rejected = self._rejected, []
            return cleared

    def expect_rejection(
        self, method: str | None = None, *, error_code: int | None = None, contains: str = ""
    ) -> Rejected:
        """Acknowledge the first rejection that matches; AssertionError if there is none."""
        with self._lock:
            for rejection in self._rejected:
                if (
                    (method is None or rejection.method.lower() == method.lower())
                    and error_code in (None, rejection.error_code)
                    and contains in rejection.description
                ):
                    self._rejected.remove(rejection)
                    return rejection
            listed = "\n  ".join(map(str, self._rejected)) or "(none)"
            raise AssertionError(
                f"no rejection of {method or 'any method'} with code {error_code} containing "
                f"{contains!r}; rejections:\n  {listed}"
            )

    def assert_no_rejections(self) -> None:
        with self._lock:
            if self._rejected:
                listed = "\n  ".join(map(str, self._rejected))
                raise AssertionError(
                    f"Telegram rejected {len(self._rejected)} request(s):\n  {listed}"
                )

    def messages(self, chat: Chat) -> list[dict[str, Any]]:
        """Every message of the chat, the users' and the bot's, as they are now."""
        with self._lock:
            stored = self._state.messages.get(self._chat_id(chat), {}).values()
            return [copy.deepcopy(m.data) for m in stored if not m.deleted]

    def sent(self, chat: Chat) -> list[dict[str, Any]]:
        """The bot's messages in the chat, oldest first, as they are now (after edits, without
        the deleted ones)."""
        with self._lock:
            stored = self._state.messages.get(self._chat_id(chat), {}).values()
            return [copy.deepcopy(m.data) for m in stored if m.from_bot and not m.deleted]

    def texts(self, chat: Chat) -> list[str]:
        """The text (or caption) of each message the bot has in the chat."""
        return [m.get("text", m.get("caption", "")) for m in self.sent(chat)]

    def last_sent(self, chat: Chat) -> dict[str, Any]:
        sent = self.sent(chat)
        if not sent:
            raise AssertionError(f"the bot has no message in chat {self._chat_id(chat)}")
        return sent[-1]

    def message(self, chat: Chat, message_id: int) -> dict[str, Any]:
        """A message as it is now; KeyError if it does not exist or was deleted."""
        with self._lock:
            stored = self._state.stored(self._chat_id(chat), message_id)
            if stored is None:
                raise KeyError(f"no message {message_id} in chat {self._chat_id(chat)}")
            return copy.deepcopy(stored.data)

    def is_deleted(self, chat: Chat, message_id: int) -> bool:
        with self._lock:
            stored = self._state.messages.get(self._chat_id(chat), {}).get(message_id)
            return stored is not None and stored.deleted

    @property
    def callback_answers(self) -> dict[str, dict[str, Any]]:
        """callback_query_id -> the parameters of its answerCallbackQuery (answered ones only)."""
        with self._lock:
            return {
                query_id: copy.deepcopy(query.answer)
                for query_id, query in self._state.callback_queries.items()
                if query.answer is not None
            }

    def commands(self, language_code: str = "", scope: str = "default") -> list[dict[str, str]]:
        """The command list set for a language (and scope key, e.g. ``"chat:1001"``)."""
        with self._lock:
            return copy.deepcopy(self._state.commands.get((scope, language_code), []))

    def chat_actions(self, chat: Chat) -> list[str]:
        with self._lock:
            chat_id = self._chat_id(chat)
            return [action for target, action in self._state.chat_actions if target == chat_id]

    def file(self, file_id: str) -> StoredFile:
        """A file the bot uploaded (or a user sent), with its bytes."""
        with self._lock:
            return copy.deepcopy(self._state.files[file_id])

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates queued and not yet confirmed by the bot."""
        with self._lock:
            return copy.deepcopy(self._state.updates)

    # --- waiting -------------------------------------------------------------------------------

    def wait_until(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, description: str = ""
    ) -> T:
        """Block until ``predicate()`` is truthy and return its value. It runs with the lock held
        and is re-checked on every request. AssertionError with a summary on timeout.

        Not for async tests while the bot runs on the test's own event loop: blocking the loop
        stops the bot; use :meth:`await_until` there."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not (value := predicate()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
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
                value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise AssertionError(self._report(description or repr(predicate), timeout))
            await asyncio.sleep(0.005)

    def _request_finder(
        self, method: str, predicate: Callable[[Recorded], bool] | None, since: int
    ) -> Callable[[], Recorded | None]:
        def find() -> Recorded | None:
            for recorded in self._requests[since:]:
                if recorded.method.lower() == method.lower() and (
                    predicate is None or predicate(recorded)
                ):
                    return recorded
            return None

        return find

    def wait_for_request(
        self,
        method: str,
        predicate: Callable[[Recorded], bool] | None = None,
        *,
        since: int = 0,
        timeout: float = 5.0,
    ) -> Recorded:
        """The first request to ``method`` (from index ``since``, see :meth:`mark`) matching
        ``predicate``, answered ok or not."""
        finder = self._request_finder(method, predicate, since)
        return self.wait_until(finder, timeout, f"a {method} request")

    async def await_request(
        self,
        method: str,
        predicate: Callable[[Recorded], bool] | None = None,
        *,
        since: int = 0,
        timeout: float = 5.0,
    ) -> Recorded:
        finder = self._request_finder(method, predicate, since)
        return await self.await_until(finder, timeout, f"a {method} request")

    def _reply_finder(
        self, chat: Chat, after: int | None, after_count: int | None
    ) -> tuple[Callable[[], Any], str]:
        chat_id = self._chat_id(chat)
        with self._lock:
            stored = self._state.messages.get(chat_id, {})
            if after_count is not None:
                bot_ids = [i for i, m in stored.items() if m.from_bot]
                after = bot_ids[after_count - 1] if 0 < after_count <= len(bot_ids) else 0
            elif after is None:
                after = max((i for i, m in stored.items() if not m.from_bot), default=0)

        def find() -> dict[str, Any] | None:
            for message_id, message in self._state.messages.get(chat_id, {}).items():
                if message.from_bot and not message.deleted and message_id > (after or 0):
                    return copy.deepcopy(message.data)
            return None

        return find, f"a bot message in chat {chat_id} after message {after}"

    def wait_for_reply(
        self,
        chat: Chat,
        after: int | None = None,
        *,
        after_count: int | None = None,
        timeout: float = 5.0,
    ) -> dict[str, Any]:
        """The first bot message in the chat after message id ``after`` (by default, after the
        user's latest message), or after the first ``after_count`` bot messages of the chat
        (``len(fake.sent(chat))`` taken before), as it is now."""
        finder, description = self._reply_finder(chat, after, after_count)
        result: dict[str, Any] = self.wait_until(finder, timeout, description)
        return result

    async def await_reply(
        self,
        chat: Chat,
        after: int | None = None,
        *,
        after_count: int | None = None,
        timeout: float = 5.0,
    ) -> dict[str, Any]:
        finder, description = self._reply_finder(chat, after, after_count)
        result: dict[str, Any] = await self.await_until(finder, timeout, description)
        return result

    def wait_until_delivered(self, timeout: float = 5.0) -> None:
        """Until the bot has confirmed (by a later getUpdates offset) every queued update."""
        self.wait_until(lambda: not self._state.updates, timeout, "every update confirmed")

    async def await_delivered(self, timeout: float = 5.0) -> None:
        await self.await_until(lambda: not self._state.updates, timeout, "every update confirmed")

    def _report(self, what: str, timeout: float) -> str:
        with self._lock:
            return self._report_locked(what, timeout)

    def _report_locked(self, what: str, timeout: float) -> str:
        recent = "\n  ".join(str(r) for r in self._requests[-12:] if r.method != "getUpdates")
        rejected = "\n  ".join(map(str, self._rejected)) or "(none)"
        polls = sum(1 for r in self._requests if r.method == "getUpdates")
        return (
            f"timed out after {timeout:g} s waiting for {what}\n"
            f"recent requests (besides {polls} getUpdates):\n  {recent or '(none)'}\n"
            f"rejected:\n  {rejected}\n"
            f"updates not yet confirmed by the bot: {len(self._state.updates)}"
        )
