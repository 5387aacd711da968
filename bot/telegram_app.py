"""Builds and runs the Telegram application (long polling) around the services."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.bootstrap import Services
from bot.phrases import ADMIN_COMMANDS, MENU_COMMANDS
from bot.telegram_adapter import BotData, EssayApp, EssayContext, on_button, on_error, on_message

log = logging.getLogger(__name__)


def build_application(services: Services) -> EssayApp:
    """The python-telegram-bot application, talking to ``config.api_url``."""
    config = services.config
    context_types = ContextTypes(context=EssayContext, bot_data=BotData)
    application: EssayApp = (
        ApplicationBuilder()
        .token(config.require_token())
        .base_url(f"{config.api_url}/bot")
        .base_file_url(f"{config.api_url}/file/bot")
        .context_types(context_types)
        .rate_limiter(AIORateLimiter(max_retries=3))
        .post_init(on_startup)
        .build()
    )
    application.bot_data.services = services
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, on_message))
    application.add_error_handler(on_error)
    return application


async def on_startup(application: EssayApp) -> None:
    """Once connected: learn the bot's username and register the command menu."""
    services = application.bot_data.services
    assert services is not None
    services.dialogue.bot_username = application.bot.username
    content = services.content
    for lang in (None, *content.languages):
        commands = [
            BotCommand(name, content.commands[name][lang or content.default_language])
            for name in MENU_COMMANDS
        ]
        await application.bot.set_my_commands(commands, language_code=lang)
    default = content.default_language
    admin_menu = [
        BotCommand(name, content.commands[name][default])
        for name in (*MENU_COMMANDS, *ADMIN_COMMANDS)
    ]
    for admin in sorted(services.config.admin_ids):
        try:
            await application.bot.set_my_commands(admin_menu, scope=BotCommandScopeChat(admin))
        except TelegramError as error:
            log.warning("no admin menu for %s (has the admin started the bot?): %s", admin, error)
    log.info("essaybot is running as @%s", application.bot.username)


def run(services: Services, poll_timeout: int = 30) -> None:
    """Long-poll Telegram until interrupted (Ctrl-C or SIGTERM)."""
    application = build_application(services)
    try:
        application.run_polling(allowed_updates=Update.ALL_TYPES, timeout=poll_timeout)
    finally:
        application.bot_data.worker.shutdown()
