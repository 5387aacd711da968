"""The conversation core: given who speaks and what they sent, decide what the bot answers.

It imports nothing from Telegram; the adapters (Telegram, the console) translate to and from it.
Every reader event runs in one transaction: what it changes commits once, after the whole event
was decided, or not at all; messages it sends to other chats are written to the outbox in that
same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from bot.content.catalog import Content
from bot.content.markup import Markup, to_plain
from bot.core import registry
from bot.core.answering import Answering
from bot.core.asking import Asking, Lookup
from bot.core.card_bundles import CardBundles
from bot.core.discussion import Discussion
from bot.core.events import Command, Event, Offer, Outcome, Press, Reader, Reply, Text
from bot.core.incidents import Incident, Incidents
from bot.core.learning import Learning
from bot.core.moderation import Moderation
from bot.core.news.digests import Notifier
from bot.core.news.notifications import Notifications
from bot.core.news.notify import reader_turn
from bot.core.outbox import Outbox
from bot.core.privacy import Privacy
from bot.core.reach.posting import Posting
from bot.core.reach.sharing import Sharing
from bot.core.reading import Reading
from bot.core.registry import ActionSpec, CommandSpec, action
from bot.core.replies import Replies
from bot.core.reply_moderation import ReplyModeration
from bot.core.turn import Turn
from bot.core.understanding.classifier import Classifier
from bot.core.understanding.decide import Understanding
from bot.core.understanding.matcher import Matcher
from bot.core.views import echo
from bot.core.welcome import Openers, Welcome
from bot.model.clock import Clock, system_clock
from bot.model.comments import is_question
from bot.model.flow import WRITING, Flow
from bot.model.limits import MIN_COMMENT
from bot.model.replies import QUESTION_CARDS
from bot.storage.journal import UpdateJournal
from bot.storage.store import Store

log = logging.getLogger(__name__)
Handler = Callable[..., Outcome]


class Dialogue:
    """Answers every event a reader can send."""

    def __init__(
        self,
        content: Content,
        store: Store,
        matcher: Matcher,
        *,
        admins: frozenset[int] = frozenset(),
        pre_moderation: bool = False,
        clock: Clock = system_clock,
        classifier: Classifier | None = None,
        channel: str | None = None,
    ) -> None:
        self.content = content
        self.store = store
        self.admins = admins
        self.reading = Reading(content, store)
        understanding = Understanding(content, matcher, classifier)
        self.asking = Asking(content, store, understanding, clock)
        self.learning = Learning(content, store, understanding)
        self.discussion = Discussion(content, store, admins)
        self.moderation = Moderation(content, store, admins)
        self.replies = Replies(content, store, admins=admins, pre_moderation=pre_moderation)
        self.reply_moderation = ReplyModeration(content, store)
        self.notifications = Notifications(store)
        self.answering = Answering(content, store, admins=admins, pre_moderation=pre_moderation)
        self.privacy = Privacy(content, store, clock)
        self.incidents = Incidents(content, store, admins, clock)
        notifier = Notifier(content, store, self._reader_turn)
        bundles = CardBundles(content, store, self.moderation.pending)
        self.outbox = Outbox(
            store.outbox, self.card_for, notifier, admins, self._shows_words, self._pointer
        )
        self.outbox.bundler = bundles.render
        self.welcome = Welcome(content, store, admins, self._openers())
        self.sharing = Sharing(content, store, understanding)
        self.posting = Posting(content, store, channel, self.moderation.chart_data)
        self.commands: dict[str, tuple[CommandSpec, Handler]] = {}
        self.actions: dict[str, tuple[ActionSpec, Handler]] = {}
        features = (self, self.reading, self.asking, self.discussion, self.moderation)
        more = (self.replies, self.reply_moderation, self.notifications, bundles, self.welcome)
        self._bind((*features, self.answering, self.privacy, self.learning, *more, self.posting))

    def _openers(self) -> Openers:
        """What a deep link opens: a topic's card, a part, a published answer, the question."""

        def part(turn: Turn, value: str) -> Outcome | None:
            found = self.content.essay.part(int(value)) if value.isdecimal() else None
            return self.reading.show(turn, found) if found is not None else None

        def answer(turn: Turn, value: str) -> Outcome | None:
            found = self.store.answers.get(int(value)) if value.isdecimal() else None
            shown = found is not None and found.status == "published"
            return self.discussion.thread(turn, value, "0") if shown else None

        return {
            "topic": lambda t, v: self.asking.show(t, v) if self.content.topic(v) else None,
            "part": part,
            "answer": answer,
            "question": lambda t, v: self.answering.begin(t),
        }

    def _reader_turn(self, user_id: int) -> Turn:
        return reader_turn(self.store, self.content, user_id)

    def _shows_words(self, card: int) -> bool:
        """Whether card ``card`` (an answer's, minus a reply's id, or an /unanswered group's)
        still shows a text."""
        if card >= QUESTION_CARDS:
            return self.learning.shows_words(card - QUESTION_CARDS)
        kept = self.store.replies.get(-card) if card < 0 else self.store.answers.get(card)
        return kept is not None

    def _pointer(self, chat_id: int) -> Reply:
        """What a card's former message says once the card is sent anew below."""
        return Reply(self._reader_turn(chat_id).say("card_moved"))

    def card_for(self, card: int, chat_id: int, edited: bool) -> Reply:
        """Card ``card`` as it is now, for the admin of ``chat_id``: an answer's (its id) or a
        reply's (minus its id)."""
        if card >= QUESTION_CARDS:
            return self.learning.card_for(card - QUESTION_CARDS, chat_id)
        if card < 0:
            return self.reply_moderation.card_for(-card, chat_id, edited)
        return self.moderation.card_for(card, chat_id, edited)

    def _bind(self, features: tuple[object, ...]) -> None:
        """Route every declared command and action to its feature's method; all must be bound."""
        for feature in features:
            for name in dir(type(feature)):
                for spec in registry.declared_by(getattr(type(feature), name)):
                    handler: Handler = getattr(feature, name)
                    if isinstance(spec, CommandSpec):
                        self.commands[spec.name] = (spec, handler)
                    else:
                        self.actions[spec.name] = (spec, handler)
        unbound = (set(registry.COMMANDS) - set(self.commands)) | (
            set(registry.ACTIONS) - set(self.actions)
        )
        if unbound:
            raise RuntimeError(f"declared but not handled: {sorted(unbound)}")

    def turn(self, reader: Reader) -> Turn:
        """A turn in the language of the reader's Telegram (for what adapters say on their
        own, outside an event: it reads nothing from the store)."""
        return Turn(reader, self.content.language_for(reader.language_code), self.content)

    def speaking(self, reader: Reader) -> Turn:
        """The reader's turn, in the language they chose with /lang if they did (for an
        adapter's own lines after an event)."""
        return self._turn(reader)

    def _turn(self, reader: Reader) -> Turn:
        """The reader's turn, in the language they chose with /lang if they did."""
        chosen, _ = self.store.readers.language(reader.user_id)
        if chosen in self.content.languages:
            return Turn(reader, str(chosen), self.content)
        return self.turn(reader)

    def failed(self, reader: Reader, event: Event) -> Outcome:
        """What a reader hears when their event could not be handled (the disk full, say):
        sorry, and what they wrote, so nothing they wrote is lost."""
        turn = self.turn(reader)
        error = turn.say("error")
        echoed = echo(turn, event.text) if isinstance(event, Text) and event.text.strip() else ()
        return Outcome((Reply(error), *echoed), notice=to_plain(error))

    def alive(self) -> bool:
        """Whether the bot can still keep what readers send (a write reaches the disk)."""
        return self.store.db.writable()

    def phrase(self, reader: Reader, key: str, **params: object) -> Markup:
        """Phrase ``key`` in ``reader``'s language (for what adapters say on their own)."""
        return self.turn(reader).say(key, **params)

    def former_admins(self) -> set[int]:
        """Readers who were given the admins' menu and are admins no longer."""
        return self.store.admin_menus() - set(self.admins)

    def has_met(self, user_id: int) -> bool:
        """Whether the person ever wrote to the bot (so Telegram lets it reach their chat)."""
        return self.store.readers.get(user_id) is not None

    def menus_given(self, user_ids: set[int]) -> None:
        """Remember who has the admins' menu now."""
        self.store.set_admin_menus(user_ids)

    def is_admin(self, reader: Reader) -> bool:
        return reader.user_id in self.admins

    def _known(self, reader: Reader, name: str) -> bool:
        """Whether ``/name`` is a command this reader has."""
        routed = self.commands.get(name)
        return routed is not None and (not routed[0].admin or self.is_admin(reader))

    def handle(self, reader: Reader, event: Event, key: int | None = None) -> Outcome:
        """What to answer to ``event`` from ``reader``; everything it changes, and every message
        it sends to another chat, commits once. ``key`` names the event where it can come
        twice (Telegram's update id): the second time it changes nothing and answers nothing."""
        with self.store.transaction():
            if key is not None and not self.store.journal.claim(key):
                return Outcome(())
            outcome = self.outbox.post(self._handle(self._turn(reader), event), reader.user_id)
        sync = self.store.db.owed_sync()
        return outcome if sync is None else replace(outcome, sync=sync)

    @property
    def journal(self) -> UpdateJournal:
        """Where the adapter keeps the updates it received until they are handled."""
        return self.store.journal

    def defer_syncs(self) -> None:
        """Leave the disk sync of what a reader wrote to the adapter (``Outcome.sync``), which
        runs it off its event loop's thread; the console and the CLI keep syncing at once."""
        self.store.db.defer_syncs()

    def upkeep(self) -> None:
        """What the adapter runs every few seconds off its event loop's thread: the database's
        checkpoint, which readers' events no longer run (see :meth:`defer_syncs`)."""
        self.store.db.checkpoint_passive()

    def report_error(self, incident: Incident) -> Outcome:
        """Tell the admins of an error (through the outbox, at most once a minute per error)."""
        with self.store.transaction():
            return self.outbox.post(self.incidents.report(incident), chat_id=0)

    def _handle(self, turn: Turn, event: Event) -> Outcome:
        reader = turn.reader
        readers = self.store.readers
        readers.touch(reader.user_id, reader.first_name, reader.language_code)
        match event:
            case Command(name, argument, raw=raw):
                flow = readers.flow(reader.user_id)
                writing = flow is not None and flow.step in WRITING
                if flow is not None and writing and raw and not self._known(reader, name):
                    # "/IT e marketing..." while writing a comment is the comment
                    return self._written(turn, raw, flow)
                readers.set_conversation(reader.user_id, None, ())  # follow-ups start afresh
                routed = self.commands.get(name)
                if routed is None or (routed[0].admin and not self.is_admin(reader)):
                    return turn.reply("unknown_command", command=f"/{name}")
                if flow is not None and writing and name != "cancel":
                    # another command is served and the answer waits, kept, to be resumed
                    readers.set_flow(reader.user_id, replace(flow, paused=True))
                served = routed[1](turn, argument)
                if not routed[0].argument and len(argument) >= MIN_COMMENT:
                    # "/answer secondo me vanno integrati": words the command doesn't read
                    intro = turn.say("command_words_back", command=f"/{name}")
                    served = replace(
                        served, replies=(*served.replies, *echo(turn, argument, intro))
                    )
                return self._reminded(turn, served)
            case Press(data):
                call = registry.decode(data)
                found = self.actions.get(call.name) if call is not None else None
                if call is None or found is None:
                    return turn.notice("notice_expired")
                if found[0].admin and not self.is_admin(reader):
                    log.warning("reader %s pressed an admin button (%s)", reader.user_id, data)
                    return turn.notice("notice_not_allowed")
                return found[1](turn, *call.args)
            case Text(text):
                flow = readers.flow(reader.user_id)
                if flow is not None and flow.step in WRITING:
                    if flow.paused and is_question(text):  # a question, while the answer waits
                        return self._reminded(turn, self.asking.ask(turn, text))
                    if flow.paused:  # the comment, or a question? kept, and the reader says
                        return self._which(turn, flow, text)
                    return self._written(turn, text, flow)
                return self.asking.ask(turn, text)
            case _:
                return turn.reply("other_hint")

    def _reminded(self, turn: Turn, served: Outcome) -> Outcome:
        """``served``, and if the reader's answer or reply waits half way, one line saying so,
        with a button to resume it and one to drop it."""
        flow = self.store.readers.flow(turn.reader.user_id)
        if flow is None or not flow.paused or flow.step not in WRITING:
            return served
        if flow.step == "comment":
            stance = turn.say(f"stance_{flow.stance}") if flow.stance else ""
            line = turn.say("flow_paused_answer", stance=stance)
        else:
            line = turn.say("flow_paused_reply", number=flow.target or "")
        rows = ((turn.button("button_resume", "resume"), turn.button("button_drop", "cancel")),)
        return replace(served, replies=(*served.replies, Reply(line, rows)))

    def _which(self, turn: Turn, flow: Flow, text: str) -> Outcome:
        """Text while an answer or reply waits half way: never saved on a guess. It is kept
        with the flow, and the reader says whether it is what they were writing."""
        self.store.readers.set_flow(turn.reader.user_id, replace(flow, comment=text))
        rows = (
            (turn.button("button_use_text", "use_text"),),
            (turn.button("button_as_question", "as_question"),),
            (turn.button("button_drop", "cancel"),),
        )
        # a text kept before this one is replaced by it: it comes back first
        older = echo(turn, flow.comment) if flow.comment and flow.comment != text else ()
        return Outcome((*older, Reply(turn.say("flow_which"), rows)))

    @action("use_text")
    def use_text(self, turn: Turn) -> Outcome:
        """ "Yes, it's my comment / reply": the text kept goes on as the flow's."""
        flow = self.store.readers.flow(turn.reader.user_id)
        if flow is None or flow.step not in WRITING or not flow.paused or not flow.comment:
            return turn.notice("notice_expired")
        going = replace(flow, paused=False, comment=None)
        self.store.readers.set_flow(turn.reader.user_id, going)
        return self._written(turn, flow.comment, going)

    @action("as_question")
    def as_question(self, turn: Turn) -> Outcome:
        """ "No, it's a question": answered as one; the answer keeps waiting."""
        flow = self.store.readers.flow(turn.reader.user_id)
        if flow is None or flow.step not in WRITING or not flow.paused or not flow.comment:
            return turn.notice("notice_expired")
        self.store.readers.set_flow(turn.reader.user_id, replace(flow, comment=None))
        return self._reminded(turn, self.asking.ask(turn, flow.comment))

    @action("resume")
    def resume(self, turn: Turn) -> Outcome:
        """Back to the answer or reply left half way: its prompt again, what was written kept."""
        flow = self.store.readers.flow(turn.reader.user_id)
        if flow is None or flow.step not in WRITING:
            return turn.notice("notice_expired")
        if flow.step == "comment" and flow.stance:
            return self.answering.choose(turn, flow.stance)
        if flow.step == "reply" and flow.target:
            return self.replies.begin(turn, str(flow.target))
        if flow.step == "reply_edit" and flow.target:
            return self.replies.begin_edit(turn, str(flow.target))
        return turn.notice("notice_expired")

    def _written(self, turn: Turn, text: str, flow: Flow) -> Outcome:
        """Text the reader was asked to write: their answer's comment, or a reply."""
        if flow.step == "comment":
            return self.answering.comment(turn, text, flow)
        return self.replies.text(turn, text, flow)

    def inline(self, reader: Reader, query: str) -> Offer:
        """What ``@bot query`` offers ``reader`` in any chat (it changes nothing)."""
        return self.sharing.offer(self._turn(reader), query)

    def preview(self, reader: Reader, question: str) -> Lookup:
        """What the bot would reply to ``question`` from ``reader``, recording nothing."""
        return self.asking.preview(self.turn(reader), question)
