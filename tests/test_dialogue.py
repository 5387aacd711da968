"""The conversation core, driven directly: what the bot answers to each thing a reader sends."""

from __future__ import annotations

from helpers import datas, labels, say

from bot.bootstrap import Services
from bot.content.markup import markup_problems, to_plain, visible_length
from bot.core import registry
from bot.core.events import Command, Press, Reader, Unsupported


def test_start_welcomes_the_reader_by_name_with_a_button_to_read(
    services: Services, anna: Reader
) -> None:
    outcome = say(services, anna, Command("start"))
    assert "Ciao Anna!" in outcome.replies[0].text
    assert datas(outcome) == ["read", "topics", "answer"]


def test_start_speaks_english_to_an_english_reader(services: Services) -> None:
    outcome = say(services, Reader(5, "Bob", "en"), Command("start"))
    assert "Hi Bob!" in outcome.replies[0].text
    assert labels(outcome) == ["📖 Read the essay", "🧭 Topics", "💬 Answer the question"]


def test_a_new_reader_starts_the_story_at_part_one_without_a_back_button(
    services: Services, anna: Reader
) -> None:
    outcome = say(services, anna, Command("story"))
    reply = outcome.replies[0]
    assert "C’era una volta" in reply.text
    assert "1/7" in to_plain(reply.text)
    assert "Prima di leggere, se ti va" in reply.text  # asked once, at the start
    assert datas(outcome) == [
        "before:separate:p1",
        "before:integrate:p1",
        "before:depends:p1",
        "before:skip:p1",
        "part:p2",
    ]
    assert not reply.edit
    again = say(services, anna, Command("story", "1"))
    assert datas(again) == ["part:p2"] and "Prima di leggere" not in again.replies[0].text


def test_next_edits_the_same_message_and_shows_both_arrows(
    services: Services, anna: Reader
) -> None:
    outcome = say(services, anna, Press("part:p2"))
    assert outcome.replies[0].edit
    assert "2/7" in to_plain(outcome.replies[0].text)
    assert labels(outcome) == ["◀", "▶", "📤 Condividi questo passo"]
    assert datas(outcome) == ["part:p1", "part:p3"]


def test_the_last_part_has_no_next_button_and_ends_with_the_question(
    services: Services, anna: Reader
) -> None:
    outcome = say(services, anna, Command("story", "7"))
    text = to_plain(outcome.replies[0].text)
    assert text.rstrip().endswith("«Marketing e IT: ha ancora senso che siano separati?»")
    assert "▶" not in labels(outcome)
    assert "◀" in labels(outcome)


def test_the_story_resumes_where_the_reader_left_off(services: Services, anna: Reader) -> None:
    say(services, anna, Command("story", "4"))
    say(services, anna, Press("part:p5"))
    outcome = say(services, anna, Command("story"))
    assert "5/7" in to_plain(outcome.replies[0].text)
    assert say(services, anna, Press("read")).replies[0].text == outcome.replies[0].text


def test_a_part_out_of_range_gets_a_clear_message(services: Services, anna: Reader) -> None:
    outcome = say(services, anna, Command("story", "9"))
    assert to_plain(outcome.replies[0].text) == (
        "Il saggio ha 7 parti: la parte 9 non c'è."
        " Prova con /story 1, o con /story 7 per l'ultima."
    )
    assert "1/7" in to_plain(say(services, anna, Command("story")).replies[0].text)


def test_a_story_argument_that_is_not_a_number_is_explained(
    services: Services, anna: Reader
) -> None:
    outcome = say(services, anna, Command("story", "<b>tre</b>"))
    assert "da 1 a 7" in outcome.replies[0].text
    assert not markup_problems(outcome.replies[0].text)


def test_a_forged_or_stale_button_answers_with_an_expired_notice_and_changes_nothing(
    services: Services, anna: Reader
) -> None:
    say(services, anna, Command("story", "3"))
    for data in ["part:p99", "part", "nonsense", "", "part:p1:extra", "x" * 300, "part:<b>"]:
        outcome = say(services, anna, Press(data))
        assert outcome.replies == ()
        assert "scaduto" in outcome.notice
    assert "3/7" in to_plain(say(services, anna, Command("story")).replies[0].text)


def test_every_button_the_story_shows_fits_in_telegram_callback_data(
    services: Services, anna: Reader
) -> None:
    for number in range(1, 8):
        outcome = say(services, anna, Command("story", str(number)))
        assert all(registry.decode(data) is not None for data in datas(outcome))
        assert all(len(data.encode()) <= 64 for data in datas(outcome))
        assert visible_length(outcome.replies[0].text) <= 4096
        assert not markup_problems(outcome.replies[0].text)


def test_unknown_commands_and_stickers_get_a_short_hint(services: Services, anna: Reader) -> None:
    assert "/foo" in to_plain(say(services, anna, Command("foo")).replies[0].text)
    assert "testo" in to_plain(say(services, anna, Unsupported("sticker")).replies[0].text)


def test_help_lists_the_commands(services: Services, anna: Reader) -> None:
    text = to_plain(say(services, anna, Command("help")).replies[0].text)
    assert "/story" in text and "/help" in text
