"""Runs the real Telegram layer against the fake Bot API, on the test's event loop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

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
