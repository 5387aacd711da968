"""The fake Telegram behaves like Telegram, as seen by a real python-telegram-bot ``Bot``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import httpx
import pytest
import telegram
from fake_telegram import FakeBotAPI, TextError, parse_html, render_html
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter

# PTB itself warns, while raising RetryAfter, that retry_after will become a timedelta.
RETRY_AFTER_IS_AN_INT = "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as server:
        yield server


def bot_for(fake: FakeBotAPI, token: str | None = None) -> telegram.Bot:
    return telegram.Bot(
        token or fake.token,
        base_url=f"{fake.base_url}/bot",
        base_file_url=f"{fake.base_url}/file/bot",
    )


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d or "?", callback_data=d) for d in data]])


# --- the bot and its updates -------------------------------------------------------------------


@pytest.mark.asyncio
async def test_get_me_returns_the_bot_user_named_by_the_token(fake: FakeBotAPI) -> None:
    async with bot_for(fake) as bot:
        me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456, True, "essay_test_bot")
    assert me.first_name == "Essay Test Bot"
    assert (me.can_join_groups, me.can_read_all_group_messages) == (True, False)
    assert me.supports_inline_queries is False


@pytest.mark.asyncio
async def test_get_updates_delivers_queued_messages_until_an_offset_confirms_them(
    fake: FakeBotAPI,
) -> None:
    anna = fake.user(1001, "Anna")
    first = fake.send_text(anna, "ciao")
    second = fake.send_text(anna, "come va?")
    async with bot_for(fake) as bot:
        updates = await bot.get_updates()
        assert [u.message.message_id for u in updates if u.message] == [first, second]
        assert updates[0].message and updates[0].message.chat.type == "private"
        assert updates[1].update_id == updates[0].update_id + 1
        assert len(await bot.get_updates()) == 2  # nothing confirmed yet
        assert await bot.get_updates(offset=updates[1].update_id + 1) == ()
    assert fake.pending_updates == []


@pytest.mark.asyncio
async def test_a_long_poll_returns_nothing_when_its_timeout_expires(fake: FakeBotAPI) -> None:
    async with bot_for(fake) as bot:
        started = time.monotonic()
        assert await bot.get_updates(timeout=1) == ()
        assert 0.9 <= time.monotonic() - started < 3


@pytest.mark.asyncio
async def test_a_long_poll_returns_as_soon_as_a_user_writes(fake: FakeBotAPI) -> None:
    anna = fake.user()
    async with bot_for(fake) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=10))
        await fake.await_until(lambda: fake.is_polling)
        started = time.monotonic()
        fake.send_text(anna, "eccomi")
        updates = await poll
        assert time.monotonic() - started < 1
    assert [u.message.text for u in updates if u.message] == ["eccomi"]


@pytest.mark.asyncio
async def test_a_new_long_poll_ends_the_waiting_one_with_a_conflict_like_telegram(
    fake: FakeBotAPI,
) -> None:
    anna = fake.user()
    async with bot_for(fake) as first, bot_for(fake) as second:
        waiting = asyncio.create_task(first.get_updates(timeout=5))
        await fake.await_until(lambda: fake.is_polling)
        newer = asyncio.create_task(second.get_updates(timeout=5))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await waiting
        await fake.await_until(lambda: fake.is_polling)
        fake.send_text(anna, "per il secondo")
        assert [u.message.text for u in await newer if u.message] == ["per il secondo"]
    rejection = fake.expect_rejection("getUpdates", error_code=409)
    assert rejection.description == (
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
        "is running"
    )


def test_a_user_command_carries_a_bot_command_entity_like_telegram(fake: FakeBotAPI) -> None:
    anna = fake.user()
    fake.send_text(anna, "/start@essay_test_bot benvenuto")
    fake.send_text(anna, "scrivi /help o #aiuto")
    first, second = (u["message"] for u in fake.pending_updates)
    assert first["entities"] == [{"offset": 0, "length": 21, "type": "bot_command"}]
    assert second["entities"] == [
        {"offset": 7, "length": 5, "type": "bot_command"},
        {"offset": 15, "length": 6, "type": "hashtag"},
    ]
    assert first["from"] == anna and first["chat"]["id"] == anna["id"]


@pytest.mark.asyncio
async def test_what_users_send_reaches_the_bot_as_telegram_updates(fake: FakeBotAPI) -> None:
    anna = fake.user(1001, "Anna", username="anna_r")
    group = fake.group_chat(-100123, "Lettori")
    fake.send_sticker(anna)
    fake.send_photo(anna, caption="la copertina")
    fake.send_voice(anna, duration=7)
    fake.send_document(anna, "bozza.txt", b"testo")
    fake.send_text(anna, "@essay_test_bot ciao a tutti", chat=group)
    async with bot_for(fake) as bot:
        sticker, photo, voice, document, in_group = (u.message for u in await bot.get_updates())
        assert document is not None and document.document is not None
        file = await bot.get_file(document.document.file_id)
        assert await file.download_as_bytearray() == b"testo"
    assert sticker and sticker.sticker and sticker.sticker.emoji == "👍"
    assert photo and len(photo.photo) == 3 and photo.caption == "la copertina"
    assert voice and voice.voice and voice.voice.mime_type == "audio/ogg"
    assert fake.messages(anna)[2]["voice"]["duration"] == 7
    assert in_group and in_group.chat.type == "supergroup" and in_group.chat.title == "Lettori"
    assert in_group.from_user and in_group.from_user.username == "anna_r"
    assert in_group.entities[0].type == "mention"
    assert fake.messages(group)[0]["message_id"] == 1 and len(fake.messages(anna)) == 4


# --- HTML and text limits ----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_html_tags_become_entities_with_offsets_in_utf16_code_units(
    fake: FakeBotAPI,
) -> None:
    anna = fake.user()
    fake.open_private_chat(anna)
    html = '😀 <b>grassetto</b> &amp; <a href="https://example.com">link</a> <code>x&lt;y</code>'
    async with bot_for(fake) as bot:
        message = await bot.send_message(anna["id"], html, parse_mode="HTML")
    assert message.text == "😀 grassetto & link x<y"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [
        ("bold", 3, 9),
        ("text_link", 15, 4),
        ("code", 20, 3),
    ]
    assert message.entities[1].url == "https://example.com/"
    assert render_html(html) == (message.text, fake.last_sent(anna)["entities"])


@pytest.mark.asyncio
async def test_an_unsupported_tag_is_rejected_with_telegrams_description(
    fake: FakeBotAPI,
) -> None:
    anna = fake.user()
    fake.open_private_chat(anna)
    async with bot_for(fake) as bot:
        with pytest.raises(BadRequest, match="Can't parse entities"):
            await bot.send_message(anna["id"], "<script>alert(1)</script>", parse_mode="HTML")
    [rejection] = fake.clear_rejected()
    assert rejection.description == (
        'Bad Request: can\'t parse entities: Unsupported start tag "script" at byte offset 0'
    )
    assert fake.sent(anna) == []


@pytest.mark.asyncio
async def test_an_unescaped_less_than_sign_is_rejected_like_telegram(fake: FakeBotAPI) -> None:
    anna = fake.user()
    fake.open_private_chat(anna)
    async with bot_for(fake) as bot:
        with pytest.raises(BadRequest):
            await bot.send_message(anna["id"], "perché 1 < 2", parse_mode="HTML")
        await bot.send_message(anna["id"], "perché 1 &lt; 2", parse_mode="HTML")
    # the byte offset counts UTF-8 bytes: "perché " is 8 of them, "perché 1 " is 10
    assert fake.expect_rejection("sendMessage").description == (
        'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 10'
    )
    assert fake.texts(anna) == ["perché 1 < 2"]


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<b>aperto", 'Can\'t find end tag corresponding to start tag "b"'),
        ("chiuso</b>", "Unexpected end tag at byte offset 6"),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("<p>paragrafo</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("<br/>", 'Unsupported start tag "br/" at byte offset 0'),
        ("a <", "Unclosed start tag at byte offset 2"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
def test_malformed_html_is_rejected_with_telegrams_messages(html: str, error: str) -> None:
    with pytest.raises(TextError) as raised:
        parse_html(html)
    assert str(raised.value) == error


def test_parse_html_keeps_unknown_references_and_decodes_the_known_ones() -> None:
    text, entities = parse_html("&lt;b&gt; &quot;x&quot; &#233;&#x1F600; &nbsp; <i>ok</i>")
    assert text == '<b> "x" é😀 &nbsp; ok'
    assert [e.to_dict() for e in entities] == [{"offset": 19, "length": 2, "type": "italic"}]


@pytest.mark.asyncio
async def test_a_text_of_4096_characters_is_accepted_and_one_of_4097_is_rejected(
    fake: FakeBotAPI,
) -> None:
    anna = fake.user()
    fake.open_private_chat(anna)
    async with bot_for(fake) as bot:
        await bot.send_message(anna["id"], "x" * 4096)
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(anna["id"], "x" * 4097)
    assert fake.expect_rejection().description == "Bad Request: message is too long"


@pytest.mark.asyncio
async def test_an_escaped_character_counts_once_toward_the_limit(fake: FakeBotAPI) -> None:
    anna = fake.user()
    fake.open_private_chat(anna)
    async with bot_for(fake) as bot:
        await bot.send_message(anna["id"], "&lt;" * 4096, parse_mode="HTML")
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(anna["id"], "&lt;" * 4096 + "<b>!</b>", parse_mode="HTML")
    fake.expect_rejection(contains="message is too long")


@pytest.mark.asyncio
async def test_the_limit_is_measured_in_utf16_code_units(fake: FakeBotAPI) -> None:
    anna = fake.user()
    fake.open_private_chat(anna)
    async with bot_for(fake) as bot:
        await bot.send_message(anna["id"], "😀" * 2048)
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(anna["id"], "😀" * 2048 + "x")
    fake.expect_rejection(contains="message is too long")


@pytest.mark.asyncio
async def test_whitespace_only_text_is_rejected_and_other_text_is_trimmed(
    fake: FakeBotAPI,
) -> None:
    anna = fake.user()
    fake.open_private_chat(anna)
    async with bot_for(fake) as bot:
        sent = await bot.send_message(anna["id"], "\n  <b>ciao</b>  \n", parse_mode="HTML")
        with pytest.raises(BadRequest, match="Text must be non-empty"):
            await bot.send_message(anna["id"], "<b> </b>\n", parse_mode="HTML")
        with pytest.raises(BadRequest, match="Message text is empty"):
            await bot.send_message(anna["id"], "")
    assert (sent.text, sent.entities[0].offset) == ("ciao", 0)
    assert [r.description for r in fake.clear_rejected()] == [
        "Bad Request: text must be non-empty",
        "Bad Request: message text is empty",
    ]


@pytest.mark.asyncio
async def test_markdown_is_refused_by_the_fake_with_a_description_that_says_so(
    fake: FakeBotAPI,
) -> None:
    anna = fake.user()
    fake.open_private_chat(anna)
    async with bot_for(fake) as bot:
        with pytest.raises(BadRequest):
            await bot.send_message(anna["id"], "*ciao*", parse_mode="MarkdownV2")
        with pytest.raises(BadRequest, match="Unsupported parse_mode"):
            await bot.send_message(anna["id"], "ciao", parse_mode="Textile")
    assert [r.description for r in fake.clear_rejected()] == [
        "Bad Request: FakeBotAPI does not implement parse_mode MarkdownV2; use HTML",
        "Bad Request: unsupported parse_mode",
    ]


# --- edits, buttons and callback queries -------------------------------------------------------


@pytest.mark.asyncio
async def test_an_edit_that_changes_nothing_is_rejected_as_not_modified(fake: FakeBotAPI) -> None:
    anna = fake.user()
    fake.open_private_chat(anna)
    async with bot_for(fake) as bot:
        sent = await bot.send_message(
            anna["id"], "<b>Domanda</b>", parse_mode="HTML", reply_markup=keyboard("a", "b")
        )
        with pytest.raises(BadRequest, match="Message is not modified"):
            await sent.edit_text(
                "<b>Domanda</b>", parse_mode="HTML", reply_markup=keyboard("a", "b")
            )
        await sent.edit_text("<b>Domanda</b>", parse_mode="HTML", reply_markup=keyboard("a"))
        await sent.edit_text("<i>Domanda</i>", parse_mode="HTML", reply_markup=keyboard("a"))
        edited = await sent.edit_text("<i>Domanda</i>", parse_mode="HTML")  # drops the keyboard
        assert isinstance(edited, telegram.Message)
        with pytest.raises(BadRequest, match="Message is not modified"):
            await sent.edit_reply_markup(None)
    assert edited.reply_markup is None and edited.edit_date is not None
    assert fake.message(anna, sent.message_id)["entities"] == [
        {"offset": 0, "length": 7, "type": "italic"}
    ]
    descriptions = [r.description for r in fake.clear_rejected()]
    assert (
        descriptions
        == [
            "Bad Request: message is not modified: specified new message content and reply markup "
            "are exactly the same as a current content and reply markup of the message"
        ]
        * 2
    )


@pytest.mark.asyncio
async def test_editing_a_message_that_does_not_exist_is_rejected(fake: FakeBotAPI) -> None:
    anna = fake.user()
    user_message = fake.send_text(anna, "ciao")
    async with bot_for(fake) as bot:
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("nuovo", chat_id=anna["id"], message_id=999)
        with pytest.raises(BadRequest, match="Message can't be edited"):
            await bot.edit_message_text("nuovo", chat_id=anna["id"], message_id=user_message)
        with pytest.raises(BadRequest, match="Message to delete not found"):
            await bot.delete_message(anna["id"], 999)
    assert [r.description for r in fake.clear_rejected()] == [
        "Bad Request: message to edit not found",
        "Bad Request: message can't be edited",
        "Bad Request: message to delete not found",
    ]


@pytest.mark.asyncio
async def test_callback_data_may_be_64_bytes_but_not_65(fake: FakeBotAPI) -> None:
    anna = fake.user()
    fake.open_private_chat(anna)
    async with bot_for(fake) as bot:
        await bot.send_message(anna["id"], "ok", reply_markup=keyboard("é" * 32))  # 64 bytes
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(anna["id"], "no", reply_markup=keyboard("é" * 32 + "x"))
    assert fake.expect_rejection().description == "Bad Request: BUTTON_DATA_INVALID"
    assert fake.texts(anna) == ["ok"]


@pytest.mark.asyncio
async def test_buttons_are_rejected_like_telegram_rejects_them(fake: FakeBotAPI) -> None:
    anna = fake.user()
    fake.open_private_chat(anna)
    bad_markups = [
        {"inline_keyboard": [[{"text": "solo testo"}]]},
        {"inline_keyboard": [[{"text": "vuoto", "callback_data": ""}]]},
        {"inline_keyboard": [[{"callback_data": "x"}]]},
        {"inline_keyboard": [[{"text": "sito", "url": "not-a-url"}]]},
        {"inline_keyboard": [[{"text": "ftp", "url": "ftp://example.com"}]]},
        {"inline_keyboard": "bad"},
    ]
    async with httpx.AsyncClient(base_url=f"{fake.base_url}/bot{fake.token}") as client:
        for markup in bad_markups:
            body = {"chat_id": anna["id"], "text": "x", "reply_markup": markup}
            assert (await client.post("/sendMessage", json=body)).status_code == 400
    assert [r.description for r in fake.clear_rejected()] == [
        "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the "
        "inline keyboard",
        "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the "
        "inline keyboard",
        "Bad Request: can't parse inline keyboard button: Can't find field \"text\"",
        "Bad Request: inline keyboard button URL 'not-a-url' is invalid: Wrong HTTP URL",
        "Bad Request: inline keyboard button URL 'ftp://example.com' is invalid: Unsupported URL "
        "protocol",
        'Bad Request: field "inline_keyboard" must be of type Array',
    ]


@pytest.mark.asyncio
async def test_a_callback_query_can_be_answered_only_once(fake: FakeBotAPI) -> None:
    anna = fake.user()
    fake.open_private_chat(anna)
    async with bot_for(fake) as bot:
        sent = await bot.send_message(anna["id"], "Scegli", reply_markup=keyboard("a"))
        query_id = fake.press_button(anna, sent.message_id, "a")
        assert await bot.answer_callback_query(query_id, "Fatto") is True
        with pytest.raises(BadRequest, match="Query is too old"):
            await bot.answer_callback_query(query_id)
        with pytest.raises(BadRequest, match="Query is too old"):
            await bot.answer_callback_query("123")
    assert fake.callback_answers == {query_id: {"callback_query_id": query_id, "text": "Fatto"}}
    assert {r.description for r in fake.clear_rejected()} == {
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    }


@pytest.mark.asyncio
async def test_a_pressed_button_carries_the_message_as_it_is_now(fake: FakeBotAPI) -> None:
    anna = fake.user()
    fake.open_private_chat(anna)
    async with bot_for(fake) as bot:
        sent = await bot.send_message(anna["id"], "prima", reply_markup=keyboard("a"))
        await sent.edit_text("dopo", reply_markup=keyboard("b"))
        fake.press_button(anna, sent.message_id, "a")  # a stale button, still pressable
        [update] = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.data == "a" and query.from_user.id == anna["id"]
    assert isinstance(query.message, telegram.Message)
    assert query.message.text == "dopo" and query.message.reply_markup == keyboard("b")


# --- chats: blocked, unknown, flood ------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_user_who_blocked_the_bot_makes_sends_fail_with_forbidden(
    fake: FakeBotAPI,
) -> None:
    anna = fake.user()
    fake.send_text(anna, "/start")
    fake.block(anna)
    async with bot_for(fake) as bot:
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(anna["id"], "ci sei?")
        with pytest.raises(Forbidden):
            await bot.send_chat_action(anna["id"], "typing")
    assert fake.pending_updates[-1]["my_chat_member"]["new_chat_member"]["status"] == "kicked"
    assert fake.expect_rejection(error_code=403).description == (
        "Forbidden: bot was blocked by the user"
    )
    fake.clear_rejected()


@pytest.mark.asyncio
async def test_the_bot_cannot_write_first_nor_to_an_unknown_chat(fake: FakeBotAPI) -> None:
    anna = fake.user()
    async with bot_for(fake) as bot:
        with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
            await bot.send_message(anna["id"], "ciao")
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(424242, "ciao")
        fake.send_text(anna, "/start")
        await bot.send_message(anna["id"], "ciao")
    assert [r.error_code for r in fake.clear_rejected()] == [403, 400]


@pytest.mark.asyncio
@pytest.mark.filterwarnings(RETRY_AFTER_IS_AN_INT)
async def test_over_the_flood_limit_telegram_answers_retry_after(fake: FakeBotAPI) -> None:
    anna = fake.user()
    fake.open_private_chat(anna)
    fake.set_flood_limits(per_chat_per_second=1.0, global_per_second=30.0)
    async with bot_for(fake) as bot:
        await bot.send_message(anna["id"], "uno")
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(anna["id"], "due")
    assert "Retry in 1 seconds" in str(raised.value)
    rejection = fake.expect_rejection(error_code=429)
    assert rejection.description == "Too Many Requests: retry after 1"
    assert fake.calls("sendMessage")[-1].response["parameters"] == {"retry_after": 1}


@pytest.mark.asyncio
@pytest.mark.filterwarnings(RETRY_AFTER_IS_AN_INT)
async def test_fail_next_answers_the_next_call_with_the_given_error(fake: FakeBotAPI) -> None:
    anna = fake.user()
    fake.open_private_chat(anna)
    fake.fail_next(
        "sendMessage", "Too Many Requests: retry after 3", error_code=429, retry_after=3
    )
    async with bot_for(fake) as bot:
        with pytest.raises(RetryAfter):
            await bot.send_message(anna["id"], "uno")
        await bot.send_message(anna["id"], "due")
    fake.expect_rejection(error_code=429)
    assert fake.texts(anna) == ["due"]


# --- commands and files ------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_set_my_commands_validates_and_stores_per_language(fake: FakeBotAPI) -> None:
    async with bot_for(fake) as bot:
        assert await bot.set_my_commands(
            [("start", "Inizia"), ("aiuto", "Aiuto")], language_code="it"
        )
        with pytest.raises(BadRequest, match="Bot_command_invalid"):
            await bot.set_my_commands([("Start Now", "Inizia")])
        with pytest.raises(BadRequest, match="Command description must be non-empty"):
            await bot.set_my_commands([("start", "  ")])
        with pytest.raises(BadRequest, match="Invalid language code specified"):
            await bot.set_my_commands([("start", "Inizia")], language_code="ita")
        commands = await bot.get_my_commands(language_code="it")
        assert await bot.get_my_commands() == ()
    assert [(c.command, c.description) for c in commands] == [
        ("start", "Inizia"),
        ("aiuto", "Aiuto"),
    ]
    assert fake.commands("it")[0] == {"command": "start", "description": "Inizia"}
    assert [r.description for r in fake.clear_rejected()] == [
        "Bad Request: BOT_COMMAND_INVALID",
        "Bad Request: command description must be non-empty",
        "Bad Request: invalid language code specified",
    ]


@pytest.mark.asyncio
async def test_a_document_upload_is_stored_with_its_bytes(fake: FakeBotAPI) -> None:
    anna = fake.user()
    fake.open_private_chat(anna)
    async with bot_for(fake) as bot:
        sent = await bot.send_document(
            anna["id"],
            b"Marketing e IT",
            filename="saggio.txt",
            caption="<b>Il saggio</b>",
            parse_mode="HTML",
        )
        request = fake.wait_for_request("sendDocument")
        assert sent.document is not None
        downloaded = await (await bot.get_file(sent.document.file_id)).download_as_bytearray()
    assert sent.document.file_name == "saggio.txt" and sent.document.mime_type == "text/plain"
    assert sent.document.file_size == 14 and sent.caption == "Il saggio"
    assert request.params["document"].filename == "saggio.txt"
    assert fake.file(sent.document.file_id).content == b"Marketing e IT" == bytes(downloaded)
    assert fake.last_sent(anna)["caption_entities"] == [{"offset": 0, "length": 9, "type": "bold"}]


# --- the HTTP surface --------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_wrong_token_is_unauthorized_and_a_malformed_one_is_not_found(
    fake: FakeBotAPI,
) -> None:
    with pytest.raises(InvalidToken):
        async with bot_for(fake, "654321:WRONG-token"):
            pass
    async with httpx.AsyncClient(base_url=fake.base_url) as client:
        malformed = await client.get("/botnot-a-token/getMe")
        unknown_method = await client.post(f"/bot{fake.token}/sendTelepathy")
        not_faked = await client.post(f"/bot{fake.token}/sendPhoto")
    assert malformed.status_code == unknown_method.status_code == 404
    assert unknown_method.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    assert [(r.error_code, r.description) for r in fake.clear_rejected()] == [
        (401, "Unauthorized"),
        (404, "Not Found"),
        (404, "Not Found"),
        (400, "Bad Request: FakeBotAPI does not implement sendPhoto"),
    ]
    assert not_faked.status_code == 400


@pytest.mark.asyncio
async def test_form_json_and_query_parameters_are_all_understood(fake: FakeBotAPI) -> None:
    anna = fake.user()
    fake.open_private_chat(anna)
    markup = '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}'
    async with httpx.AsyncClient(base_url=f"{fake.base_url}/bot{fake.token}") as client:
        form = await client.post(
            "/sendMessage", data={"chat_id": "1001", "text": "form", "reply_markup": markup}
        )
        json_body = await client.post("/SENDMESSAGE", json={"chat_id": 1001, "text": "json"})
        query = await client.get("/sendMessage", params={"chat_id": 1001, "text": "query"})
    assert [r.json()["result"]["text"] for r in (form, json_body, query)] == [
        "form",
        "json",
        "query",
    ]
    assert form.json()["result"]["reply_markup"] == {
        "inline_keyboard": [[{"text": "A", "callback_data": "a"}]]
    }
    recorded = fake.calls("sendMessage")
    assert recorded[0].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "a"
    assert [r.params["chat_id"] for r in recorded] == [1001, 1001, 1001]
    assert [m["message_id"] for m in fake.sent(anna)] == [1, 2, 3]
    assert fake.rejected == []


@pytest.mark.asyncio
async def test_delete_webhook_can_drop_the_pending_updates(fake: FakeBotAPI) -> None:
    fake.send_text(fake.user(), "vecchio messaggio")
    async with bot_for(fake) as bot:
        assert (await bot.get_webhook_info()).pending_update_count == 1
        assert await bot.delete_webhook(drop_pending_updates=True)
        assert await bot.get_updates() == ()
    assert fake.calls("deleteWebhook")[0].response["description"] == "Webhook is already deleted"


# --- waiting -----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_waiting_helpers_see_what_the_bot_does(fake: FakeBotAPI) -> None:
    anna = fake.user()
    async with bot_for(fake) as bot:
        asked = fake.send_text(anna, "/start")

        async def bot_answers() -> None:
            [update] = await bot.get_updates(timeout=5)
            await bot.get_updates(offset=update.update_id + 1)
            await bot.send_message(anna["id"], "Benvenuta!")

        answering = asyncio.create_task(bot_answers())
        reply = await fake.await_reply(anna)
        await fake.await_delivered()
        await answering
    assert reply["text"] == "Benvenuta!" and reply["message_id"] == asked + 1
    assert fake.wait_for_reply(anna, after=asked)["text"] == "Benvenuta!"
    assert fake.wait_for_reply(anna, after_count=0)["text"] == "Benvenuta!"


def test_wait_until_reports_what_happened_when_it_times_out(fake: FakeBotAPI) -> None:
    fake.send_text(fake.user(), "ciao")
    with pytest.raises(AssertionError) as raised:
        fake.wait_for_reply(1001, timeout=0.1)
    report = str(raised.value)
    assert "timed out after 0.1 s waiting for a bot message in chat 1001" in report
    assert "updates not yet confirmed by the bot: 1" in report
