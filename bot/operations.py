"""The operator's commands: ``essaybot backup PATH``, ``essaybot doctor``, ``essaybot link`` and
``essaybot post``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.content.catalog import Content
from bot.content.loader import ContentError
from bot.model.checks import Check
from bot.storage.maintenance import BackupError, check_database
from bot.storage.maintenance import backup as copy_database


def backup(config: Config, path: str) -> int:
    """Copy the live database to ``path`` (safe while the bot runs); one line either way."""
    try:
        size = copy_database(config.database, path)
    except BackupError as error:
        print(f"essaybot: {error}", file=sys.stderr)
        return 1
    print(f"backed up {config.database} to {path} ({size:,} bytes)")
    return 0


def doctor(config: Config, load: Callable[[Config], Content]) -> int:
    """Check the token, the webhook, the database, the content (as ``load`` loads it) and the
    admins, one line each; 1 when any check fails."""
    from bot.adapters.doctor import check_telegram

    telegram = check_telegram(config)
    checks = [
        telegram["token"],
        telegram["inline"],
        telegram["webhook"],
        check_database(config.database),
        check_content(config, load),
        telegram["admins"],
    ]
    for check in checks:
        print(check.line(), flush=True)
    return 1 if any(check.failed for check in checks) else 0


def check_content(config: Config, load: Callable[[Config], Content]) -> Check:
    """The content loads; its problems summarised (``essaybot check`` lists every one)."""
    try:
        content = load(config)
    except ContentError as error:
        problems = error.problems or ["it does not load"]
        more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
        return Check.fail("content", f"{problems[0]}{more} (essaybot check lists every problem)")
    return Check.ok(
        "content",
        f"{content.essay.total} parts, {len(content.topics)} topics,"
        f" languages {', '.join(content.languages)}",
    )


def link(
    config: Config, source: str, target: str, output: str | None, username: str | None
) -> int:
    """Print the t.me link that opens the bot (at ``target``, if given) counted as coming from
    ``source``, and write it as a QR code PNG (``output``, else ``essaybot-SOURCE.png``)."""
    import segno

    from bot.adapters.doctor import identity
    from bot.model import links

    if not links.SOURCE.match(source) or source in links.RESERVED:
        print(
            "essaybot: a source is 1-20 lower-case letters and digits, not direct or share",
            file=sys.stderr,
        )
        return 2
    wanted = links.Link(target, source)
    if links.parse(target) != links.Link(target):
        print("essaybot: --to is topic-ID, part-N, answer-N or question", file=sys.stderr)
        return 2
    address = links.url(username or identity(config), wanted)
    path = Path(output or f"essaybot-{source}.png")
    segno.make(address, error="m").save(str(path), scale=8, border=4)
    print(address)
    print(f"QR code: {path} (readers who come in through it count as {source!r} in /stats)")
    return 0


def post(config: Config, argument: str, yes: bool, build: Callable[..., Any]) -> int:
    """Publish on the channel what ``/post argument`` would ("opening", "part N", "results"),
    after showing it here and asking (``yes``: without asking); ``build`` is the composition
    root (bootstrap)."""
    import asyncio

    from bot.adapters.channel import publish
    from bot.adapters.doctor import bot_for, identity
    from bot.content.markup import to_terminal

    if config.channel is None or config.token is None:
        print("essaybot: set ESSAYBOT_CHANNEL and TELEGRAM_BOT_TOKEN to post", file=sys.stderr)
        return 2
    services = build(config, read_only=True)
    try:
        posting = services.dialogue.posting
        what = posting.choice(argument)
        if what is None:
            print("essaybot: post opening, post part N or post results", file=sys.stderr)
            return 2
        posting.username = identity(config)
        replies = posting.compose(what)
    finally:
        services.close()
    for reply in replies:
        print(("[the chart, as a photo]\n" if reply.document else "") + to_terminal(reply.text))
        for row in reply.buttons:
            print("  " + "  ".join(f"[{b.label}] {b.url}" for b in row))
        print()
    if not yes and input(f"Post it on {config.channel}? [y/N] ").strip().lower() != "y":
        print("Nothing was posted.")
        return 1

    async def send(token: str) -> str | None:
        async with bot_for(config, token) as bot:
            for reply in replies:
                if (said := await publish(bot, config.channel or "", reply)) is not None:
                    return said
        return None

    said = asyncio.run(send(config.token))
    if said is not None:
        print(f"essaybot: could not post on {config.channel}: {said}", file=sys.stderr)
        return 1
    print(f"Posted on {config.channel}.")
    return 0
