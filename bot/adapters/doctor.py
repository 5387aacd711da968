"""``essaybot doctor``'s questions to Telegram: does the token work (getMe), is inline mode on
(getMe, for sharing), is the webhook what the chosen mode needs (getWebhookInfo), can every admin
be written to (sendChatAction "typing", which shows nothing lasting). Each request has a short
timeout; nothing is changed. ``essaybot link`` asks getMe for the bot's name here too."""

from __future__ import annotations

import asyncio

from telegram import Bot, WebhookInfo
from telegram.constants import ChatAction
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError
from telegram.request import HTTPXRequest

from bot.config import Config, ConfigError
from bot.model.checks import Check

#: Seconds each request to the Bot API may take (connecting, sending, answering).
TIMEOUT = 5.0


def check_telegram(config: Config) -> dict[str, Check]:
    """The ``token``, ``webhook`` and ``admins`` checks (the last two skipped when the token
    does not work)."""
    return asyncio.run(_check_telegram(config))


def identity(config: Config) -> str:
    """The bot's username, as getMe says it; ConfigError with the token check's line if
    Telegram cannot say (for ``essaybot link``)."""

    async def ask(token: str) -> str:
        bot = bot_for(config, token)
        try:
            check = await _token(bot, config)
            if check.failed:
                raise ConfigError(check.detail)
            return str(bot.bot.username)
        finally:
            await bot.shutdown()

    if config.token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set (or give the bot's name: --username)")
    return asyncio.run(ask(config.token))


def bot_for(config: Config, token: str) -> Bot:
    """A Bot for the operator's commands: the configured Bot API, short timeouts."""

    def request() -> HTTPXRequest:
        return HTTPXRequest(
            connect_timeout=TIMEOUT, read_timeout=TIMEOUT, write_timeout=TIMEOUT, pool_timeout=1
        )

    return Bot(
        token,
        base_url=f"{config.api_url}/bot",
        base_file_url=f"{config.api_url}/file/bot",
        request=request(),
        get_updates_request=request(),
    )


async def _check_telegram(config: Config) -> dict[str, Check]:
    if config.token is None:
        token = Check.fail(
            "token", "TELEGRAM_BOT_TOKEN is not set: get one from @BotFather and put it in .env"
        )
        return _skipping(token)
    bot = bot_for(config, config.token)
    try:
        token = await _token(bot, config)
        if token.failed:
            return _skipping(token)
        return {
            "token": token,
            "inline": _inline(bot),
            "webhook": await _webhook(bot, config),
            "admins": await _admins(bot, config),
        }
    finally:
        await bot.shutdown()


def _inline(bot: Bot) -> Check:
    """Whether BotFather's inline mode is on (getMe): without it, readers cannot share."""
    if bot.bot.supports_inline_queries:
        return Check.ok("inline", "inline mode is on: readers can share the essay in any chat")
    return Check.ok(
        "inline",
        "inline mode is off: no share buttons and no @bot results (turn it on with"
        " @BotFather: /setinline)",
    )


def _skipping(token: Check) -> dict[str, Check]:
    why = "needs a working token"
    return {
        "token": token,
        "inline": Check.skip("inline", why),
        "webhook": Check.skip("webhook", why),
        "admins": Check.skip("admins", why),
    }


def _said(error: TelegramError, config: Config) -> str:
    """What Telegram (or the network) said, never with the token in it."""
    return error.message.replace(config.token or "\0", "<token>")


async def _token(bot: Bot, config: Config) -> Check:
    api = config.api_url
    try:
        await bot.initialize()  # asks getMe
    except InvalidToken:  # its message quotes the token: never shown
        return Check.fail(
            "token",
            f"Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized or 404 Not Found from {api}):"
            " check the token with @BotFather, and that TELEGRAM_API_URL is a Bot API server",
        )
    except NetworkError as error:  # TimedOut included
        return Check.fail(
            "token",
            f"cannot reach the Bot API at {api} ({_said(error, config)}): check the network"
            " and TELEGRAM_API_URL",
        )
    except TelegramError as error:
        return Check.fail("token", f"getMe failed at {api}: {_said(error, config)}")
    return Check.ok("token", f"@{bot.bot.username} (id {bot.bot.id})")


async def _webhook(bot: Bot, config: Config) -> Check:
    try:
        info = await bot.get_webhook_info()
    except TelegramError as error:
        return Check.fail("webhook", f"getWebhookInfo failed: {_said(error, config)}")
    url, wanted = _hidden(info.url, config), _hidden(config.webhook_url or "", config)
    notes = _notes(info, config)
    if not wanted:
        if url:
            return Check.fail(
                "webhook",
                f"{url} is set, but the bot runs by polling (ESSAYBOT_WEBHOOK_URL is not set):"
                f" run once in polling mode deletes it, or run with --webhook-url{notes}",
            )
        return Check.ok("webhook", f"none, as polling needs{notes}")
    if not url:
        return Check.fail(
            "webhook",
            f"none is set, but ESSAYBOT_WEBHOOK_URL is {wanted}: essaybot run"
            f" --webhook-url sets it{notes}",
        )
    if url != wanted:
        return Check.fail(
            "webhook",
            f"Telegram delivers to {url}, but ESSAYBOT_WEBHOOK_URL is {wanted}: run with"
            f" --webhook-url to set it{notes}",
        )
    return Check.ok("webhook", f"{url}{notes}")


def _hidden(url: str, config: Config) -> str:
    return url.replace(config.token or "\0", "<token>")


def _notes(info: WebhookInfo, config: Config) -> str:
    """``; 3 updates waiting; last error 2026-11-28 09:00 UTC: Connection refused``."""
    notes = []
    if info.pending_update_count:
        notes.append(f"{info.pending_update_count} update(s) waiting")
    if info.last_error_message:
        when = f" {info.last_error_date:%Y-%m-%d %H:%M} UTC" if info.last_error_date else ""
        notes.append(f"last error{when}: {_hidden(info.last_error_message, config)}")
    return "".join(f"; {note}" for note in notes)


async def _admins(bot: Bot, config: Config) -> Check:
    if not config.admin_ids:
        if config.moderation == "pre":
            return Check.fail(
                "admins",
                "none, but ESSAYBOT_MODERATION=pre holds every answer for an admin:"
                " set ESSAYBOT_ADMIN_IDS",
            )
        return Check.ok("admins", "none (ESSAYBOT_ADMIN_IDS is empty: nobody moderates)")
    problems = []
    for admin in sorted(config.admin_ids):
        try:
            await bot.send_chat_action(admin, ChatAction.TYPING)
        except (Forbidden, BadRequest) as error:
            said = _said(error, config)
            hint = "unblock the bot" if "blocked" in said else "has the admin started the bot?"
            problems.append(f"{admin} ({said}: {hint})")
        except TelegramError as error:
            problems.append(f"{admin} ({_said(error, config)})")
    if problems:
        return Check.fail("admins", f"cannot write to {'; '.join(problems)}")
    ids = ", ".join(map(str, sorted(config.admin_ids)))
    return Check.ok("admins", f"{ids}: each can be written to")
