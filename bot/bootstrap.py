"""The composition root: builds config, content, store and dialogue for every entry point and
for the tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.config import Config
from bot.content.catalog import Content
from bot.content.loader import load_content
from bot.core import registry
from bot.core.dialogue import Dialogue
from bot.core.understanding.classifier import Classifier
from bot.core.understanding.matcher import Matcher
from bot.model.clock import Clock, system_clock
from bot.storage.store import Store


def default_content_dir() -> Path:
    """The content shipped with the bot: inside the installed package, else the source tree."""
    package = Path(__file__).resolve().parent
    installed = package / "_content"
    return installed if installed.is_dir() else package.parent / "content"


@dataclass
class Services:
    """Everything an entry point needs, built once."""

    config: Config
    content: Content
    store: Store
    matcher: Matcher
    dialogue: Dialogue

    def close(self) -> None:
        self.store.close()


def load(config: Config, directory: Path | None = None) -> Content:
    """The content in ``directory``, else where the configuration points (ContentError if it is
    broken). It must describe every command the core declares."""
    folder = directory or config.content_dir or default_content_dir()
    return load_content(folder, tuple(registry.COMMANDS))


def build_matcher(content: Content) -> Matcher:
    """The matcher for the content's topics, leaving out of questions the words that only say
    how they are asked."""
    wording = content.wording
    neutral = {
        *wording.frame,
        *wording.question_words,
        *(phrase for phrases in wording.aspects.values() for phrase in phrases),
    }
    return Matcher(content.topics, content.matching, neutral)


def bootstrap(
    config: Config,
    content: Content | None = None,
    *,
    clock: Clock = system_clock,
    read_only: bool = False,
) -> Services:
    """Build the services for ``config``; tests may pass ready ``content`` and a clock.
    ``read_only``: for the author's reports, an existing database read as it is."""
    content = content or load(config)
    store = Store(config.database, clock, read_only=read_only)
    matcher = build_matcher(content)
    dialogue = Dialogue(
        content,
        store,
        matcher,
        admins=config.admin_ids,
        pre_moderation=config.moderation == "pre",
        clock=clock,
        classifier=Classifier.for_bank(content.bank, config.model_cache),
        channel=config.channel,
    )
    return Services(config, content, store, matcher, dialogue)
