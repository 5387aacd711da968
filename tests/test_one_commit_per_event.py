"""One transaction per reader event: everything an event changes commits once, after the whole
event was decided, or not at all; and the core's clock can be moved."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import Build
from helpers import Clock, answer, datas, say, text

from bot.core.events import Command, Press, Reader, Text
from bot.model.flow import Flow
from bot.storage.readers import ReaderStore


class Boom(Exception):
    """A failure injected between two writes of one event."""


def commits(services: object) -> list[str]:
    statements: list[str] = []
    services.store.db.connection.set_trace_callback(statements.append)  # type: ignore[attr-defined]
    return statements


def test_choosing_to_show_the_name_saves_everything_in_one_commit(
    build: Build, anna: Reader
) -> None:
    services = build()
    say(services, anna, Command("answer"))
    say(services, anna, Press("stance:integrate"))
    assert datas(say(services, anna, Text("Insieme, sempre."))) == ["show:name", "show:anonymous"]
    statements = commits(services)
    say(services, anna, Press("show:name"))
    assert statements.count("COMMIT") == 1
    assert statements.count("BEGIN IMMEDIATE") == 1
    saved = services.store.answers.of_reader(anna.user_id)
    assert saved is not None and saved.display_name == "Anna"


def test_a_failure_between_saving_the_answer_and_leaving_the_flow_leaves_nothing_half_done(
    build: Build, anna: Reader, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = build()
    say(services, anna, Command("answer"))
    say(services, anna, Press("stance:integrate"))
    say(services, anna, Text("Insieme, sempre."))
    real_set_flow = ReaderStore.set_flow

    def failing(self: ReaderStore, user_id: int, flow: Flow | None) -> None:
        assert services.store.answers.of_reader(user_id) is not None  # the first write happened
        raise Boom

    monkeypatch.setattr(ReaderStore, "set_flow", failing)
    with pytest.raises(Boom):
        services.dialogue.handle(anna, Press("show:name"))
    assert services.store.answers.of_reader(anna.user_id) is None
    assert services.store.readers.display(anna.user_id) is None
    assert services.store.readers.flow(anna.user_id) == Flow(
        "display", "integrate", "Insieme, sempre."
    )
    assert services.store.personal_data(anna.user_id)["submissions"] == []
    monkeypatch.setattr(ReaderStore, "set_flow", real_set_flow)
    assert "Grazie Anna" in text(say(services, anna, Press("show:name")))
    assert services.store.readers.flow(anna.user_id) is None


def test_the_confirmation_is_returned_only_once_the_answer_is_committed(
    build: Build, anna: Reader
) -> None:
    services = build(on_disk=True)
    confirmation = answer(services, anna, "depends", "Dipende dal budget.")
    assert "Grazie Anna" in text(confirmation)
    assert not services.store.db.connection.in_transaction
    other = sqlite3.connect(services.config.database)
    assert other.execute("SELECT comment FROM answers").fetchall() == [("Dipende dal budget.",)]
    other.close()


def test_the_ten_minute_window_of_the_rate_limit_expires(build: Build, anna: Reader) -> None:
    clock = Clock()
    services = build(clock=clock)
    for number in range(3):
        answer(services, anna, "depends", f"Risposta numero {number}.")
        clock.advance(minutes=1)
    refused = say(services, anna, Press("stance:depends"))  # told before writing
    assert "Hai già inviato 3 tra risposte e repliche" in text(refused)
    assert "tra 7 min" in text(refused)  # when the first answer, 3 minutes old, leaves it
    clock.advance(minutes=7, seconds=1)  # the first answer is now over 10 minutes old
    say(services, anna, Press("stance:depends"))
    accepted = say(services, anna, Text("La quarta, troppo presto."))
    assert "Grazie Anna" in text(accepted)
    saved = services.store.answers.of_reader(anna.user_id)
    assert saved is not None and saved.updated_at == "2026-11-28T09:10:01+00:00"


def test_forget_keeps_only_the_submissions_of_the_last_ten_minutes(
    build: Build, anna: Reader
) -> None:
    clock = Clock()
    services = build(clock=clock)
    answer(services, anna, "separate", "Prima di tutto.")
    clock.advance(minutes=11)
    answer(services, anna, "separate", "Poco fa.")
    say(services, anna, Command("forget"))
    say(services, anna, Press("forget_yes"))
    kept = services.store.personal_data(anna.user_id)["submissions"]
    assert [s["created_at"] for s in kept] == ["2026-11-28T09:11:00+00:00"]
