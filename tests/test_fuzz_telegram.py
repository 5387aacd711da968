"""Fuzzing through the Telegram layer: hypothesis sends the running bot (``essaybot run``, over
the fake Bot API) texts of every shape, captions, stickers, files, group messages, edited
messages, channel posts and button presses with random data. None may crash it, leave a press
unanswered, or make it send a request Telegram would reject."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import TOKEN
from fake_telegram import FakeBotAPI
from helpers import essaybot_run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EDGES = [
    "",
    " ",
    "<b>bold</b> & <script>alert(1)</script>",
    "/start topic-../../etc",
    "/story 99999999999999999999",
    "/start@another_bot",
    "/answer@essay_test_bot",
    "e poi?",
    "🙂" * 3000,
    "x" * 4096,
    "\u200b\u2060\u00ad",
    "/IT e marketing",
]
texts = st.text(max_size=600) | st.sampled_from(EDGES)
actions = st.one_of(
    st.tuples(st.just("text"), texts),
    st.tuples(st.just("group"), texts),
    st.tuples(st.just("edit"), texts),
    st.tuples(st.just("channel"), texts),
    st.tuples(st.just("caption"), st.text(max_size=1100)),
    st.tuples(st.just("sticker"), st.just("")),
    st.tuples(st.just("document"), st.text(max_size=50)),
    st.tuples(st.just("press"), st.text(max_size=80)),
    st.tuples(st.just("button"), st.integers(0, 20).map(str)),
    st.tuples(st.just("text"), st.sampled_from(["/answer", "/answers", "/mydata", "/start"])),
)


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeBotAPI]:
    """``essaybot run`` against a fake Bot API, for the whole module."""
    folder: Path = tmp_path_factory.mktemp("fuzz")
    with FakeBotAPI(token=TOKEN, username="essay_test_bot") as fake:
        # the author has started the bot, so the cards of answers the fuzzing saves reach them
        # (to an admin who never did, Telegram answers "chat not found", as the fake does)
        fake.open_private_chat({"id": 42, "first_name": "Autore", "is_bot": False})
        with essaybot_run(fake, folder, ESSAYBOT_ADMIN_IDS="42") as process:
            fake.wait_until(lambda: fake.is_polling, timeout=30, description="polling")
            yield fake
            assert process.poll() is None, "the bot died"
        assert "Traceback" not in (folder / "bot.log").read_text()


def settle(fake: FakeBotAPI, reader: dict[str, Any], group: dict[str, Any]) -> None:
    """Wait until the bot has handled everything sent so far: it handles each chat's updates
    in order, so a reply to a later command in each chat means the earlier ones are done."""
    for chat, command, mark in (
        (reader, "/help", "/story"),
        (group, "/start@essay_test_bot", "t.me/essay_test_bot"),
    ):

        def replies(c: dict[str, Any] = chat, m: str = mark) -> int:
            return sum(m in text for text in fake.texts(c["id"]))

        before = replies()
        fake.send_text(reader, command, chat=None if chat is reader else group)
        fake.wait_until(lambda b=before: replies() > b, timeout=20)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(actions, min_size=1, max_size=6))
def test_no_update_crashes_the_bot_or_makes_it_break_telegrams_rules(
    running: FakeBotAPI, steps: list[tuple[str, str]]
) -> None:
    fake = running
    reader = fake.user(5000, "<i>Fuzz</i> & <b", "it")
    group = fake.group_chat(-100777, "Fuzzers")
    queries: list[str] = []
    for kind, value in steps:
        if kind == "text":
            fake.send_text(reader, value or "?")
        elif kind == "group":
            fake.send_text(reader, value or "?", chat=group)
        elif kind == "edit":  # the reader edits their latest message
            mine = [m for m in fake.messages(reader["id"]) if m["from"]["id"] == reader["id"]]
            mine = [m for m in mine if "text" in m]
            if mine:
                fake.edit_text(reader, mine[-1]["message_id"], value or "?")
        elif kind == "channel":
            fake.channel_post(value or "?")
        elif kind == "caption":
            fake.send_photo(reader, caption=value or None)
        elif kind == "sticker":
            fake.send_sticker(reader)
        elif kind == "document":
            fake.send_document(reader, caption=value or None)
        elif kind == "button":  # one of the buttons the bot really shows
            for message in reversed(fake.sent(reader["id"])):
                rows = message.get("reply_markup", {}).get("inline_keyboard", [])
                data = [b["callback_data"] for row in rows for b in row if "callback_data" in b]
                if data:
                    pressed = data[int(value) % len(data)]
                    queries.append(fake.press_button(reader, message["message_id"], pressed))
                    break
        else:
            sent = fake.sent(reader["id"])
            if sent:
                queries.append(fake.press_button(reader, sent[-1]["message_id"], value or "x"))
    settle(fake, reader, group)
    fake.wait_until(  # within Telegram's 15 seconds, with room to spare
        lambda: all(query in fake.callback_answers for query in queries),
        timeout=10,
        description="every press answered",
    )
    fake.assert_no_rejections()
