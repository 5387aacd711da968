"""Messages for other chats: posted to the outbox with the change they report, and handed to
an adapter to deliver (retrying what can be retried) as :class:`Delivery` items.

A card is drawn again from the database when it is handed out, in its admin's language: however
late it goes, it shows the answer as it is then (a verdict given meanwhile, a deletion, a
/forget), never an older state over a newer one.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Protocol

from bot.content.markup import Markup
from bot.core.events import Button, Outcome, Reply
from bot.storage.outbox import OutboxStore, Parcel

log = logging.getLogger(__name__)
#: Draws answer ``answer_id``'s card for the admin of ``chat_id`` (``edited``: the reader
#: changed the answer since it was first sent).
CardRenderer = Callable[[int, int, bool], Reply]
#: Draws one message for the admin of ``chat_id`` in place of many new cards (their numbers).
BundleRenderer = Callable[[int, list[int]], Reply]


class Digests(Protocol):
    """Draws a reader's waiting notices as one message, and hears when it arrived."""

    def render(self, chat_id: int) -> tuple[Reply, int] | None: ...

    def sent(self, chat_id: int, upto: int) -> None: ...


#: Seconds a card for the acting chat waits, so the edit of the pressed card goes first (the
#: card then shows the same and is not sent again; or it corrects a copy that was on its way).
ACTING_CHAT_DELAY = 2.0
#: Tries of one parcel before it is given up (with the pauses below, about an hour and a half).
MAX_ATTEMPTS = 15
#: The longest pause between two tries, in seconds.
MAX_PAUSE = 600.0
#: Telegram lets a bot send about one message a second to one chat. When this many new cards
#: (answers' and replies') wait for a chat at once, they arrive faster than it can show them:
#: one message bundles them, and the cards arriving after it wait ``BUNDLE_PAUSE`` seconds to be
#: bundled in turn (or sent one by one again, when fewer came). So an admin's chat falls behind
#: by that pause plus the wait in Telegram's overall line, not by one second per card (about 40 s
#: at most with 300 readers answering within a minute: benchmarks/bench_viral.py). A crash while
#: a bundle is being sent sends it again at the next start (its cards are still waiting): a
#: summary twice, never a card lost.
BUNDLE_AT = 3
BUNDLE_PAUSE = 20.0
#: The most cards one bundle carries (the rest go in the next).
MAX_BUNDLE = 2000


@dataclass(frozen=True)
class Delivery:
    """One message to deliver: ``reply`` goes to ``parcel.chat_id``; ``message_id`` is the
    message to edit in place (a card already shown), if any."""

    parcel: Parcel
    reply: Reply
    message_id: int | None
    #: For a bundle of notices: the last notice it carries.
    digest_upto: int | None = None
    #: For a card sent anew: the message that showed it, and what that message says now.
    moved_from: int | None = None
    pointer: Reply | None = None
    #: For a bundle of new cards: the parcels it stands for (``parcel`` is the first).
    bundled: tuple[Parcel, ...] = ()

    @property
    def parcels(self) -> tuple[Parcel, ...]:
        """Every parcel this delivery takes out of the outbox."""
        return self.bundled or (self.parcel,)


def pack(reply: Reply) -> str:
    """``reply`` as the outbox keeps it: text and buttons; for a card only whether it reports
    an edit (it is drawn from the database when it goes, so no reader's text waits here)."""
    if reply.card is not None:
        return json.dumps({"edited": reply.card_edited, "fresh": reply.fresh})
    rows = [[dataclasses.asdict(button) for button in row] for row in reply.buttons]
    return json.dumps({"text": str(reply.text), "buttons": rows}, ensure_ascii=False)


def unpack(parcel: Parcel, render_card: CardRenderer) -> Reply:
    body = json.loads(parcel.body)
    if parcel.card is not None:
        return render_card(parcel.card, parcel.chat_id, bool(body.get("edited")))
    buttons = tuple(tuple(Button(**b) for b in row) for row in body["buttons"])
    return Reply(Markup(body["text"]), buttons, chat_id=parcel.chat_id)


class Outbox:
    """The core's side of the outbox."""

    def __init__(
        self,
        store: OutboxStore,
        render_card: CardRenderer,
        digests: Digests | None = None,
        admins: Collection[int] | None = None,
        shows_words: Callable[[int], bool] | None = None,
        pointer: Callable[[int], Reply] | None = None,
        bundler: BundleRenderer | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """``admins``: the chats a card may go to (None: any), checked when a card is posted
        and again when it goes: a moderator removed meanwhile gets no reader's words, only the
        edit that takes them off a card they still show (``shows_words(card)``: whether the
        card still carries what a reader wrote)."""
        self.store = store
        self.render_card = render_card
        self.digests = digests
        self.admins = None if admins is None else frozenset(admins)
        self.shows_words = shows_words or (lambda card: True)
        #: what a card's former message says once the card is sent anew, for a chat
        self.pointer = pointer
        self.bundler = bundler
        #: seconds, on the database's clock unless given
        self.clock = clock or (lambda: store.db.clock().timestamp())
        #: chat -> until when its new cards wait, after a bundle (kept in memory: a restart
        #: at worst sends the next bundle early)
        self._held: dict[int, float] = {}
        self.pause = BUNDLE_PAUSE

    def _card_allowed(self, card: int | None, chat_id: int) -> bool:
        if card is None or self.admins is None or chat_id in self.admins:
            return True
        erasing = not self.shows_words(card)  # withdrawn, forgotten: the text is gone
        return erasing and self.store.card_message(card, chat_id) is not None

    def post(self, outcome: Outcome, chat_id: int) -> Outcome:
        """Queue the outcome's messages for other chats (and cards, even to the acting chat:
        a card has one message per admin); the rest is the reply to the acting chat."""
        own: list[Reply] = []
        posted = 0
        for reply in outcome.replies:
            if reply.chat_id is None or (reply.chat_id == chat_id and reply.card is None):
                own.append(reply)
            elif self._card_allowed(reply.card, reply.chat_id):
                # the acting admin's own card is being edited in place right now: after that
                delay = ACTING_CHAT_DELAY if reply.chat_id == chat_id and not reply.fresh else 0
                self.store.put(reply.chat_id, pack(reply), reply.card, delay)
                posted += 1
        return Outcome(tuple(own), outcome.notice, outcome.posted + posted)

    def due(
        self, limit: int = 50, chat_id: int | None = None, skip: Collection[int] = ()
    ) -> list[Delivery]:
        """What to deliver now (to ``chat_id`` only, if given; none to the chats in ``skip``),
        each chat's in order. A parcel that cannot be read any more is dropped, logged."""
        now = self.clock()
        self._held = {chat: until for chat, until in self._held.items() if until > now}
        found: list[Delivery] = []
        bundled: set[int] = set()
        for parcel in self.store.due(limit, chat_id, skip, set(self._held)):
            if parcel.chat_id in bundled:
                continue  # its new cards went into a bundle; the rest waits for its sender
            if parcel.digest:
                digest = self.digests.render(parcel.chat_id) if self.digests else None
                if digest is None:  # nothing waits any more (the reader was forgotten)
                    self.store.delivered(parcel, None)
                    continue
                found.append(Delivery(parcel, digest[0], None, digest[1]))
                continue
            if not self._card_allowed(parcel.card, parcel.chat_id):
                self.store.delivered(parcel, None)  # its admin was removed since it was posted
                continue
            try:
                reply = unpack(parcel, self.render_card)
            except (ValueError, KeyError, TypeError):
                log.exception("dropped an unreadable message for chat %s", parcel.chat_id)
                self.store.delivered(parcel, None)
                continue
            card = parcel.card
            shown = None if card is None else self.store.card_message(card, parcel.chat_id)
            fresh = card is not None and json.loads(parcel.body).get("fresh")
            if card is not None and shown is None and not fresh and self.bundler is not None:
                bundle = self._bundle(parcel.chat_id)
                if bundle is not None:
                    found.append(bundle)
                    bundled.add(parcel.chat_id)
                    continue
            if shown is not None and fresh:
                pointer = self.pointer(parcel.chat_id) if self.pointer else None
                found.append(Delivery(parcel, reply, None, moved_from=shown, pointer=pointer))
                continue
            found.append(Delivery(parcel, reply, shown))
        return found

    def _bundle(self, chat_id: int) -> Delivery | None:
        """One message for the new cards waiting for ``chat_id``, when there are too many to
        send one by one (None: send them as cards)."""
        parcels = [
            p
            for p in self.store.new_cards(chat_id, MAX_BUNDLE)
            if self._card_allowed(p.card, chat_id)
        ]
        if len(parcels) < BUNDLE_AT or self.bundler is None:
            return None
        reply = self.bundler(chat_id, [p.card for p in parcels if p.card is not None])
        return Delivery(parcels[0], reply, None, bundled=tuple(parcels))

    def sending(self, delivery: Delivery) -> None:
        """``delivery`` is being handed to Telegram now."""
        with self.store.together():
            for parcel in delivery.parcels:
                self.store.sending(parcel)

    def reconcile(self) -> int:
        """At start: what a crash left in flight (see OutboxStore.reconcile)."""
        dropped = self.store.reconcile()
        if dropped:
            log.warning("%d messages were in flight at the last stop: not sent twice", dropped)
        return dropped

    def delivered(self, delivery: Delivery, message_id: int | None) -> None:
        """The message arrived (or can never arrive: a refused message)."""
        if delivery.bundled:  # the cards it stands for are not shown in that chat
            with self.store.together():
                for parcel in delivery.bundled:
                    self.store.delivered(parcel, None)
            self._held[delivery.parcel.chat_id] = self.clock() + self.pause
            return
        self.store.delivered(delivery.parcel, message_id)
        if delivery.digest_upto is not None and self.digests is not None:
            self.digests.sent(delivery.parcel.chat_id, delivery.digest_upto)

    def unreachable(self, delivery: Delivery) -> None:
        """The chat cannot be written to (the reader blocked the bot): the message is dropped,
        and no notice is sent to them until they write again."""
        with self.store.together():
            for parcel in delivery.parcels:
                self.store.delivered(parcel, None)
            self.store.unreachable(delivery.parcel.chat_id)

    def failed(self, delivery: Delivery, retry_after: float | None = None) -> bool:
        """A try failed for a passing reason: try again later (after ``retry_after`` seconds
        when Telegram said so). False when the parcel was given up after ``MAX_ATTEMPTS``."""
        kept = False
        with self.store.together():
            for parcel in delivery.parcels:
                attempts = parcel.attempts + 1  # a bundle's cards each count their own tries
                if retry_after is not None:  # Telegram said when: not a failure, never given up
                    self.store.postpone(parcel, retry_after, count=False)
                elif attempts >= MAX_ATTEMPTS:
                    self.store.delivered(parcel, None)
                    continue
                else:
                    self.store.postpone(parcel, min(2.0 ** (attempts - 1), MAX_PAUSE))
                kept = True
        return kept

    def waiting(self) -> int:
        return self.store.waiting()
