"""The fake Bot API's webhook: after setWebhook, Telegram POSTs each update to the bot's URL,
one at a time and in order, with the secret in ``X-Telegram-Bot-Api-Secret-Token``, and drops
it once the bot answers 200 (until then it tries again). Also a way for a test to send a
request of its own, as an attacker who knows the URL would."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import aiohttp

Json = dict[str, Any]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RETRY = 0.2  # seconds before Telegram tries an update again


async def deliver(
    url: Callable[[], str | None],
    secret: Callable[[], str | None],
    next_update: Callable[[], Json | None],
    delivered: Callable[[int, int], None],
    stopping: Callable[[], bool],
) -> None:
    """Post updates while a webhook is set: ``next_update`` gives the oldest one waiting,
    ``delivered(update_id, status)`` is told every answer (200 drops the update)."""
    async with aiohttp.ClientSession() as session:
        while not stopping() and (target := url()) is not None:
            update = next_update()
            if update is None:
                await asyncio.sleep(0.01)
                continue
            headers = {"Content-Type": "application/json"}
            if (token := secret()) is not None:
                headers[SECRET_HEADER] = token
            try:
                async with session.post(
                    target,
                    data=json.dumps(update),
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(10),
                ) as response:
                    status = response.status
            except (aiohttp.ClientError, TimeoutError):
                status = 0  # unreachable: like Telegram, try again a little later
            delivered(update["update_id"], status)
            if status != 200:
                await asyncio.sleep(RETRY)


def post(url: str, update: Json, secret: str | None = None) -> int:
    """One request to the bot's webhook from outside Telegram: its HTTP status."""

    async def send() -> int:
        headers = {} if secret is None else {SECRET_HEADER: secret}
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, json=update, headers=headers) as response,
        ):
            return response.status

    return asyncio.run(send())
