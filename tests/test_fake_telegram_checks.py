"""The fake Telegram answers what ``essaybot doctor`` asks as Telegram does: getWebhookInfo
(in Telegram's JSON shape) and sendChatAction (with Telegram's refusals)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from fake_telegram import FakeBotAPI
from telegram import Bot
from telegram.error import BadRequest, Forbidden

ANNA = 1001  # has started the bot (see the ``bot`` fixture)


@pytest.fixture
async def bot(fake: FakeBotAPI) -> AsyncIterator[Bot]:
    fake.open_private_chat(fake.user(ANNA, "Anna"))
    async with Bot(fake.token, base_url=f"{fake.base_url}/bot") as bot:
        yield bot


async def raw(fake: FakeBotAPI, method: str, **params: object) -> httpx.Response:
    async with httpx.AsyncClient(base_url=f"{fake.base_url}/bot{fake.token}/") as client:
        return await client.post(method, json=params)


async def test_without_a_webhook_the_info_has_an_empty_url_and_the_waiting_updates(
    fake: FakeBotAPI, bot: Bot
) -> None:
    fake.send_text(fake.user(ANNA), "ciao")
    answer = await raw(fake, "getWebhookInfo")
    assert answer.json() == {
        "ok": True,
        "result": {"url": "", "has_custom_certificate": False, "pending_update_count": 1},
    }
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count, info.last_error_message) == ("", 1, None)


async def test_a_webhook_left_set_is_reported_with_its_last_error(
    fake: FakeBotAPI, bot: Bot
) -> None:
    fake.set_webhook_state(
        "https://old.example.org/hook", last_error_message="Connection refused", last_error_date=1
    )
    result = (await raw(fake, "getWebhookInfo")).json()["result"]
    assert list(result) == [
        "url",
        "has_custom_certificate",
        "pending_update_count",
        "max_connections",
        "ip_address",
        "last_error_date",
        "last_error_message",
    ]
    info = await bot.get_webhook_info()
    assert (info.url, info.max_connections) == ("https://old.example.org/hook", 40)
    assert info.last_error_message == "Connection refused"
    assert info.last_error_date == datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)
    assert await bot.delete_webhook()  # as polling does at start
    assert (await bot.get_webhook_info()).url == ""


async def test_a_chat_action_reaches_only_a_chat_the_bot_may_write_to(
    fake: FakeBotAPI, bot: Bot
) -> None:
    assert await bot.send_chat_action(ANNA, "typing") is True
    fake.user(7, "Nino")  # known to Telegram, never started the bot
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_chat_action(7, "typing")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_chat_action(999, "typing")
    fake.block(ANNA)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_chat_action(ANNA, "typing")
    assert [r.error_code for r in fake.clear_rejected()] == [403, 400, 403]
    assert fake.sent(ANNA) == []  # an action leaves no message


async def test_a_chat_action_telegram_does_not_know_or_a_parameter_not_modelled_is_refused(
    fake: FakeBotAPI, bot: Bot
) -> None:
    with pytest.raises(BadRequest, match="Wrong parameter action in request"):
        await bot.send_chat_action(ANNA, "dancing")
    with pytest.raises(BadRequest, match=r"(?i)does not implement sendChatAction's"):
        await bot.send_chat_action(ANNA, "typing", message_thread_id=3)
    assert [r.description for r in fake.clear_rejected()] == [
        "Bad Request: wrong parameter action in request",
        "Bad Request: FakeBotAPI does not implement sendChatAction's message_thread_id",
    ]
