"""Runs the real Telegram layer against the fake Bot API, on the test's event loop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fake_telegram import FakeBotAPI
from telegram import Update

from bot.bootstrap import Services
from bot.telegram_app import build_application, on_startup


@asynccontextmanager
async def polling(services: Services) -> AsyncIterator[None]:
    """The bot long-polling the configured API (as ``essaybot run`` does) until the block ends."""
    application = build_application(services)
    async with application:
        await on_startup(application)
        assert application.updater is not None
        await application.updater.start_polling(
            poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES
        )
        await application.start()
        try:
            yield
        finally:
            await application.updater.stop()
            await application.stop()
            application.bot_data.worker.shutdown()


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    """A message's inline buttons as (label, callback data or url)."""
    markup = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data") or b.get("url", "")) for row in markup for b in row]


async def press(
    fake: FakeBotAPI, user: dict[str, Any], message_id: int, data: str
) -> dict[str, Any]:
    """Press a button and wait until the bot has answered the press."""
    query_id = fake.press_button(user, message_id, data)
    await fake.await_until(lambda: query_id in fake.callback_answers, description="an answer")
    return fake.callback_answers[query_id]
