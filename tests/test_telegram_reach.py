"""Reach over the fake Bot API, as a new user would try it: ``@bot cdo`` in another chat offers
the CDO card with a button that opens the bot on that topic; a reader shares their answer with
a friend, the friend opens it and answers, and /stats counts one reader from a share. Without
BotFather's inline mode, no share button is sent."""

from __future__ import annotations

from typing import Any

from conftest import Build
from fake_telegram import FakeBotAPI
from helpers import admin_chat, go_answer, polling

Json = dict[str, Any]


def shares(message: Json) -> list[str]:
    """The queries of a message's share buttons."""
    markup = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [
        b["switch_inline_query_chosen_chat"]["query"]
        for row in markup
        for b in row
        if "switch_inline_query_chosen_chat" in b
    ]


def urls(result: Json) -> list[str]:
    markup = result.get("reply_markup") or {}
    return [b["url"] for row in markup.get("inline_keyboard", []) for b in row if "url" in b]


async def test_at_bot_cdo_offers_the_cdo_card_with_a_button_into_the_bot(
    fake: FakeBotAPI, build: Build
) -> None:
    fake.enable_inline_mode()
    services = build(fake=fake)
    anna = fake.user(1001, "Anna", "it")
    name = fake.bot_user["username"]
    async with polling(services):
        query = fake.send_inline_query(anna, "cdo")
        offered = await fake.await_until(lambda: fake.inline_answer(query), timeout=10)
    first = offered["results"][0]
    assert first["id"] == "topic-cdo" and "CDO" in first["title"]
    assert "CDO" in first["text"]
    # Anna never started the bot: no share code yet, the link counts a share from nobody
    assert urls(first) == [f"https://t.me/{name}?start=topic-cdo__share"]
    assert offered["is_personal"] is True and offered["cache_time"] > 0


async def test_a_friend_opens_a_shared_answer_answers_and_is_counted_from_a_share(
    fake: FakeBotAPI, build: Build
) -> None:
    fake.enable_inline_mode()
    services = build(admins={42}, fake=fake)
    author = admin_chat(fake)
    anna = fake.user(1001, "Anna", "it")
    friend = fake.user(2002, "Bruno", "it")
    async with polling(services):
        await go_answer(fake, anna, "Separati: parlano due lingue diverse.", "separate")
        confirmed = [m for m in fake.sent(1001) if shares(m)]
        assert confirmed and shares(confirmed[-1]) == ["la mia risposta"]
        query = fake.send_inline_query(anna, "la mia risposta")
        offered = await fake.await_until(lambda: fake.inline_answer(query), timeout=10)
        mine = offered["results"][0]
        assert "parlano due lingue diverse" in mine["text"]
        (link,) = urls(mine)
        payload = link.split("?start=")[1]
        sharer = services.store.readers.share_code(1001)
        assert payload.startswith("answer-") and payload.endswith(f"__share-{sharer}")
        fake.send_text(friend, f"/start {payload}")  # the friend taps the button
        opened = await fake.await_reply(2002)
        assert "parlano due lingue diverse" in opened["text"]
        await go_answer(fake, friend, "Io li unirei: il cliente è uno solo.", "integrate")
        fake.send_text(author, "/stats")
        report = await fake.await_until(
            lambda: next((t for t in fake.texts(42) if "Da dove sono arrivati" in t), None),
            timeout=10,
        )
    assert "condivisioni: 1 · 0 · 1" in report
    assert "Portati da chi ha condiviso: 1, dalle condivisioni di 1 lettori" in report


async def test_without_inline_mode_no_share_button_is_sent(fake: FakeBotAPI, build: Build) -> None:
    services = build(fake=fake)
    anna = fake.user(1001, "Anna", "it")
    async with polling(services):
        fake.send_text(anna, "/story 3")
        part = await fake.await_reply(1001)
    assert "3/7" in part["text"] and shares(part) == []
