"""Reading the essay: one part per message, paged in place with ◀ ▶, position remembered; in
the reader's language, a translation labelled as such, with the original one tap away."""

from __future__ import annotations

from bot.content.catalog import Content, Part
from bot.content.markup import Markup, link, to_plain
from bot.core.events import Button, Outcome, Reply
from bot.core.registry import action, command
from bot.core.turn import Turn
from bot.model.answers import STANCES
from bot.storage.store import Store


class Reading:
    """Serves the essay's parts and remembers where each reader is."""

    def __init__(self, content: Content, store: Store) -> None:
        self.essay = content.essay
        self.readers = store.readers
        self.answers = store.answers

    def current(self, turn: Turn) -> Part:
        """The part where the reader left off (the first for a new reader)."""
        record = self.readers.get(turn.reader.user_id)
        part = self.essay.part_by_id(record.part_id) if record and record.part_id else None
        return part or self.essay.parts[0]

    @command("story", menu=1, argument=True)
    def command(self, turn: Turn, argument: str) -> Outcome:
        """``/story`` resumes; ``/story N`` opens part N."""
        if not argument:
            return self.show(turn, self.current(turn))
        total = self.essay.total
        if not argument.isdecimal():
            return turn.reply("story_not_a_number", argument=argument[:40], total=total)
        part = self.essay.part(int(argument)) if len(argument) <= 6 else None
        if part is None:
            number = argument.lstrip("0")[:12] or "0"
            return turn.reply("story_out_of_range", number=number, total=total)
        return self.show(turn, part)

    @action("read")
    def resume(self, turn: Turn) -> Outcome:
        """The "read" button: the part where the reader left off, in a new message."""
        return self.show(turn, self.current(turn))

    @action("part", "part_id")
    def turn_page(self, turn: Turn, part_id: str) -> Outcome:
        """◀ ▶ and "back to the start": show part ``part_id`` in the same message."""
        return self.open_part(turn, part_id, edit=True)

    @action("open", "part_id")
    def open_part(self, turn: Turn, part_id: str, *, edit: bool = False) -> Outcome:
        """ "Read this part" under a topic: show part ``part_id`` in a new message."""
        part = self.essay.part_by_id(part_id)
        if part is None:
            return turn.notice("notice_expired")
        return self.show(turn, part, edit=edit)

    @action("original", "part_id")
    def original(self, turn: Turn, part_id: str) -> Outcome:
        """The part in the essay's own language, in place of its translation (and back with
        the "part" action)."""
        part = self.essay.part_by_id(part_id)
        if part is None:
            return turn.notice("notice_expired")
        text = self.render(turn, part, self.essay.language)
        rows = self._paging(turn, part)
        if self.essay.is_translated(turn.lang):
            rows = (*rows, (turn.button("button_translation", "part", part.id),))
        return Outcome((Reply(text, rows, edit=True),))

    def show(self, turn: Turn, part: Part, *, edit: bool = False) -> Outcome:
        """The reply showing ``part``, and remember it as the reader's position. The first time
        a reader opens the story at its start, the part comes with one optional question: what
        do they think before reading? (Turning the page skips it.)"""
        user = turn.reader.user_id
        record = self.readers.get(user)
        first = record is not None and record.furthest_part == 0 and part.number == 1
        self.readers.set_position(user, part.id, part.number)
        text = self.render(turn, part, turn.lang)
        rows = self.buttons(turn, part)
        if part.number > 1 and self.readers.before(user) in (None, "asked"):
            self.readers.set_before(user, "skip")  # reading on: "before reading" is past
        elif first and self.readers.before(user) is None:
            self.readers.set_before(user, "asked")  # asked once, whatever the reader does
            question = turn.say("before_question")
            text = Markup(f"{question}\n\n{text}")
            stances = tuple(turn.button(f"stance_{s}", "before", s, part.id) for s in STANCES)
            rows = (
                stances,
                (turn.button("button_before_skip", "before", "skip", part.id),),
                *rows,
            )
        return Outcome((Reply(text, rows, edit=edit),))

    @action("before", "stance", "part_id")
    def before(self, turn: Turn, stance: str, part_id: str) -> Outcome:
        """What the reader thought before reading (or that they skip it), asked once and kept
        to compare with their answer at the end; the part stays, without the question."""
        user = turn.reader.user_id
        part = self.essay.part_by_id(part_id)
        if stance not in (*STANCES, "skip") or part is None:
            return turn.notice("notice_expired")
        given = self.readers.before(user)
        if given in STANCES:
            return turn.notice("notice_before_given")
        record = self.readers.get(user)
        read_on = record is None or record.furthest_part > 1
        if given == "skip" or read_on or self.answers.of_reader(user) is not None:
            return turn.notice("notice_before_late")
        self.readers.set_before(user, stance)
        key = "notice_before_skipped" if stance == "skip" else "notice_before_noted"
        text = self.render(turn, part, turn.lang)
        return Outcome(
            (Reply(text, self.buttons(turn, part), edit=True),), notice=turn.notice(key).notice
        )

    def render(self, turn: Turn, part: Part, lang: str) -> Markup:
        """The text of the message showing ``part`` in ``lang`` (its phrases in the reader's)."""
        essay = self.essay
        title = essay.title_in(lang)
        text = turn.say(
            "part", text=part.text_in(lang), number=part.number, total=essay.total, title=title
        )
        if part.number == 1:
            source = link(essay.source_url, essay.source_name)
            header = turn.say("part_first_header", title=title, source=source)
            text = Markup(f"{header}\n\n{text}")
        if part.notes:
            note = part.notes.get(turn.lang) or next(iter(part.notes.values()))
            text = Markup(f"{text}\n{turn.say('part_note', note=note)}")
        if essay.is_translated(lang):
            text = Markup(f"{text}\n{turn.say('part_translated')}")
        if part.number == essay.total:
            end = turn.say("essay_end", question=essay.title_in(turn.lang))
            text = Markup(f"{text}\n\n{end}")
        return text

    def buttons(self, turn: Turn, part: Part) -> tuple[tuple[Button, ...], ...]:
        """◀ and ▶ where there is somewhere to go; a way back to the start on the last part;
        sharing the passage; the original, under a translation (always the last row)."""
        rows = self._paging(turn, part)
        if self.essay.is_translated(turn.lang):
            rows = (*rows, (turn.button("button_original", "original", part.id),))
        return rows

    def _paging(self, turn: Turn, part: Part) -> tuple[tuple[Button, ...], ...]:
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
        query = to_plain(turn.say("share_query_part", number=part.number))
        rows.append((turn.share("button_share_passage", query),))
        return tuple(r for r in rows if r)
