"""/answers pages by their neighbours (keyset pagination): ◀ ▶ read the answers next to the
ones shown through one range of an index, so a deep page costs what the first does, and answers
arriving between two presses neither repeat nor skip one (newest first; by agreement, votes move
answers between pages)."""

from __future__ import annotations

import pytest
from helpers import answer, datas, held, pairs, say, text

from bot.bootstrap import Services
from bot.core.events import Command, Outcome, Press, Reader
from bot.model.answers import STANCES

EXPIRED = "Questo pulsante è scaduto."


def reader(n: int) -> Reader:
    return Reader(5000 + n, f"Lettore{n}", "it")


def answered(services: Services, n: int, stance: str) -> int:
    answer(services, reader(n), stance, f"Il parere numero {n}: {stance}, ecco perché.")
    return held(services, reader(n)).id


def shown(outcome: Outcome) -> list[int]:
    return [int(d.split(":")[1]) for d in datas(outcome) if d.startswith("thread:")]


def arrow(outcome: Outcome, label: str) -> str | None:
    found = [data for shown_label, data in pairs(outcome) if shown_label == label]
    return found[0] if found else None


def walk(services: Services, first: str) -> list[list[int]]:
    """The pages met pressing ▶ from the list ``first`` opens, to the end."""
    outcome = say(services, reader(99), Press(first))
    pages = [shown(outcome)]
    while (following := arrow(outcome, "▶")) is not None:
        outcome = say(services, reader(99), Press(following))
        pages.append(shown(outcome))
    return pages


def test_paging_forward_in_every_order_and_filter_shows_each_answer_once_in_order(
    services: Services,
) -> None:
    ids = [answered(services, n, STANCES[n % 3]) for n in range(1, 24)]
    for voter in range(30, 36):  # votes from every side, so the rank differs from the date
        for number in ids[voter % 5 :: 4]:
            say(services, reader(voter), Press(f"vote:{number}:up:t.0"))
    for order in ("n", "a"):
        for stance in ("all", *STANCES):
            pages = walk(services, f"list:{order}:{stance}:0")
            everything = services.store.answers.page_ids(
                order, None if stance == "all" else stance, 0, 100
            )
            assert [i for page in pages for i in page] == everything
            assert all(len(page) == 5 for page in pages[:-1]) and pages[-1]


def test_answers_arriving_between_two_presses_neither_repeat_nor_skip_one(
    services: Services,
) -> None:
    ids = [answered(services, n, "separate") for n in range(1, 13)]
    first = say(services, reader(99), Command("answers"))
    assert shown(first) == ids[::-1][:5]
    for n in range(13, 16):  # three new answers go on top while the reader reads page 1
        answered(services, n, "integrate")
    second = say(services, reader(99), Press(arrow(first, "▶") or ""))
    assert shown(second) == ids[::-1][5:10]  # what followed the last one shown
    assert "pagina 2/3" in text(second)


def test_going_back_shows_the_page_before_the_first_answer_shown(services: Services) -> None:
    ids = [answered(services, n, "depends") for n in range(1, 18)]
    pages = walk(services, "list:n:all:0")
    assert len(pages) == 4
    third = say(services, reader(99), Press(f"lpage:n:all:2:a{pages[1][-1]}"))
    back = arrow(third, "◀")
    assert back == f"lpage:n:all:1:b{pages[2][0]}"
    assert shown(say(services, reader(99), Press(back))) == ids[::-1][5:10]


def test_going_back_after_new_answers_arrived_shows_the_five_just_before(
    services: Services,
) -> None:
    ids = [answered(services, n, "separate") for n in range(1, 13)]
    second = say(services, reader(99), Press(f"lpage:n:all:1:a{ids[7]}"))
    assert shown(second) == ids[::-1][5:10]
    for n in range(13, 16):  # three new answers on top while the reader reads page 2
        answered(services, n, "integrate")
    back = say(services, reader(99), Press(arrow(second, "◀") or ""))
    assert shown(back) == ids[::-1][:5]  # not the three new ones and two old
    assert arrow(back, "◀") is not None  # the new ones are still before them


def test_a_page_before_with_too_few_answers_left_is_the_first_page(services: Services) -> None:
    ids = [answered(services, n, "depends") for n in range(1, 13)]
    services.store.answers.delete(reader(12).user_id)  # the newest answer is gone meanwhile
    services.store.answers.delete(reader(11).user_id)
    back = say(services, reader(99), Press(f"lpage:n:all:1:b{ids[-6]}"))
    assert shown(back) == ids[::-1][2:7]
    assert "pagina 1/2" in text(back) and arrow(back, "◀") is None


def test_a_page_whose_neighbour_is_gone_is_read_by_its_number(services: Services) -> None:
    ids = [answered(services, n, "integrate") for n in range(1, 13)]
    services.store.answers.delete(reader(8).user_id)  # the last one of page 1
    following = say(services, reader(99), Press(f"lpage:n:all:1:a{ids[7]}"))
    rest = [i for i in ids[::-1] if i != ids[7]]
    assert shown(following) == rest[5:10]


def test_sort_and_back_return_to_the_same_page(services: Services) -> None:
    ids = [answered(services, n, "separate") for n in range(1, 13)]
    second = say(services, reader(99), Press(f"lpage:n:all:1:a{ids[7]}"))
    assert f"lmenu:n:all:1:f{ids[6]}" in datas(second)
    menu = say(services, reader(99), Press(f"lmenu:n:all:1:f{ids[6]}"))
    back = arrow(menu, "⬅️ Indietro")
    assert back == f"lpage:n:all:1:f{ids[6]}"
    assert shown(say(services, reader(99), Press(back))) == shown(second)


@pytest.mark.parametrize(
    "data",
    [
        "lpage:n:all:1:x5",
        "lpage:n:all:1:a",
        "lpage:n:all:1:a12345678901234",
        "lpage:n:all:1:a-3",
        "lpage:z:all:1:a3",
        "lmenu:n:all:0:b",
        "lpage:n:all:1",
    ],
)
def test_a_forged_page_anchor_gets_a_short_notice(services: Services, data: str) -> None:
    answered(services, 1, "separate")
    assert say(services, reader(99), Press(data)).notice.startswith(EXPIRED)


@pytest.mark.parametrize("stance", [None, "depends"])
@pytest.mark.parametrize("order", ["n", "a"])
@pytest.mark.parametrize("how", ["after", "from", "before"])
def test_every_page_is_one_range_of_an_index(
    services: Services, order: str, stance: str | None, how: str
) -> None:
    answered(services, 1, "depends")
    answered(services, 2, "depends")
    plans: list[str] = []
    database = services.store.db
    real = database.execute

    def explained(sql: str, args: tuple[object, ...] = ()) -> object:
        if "ORDER BY" in sql:
            plans.extend(str(row[3]) for row in real("EXPLAIN QUERY PLAN " + sql, args))
        return real(sql, args)

    database.execute = explained  # type: ignore[method-assign]
    try:
        services.store.answers.page_ids_from(order, stance, 1, how, 6)
    finally:
        del database.execute
    assert len(plans) == 1 and plans[0].startswith("SEARCH answers USING COVERING INDEX")
    # the range starts at the anchor on every sort key, not only the first: a rank shared by
    # thousands of unvoted answers would otherwise be walked from its start
    keys = "created_at" if order == "n" else "(rank_score,rank_votes,created_at)"
    assert f"AND {keys}{'>' if how == 'before' else '<'}" in plans[0]
