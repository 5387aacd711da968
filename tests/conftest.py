"""Shared fixtures: the shipped content, the one factory for services, the fake Bot API."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from fake_telegram import FakeBotAPI
from helpers import polling

from bot.bootstrap import Services, bootstrap, default_content_dir, load
from bot.config import Config
from bot.content.catalog import Content
from bot.core.events import Reader
from bot.model.clock import Clock, system_clock

TOKEN = "123456:TEST-token_abcdefghijklmnopqrstuvwxyz"
Build = Callable[..., Services]


@pytest.fixture(scope="session")
def content() -> Content:
    return load(Config())


@pytest.fixture
def build(content: Content, tmp_path: Path) -> Iterator[Build]:
    """The one factory for services, through the real composition root: ``build(admins={42},
    moderation="pre", clock=..., fake=..., on_disk=True, channel="@c")``. With ``fake`` the
    services talk to the fake Bot API; with it or ``on_disk`` the database is a file,
    otherwise it is in memory."""
    built: list[Services] = []

    def make(
        *,
        admins: frozenset[int] | set[int] = frozenset(),
        moderation: str = "post",
        clock: Clock = system_clock,
        fake: FakeBotAPI | None = None,
        on_disk: bool = False,
        channel: str | None = None,
    ) -> Services:
        config = Config(
            token=TOKEN if fake else None,
            api_url=fake.base_url if fake else Config.api_url,
            database=str(tmp_path / f"bot{len(built)}.sqlite3") if fake or on_disk else ":memory:",
            admin_ids=frozenset(admins),
            moderation=moderation,
            channel=channel,
        )
        built.append(bootstrap(config, content, clock=clock))
        return built[-1]

    yield make
    for services in built:
        services.close()


@pytest.fixture
def services(build: Build) -> Services:
    """No admins, answers published at once, an in-memory database."""
    return build()


@pytest.fixture
def moderated(build: Build) -> Services:
    """Pre-moderation with admin 42, an in-memory database."""
    return build(admins={42}, moderation="pre")


@pytest.fixture
def anna() -> Reader:
    return Reader(1001, "Anna", "it")


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped content, for tests that break it on purpose."""
    target = tmp_path / "content"
    shutil.copytree(default_content_dir(), target)
    return target


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    """A fake Bot API on 127.0.0.1; the test fails if it rejected a request nobody expected."""
    with FakeBotAPI(token=TOKEN, username="essay_test_bot") as api:
        yield api
        api.assert_no_rejections()


@pytest.fixture
async def bot(fake: FakeBotAPI, build: Build) -> AsyncIterator[Services]:
    """The real Telegram layer (admin 42) long-polling the fake Bot API."""
    services = build(admins={42}, fake=fake)
    async with polling(services):
        yield services


@pytest.fixture
async def moderated_bot(fake: FakeBotAPI, build: Build) -> AsyncIterator[Services]:
    """The bot with pre-moderation (admin 42), long-polling the fake Bot API."""
    services = build(admins={42}, moderation="pre", fake=fake)
    async with polling(services):
        yield services
