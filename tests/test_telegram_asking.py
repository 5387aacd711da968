"""End to end: readers' questions, topics and deep links through the fake Bot API."""

from __future__ import annotations

from fake_telegram import FakeBotAPI
from helpers import buttons, press

from bot.bootstrap import Services


async def test_a_question_is_answered_with_the_essay_sentence_and_a_working_read_button(
    fake: FakeBotAPI, bot: Services
) -> None:
    anna = fake.user(1001, "Anna", "it")
    fake.send_text(anna, "Cos'era il Millennium Bug?")
    answer = await fake.await_reply(anna["id"])
    assert answer["text"].startswith("Il Millennium Bug\n")
    assert "Ci furono anni di stradominio dell’IT" in answer["text"]
    assert {e["type"] for e in answer["entities"]} >= {"bold", "blockquote", "italic"}
    assert buttons(answer)[0] == ("📖 Leggi la parte 4", "open:p4")
    await press(fake, anna, answer["message_id"], "open:p4")
    part = fake.last_sent(anna["id"])
    assert part["message_id"] != answer["message_id"]
    assert "4/7" in part["text"]


async def test_a_greeting_an_off_topic_question_and_a_two_topic_question_are_each_handled(
    fake: FakeBotAPI, bot: Services
) -> None:
    anna = fake.user(1001, "Anna", "it")
    fake.send_text(anna, "ciao")
    assert (await fake.await_reply(anna["id"]))["text"].startswith("Ciao Anna!")
    fake.send_text(anna, "ricetta della carbonara")
    miss = await fake.await_reply(anna["id"])
    assert miss["text"].startswith("Il saggio non parla di questo")
    assert len(buttons(miss)) == 14
    fake.send_text(anna, "il cio diventa cdo?")
    both = await fake.await_reply(anna["id"])
    assert "il Chief Information Officer diventa Chief Digital Officer" in both["text"]
    await press(fake, anna, both["message_id"], "topic:cio")
    assert fake.last_sent(anna["id"])["text"].startswith("Il CIO\n")


async def test_topics_and_the_start_button_browse_the_topic_menu(
    fake: FakeBotAPI, bot: Services
) -> None:
    bob = fake.user(2002, "Bob", "en")
    fake.send_text(bob, "/start")
    welcome = await fake.await_reply(bob["id"])
    assert ("🧭 Topics", "topics") in buttons(welcome)
    await press(fake, bob, welcome["message_id"], "topics")
    menu = fake.last_sent(bob["id"])
    assert menu["text"].startswith("The essay's topics")
    assert buttons(menu)[0] == ("Separate lives", "topic:separate-worlds")
    await press(fake, bob, menu["message_id"], "topic:social-media")
    assert fake.last_sent(bob["id"])["text"].startswith("Social media and social business")


async def test_deep_links_open_a_topic_or_a_part(fake: FakeBotAPI, bot: Services) -> None:
    anna = fake.user(1001, "Anna", "it")
    fake.send_text(anna, "/start topic-cdo")
    assert (await fake.await_reply(anna["id"]))["text"].startswith("Il CDO\n")
    fake.send_text(anna, "/start part-5")
    assert "5/7" in (await fake.await_reply(anna["id"]))["text"]
    fake.send_text(anna, "/start something-else")
    assert (await fake.await_reply(anna["id"]))["text"].startswith("Ciao Anna!")


async def test_a_reader_hears_back_when_the_author_teaches_the_bot_their_question(
    fake: FakeBotAPI, bot: Services
) -> None:
    author = fake.user(42, "Autore", "it")
    anna = fake.user(1001, "Anna", "it")
    fake.send_text(anna, "quale reparto prendeva le bastonate")
    assert "non parla di questo" in (await fake.await_reply(anna["id"]))["text"]
    fake.send_text(author, "/unanswered")
    await fake.await_until(lambda: len(fake.sent(author["id"])) == 2)
    card = fake.last_sent(author["id"])
    menu_data = next(data for _, data in buttons(card) if data.startswith("teach_menu:"))
    await press(fake, author, card["message_id"], menu_data)
    menu = fake.last_sent(author["id"])
    teach = next(data for _, data in buttons(menu) if data.endswith(":separate-worlds"))
    answered = await press(fake, author, menu["message_id"], teach)
    assert answered["text"] == "✓"  # the toast acknowledges; the message says it, once
    assert "chi l'aveva chiesto: 1." in fake.message(author["id"], menu["message_id"])["text"]
    heard = await fake.await_until(
        lambda: next((t for t in fake.texts(anna["id"]) if "Qualche tempo fa" in t), None)
    )
    assert "Vite separate" in heard
    order = [
        r.method
        for r in fake.requests
        if r.method == "answerCallbackQuery"
        or (r.method == "sendMessage" and r.params.get("chat_id") == anna["id"])
    ]
    assert order[-2:] == ["answerCallbackQuery", "sendMessage"]  # the press never waits


async def test_an_idiom_the_story_s_order_and_how_to_vote_go_through_telegram_with_their_buttons(
    fake: FakeBotAPI, bot: Services
) -> None:
    anna = fake.user(1001, "Anna", "it")
    fake.send_text(anna, "che vuol dire spocchia?")
    meaning = await fake.await_reply(anna["id"])
    assert meaning["text"].startswith("«spocchia»\nChe cosa vuol dire:")
    assert "si vendicava della spocchia" in meaning["text"]
    assert {e["type"] for e in meaning["entities"]} >= {"bold", "italic", "blockquote"}
    fake.send_text(anna, "sono alla parte 4, e ora?")
    order = await fake.await_reply(anna["id"])
    assert order["text"].startswith("Dopo la parte 4 viene la parte 5")
    await press(fake, anna, order["message_id"], "open:p5")
    assert "5/7" in fake.last_sent(anna["id"])["text"]
    bob = fake.user(2002, "Bob", "en")
    fake.send_text(bob, "how do I upvote someone's answer?")
    vote = await fake.await_reply(bob["id"])
    assert "/answers" in vote["text"] and buttons(vote) == [("💬 Read other answers", "answers:0")]
    await press(fake, bob, vote["message_id"], "answers:0")
    assert fake.last_sent(bob["id"])["text"]
