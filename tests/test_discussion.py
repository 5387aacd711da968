"""Readers discuss: agree / disagree under answers, /answers by agreement across sides or by
stance, one answer with its replies, the discussion after answering, and before / after."""

from __future__ import annotations

import pytest
from conftest import Build
from helpers import AUTHOR, answer, datas, held, pairs, revision_of, say, text

from bot.bootstrap import Services
from bot.core.events import Command, Outcome, Press, Reader

EXPIRED = "Questo pulsante è scaduto."
VIEW = "t.0"  # votes are cast inside an opened answer


def reader(n: int) -> Reader:
    return Reader(3000 + n, f"Lettore{n}", "it")


def vote(
    services: Services, voter: Reader, answer_id: int, way: str = "up", view: str = VIEW
) -> Outcome:
    return say(services, voter, Press(f"vote:{answer_id}:{way}:{view}"))


def before(services: Services, voter: Reader, stance: str) -> None:
    """The reader opens the story for the first time and says what they think before reading."""
    say(services, voter, Command("story"))
    say(services, voter, Press(f"before:{stance}:p1"))


def counts(services: Services, answer_id: int) -> tuple[int, int]:
    standing = services.store.votes.standings([answer_id]).get(answer_id)
    return (standing.agree, standing.disagree) if standing else (0, 0)


def shown(outcome: Outcome) -> list[int]:
    """The answers of a list, in the order shown (each has one "open" button)."""
    return [int(d.split(":")[1]) for d in datas(outcome) if d.startswith("thread:")]


def starting(outcome: Outcome, prefix: str) -> list[str]:
    return [d for d in datas(outcome) if d.startswith(prefix)]


def answered(services: Services, n: int, stance: str) -> int:
    """Reader ``n`` answers with ``stance`` and a comment of their own; the answer's id."""
    answer(services, reader(n), stance, f"Il parere numero {n}: {stance}, ecco perché.")
    return held(services, reader(n)).id


# --- votes ---------------------------------------------------------------------------------------


def test_each_listed_answer_shows_its_counts_and_opens_to_its_votes(services: Services) -> None:
    first, second = answered(services, 1, "separate"), answered(services, 2, "integrate")
    listed = say(services, reader(3), Command("answers"))
    assert text(listed).count("👍 0 · 👎 0 · 💬 0") == 2
    rows = listed.replies[0].buttons
    assert [b.data for b in rows[0]] == [f"thread:{second}:0", f"thread:{first}:0"]
    assert [b.data for b in rows[1]] == ["lmenu:n:all:0:0", "tally:all:new"]  # fits a phone
    for number in (first, second):
        opened = say(services, reader(3), Press(f"thread:{number}:0"))
        assert (f"👍 0 · n. {number}", f"vote:{number}:up:{VIEW}") in pairs(opened)
        assert (f"👎 0 · n. {number}", f"vote:{number}:down:{VIEW}") in pairs(opened)


def test_an_agree_is_counted_and_the_list_redrawn_in_place(services: Services) -> None:
    number = answered(services, 1, "separate")
    voted = vote(services, reader(2), number)
    assert voted.notice.startswith("👍 Sei d'accordo.")
    assert voted.replies[0].edit
    assert (f"✅ 👍 1 · n. {number}", f"vote:{number}:up:{VIEW}") in pairs(voted)
    assert "👍 1 · 👎 0 · 💬 0" in text(voted)
    assert counts(services, number) == (1, 0)


def test_the_same_button_again_takes_the_vote_back(services: Services) -> None:
    number = answered(services, 1, "integrate")
    vote(services, reader(2), number, "down")
    again = vote(services, reader(2), number, "down")
    assert again.notice == "Voto ritirato."
    assert (f"👎 0 · n. {number}", f"vote:{number}:down:{VIEW}") in pairs(again)
    assert counts(services, number) == (0, 0)


def test_a_vote_can_be_changed_and_each_reader_counts_once(services: Services) -> None:
    number = answered(services, 1, "depends")
    vote(services, reader(2), number, "up")
    vote(services, reader(3), number, "up")
    changed = vote(services, reader(2), number, "down")
    assert changed.notice.startswith("👎 Non sei d'accordo.")
    assert (f"✅ 👎 1 · n. {number}", f"vote:{number}:down:{VIEW}") in pairs(changed)
    assert counts(services, number) == (1, 1)


def test_ones_own_answer_cannot_be_voted_on(services: Services) -> None:
    number = answered(services, 1, "separate")
    own = say(services, reader(1), Command("answers"))
    assert starting(own, "vote:") == []
    assert f"thread:{number}:0" in datas(own)
    assert vote(services, reader(1), number) == Outcome(
        notice="È la tua risposta; puoi votare quelle degli altri."
    )
    assert counts(services, number) == (0, 0)


def test_a_banned_reader_cannot_vote(build: Build) -> None:
    services = build(admins={42})
    number, banned = answered(services, 1, "separate"), answered(services, 2, "integrate")
    say(services, AUTHOR, Press(f"mod:ban:{banned}:{revision_of(services, banned)}"))
    assert vote(services, reader(2), number) == Outcome(notice="Non puoi più votare le risposte.")
    assert counts(services, number) == (0, 0)


FORGED_VOTES = (
    "vote:999:up:n.all.0 vote:{n}:sideways:n.all.0 vote:{n}:UP:n.all.0 vote:abc:up:n.all.0"
    " vote:-1:up:n.all.0 vote::up:n.all.0 vote:{n}:up vote:{n}"
).split()


@pytest.mark.parametrize("data", FORGED_VOTES)
def test_forged_vote_data_gets_a_short_notice(services: Services, data: str) -> None:
    number = answered(services, 1, "separate")
    outcome = say(services, reader(2), Press(data.format(n=number)))
    assert outcome.replies == () and outcome.notice.startswith(EXPIRED)
    assert counts(services, number) == (0, 0)


def test_a_vote_on_a_pending_or_hidden_answer_is_refused(build: Build) -> None:
    services = build(admins={42}, moderation="pre")
    number = answered(services, 1, "separate")
    assert vote(services, reader(2), number).notice.startswith(EXPIRED)
    say(services, AUTHOR, Press(f"mod:hide:{number}:{revision_of(services, number)}"))
    assert vote(services, reader(2), number).notice.startswith(EXPIRED)
    assert counts(services, number) == (0, 0)
    assert number not in shown(say(services, reader(2), Command("answers")))


def test_a_vote_under_an_unknown_view_counts_without_redrawing(services: Services) -> None:
    number = answered(services, 1, "separate")
    outcome = vote(services, reader(2), number, view="zz.9")
    assert outcome.replies == () and outcome.notice.startswith("👍")
    assert counts(services, number) == (1, 0)


def test_a_vote_keeps_the_order_filter_and_page_it_was_cast_under(services: Services) -> None:
    ids = [answered(services, n, "integrate") for n in range(1, 8)]
    answered(services, 8, "separate")
    voted = vote(services, reader(9), ids[0], view="a.integrate.1")
    assert voted.replies[0].edit
    assert "prima quelle apprezzate da chi ha posizioni diverse, pagina 2/2" in text(voted)
    assert f"lmenu:a:integrate:1:f{ids[2]}" in datas(voted)
    assert shown(voted) == [ids[2], ids[1]]  # the voted one rose to page 1 (more votes)


def test_one_answer_opens_with_its_counts_and_votes(services: Services) -> None:
    number = answered(services, 1, "depends")
    vote(services, reader(2), number, "down")
    opened = say(services, reader(3), Press(f"thread:{number}:0"))
    assert "Il parere numero 1: depends, ecco perché." in text(opened)
    assert "👍 0 · 👎 1 · 💬 0" in text(opened)
    assert f"vote:{number}:up:t.0" in datas(opened)
    assert "list:n:all:0" in datas(opened)
    voted = vote(services, reader(3), number, "up", view="t.0")
    assert voted.replies[0].edit and "👍 1 · 👎 1 · 💬 0" in text(voted)
    assert starting(say(services, reader(1), Press(f"thread:{number}:0")), "vote:") == []


def test_a_voters_stance_is_their_answers_else_their_before(services: Services) -> None:
    number = answered(services, 1, "depends")
    before(services, reader(2), "separate")
    answer(services, reader(2), "integrate", "Dopo aver letto: integrati.")
    before(services, reader(3), "separate")
    say(services, reader(4), Command("story"))  # skips the question
    for voter in (2, 3, 4):
        vote(services, reader(voter), number)
    standing = services.store.votes.standings([number])[number]
    assert (standing.agree, standing.disagree) == (3, 0)
    assert standing.by_stance == {"integrate": (1, 1), "separate": (1, 1)}


# --- the list: order, filters, pages -------------------------------------------------------------


def test_answers_both_sides_agree_with_come_first(services: Services) -> None:
    both = answered(services, 1, "separate")
    untouched = answered(services, 2, "integrate")
    one_side = answered(services, 3, "depends")
    for n, stance in ((11, "separate"), (12, "separate"), (21, "integrate")):
        before(services, reader(n), stance)
    vote(services, reader(11), both)
    vote(services, reader(21), both)
    vote(services, reader(11), one_side)
    vote(services, reader(12), one_side)
    assert shown(say(services, reader(5), Command("answers"))) == [one_side, untouched, both]
    agreed = say(services, reader(5), Press("list:a:all:0"))
    assert shown(agreed) == [both, one_side, untouched]
    assert agreed.replies[0].edit
    assert "prima quelle apprezzate da chi ha posizioni diverse" in text(agreed)
    menu = say(services, reader(5), Press("lmenu:a:all:0:0"))  # sort / filter, in place
    assert menu.replies[0].keyboard_only
    assert ("• 🤝 Condivise da tutti", "list:a:all:0") in pairs(menu)
    assert ("🆕 Recenti", "list:n:all:0") in pairs(menu)
    assert ("⬅️ Indietro", "list:a:all:0") in pairs(menu)


@pytest.mark.parametrize("stance", ["separate", "integrate", "depends"])
def test_a_stance_filter_shows_only_that_stances_answers(services: Services, stance: str) -> None:
    ids = {s: answered(services, n, s) for n, s in enumerate(("separate", "integrate", "depends"))}
    filtered = say(services, reader(9), Press(f"list:n:{stance}:0"))
    assert shown(filtered) == [ids[stance]]
    assert filtered.replies[0].edit
    assert "(1)" in text(filtered)
    menu = say(services, reader(9), Press(f"lmenu:n:{stance}:0:0"))
    names = dict(separate="Tenerli separati", integrate="Integrarli", depends="Dipende")
    assert [label for label, data in pairs(menu) if label.startswith("•")] == [
        "• 🆕 Recenti",
        f"• {names[stance]}",  # named as the stances are
    ]
    assert f"list:a:{stance}:0" in datas(menu)


def test_a_stance_with_no_answers_says_so(services: Services) -> None:
    answered(services, 1, "separate")
    empty = say(services, reader(9), Press("list:a:depends:0"))
    assert "Nessuna risposta pubblicata con questa posizione" in text(empty)
    assert {"list:a:all:0", "list:n:depends:0"} <= set(datas(empty))


def test_paging_edits_the_list_in_place_five_answers_a_page(services: Services) -> None:
    ids = [answered(services, n, "separate") for n in range(1, 8)]
    first = say(services, reader(9), Command("answers"))
    assert shown(first) == ids[::-1][:5]
    assert "pagina 1/2" in text(first) and not first.replies[0].edit
    assert ("▶", f"lpage:n:all:1:a{ids[2]}") in pairs(first)
    second = say(services, reader(9), Press(f"lpage:n:all:1:a{ids[2]}"))
    assert second.replies[0].edit
    assert shown(second) == ids[::-1][5:]
    assert "pagina 2/2" in text(second)
    assert ("◀", f"lpage:n:all:0:b{ids[1]}") in pairs(second)
    assert "▶" not in [b for b, _ in pairs(second)]
    assert shown(say(services, reader(9), Press("list:n:all:99"))) == ids[::-1][5:]


@pytest.mark.parametrize(
    "data", ["list:x:all:0", "list:n:maybe:0", "list:n:all:-1", "list:n:all:1234567", "list:n"]
)
def test_forged_list_data_gets_a_short_notice(services: Services, data: str) -> None:
    answered(services, 1, "separate")
    outcome = say(services, reader(9), Press(data))
    assert outcome.replies == () and outcome.notice.startswith(EXPIRED)


# --- the discussion after answering --------------------------------------------------------------


def test_without_votes_the_discussion_shows_the_newest_other_view(services: Services) -> None:
    answered(services, 1, "integrate")
    answered(services, 2, "depends")
    answered(services, 3, "separate")
    discussion = text(answer(services, reader(4), "separate", "Separati, come sempre."))
    other = discussion.split("Un lettore la vede diversamente:")[1]
    assert "Il parere numero 2: depends" in other
    assert "numero 1" not in other and "numero 3" not in other


def other_view_after_votes_across_sides(services: Services, agreed: int) -> str:
    """Readers of both sides agree with answer ``agreed``; then reader 4 answers "separate":
    the other view the discussion shows them."""
    for n, stance in ((11, "separate"), (21, "integrate")):
        before(services, reader(n), stance)
        vote(services, reader(n), agreed)
    discussion = text(answer(services, reader(4), "separate", "Separati, come sempre."))
    return discussion.split("Un lettore la vede diversamente:")[1]


def test_the_discussion_shows_the_other_view_agreed_across_sides(services: Services) -> None:
    agreed = answered(services, 1, "integrate")
    answered(services, 2, "depends")
    other = other_view_after_votes_across_sides(services, agreed)
    assert "Il parere numero 1: integrate" in other
    assert "numero 2" not in other


def test_the_discussion_finds_the_best_across_sides_among_all_answers_not_only_the_newest(
    services: Services,
) -> None:
    agreed = answered(services, 1, "integrate")  # agreed across sides, and the oldest
    for user in (2, 3, 5, 6, 7):  # newer, nobody voted on them (reader 4 answers last)
        answered(services, user, "integrate" if user % 2 else "depends")
    other = other_view_after_votes_across_sides(services, agreed)
    assert "Il parere numero 1: integrate" in other  # read through the rank's index
    assert "numero 7" not in other


# --- before and after reading --------------------------------------------------------------------


def test_the_first_story_asks_the_stance_before_reading_once(services: Services) -> None:
    first = say(services, reader(1), Command("story"))
    assert text(first).startswith("Prima di leggere, se ti va")
    choices = ("separate", "integrate", "depends", "skip")
    assert datas(first)[:4] == [f"before:{choice}:p1" for choice in choices]
    again = say(services, reader(1), Command("story", "1"))
    assert starting(again, "before:") == []
    assert "Prima di leggere" not in text(again)


def test_the_stance_before_reading_is_noted_once(services: Services) -> None:
    say(services, reader(1), Command("story"))
    noted = say(services, reader(1), Press("before:integrate:p1"))
    assert noted.notice.startswith("Annotato.")
    assert noted.replies[0].edit and "Prima di leggere" not in text(noted)
    assert "part:p2" in datas(noted) and starting(noted, "before:") == []
    again = say(services, reader(1), Press("before:separate:p1"))
    assert again == Outcome(notice="Me l'hai già detto, grazie.")
    assert services.store.readers.before(reader(1).user_id) == "integrate"


def test_the_tally_shows_how_many_readers_changed_their_mind(services: Services) -> None:
    moves = [("separate", "integrate"), ("separate", "integrate"), ("depends", "depends")]
    for n, (was, now) in enumerate(moves, 1):
        before(services, reader(n), was)
        answered(services, n, now)
    say(services, reader(4), Command("story"))
    say(services, reader(4), Press("before:skip:p1"))
    answered(services, 4, "separate")
    tallied = text(say(services, reader(9), Press("tally:all:new")))
    assert "Come hanno risposto finora (4):" in tallied
    assert "Da «Tenerli separati» a «Integrarli»: 2" in tallied
    assert "Non hanno cambiato idea: 1" in tallied


def test_the_reader_is_told_whether_they_changed_their_mind_after_reading(
    services: Services,
) -> None:
    before(services, reader(1), "separate")
    changed = text(answer(services, reader(1), "integrate", "Ho cambiato idea leggendo."))
    assert "Prima di leggere avevi scelto «Tenerli separati»; ora «Integrarli»: dopo" in changed
    before(services, reader(2), "depends")
    kept = text(answer(services, reader(2), "depends", "Resto della mia idea."))
    assert "Prima di leggere avevi scelto «Dipende», e la pensi ancora così." in kept


def test_an_answer_awaiting_approval_is_not_in_minds_changed(moderated: Services) -> None:
    before(moderated, reader(1), "separate")
    answered(moderated, 1, "integrate")
    tallied = text(say(moderated, reader(9), Press("tally:all:new")))
    assert "Nessuno ha ancora risposto" in tallied  # no tally of zeros
    assert "«Integrarli»" not in tallied and "0 (0%)" not in tallied


# --- who finished the essay ----------------------------------------------------------------------


def test_answers_of_readers_who_finished_the_essay_are_marked(services: Services) -> None:
    say(services, reader(1), Command("story", "7"))
    finished = answered(services, 1, "separate")
    halfway = answered(services, 2, "integrate")
    listed = text(say(services, reader(9), Command("answers")))
    items = {int(block.split(".")[0]): block for block in listed.split("\n\n")[1:]}
    assert "📖 ha letto tutto" in items[finished]
    assert "📖" not in items[halfway]
    assert "📖 ha letto tutto" in text(say(services, reader(9), Press(f"thread:{finished}:0")))


def test_the_tally_switches_between_everyone_and_finishers(services: Services) -> None:
    before(services, reader(1), "separate")
    say(services, reader(1), Command("story", "7"))
    answered(services, 1, "integrate")
    before(services, reader(2), "separate")
    answered(services, 2, "separate")
    finished = say(services, reader(9), Press("tally:fin:new"))
    assert not finished.replies[0].edit
    assert "lettori che hanno finito il saggio (1):" in text(finished)
    assert "Integrarli: 1 (100%)" in text(finished)
    assert "Da «Tenerli separati» a «Integrarli»: 1" in text(finished)
    assert "Non hanno cambiato idea: 0" in text(finished)
    assert pairs(finished) == [("📊 Tutti i lettori", "tally:all:edit")]
    everyone = say(services, reader(9), Press("tally:all:edit"))
    assert everyone.replies[0].edit
    assert "Come hanno risposto finora (2):" in text(everyone)
    assert "Non hanno cambiato idea: 1" in text(everyone)
    assert pairs(everyone) == [("📊 Solo chi ha finito di leggere", "tally:fin:edit")]
    assert say(services, reader(9), Press("tally:some:new")).notice.startswith(EXPIRED)


# --- votes follow the words they were about ------------------------------------------------------


def test_changing_the_stance_clears_the_votes_on_the_answer(services: Services) -> None:
    number = answered(services, 1, "separate")
    vote(services, reader(2), number, "up")
    vote(services, reader(3), number, "down")
    say(services, reader(1), Command("answer"))
    say(services, reader(1), Press("replace"))
    say(services, reader(1), Press("stance:integrate"))
    say(services, reader(1), Press("skip"))
    assert held(services, reader(1)).id == number
    assert counts(services, number) == (0, 0)
    assert "👍 0 · 👎 0 · 💬 0" in text(say(services, reader(2), Command("answers")))


def test_changing_only_how_one_is_shown_keeps_the_votes(services: Services) -> None:
    number = answered(services, 1, "separate")
    vote(services, reader(2), number, "up")
    say(services, reader(1), Press("redisplay"))
    say(services, reader(1), Press("show:anonymous"))
    assert held(services, reader(1)).display_name is None
    assert counts(services, number) == (1, 0)


def test_deleting_the_answer_clears_its_votes_and_its_buttons_expire(services: Services) -> None:
    number = answered(services, 1, "separate")
    vote(services, reader(2), number, "up")
    say(services, reader(1), Press("delete"))
    say(services, reader(1), Press("delete_yes"))
    assert services.store.votes.standings() == {}
    assert vote(services, reader(3), number).notice.startswith(EXPIRED)
    assert say(services, reader(3), Press(f"thread:{number}:0")).notice.startswith(EXPIRED)


def test_the_answer_shown_after_answering_can_be_voted_on_there(services: Services) -> None:
    first = answered(services, 1, "separate")
    outcome = answer(services, reader(2), "integrate", "Io li unirei, e subito.")
    assert [d for d in datas(outcome) if d.startswith("vote:")] == [
        f"vote:{first}:up:d",
        f"vote:{first}:down:d",
    ]
    pressed = vote(services, reader(2), first, "up", "d")
    assert pressed.replies[0].keyboard_only and "d'accordo" in pressed.notice
    assert counts(services, first) == (1, 0)
