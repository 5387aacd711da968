"""End to end: answering, reading others, moderation and the reader's data, over the fake API."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from fake_telegram import FakeBotAPI
from helpers import buttons, go_answer, press

from bot.bootstrap import Services


async def test_the_story_leads_to_answering_and_the_answer_is_confirmed_and_discussed(
    fake: FakeBotAPI, bot: Services
) -> None:
    fake.user(42, "Autore", "it")
    fake.open_private_chat({"id": 42, "first_name": "Autore", "is_bot": False})
    ben = fake.user(2002, "Ben", "it")
    await go_answer(fake, ben, stance="separate", comment="Separati: ognuno il suo mestiere.")
    anna = fake.user(1001, "Anna", "it")
    fake.send_text(anna, "/story 7")
    last = await fake.await_reply(anna["id"])
    assert ("💬 Rispondi alla domanda", "answer") in buttons(last)
    await press(fake, anna, last["message_id"], "answer")
    question = fake.last_sent(anna["id"])
    assert [d for _, d in buttons(question)] == [
        "stance:separate",
        "stance:integrate",
        "stance:depends",
    ]
    await press(fake, anna, question["message_id"], "stance:integrate")
    fake.send_text(anna, "<script>alert(1)</script> & <b> trasformazione digitale")
    display = await fake.await_reply(anna["id"])
    await press(fake, anna, display["message_id"], "show:name")
    confirmation, question = fake.sent(anna["id"])[-2:]
    assert confirmation["text"].startswith("Grazie Anna! La tua risposta è stata salvata")
    assert "Integrarli: 1 (50%)" in confirmation["text"]
    assert "Separati: ognuno il suo mestiere." in confirmation["text"]
    await press(fake, anna, confirmation["message_id"], "vote:1:up:d")  # only its buttons change
    voted = fake.message(anna["id"], confirmation["message_id"])
    assert voted["text"] == confirmation["text"] and "✅ 👍 1 · n. 1" in str(buttons(voted))
    await press(fake, anna, question["message_id"], "notify:on")  # edits only the question
    assert fake.message(anna["id"], confirmation["message_id"])["text"] == confirmation["text"]
    assert "ti avviso" in fake.message(anna["id"], question["message_id"])["text"]
    await press(fake, anna, confirmation["message_id"], "answers:0")
    listing = fake.last_sent(anna["id"])
    assert "<script>alert(1)</script> & <b> trasformazione digitale" in listing["text"]
    cards = [m for m in fake.sent(42) if "Nuova risposta" in m["text"]]
    assert len(cards) == 2


async def test_too_short_and_duplicate_comments_are_refused_with_the_text_echoed(
    fake: FakeBotAPI, bot: Services
) -> None:
    anna = fake.user(1001, "Anna", "it")
    fake.send_text(anna, "/answer")
    question = await fake.await_reply(anna["id"])
    await press(fake, anna, question["message_id"], "stance:depends")
    fake.send_text(anna, "no")
    refused = await fake.await_until(
        lambda: next((m for m in fake.sent(anna["id"]) if "troppo corto" in m["text"]), None)
    )
    assert [d for _, d in buttons(refused)] == ["skip", "cancel"]  # one message, its buttons
    fake.send_text(anna, "x" * 2500)
    await fake.await_until(lambda: fake.last_sent(anna["id"])["text"].endswith("x" * 100))
    assert "troppo lungo" in fake.texts(anna["id"])[-2]


async def test_an_admin_approves_held_answers_and_a_forged_press_changes_nothing(
    fake: FakeBotAPI, moderated_bot: Services
) -> None:
    fake.open_private_chat({"id": 42, "first_name": "Autore", "is_bot": False})
    author = fake.user(42, "Autore", "it")
    anna = fake.user(1001, "Anna", "it")
    confirmation = await go_answer(fake, anna, stance="depends", comment="Dipende dall'azienda.")
    assert "quando l'autore l'avrà approvata" in confirmation["text"]
    card = await fake.await_until(
        lambda: next((m for m in fake.sent(42) if "Nuova risposta" in m["text"]), None)
    )
    eve = fake.user(3003, "Eve", "it")
    fake.send_text(eve, "/answers")
    assert "Ancora nessuna risposta" in (await fake.await_reply(eve["id"]))["text"]
    approve = next(data for _, data in buttons(card) if data.startswith("mod:approve:"))
    forged = fake.press_button(eve, card["message_id"], approve, chat_id=42)
    await fake.await_until(lambda: forged in fake.callback_answers)
    assert "non è per te" in fake.callback_answers[forged]["text"]
    fake.send_text(eve, "/answers")
    assert "Ancora nessuna risposta" in (await fake.await_reply(eve["id"]))["text"]
    answered = await press(fake, author, card["message_id"], approve)
    assert "pubblicata" in answered["text"]
    assert "pubblicata" in fake.message(42, card["message_id"])["text"]
    fake.send_text(eve, "/answers")
    assert "Dipende dall'azienda." in (await fake.await_reply(eve["id"]))["text"]


async def test_export_mydata_and_forget_over_telegram(
    fake: FakeBotAPI, moderated_bot: Services
) -> None:
    fake.open_private_chat({"id": 42, "first_name": "Autore", "is_bot": False})
    author = fake.user(42, "Autore", "it")
    anna = fake.user(1001, "Anna", "it")
    await go_answer(fake, anna, stance="separate", comment="Da esportare, con l'accento: è.")
    fake.send_text(author, "/export")
    export = await fake.await_request("sendDocument", lambda r: r.ok)
    stored = fake.file(export.result["document"]["file_id"])
    rows = list(csv.DictReader(io.StringIO(stored.content.decode("utf-8-sig"))))
    assert rows[0]["text"] == "Da esportare, con l'accento: è."
    assert rows[0]["status"] == "pending"
    second = await fake.await_request(
        "sendDocument",
        lambda r: r.ok and r.result["document"]["file_name"].endswith("replies.csv"),
    )
    assert "answer_id" in fake.file(second.result["document"]["file_id"]).content.decode()
    fake.send_text(anna, "/mydata")
    mine = await fake.await_request(
        "sendDocument", lambda r: r.ok and r.params.get("chat_id") in (1001, "1001")
    )
    data = json.loads(fake.file(mine.result["document"]["file_id"]).content)
    assert data["answer"]["comment"] == "Da esportare, con l'accento: è."
    fake.send_text(anna, "/forget")
    confirm = await fake.await_reply(anna["id"])
    await press(fake, anna, confirm["message_id"], "forget_yes")
    assert "non ricordo più nulla" in fake.last_sent(anna["id"])["text"]
    assert moderated_bot.store.answers.all() == []


async def test_a_server_error_on_the_confirmation_loses_neither_it_nor_the_admin_card(
    fake: FakeBotAPI, bot: Services
) -> None:
    fake.user(42, "Autore", "it")
    fake.open_private_chat({"id": 42, "first_name": "Autore", "is_bot": False})
    ben = fake.user(2002, "Ben", "it")
    fake.send_text(ben, "/answer")
    question = await fake.await_reply(ben["id"])
    await press(fake, ben, question["message_id"], "stance:separate")
    fake.send_text(ben, "Separati, e lo ribadisco.")
    display = await fake.await_reply(ben["id"])
    fake.fail_next("sendMessage", "Internal Server Error", error_code=500)
    await press(fake, ben, display["message_id"], "show:name")
    await fake.await_until(lambda: any("Grazie Ben" in t for t in fake.texts(ben["id"])))
    await fake.await_until(lambda: any("Separati, e lo ribadisco." in t for t in fake.texts(42)))
    fake.expect_rejection("sendMessage", error_code=500)


async def test_a_written_answer_is_synced_to_the_disk_off_the_event_loop_before_the_thanks(
    fake: FakeBotAPI, bot: Services, monkeypatch: Any
) -> None:
    import os
    import threading

    real = os.fsync
    syncs: list[tuple[bool, int]] = []  # (on the loop's thread?, messages Anna had by then)

    def fsync(fd: int) -> None:
        syncs.append((threading.current_thread() is threading.main_thread(), len(fake.sent(7))))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    anna = fake.user(7, "Anna", "it")
    fake.send_text(anna, "/answer")
    question = await fake.await_reply(anna["id"])
    await press(fake, anna, question["message_id"], "stance:depends")
    before = len(fake.sent(7))
    fake.send_text(anna, "Un commento che deve stare sul disco prima del grazie.")
    await fake.await_reply(anna["id"])
    assert syncs and syncs[0] == (False, before)  # on another thread, before the reply went
    assert len(fake.sent(7)) == before + 1


async def test_help_in_the_middle_of_an_answer_waits_and_one_tap_picks_it_up(
    fake: FakeBotAPI, bot: Services
) -> None:
    fake.open_private_chat(fake.user(42, "Autore", "it"))  # the author's cards can arrive
    anna = fake.user(1001, "Anna", "it")
    fake.send_text(anna, "/answer")
    question = await fake.await_reply(anna["id"])
    await press(fake, anna, question["message_id"], "stance:integrate")
    fake.send_text(anna, "/help")
    paused = await fake.await_until(
        lambda: next((m for m in fake.sent(1001) if "è a metà" in m["text"]), None)
    )
    assert [d for _, d in buttons(paused)] == ["resume", "cancel"]
    await press(fake, anna, paused["message_id"], "resume")
    assert "Hai scelto: Integrarli" in fake.last_sent(1001)["text"]
    fake.send_text(anna, "salta")  # the button's word, typed
    display = await fake.await_reply(1001)
    await press(fake, anna, display["message_id"], "show:name")
    saved = bot.store.answers.of_reader(1001)
    assert saved is not None and (saved.stance, saved.comment) == ("integrate", None)
