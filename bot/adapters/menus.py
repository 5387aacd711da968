"""How the bot introduces itself on Telegram: its description and short description (the first
screen a reader sees, before Start) per language; the command menus: the readers' one per
language (and the default), the admins' own in each admin's chat and language (given again the
first time an admin writes, and when they change language), taken back from former admins."""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.content.catalog import Content
from bot.content.markup import to_plain
from bot.core import registry

log = logging.getLogger(__name__)


def _menu(content: Content, lang: str, *, admin: bool) -> list[BotCommand]:
    return [BotCommand(name, content.commands[name][lang]) for name in registry.menu(admin=admin)]


async def introduce(bot: Bot, content: Content) -> None:
    """The bot's description and short description in each language (and the default)."""
    for lang in (None, *content.languages):
        said = lang or content.language_for(None)
        try:
            description = to_plain(content.say("bot_description", said))
            await bot.set_my_description(description, language_code=lang)
            short = to_plain(content.say("bot_short_description", said))
            await bot.set_my_short_description(short, language_code=lang)
        except TelegramError as error:
            log.warning("no description for language %s this time: %s", lang, error)


async def admin_menu(bot: Bot, content: Content, admin: int, lang: str) -> bool:
    """Give ``admin`` the admins' menu in ``lang``; False if Telegram would not (an admin who
    has not opened the bot yet: "chat not found")."""
    try:
        await bot.set_my_commands(
            _menu(content, lang, admin=True), scope=BotCommandScopeChat(admin)
        )
        return True
    except TelegramError as error:
        log.warning("no admin menu for %s yet (given when they write): %s", admin, error)
        return False


async def register_menus(
    bot: Bot,
    content: Content,
    admin_ids: frozenset[int],
    former_admins: set[int],
    lang_of: Callable[[int], str | None] | None = None,
) -> dict[int, str]:
    """Register every menu; the readers who have the admins' menu now, and in which language
    (``lang_of``: an admin's language, None for one who never wrote to the bot: Telegram
    would refuse their chat, so they get it when they first write). Errors are logged."""
    for lang in (None, *content.languages):
        commands = _menu(content, lang or content.language_for(None), admin=False)
        try:  # a menu is a convenience: a passing error must not stop the bot
            await bot.set_my_commands(commands, language_code=lang)
        except TelegramError as error:
            log.warning("no command menu for language %s this time: %s", lang, error)
    given: dict[int, str] = {}
    for admin in sorted(admin_ids):
        lang = lang_of(admin) if lang_of else content.default_language
        if lang is not None and await admin_menu(bot, content, admin, lang):
            given[admin] = lang
    for former in sorted(former_admins):
        try:  # an empty list takes the admins' menu away; the readers' one shows again
            await bot.set_my_commands([], scope=BotCommandScopeChat(former))
        except TelegramError as error:
            log.warning("could not withdraw the admin menu from %s: %s", former, error)
            given[former] = ""
    return given


async def follow_admin(
    bot: Bot,
    content: Content,
    admin: int,
    lang: str,
    given: dict[int, str],
    remember: Callable[[set[int]], None],
) -> None:
    """An admin who writes has the admins' menu in their language ``lang`` (the first time
    they write after the bot started without reaching them, or after /lang); ``remember``
    keeps who has it."""
    if given.get(admin) == lang:
        return
    if await admin_menu(bot, content, admin, lang):
        given[admin] = lang
        remember(set(given))
