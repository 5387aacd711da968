"""The baseline of ``bench_load.py``: a bare python-telegram-bot echo bot, nothing else.

Texts are echoed; a press is answered, then its message edited to say what was pressed. Reads
``TELEGRAM_BOT_TOKEN`` and ``TELEGRAM_API_URL`` like ``essaybot run``; stop it with Ctrl-C.
Run: ``python benchmarks/echo_bot.py``.
"""

from __future__ import annotations

import logging
import os

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"{query.data} ({query.id})")  # a new text every press


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    url = os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org")
    application = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(f"{url}/bot")
        .base_file_url(f"{url}/file/bot")
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(pressed))
    application.run_polling(allowed_updates=Update.ALL_TYPES, timeout=30)


if __name__ == "__main__":
    main()
