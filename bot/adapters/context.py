"""The Telegram adapter's typed context: the application-wide state (the core, the tasks beside
it, what recent messages show), reached from every handler through ``context.dialogue`` and
``context.bot_data`` (python-telegram-bot's ``ContextTypes``), never through casts."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.adapters.courier import Courier
from bot.adapters.journaled import JournaledQueue
from bot.adapters.shown import Shown
from bot.config import Config
from bot.core.dialogue import Dialogue


class BotData:
    """Application-wide state: the core, the tasks beside it, and what recent messages show."""

    def __init__(self) -> None:
        self.dialogue: Dialogue | None = None
        self.config: Config | None = None
        self.courier: Courier | None = None
        self.courier_task: asyncio.Task[None] | None = None
        self.heartbeat_task: asyncio.Task[None] | None = None
        self.upkeep_task: asyncio.Task[None] | None = None
        self.queue: JournaledQueue | None = None
        self.shown = Shown()
        #: the admins who have the admins' menu, and in which language
        self.admin_menus: dict[int, str] = {}


class EssayContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]):
    """The callback context, with typed access to the core."""

    @property
    def dialogue(self) -> Dialogue:
        if self.bot_data.dialogue is None:
            raise RuntimeError("the application was built without a dialogue")
        return self.bot_data.dialogue


EssayApp = Application[ExtBot[Any], EssayContext, dict[Any, Any], dict[Any, Any], BotData, Any]
