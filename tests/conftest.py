"""Shared fixtures: the shipped content, and services built by the real composition root."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fake_telegram import FakeBotAPI
from telegram_harness import polling

from bot.bootstrap import Services, bootstrap, default_content_dir
from bot.config import Config
from bot.content import Content, load_content
from bot.conversation import Reader

TOKEN = "123456:TEST-token_abcdefghijklmnopqrstuvwxyz"


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(default_content_dir())


@pytest.fixture
def services(content: Content) -> Iterator[Services]:
    built = bootstrap(Config(database=":memory:"), content)
    yield built
    built.close()


@pytest.fixture
def anna() -> Reader:
    return Reader(1001, "Anna", "it")


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped content, for tests that break it on purpose."""
    target = tmp_path / "content"
    target.mkdir()
    for source in default_content_dir().glob("*.yaml"):
        (target / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return target


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    """A fake Bot API on 127.0.0.1; the test fails if it rejected a request nobody expected."""
    with FakeBotAPI(token=TOKEN, username="essay_test_bot") as api:
        yield api
        api.assert_no_rejections()


def telegram_config(fake: FakeBotAPI, tmp_path: Path, moderation: str = "post") -> Config:
    return Config(
        token=TOKEN,
        api_url=fake.base_url,
        database=str(tmp_path / "bot.sqlite3"),
        admin_ids=frozenset({42}),
        moderation=moderation,
    )


@pytest.fixture
def telegram_services(fake: FakeBotAPI, content: Content, tmp_path: Path) -> Iterator[Services]:
    """Services configured for the fake API, with a database file."""
    built = bootstrap(telegram_config(fake, tmp_path), content)
    yield built
    built.close()


@pytest.fixture
async def moderated_bot(
    fake: FakeBotAPI, content: Content, tmp_path: Path
) -> AsyncIterator[Services]:
    """The bot with pre-moderation (admin 42), long-polling the fake Bot API."""
    built = bootstrap(telegram_config(fake, tmp_path, "pre"), content)
    async with polling(built):
        yield built
    built.close()


@pytest.fixture
async def bot(telegram_services: Services) -> AsyncIterator[Services]:
    """The real Telegram layer long-polling the fake Bot API."""
    async with polling(telegram_services):
        yield telegram_services


@pytest.fixture
def moderated(content: Content) -> Iterator[Services]:
    """Services with pre-moderation and admin 42, on an in-memory database."""
    built = bootstrap(
        Config(database=":memory:", admin_ids=frozenset({42}), moderation="pre"), content
    )
    yield built
    built.close()


@pytest.fixture
def content_services_with_admin(content: Content) -> Iterator[Services]:
    """Services with post-moderation and admin 42, on an in-memory database."""
    built = bootstrap(Config(database=":memory:", admin_ids=frozenset({42})), content)
    yield built
    built.close()
