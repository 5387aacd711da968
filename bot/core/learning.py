"""A loop that learns: the author reads what readers asked and the bot could not answer, grouped
with their like, and says which topic each group is about (the phrasing becomes an example of
that topic, used at once, and every reader who asked hears back; then, if the author likes,
which aspect it asks) or that the essay does not
cover it (an example of what the essay does not answer, used at once too). ``essaybot bank
export`` writes both as question-bank YAML to merge into ``content/bank/``."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.content.catalog import ASPECTS, Content, Topic
from bot.content.markup import Markup
from bot.core.events import Outcome, Reply
from bot.core.news.notify import reader_turn, tell
from bot.core.registry import action, command
from bot.core.turn import Turn
from bot.core.understanding.decide import Understanding
from bot.core.understanding.sentences import excerpt
from bot.model.limits import parse_id
from bot.model.replies import question_card
from bot.model.text import fold
from bot.storage.questions import Question
from bot.storage.store import Store

#: How many unanswered questions are read, and how many groups shown.
RECENT = 200
MAX_GROUPS = 8
#: How alike two questions must be to go in one group (all their words, in any order).
ALIKE = 80
#: How much of a question grouping compares (a long rant costs no more than a short one).
COMPARED = 200
SUGGESTIONS = 2
#: How likely the model must find a topic to suggest it for a question.
LIKELY = 0.05
UNCOVERED = "uncovered"
#: What a question the essay does not cover is taught as (the question bank's intent).
OUT = "out"


def group(questions: list[Question]) -> list[list[Question]]:
    """Questions with their like, newest first; the first of each group stands for it."""
    groups: list[list[Question]] = []
    heads: list[str] = []
    for question in questions:
        text = fold(question.text[:COMPARED]).lower()
        found = process.extractOne(text, heads, scorer=fuzz.token_sort_ratio, score_cutoff=ALIKE)
        if found is None:
            groups.append([question])
            heads.append(text)
        else:
            groups[found[2]].append(question)
    return groups


class Learning:
    """/unanswered and the author's verdicts on it."""

    def __init__(self, content: Content, store: Store, understanding: Understanding) -> None:
        self.content = content
        self.store = store
        self.questions = store.questions
        self.understanding = understanding
        learned = self.questions.learned()
        self.understanding.learn([(a.topic, a.phrase) for a in learned])
        for alias in learned:
            if alias.aspect is not None:
                self.understanding.learn_aspect(alias.phrase, alias.aspect)

    @command("unanswered", menu=4, admin=True)
    def unanswered(self, turn: Turn, argument: str = "") -> Outcome:
        """The groups of questions the bot could not answer, each with its verdict buttons."""
        groups = group(self.questions.unanswered(RECENT))
        if not groups:
            return turn.reply("unanswered_empty")
        more = turn.say("unanswered_shown", shown=MAX_GROUPS) if len(groups) > MAX_GROUPS else ""
        title = Reply(turn.say("unanswered_title", groups=len(groups), shown=more))
        # each group is a card, sent anew below and drawn again if a reader /forgets: no copy
        # of a forgotten question stays in the admin's chat
        here = turn.reader.user_id
        cards = (
            Reply(Markup(""), chat_id=here, card=question_card(g[0].id), fresh=True)
            for g in groups[:MAX_GROUPS]
        )
        return Outcome((title, *cards))

    def card_for(self, question_id: int, chat_id: int) -> Reply:
        """The group that question ``question_id`` heads, as it is now, for the admin of
        ``chat_id``: with its verdict buttons, or a line if nothing of it waits any more."""
        turn = reader_turn(self.store, self.content, chat_id)
        members = self._members(str(question_id))
        card = question_card(question_id)
        if not members:
            return Reply(turn.say("unanswered_card_gone"), chat_id=chat_id, card=card)
        drawn = self._card(turn, members)
        return Reply(drawn.text, drawn.buttons, chat_id=chat_id, card=card)

    def shows_words(self, question_id: int) -> bool:
        """Whether the group headed by ``question_id`` still has a question to show."""
        return bool(self._members(str(question_id)))

    def _card(self, turn: Turn, members: list[Question]) -> Reply:
        first = members[0]
        others = "\n".join(f"• {q.text[:120]}" for q in members[1:4])
        askers = len({q.user_id for q in members})  # each reader counts once
        text = turn.say("unanswered_group", question=first.text[:300], count=askers, others=others)
        intents, _ = self.understanding.read(excerpt(first.text))
        topics = self.understanding.topics
        suggested = [r.label for r in intents if r.label in topics and r.p >= LIKELY]
        nearest = self.understanding.decide(excerpt(first.text)).topic  # the topic it touches
        if nearest is not None and nearest not in suggested:
            suggested.append(nearest)
        suggested = suggested[:SUGGESTIONS]
        rows = [
            (turn.button("button_teach", "teach", str(first.id), t, name=self._name(turn, t)),)
            for t in suggested
        ]
        rows.append((turn.button("button_teach_other", "teach_menu", str(first.id)),))
        uncovered = (turn.button("button_uncovered", "uncovered", str(first.id)),)
        # what the bank says the essay does not answer ("quanto guadagna un CDO") offers
        # "not covered" first, not a topic
        out = intents[0].label == OUT
        return Reply(text, (uncovered, *rows) if out else (*rows, uncovered))

    def _name(self, turn: Turn, topic_id: str) -> str:
        topic = self.content.topic(topic_id)
        return topic.texts[turn.lang].name if topic else topic_id

    def _members(self, question_id: str) -> list[Question]:
        """The unanswered group that question ``question_id`` stood for when the author saw it
        (empty if resolved): questions asked since are left for the next /unanswered."""
        number = parse_id(question_id)
        if number is None:
            return []
        seen = [q for q in self.questions.unanswered(RECENT) if q.id <= number]
        for members in group(seen):
            if members[0].id == number:
                return members
        return []

    @action("teach_menu", "question_id", admin=True)
    def teach_menu(self, turn: Turn, question_id: str) -> Outcome:
        """Every topic, to say which one the group is about."""
        members = self._members(question_id)
        if not members:
            return turn.notice("notice_card_expired")
        rows = tuple(
            (
                turn.button(
                    "button_teach", "teach", question_id, t.id, name=t.texts[turn.lang].name
                ),
            )
            for t in self.content.topics
        )
        # in place of the group's card, so the card stays the one message with its words
        menu = turn.say("teach_menu", question=members[0].text[:300])
        return Outcome((Reply(menu, rows, edit=True),))

    @action("teach", "question_id", "topic_id", admin=True)
    def teach(self, turn: Turn, question_id: str, topic_id: str) -> Outcome:
        """The group is about ``topic_id``: learn its phrasing, and answer everyone who asked."""
        topic = self.content.topic(topic_id)
        members = self._members(question_id)
        if topic is None or not members:
            return turn.notice("notice_card_expired")
        first = members[0]
        self.questions.learn(topic.id, first.lang, first.text, turn.reader.user_id, first.user_id)
        self.understanding.learn([(topic.id, first.text)])
        self.questions.resolve([q.id for q in members], topic.id)
        asked = {q.user_id: q for q in reversed(members) if q.user_id != turn.reader.user_id}
        told = sum(self._hear_back(q, topic) for q in asked.values())
        name = topic.texts[turn.lang].name
        done = turn.say("notice_taught", name=name, count=told)
        aspects = tuple(
            (turn.button(f"button_aspect_{a}", "teach_aspect", question_id, a),)
            for a in ASPECTS
            if a in topic.aspects
        )
        asking = Markup(f"{done}\n{turn.say('teach_aspect')}") if aspects else done
        return Outcome((Reply(asking, aspects, edit=True),), notice="✓")

    @action("teach_aspect", "question_id", "aspect", admin=True)
    def teach_aspect(self, turn: Turn, question_id: str, aspect: str) -> Outcome:
        """The taught question asks ``aspect`` of its topic: questions phrased like it get that
        aspect from now on."""
        number = parse_id(question_id)
        found = self.questions.resolution(number) if number is not None else None
        topic = self.content.topic(found[1] or "") if found is not None else None
        if found is None or topic is None or aspect not in topic.aspects:
            return turn.notice("notice_card_expired")
        if not self.questions.teach_aspect(topic.id, found[0].text, aspect):
            return turn.notice("notice_card_expired")  # forgotten since
        self.understanding.learn_aspect(found[0].text, aspect)
        name, label = topic.texts[turn.lang].name, turn.say(f"aspect_{aspect}")
        done = turn.say("notice_taught_aspect", name=name, label=label)
        return Outcome((Reply(done, edit=True),), notice="✓")

    def _hear_back(self, question: Question, topic: Topic) -> bool:
        """The reader hears that their question finally has an answer (a notice, bundled with
        their others; unless they turned notifications off or blocked the bot)."""
        text = question.text[:300]
        return tell(
            self.store, question.user_id, "news_learned", own=True, question=text, topic=topic.id
        )

    @action("uncovered", "question_id", admin=True)
    def uncovered(self, turn: Turn, question_id: str) -> Outcome:
        """The essay does not cover the group's question: it leaves the list."""
        members = self._members(question_id)
        if not members:
            return turn.notice("notice_card_expired")
        first = members[0]
        self.questions.learn(OUT, first.lang, first.text, turn.reader.user_id, first.user_id)
        self.understanding.learn([(OUT, first.text)])
        self.questions.resolve([q.id for q in members], UNCOVERED)
        done = turn.say("notice_uncovered", count=len(members))
        return Outcome((Reply(done, edit=True),), notice="✓")
