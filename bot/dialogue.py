"""The conversation core: given who speaks and what they sent, decide what the bot answers.

It imports nothing from Telegram; the adapters (Telegram, the console) translate to and from it.
"""

from __future__ import annotations

from collections.abc import Callable

from bot import actions
from bot.answering import Answering
from bot.asking import Answer, Asking
from bot.content import Content
from bot.conversation import Button, Command, Event, Outcome, Press, Reader, Reply, Text
from bot.discussion import Discussion
from bot.matcher import Matcher
from bot.moderation import Moderation
from bot.privacy import Privacy
from bot.store import Store
from bot.story import Story
from bot.turn import Turn

CommandHandler = Callable[[Turn, str], Outcome]
ActionHandler = Callable[[Turn, tuple[str, ...]], Outcome]


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
    ) -> None:
        self.content = content
        self.store = store
        self.story = Story(content, store)
        self.asking = Asking(content, store, matcher)
        self.discussion = Discussion(store)
        self.moderation = Moderation(content, store, self.discussion, admins, pre_moderation)
        self.answering = Answering(content, store, matcher, self.discussion, self.moderation)
        self.privacy = Privacy(store)
        #: The bot's Telegram username, once the adapter knows it (for t.me links).
        self.bot_username: str | None = None
        answering, moderation = self.answering, self.moderation
        self.commands: dict[str, CommandHandler] = {
            "start": self.start,
            "story": self.story.command,
            "help": lambda turn, _: turn.reply("help", title=content.essay.title),
            "topics": lambda turn, _: self.asking.menu(turn),
            "answer": answering.begin,
            "answers": lambda turn, _: self.discussion.page(turn, 0),
            "cancel": answering.cancel,
            "mydata": self.privacy.mydata,
            "forget": self.privacy.ask_forget,
        }
        #: Commands only admins have; for anyone else they do not exist.
        self.admin_commands: dict[str, CommandHandler] = {
            "pending": moderation.pending,
            "stats": moderation.stats,
            "export": moderation.export,
        }
        self.actions: dict[str, ActionHandler] = {
            "read": lambda turn, _: self.story.show(turn, self.story.current(turn)),
            "part": lambda turn, args: self.story.open_part(turn, args[0]),
            "open": lambda turn, args: self.story.open_part(turn, args[0], edit=False),
            "topic": lambda turn, args: self.asking.show(turn, args[0]),
            "topics": lambda turn, _: self.asking.menu(turn),
            "nomatch": lambda turn, _: self.asking.menu(turn, "topics_menu"),
            "answer": lambda turn, _: answering.begin(turn),
            "stance": lambda turn, args: answering.choose(turn, args[0]),
            "skip": lambda turn, _: answering.skip(turn),
            "show": lambda turn, args: answering.choose_display(turn, args[0]),
            "replace": lambda turn, _: answering.question(turn),
            "redisplay": lambda turn, _: answering.redisplay(turn),
            "delete": lambda turn, _: answering.ask_delete(turn),
            "delete_yes": lambda turn, _: answering.delete(turn),
            "cancel": lambda turn, _: answering.cancel_button(turn),
            "answers": lambda turn, args: self._page(turn, args[0]),
            "full": lambda turn, args: self.discussion.full(turn, args[0]),
            "mod": lambda turn, args: moderation.verdict(turn, *args),
            "forget_yes": lambda turn, _: self.privacy.forget(turn),
        }

    def _page(self, turn: Turn, page: str) -> Outcome:
        if not page.isdecimal() or len(page) > 6:
            return turn.notice("notice_expired")
        return self.discussion.page(turn, int(page), edit=True)

    def turn(self, reader: Reader) -> Turn:
        return Turn(reader, self.content.language_for(reader.language_code), self.content)

    def handle(self, reader: Reader, event: Event, *, private: bool = True) -> Outcome:
        """What to answer to ``event`` from ``reader`` (in a group chat when not ``private``)."""
        turn = self.turn(reader)
        if not private:
            return self.in_group(turn, event)
        self.store.touch_reader(reader.user_id, reader.first_name, reader.language_code)
        match event:
            case Command(name, argument):
                if name != "cancel" and self.store.flow(reader.user_id)[0] == "comment":
                    # another command leaves "write your comment" (nothing is written yet), so
                    # later free text is a question again
                    self.store.set_flow(reader.user_id, None)
                handler = self.commands.get(name)
                if handler is None and reader.user_id in self.moderation.admins:
                    handler = self.admin_commands.get(name)
                if handler is None:
                    return turn.reply("unknown_command", command=f"/{name}")
                return handler(turn, argument)
            case Press(data):
                action = actions.decode(data)
                if action is None or action.name not in self.actions:
                    return turn.notice("notice_expired")
                return self.actions[action.name](turn, action.args)
            case Text(text):
                flow, flow_data = self.store.flow(reader.user_id)
                if flow == "comment":
                    return self.answering.comment(turn, text, flow_data)
                return self.asking.ask(turn, text)
            case _:
                return turn.reply("other_hint")

    def preview(self, reader: Reader, question: str) -> Answer:
        """What the bot would answer to ``question`` from ``reader``, recording nothing."""
        return self.asking.preview(self.turn(reader), question)

    def start(self, turn: Turn, payload: str) -> Outcome:
        """The welcome, with buttons to read and to browse topics; deep links open a topic
        (``topic-<id>``) or a part (``part-<n>``)."""
        kind, _, value = payload.partition("-")
        if kind == "topic" and self.content.topic(value) is not None:
            return self.asking.show(turn, value)
        if kind == "part" and value.isdecimal() and len(value) < 4:
            part = self.content.essay.part(int(value))
            if part is not None:
                return self.story.show(turn, part)
        text = turn.say("welcome", name=turn.name, title=self.content.essay.title)
        buttons = (
            (turn.button("button_read", "read"), turn.button("button_topics", "topics")),
            (turn.button("button_answer", "answer"),),
        )
        return Outcome((Reply(text, buttons),))

    def in_group(self, turn: Turn, event: Event) -> Outcome:
        """In a group the bot answers only /start, pointing to a private chat."""
        if isinstance(event, Press):
            return turn.notice("notice_expired")
        if not (isinstance(event, Command) and event.name == "start"):
            return Outcome()
        if self.bot_username is None:
            return turn.reply("group_start_no_link")
        url = f"https://t.me/{self.bot_username}"
        text = turn.say("group_start", link=url)
        return Outcome((Reply(text, ((Button(f"@{self.bot_username}", url=url),),)),))
