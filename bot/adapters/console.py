"""The terminal adapter: chat with the bot through the same dialogue and database.

Buttons are shown as numbered choices; typing the number presses the button. Works with piped
stdin too (one message per line) and ends cleanly at the end of input.
"""

from __future__ import annotations

from typing import TextIO

from bot.content.markup import to_plain, to_terminal
from bot.core.dialogue import Dialogue
from bot.core.events import Button, Event, Outcome, Press, Reader, Text, parse_command

RULE = "─" * 40


class Console:
    """Reads lines from ``stdin``, answers on ``stdout``."""

    def __init__(
        self, dialogue: Dialogue, reader: Reader, stdin: TextIO, stdout: TextIO, prompt: bool
    ) -> None:
        self.dialogue = dialogue
        self.reader = reader
        self.stdin = stdin
        self.stdout = stdout
        self.prompt = prompt
        self.turn = dialogue.turn(reader)
        self.choices: list[Button] = []

    def run(self) -> int:
        """Converse until the end of input; return the exit code."""
        self.write(to_plain(self.turn.say("console_intro")))
        while True:
            if self.prompt:
                self.stdout.write("> ")
                self.stdout.flush()
            line = self.stdin.readline()
            if not line:
                if self.prompt:
                    self.stdout.write("\n")
                return 0
            event = self.parse(line.strip())
            if event is not None:
                outcome = self.dialogue.handle(self.reader, event)
                self.turn = self.dialogue.speaking(self.reader)  # /lang changes its lines too
                self.show(outcome)
                self.deliver(told=outcome.posted > 0)

    def deliver(self, *, told: bool = True) -> None:
        """Show what the outbox holds for this reader now (their cards, their notifications, as
        Telegram would deliver them); what it holds for other chats stays there for the
        Telegram bot to deliver (``told``: say how much, after an event that posted some)."""
        deliveries = self.dialogue.outbox.due(chat_id=self.reader.user_id)
        if deliveries:
            self.show(Outcome(tuple(d.reply for d in deliveries)))
        for delivery in deliveries:
            self.dialogue.outbox.delivered(delivery, None)
        waiting = self.dialogue.outbox.waiting()
        if waiting and told:
            self.write(to_plain(self.turn.say("console_outbox", count=waiting)))

    def parse(self, line: str) -> Event | None:
        """The event a typed line stands for; None when it only needs a local answer."""
        if not line:
            return None
        if line.isdecimal() and self.choices:
            index = int(line) if len(line) < 4 else 0
            if not 1 <= index <= len(self.choices):
                count = len(self.choices)
                self.write(to_plain(self.turn.say("console_no_such_button", count=count)))
                return None
            return Press(self.choices[index - 1].data or "")
        if line.startswith("/"):
            command = parse_command(line)
            if command is not None:
                return command
        return Text(line)

    def show(self, outcome: Outcome) -> None:
        """Print the replies (an edit marked as one) and, if any, the notice and the numbered
        buttons: every button of the outcome's messages can be pressed, numbered in order."""
        if outcome.notice:
            self.write(f"({outcome.notice})")
        presses: list[Button] = []
        for reply in outcome.replies:
            self.write(RULE)
            if reply.chat_id is not None and reply.chat_id != self.reader.user_id:
                self.write(f"(→ {reply.chat_id})")
            if reply.edit:
                key = "console_keyboard" if reply.keyboard_only else "console_edited"
                self.write(to_plain(self.turn.say(key)))
            if not reply.keyboard_only:
                self.write(to_terminal(reply.text))
            if reply.document is not None:
                document = reply.document
                if document.mime_type.startswith("image/"):  # a picture is not for a terminal
                    self.write(f"[{document.filename}: `essaybot stats --chart PATH` writes it]")
                else:
                    data = document.content()
                    self.write(f"[{document.filename}, {len(data)} bytes]")
                    self.write(data.decode("utf-8-sig", errors="replace").rstrip())
            buttons = [b for row in reply.buttons for b in row]
            for button in (b for b in buttons if b.url):
                self.write(f"  {button.label}: {button.url}")
            if any(b.data for b in buttons):
                self.write("")
                for row in reply.buttons:
                    labels = []
                    for button in (b for b in row if b.data):
                        presses.append(button)
                        labels.append(f"[{len(presses)}] {button.label}")
                    if labels:
                        self.write("  " + "   ".join(labels))
        if presses:
            self.choices = presses
            if self.prompt:
                self.write(to_plain(self.turn.say("console_choose")))

    def write(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()
