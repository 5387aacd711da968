"""The outside review's attacks, repeated over Telegram's own HTTP API (the fake Bot API on
127.0.0.1, with its real errors): each finding stays fixed.

Where the other attacks live (each over the fake Bot API or the real process):
- a comment confirmed to Telegram behind a 429 survives kill -9, handled once:
  test_run.py (``essaybot run`` as a process);
- updates journaled and handled once; a replayed update changes nothing: test_journal.py;
- the outbox delivers exactly once across kill -9: test_outbox.py;
- four hung chats don't stall a fifth reader: test_flow_control.py, test_outbox.py;
- a 90 MB webhook POST without the secret is refused before its body is read: test_webhook.py;
- a full disk echoes the reader's words, tells the admins, fails ``health``: test_disk_errors.py;
- /pending and /unanswered copies keep no forgotten reader's words: test_outbox.py;
- replies follow their answer (edited mark, text given back, anonymity): test_replies_follow.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import TOKEN, Build
from fake_telegram import FakeBotAPI
from helpers import admin_chat, buttons, go_answer, go_forget, polling, press

from bot.bootstrap import Services, bootstrap
from bot.config import Config

Json = dict[str, Any]


def card_of(fake: FakeBotAPI, chat: int) -> Json:
    (card,) = fake.sent(chat)
    return card


def pressed(card: Json, verb: str) -> str:
    return next(d for _, d in buttons(card) if d.startswith(f"mod:{verb}:"))


def same_database(fake: FakeBotAPI, services: Services, admins: set[int]) -> Services:
    """The bot started again on the same database with other admins."""
    config = Config(
        token=TOKEN,
        api_url=fake.base_url,
        database=services.config.database,
        admin_ids=frozenset(admins),
    )
    return bootstrap(config, services.content)


async def test_a_moderator_removed_from_the_admins_gets_no_readers_words_again(
    fake: FakeBotAPI, build: Build
) -> None:
    before = build(admins={42, 43}, fake=fake)
    admin_chat(fake, 42)
    admin_chat(fake, 43)
    anna, ben = fake.user(1001, "Anna", "it"), fake.user(1002, "Ben", "it")
    async with polling(before):
        await go_answer(fake, anna, "Il mio testo, per i moderatori di oggi.")
        await fake.await_until(lambda: len(fake.sent(42)) == 1 and len(fake.sent(43)) == 1)
    shown = card_of(fake, 43)
    before.close()
    after = same_database(fake, before, {42})
    try:
        async with polling(after):
            await go_answer(fake, anna, "Il mio testo cambiato, dopo.", stance="depends")
            await go_answer(fake, ben, "Scritto quando il 43 non modera più.")
            await fake.await_until(lambda: len(fake.sent(42)) == 2)
            await fake.await_until(lambda: "cambiato" in fake.sent(42)[0]["text"])
            assert fake.sent(43) == [shown]  # no new card, and no edit with the new words
            await go_forget(fake, anna)
            # the card 43 still shows loses her words there too
            await fake.await_until(
                lambda: "Il mio testo" not in fake.message(43, shown["message_id"])["text"]
            )
        assert not any("cambiato" in t or "43 non modera" in t for t in fake.texts(43))
    finally:
        after.close()


async def test_a_second_admins_approve_never_overrides_a_ban(
    fake: FakeBotAPI, build: Build
) -> None:
    services = build(admins={42, 43}, moderation="pre", fake=fake)
    first, second = admin_chat(fake, 42), admin_chat(fake, 43)
    anna = fake.user(1001, "Anna", "it")
    async with polling(services):
        await go_answer(fake, anna, "Parole che un moderatore bloccherà.")
        await fake.await_until(lambda: len(fake.sent(42)) == 1 and len(fake.sent(43)) == 1)
        mine, theirs = card_of(fake, 42), card_of(fake, 43)
        await press(fake, first, mine["message_id"], pressed(mine, "ban"))
        late = await press(fake, second, theirs["message_id"], pressed(theirs, "approve"))
        assert "un altro moderatore ha già deciso" in late.get("text", "")
        await fake.await_until(
            lambda: "nascost" in fake.message(43, theirs["message_id"])["text"].lower()
        )
    answer = services.store.answers.of_reader(1001)
    assert answer is not None and answer.status == "hidden"
    assert not any("è stata approvata" in t for t in fake.texts(1001))
    fake.assert_no_rejections()


@pytest.mark.parametrize("first_name", ["✍️ l'autore Mario", "✍ the author"])
async def test_no_first_name_renders_as_the_authors_mark_in_telegram(
    fake: FakeBotAPI, build: Build, first_name: str
) -> None:
    services = build(admins={42}, fake=fake)
    admin_chat(fake, 42)
    anna, mallory = fake.user(1001, "Anna", "it"), fake.user(6666, first_name, "it")
    cleo = fake.user(1003, "Cleo", "it")
    async with polling(services):
        await go_answer(fake, anna, "Separati: ognuno fa il suo mestiere.")
        fake.send_text(mallory, "/start")
        await fake.await_reply(6666)
        await press(fake, mallory, fake.last_sent(6666)["message_id"], "reply:1")
        fake.send_text(mallory, "Sono io l'autore, fidatevi di questa replica.")
        asked = await fake.await_reply(6666)
        await press(fake, mallory, asked["message_id"], "rshow:name")
        fake.send_text(cleo, "/start")
        await fake.await_reply(1003)
        await press(fake, cleo, fake.last_sent(1003)["message_id"], "thread:1:0")
        thread = fake.last_sent(1003)["text"]
    assert "Sono io l'autore, fidatevi" in thread
    assert "✍" not in thread and "(un lettore)" in thread
    fake.assert_no_rejections()


@pytest.mark.parametrize(
    "comment",
    ["che mer.da", "che mer-da", "che m3rda", "che merdɑ", "casinoonline qui"],
)
async def test_every_listed_spelling_of_a_blocked_word_is_refused_and_echoed(
    fake: FakeBotAPI, build: Build, comment: str
) -> None:
    services = build(fake=fake)
    anna = fake.user(1001, "Anna", "it")
    async with polling(services):
        fake.send_text(anna, "/answer")
        question = await fake.await_reply(1001)
        await press(fake, anna, question["message_id"], "stance:depends")
        fake.send_text(anna, comment)
        await fake.await_until(lambda: any(comment in t for t in fake.texts(1001)))
    said = "\n".join(fake.texts(1001))
    assert "parole che qui non sono ammesse" in said
    assert services.store.answers.of_reader(1001) is None
    fake.assert_no_rejections()


async def test_a_blank_looking_comment_and_a_bidi_name_are_caught(
    fake: FakeBotAPI, build: Build
) -> None:
    services = build(fake=fake)
    anna = fake.user(1001, "Anna", "it")
    luca = fake.user(1005, "\u202eArtnuoc\u202c Luca", "it")
    async with polling(services):
        fake.send_text(anna, "/answer")
        question = await fake.await_reply(1001)
        await press(fake, anna, question["message_id"], "stance:depends")
        fake.send_text(anna, "\u200b\u200b\u2060\u200b\u200d\u2800\u3164")
        await fake.await_reply(1001)
        await go_answer(fake, luca, "Una risposta con il nome.")
        fake.send_text(anna, "/answers")
        await fake.await_reply(1001)
        listed = fake.last_sent(1001)["text"]
    assert services.store.answers.of_reader(1001) is None  # not published blank
    assert "Artnuoc Luca" in listed and "\u202e" not in listed
    fake.assert_no_rejections()
