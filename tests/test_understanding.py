"""Understanding learned from the question bank, tried as new readers would: in Italian and in
English, typed on a phone, formal, literary and dictated, each question gets the answer of its
kind, true to the essay's own words."""

from __future__ import annotations

import pytest
from helpers import datas, say, text

from bot.bootstrap import Services
from bot.content.markup import markup_problems
from bot.core.events import Command, Press, Reader, Text

ANNA = Reader(1001, "Anna", "it")
BOB = Reader(1002, "Bob", "en")

SUMMARY = (
    "di cosa parla?",
    "Sarebbe così cortese da dirmi, in breve, di che cosa tratta il testo?",
    "ehm allora di cosa parla il saggio",
    "what's the essay about?",
    "sum it up for me",
)


@pytest.mark.parametrize("question", SUMMARY)
def test_what_the_essay_is_about_is_told_in_its_own_words(
    services: Services, question: str
) -> None:
    decided = services.dialogue.asking.understanding.decide(question)
    assert (decided.kind, decided.about) == ("about", "summary")
    reply = text(say(services, ANNA, Text(question)))
    assert "C’era una volta" in reply and "Ma attendo i vostri commenti" in reply


@pytest.mark.parametrize(
    "question",
    [
        "che vuol dire spocchia?",
        "Potrebbe spiegarmi il significato della parola spocchia?",
        "what does spocchia mean",
    ],
)
def test_an_idiom_gets_its_meaning_labelled_then_how_the_essay_uses_it(
    services: Services, question: str
) -> None:
    decided = services.dialogue.asking.understanding.decide(question)
    assert (decided.kind, decided.term, decided.topic) == ("answer", "spocchia", "separate-worlds")
    outcome = say(services, ANNA, Text(question))
    reply = outcome.replies[0].text
    assert "<i>Che cosa vuol dire:</i>" in reply and "<i>Come lo usa il saggio:</i>" in reply
    assert "si vendicava della spocchia" in reply  # the essay's own sentence
    assert datas(outcome)[0] == "open:p3" and markup_problems(reply) == []


@pytest.mark.parametrize(
    ("question", "first", "then"),
    [
        ("viene prima internet o il millennium bug?", "Internet", "Il Millennium Bug"),
        (
            "which comes first, the internet or the millennium bug?",
            "Internet",
            "Il Millennium Bug",
        ),
        ("viene prima il ritorno del marketing o i social?", "La risalita", "Social media"),
    ],
)
def test_which_comes_first_is_answered_from_the_essays_order(
    services: Services, question: str, first: str, then: str
) -> None:
    reply = text(say(services, ANNA, Text(question)))
    assert reply.startswith("Nel racconto, in ordine di tempo:\n1. ")
    assert reply.index(first) < reply.index(then)


@pytest.mark.parametrize(
    "question",
    ["sono alla parte 4, e ora?", "sono alla parte quattro e adesso cosa mi aspetta"],
)
def test_a_reader_at_a_part_hears_what_the_next_one_is_about_with_its_button(
    services: Services, question: str
) -> None:
    outcome = say(services, ANNA, Text(question))
    assert text(outcome).startswith("Dopo la parte 4 viene la parte 5, che parla di:")
    assert "La risalita del Marketing" in text(outcome)
    assert datas(outcome) == ["open:p5"]


def test_after_reading_a_part_and_then_asks_what_comes_next(services: Services) -> None:
    say(services, ANNA, Command("story", "6"))
    outcome = say(services, ANNA, Text("e poi cosa succede?"))
    assert text(outcome).startswith("Dopo la parte 6 viene la parte 7")
    say(services, BOB, Command("story", "7"))
    assert text(say(services, BOB, Text("what happens next?"))).startswith("Part 7 is the last")


@pytest.mark.parametrize(
    "question",
    [
        "come si mette un 👍 a una risposta?",
        "how do I upvote someone's answer?",
        "Gentilmente, come posso esprimere apprezzamento per la risposta di un altro lettore?",
    ],
)
def test_how_to_vote_is_answered_with_the_button_that_opens_the_answers(
    services: Services, question: str
) -> None:
    decided = services.dialogue.asking.understanding.decide(question)
    assert (decided.kind, decided.about) == ("help", "vote")
    outcome = say(services, ANNA, Text(question))
    assert "/answers" in text(outcome) and "👍" in text(outcome)
    assert datas(outcome) == ["answers:0"]
    assert "risposta" in text(say(services, ANNA, Press("answers:0")))


@pytest.mark.parametrize(
    ("question", "feature", "button"),
    [
        ("how do I switch to English?", "lang", "lang:en"),
        ("come cambio la mia risposta", "change_answer", "answer"),
        ("che dati salvi su di me", "mydata", None),
        ("come smetto di ricevere notifiche?", "notify", "notify:off"),
        ("voglio leggere cosa hanno risposto gli altri", "read_answers", "answers:0"),
    ],
)
def test_questions_about_the_bot_get_the_feature_asked_and_its_button(
    services: Services, question: str, feature: str, button: str | None
) -> None:
    decided = services.dialogue.asking.understanding.decide(question)
    assert (decided.kind, decided.about) == ("help", feature)
    shown = datas(say(services, ANNA, Text(question)))
    assert (button in shown) if button else shown == []


def test_a_false_premise_is_corrected_with_the_essays_words(services: Services) -> None:
    question = "negli anni del millennium bug comandava il marketing, giusto?"
    decided = services.dialogue.asking.understanding.decide(question)
    assert (decided.premise, decided.topic) == ("millennium-marketing-ruled", "millennium-bug")
    reply = text(say(services, ANNA, Text(question)))
    assert "Ci furono anni di stradominio dell’IT" in reply


def test_who_is_who_in_the_essays_sentences_is_read_from_its_grammar(
    services: Services,
) -> None:
    reply = text(say(services, ANNA, Text("gli uni e gli altri, chi sono?")))
    assert "quelli del Marketing" in reply and "quelli dell’IT" in reply


@pytest.mark.parametrize(
    ("first", "then", "expected"),
    [
        ("cos'è il millennium bug?", "e poi?", "Il Millennium Bug · cosa viene dopo"),
        (
            "what was the millennium bug?",
            "what happens next?",
            "The Millennium Bug · what comes next",
        ),
        ("parlami del cio", "and why?", "Il CIO"),
    ],
)
def test_a_follow_up_in_any_phrasing_continues_from_the_last_topic(
    services: Services, first: str, then: str, expected: str
) -> None:
    reader = BOB if first.startswith("what") else ANNA
    say(services, reader, Text(first))
    assert expected in text(say(services, reader, Text(then)))


@pytest.mark.parametrize(
    "question",
    ["quanto guadagna un cdo", "cdo bond rating downgrade", "it's", "che ore sono"],
)
def test_what_the_essay_does_not_answer_claims_no_topic(services: Services, question: str) -> None:
    decided = services.dialogue.asking.understanding.decide(question)
    assert decided.kind in ("related", "none"), decided


def test_the_understanding_is_the_same_on_every_start_and_quick_to_load(
    services: Services, tmp_path: object
) -> None:
    from pathlib import Path

    from bot.core.understanding import classifier

    bank = services.content.bank
    first = classifier.train(bank)
    again = classifier.train(bank)
    assert (first.intents.weights == again.intents.weights).all()
    folder = Path(str(tmp_path))
    classifier.save(first, folder / "model.npz")
    loaded = classifier.load(folder / "model.npz", bank)
    assert loaded is not None
    for question in ("che vuol dire spocchia", "quanto guadagna un cdo", "e poi?"):
        assert loaded.read(question) == first.read(question)
    assert all(not e.held_out for e in first.examples)  # the held-out fifth is never trained on


def test_a_damaged_or_foreign_cache_file_is_trained_over_not_trusted(
    services: Services, tmp_path: object
) -> None:
    from pathlib import Path

    from bot.core.understanding import classifier

    bank = services.content.bank
    folder = Path(str(tmp_path))
    model = classifier.train(bank)
    classifier.save(model, folder / "model.npz")
    whole = (folder / "model.npz").read_bytes()
    (folder / "model.npz").write_bytes(whole[: len(whole) // 2])  # truncated
    assert classifier.load(folder / "model.npz", bank) is None
    (folder / "model.npz").write_bytes(b"")  # empty
    assert classifier.load(folder / "model.npz", bank) is None
    assert classifier.load(folder / "missing.npz", bank) is None
    classifier.save(model, folder / "model.npz")
    assert classifier.load(folder / "model.npz", bank[: len(bank) // 2]) is None  # another bank
    classifier.forget()
    key = classifier.bank_hash(bank)[:24]
    (folder / f"model-{key}.npz").write_bytes(b"not a model")
    again = classifier.Classifier.for_bank(bank, folder)
    assert again.read("che vuol dire spocchia")[0][0].label == "glossary:spocchia"
    assert classifier.load(folder / f"model-{key}.npz", bank) is not None  # written anew
    models = sorted(p.name for p in folder.glob("model-*"))
    assert models == [f"model-{key}.npz"]  # other banks' models pruned, no partial file left


def test_a_bank_with_nothing_to_learn_reads_everything_as_out(services: Services) -> None:
    from bot.content.catalog import Example
    from bot.core.understanding import classifier

    for bank in ((), (Example("ciao", "it", "smalltalk:hello"),)):
        model = classifier.train(bank)
        intents, aspects = model.read("chi è il cdo?")
        assert intents[0].label in ("out", "smalltalk:hello") and aspects[0].label == "none"


def test_an_article_is_not_a_part_number(services: Services) -> None:
    order = services.dialogue.asking.understanding.order
    assert order.part_asked("c'è una parte che parla di internet, cosa viene dopo?") == 0
    assert order.part_asked("sono alla quarta parte") == 4
    assert order.part_asked("I'm on part four") == 4
    assert order.part_asked("one part I liked") == 0


def test_a_meaning_or_the_story_s_order_does_not_count_as_the_topic_s_card_seen(
    services: Services,
) -> None:
    say(services, ANNA, Text("cosa significa spocchia?"))
    assert services.store.readers.conversation(ANNA.user_id) == ("separate-worlds", ())
    card = text(say(services, ANNA, Text("parlami delle vite separate")))
    assert card.startswith("Vite separate\n")  # the card itself, not "already told"


def test_shorthand_typed_on_a_phone_reads_as_the_words_it_stands_for(
    services: Services,
) -> None:
    model = services.dialogue.asking.understanding.model
    typed = model.features("xke nn c'era dialogo tra it e mkt")
    spelled = model.features("perche non c'era dialogo tra it e marketing")
    assert typed[0].tolist() == spelled[0].tolist()
    assert typed[1] == pytest.approx(spelled[1])


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("cio che conta e la salute", None),
        ("per cio che riguarda la bolletta chi chiamo", None),
        ("il cio che fine fa", "cio"),
        ("what's a cio", "cio"),
        ("CIO che fa nel saggio?", "cio"),
    ],
)
def test_cio_is_the_pronoun_where_the_words_around_it_say_so(
    services: Services, question: str, topic: str | None
) -> None:
    decided = services.dialogue.asking.understanding.decide(question)
    assert (decided.topic if decided.kind == "answer" else None) == topic
