"""Agreement across sides (bot/model/agreement.py): the score and the ranking it gives."""

from __future__ import annotations

import pytest

from bot.model.agreement import SIDES, Standing, ranked


def standing(**groups: tuple[int, int]) -> Standing:
    """A standing from (agree, votes) per voters' stance, with the totals they add up to."""
    agree = sum(a for a, _ in groups.values())
    votes = sum(v for _, v in groups.values())
    return Standing(agree, votes - agree, dict(groups))


def test_the_two_sides_of_the_question_are_always_weighed() -> None:
    assert SIDES == ("separate", "integrate")


def test_an_answer_nobody_voted_on_scores_one_half() -> None:
    assert Standing().score == 0.5


def test_one_agree_from_each_side_scores_two_thirds() -> None:
    assert standing(separate=(1, 1), integrate=(1, 1)).score == pytest.approx(2 / 3)


def test_the_score_is_the_lowest_corrected_rate_among_the_groups() -> None:
    # separate: (3 + 1) / (4 + 2); integrate: (1 + 1) / (3 + 2)
    assert standing(separate=(3, 4), integrate=(1, 3)).score == pytest.approx(2 / 5)


@pytest.mark.parametrize("agrees", [1, 5, 1000])
def test_support_from_one_side_alone_never_scores_above_one_half(agrees: int) -> None:
    assert standing(separate=(agrees, agrees)).score == 0.5
    assert standing(integrate=(agrees, agrees)).score == 0.5


def test_disagreement_from_one_side_pulls_the_score_below_one_half() -> None:
    assert standing(separate=(0, 1)).score == pytest.approx(1 / 3)
    assert standing(separate=(5, 5), integrate=(0, 4)).score == pytest.approx(1 / 6)


def test_a_small_sample_is_corrected_towards_one_half() -> None:
    one_each = standing(separate=(1, 1), integrate=(1, 1)).score
    ten_each = standing(separate=(10, 10), integrate=(10, 10)).score
    assert 0.5 < one_each < ten_each < 1
    assert ten_each == pytest.approx(11 / 12)


def test_a_single_unanimous_vote_per_side_is_not_a_perfect_score() -> None:
    assert standing(separate=(1, 1), integrate=(1, 1)).score < 1
    assert standing(separate=(0, 1), integrate=(0, 1)).score > 0


def test_readers_who_say_it_depends_count_only_once_they_voted() -> None:
    both = standing(separate=(4, 4), integrate=(4, 4))
    assert both.score == pytest.approx(5 / 6)
    with_depends = standing(separate=(4, 4), integrate=(4, 4), depends=(0, 3))
    assert with_depends.score == pytest.approx(1 / 5)


def test_voters_with_no_known_stance_count_in_the_totals_not_in_the_score() -> None:
    unknown = Standing(agree=7, disagree=0, by_stance={})
    assert (unknown.agree, unknown.disagree) == (7, 0)
    assert unknown.score == Standing().score == 0.5
    mixed = Standing(agree=9, disagree=0, by_stance={"separate": (1, 1), "integrate": (1, 1)})
    assert mixed.score == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    "groups",
    [
        {},
        {"separate": (0, 50)},
        {"separate": (50, 50), "integrate": (50, 50), "depends": (50, 50)},
        {"separate": (0, 1), "integrate": (3, 9), "depends": (2, 2)},
    ],
)
def test_the_score_stays_between_zero_and_one(groups: dict[str, tuple[int, int]]) -> None:
    assert 0 < standing(**groups).score < 1


def test_cross_side_support_ranks_above_one_sided_support() -> None:
    standings = {
        1: standing(separate=(2, 2), integrate=(2, 2)),
        2: standing(separate=(30, 30)),
        3: standing(integrate=(30, 30)),
    }
    assert ranked(standings, [3, 2, 1])[0] == 1


def test_a_cross_side_disagreement_ranks_below_an_answer_nobody_voted_on() -> None:
    standings = {1: standing(separate=(9, 9), integrate=(0, 3))}
    assert ranked(standings, [1, 2]) == [2, 1]


def test_answers_without_votes_keep_their_newest_first_order() -> None:
    assert ranked({}, [9, 4, 7, 1]) == [9, 4, 7, 1]


def test_equal_scores_rank_the_answer_with_more_votes_first() -> None:
    standings = {
        5: standing(separate=(1, 1)),
        6: standing(separate=(4, 4)),
    }
    assert standings[5].score == standings[6].score == 0.5
    assert ranked(standings, [7, 5, 6]) == [6, 5, 7]


def test_equal_scores_and_votes_keep_the_order_they_came_in() -> None:
    same = standing(separate=(2, 3), integrate=(2, 3))
    standings = {1: same, 2: same, 3: same}
    assert ranked(standings, [2, 3, 1]) == [2, 3, 1]
    assert ranked(standings, [1, 2, 3]) == [1, 2, 3]


def test_ranked_orders_by_score_then_votes_then_arrival() -> None:
    standings = {
        10: standing(separate=(5, 5), integrate=(5, 5)),  # 6/7
        11: standing(separate=(1, 1), integrate=(1, 1)),  # 2/3
        12: standing(separate=(3, 3)),  # 1/2, three votes
        13: standing(integrate=(0, 2)),  # 1/4
    }
    assert ranked(standings, [13, 14, 12, 11, 10]) == [10, 11, 12, 14, 13]


def test_ranked_leaves_out_nothing_and_adds_nothing() -> None:
    standings = {1: standing(separate=(1, 1)), 99: standing(integrate=(1, 1))}
    assert sorted(ranked(standings, [3, 1, 2])) == [1, 2, 3]
    assert ranked(standings, []) == []
