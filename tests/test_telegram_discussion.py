"""End to end over the fake Bot API, with several readers: agreeing across sides, replies from
the author and from readers, notifications, minds changed, the chart, and the reader's data."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from fake_telegram import FakeBotAPI
from helpers import buttons, go_answer, press, settled

from bot.bootstrap import Services

AUTHOR_ID = 42


def author_chat(fake: FakeBotAPI) -> dict[str, Any]:
    fake.open_private_chat({"id": AUTHOR_ID, "first_name": "Autore", "is_bot": False})
    return fake.user(AUTHOR_ID, "Autore", "it")


async def vote(fake: FakeBotAPI, user: dict[str, Any], answer_id: int, way: str) -> dict:
    """/answers, open answer ``answer_id``, then agree ("up") or disagree ("down") with it:
    returns the opened answer's message as the press left it."""
    fake.send_text(user, "/answers")
    listing = await fake.await_reply(user["id"])
    await press(fake, user, listing["message_id"], f"thread:{answer_id}:0")
    opened = fake.last_sent(user["id"])
    data = next(d for _, d in buttons(opened) if d.startswith(f"vote:{answer_id}:{way}:"))
    await press(fake, user, opened["message_id"], data)
    return fake.message(user["id"], opened["message_id"])


def news(fake: FakeBotAPI, user_id: int, words: str) -> list[str]:
    """The notification messages (digests) sent to ``user_id`` that mention ``words``."""
    return [t for t in fake.texts(user_id) if "Novità per te" in t and words in t]


async def test_readers_agree_across_sides_the_author_replies_and_the_writer_hears_once(
    fake: FakeBotAPI, bot: Services
) -> None:
    author = author_chat(fake)
    anna, ben = fake.user(1001, "Anna", "it"), fake.user(2002, "Ben", "it")
    carla, dan = fake.user(3003, "Carla", "it"), fake.user(4004, "Dan", "en")
    fake.send_text(anna, "/story")
    first = await fake.await_reply(anna["id"])
    await press(fake, anna, first["message_id"], "before:separate:p1")
    assert not fake.message(anna["id"], first["message_id"])["text"].startswith("Prima")
    confirmation = await go_answer(
        fake, anna, stance="integrate", comment="Integrarli: un solo team digitale."
    )
    assert "dopo la lettura hai cambiato idea" in confirmation["text"]
    await go_answer(fake, ben, stance="separate", comment="Separati: ognuno il suo mestiere.")
    await go_answer(fake, carla, stance="separate", comment="Separati, ma che si parlino.")
    await go_answer(fake, dan, stance="integrate", comment="One team, one budget.")

    agreed = await vote(fake, ben, 1, "up")  # a reader of the other side agrees with Anna
    assert "👍 1 · 👎 0" in agreed["text"]
    own = fake.press_button(ben, agreed["message_id"], "vote:2:up:t.0")
    await fake.await_until(lambda: own in fake.callback_answers)
    assert "tua" in fake.callback_answers[own]["text"]
    await vote(fake, dan, 1, "up")  # and one of her own side
    await vote(fake, carla, 2, "up")  # Ben's answer: one side only
    changed = await vote(fake, carla, 1, "down")
    assert "👍 2 · 👎 1" in changed["text"]
    await vote(fake, carla, 1, "up")  # changeable: Carla agrees after all
    fake.send_text(author, "/answers")
    listing = await fake.await_reply(AUTHOR_ID)
    newest = listing["text"]
    assert newest.index("One team, one budget.") < newest.index("un solo team digitale")
    await press(fake, author, listing["message_id"], "list:a:all:0")
    ranked = fake.message(AUTHOR_ID, listing["message_id"])["text"]
    assert ranked.index("un solo team digitale") < ranked.index("ognuno il suo mestiere")
    assert "👍 3 · 👎 0" in ranked

    card = next(m for m in fake.sent(AUTHOR_ID) if "un solo team digitale" in m["text"])
    assert ("↩️ Rispondi", "reply:1") in [(t[:11], d) for t, d in buttons(card)]
    await press(fake, author, card["message_id"], "reply:1")
    fake.send_text(author, "Grazie Anna: è la domanda che mi pongo anch'io.")
    await fake.await_until(lambda: news(fake, anna["id"], "L'autore ha replicato"))
    await settled(1.0)
    assert len(news(fake, anna["id"], "L'autore ha replicato")) == 1
    fake.send_text(ben, "/answers")
    await fake.await_reply(ben["id"])
    await press(fake, ben, fake.last_sent(ben["id"])["message_id"], "thread:1:0")
    thread = fake.last_sent(ben["id"])["text"]
    assert "è la domanda che mi pongo anch'io" in thread and "autore" in thread.lower()

    fake.send_text(author, "/stats")
    photo = await fake.await_request("sendPhoto", lambda r: r.ok)
    stored = fake.file(photo.result["photo"][-1]["file_id"])
    assert stored.content.startswith(b"\x89PNG")


async def test_a_readers_reply_is_moderated_like_an_answer_and_both_writers_are_told(
    fake: FakeBotAPI, moderated_bot: Services
) -> None:
    author = author_chat(fake)
    anna, ben = fake.user(1001, "Anna", "it"), fake.user(2002, "Ben", "it")
    await go_answer(fake, anna, stance="depends", comment="Dipende da quanto è grande l'azienda.")
    asked = fake.last_sent(anna["id"])  # the notification question, a message of its own
    assert ("🔔 Sì, avvisami", "notify:on") in buttons(asked)
    await press(fake, anna, asked["message_id"], "notify:on")
    card = await fake.await_until(
        lambda: next((m for m in fake.sent(AUTHOR_ID) if "Nuova risposta" in m["text"]), None)
    )
    approve = next(d for _, d in buttons(card) if d.startswith("mod:approve:"))
    await press(fake, author, card["message_id"], approve)
    await fake.await_until(lambda: news(fake, anna["id"], "approvata"))
    fake.send_text(ben, "/answers")
    listing = await fake.await_reply(ben["id"])
    await press(fake, ben, listing["message_id"], "thread:1:0")
    thread = fake.last_sent(ben["id"])
    await press(fake, ben, thread["message_id"], "reply:1")
    fake.send_text(ben, "ok")
    await fake.await_until(lambda: "troppo corta" in fake.last_sent(ben["id"])["text"])
    assert ("Annulla", "cancel") in buttons(fake.last_sent(ben["id"]))  # on the refusal
    fake.send_text(ben, "Anche in una piccola azienda <b>serve</b> parlarsi & capirsi.")
    display = await fake.await_reply(ben["id"])
    choice = next(d for _, d in buttons(display) if d.startswith("rshow:"))
    await press(fake, ben, display["message_id"], choice)
    assert "dopo l'approvazione" in fake.last_sent(ben["id"])["text"]
    reply_card = await fake.await_until(
        lambda: next((m for m in fake.sent(AUTHOR_ID) if "parlarsi & capirsi" in m["text"]), None)
    )
    assert "<b>serve</b>" in reply_card["text"]  # shown literally, never as markup
    fake.send_text(anna, "/answers")
    assert "parlarsi" not in (await fake.await_reply(anna["id"]))["text"]
    publish = next(d for _, d in buttons(reply_card) if d.startswith("rmod:approve:"))
    await press(fake, author, reply_card["message_id"], publish)
    await fake.await_until(lambda: news(fake, ben["id"], "approvata"))
    store = moderated_bot.store  # Anna heard of her answer a moment ago: the reply news waits
    await fake.await_until(lambda: [n.key for n in store.notices.waiting(1001)] == ["news_reply"])
    assert not news(fake, anna["id"], "Ben ha replicato")
    digest = store.db.execute("SELECT due_at FROM outbox WHERE chat_id = 1001 AND digest = 1")
    last = store.db.execute("SELECT notified_at FROM readers WHERE user_id = 1001")
    gap = datetime.fromisoformat(digest.fetchone()[0]) - datetime.fromisoformat(last.fetchone()[0])
    assert gap == timedelta(minutes=10)
    fake.send_text(anna, "/answers")
    listing = await fake.await_reply(anna["id"])
    assert "💬 1" in listing["text"]


async def test_mydata_and_forget_cover_votes_replies_before_and_notifications(
    fake: FakeBotAPI, bot: Services
) -> None:
    author_chat(fake)
    anna, ben = fake.user(1001, "Anna", "it"), fake.user(2002, "Ben", "it")
    fake.send_text(anna, "/story")
    first = await fake.await_reply(anna["id"])
    await press(fake, anna, first["message_id"], "before:depends:p1")
    await go_answer(fake, anna, stance="separate", comment="Separati, ciascuno con il suo budget.")
    await go_answer(fake, ben, stance="integrate", comment="Integrati, perché il cliente è uno.")
    await vote(fake, anna, 2, "down")
    await vote(fake, ben, 1, "up")
    fake.send_text(anna, "/answers")
    listing = await fake.await_reply(anna["id"])
    await press(fake, anna, listing["message_id"], "thread:2:0")
    await press(fake, anna, fake.last_sent(anna["id"])["message_id"], "reply:2")
    fake.send_text(anna, "Il cliente è uno, ma i mestieri sono due.")
    display = await fake.await_reply(anna["id"])
    await press(fake, anna, display["message_id"], "rshow:name")
    fake.send_text(anna, "/notify")
    menu = await fake.await_reply(anna["id"])
    await press(fake, anna, menu["message_id"], "notify:on")

    fake.send_text(anna, "/mydata")
    mine = await fake.await_request(
        "sendDocument", lambda r: r.ok and r.params.get("chat_id") in (1001, "1001")
    )
    data = json.loads(fake.file(mine.result["document"]["file_id"]).content)
    assert [(v["answer"], v["vote"]) for v in data["votes"]] == [(2, "disagree")]
    assert [r["text"] for r in data["replies"]] == ["Il cliente è uno, ma i mestieri sono due."]
    assert data["before_reading"] == "depends" and data["after_reading"] == "separate"
    assert data["notifications"] == "on"

    fake.send_text(anna, "/forget")
    confirm = await fake.await_reply(anna["id"])
    await press(fake, anna, confirm["message_id"], "forget_yes")
    store = bot.store
    assert store.votes.of_reader(anna["id"]) == []
    assert store.replies.of_reader(anna["id"]) == []
    assert store.votes.standings() == {}  # Ben's vote on Anna's answer went with it
    assert store.readers.before(anna["id"]) is None
    fake.send_text(ben, "/answers")
    listing = await fake.await_reply(ben["id"])
    assert "👎" in listing["text"] and "👎 1" not in listing["text"]
    assert "Separati, ciascuno" not in listing["text"]
