"""Privacy and the discussion (issue 11): /mydata lists a reader's votes, replies, what they
thought before and after reading and their notification choice; /forget removes all of it,
the votes and replies on their answer with it, and every count, ranking and tally follows. An
admin's /forget keeps what other readers wrote."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import Build
from helpers import AUTHOR, answer, datas, held, say, text

from bot.bootstrap import Services
from bot.core.events import Command, Press, Reader, Text

ANNA, BEN, CLEO = Reader(1001, "Anna", "it"), Reader(2002, "Ben", "it"), Reader(3003, "Cleo", "it")


def reply(services: Services, reader: Reader, answer_id: int, body: str) -> int:
    """``reader`` replies ``body`` under answer ``answer_id``; the reply's id."""
    say(services, reader, Press(f"reply:{answer_id}"))
    if "rshow:name" in datas(say(services, reader, Text(body))):
        say(services, reader, Press("rshow:name"))
    return services.store.replies.numbers_of(reader.user_id)[-1]


def agree(services: Services, reader: Reader, answer_id: int) -> None:
    say(services, reader, Press(f"vote:{answer_id}:up:n.all.0"))


def mydata(services: Services, reader: Reader) -> dict[str, Any]:
    """The JSON document /mydata sends."""
    document = say(services, reader, Command("mydata")).replies[0].document
    assert document is not None
    return dict(json.loads(document.data))


def forget(services: Services, reader: Reader) -> None:
    say(services, reader, Command("forget"))
    assert "non ricordo più nulla" in text(say(services, reader, Press("forget_yes")))


def counts(services: Services, reader: Reader, answer_id: int) -> str:
    """The 👍 · 👎 · 💬 line under answer ``answer_id`` in /answers, as ``reader`` sees it."""
    page = text(say(services, reader, Command("answers")))
    item = re.search(rf"^{answer_id}\. .*?\n.*?(👍 \d+ · 👎 \d+ · 💬 \d+)", page, re.M | re.S)
    assert item is not None, page
    return item.group(1)


def ranking(services: Services, reader: Reader) -> list[int]:
    """The answer numbers in the order "agreed across sides", best first."""
    page = text(say(services, reader, Press("list:a:all:0")))
    return [int(n) for n in re.findall(r"^(\d+)\. ", page, re.M)]


@pytest.fixture
def discussed(services: Services) -> dict[str, int]:
    """Ben (separate) and Cleo (integrate) answered; Anna said "separate" before reading,
    answered "integrate", turned notifications on, agreed with Ben and replied to him; Ben
    agreed with Anna and Cleo replied to her."""
    answer(services, BEN, "separate", "Separati: ognuno il suo mestiere.")
    answer(services, CLEO, "integrate", "Integrati, come il CDO insegna.")
    say(services, ANNA, Command("story"))
    say(services, ANNA, Press("before:separate:p1"))
    answer(services, ANNA, "integrate", "Leggendo ho cambiato idea: integrati.")
    say(services, ANNA, Press("notify:on"))
    ben, cleo, anna = (held(services, r).id for r in (BEN, CLEO, ANNA))
    agree(services, ANNA, ben)
    anna_reply = reply(services, ANNA, ben, "Ben, un tempo la pensavo come te.")
    agree(services, BEN, anna)
    cleo_reply = reply(services, CLEO, anna, "Anna, benvenuta dalla nostra parte.")
    return {
        "ben": ben,
        "cleo": cleo,
        "anna": anna,
        "anna_reply": anna_reply,
        "cleo_reply": cleo_reply,
    }


def test_mydata_lists_votes_replies_before_and_after_and_the_notification_choice(
    services: Services, discussed: dict[str, int]
) -> None:
    data = mydata(services, ANNA)
    assert [(v["answer"], v["vote"]) for v in data["votes"]] == [(discussed["ben"], "agree")]
    assert [(r["answer_id"], r["text"]) for r in data["replies"]] == [
        (discussed["ben"], "Ben, un tempo la pensavo come te.")
    ]
    assert data["reply_numbers"] == [discussed["anna_reply"]]
    assert (data["before_reading"], data["after_reading"]) == ("separate", "integrate")
    assert data["notifications"] == "on"
    assert "Cleo, benvenuta" not in json.dumps(data)  # others' replies are theirs


def test_mydata_says_whether_notifications_were_never_asked_or_turned_off(
    services: Services,
) -> None:
    say(services, ANNA, Command("start"))
    never = mydata(services, ANNA)["notifications"]
    assert never not in ("on", "off") and "not" in never  # "not asked" / "not chosen"
    say(services, ANNA, Command("notify", "off"))
    assert mydata(services, ANNA)["notifications"] == "off"


def test_forget_removes_votes_replies_before_after_and_the_choice(
    services: Services, discussed: dict[str, int]
) -> None:
    forget(services, ANNA)
    data = services.store.personal_data(ANNA.user_id)
    assert data["votes"] == [] and data["replies"] == [] and data["notices_waiting"] == []
    assert (data["before_reading"], data["after_reading"]) == (None, None)
    assert data["notifications"] not in ("on", "off")
    assert services.store.replies.get(discussed["anna_reply"]) is None


def test_after_forget_the_counts_rankings_and_tally_no_longer_include_the_reader(
    services: Services, discussed: dict[str, int]
) -> None:
    ben, cleo, anna = discussed["ben"], discussed["cleo"], discussed["anna"]
    assert counts(services, CLEO, ben) == "👍 1 · 👎 0 · 💬 1"
    assert ranking(services, CLEO) == [anna, ben, cleo]  # voted on: first
    before = text(say(services, CLEO, Press("tally:all:new")))
    assert "Integrarli: 2 (67%)" in before
    assert "Da «Tenerli separati» a «Integrarli»: 1" in before
    forget(services, ANNA)
    assert counts(services, CLEO, ben) == "👍 0 · 👎 0 · 💬 0"
    assert ranking(services, CLEO) == [cleo, ben]
    after = text(say(services, CLEO, Press("tally:all:new")))
    assert "Integrarli: 1 (50%)" in after and "Tenerli separati: 1 (50%)" in after
    assert "«Tenerli separati» a «Integrarli»" not in after
    assert sum(services.store.answers.tally().values()) == 2


def test_forgetting_removes_other_readers_votes_on_the_forgotten_answer(
    services: Services, discussed: dict[str, int]
) -> None:
    assert services.store.votes.mine(BEN.user_id, [discussed["anna"]]) == {discussed["anna"]: 1}
    forget(services, ANNA)
    assert services.store.votes.mine(BEN.user_id, [discussed["anna"]]) == {}
    assert mydata(services, BEN)["votes"] == []
    assert discussed["anna"] not in services.store.votes.standings()


def test_forgetting_removes_other_readers_replies_to_the_forgotten_answer(
    services: Services, discussed: dict[str, int]
) -> None:
    forget(services, ANNA)
    assert services.store.replies.get(discussed["cleo_reply"]) is None
    assert services.store.replies.counts([discussed["anna"]]) in ({}, {discussed["anna"]: 0})


def test_the_forgotten_answers_page_is_gone_for_everyone(
    services: Services, discussed: dict[str, int]
) -> None:
    forget(services, ANNA)
    thread = say(services, CLEO, Press(f"thread:{discussed['anna']}:0"))
    assert thread.replies == () and thread.notice != ""
    assert "Leggendo ho cambiato idea" not in text(say(services, CLEO, Command("answers")))


def test_an_admins_forget_keeps_other_readers_answers_votes_replies_and_news(
    build: Build,
) -> None:
    services = build(admins={42})
    answer(services, ANNA, "integrate", "La risposta di Anna resta.")
    say(services, ANNA, Press("notify:on"))
    anna = held(services, ANNA).id
    agree(services, BEN, anna)
    cleo_reply = reply(services, CLEO, anna, "Anche la replica di Cleo resta.")
    answer(services, AUTHOR, "depends", "Anche l'autore risponde, poi si fa dimenticare.")
    agree(services, AUTHOR, anna)
    author_reply = reply(services, AUTHOR, anna, "Una replica dell'autore.")
    agree(services, ANNA, held(services, AUTHOR).id)
    forget(services, AUTHOR)
    assert held(services, ANNA).comment == "La risposta di Anna resta."
    assert services.store.votes.mine(BEN.user_id, [anna]) == {anna: 1}
    assert services.store.votes.mine(AUTHOR.user_id, [anna]) == {}
    assert services.store.replies.get(cleo_reply) is not None
    assert services.store.replies.get(author_reply) is None
    assert mydata(services, ANNA)["votes"] == []  # her vote was on the author's answer
    assert services.store.answers.of_reader(AUTHOR.user_id) is None
    news = services.store.notices.waiting(ANNA.user_id)
    assert any(n.params.get("name") == "Cleo" for n in news)
    assert services.store.outbox.due(10, chat_id=ANNA.user_id) != []
