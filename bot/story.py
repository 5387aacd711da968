"""Reading the essay: one part per message, paged in place with ◀ ▶, position remembered."""

from __future__ import annotations

from bot.content import Content, Part
from bot.conversation import Button, Outcome, Reply
from bot.markup import Markup, link
from bot.store import Store
from bot.turn import Turn


class Story:
    """Serves the essay's parts and remembers where each reader is."""

    def __init__(self, content: Content, store: Store) -> None:
        self.content = content
        self.store = store
        self.essay = content.essay

    def current(self, turn: Turn) -> Part:
        """The part where the reader left off (the first for a new reader)."""
        record = self.store.reader(turn.reader.user_id)
        part = self.essay.part_by_id(record.part_id) if record and record.part_id else None
        return part or self.essay.parts[0]

    def command(self, turn: Turn, argument: str) -> Outcome:
        """``/story`` resumes; ``/story N`` opens part N."""
        if not argument:
            return self.show(turn, self.current(turn))
        total = self.essay.total
        if not argument.isdecimal() or len(argument) > 6:
            return turn.reply("story_not_a_number", argument=argument[:40], total=total)
        part = self.essay.part(int(argument))
        if part is None:
            return turn.reply("story_out_of_range", number=int(argument), total=total)
        return self.show(turn, part)

    def open_part(self, turn: Turn, part_id: str, *, edit: bool = True) -> Outcome:
        """A button press: show part ``part_id`` (by default in the same message, as ◀ ▶ do)."""
        part = self.essay.part_by_id(part_id)
        if part is None:
            return turn.notice("notice_expired")
        return self.show(turn, part, edit=edit)

    def show(self, turn: Turn, part: Part, *, edit: bool = False) -> Outcome:
        """The reply showing ``part``, and remember it as the reader's position."""
        self.store.set_position(turn.reader.user_id, part.id, part.number)
        return Outcome((Reply(self.render(turn, part), self.buttons(turn, part), edit=edit),))

    def render(self, turn: Turn, part: Part) -> Markup:
        """The text of the message showing ``part``."""
        essay = self.essay
        text = turn.say(
            "part", text=part.text, number=part.number, total=essay.total, title=essay.title
        )
        if part.number == 1:
            source = link(essay.source_url, essay.source_name)
            header = turn.say("part_first_header", title=essay.title, source=source)
            text = Markup(f"{header}\n\n{text}")
        if part.number == essay.total:
            text = Markup(f"{text}\n\n{turn.say('essay_end', question=essay.title)}")
        return text

    def buttons(self, turn: Turn, part: Part) -> tuple[tuple[Button, ...], ...]:
        """◀ and ▶ where there is somewhere to go; a way back to the start on the last part."""
        row: list[Button] = []
        previous, following = self.essay.part(part.number - 1), self.essay.part(part.number + 1)
        if previous is not None:
            row.append(turn.button("button_previous", "part", previous.id))
        if following is not None:
            row.append(turn.button("button_next", "part", following.id))
        rows = [tuple(row)]
        if following is None:
            rows.append((turn.button("button_answer", "answer"),))
            if part.number > 1:
                rows.append((turn.button("button_restart", "part", self.essay.parts[0].id),))
        return tuple(r for r in rows if r)
