"""The conversation core: given who speaks and what they sent, decide what the bot answers.

It imports nothing from Telegram; the adapters (Telegram, the console) translate to and from it.
"""

from __future__ import annotations

from collections.abc import Callable

from bot import actions
from bot.content import Content
from bot.conversation import Button, Command, Event, Outcome, Press, Reader, Reply, Text
from bot.store import Store
from bot.story import Story
from bot.turn import Turn

CommandHandler = Callable[[Turn, str], Outcome]
ActionHandler = Callable[[Turn, tuple[str, ...]], Outcome]


class Dialogue:
    """Answers every event a reader can send."""

    def __init__(self, content: Content, store: Store) -> None:
        self.content = content
        self.store = store
        self.story = Story(content, store)
        #: The bot's Telegram username, once the adapter knows it (for t.me links).
        self.bot_username: str | None = None
        self.commands: dict[str, CommandHandler] = {
            "start": self.start,
            "story": self.story.command,
            "help": lambda turn, _: turn.reply("help", title=content.essay.title),
        }
        self.actions: dict[str, ActionHandler] = {
            "read": lambda turn, _: self.story.show(turn, self.story.current(turn)),
            "part": lambda turn, args: self.story.open_part(turn, args[0]),
        }

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
                handler = self.commands.get(name)
                if handler is None:
                    return turn.reply("unknown_command", command=f"/{name}")
                return handler(turn, argument)
            case Press(data):
                action = actions.decode(data)
                if action is None or action.name not in self.actions:
                    return turn.notice("notice_expired")
                return self.actions[action.name](turn, action.args)
            case Text():
                return turn.reply("text_hint")
            case _:
                return turn.reply("other_hint")

    def start(self, turn: Turn, payload: str) -> Outcome:
        """The welcome, with a button to read the essay."""
        name = turn.reader.first_name or turn.say("anonymous_name")
        text = turn.say("welcome", name=name, title=self.content.essay.title)
        return Outcome((Reply(text, ((turn.button("button_read", "read"),),)),))

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
