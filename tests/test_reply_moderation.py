"""Replies to answers, the admins' side: held replies, reply cards (negative card ids),
verdicts from a card or an answer's page, stale cards, bans, and forged buttons."""

from __future__ import annotations

import pytest
from conftest import Build
from helpers import AUTHOR, Clock, answer, datas, held, posted, reply, say, text

from bot.bootstrap import Services
from bot.content.markup import markup_problems, to_plain
from bot.core.events import Command, Press, Reader, Reply, Text

BEN = Reader(2002, "Ben", "it")
CARLA = Reader(3003, "Carla", "it")


def published_answer(services: Services, anna: Reader) -> None:
    """Anna's answer 1, published, with notifications on; the outbox emptied."""
    answer(services, anna, "separate", "Separati: ognuno fa il suo mestiere.")
    if held(services, anna).status == "pending":
        say(services, AUTHOR, Press(f"mod:approve:1:{held(services, anna).revision}"))
    say(services, anna, Press("notify:on"))
    posted(services)


def revision(services: Services, reply_id: int = 1) -> str:
    found = services.store.replies.get(reply_id)
    assert found is not None
    return found.revision


def status(services: Services, reply_id: int = 1) -> str:
    found = services.store.replies.get(reply_id)
    assert found is not None
    return found.status


def buttons(reply: Reply) -> list[str]:
    return [b.data or "" for row in reply.buttons for b in row]


def news(sent: list[Reply], reader: Reader) -> str:
    return "\n".join(to_plain(r.text) for r in sent if r.chat_id == reader.user_id)


def test_in_pre_moderation_a_reply_waits_and_only_its_writer_sees_it(
    moderated: Services, anna: Reader
) -> None:
    published_answer(moderated, anna)
    saved = reply(moderated, BEN, 1, "Una replica da approvare.")
    assert "sarà visibile dopo l'approvazione" in text(saved)
    assert status(moderated) == "pending"
    others = text(say(moderated, CARLA, Press("thread:1:0")))
    assert "Una replica da approvare." not in others and "💬 0" in others
    own = text(say(moderated, BEN, Press("thread:1:0")))
    assert "Una replica da approvare." in own and "in attesa di approvazione" in own
    assert news(posted(moderated), anna) == ""  # nothing to hear of until it is approved


def test_every_admin_gets_a_card_of_a_readers_reply_with_its_buttons(
    build: Build, anna: Reader
) -> None:
    services = build(admins={42, 43})
    published_answer(services, anna)
    reply(services, BEN, 1, "Una replica <b>da</b> controllare.")
    cards = [r for r in posted(services) if r.card is not None]
    assert [(r.chat_id, r.card) for r in cards] == [(42, -1), (43, -1)]
    assert "Nuova replica n. 1" in to_plain(cards[0].text)
    assert "Una replica <b>da</b> controllare." in to_plain(cards[0].text)
    assert markup_problems(cards[0].text) == []
    rev = revision(services)
    assert buttons(cards[0]) == [f"rmod:hide:1:{rev}:c", f"rmod:ban:1:{rev}:c"]


def test_pending_lists_held_replies_each_with_its_buttons(build: Build, anna: Reader) -> None:
    clock = Clock()
    moderated = build(admins={42}, moderation="pre", clock=clock)
    published_answer(moderated, anna)
    reply(moderated, BEN, 1, "Una replica in coda.")
    clock.advance(minutes=1)  # the approved card's edit, waiting behind the press, goes
    posted(moderated)
    listed = say(moderated, AUTHOR, Command("pending"))
    assert "risposte: 0 · repliche: 1" in text(listed)
    (card,) = posted(moderated)
    assert card.chat_id == AUTHOR.user_id and "Una replica in coda." in to_plain(card.text)
    rev = revision(moderated)
    data = [b.data for row in card.buttons for b in row]
    assert data == [f"rmod:{v}:1:{rev}:c" for v in ("approve", "hide", "ban")]


def test_an_admin_approves_a_held_reply_from_its_card_and_both_writers_are_told(
    build: Build, anna: Reader
) -> None:
    clock = Clock()
    moderated = build(admins={42}, moderation="pre", clock=clock)
    published_answer(moderated, anna)
    clock.advance(minutes=11)  # Anna was told of her answer: her next news is a bundle later
    reply(moderated, BEN, 1, "Una replica da approvare.")
    verdict = say(moderated, AUTHOR, Press(f"rmod:approve:1:{revision(moderated)}:c"))
    assert verdict.notice == "Replica 1: pubblicata." and verdict.replies[0].edit
    assert status(moderated) == "published"
    sent = posted(moderated)
    assert "La tua replica n. 1 (alla risposta n. 1) è stata approvata" in news(sent, BEN)
    assert "Ben ha replicato alla tua risposta n. 1." in news(sent, anna)
    assert "Una replica da approvare." in text(say(moderated, CARLA, Press("thread:1:0")))


def test_an_admin_hides_a_held_reply_from_its_card_and_its_writer_is_told(
    moderated: Services, anna: Reader
) -> None:
    published_answer(moderated, anna)
    reply(moderated, BEN, 1, "Una replica da non pubblicare.")
    verdict = say(moderated, AUTHOR, Press(f"rmod:hide:1:{revision(moderated)}:c"))
    assert verdict.notice == "Replica 1: nascosta dal moderatore."
    sent = posted(moderated)
    assert "La tua replica n. 1 (alla risposta n. 1) non è stata pubblicata." in news(sent, BEN)
    assert news(sent, anna) == ""
    assert "Una replica da non pubblicare." not in text(say(moderated, BEN, Press("thread:1:0")))


def test_a_card_whose_reply_was_edited_since_is_refreshed_and_decides_nothing(
    moderated: Services, anna: Reader
) -> None:
    published_answer(moderated, anna)
    reply(moderated, BEN, 1, "Una replica innocua.")
    old = revision(moderated)
    say(moderated, BEN, Press("redit:1"))
    say(moderated, BEN, Text("Un testo che il moderatore non ha letto."))
    stale = say(moderated, AUTHOR, Press(f"rmod:approve:1:{old}:c"))
    assert "è cambiata" in stale.notice and stale.replies[0].edit
    assert "Un testo che il moderatore non ha letto." in text(stale)
    assert f"rmod:approve:1:{revision(moderated)}:c" in datas(stale)
    assert status(moderated) == "pending"


def test_an_edited_reply_goes_back_to_every_admins_card_marked_as_edited(
    build: Build, anna: Reader
) -> None:
    services = build(admins={42})
    published_answer(services, anna)
    reply(services, BEN, 1, "Prima versione.")
    posted(services)
    say(services, BEN, Press("redit:1"))
    say(services, BEN, Text("Seconda versione, rivista."))
    (card,) = [r for r in posted(services) if r.card == -1]
    assert card.chat_id == 42 and "Replica n. 1 modificata" in to_plain(card.text)
    assert "Seconda versione, rivista." in to_plain(card.text)
    assert f"rmod:hide:1:{revision(services)}:c" in buttons(card)


def test_an_answers_page_seen_before_an_edit_cannot_hide_the_new_text(
    build: Build, anna: Reader
) -> None:
    services = build(admins={42})
    published_answer(services, anna)
    reply(services, BEN, 1, "Prima versione.")
    seen = say(services, AUTHOR, Press("thread:1:0"))
    hide = f"rmod:hide:1:{revision(services)}:t"
    assert hide in datas(seen)
    say(services, BEN, Press("redit:1"))
    say(services, BEN, Text("Seconda versione."))
    stale = say(services, AUTHOR, Press(hide))
    assert "è cambiata" in stale.notice and stale.replies == ()
    assert status(services) == "published"


def test_an_admin_hides_a_published_reply_from_the_answers_page(
    build: Build, anna: Reader
) -> None:
    services = build(admins={42})
    published_answer(services, anna)
    reply(services, BEN, 1, "Una replica fuori luogo.")
    verdict = say(services, AUTHOR, Press(f"rmod:hide:1:{revision(services)}:t"))
    assert verdict.notice == "Replica 1: nascosta dal moderatore."
    assert status(services) == "hidden"
    for reader in (CARLA, BEN, anna):
        shown = text(say(services, reader, Press("thread:1:0")))
        assert "Una replica fuori luogo." not in shown and "💬 0" in shown
    hidden = say(services, AUTHOR, Press("thread:1:0"))
    assert not any(d.startswith("rmod:") for d in datas(hidden))
    # hidden once, the writer's next replies wait for an admin
    assert "dopo l'approvazione" in text(reply(services, BEN, 1, "Riprovo con calma."))


def test_a_hidden_reply_rewritten_by_its_writer_waits_for_an_admin(
    build: Build, anna: Reader
) -> None:
    services = build(admins={42})
    published_answer(services, anna)
    saved = reply(services, BEN, 1, "Una replica da nascondere.")
    say(services, AUTHOR, Press(f"rmod:hide:1:{revision(services)}:t"))
    assert "redit:1" in datas(saved)
    say(services, BEN, Press("redit:1"))
    edited = say(services, BEN, Text("Riscritta con garbo."))
    assert "sarà visibile dopo l'approvazione" in text(edited)
    assert status(services) == "pending"
    assert "Riscritta con garbo." not in text(say(services, CARLA, Press("thread:1:0")))


def test_a_reply_deleted_by_its_writer_leaves_cards_that_say_so_and_keep_the_ban(
    build: Build, anna: Reader
) -> None:
    services = build(admins={42, 43})
    published_answer(services, anna)
    reply(services, BEN, 1, "Una replica che ritiro.")
    old = revision(services)
    say(services, BEN, Press("rdel_yes:1"))
    cards = [r for r in posted(services) if r.card == -1]
    assert {r.chat_id for r in cards} == {42, 43}
    for card in cards:
        assert "ritirata da chi l'ha scritta" in to_plain(card.text)
        assert "Una replica che ritiro." not in to_plain(card.text)
        assert buttons(card) == ["rmod:ban:1:0:c"]
    late = say(services, AUTHOR, Press(f"rmod:approve:1:{old}:c"))
    assert late.replies == () and "ritirata" in late.notice
    banned = say(services, AUTHOR, Press("rmod:ban:1:0:c"))
    assert "2002" in banned.notice and services.store.answers.is_banned(BEN.user_id)


def test_banning_a_replys_writer_hides_their_replies_and_stops_new_ones(
    build: Build, anna: Reader
) -> None:
    services = build(admins={42})
    published_answer(services, anna)
    reply(services, BEN, 1, "Prima replica.")
    answer(services, CARLA, "depends", "Un'altra risposta.")
    reply(services, BEN, 2, "Seconda replica.")
    say(services, AUTHOR, Press(f"rmod:ban:1:{revision(services)}:t"))
    assert services.store.answers.is_banned(BEN.user_id)
    assert {r.status for r in services.store.replies.of_reader(BEN.user_id)} == {"hidden"}
    assert "Seconda replica." not in text(say(services, anna, Press("thread:2:0")))
    assert "non inviare risposte" in text(say(services, BEN, Press("reply:1")))
    assert "non inviare risposte" in text(say(services, BEN, Press("redit:1")))


def test_a_reader_banned_while_editing_a_reply_gets_the_text_back_and_nothing_changes(
    build: Build, anna: Reader
) -> None:
    services = build(admins={42})
    published_answer(services, anna)
    reply(services, BEN, 1, "Prima del blocco.")
    say(services, BEN, Press("redit:1"))
    say(services, AUTHOR, Press(f"rmod:ban:1:{revision(services)}:t"))
    posted(services)
    refused = say(services, BEN, Text("Scritta mentre venivo bloccato."))
    assert "non inviare risposte" in text(refused)
    assert "Scritta mentre venivo bloccato." in text(refused)
    kept = services.store.replies.get(1)
    assert kept is not None and (kept.text, kept.status) == ("Prima del blocco.", "hidden")
    assert [r for r in posted(services) if r.card is not None] == []


def test_a_verdict_without_the_revision_the_admin_saw_decides_nothing(
    moderated: Services, anna: Reader
) -> None:
    published_answer(moderated, anna)
    reply(moderated, BEN, 1, "Mai letta da un moderatore.")
    outcome = say(moderated, AUTHOR, Press("rmod:approve:1:0:t"))
    assert "è cambiata" in outcome.notice
    assert status(moderated) == "pending"


@pytest.mark.parametrize(
    "data",
    ["rmod:approve:1:{rev}:c", "rmod:hide:1:{rev}:t", "rmod:ban:1:{rev}:c", "rmod:ban:1:0:c"],
)
def test_a_reader_pressing_a_reply_moderation_button_changes_nothing(
    moderated: Services, anna: Reader, data: str
) -> None:
    published_answer(moderated, anna)
    reply(moderated, BEN, 1, "Da moderare, prego.")
    outcome = say(moderated, CARLA, Press(data.format(rev=revision(moderated))))
    assert outcome.replies == () and "non è per te" in outcome.notice
    assert status(moderated) == "pending"
    assert not moderated.store.answers.is_banned(BEN.user_id)


@pytest.mark.parametrize(
    "data",
    ["rmod:ban:999:0:c", "rmod:zap:1:0:c", "rmod:hide:1:0:q", "rmod:hide:x:0:t", "rmod:hide:1"],
)
def test_a_forged_reply_moderation_button_gets_a_polite_notice(
    moderated: Services, anna: Reader, data: str
) -> None:
    published_answer(moderated, anna)
    reply(moderated, BEN, 1, "Da moderare, prego.")
    outcome = say(moderated, AUTHOR, Press(data))
    assert outcome.replies == () and outcome.notice != ""
    assert status(moderated) == "pending"
    assert not moderated.store.answers.is_banned(BEN.user_id)
