"""The composition root: builds config, content, store and dialogue for every entry point."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.config import Config
from bot.content import Content, load_content
from bot.dialogue import Dialogue
from bot.matcher import Matcher
from bot.store import Store


def default_content_dir() -> Path:
    """The content shipped with the bot: inside the installed package, else the source tree."""
    package = Path(__file__).resolve().parent
    installed = package / "_content"
    return installed if installed.is_dir() else package.parent / "content"


@dataclass
class Services:
    """Everything an adapter needs, built once."""

    config: Config
    content: Content
    store: Store
    matcher: Matcher
    dialogue: Dialogue

    def close(self) -> None:
        self.store.close()


def load(config: Config) -> Content:
    """The content the configuration points at (ContentError if it is broken)."""
    return load_content(config.content_dir or default_content_dir())


def bootstrap(config: Config, content: Content | None = None) -> Services:
    """Build the services for ``config``; tests may pass ready ``content``."""
    content = content or load(config)
    store = Store(config.database)
    matcher = Matcher(content.topics, content.matching)
    dialogue = Dialogue(
        content,
        store,
        matcher,
        admins=config.admin_ids,
        pre_moderation=config.moderation == "pre",
    )
    return Services(config, content, store, matcher, dialogue)
