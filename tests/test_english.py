"""The English edition: a reader outside Italy gets the whole bot in English, the essay in a
faithful translation with the Italian original one tap away, quotes in English with the original
in a spoiler; /lang switches and is remembered; `essaybot check` catches a missing translation."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import Build
from fake_telegram import FakeBotAPI
from helpers import AUTHOR, answer, buttons, essaybot, polling, posted, press, say, text

from bot.bootstrap import Services
from bot.content.catalog import Content
from bot.core.events import Command, Reader, Text
from bot.core.understanding.sentences import essay_sentences

BOB = Reader(2002, "Bob", "en")


def test_every_sentence_of_the_essay_has_its_english_twin(content: Content) -> None:
    sentences = essay_sentences(content)
    assert all("en" in twins for _, _, twins in sentences)
    assert len(sentences) == 19
    for part in content.essay.parts:
        assert content.essay.is_translated("en") and part.text_in("en") != part.text


def test_the_unfinished_sentence_stays_unfinished_and_is_noted_outside_the_text(
    content: Content,
) -> None:
    six = content.essay.part(6)
    assert six is not None and "che difficilmente." in six.text
    assert "skills that hardly. IT people" in " ".join(six.text_in("en").split())
    assert six.notes["en"].endswith("breaks off like this in the original post too.")


def test_the_metaphors_survive_the_translation(content: Content) -> None:
    english = " ".join(p.text_in("en") for p in content.essay.parts)
    for image in ("Cinderella", "debutantes' ball", "tower", "touch the wires and you die"):
        assert image in english, image
    assert "commodity..or" in english and english.endswith("your comments.")


def test_an_english_topic_answer_quotes_the_translation_with_the_original_in_a_spoiler(
    services: Services,
) -> None:
    outcome = say(services, BOB, Text("Cinderella"))
    reply, raw = text(outcome), outcome.replies[0].text
    assert "IT realised it was no longer the Cinderella" in reply
    assert "<tg-spoiler>l’IT capì che non era più la Cenerentola" in raw
    italian = str(say(services, Reader(1, "Anna", "it"), Text("cenerentola?")).replies[0].text)
    assert "tg-spoiler" not in italian and "l’IT capì che non era più la Cenerentola" in italian


def test_questions_match_in_both_languages_whatever_the_readers_choice(
    services: Services,
) -> None:
    assert "The CDO" in text(say(services, BOB, Text("chief digital officer")))
    assert "Il CDO" in text(say(services, Reader(1, "Anna", "it"), Text("chief digital officer")))
    assert "Cinderella" in text(say(services, BOB, Text("cenerentola")))
    assert "tower" in text(say(services, BOB, Text("torre")))


def test_lang_switches_and_is_remembered_over_telegrams_language(build: Build) -> None:
    services = build()
    assert "Once upon a time" in text(say(services, BOB, Command("story")))
    assert "italiano" in text(say(services, BOB, Command("lang", "it")))
    assert "C’era una volta" in text(say(services, BOB, Command("story", "1")))
    assert "Tradotto" not in text(say(services, BOB, Command("story", "1")))
    say(services, BOB, Command("lang", "en"))
    assert "Once upon a time" in text(say(services, BOB, Command("story", "1")))


def test_answers_keep_their_language_and_show_it(build: Build) -> None:
    services = build(admins={42})
    answer(services, Reader(1, "Anna", "it"), "separate", "Meglio separati, davvero.")
    answer(services, BOB, "integrate", "Together, obviously.")
    listed = text(say(services, BOB, Command("answers")))
    assert "🇮🇹" in listed and "🇬🇧" in listed
    assert "Meglio separati, davvero." in listed and "Together, obviously." in listed
    cards = posted(services)
    assert cards and all("Nuova risposta" in c.text for c in cards)  # the author writes Italian


def test_an_admin_who_chose_english_gets_cards_in_english(build: Build) -> None:
    services = build(admins={42})
    say(services, AUTHOR, Command("lang", "en"))
    answer(services, Reader(1, "Anna", "it"), "separate", "Una risposta in italiano.")
    (card,) = posted(services)
    assert "New answer" in card.text and "Una risposta in italiano." in card.text


def test_check_names_a_missing_translation(content_copy: Path, tmp_path: Path) -> None:
    essay = content_copy / "essay.yaml"
    raw = yaml.safe_load(essay.read_text(encoding="utf-8"))
    del raw["parts"][2]["en"]
    essay.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    result = essaybot("check", str(content_copy), cwd=tmp_path)
    assert result.returncode == 1
    assert "content/essay.yaml: part p3: missing the 'en' translation" in result.stderr


def test_check_names_a_topic_without_its_english_quote(content_copy: Path, tmp_path: Path) -> None:
    topics = content_copy / "topics.yaml"
    topics.write_text(
        re.sub(r"\n    quote_en: >-\n(      .*\n)+", "\n", topics.read_text(), count=1)
    )
    result = essaybot("check", str(content_copy), cwd=tmp_path)
    assert result.returncode == 1
    assert "topic separate-worlds: quote_en missing" in result.stderr


# --- over the fake Bot API ---------------------------------------------------------------------


async def test_an_english_reader_reads_in_english_sees_the_original_and_keeps_lang_after_a_restart(
    fake: FakeBotAPI, build: Build
) -> None:
    services = build(fake=fake)
    bob, carla = fake.user(2002, "Bob", "en"), fake.user(3003, "Carla", "it-IT")
    async with polling(services):
        fake.send_text(bob, "/start")
        assert "Marketing and IT" in (await fake.await_reply(bob["id"]))["text"]
        fake.send_text(bob, "/story")
        page = await fake.await_reply(bob["id"])
        assert page["text"].startswith("Before you read, if you like, the title's question:")
        assert "\n\nMarketing and IT: does it still make sense" in page["text"]
        assert "Once upon a time" in page["text"] and "Translated from the Italian" in page["text"]
        assert ("🇮🇹 Italian original", "original:p1") in buttons(page)
        await press(fake, bob, page["message_id"], "original:p1")
        original = fake.message(bob["id"], page["message_id"])
        assert "C’era una volta" in original["text"]
        assert ("🇬🇧 Back to English", "part:p1") in buttons(original)
        await press(fake, bob, page["message_id"], "part:p1")
        assert "Once upon a time" in fake.message(bob["id"], page["message_id"])["text"]
        fake.send_text(bob, "what does the essay say about the tower?")
        topic = await fake.await_reply(bob["id"])
        assert "IT spoke a different language" in topic["text"]
        spoilers = [e for e in topic.get("entities", []) if e["type"] == "spoiler"]
        assert spoilers, "the Italian original is one tap away"
        fake.send_text(carla, "/start")
        assert "Marketing e IT" in (await fake.await_reply(carla["id"]))["text"]
        fake.send_text(bob, "/lang")
        choose = await fake.await_reply(bob["id"])
        await press(fake, bob, choose["message_id"], "lang:it")
        assert "parliamo in italiano" in fake.message(bob["id"], choose["message_id"])["text"]
    async with polling(services):  # a restart: the choice is in the database
        fake.send_text(bob, "/story 1")
        assert "C’era una volta" in (await fake.await_reply(bob["id"]))["text"]
        fake.send_text(bob, "/lang en")
        assert "we speak English" in (await fake.await_reply(bob["id"]))["text"]


async def test_an_english_reader_answers_in_english_and_sees_answers_marked_with_their_language(
    fake: FakeBotAPI, build: Build
) -> None:
    services = build(fake=fake)
    bob, anna = fake.user(2002, "Bob", "en"), fake.user(1001, "Anna", "it")
    async with polling(services):
        fake.send_text(anna, "/answer")
        question = await fake.await_reply(anna["id"])
        await press(fake, anna, question["message_id"], "stance:separate")
        fake.send_text(anna, "Meglio separati, ognuno il suo mestiere.")
        display = await fake.await_reply(anna["id"])
        await press(fake, anna, display["message_id"], "show:anonymous")
        fake.send_text(bob, "/answer")
        question = await fake.await_reply(bob["id"])
        assert question["text"].startswith("Marketing and IT: does it still make sense")
        assert [label for label, _ in buttons(question)][:3] == [
            "Keep them separate",
            "Integrate them",
            "It depends",
        ]
        await press(fake, bob, question["message_id"], "stance:integrate")
        fake.send_text(bob, "no")
        await fake.await_until(lambda: "too short" in fake.last_sent(bob["id"])["text"])
        fake.send_text(bob, "Together <b>of course</b> & for good.")
        display = await fake.await_reply(bob["id"])
        await press(fake, bob, display["message_id"], "show:name")
        confirmation = fake.sent(bob["id"])[-2]  # the notification question comes after it
        assert confirmation["text"].startswith("Thank you Bob! Your answer has been saved")
        assert "Keep them separate: 1 (50%)" in confirmation["text"]
        assert "Meglio separati, ognuno il suo mestiere." in confirmation["text"]
        fake.send_text(bob, "/answers")
        listing = await fake.await_reply(bob["id"])
        assert listing["text"].startswith("Readers' answers (2)")
        assert "Together <b>of course</b> & for good." in listing["text"]
        assert "🇬🇧" in listing["text"] and "🇮🇹" in listing["text"]
        fake.send_text(anna, "/answers")
        listing = await fake.await_reply(anna["id"])
        assert listing["text"].startswith("Le risposte dei lettori (2)")
        assert "Together <b>of course</b> & for good." in listing["text"]
