"""The author's channel: /post shows the post first and publishes it after a confirmation (the
essay's opening with "read it" and "answer" links, a part, or the results: the chart, the tally
and the most agreed-upon answer of each stance as its writer chose to be shown, never a hidden
one); a post Telegram refuses gets one clear line. Over the fake Bot API too."""

from __future__ import annotations

import os

import pytest
from conftest import TOKEN, Build
from fake_telegram import FakeBotAPI
from helpers import (
    AUTHOR,
    MODEL_CACHE,
    admin_chat,
    answer,
    buttons,
    datas,
    polling,
    press,
    say,
    text,
)

from bot.cli import main
from bot.core.events import Command, Press, Reader

CHANNEL = "@saggio_mkt"


def confirm(message: dict[str, object]) -> str:
    """The ✅ of a /post preview: its callback data (a token that publishes once)."""
    return next(d for _, d in buttons(message) if d.startswith("postgo:"))  # type: ignore[arg-type]


ANNA, BEA = Reader(1001, "Anna", "it"), Reader(1002, "Bea", "it")


def test_without_a_channel_post_says_how_to_set_one(build: Build) -> None:
    services = build(admins={42})
    assert "ESSAYBOT_CHANNEL" in text(say(services, AUTHOR, Command("post")))


def test_post_offers_the_opening_the_results_and_each_part(build: Build) -> None:
    services = build(admins={42}, channel=CHANNEL)
    choose = say(services, AUTHOR, Command("post"))
    assert CHANNEL in text(choose)
    assert {"post:opening", "post:results", "post:p1", "post:p7"} <= set(datas(choose))
    assert say(services, ANNA, Command("post")).replies[0].buttons == ()  # not a reader's


def test_results_show_the_best_answer_of_each_stance_as_its_writer_chose(build: Build) -> None:
    services = build(admins={42}, channel=CHANNEL)
    answer(services, ANNA, "separate", "Separati: parlano lingue diverse.", show="anonymous")
    answer(services, BEA, "integrate", "Integrati: il cliente è uno solo.")
    hidden = Reader(1003, "Carlo", "it")
    answer(services, hidden, "depends", "Dipende, ma questa risposta è nascosta.")
    number = services.store.answers.of_reader(hidden.user_id).id  # type: ignore[union-attr]
    services.store.answers.set_status(number, "hidden")
    preview = say(services, AUTHOR, Command("post", "results"))
    chart, best, _ = preview.replies
    assert chart.document is not None and chart.document.portable
    assert "Tenerli separati" in str(chart.text)
    shown = str(best.text)
    assert "parlano lingue diverse" in shown and "Anna" not in shown  # anonymous, as chosen
    assert "il cliente è uno solo" in shown and "Bea" in shown
    assert "nascosta" not in shown
    (go,) = [d for d in datas(preview) if d.startswith("postgo:")]
    assert "postno" in datas(preview)
    published = say(services, AUTHOR, Press(go))
    assert [r.channel_failed is not None for r in published.replies] == [True, True, False]
    assert "Pubblicato su @saggio_mkt" in text(published)
    again = say(services, AUTHOR, Press(go))  # a double tap publishes nothing more
    assert again.replies == () and again.notice
    assert say(services, ANNA, Press(go)).replies == ()  # nor does a reader's forged press


async def test_the_opening_goes_on_the_channel_with_links_counted_from_the_channel(
    fake: FakeBotAPI, build: Build
) -> None:
    channel = fake.channel(CHANNEL)
    services = build(admins={42}, fake=fake, channel=CHANNEL)
    author = admin_chat(fake)
    name = fake.bot_user["username"]
    async with polling(services):
        fake.send_text(author, "/post")
        choose = await fake.await_reply(42)
        await press(fake, author, choose["message_id"], "post:opening")
        ask = await fake.await_until(
            lambda: next((m for m in fake.sent(42) if "Lo pubblico?" in m["text"]), None)
        )
        await press(fake, author, ask["message_id"], confirm(ask))
        await fake.await_until(lambda: "Pubblicato" in fake.last_sent(42)["text"])
    (post,) = fake.sent(channel["id"])
    assert "Marketing e IT" in post["text"]
    assert [url for _, url in buttons(post)] == [
        f"https://t.me/{name}?start=part-1__channel",
        f"https://t.me/{name}?start=question__channel",
    ]


async def test_the_results_go_on_the_channel_as_the_chart_and_the_best_answers(
    fake: FakeBotAPI, build: Build
) -> None:
    channel = fake.channel(CHANNEL)
    services = build(admins={42}, fake=fake, channel=CHANNEL)
    author = admin_chat(fake)
    answer(services, ANNA, "separate", "Separati: parlano lingue diverse.")
    async with polling(services):
        fake.send_text(author, "/post risultati")
        ask = await fake.await_until(
            lambda: next((m for m in fake.sent(42) if "Lo pubblico?" in m.get("text", "")), None),
            timeout=20,
        )
        await press(fake, author, ask["message_id"], confirm(ask))
        await fake.await_until(
            lambda: "Pubblicato" in fake.last_sent(42).get("text", ""), timeout=20
        )
    chart, best = fake.sent(channel["id"])
    assert "photo" in chart and "Le risposte dei lettori finora" in chart["caption"]
    assert "parlano lingue diverse" in best["text"]


async def test_a_channel_the_bot_may_not_post_in_gets_one_clear_line(
    fake: FakeBotAPI, build: Build
) -> None:
    channel = fake.channel(CHANNEL, bot_is="member")
    services = build(admins={42}, fake=fake, channel=CHANNEL)
    author = admin_chat(fake)
    async with polling(services):
        fake.send_text(author, "/post parte 2")
        ask = await fake.await_until(
            lambda: next((m for m in fake.sent(42) if "Lo pubblico?" in m["text"]), None)
        )
        await press(fake, author, ask["message_id"], confirm(ask))
        told = await fake.await_until(
            lambda: next((t for t in fake.texts(42) if "Non sono riuscito" in t), None)
        )
    assert "need administrator rights in the channel chat" in told.lower()
    assert fake.sent(channel["id"]) == []
    assert not any("Pubblicato" in t for t in fake.texts(42))
    fake.expect_rejection("sendMessage", error_code=400, contains="administrator rights")


def test_essaybot_post_shows_the_post_then_publishes_it_or_nothing(
    fake: FakeBotAPI,
    build: Build,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    channel = fake.channel(CHANNEL)
    services = build(admins={42}, fake=fake, channel=CHANNEL)
    answer(services, ANNA, "integrate", "Integrati: il cliente è uno solo.")
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "ESSAYBOT_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_URL", fake.base_url)
    monkeypatch.setenv("ESSAYBOT_DATABASE", services.config.database)
    monkeypatch.setenv("ESSAYBOT_CHANNEL", CHANNEL)
    monkeypatch.setenv("ESSAYBOT_MODEL_CACHE", str(MODEL_CACHE))
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(["post", "parte", "2"]) == 1
    shown = capsys.readouterr().out
    assert (
        "parte 2 di 7" in shown and "part-2__channel" in shown and "Nothing was posted." in shown
    )
    assert fake.sent(channel["id"]) == []
    assert main(["post", "results", "--yes"]) == 0
    assert "Posted on @saggio_mkt." in capsys.readouterr().out
    chart, best = fake.sent(channel["id"])
    assert "photo" in chart and "il cliente è uno solo" in best["text"]
    assert main(["post", "nothing"]) == 2
