"""End to end: the real Telegram layer, over real HTTP, against the fake Bot API."""

from __future__ import annotations

from fake_telegram import FakeBotAPI
from helpers import buttons, press

from bot.bootstrap import Services


async def test_start_welcomes_the_reader_with_a_button_to_read(
    fake: FakeBotAPI, bot: Services
) -> None:
    anna = fake.user(1001, "Anna", "it")
    fake.send_text(anna, "/start")
    welcome = await fake.await_reply(anna["id"])
    assert welcome["text"].startswith("Ciao Anna!")
    assert buttons(welcome) == [
        ("📖 Leggi il saggio", "read"),
        ("🧭 Gli argomenti", "topics"),
        ("💬 Rispondi alla domanda", "answer"),
    ]
    assert any(e["type"] == "bold" for e in welcome["entities"])


async def test_the_story_pages_in_place_with_arrows_and_a_progress_mark(
    fake: FakeBotAPI, bot: Services
) -> None:
    anna = fake.user(1001, "Anna", "it")
    fake.send_text(anna, "/story")
    first = await fake.await_reply(anna["id"])
    assert "1/7" in first["text"]
    assert first["text"].startswith("Prima di leggere")
    assert buttons(first) == [
        ("Tenerli separati", "before:separate:p1"),
        ("Integrarli", "before:integrate:p1"),
        ("Dipende", "before:depends:p1"),
        ("Salta", "before:skip:p1"),
        ("▶", "part:p2"),
    ]
    await press(fake, anna, first["message_id"], "part:p2")
    second = fake.message(anna["id"], first["message_id"])
    assert "2/7" in second["text"]
    assert buttons(second) == [("◀", "part:p1"), ("▶", "part:p3")]
    assert len(fake.sent(anna["id"])) == 1
    for number in range(3, 8):
        await press(fake, anna, first["message_id"], f"part:p{number}")
    last = fake.message(anna["id"], first["message_id"])
    assert "7/7" in last["text"]
    assert last["text"].endswith("«Marketing e IT: ha ancora senso che siano separati?»")
    assert [text for text, _ in buttons(last)] == [
        "◀",
        "💬 Rispondi alla domanda",
        "⏮ Dall'inizio",
    ]


async def test_story_n_opens_that_part_and_out_of_range_is_explained(
    fake: FakeBotAPI, bot: Services
) -> None:
    anna = fake.user(1001, "Anna", "it")
    fake.send_text(anna, "/story 3")
    assert "3/7" in (await fake.await_reply(anna["id"]))["text"]
    fake.send_text(anna, "/story 12")
    assert "la parte 12 non c'è" in (await fake.await_reply(anna["id"]))["text"]
    fake.send_text(anna, "/story@essay_test_bot")
    assert "3/7" in (await fake.await_reply(anna["id"]))["text"]


async def test_pressing_the_same_button_twice_never_sends_an_identical_edit(
    fake: FakeBotAPI, bot: Services
) -> None:
    anna = fake.user(1001, "Anna", "it")
    fake.send_text(anna, "/story")
    first = await fake.await_reply(anna["id"])
    ids = [fake.press_button(anna, first["message_id"], "part:p2") for _ in range(3)]
    await fake.await_until(lambda: all(i in fake.callback_answers for i in ids))
    assert len(fake.calls("editMessageText")) == 1
    assert "2/7" in fake.message(anna["id"], first["message_id"])["text"]


async def test_a_button_on_an_old_message_still_works_and_a_forged_one_expires_politely(
    fake: FakeBotAPI, bot: Services
) -> None:
    anna = fake.user(1001, "Anna", "it")
    fake.send_text(anna, "/story 2")
    old = await fake.await_reply(anna["id"])
    fake.send_text(anna, "/story 5")
    await fake.await_reply(anna["id"])
    await press(fake, anna, old["message_id"], "part:p1")
    assert "1/7" in fake.message(anna["id"], old["message_id"])["text"]
    for forged in ("part:p99", "delete:everything", "x" * 64):
        answer = await press(fake, anna, old["message_id"], forged)
        assert "scaduto" in answer["text"]
    assert "1/7" in fake.message(anna["id"], old["message_id"])["text"]


async def test_stickers_photos_and_voice_notes_get_a_short_hint(
    fake: FakeBotAPI, bot: Services
) -> None:
    anna = fake.user(1001, "Anna", "it")
    for send in (fake.send_sticker, fake.send_photo, fake.send_voice):
        send(anna)
        hint = await fake.await_reply(anna["id"])
        assert "solo messaggi di testo" in hint["text"]


async def test_html_in_what_a_reader_writes_never_breaks_a_message(
    fake: FakeBotAPI, bot: Services
) -> None:
    anna = fake.user(1001, "Anna", "it")
    for text in ("<script>alert(1)</script> & <b>", "/story <b>", "/x<i>", "🙂" * 2048):
        fake.send_text(anna, text)
        await fake.await_reply(anna["id"])
    assert len(fake.sent(anna["id"])) == 4


async def test_english_readers_get_english_and_the_menu_is_registered_in_both_languages(
    fake: FakeBotAPI, bot: Services
) -> None:
    bob = fake.user(2002, "Bob", "en")
    fake.send_text(bob, "/help")
    assert "/story" in (await fake.await_reply(bob["id"]))["text"]
    assert [c["command"] for c in fake.commands()] == [
        "story",
        "topics",
        "answer",
        "answers",
        "notify",
        "help",
        "mydata",
        "lang",
        "forget",
        "cancel",
        "start",
        "privacy",
    ]
    assert fake.commands("en")[0]["description"] == "Read the essay, one part at a time"
    assert fake.commands()[0]["description"] == "Read the essay, one part at a time"  # others
    assert fake.commands("it")[0]["description"] == "Leggi il saggio, una parte alla volta"


async def test_the_bot_introduces_itself_before_start_in_each_language(
    fake: FakeBotAPI, bot: Services
) -> None:
    assert "una parte alla volta" in fake.description("it")
    assert "one part at a time" in fake.description("en") == fake.description()
    assert 0 < len(fake.description("it", short=True)) <= 120
    assert "Marketing and IT" in fake.description("en", short=True)


async def test_an_admin_who_opens_the_bot_after_it_started_gets_the_admin_menu_in_their_language(
    fake: FakeBotAPI, bot: Services
) -> None:
    assert fake.commands(scope="chat:42") == []  # never wrote: Telegram would refuse the chat
    author = fake.user(42, "Autore", "it")
    fake.send_text(author, "/help")
    helped = await fake.await_reply(42)
    assert "/pending" in helped["text"] and "/unanswered" in helped["text"]  # /help lists them
    assert "/lang" in helped["text"] and "/notify" in helped["text"]
    await fake.await_until(lambda: fake.commands(scope="chat:42"))
    menu = fake.commands(scope="chat:42")
    assert "pending" in [c["command"] for c in menu]
    assert "Autore: risposte in attesa di approvazione" in [c["description"] for c in menu]
    fake.send_text(author, "/lang en")
    await fake.await_reply(42)
    await fake.await_until(
        lambda: (
            "Author: answers awaiting approval"
            in [c["description"] for c in fake.commands(scope="chat:42")]
        )
    )


async def test_a_reader_gets_no_admin_commands_in_help(fake: FakeBotAPI, bot: Services) -> None:
    anna = fake.user(1001, "Anna", "it")
    fake.send_text(anna, "/help")
    helped = (await fake.await_reply(1001))["text"]
    assert "/privacy" in helped and "/pending" not in helped and "/unban" not in helped


async def test_in_a_group_the_bot_answers_only_start_with_a_private_link(
    fake: FakeBotAPI, bot: Services
) -> None:
    anna = fake.user(1001, "Anna", "it")
    group = fake.group_chat(-100123, "Lettori")
    fake.send_text(anna, "/story", chat=group)
    fake.send_text(anna, "ciao a tutti", chat=group)
    fake.send_text(anna, "/start@another_bot", chat=group)
    fake.send_text(anna, "/start@essay_test_bot", chat=group)
    reply = await fake.await_reply(group["id"])
    assert "https://t.me/essay_test_bot" in reply["text"]
    assert buttons(reply) == [("@essay_test_bot", "https://t.me/essay_test_bot")]
    query = fake.press_button(anna, reply["message_id"], "read", chat_id=group["id"])
    await fake.await_until(lambda: query in fake.callback_answers, description="an answer")
    assert "pulsante è scaduto" in fake.callback_answers[query].get("text", "")
    await fake.await_delivered()
    assert len(fake.sent(group["id"])) == 1
    assert services_saw_nobody(bot)


def services_saw_nobody(services: Services) -> bool:
    """Nothing said in a group reaches the core: no reader was recorded."""
    return services.store.readers.get(1001) is None


async def test_a_reader_who_blocked_the_bot_does_not_stop_it_serving_others(
    fake: FakeBotAPI, bot: Services
) -> None:
    anna, bob = fake.user(1001, "Anna", "it"), fake.user(2002, "Bob", "en")
    fake.send_text(anna, "/start")
    await fake.await_reply(anna["id"])
    fake.block(anna["id"])
    fake.send_text(anna, "/story")
    await fake.await_request(
        "sendMessage", lambda r: r.params.get("chat_id") == anna["id"] and not r.ok, since=0
    )
    fake.send_text(bob, "/story")
    assert "1/7" in (await fake.await_reply(bob["id"]))["text"]
    fake.expect_rejection("sendMessage", error_code=403, contains="blocked")


async def test_flood_limits_are_waited_out_and_no_reply_is_lost(
    fake: FakeBotAPI, bot: Services
) -> None:
    anna = fake.user(1001, "Anna", "it")
    fake.set_flood_limits(per_chat_per_second=2.0, global_per_second=30.0, burst=1.0)
    for number in (1, 2, 3):
        fake.send_text(anna, f"/story {number}")
    await fake.await_until(lambda: len(fake.sent(anna["id"])) == 3, timeout=15)
    assert [t.split("\n")[-1] for t in fake.texts(anna["id"])] == ["1/7", "2/7", "3/7"]
    floods = fake.clear_rejected()
    assert floods, "three sends in a row to one chat must have met the flood limit"
    assert all(r.error_code == 429 and "retry after" in r.description for r in floods)


async def test_a_flooded_chat_does_not_stall_another_reader(
    fake: FakeBotAPI, bot: Services
) -> None:
    import time

    anna, bob = fake.user(1001, "Anna", "it"), fake.user(2002, "Bob", "en")
    fake.fail_next(
        "sendMessage", "Too Many Requests: retry after 4", error_code=429, retry_after=4
    )
    fake.send_text(anna, "/story")
    await fake.await_request("sendMessage", lambda r: not r.ok, since=0)  # Anna's 429
    started = time.monotonic()
    fake.send_text(bob, "/start")
    await fake.await_reply(bob["id"], timeout=5)
    assert time.monotonic() - started < 1.5  # not the 4 s Telegram asked of Anna's chat
    assert "1/7" in (await fake.await_reply(anna["id"], timeout=10))["text"]  # after her pause
    fake.expect_rejection("sendMessage", error_code=429)


async def test_an_ex_admin_loses_the_admin_menu_at_the_next_start(
    fake: FakeBotAPI, content: object, tmp_path: object
) -> None:
    from pathlib import Path

    from conftest import TOKEN
    from helpers import polling

    from bot.bootstrap import bootstrap
    from bot.config import Config

    database = str(Path(str(tmp_path)) / "menus.sqlite3")
    author = fake.user(42, "Autore", "it")
    for admins, expected in ((frozenset({42}), True), (frozenset(), False)):
        config = Config(token=TOKEN, api_url=fake.base_url, database=database, admin_ids=admins)
        services = bootstrap(config, content)  # type: ignore[arg-type]
        async with polling(services):
            if admins:  # the admin writes: the admins' menu comes
                fake.send_text(author, "/start")
                await fake.await_reply(42)
                await fake.await_until(lambda: fake.commands("", "chat:42"))
        services.close()
        admin_menu = [c["command"] for c in fake.commands("", "chat:42")]
        assert ("pending" in admin_menu) is expected, admin_menu
