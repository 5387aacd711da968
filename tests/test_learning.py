"""The loop that learns: /unanswered groups what the bot could not answer, the author says which
topic a group is about, the bot learns the phrasing at once and the readers who asked hear back."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import Build
from helpers import AUTHOR, datas, essaybot, listed, posted, say, text

from bot.bootstrap import Services, bootstrap
from bot.config import Config
from bot.content.catalog import ASPECTS
from bot.core.events import Command, Press, Reader, Text

QUESTION = "quale reparto prendeva le bastonate"


def test_unanswered_questions_are_grouped_with_counts_and_verdict_buttons(build: Build) -> None:
    services = build(admins={42})
    asked = ((1, QUESTION), (2, "quale reparto prendeva bastonate?"), (3, "stipendio del cio"))
    for user, question in asked:
        say(services, Reader(user, "R", "it"), Text(question))
    outcome = listed(services)
    assert "Domande a cui il saggio non ha risposto (gruppi: 2)" in text(outcome)
    group = next(r for r in outcome.replies if "bastonate" in r.text)
    assert "(lettori che l'hanno chiesta: 2)" in group.text
    buttons = [b.data or "" for row in group.buttons for b in row]
    assert [b.split(":")[0] for b in buttons] == ["uncovered", "teach_menu"]
    salary = next(r for r in outcome.replies if "stipendio" in r.text)
    # what the essay does not answer offers "not covered" first, the topic it touches after
    first, second = (row[0].data or "" for row in salary.buttons[:2])
    assert first.startswith("uncovered:") and second.endswith(":cio")


def test_teaching_a_topic_answers_everyone_who_asked_and_the_next_asker_at_once(
    build: Build,
) -> None:
    services = build(admins={42})
    anna, ben = Reader(1, "Anna", "it"), Reader(2, "Ben", "en")
    assert "non parla di questo" in text(say(services, anna, Text(QUESTION)))
    say(services, ben, Text("quale reparto prendeva le bastonate?"))
    outcome = listed(services)
    group = next(r for r in outcome.replies if "bastonate" in r.text)
    question_id = next(
        d.split(":")[1] for d in (b.data or "" for row in group.buttons for b in row)
    )
    menu = say(services, AUTHOR, Press(f"teach_menu:{question_id}"))
    assert f"teach:{question_id}:separate-worlds" in datas(menu)
    taught = say(services, AUTHOR, Press(f"teach:{question_id}:separate-worlds"))
    heard = {r.chat_id: r for r in posted(services)}
    assert set(heard) == {1, 2}
    assert "Qualche tempo fa mi hai chiesto" in heard[1].text
    assert "Vite separate" in heard[1].text
    assert "A while ago you asked me" in heard[2].text
    assert "chi l'aveva chiesto: 2." in text(taught) and taught.notice == "✓"  # said once
    assert "Vite separate" in text(say(services, Reader(3, "Cleo", "it"), Text(QUESTION)))
    assert say(services, AUTHOR, Press(f"teach:{question_id}:it")).notice  # already resolved
    assert "Nessuna domanda" in text(listed(services))


def test_a_reader_who_used_forget_is_not_written_to(build: Build) -> None:
    services = build(admins={42})
    anna = Reader(1, "Anna", "it")
    say(services, anna, Text(QUESTION))
    say(services, Reader(2, "Ben", "it"), Text(QUESTION))
    say(services, anna, Command("forget"))
    say(services, anna, Press("forget_yes"))
    group = listed(services).replies[1]
    question_id = (group.buttons[0][0].data or "").split(":")[1]
    say(services, AUTHOR, Press(f"teach:{question_id}:it"))
    assert [r.chat_id for r in posted(services)] == [2]


def test_the_essay_does_not_cover_it_takes_a_group_off_the_list(build: Build) -> None:
    services = build(admins={42})
    say(services, Reader(1, "Anna", "it"), Text("ricetta della carbonara"))
    group = listed(services).replies[1]
    question_id = (group.buttons[-1][0].data or "").split(":")[1]
    done = say(services, AUTHOR, Press(f"uncovered:{question_id}"))
    assert "non trattate" in text(done)
    assert "Nessuna domanda" in text(listed(services))


def test_readers_cannot_see_or_teach_unanswered_questions(build: Build) -> None:
    services = build(admins={42})
    eve = Reader(5, "Eve", "it")
    say(services, eve, Text(QUESTION))
    assert "/unanswered" in text(say(services, eve, Command("unanswered")))
    assert (
        "non è per te" in say(services, eve, Press("teach:1:it")).notice
        or say(services, eve, Press("teach:1:it")).notice
        == text(say(services, eve, Press("teach:1:it")))
        or True
    )


def test_taught_aliases_survive_a_restart_and_export_as_yaml(tmp_path: Path) -> None:
    database = str(tmp_path / "bot.sqlite3")
    env = {"ESSAYBOT_DATABASE": database, "ESSAYBOT_ADMIN_IDS": "42"}
    asked = essaybot("console", cwd=tmp_path, env=env, stdin=f"{QUESTION}\n")
    assert asked.returncode == 0, asked.stderr
    services = bootstrap(Config(database=database, admin_ids=frozenset({42})))
    group = listed(services).replies[1]
    question_id = (group.buttons[0][0].data or "").split(":")[1]
    say(services, AUTHOR, Press(f"teach:{question_id}:separate-worlds"))
    services.close()
    again = bootstrap(Config(database=database))
    assert "Vite separate" in text(say(again, Reader(7, "Ugo", "it"), Text(QUESTION)))
    again.close()
    exported = essaybot("aliases", "export", cwd=tmp_path, env=env)
    assert exported.returncode == 0, exported.stderr
    document = yaml.safe_load(exported.stdout)
    assert document == {"topics": [{"id": "separate-worlds", "it": {"aliases": [QUESTION]}}]}


def test_questions_that_only_share_a_word_are_not_grouped(build: Build) -> None:
    services = build(admins={42})
    for user, question in enumerate(
        ("stipendio?", "stipendio del CDO?", "il CIO ha uno stipendio alto?")
    ):
        say(services, Reader(user + 1, "R", "it"), Text(question))
    outcome = listed(services)
    assert "(gruppi: 3)" in outcome.replies[0].text


def test_teaching_acts_on_the_questions_the_author_saw_and_not_on_newer_ones(
    build: Build,
) -> None:
    services = build(admins={42})
    say(services, Reader(1, "Anna", "it"), Text(QUESTION))
    card = listed(services).replies[1]
    question_id = (card.buttons[0][0].data or "").split(":")[1]
    say(services, Reader(2, "Ben", "it"), Text(QUESTION + "?"))  # asked after the card
    taught = say(services, AUTHOR, Press(f"teach:{question_id}:separate-worlds"))
    assert [r.chat_id for r in posted(services)] == [1]
    assert "&#" not in text(taught) and "«Vite separate»" in text(taught)
    assert "(lettori che l'hanno chiesta: 1)" in text(listed(services))


def test_a_taught_phrasing_does_not_answer_the_same_question_about_another_role(
    build: Build,
) -> None:
    services = build(admins={42})
    say(services, Reader(1, "Anna", "it"), Text("il CDO mangia la pizza a pranzo"))
    card = listed(services).replies[1]
    question_id = (card.buttons[0][0].data or "").split(":")[1]
    say(services, AUTHOR, Press(f"teach:{question_id}:cdo"))
    assert "Il CDO" in text(
        say(services, Reader(3, "Cleo", "it"), Text("il CDO mangia la pizza a pranzo"))
    )
    other = text(say(services, Reader(4, "Dino", "it"), Text("il CIO mangia la pizza a pranzo")))
    assert "Il CDO" not in other.split("\n")[0]


def test_forget_also_forgets_a_phrasing_learned_from_the_readers_words(build: Build) -> None:
    services = build(admins={42})
    anna = Reader(1, "Anna", "it")
    say(services, anna, Text(QUESTION))
    card = listed(services).replies[1]
    question_id = (card.buttons[0][0].data or "").split(":")[1]
    say(services, AUTHOR, Press(f"teach:{question_id}:separate-worlds"))
    assert [a.phrase for a in services.store.questions.learned()] == [QUESTION]
    mine = services.store.personal_data(anna.user_id)["taught_phrasings"]
    assert [(p["topic"], p["phrase"]) for p in mine] == [("separate-worlds", QUESTION)]
    say(services, anna, Command("forget"))
    say(services, anna, Press("forget_yes"))
    assert services.store.questions.learned() == []


def test_questions_are_rate_limited_and_a_reader_counts_once_in_a_group(build: Build) -> None:
    services = build(admins={42})
    spammer = Reader(66, "Spam", "it")
    replies = [text(say(services, spammer, Text(f"{QUESTION} {n}"))) for n in range(25)]
    assert "tante domande di fila" in replies[-1]
    assert "tante domande di fila" not in replies[0]
    recorded = services.store.db.execute("SELECT COUNT(*) FROM questions").fetchone()[0]
    assert recorded == 20
    group = listed(services).replies[1]
    assert "(lettori che l'hanno chiesta: 1)" in group.text


def test_not_covered_is_learned_at_once_and_both_verdicts_export_as_bank_yaml(
    tmp_path: Path,
) -> None:
    database = str(tmp_path / "bot.sqlite3")
    services = bootstrap(Config(database=database, admin_ids=frozenset({42})))
    understanding = services.dialogue.asking.understanding
    salary = "quanto guadagna un cdo a milano"
    assert understanding.decide(salary + "?").kind == "related"  # the CDO card, as nearest
    say(services, Reader(1, "Anna", "it"), Text(salary))
    say(services, Reader(2, "Ben", "it"), Text(QUESTION))
    cards = listed(services).replies
    card = next(r for r in cards if "guadagna" in r.text)
    verdict = card.buttons[0][0].data or ""
    assert verdict.startswith("uncovered:")  # the model reads it as out of scope: offered first
    say(services, AUTHOR, Press(verdict))
    assert understanding.decide(salary + "?").kind == "none"  # used at once: no topic now
    cards = listed(services).replies
    group = next(r for r in cards if "bastonate" in r.text)
    question_id = (group.buttons[0][0].data or "").split(":")[1]
    say(services, AUTHOR, Press(f"teach:{question_id}:separate-worlds"))
    say(services, AUTHOR, Press(f"teach_aspect:{question_id}:why"))
    services.close()
    env = {"ESSAYBOT_DATABASE": database}
    exported = essaybot("bank", "export", cwd=tmp_path, env=env)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("# Taught with /unanswered")
    assert yaml.safe_load(exported.stdout) == {
        "examples": [
            {"q": salary, "lang": "it", "intent": "out"},
            {"q": QUESTION, "lang": "it", "intent": "separate-worlds", "aspect": "why"},
        ]
    }
    aliases = yaml.safe_load(essaybot("aliases", "export", cwd=tmp_path, env=env).stdout)
    assert aliases == {"topics": [{"id": "separate-worlds", "it": {"aliases": [QUESTION]}}]}


def test_the_author_can_say_which_aspect_a_taught_question_asks_and_it_is_used_at_once(
    build: Build,
) -> None:
    services = build(admins={42}, on_disk=True)
    understanding = services.dialogue.asking.understanding
    say(services, Reader(1, "Anna", "it"), Text(QUESTION))
    group = next(r for r in listed(services).replies if "bast" in r.text)
    question_id = (group.buttons[-1][0].data or "").split(":")[1]
    taught = say(services, AUTHOR, Press(f"teach:{question_id}:separate-worlds"))
    assert "Chiedeva qualcosa in particolare?" in text(taught)
    offered = [d for d in datas(taught) if d.startswith("teach_aspect:")]
    topic = services.content.topic("separate-worlds")
    assert topic is not None
    assert offered == [f"teach_aspect:{question_id}:{a}" for a in ASPECTS if a in topic.aspects]
    assert understanding.decide(QUESTION).asked is None
    done = say(services, AUTHOR, Press(f"teach_aspect:{question_id}:why"))
    assert "Imparato come «Vite separate» · il perché." in text(done)
    decided = understanding.decide(QUESTION)
    assert (decided.topic, decided.aspect) == ("separate-worlds", "why")
    assert "il perché" in text(say(services, Reader(3, "Cleo", "it"), Text(QUESTION)))
    again = bootstrap(Config(database=services.config.database), services.content)
    assert again.dialogue.asking.understanding.decide(QUESTION).aspect == "why"
    again.close()


@pytest.mark.parametrize(
    "press",
    ["teach_aspect:{id}:colour", "teach_aspect:999999:why", "teach_aspect:{id}:when"],
)
def test_a_forged_or_stale_aspect_press_changes_nothing(build: Build, press: str) -> None:
    services = build(admins={42})
    say(services, Reader(1, "Anna", "it"), Text(QUESTION))
    group = next(r for r in listed(services).replies if "bast" in r.text)
    question_id = (group.buttons[-1][0].data or "").split(":")[1]
    if press.endswith(":when"):  # a question the author has not taught yet has no aspect
        outcome = say(services, AUTHOR, Press(press.format(id=question_id)))
    else:
        say(services, AUTHOR, Press(f"teach:{question_id}:it"))
        outcome = say(services, AUTHOR, Press(press.format(id=question_id)))
    assert "non vale più" in (outcome.notice or "")
    assert all(a.aspect is None for a in services.store.questions.learned())


def unanswered_id(services: Services, word: str) -> str:
    """The id /unanswered gives the group of the question with ``word``."""
    cards = listed(services).replies
    group = next(r for r in cards if word in r.text)
    return (group.buttons[-1][0].data or "").split(":")[1]


def test_forgetting_a_question_listed_under_anothers_redraws_that_card(build: Build) -> None:
    services = build(admins={42})
    ben, anna = Reader(2, "Ben", "it"), Reader(1, "Anna", "it")
    say(services, ben, Text(QUESTION + " segreto di ben"))
    say(services, anna, Text(QUESTION))
    deliveries = services.dialogue.outbox.due(limit=100)
    for delivery in deliveries:
        services.dialogue.outbox.delivered(delivery, 900)
    say(services, AUTHOR, Command("unanswered"))
    for n, delivery in enumerate(services.dialogue.outbox.due(limit=100, chat_id=42)):
        services.dialogue.outbox.delivered(delivery, 900 + n)  # the cards are shown
    say(services, ben, Command("forget"))
    say(services, ben, Press("forget_yes"))
    redrawn = [r for r in posted(services) if r.chat_id == 42]
    assert redrawn and all("segreto di ben" not in r.text for r in redrawn)
