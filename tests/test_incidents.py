"""Errors reach the author: a failure while handling an update is logged with a summary and sent
to the admins through the outbox, at most once a minute per distinct error, never with the
token or a reader's text."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import TOKEN, Build
from fake_telegram import FakeBotAPI
from helpers import Clock, polling, posted
from telegram import Update

from bot.adapters.incidents import describe, incident_of
from bot.bootstrap import Services
from bot.content.markup import markup_problems, to_plain
from bot.core.incidents import Incident
from bot.core.turn import Turn

SECRET_TEXT = "la mia domanda segretissima sul CDO"


def broken(text: str) -> None:
    """Stands in for the core's question answering, failing with the worst possible message."""
    raise ValueError(f"could not read {text!r} with token {TOKEN}")


def failing_ask(turn: Turn, text: str) -> Any:
    broken(text)


def test_the_same_error_is_told_once_a_minute_then_with_how_often_it_happened(
    build: Build,
) -> None:
    clock = Clock()
    services = build(admins={42, 43}, clock=clock)
    incident = Incident("ValueError", "bot/core/asking.py:10", "boom", "a text of 9 characters")
    first = services.dialogue.report_error(incident)
    assert first.posted == 2 and [r.chat_id for r in posted(services)] == [42, 43]
    clock.advance(seconds=30)
    assert services.dialogue.report_error(incident).posted == 0
    assert services.dialogue.report_error(incident).posted == 0
    other = Incident("KeyError", "bot/core/reading.py:5", "'p9'", "the command /story")
    assert services.dialogue.report_error(other).posted == 2  # another error: told at once
    clock.advance(seconds=31)
    services.dialogue.report_error(incident)
    again = [to_plain(r.text) for r in posted(services) if "ValueError" in r.text]
    assert len(again) == 2 and all("Ripetizioni dall'avviso precedente: 2." in t for t in again)


def test_a_report_is_valid_html_in_the_admins_language_whatever_the_error_says(
    build: Build,
) -> None:
    services = build(admins={42})
    services.store.readers.touch(42, "Author", "en")
    incident = Incident("ValueError", "bot/x.py:1", "<script> & </b>", "a text of 3 characters")
    services.dialogue.report_error(incident)
    (report,) = posted(services)
    assert markup_problems(report.text) == []
    assert "Error in the bot" in report.text and "&lt;script&gt; &amp; &lt;/b&gt;" in report.text


def test_an_incident_carries_neither_the_token_nor_the_readers_text() -> None:
    update = Update.de_json(
        {
            "update_id": 1,
            "message": {
                "message_id": 5,
                "date": 0,
                "chat": {"id": 1001, "type": "private"},
                "from": {"id": 1001, "is_bot": False, "first_name": "Anna"},
                "text": SECRET_TEXT,
            },
        },
        None,
    )
    try:
        broken(SECRET_TEXT)
    except ValueError as error:
        hidden = incident_of(update, error, TOKEN)
    assert hidden.detail.startswith("(message not shown")  # any error may quote a reader...
    assert hidden.where == "?" and hidden.kind == "ValueError"  # (raised outside bot/)
    assert hidden.update == f"a text of {len(SECRET_TEXT)} characters in chat 1001"
    machinery = OSError(f"disk full while writing {SECRET_TEXT!s} with {TOKEN}")
    incident = incident_of(update, machinery, TOKEN)  # ...the machinery's are shown, cleaned
    assert TOKEN not in incident.detail and "<token>" in incident.detail
    assert SECRET_TEXT not in incident.detail and "<the reader's text>" in incident.detail


@pytest.mark.parametrize(
    ("payload", "summary"),
    [
        ({"callback_query": {"id": "9", "data": "vote:1:up:t.0", "chat_instance": "x"}}, "press"),
        ({"message": {"text": "/story 3", "entities": []}}, "the command /story"),
        ({"message": {"sticker": None}}, "without text"),
    ],
)
def test_an_update_is_summarised_without_what_was_written(
    payload: dict[str, Any], summary: str
) -> None:
    user = {"id": 1001, "is_bot": False, "first_name": "Anna"}
    chat = {"id": 1001, "type": "private"}
    message = {"message_id": 5, "date": 0, "chat": chat, "from": user}
    if "message" in payload:
        payload = {"message": {**message, **{k: v for k, v in payload["message"].items() if v}}}
    else:
        payload = {"callback_query": {**payload["callback_query"], "from": user}}
    update = Update.de_json({"update_id": 1, **payload}, None)
    assert summary in describe(update)


async def test_a_failure_over_telegram_reaches_the_admin_once_and_the_reader_hears_sorry(
    fake: FakeBotAPI, build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    services: Services = build(admins={42}, fake=fake)
    fake.open_private_chat({"id": 42, "first_name": "Autore", "is_bot": False})
    anna, ben = fake.user(1001, "Anna", "it"), fake.user(2002, "Ben", "it")
    monkeypatch.setattr(services.dialogue.asking, "ask", failing_ask)
    async with polling(services):
        fake.send_text(anna, SECRET_TEXT)
        assert "qualcosa è andato storto" in (await fake.await_reply(anna["id"]))["text"]
        report = await fake.await_until(
            lambda: next((m for m in fake.sent(42) if "Errore nel bot" in m["text"]), None)
        )
        fake.send_text(ben, "un'altra domanda che fallisce")
        assert "qualcosa è andato storto" in (await fake.await_reply(ben["id"]))["text"]
        await fake.await_delivered()
    assert "ValueError" in report["text"] and "bot/core/dialogue.py:" in report["text"]
    assert TOKEN not in report["text"] and SECRET_TEXT not in report["text"]
    assert f"a text of {len(SECRET_TEXT)} characters in chat 1001" in report["text"]
    assert len([m for m in fake.sent(42) if "Errore nel bot" in m["text"]]) == 1
