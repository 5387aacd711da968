"""Edges of answering found in review: emoji lengths, stale admin cards, lost text, forged ids,
privacy and atomic writes."""

from __future__ import annotations

import json

import pytest
from conftest import Build
from helpers import AUTHOR, answer, datas, held, posted, say, text
from helpers import revision_of as held_by_id

from bot.bootstrap import Services
from bot.content.markup import MAX_TEXT, to_plain, visible_length
from bot.core.events import Command, Outcome, Press, Reader, Text


def test_emoji_comments_never_make_a_message_telegram_would_refuse(
    moderated: Services, anna: Reader
) -> None:
    long_name = Reader(7, "N" * 64, "it")
    answer(moderated, long_name, "depends", "🙂" * 1000)  # 2,000 UTF-16 units, the maximum
    for n in range(5):
        answer(moderated, Reader(100 + n, "R", "it"), "separate", "😀" * 999 + str(n))
    posted(moderated)
    pending = say(moderated, AUTHOR, Command("pending"))
    cards = posted(moderated)
    assert len(pending.replies) == 1 and len(cards) == 6
    assert all(visible_length(r.text) <= MAX_TEXT for r in cards)
    for answer_id in range(1, 7):
        revision = held_by_id(moderated, answer_id)
        say(moderated, AUTHOR, Press(f"mod:approve:{answer_id}:{revision}"))
    outcomes = [
        pending,
        say(moderated, anna, Command("answers")),
        say(moderated, long_name, Command("answer")),
        say(moderated, anna, Press("full:1")),
        say(moderated, AUTHOR, Command("stats")),
    ]
    for outcome in outcomes:
        assert all(visible_length(r.text) <= MAX_TEXT for r in outcome.replies)
    say(moderated, anna, Command("answer"))
    say(moderated, anna, Press("stance:depends"))
    refused = say(moderated, anna, Text("🙂" * 2048))
    assert "troppo lungo (4096 caratteri" in text(refused)
    assert all(visible_length(r.text) <= MAX_TEXT for r in refused.replies)


def test_an_old_admin_card_cannot_approve_a_text_the_admin_never_saw(
    moderated: Services, anna: Reader
) -> None:
    answer(moderated, anna, "integrate", "Una risposta innocua.")
    old = held(moderated, anna).revision
    say(moderated, anna, Command("answer"))
    say(moderated, anna, Press("replace"))
    say(moderated, anna, Press("stance:integrate"))
    say(moderated, anna, Text("Un testo che il moderatore non ha letto."))
    stale = say(moderated, AUTHOR, Press(f"mod:approve:1:{old}"))
    assert "è cambiata" in stale.notice
    assert "Un testo che il moderatore non ha letto." in text(stale)
    assert held(moderated, anna).status == "pending"
    fresh = held(moderated, anna).revision
    assert f"mod:approve:1:{fresh}-pending" in datas(stale)


def test_changing_how_an_answer_is_shown_goes_back_to_the_admins(
    moderated: Services, anna: Reader
) -> None:
    answer(moderated, anna, "depends", "Anonimo, all'inizio.", show="anonymous")
    say(moderated, AUTHOR, Press(f"mod:approve:1:{held(moderated, anna).revision}"))
    say(moderated, anna, Command("answer"))
    say(moderated, anna, Press("redisplay"))
    outcome = say(moderated, anna, Press("show:name"))
    assert held(moderated, anna).status == "pending"
    sent = posted(moderated)
    cards = [r for r in sent if r.card is not None]
    assert outcome.posted == 1 and [r.chat_id for r in cards] == [42]
    assert "modificata" in to_plain(cards[0].text)
    # the first approval is not told: the answer waits for review again when the news goes out
    assert not [r for r in sent if r.chat_id == anna.user_id]


def test_an_offensive_first_name_is_never_shown(moderated: Services) -> None:
    rude = Reader(9, "Merda", "it")
    outcome = answer(moderated, rude, "depends", "Un commento qualunque.", show="name")
    assert held(moderated, rude).display_name is None
    assert "Grazie" in text(outcome)


def test_choosing_a_stance_again_gives_back_the_comment_written_before(
    services: Services, anna: Reader
) -> None:
    say(services, anna, Command("answer"))
    say(services, anna, Press("stance:depends"))
    say(services, anna, Text("Il mio pensiero prezioso."))
    again = say(services, anna, Press("stance:separate"))
    assert "Il mio pensiero prezioso." in text(again)


def test_a_reader_banned_while_answering_gets_their_comment_back(
    moderated: Services, anna: Reader
) -> None:
    answer(moderated, anna, "separate", "Prima risposta.")
    say(moderated, anna, Command("answer"))
    say(moderated, anna, Press("replace"))
    say(moderated, anna, Press("stance:integrate"))
    say(moderated, AUTHOR, Press(f"mod:ban:1:{held(moderated, anna).revision}"))
    refused = say(moderated, anna, Text("Scritto mentre venivo bloccato."))
    assert "non inviare risposte" in text(refused)
    assert "Scritto mentre venivo bloccato." in text(refused)


@pytest.mark.parametrize(
    "data",
    [
        "full:99999999999999999999",
        "mod:ban:99999999999999999999:abc",
        "answers:9999999",
        "full:abc",
        "mod:ban:0:x",
        "show:x",
        "stance:evil",
        "topic:..",
        "delete_yes",
        "skip",
    ],
)
def test_forged_buttons_get_a_polite_answer_and_never_an_error(
    moderated: Services, data: str
) -> None:
    expired = to_plain(moderated.content.say("notice_expired", "it"))
    card_expired = to_plain(moderated.content.say("notice_card_expired", "it"))
    not_allowed = to_plain(moderated.content.say("notice_not_allowed", "it"))
    for reader in (AUTHOR, Reader(5, "Eve", "it")):
        outcome = moderated.dialogue.handle(reader, Press(data))
        admin_card = data.startswith("mod:")
        wanted = (card_expired if reader == AUTHOR else not_allowed) if admin_card else expired
        assert outcome == Outcome(notice=wanted)


def test_a_hidden_answer_replaced_by_its_reader_waits_for_an_admin(
    build: Build, anna: Reader
) -> None:
    services = build(admins={42})
    answer(services, anna, "separate", "Da nascondere.")
    say(services, AUTHOR, Press(f"mod:hide:1:{held(services, anna).revision}"))
    say(services, anna, Command("answer"))
    say(services, anna, Press("replace"))
    say(services, anna, Press("stance:separate"))
    say(services, anna, Text("Riscritta dopo essere stata nascosta."))
    assert held(services, anna).status == "pending"
    say(services, anna, Command("answer"))
    say(services, anna, Press("redisplay"))
    say(services, anna, Press("show:anonymous"))
    assert held(services, anna).status == "pending"


def test_the_cancel_button_under_a_confirmation_keeps_everything(
    services: Services, anna: Reader
) -> None:
    answer(services, anna, "separate", "Da non cancellare.")
    say(services, anna, Press("delete"))
    kept = say(services, anna, Press("cancel"))
    assert "non ho cambiato nulla" in text(kept) and kept.replies[0].edit
    assert services.store.answers.of_reader(anna.user_id) is not None


def test_the_same_text_with_other_spacing_is_still_a_duplicate(
    services: Services, anna: Reader
) -> None:
    answer(services, Reader(3, "Ben", "it"), "separate", "Ciao mondo bello")
    say(services, anna, Command("answer"))
    say(services, anna, Press("stance:separate"))
    assert "già stato inviato" in text(say(services, anna, Text("ciao  mondo   BELLO")))


def test_mydata_shows_submission_fingerprints_and_bans_but_keeps_no_text_copies(
    moderated: Services, anna: Reader
) -> None:
    answer(moderated, anna, "separate", "Un testo da non copiare.")
    say(moderated, AUTHOR, Press(f"mod:ban:1:{held(moderated, anna).revision}"))
    document = say(moderated, anna, Command("mydata")).replies[0].document
    assert document is not None
    data = json.loads(document.data)
    assert set(data["ban"]) == {"banned_at"}  # when, not which admin
    assert len(data["submissions"][0]["fingerprint"]) == 32
    dump = "\n".join(str(r) for r in moderated.store.db.execute("SELECT * FROM submissions"))
    assert "copiare" not in dump


def test_forget_does_not_reset_the_rate_limit(services: Services, anna: Reader) -> None:
    for n in range(3):
        answer(services, anna, "depends", f"Tentativo {n} prima di dimenticare.")
    say(services, anna, Press("forget_yes"))
    assert services.store.answers.of_reader(anna.user_id) is None
    refused = say(services, anna, Command("answer"))
    assert "Hai già inviato 3 tra risposte e repliche" in text(refused)


def test_another_command_pauses_the_comment_step_and_questions_are_still_questions(
    services: Services, anna: Reader
) -> None:
    say(services, anna, Command("answer"))
    say(services, anna, Press("stance:integrate"))
    say(services, anna, Command("story", "2"))
    assert "Il CDO" in text(say(services, anna, Text("chi è il CDO?")))
    assert services.store.answers.of_reader(anna.user_id) is None
    say(services, anna, Press("stance:integrate"))
    assert datas(say(services, anna, Text("Ora sì, il mio commento."))) == [
        "show:name",
        "show:anonymous",
    ]


def test_the_csv_export_never_hands_a_spreadsheet_a_formula(build: Build) -> None:
    import csv
    import io

    from bot.core.exports import safe_cell

    services = build(admins={42})
    dangerous = ('=HYPERLINK("http://x")', "+1+1 cmd", "-2+3 calc", "@SUM(A1)")
    for number, comment in enumerate(dangerous):
        answer(services, Reader(200 + number, "=cmd|calc", "it"), "depends", comment)
    document = say(services, AUTHOR, Command("export")).replies[0].document
    assert document is not None
    rows = list(csv.DictReader(io.StringIO(document.content().decode("utf-8-sig"))))
    texts = {row["text"] for row in rows}
    assert texts == {"'" + comment for comment in dangerous}
    assert all(row["display_name"] == "'=cmd|calc" for row in rows)
    assert not any(
        value.startswith(("=", "+", "-", "@", "\t")) for r in rows for value in r.values()
    )
    assert safe_cell("\tTAB") == "'\tTAB" and safe_cell("\rx") == "'\rx" and safe_cell(3) == 3


def test_the_export_is_read_on_its_own_connection_while_the_bot_keeps_writing(
    build: Build,
) -> None:
    services = build(admins={42}, on_disk=True)
    answer(services, Reader(201, "Eva", "it"), "depends", "Una risposta da esportare.")
    outcome = say(services, AUTHOR, Command("export"))
    answers, replies = (reply.document for reply in outcome.replies)
    assert answers is not None and replies is not None and answers.data == b""
    with services.store.transaction():  # the bot is in the middle of writing an event
        services.store.readers.touch(202, "Ugo", "it")
        data = answers.content()  # read from another connection: no lock, no wait
    assert "Una risposta da esportare." in data.decode("utf-8-sig")
    assert replies.content().decode("utf-8-sig").startswith("id,answer_id,")
