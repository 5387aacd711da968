"""Reach: the way each reader came in is counted (a deep link's source, and who shared it),
/stats shows readers, finishers and answers by source and what shares brought, /mydata a
reader's own count, /forget unlinks; ``@bot words`` offers topics, passages, the question and
the reader's own answer, each with a link back that counts as a share; share buttons under a
part, a topic card and the discussion after answering."""

from __future__ import annotations

from conftest import Build
from helpers import AUTHOR, answer, datas, say, text

from bot.bootstrap import Services
from bot.content.markup import markup_problems
from bot.core.charts import draw
from bot.core.events import Command, Offer, Press, Reader
from bot.model import links
from bot.storage import sources

ANNA, BEA, CARLO = (
    Reader(1001, "Anna", "it"),
    Reader(1002, "Bea", "it"),
    Reader(1003, "Carlo", "en"),
)


def came(services: Services, reader: Reader, payload: str = "") -> None:
    say(services, reader, Command("start", payload))


def code(services: Services, reader: Reader) -> str:
    """The reader's share code (what the links they share carry)."""
    found = services.store.readers.share_code(reader.user_id)
    assert found is not None and len(found) == 16
    return found


def source_of(services: Services, reader: Reader) -> tuple[str | None, int | None]:
    row = services.store.db.execute(
        "SELECT source, referrer FROM readers WHERE user_id = ?", (reader.user_id,)
    ).fetchone()
    return (row[0], row[1])


def test_a_reader_counts_for_the_way_they_first_came_in(services: Services) -> None:
    came(services, ANNA, "__blog")
    came(services, ANNA, "part-2__channel")  # a later link changes nothing
    came(services, BEA)
    assert source_of(services, ANNA) == ("blog", None)
    assert source_of(services, BEA) == (links.DIRECT, None)


def test_a_share_names_the_reader_who_shared_it_but_never_oneself_or_a_stranger(
    services: Services,
) -> None:
    came(services, ANNA)
    came(services, BEA, f"question__share-{code(services, ANNA)}")
    say(services, CARLO, Command("help"))  # met before, with a code of their own...
    came(services, CARLO, f"__share-{code(services, CARLO)}")  # ...and their own link
    came(services, Reader(1004, "Dario", "it"), "__share-ffffffffffffffff")  # no such code
    assert source_of(services, BEA) == ("share", ANNA.user_id)
    assert source_of(services, CARLO) == ("share", None)
    assert source_of(services, Reader(1004, "Dario", "it")) == ("share", None)


def test_a_deep_link_opens_its_answer_and_a_hidden_one_opens_the_welcome(
    build: Build,
) -> None:
    services = build(admins={42})
    answer(services, ANNA, "separate", "Separati, perché parlano lingue diverse.")
    number = services.store.answers.of_reader(ANNA.user_id).id  # type: ignore[union-attr]
    shared = f"answer-{number}__share-{code(services, ANNA)}"
    opened = say(services, BEA, Command("start", shared))
    assert "parlano lingue diverse" in text(opened)
    assert f"vote:{number}:up:t.0" in datas(opened)
    services.store.answers.set_status(number, "hidden")
    hidden = say(services, CARLO, Command("start", shared))
    assert "parlano lingue diverse" not in text(hidden)
    assert "read" in datas(hidden)  # the welcome


def test_stats_count_readers_finishers_and_answers_by_source_and_what_shares_brought(
    build: Build,
) -> None:
    services = build(admins={42})
    came(services, AUTHOR, "__blog")  # an admin is not a reader
    came(services, ANNA, "__blog")
    answer(services, ANNA, "integrate", "Integrati, senza dubbio alcuno.")
    for n in range(3):
        friend = Reader(2000 + n, f"Amico{n}", "it")
        came(services, friend, f"answer-1__share-{code(services, ANNA)}")
        if n == 0:
            answer(services, friend, "separate", "Io invece li terrei separati, e ti dico perché.")
            say(services, friend, Command("story", "7"))  # reached the last part
    report = text(say(services, AUTHOR, Command("stats")))
    assert "condivisioni: 3 · 1 · 1" in report
    assert "blog: 1 · 0 · 1" in report
    assert "Portati da chi ha condiviso: 3, dalle condivisioni di 1 lettori (i più: 3)." in report
    assert sources.recount_problems(services.store.db.connection) == []


def test_mydata_tells_how_many_readers_came_through_ones_shares_and_forget_unlinks_them(
    services: Services,
) -> None:
    came(services, ANNA)
    came(services, BEA, f"__share-{code(services, ANNA)}")
    mine = say(services, ANNA, Command("mydata"))
    assert "lettori arrivati da un tuo link condiviso: 1" in text(mine)
    theirs = say(services, BEA, Command("mydata")).replies[0].document
    assert theirs is not None and b'"referrer": true' in theirs.content()  # not who
    say(services, ANNA, Command("forget"))
    say(services, ANNA, Press("forget_yes"))
    assert source_of(services, BEA) == ("share", None)
    assert sources.recount_problems(services.store.db.connection) == []


# --- @bot words ----------------------------------------------------------------------------


def offer(services: Services, reader: Reader, query: str) -> Offer:
    """What ``@essay_bot query`` offers ``reader``, who has met the bot (so has a code)."""
    say(services, reader, Command("help"))
    services.dialogue.sharing.username = "essay_bot"
    return services.dialogue.inline(reader, query)


def test_an_empty_query_offers_the_opening_and_the_question_with_its_tally(
    services: Services,
) -> None:
    answer(services, ANNA, "depends", "Dipende da quanto l'azienda è digitale.")
    found = offer(services, BEA, "")
    assert [f.id for f in found.results][:2] == ["part-1", "question"]
    question = found.results[1]
    assert "Dipende" in str(question.text) and "1" in str(question.text)
    link = question.buttons[0][0].url
    assert link == f"https://t.me/essay_bot?start=question__share-{code(services, BEA)}"
    assert found.personal and found.cache_time > 0


def test_words_offer_the_topic_the_bot_reads_in_them_first(services: Services) -> None:
    found = offer(services, ANNA, "cdo")
    assert found.results[0].id == "topic-cdo"
    assert "CDO" in found.results[0].title
    shared = f"topic-cdo__share-{code(services, ANNA)}"
    assert found.results[0].buttons[0][0].url.endswith(shared)  # type: ignore[union-attr]


def test_part_n_offers_that_passage_and_words_the_parts_that_hold_them(
    services: Services,
) -> None:
    assert offer(services, ANNA, "parte 3").results[0].id == "part-3"
    assert offer(services, CARLO, "part 3").results[0].id == "part-3"
    found = [f.id for f in offer(services, ANNA, "Millennium Bug").results]
    assert any(i.startswith("part-") for i in found)


def test_a_reader_who_answered_is_offered_their_answer_first_when_they_ask_for_it(
    services: Services,
) -> None:
    answer(services, ANNA, "separate", "Separati: hanno obiettivi diversi.")
    number = services.store.answers.of_reader(ANNA.user_id).id  # type: ignore[union-attr]
    found = offer(services, ANNA, "la mia risposta")
    assert found.results[0].id == f"answer-{number}"
    assert "obiettivi diversi" in str(found.results[0].text)
    url = found.results[0].buttons[0][0].url or ""
    assert url.endswith(f"answer-{number}__share-{code(services, ANNA)}")
    assert f"answer-{number}" not in [f.id for f in offer(services, BEA, "").results]


def test_every_offer_is_one_telegram_takes(services: Services) -> None:
    answer(services, ANNA, "separate", "<b>Separati</b> & basta: è così.")
    for query in ("", "cdo", "parte 7", "<script>", "x" * 300, "la mia risposta", "🙂"):
        found = offer(services, ANNA, query)
        ids = [f.id for f in found.results]
        assert 1 <= len(ids) <= 50 and len(set(ids)) == len(ids)
        for result in found.results:
            assert 1 <= len(result.id.encode()) <= 64 and result.title.strip()
            assert markup_problems(str(result.text)) == [], result.id


def test_without_the_bots_name_an_offer_has_no_link(services: Services) -> None:
    assert all(not f.buttons for f in services.dialogue.inline(ANNA, "").results)


# --- the buttons that share ----------------------------------------------------------------


def shares(services: Services, reader: Reader, event: Command | Press) -> list[str]:
    outcome = say(services, reader, event)
    return [b.share for r in outcome.replies for row in r.buttons for b in row if b.share]


def test_a_part_a_topic_card_and_the_answer_confirmation_each_offer_to_share(
    services: Services,
) -> None:
    assert shares(services, ANNA, Command("story", "3")) == ["parte 3"]
    assert shares(services, CARLO, Command("story", "2")) == ["part 2"]
    assert shares(services, ANNA, Command("start", "topic-cdo")) == ["Il CDO"]
    say(services, BEA, Command("answer"))
    say(services, BEA, Press("stance:integrate"))
    say(services, BEA, Press("skip"))
    confirmed = shares(services, BEA, Press("show:name"))
    assert confirmed == ["la mia risposta"]


def test_the_stats_chart_has_readers_by_source(build: Build) -> None:
    services = build(admins={42})
    came(services, ANNA, "__blog")
    came(services, BEA, "__newsletter")
    answer(services, BEA, "depends", "Dipende, come sempre in azienda.")
    turn = services.dialogue.speaking(AUTHOR)
    data = services.dialogue.moderation.chart_data(turn)
    assert ("blog", 1, 0, 0) in data.sources and ("newsletter", 1, 0, 1) in data.sources
    assert data.sources_panel == "Da dove sono arrivati"
    png = draw(data)
    assert png.startswith(b"\x89PNG") and int.from_bytes(png[20:24]) == 1300  # six panels


def test_stats_list_the_eight_biggest_sources_and_sum_the_rest(build: Build) -> None:
    services = build(admins={42})
    for n in range(11):  # anyone can make up a source in a link
        came(services, Reader(3000 + n, f"R{n}", "it"), f"__made{n:02d}")
    report = text(say(services, AUTHOR, Command("stats")))
    assert report.count(": 1 · 0 · 0") == 8
    assert "altri: 3 · 0 · 0" in report


def test_an_answer_waiting_for_approval_is_not_offered_for_sharing(build: Build) -> None:
    services = build(admins={42}, moderation="pre")
    say(services, BEA, Command("answer"))
    say(services, BEA, Press("stance:integrate"))
    say(services, BEA, Press("skip"))
    assert shares(services, BEA, Press("show:name")) == []  # "my answer" would offer nothing
