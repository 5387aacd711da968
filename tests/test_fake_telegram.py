"""The fake Telegram behaves like Telegram, as seen by a real python-telegram-bot ``Bot``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fake_telegram import FakeBotAPI
from telegram import Bot, BotCommandScopeChat, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter

ANNA = 1001  # a user who has started the bot (see the ``bot`` fixture)


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as server:
        yield server
        server.assert_no_rejections()


@pytest.fixture
async def bot(fake: FakeBotAPI) -> AsyncIterator[Bot]:
    fake.open_private_chat(fake.user(ANNA, "Anna"))
    async with Bot(fake.token, base_url=f"{fake.base_url}/bot") as bot:
        yield bot


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d) for d in data]])


async def post(fake: FakeBotAPI, method: str, **kwargs: Any) -> httpx.Response:
    async with httpx.AsyncClient(base_url=f"{fake.base_url}/bot{fake.token}/") as client:
        return await client.post(method, **kwargs)


def rejections(fake: FakeBotAPI) -> list[str]:
    """The descriptions of the requests the fake rejected, acknowledged."""
    return [r.description for r in fake.clear_rejected()]


async def test_get_me_describes_the_bot_named_by_the_token(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.first_name, me.username) == (
        123456, True, "Essay Test Bot", "essay_test_bot"
    )  # fmt: skip
    assert (me.can_join_groups, me.can_read_all_group_messages) == (True, False)
    assert me.supports_inline_queries is False


async def test_a_wrong_token_is_unauthorized_a_malformed_one_not_found(fake: FakeBotAPI) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("654321:WRONG-token", base_url=f"{fake.base_url}/bot"):
            pass
    async with httpx.AsyncClient() as client:
        assert (await client.post(f"{fake.base_url}/botnot-a-token/getMe")).status_code == 404
    assert rejections(fake) == ["Unauthorized", "Not Found"]


async def test_methods_the_bot_never_calls_are_not_found(fake: FakeBotAPI) -> None:
    for method in ("deleteMessage", "getFile", "sendPoll", "logOut", "sendTelepathy"):
        answer = await post(fake, method, data={"chat_id": "1"})
        assert answer.status_code == 404
        assert answer.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    assert rejections(fake) == ["Not Found"] * 5


async def test_what_the_fake_does_not_model_is_refused(fake: FakeBotAPI, bot: Bot) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(ANNA, "ciao", protect_content=True)
    for mode in ("MarkdownV2", "Textile"):  # Telegram knows the first, not the second
        with pytest.raises(BadRequest):
            await bot.send_message(ANNA, "*ciao*", parse_mode=mode)
    assert rejections(fake) == [
        "Bad Request: FakeBotAPI does not implement sendMessage's protect_content",
        "Bad Request: FakeBotAPI does not implement parse_mode MarkdownV2; use HTML",
        "Bad Request: unsupported parse_mode",
    ]
    assert fake.sent(ANNA) == []


async def test_form_and_json_bodies_are_understood(fake: FakeBotAPI, bot: Bot) -> None:
    markup = '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}'
    form = await post(fake, "sendMessage", data={"chat_id": "1001", "text": "form"})
    body = {"chat_id": ANNA, "text": "json", "reply_markup": markup}
    assert form.json()["ok"] and (await post(fake, "SENDMESSAGE", json=body)).status_code == 200
    assert fake.texts(ANNA) == ["form", "json"]
    assert fake.last_sent(ANNA)["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "a"
    assert [r.params["chat_id"] for r in fake.calls("sendMessage")] == [ANNA, ANNA]


async def test_an_upload_keeps_its_bytes_and_caption(fake: FakeBotAPI, bot: Bot) -> None:
    sent = await bot.send_document(
        ANNA, b"Marketing e IT", "<b>Il saggio</b>", filename="saggio.txt", parse_mode="HTML"
    )
    await bot.send_document(ANNA, b"x", "c" * 1024, filename="a.txt")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(ANNA, b"x", "c" * 1025, filename="a.txt")
    assert rejections(fake) == ["Bad Request: message caption is too long"]
    assert sent.document and sent.document.file_name == "saggio.txt"
    assert (sent.document.mime_type, sent.document.file_size) == ("text/plain", 14)
    assert fake.file(sent.document.file_id).content == b"Marketing e IT"
    assert fake.sent(ANNA)[0]["caption_entities"] == [{"offset": 0, "length": 9, "type": "bold"}]


async def test_updates_are_long_polled_until_confirmed(fake: FakeBotAPI, bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 3
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await fake.await_until(lambda: fake.is_polling)
    started, first = time.monotonic(), fake.send_text(fake.user(ANNA), "ciao")
    assert [u.message.message_id for u in await poll if u.message] == [first]
    assert time.monotonic() - started < 1
    second = fake.send_text(fake.user(ANNA), "come va?")
    updates = await bot.get_updates()  # nothing was confirmed yet
    assert [u.message.message_id for u in updates if u.message] == [first, second]
    assert updates[1].update_id == updates[0].update_id + 1
    assert await bot.get_updates(offset=updates[1].update_id + 1) == ()
    assert fake.pending_updates == []


async def test_a_newer_long_poll_ends_the_older_one(fake: FakeBotAPI, bot: Bot) -> None:
    async with Bot(fake.token, base_url=f"{fake.base_url}/bot") as second:
        waiting = asyncio.create_task(bot.get_updates(timeout=5))
        await fake.await_until(lambda: fake.is_polling)
        newer = asyncio.create_task(second.get_updates(timeout=5))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await waiting
        await fake.await_until(lambda: fake.is_polling)
        fake.send_text(fake.user(), "per il secondo")
        assert [u.message.text for u in await newer if u.message] == ["per il secondo"]
    assert rejections(fake) == [
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
        "is running"
    ]


async def test_allowed_updates_filters_new_updates(fake: FakeBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(ANNA, "Scegli", reply_markup=keyboard("a"))
    assert await bot.get_updates(allowed_updates=["callback_query"]) == ()
    fake.send_text(fake.user(ANNA), "ignorato")
    fake.press_button(fake.user(ANNA), sent.message_id, "a")
    [update] = await bot.get_updates()
    assert update.callback_query and update.callback_query.data == "a"
    await bot.get_updates(offset=update.update_id + 1, allowed_updates=[])  # the default again
    fake.send_text(fake.user(ANNA), "visto")
    assert [u.message.text for u in await bot.get_updates() if u.message] == ["visto"]


async def test_delete_webhook_can_drop_pending_updates(fake: FakeBotAPI, bot: Bot) -> None:
    fake.send_text(fake.user(), "vecchio messaggio")
    assert await bot.delete_webhook() and len(fake.pending_updates) == 1
    assert await bot.delete_webhook(drop_pending_updates=True) and fake.pending_updates == []
    assert fake.calls("deleteWebhook")[0].response["description"] == "Webhook is already deleted"


async def test_users_messages_look_like_telegrams(fake: FakeBotAPI, bot: Bot) -> None:
    anna, group = fake.user(ANNA, "Anna", username="anna_r"), fake.group_chat(-100123, "Lettori")
    fake.send_sticker(anna)
    fake.send_photo(anna, caption="la copertina")
    fake.send_document(anna, "bozza.txt", b"testo")
    fake.send_text(anna, "/start@essay_test_bot benvenuto #ciao @amici", chat=group)
    fake.edit_text(anna, 1, "ripensato")  # the sticker's message id: any message of hers
    fake.channel_post("dal canale")
    sticker, photo, document, command, edited, post = await bot.get_updates()
    sticker, photo, document, command = (u.message for u in (sticker, photo, document, command))
    attachments = [m.effective_attachment for m in (sticker, photo, document)]
    assert [type(a).__name__ for a in attachments] == ["Sticker", "tuple", "Document"]
    assert sticker.sticker and sticker.sticker.emoji == "👍" and len(photo.photo) == 3
    assert edited.edited_message and edited.edited_message.edit_date and photo.caption
    assert post.channel_post and post.channel_post.sender_chat and not post.effective_user
    assert document.document and fake.file(document.document.file_id).content == b"testo"
    assert (command.chat.type, command.chat.title) == ("supergroup", "Lettori")
    assert command.from_user and command.from_user.username == "anna_r"
    assert [(e.type, e.offset, e.length) for e in command.entities] == [("bot_command", 0, 21)]


async def test_html_tags_become_entities_with_offsets_in_utf16_code_units(bot: Bot) -> None:
    message = await bot.send_message(
        ANNA,
        '😀 <b>grassetto</b> &amp; <a href="https://Example.com">link</a> <code>x&lt;y</code>'
        " &quot;<blockquote><i><b>c</b></i>&#233;&#x1F600;</blockquote> &nbsp; #tag www.a.it",
        parse_mode="HTML",
    )
    assert message.text == '😀 grassetto & link x<y "cé😀 &nbsp; #tag www.a.it'
    assert [(e.type, e.offset, e.length) for e in message.entities] == [
        ("bold", 3, 9), ("text_link", 15, 4), ("code", 20, 3), ("blockquote", 25, 4),
        ("bold", 25, 1), ("italic", 25, 1),
    ]  # fmt: skip
    assert message.entities[1].url == "https://example.com/"


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<script>alert(1)</script>", 'Unsupported start tag "script" at byte offset 0'),
        ("perché 1 < 2", 'Unsupported start tag "" at byte offset 10'),
        ("<b>aperto", 'Can\'t find end tag corresponding to start tag "b"'),
        ("chiuso</b>", "Unexpected end tag at byte offset 6"),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("a <", "Unclosed start tag at byte offset 2"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
async def test_bad_html_gets_telegrams_exact_error(
    fake: FakeBotAPI, bot: Bot, html: str, error: str
) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(ANNA, html, parse_mode="HTML")
    assert rejections(fake) == [f"Bad Request: can't parse entities: {error}"]


async def test_text_is_trimmed_and_must_not_be_blank(fake: FakeBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(ANNA, "\n  <b>ciao</b>  \n", parse_mode="HTML")
    assert (sent.text, sent.entities[0].offset, sent.entities[0].length) == ("ciao", 0, 4)
    with pytest.raises(BadRequest, match="Text must be non-empty"):
        await bot.send_message(ANNA, "<b> </b>\n", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(ANNA, "")
    assert rejections(fake) == [
        "Bad Request: text must be non-empty",
        "Bad Request: message text is empty",
    ]


@pytest.mark.parametrize(("unit", "size"), [("x", 1), ("😀", 2), ("&lt;", 1)])
async def test_a_text_may_have_4096_utf16_code_units_after_parsing_but_not_more(
    fake: FakeBotAPI, bot: Bot, unit: str, size: int
) -> None:
    await bot.send_message(ANNA, unit * (4096 // size), "HTML")
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(ANNA, unit * (4096 // size) + "!", "HTML")
    assert rejections(fake) == ["Bad Request: message is too long"]


async def test_inline_buttons_are_checked_like_telegram(fake: FakeBotAPI, bot: Bot) -> None:
    cannot = "can't parse inline keyboard button: "
    unallowed = cannot + "Text buttons are unallowed in the inline keyboard"
    bad_url = "inline keyboard button URL '{}' is invalid: {}"
    for row, description in [
        ([{"text": "x", "callback_data": "é" * 32 + "x"}], "BUTTON_DATA_INVALID"),  # 65 bytes
        ([{"text": "solo testo"}], unallowed),
        ([{"text": "x", "callback_data": ""}], unallowed),
        ([{"callback_data": "x"}], cannot + 'Can\'t find field "text"'),
        ([{"text": " ", "callback_data": "x"}], "BUTTON_TEXT_INVALID"),
        ([{"text": "s", "url": "not-a-url"}], bad_url.format("not-a-url", "Wrong HTTP URL")),
        ([{"text": "s", "url": "ftp://a"}], bad_url.format("ftp://a", "Unsupported URL protocol")),
        ("row", 'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'),
    ]:
        body = {"chat_id": ANNA, "text": "x", "reply_markup": {"inline_keyboard": [row]}}
        assert (await post(fake, "sendMessage", json=body)).status_code == 400
        assert fake.expect_rejection().description == f"Bad Request: {description}"
    link = InlineKeyboardButton("sito", url="https://Example.com")
    markup = InlineKeyboardMarkup([[link, InlineKeyboardButton("64", callback_data="é" * 32)]])
    sent = await bot.send_message(ANNA, "ok", reply_markup=markup)
    assert fake.message(ANNA, sent.message_id)["reply_markup"]["inline_keyboard"] == [
        [
            {"text": "sito", "url": "https://example.com/"},
            {"text": "64", "callback_data": "é" * 32},
        ]
    ]


async def test_an_edit_must_change_a_bot_message(fake: FakeBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(ANNA, "<b>Ciao</b>", "HTML", reply_markup=keyboard("a"))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await sent.edit_text("<b>Ciao</b>", "HTML", reply_markup=keyboard("a"))
    await sent.edit_text("<b>Ciao</b>", "HTML", reply_markup=keyboard("b"))
    edited = await sent.edit_text("<i>Ciao</i>", "HTML")  # and drops the keyboard
    assert isinstance(edited, Message) and edited.edit_date and not edited.reply_markup
    assert fake.message(ANNA, sent.message_id)["entities"] == [
        {"offset": 0, "length": 4, "type": "italic"}
    ]
    for message_id in (999, fake.send_text(fake.user(ANNA), "ciao")):
        with pytest.raises(BadRequest):
            await bot.edit_message_text("nuovo", chat_id=ANNA, message_id=message_id)
    assert rejections(fake) == [
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message",
        "Bad Request: message to edit not found",
        "Bad Request: message can't be edited",
    ]


async def test_editing_only_the_buttons_keeps_the_text_and_must_change_them(
    fake: FakeBotAPI, bot: Bot
) -> None:
    sent = await bot.send_message(ANNA, "<b>Ciao</b>", "HTML", reply_markup=keyboard("a"))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await sent.edit_reply_markup(reply_markup=keyboard("a"))
    await sent.edit_reply_markup(reply_markup=keyboard("b"))
    shown = fake.message(ANNA, sent.message_id)
    assert shown["text"] == "Ciao" and shown["entities"][0]["type"] == "bold"
    assert shown["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "b"
    await sent.edit_reply_markup(reply_markup=None)  # no keyboard at all
    assert "reply_markup" not in fake.message(ANNA, sent.message_id)
    with pytest.raises(BadRequest, match="not found"):
        await bot.edit_message_reply_markup(chat_id=ANNA, message_id=999)
    assert len(fake.clear_rejected()) == 2


async def test_a_button_press_is_answered_only_once(fake: FakeBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(ANNA, "Scegli", reply_markup=keyboard("a"))
    query_id = fake.press_button(fake.user(ANNA), sent.message_id, "a")
    with pytest.raises(BadRequest, match="Message_too_long"):
        await bot.answer_callback_query(query_id, "x" * 201)
    assert await bot.answer_callback_query(query_id, "x" * 200) is True
    for again_or_unknown in (query_id, "123"):
        with pytest.raises(BadRequest, match="Query is too old"):
            await bot.answer_callback_query(again_or_unknown)
    assert fake.callback_answers == {query_id: {"callback_query_id": query_id, "text": "x" * 200}}
    invalid = "Bad Request: query is too old and response timeout expired or query ID is invalid"
    assert rejections(fake) == ["Bad Request: MESSAGE_TOO_LONG", invalid, invalid]


async def test_a_press_carries_the_message_as_it_is_now(fake: FakeBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(ANNA, "prima", reply_markup=keyboard("a"))
    await sent.edit_text("dopo", reply_markup=keyboard("b"))
    fake.press_button(fake.user(ANNA), sent.message_id, "a")  # a stale button, still pressable
    [update] = await bot.get_updates()
    query = update.callback_query
    assert query and query.data == "a" and query.from_user.id == ANNA
    assert isinstance(query.message, Message) and query.message.text == "dopo"
    assert query.message.reply_markup == keyboard("b")


async def test_blocked_or_unstarted_chats_are_forbidden(fake: FakeBotAPI, bot: Bot) -> None:
    bob = fake.user(2002, "Bob")
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(bob["id"], "ciao")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "ciao")
    fake.send_text(bob, "/start")
    sent = await bot.send_message(bob["id"], "ciao")
    fake.block(bob)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(bob["id"], "ci sei?")
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await sent.edit_text("ci sei?")
    assert [r.error_code for r in fake.clear_rejected()] == [403, 400, 403, 403]


async def test_over_the_flood_limit_comes_retry_after(fake: FakeBotAPI, bot: Bot) -> None:
    for number in range(5):  # no flood control by default
        await bot.send_message(ANNA, f"{number}")
    fake.set_flood_limits(per_chat_per_second=1.0, global_per_second=30.0)
    await bot.send_message(ANNA, "uno")
    with pytest.raises(RetryAfter):
        await bot.send_message(ANNA, "due")
    rejection = fake.expect_rejection(error_code=429)
    assert rejection.description == "Too Many Requests: retry after 1"
    assert rejection.response["parameters"] == {"retry_after": 1}


async def test_fail_next_fails_the_next_call(fake: FakeBotAPI, bot: Bot) -> None:
    fake.fail_next("sendMessage", "Bad Gateway", error_code=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(ANNA, "uno")
    await bot.send_message(ANNA, "due")
    assert fake.expect_rejection(error_code=502) and fake.texts(ANNA) == ["due"]


async def test_commands_are_validated_and_stored(fake: FakeBotAPI, bot: Bot) -> None:
    assert await bot.set_my_commands([("start", "Inizia"), ("aiuto", "Aiuto")], language_code="it")
    with pytest.raises(BadRequest, match="Chat not found"):  # 42 never opened the bot
        await bot.set_my_commands([("admin", "Gestisci")], scope=BotCommandScopeChat(42))
    fake.expect_rejection()
    fake.open_private_chat(fake.user(42))
    assert await bot.set_my_commands([("admin", "Gestisci")], scope=BotCommandScopeChat(42))
    for commands, language, error in [
        ([("Start Now", "Inizia")], None, "BOT_COMMAND_INVALID"),
        ([("x" * 33, "Inizia")], None, "command length must not exceed 32"),
        ([("start", "  ")], None, "command description must be non-empty"),
        ([("start", "d" * 257)], None, "command description length must not exceed 256"),
        ([(f"c{n}", "d") for n in range(101)], None, "BOT_COMMANDS_TOO_MUCH"),
        ([("start", "Inizia")], "ita", "invalid language code specified"),
    ]:
        with pytest.raises(BadRequest):
            await bot.set_my_commands(commands, language_code=language)
        assert fake.expect_rejection().description == f"Bad Request: {error}"
    assert [c["command"] for c in fake.commands("it")] == ["start", "aiuto"]
    assert fake.commands(scope="chat:42") == [{"command": "admin", "description": "Gestisci"}]
    assert fake.commands() == []


async def test_waiting_helpers_see_what_the_bot_does(fake: FakeBotAPI, bot: Bot) -> None:
    asked, mark = fake.send_text(fake.user(ANNA), "/start"), len(fake.requests)

    async def bot_answers() -> None:
        [update] = await bot.get_updates(timeout=5)
        await bot.get_updates(offset=update.update_id + 1)
        await bot.send_message(ANNA, "Benvenuta!")

    answering = asyncio.create_task(bot_answers())
    reply = await fake.await_reply(ANNA)
    await fake.await_delivered()
    await answering
    request = await fake.await_request("sendMessage", lambda r: r.ok, since=mark)
    assert reply["text"] == request.result["text"] == "Benvenuta!"
    assert fake.wait_for_reply(ANNA, after=asked)["message_id"] == asked + 1


def test_waiting_in_vain_reports_what_happened(fake: FakeBotAPI) -> None:
    fake.send_text(fake.user(), "ciao")
    with pytest.raises(AssertionError) as raised:
        fake.wait_for_reply(1001, timeout=0.1)
    assert "timed out after 0.1 s waiting for a bot message in chat 1001" in str(raised.value)
    assert "updates not yet confirmed by the bot: 1" in str(raised.value)


async def test_a_photo_needs_a_file_and_a_short_caption(fake: FakeBotAPI, bot: Bot) -> None:
    png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + (1200).to_bytes(4) + (900).to_bytes(4)
    assert (await post(fake, "sendPhoto", data={"chat_id": "1001"})).status_code == 400
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(ANNA, png, "c" * 1025)
    sent = await bot.send_photo(ANNA, png, "c" * 1024)
    assert (sent.photo[-1].width, sent.photo[-1].height, len(sent.photo)) == (1200, 900, 4)
    assert rejections(fake) == [
        "Bad Request: there is no photo in the request", "Bad Request: message caption is too long"
    ]  # fmt: skip


def test_a_client_that_goes_away_mid_request_is_not_a_rejection(fake: FakeBotAPI) -> None:
    import socket
    from urllib.parse import urlsplit

    address = urlsplit(fake.base_url)
    with socket.create_connection((address.hostname, address.port)) as client:
        client.sendall(  # a body announced, then the client is gone (a bot stopping)
            f"POST /bot{fake.token}/getUpdates HTTP/1.1\r\nHost: x\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n"
            "timeout=1".encode()
        )
    time.sleep(0.3)
    fake.assert_no_rejections()  # nothing to record: a server error would be
    assert fake.calls("getUpdates") == []
