"""The way in: /start (the welcome, or where a deep link opens, counting the way the reader
came), /lang and /help."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.content.catalog import Content
from bot.content.markup import Markup, escape
from bot.core import registry
from bot.core.events import Outcome, Reply
from bot.core.registry import action, command
from bot.core.turn import Turn
from bot.model import links
from bot.storage.store import Store

#: What a deep link's target opens: kind -> (turn, value) -> the outcome, None if it is gone.
Openers = Mapping[str, Callable[[Turn, str], Outcome | None]]


class Welcome:
    """/start, /lang and /help."""

    def __init__(
        self, content: Content, store: Store, admins: frozenset[int], openers: Openers
    ) -> None:
        self.content = content
        self.store = store
        self.admins = admins
        self.openers = openers

    @command("start", menu=11, argument=True)
    def start(self, turn: Turn, payload: str) -> Outcome:
        """The welcome, with buttons to read and to browse topics; a deep link opens a topic, a
        part, an answer or the question (see :mod:`bot.model.links`), and a reader's first one
        says which way they came (a share also says who shared)."""
        link = links.parse(payload)
        self.store.readers.arrived(turn.reader.user_id, link.source or links.DIRECT, link.referrer)
        opener = self.openers.get(link.kind)
        opened = opener(turn, link.value) if opener is not None and link.target else None
        if opened is not None:
            return opened
        text = turn.say("welcome", name=turn.name, title=self.content.essay.title_in(turn.lang))
        buttons = (
            (turn.button("button_read", "read"), turn.button("button_topics", "topics")),
            (turn.button("button_answer", "answer"),),
        )
        back = self._where(turn)
        if back is not None:  # a returning reader hears where they stopped
            text = Markup(f"{text}\n\n{back}")
        return Outcome((Reply(text, buttons),))

    def _where(self, turn: Turn) -> Markup | None:
        """Where a returning reader stopped reading, and whether they answered."""
        stored = self.store.readers.get(turn.reader.user_id)
        part = self.content.essay.part_by_id(stored.part_id) if stored and stored.part_id else None
        if part is None:
            return None
        total = self.content.essay.total
        answered = self.store.answers.of_reader(turn.reader.user_id) is not None
        key = "welcome_back_answered" if answered else "welcome_back"
        return turn.say(key, number=part.number, total=total)

    @command("lang", menu=8, argument=True)
    def lang(self, turn: Turn, argument: str = "") -> Outcome:
        """/lang: choose the language (``/lang en`` at once); the choice is remembered."""
        code = argument.strip().lower()[:2]
        if code in self.content.languages:
            return self._speak(turn, code, edit=False)
        rows = tuple(
            (turn.button(f"button_lang_{lang}", "lang", lang),) for lang in self.content.languages
        )
        current = turn.say(f"language_{turn.lang}")
        return Outcome((Reply(turn.say("lang_choose", current=current), rows),))

    @action("lang", "code")
    def lang_button(self, turn: Turn, code: str) -> Outcome:
        if code not in self.content.languages:
            return turn.notice("notice_expired")
        return self._speak(turn, code, edit=True)

    def _speak(self, turn: Turn, lang: str, *, edit: bool) -> Outcome:
        """From now on, speak ``lang`` to the reader."""
        self.store.readers.set_language(turn.reader.user_id, lang)
        now = Turn(turn.reader, lang, self.content)
        rows = ((now.button("button_read", "read"), now.button("button_topics", "topics")),)
        return Outcome((Reply(now.say("lang_set"), rows, edit=edit),))

    @command("help", menu=6)
    def help(self, turn: Turn, argument: str) -> Outcome:
        """What the bot can do: every command the person may use (an admin's too)."""
        names = registry.listed(admin=turn.reader.user_id in self.admins)
        lines = [f"/{name}: {self.content.commands[name][turn.lang]}" for name in names]
        commands = Markup(escape("\n".join(lines)))
        title = self.content.essay.title_in(turn.lang)
        return turn.reply("help", title=title, commands=commands)
