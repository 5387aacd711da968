"""Deep links: where a link opens and which way in it counts as (bot.model.links), within
Telegram's 64 characters of A-Z a-z 0-9 _ -; the links of earlier versions still open."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.model import links
from bot.model.links import Link


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("", Link()),
        ("part-3", Link("part-3")),
        ("topic-millennium-bug", Link("topic-millennium-bug")),
        ("__blog", Link("", "blog")),
        ("part-1__channel", Link("part-1", "channel")),
        ("answer-12__share-0123456789abcdef", Link("answer-12", "share", "0123456789abcdef")),
        ("answer-12__share-345", Link("answer-12", "share")),  # a Telegram id is no code
        ("topic-cdo__newsletter2", Link("topic-cdo", "newsletter2")),
        ("__blog-7", Link("", "blog")),  # only a share names who shared
        ("part-3__Blog", Link("part-3")),  # a source is lower case
        ("<script>", Link()),
        ("topic-cdo__share-x", Link("topic-cdo", "share")),
        ("part-99999", Link()),
    ],
)
def test_a_payload_says_where_it_opens_and_which_way_in_it_counts(
    payload: str, expected: Link
) -> None:
    assert links.parse(payload) == expected


def test_a_link_the_bot_makes_is_one_telegram_takes_and_reads_back() -> None:
    link = Link("topic-marketing-comeback", "share", "0123456789abcdef")
    made = links.payload(link)
    assert len(made) <= 64 and links.PAYLOAD.match(made)
    assert links.parse(made) == link
    assert links.url("essay_bot", link) == f"https://t.me/essay_bot?start={made}"


def test_a_link_that_could_not_be_read_back_is_refused() -> None:
    for bad in (Link("part-3", "Blog"), Link("nowhere"), Link("", "blog", "0123456789abcdef")):
        with pytest.raises(ValueError):
            links.payload(bad)


@given(st.text(max_size=80))
def test_any_payload_parses_to_a_link_without_raising(payload: str) -> None:
    link = links.parse(payload)
    assert link.kind in ("", "topic", "part", "answer", "question")
    assert link.referrer is None or link.source == links.SHARE
