"""HTML escaping, in its one place: whatever a reader writes, Telegram shows it literally."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.content.markup import (
    Markup,
    escape,
    fill,
    markup_problems,
    to_plain,
    units,
    visible_length,
)


@given(st.text())
def test_any_escaped_text_is_valid_markup_that_shows_the_text_unchanged(text: str) -> None:
    escaped = escape(text)
    assert markup_problems(escaped) == []
    assert to_plain(escaped) == text


def test_script_tags_and_ampersands_are_shown_literally() -> None:
    text = "<script>alert(1)</script> & <b>"
    assert escape(text) == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;"


def test_markup_fragments_are_not_escaped_twice() -> None:
    assert fill("{a} {b}", {"a": Markup("<b>x</b>"), "b": "<b>"}) == "<b>x</b> &lt;b&gt;"


def test_visible_length_counts_like_telegram_in_utf16_units() -> None:
    assert visible_length("<b>ab</b>&amp;") == 3
    assert visible_length("👋") == 2


def test_markup_problems_spot_what_telegram_rejects() -> None:
    assert markup_problems("<div>x</div>") == ["tag <div> is not allowed by Telegram"]
    assert markup_problems("<b>x") == ["<b> is never closed"]
    assert markup_problems("a < b") == ["a bare '<' must be written &lt;"]
    assert markup_problems('<span class="tg-spoiler">x</span> <i>ok</i>') == []


def test_the_limits_the_core_keeps_agree_with_telegram_constants() -> None:
    from telegram.constants import CallbackQueryLimit, InlineKeyboardButtonLimit, MessageLimit

    from bot.content import markup
    from bot.core.registry import MAX_DATA_BYTES

    assert markup.MAX_TEXT == MessageLimit.MAX_TEXT_LENGTH
    assert markup.MAX_CAPTION == MessageLimit.CAPTION_LENGTH
    assert markup.MAX_NOTICE == CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH
    assert MAX_DATA_BYTES == InlineKeyboardButtonLimit.MAX_CALLBACK_DATA


@given(st.text())
def test_markup_counts_length_as_the_model_does(text: str) -> None:
    from bot.model.text import utf16_units

    assert units(text) == utf16_units(text)
