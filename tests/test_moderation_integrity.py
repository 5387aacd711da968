"""Moderation follows the reader, not the row: ids are never reused, an old card acts on the
reader it was made for, deleting never dodges a review, a banned reader moves nothing, and
changing how one is shown cannot flood the admins."""

from __future__ import annotations

from conftest import Build
from helpers import AUTHOR, Clock, answer, held, listed, posted, say, text

from bot.bootstrap import Services, bootstrap
from bot.config import Config
from bot.core.events import Command, Press, Reader, Text
from bot.model.limits import QUESTION_RATE

ANNA, BEN = Reader(1001, "Anna", "it"), Reader(2002, "Ben", "it")


def card_press(services: Services, verb: str) -> str:
    """The data of the ``verb`` button on the newest card posted to admin 42."""
    for reply in reversed(posted(services)):
        if reply.chat_id == 42:
            for row in reply.buttons:
                for button in row:
                    if (button.data or "").startswith(f"mod:{verb}:"):
                        return str(button.data)
    raise AssertionError(f"no {verb} button")


def verdict_buttons(services: Services) -> dict[tuple[int, str], str]:
    """The verdict buttons of the cards waiting in the outbox, by (admin chat, verb)."""
    return {
        (r.chat_id, b.data.split(":")[1]): b.data
        for r in posted(services)
        for row in r.buttons
        for b in row
        if b.data and b.data.startswith("mod:")
    }


def test_an_old_ban_button_bans_the_reader_it_was_made_for_not_the_next_one(
    build: Build,
) -> None:
    services = build(admins={42})
    answer(services, ANNA, "separate", None, show="anonymous")
    ban = card_press(services, "ban")
    say(services, ANNA, Command("forget"))
    say(services, ANNA, Press("forget_yes"))
    answer(services, BEN, "separate", None, show="anonymous")
    assert held(services, BEN).id != int(ban.split(":")[2])
    outcome = say(services, AUTHOR, Press(ban))
    assert "ritirata dal lettore" in text(outcome)
    assert services.store.answers.is_banned(ANNA.user_id)
    assert not services.store.answers.is_banned(BEN.user_id)


def test_deleting_a_hidden_answer_does_not_publish_the_next_one_unreviewed(
    build: Build,
) -> None:
    services = build(admins={42})
    answer(services, ANNA, "separate", "Da nascondere, poi riprovo.")
    hide = card_press(services, "hide")
    say(services, AUTHOR, Press(hide))
    say(services, ANNA, Press("delete"))
    say(services, ANNA, Press("delete_yes"))
    answer(services, ANNA, "separate", "Riprovo dopo averla cancellata.")
    assert held(services, ANNA).status == "pending"
    say(services, ANNA, Command("forget"))
    say(services, ANNA, Press("forget_yes"))
    answer(services, ANNA, "separate", "E ancora dopo /forget.")
    assert held(services, ANNA).status == "pending"
    approve = f"mod:approve:{held(services, ANNA).id}:{held(services, ANNA).revision}"
    say(services, AUTHOR, Press(approve))
    answer(services, ANNA, "integrate", "Approvata una, la prossima esce subito.")
    assert held(services, ANNA).status == "published"


def test_a_banned_readers_old_buttons_move_nothing(build: Build) -> None:
    services = build(admins={42})
    answer(services, ANNA, "separate", "Prima del blocco.")
    ban = card_press(services, "ban")
    say(services, AUTHOR, Press(ban))
    before = held(services, ANNA)
    for data in ("redisplay", "show:anonymous", "delete", "delete_yes", "replace"):
        say(services, ANNA, Press(data))
    assert held(services, ANNA) == before
    assert before.status == "hidden"


def test_showing_the_name_again_notifies_nobody_and_toggling_is_rate_limited(
    build: Build,
) -> None:
    services = build(admins={42})
    answer(services, ANNA, "separate", "Con il mio nome.")
    say(services, ANNA, Press("redisplay"))
    same = say(services, ANNA, Press("show:name"))
    assert same.posted == 0
    cards = 0
    for choice in ("anonymous", "name", "anonymous", "name"):
        say(services, ANNA, Press("redisplay"))
        cards += say(services, ANNA, Press(f"show:{choice}")).posted
    # the answer and two changes fill the limit (3 in 10 minutes): showing the name again must
    # wait, while going anonymous is never held back, so toggling stays bounded
    assert cards == 3
    assert held(services, ANNA).display_name is None


def test_admins_list_the_banned_and_unban_them(build: Build) -> None:
    services = build(admins={42})
    answer(services, ANNA, "separate", "Ciao.")
    say(services, AUTHOR, Press(card_press(services, "ban")))
    listed = say(services, AUTHOR, Command("banned"))
    assert "Anna (id 1001)" in text(listed)
    assert listed.replies[0].buttons[0][0].data == "unban:1001"
    assert "sbloccato" in text(say(services, AUTHOR, Press("unban:1001")))
    assert not services.store.answers.is_banned(ANNA.user_id)
    assert "non è bloccato" in text(say(services, AUTHOR, Command("unban", "1001")))
    assert "/unban 1001" in text(say(services, AUTHOR, Command("unban", "abc")))
    assert "Non conosco il comando /banned" in text(say(services, ANNA, Command("banned")))


INVISIBLE = (
    "\u200b",
    "\u00ad",
    "\u2060",
    "\u200d",
    "\ufeff",
    "\ufe0f",
    "\u034f",
    "\U000e0100",
    "\u180b",
    "\u17b4",
    "\u3164",
    "\u115f",
    "\u2800",
)


def test_invisible_characters_and_look_alikes_do_not_beat_the_blocked_words(
    build: Build,
) -> None:
    services = build()
    variants = [f"che m{mark}erda di saggio" for mark in INVISIBLE]
    variants += ["che mеrda di saggio", "che ｍｅｒｄａ di saggio", "free bitcоin for all"]
    variants += ["νiagra", "vıagra", "che ᴍᴇʀᴅᴀ", "che 🅼🅴🆁🅳🅰"]
    # every spelling the outside review listed: punctuation inside, leetspeak, a Latin alpha
    # (TR39's table), a phrase run together
    variants += ["che mer.da", "che mer-da", "che m3rda", "che merdɑ", "casinoonline qui"]
    variants += ["st0rz0 no, str0nz0", "f.u.c.k this", "C4ZZ0"]
    for number, comment in enumerate(variants):
        reader = Reader(300 + number, "R", "it")
        refused = answer(services, reader, "depends", comment)
        assert "parole che qui non sono ammesse" in text(refused), comment
        assert services.store.answers.of_reader(reader.user_id) is None, comment


def test_an_invisible_character_does_not_make_a_text_new(build: Build) -> None:
    services = build()
    answer(services, ANNA, "depends", "Dipende dal budget.")
    refused = answer(services, BEN, "depends", "Dipende dal\u200b budget.")
    assert "già" in text(refused)


def test_the_duplicate_check_does_not_reveal_someone_elses_pending_text(build: Build) -> None:
    services = build(admins={42}, moderation="pre")
    answer(services, ANNA, "depends", "Un testo ancora in attesa.")
    accepted = answer(services, BEN, "depends", "Un testo ancora in attesa.")
    assert "già" not in text(accepted)
    assert held(services, BEN).status == "pending"


def test_a_comment_that_starts_with_a_slash_is_the_comment(build: Build) -> None:
    services = build()
    say(services, ANNA, Command("answer"))
    say(services, ANNA, Press("stance:integrate"))
    from bot.core.events import parse_command

    typed = parse_command("/IT e marketing devono parlarsi di più")
    assert typed is not None
    outcome = say(services, ANNA, typed)
    assert "Non conosco il comando" not in text(outcome)
    say(services, ANNA, Press("show:name"))
    assert held(services, ANNA).comment == "/IT e marketing devono parlarsi di più"
    known = parse_command("/help")
    assert known is not None and "/story" in text(say(services, BEN, known))


def test_words_after_a_known_command_that_reads_none_come_back_to_the_reader(
    build: Build,
) -> None:
    services = build()
    say(services, ANNA, Command("answer"))
    say(services, ANNA, Press("stance:integrate"))
    from bot.core.events import parse_command

    typed = parse_command("/help secondo me vanno integrati, e da subito")
    assert typed is not None
    outcome = text(say(services, ANNA, typed))
    assert "/story" in outcome  # the command is served
    assert "/help non legge il testo scritto dopo il comando." in outcome
    assert "secondo me vanno integrati, e da subito" in outcome  # and nothing is lost
    for served in (Command("story", "2"), Command("lang", "en"), Command("help", "?")):
        said = text(say(services, BEN, served))  # read, or nothing to lose
        assert "non legge" not in said and "doesn't read" not in said


def test_every_story_number_gets_the_right_message(build: Build) -> None:
    services = build()
    for argument, shown in (("99999999999999999999", "999999999999"), ("8", "8"), ("0", "0")):
        reply = text(say(services, ANNA, Command("story", argument)))
        assert reply.startswith(f"Il saggio ha 7 parti: la parte {shown} non c'è"), argument
    assert "1/7" in text(say(services, ANNA, Command("story", "0001")))


def test_mydata_does_not_name_the_admin_who_banned(build: Build) -> None:
    services = build(admins={42})
    answer(services, ANNA, "separate", "Ciao.")
    say(services, AUTHOR, Press(card_press(services, "ban")))
    data = services.store.personal_data(ANNA.user_id)
    ban = data["ban"]
    assert ban is not None and set(ban) == {"banned_at"}
    assert data["under_review"] is True and data["answer_numbers"] == [held(services, ANNA).id]


def test_forget_leaves_no_copy_of_the_text_in_the_database_files(build: Build) -> None:
    services = build(on_disk=True, admins={42})
    secret = "Un commento molto personale, firmato Zebedeo Quintavalle."
    answer(services, ANNA, "depends", secret)
    say(services, ANNA, Text("chi è Zebedeo Quintavalle nel saggio?"))
    say(services, ANNA, Command("forget"))
    say(services, ANNA, Press("forget_yes"))
    database = services.config.database
    for suffix in ("", "-wal"):
        try:
            raw = open(database + suffix, "rb").read()  # noqa: SIM115
        except FileNotFoundError:
            continue
        assert b"Zebedeo" not in raw, suffix
        assert b"Quintavalle" not in raw, suffix


def test_a_ban_then_an_unban_still_leaves_the_next_answer_to_an_admin(build: Build) -> None:
    services = build(admins={42})
    answer(services, ANNA, "separate", "Prima.")
    say(services, AUTHOR, Press(card_press(services, "ban")))
    say(services, AUTHOR, Command("unban", str(ANNA.user_id)))
    say(services, ANNA, Command("forget"))
    say(services, ANNA, Press("forget_yes"))
    answer(services, ANNA, "integrate", "Dopo il blocco e lo sblocco.")
    assert held(services, ANNA).status == "pending"


def test_an_old_card_never_acts_on_another_readers_identical_answer(build: Build) -> None:
    services = build(admins={42})
    answer(services, ANNA, "depends", None, show="anonymous")
    approve = card_press(services, "hide")
    revision = approve.split(":")[3]
    answer(services, BEN, "depends", None, show="anonymous")
    assert held(services, BEN).revision != revision  # same stance, no comment, no name


def test_a_moderator_removed_from_the_admins_gets_no_card_again(build: Build) -> None:
    services = build(admins={42, 43}, on_disk=True)
    answer(services, ANNA, "separate", "Il mio testo, per i moderatori di oggi.")
    deliveries = services.dialogue.outbox.due(limit=100)
    for message_id, delivery in enumerate(deliveries, start=500):
        services.dialogue.outbox.delivered(delivery, message_id)  # the cards are shown there
    assert {42, 43} <= {d.parcel.chat_id for d in deliveries}
    answer(services, BEN, "integrate", "Scritto prima che il 43 fosse tolto.")  # not yet sent
    now = bootstrap(Config(database=services.config.database, admin_ids=frozenset({42})))
    try:
        waiting = posted(now)
        assert waiting and all(r.chat_id != 43 for r in waiting)
        verdict = next(
            b.data
            for r in waiting
            for row in r.buttons
            for b in row
            if b.data and "hide" in b.data
        )
        say(now, AUTHOR, Press(verdict))  # every copy of the card is redrawn
        answer(now, Reader(3003, "Cleo", "it"), "depends", "Dopo: solo il 42 la vede.")
        later = posted(now)
        assert later and all(r.chat_id != 43 for r in later)
        assert not any("Scritto prima" in r.text for r in later if r.chat_id == 43)
        say(now, ANNA, Command("forget"))  # the card 43 still shows loses her words there too
        say(now, ANNA, Press("forget_yes"))
        erased = [r for r in posted(now) if r.chat_id == 43]
        assert erased and all("Il mio testo" not in r.text for r in erased)
    finally:
        now.close()


def test_a_second_admins_verdict_never_silently_overrides_the_first(build: Build) -> None:
    services = build(admins={42, 43}, moderation="pre")
    answer(services, ANNA, "separate", "Da nascondere, non da pubblicare.")
    data = verdict_buttons(services)
    say(services, AUTHOR, Press(data[(42, "hide")]))
    late = say(services, Reader(43, "Vice", "it"), Press(data[(43, "approve")]))
    assert "un altro moderatore ha già deciso" in (late.notice or "")
    assert held(services, ANNA).status == "hidden"
    assert "nascost" in text(late).lower()  # the card redrawn as it is now
    news = [r for r in posted(services) if r.chat_id == ANNA.user_id]
    assert not any("approvata" in r.text for r in news)


def test_a_banned_readers_words_cannot_be_approved(build: Build) -> None:
    services = build(admins={42}, moderation="pre")
    answer(services, ANNA, "separate", "Parole di chi verrà bloccato.")
    say(services, AUTHOR, Press(card_press(services, "ban")))
    shown = held(services, ANNA)
    card = services.dialogue.card_for(shown.id, 42, False)
    assert "chi l'ha scritta è bloccato" in card.text and f"/unban {ANNA.user_id}" in card.text
    data = [b.data or "" for row in card.buttons for b in row]
    assert data == ["reply:1"]  # no approve, no hide, no second ban: they no longer apply
    forged = f"mod:approve:{shown.id}:{shown.revision}-hidden"
    refused = say(services, AUTHOR, Press(forged))  # an older card's, or a forged, approve
    assert "è bloccato" in (refused.notice or "")
    assert held(services, ANNA).status != "published"


def test_a_decided_card_says_what_was_decided_and_keeps_the_other_verdict(
    build: Build,
) -> None:
    clock = Clock()
    services = build(admins={42}, moderation="pre", clock=clock)
    answer(services, ANNA, "separate", "Da approvare.")
    clock.advance(minutes=1)
    say(services, AUTHOR, Press(card_press(services, "approve")))
    card = services.dialogue.card_for(held(services, ANNA).id, 42, False)
    assert card.text.startswith("✅") and "Nuova" not in card.text
    data = [b.data or "" for row in card.buttons for b in row]
    assert [d.split(":")[1] for d in data[:2]] == ["hide", "ban"] and data[2] == "reply:1"


def test_news_of_an_approval_is_not_told_once_the_answer_was_hidden(build: Build) -> None:
    services = build(admins={42}, moderation="pre")
    answer(services, ANNA, "separate", "Approvata e poi nascosta.")
    say(services, AUTHOR, Press(card_press(services, "approve")))
    card = services.dialogue.card_for(held(services, ANNA).id, 42, False)
    hide = next(b.data for row in card.buttons for b in row if b.data and ":hide:" in b.data)
    say(services, AUTHOR, Press(hide))
    told = " ".join(r.text for r in posted(services) if r.chat_id == ANNA.user_id)
    assert "approvata" not in told  # it was, but is no longer, when the news goes out


def test_words_that_only_look_like_blocked_ones_are_not_refused(build: Build) -> None:
    services = build()
    fine = ["Nel 2024 il CDO è cresciuto del 35%.", "l'e-mail di marketing@azienda.it", "merdone"]
    for number, comment in enumerate(fine):
        reader = Reader(400 + number, "R", "it")
        saved = answer(services, reader, "depends", f"{comment} Ecco la mia risposta.")
        assert "parole che qui non sono ammesse" not in text(saved), comment


def test_a_comment_of_invisible_characters_is_not_published_blank(build: Build) -> None:
    services = build()
    refused = answer(services, ANNA, "depends", "\u200b\u200b\u2060\u200b\u200d\u2800\u3164")
    assert services.store.answers.of_reader(ANNA.user_id) is None
    assert "troppo corto" in text(refused) or "almeno" in text(refused)


def test_bidi_overrides_in_a_name_are_not_shown(build: Build) -> None:
    services = build()
    tricky = Reader(5005, "\u202eArtnuoc\u202c Luca", "it")
    answer(services, tricky, "depends", "Una risposta con il nome.", show="name")
    shown = held(services, tricky).display_name or ""
    assert shown == "Artnuoc Luca" and not any(0x202A <= ord(c) <= 0x202E for c in shown)


def test_banned_lists_more_than_ten_readers(build: Build) -> None:
    services = build(admins={42})
    for n in range(15):
        services.store.answers.ban(7000 + n, by=42)
    listed = say(services, AUTHOR, Command("banned"))
    assert sum(1 for row in listed.replies[0].buttons for _ in row) == 15


def test_a_hide_on_a_card_drawn_before_another_admins_approval_is_not_applied(
    build: Build,
) -> None:
    services = build(admins={42, 43}, moderation="pre")
    answer(services, ANNA, "separate", "Approvata da uno, nascosta per sbaglio dall'altro?")
    data = verdict_buttons(services)
    say(services, AUTHOR, Press(data[(42, "approve")]))
    late = say(services, Reader(43, "Vice", "it"), Press(data[(43, "hide")]))
    assert "un altro moderatore ha già deciso" in (late.notice or "")
    assert held(services, ANNA).status == "published"


def test_forget_does_not_reset_the_question_rate_limit(build: Build) -> None:
    services = build(admins={42})
    for n in range(QUESTION_RATE):
        say(services, ANNA, Text(f"domanda numero {n} sul CDO?"))
    assert "domande di fila" in text(say(services, ANNA, Text("ancora una?")))
    say(services, ANNA, Command("forget"))
    say(services, ANNA, Press("forget_yes"))
    again = text(say(services, ANNA, Text("e adesso, cos'è il CDO?")))
    assert "domande di fila" in again  # still too fast: /forget does not reset it
    rows = services.store.db.execute("SELECT text FROM questions WHERE user_id = ?", (1001,))
    assert {tuple(r) for r in rows} <= {("",)}  # their words are gone, only the times stay
    assert "Nessuna domanda" in text(listed(services))


def test_an_unban_redraws_the_readers_card_with_its_buttons(build: Build) -> None:
    clock = Clock()
    services = build(admins={42}, moderation="pre", clock=clock)
    answer(services, ANNA, "separate", "Parole da rimettere in attesa.")
    (delivery,) = services.dialogue.outbox.due(limit=100)
    services.dialogue.outbox.delivered(delivery, 700)  # the card is shown
    ban = next(b.data for row in delivery.reply.buttons for b in row if "ban" in (b.data or ""))
    say(services, AUTHOR, Press(str(ban)))
    posted(services)
    say(services, AUTHOR, Command("unban", str(ANNA.user_id)))
    clock.advance(minutes=1)  # the acting admin's own card waits a moment, then goes
    (card,) = [r for r in posted(services) if r.chat_id == 42]
    assert "bloccat" not in card.text
    assert any((b.data or "").startswith("mod:approve") for row in card.buttons for b in row)
