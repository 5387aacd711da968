"""The command menus: the readers' one per language (and the default), the admins' own in each
admin's chat, and the admins' one taken back from former admins."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.content.catalog import Content
from bot.core import registry

log = logging.getLogger(__name__)


async def register_menus(
    bot: Bot, content: Content, admin_ids: frozenset[int], former_admins: set[int]
) -> set[int]:
    """Register every menu; the readers who have the admins' menu now. A menu is a
    convenience, so an error is logged, never raised."""

    def menu(lang: str, *, admin: bool) -> list[BotCommand]:
        return [
            BotCommand(name, content.commands[name][lang]) for name in registry.menu(admin=admin)
        ]

    for lang in (None, *content.languages):
        commands = menu(lang or content.language_for(None), admin=False)
        try:  # a menu is a convenience: a passing error must not stop the bot
            await bot.set_my_commands(commands, language_code=lang)
        except TelegramError as error:
            log.warning("no command menu for language %s this time: %s", lang, error)
    given: set[int] = set()
    for admin in sorted(admin_ids):
        try:
            await bot.set_my_commands(
                menu(content.default_language, admin=True), scope=BotCommandScopeChat(admin)
            )
            given.add(admin)
        except TelegramError as error:
            log.warning("no admin menu for %s (has the admin started the bot?): %s", admin, error)
    for former in sorted(former_admins):
        try:  # an empty list takes the admins' menu away; the readers' one shows again
            await bot.set_my_commands([], scope=BotCommandScopeChat(former))
        except TelegramError as error:
            log.warning("could not withdraw the admin menu from %s: %s", former, error)
            given.add(former)
    return given
