"""The essay beyond the bot: what ``@bot words`` offers in any chat (an inline query), and the
buttons that start one. Each result carries a deep link back into the bot that opens where the
result points and counts the reader it brings as come through a share (bot.model.links).

An empty query offers the essay's opening and the title's question with its tally; words offer
the topics the understanding reads in them, the parts whose text has them (``parte 3`` asks for
part 3), and the question; a reader who answered also gets their own answer, first when they
ask for it (``la mia risposta``, ``my answer``), as the share button under it does.
"""

from __future__ import annotations

import re

from bot.content.catalog import Content
from bot.content.markup import clip, to_plain
from bot.core.events import Button, Found, Offer
from bot.core.topic_views import card
from bot.core.turn import Turn
from bot.core.understanding.decide import Understanding
from bot.core.views import answer_item, tally_or_none
from bot.model import links
from bot.storage.store import Store

#: Seconds Telegram may keep an offer (for its reader only: every link names who shared it).
CACHE_TIME = 60
#: Results offered at most (Telegram takes 50), topics and passages among them.
MAX_RESULTS = 10
MAX_TOPICS, MAX_PASSAGES = 3, 3
#: Characters of a passage shown, and of a result's description.
PASSAGE, DESCRIPTION = 600, 120
_PART = re.compile(r"^(?:parte|part|p\.?|#)\s*(\d{1,2})$", re.IGNORECASE)
_OWN = frozenset({"mia", "my", "mine", "risposta", "answer"})


class Sharing:
    """Offers to inline queries, and the buttons that share."""

    def __init__(self, content: Content, store: Store, understanding: Understanding) -> None:
        self.content = content
        self.store = store
        self.understanding = understanding
        #: the bot's username, once the adapter knows it (no links without it)
        self.username: str | None = None

    def offer(self, turn: Turn, query: str) -> Offer:
        """What ``@bot query`` offers the reader of ``turn``."""
        words = " ".join(query.split())[:200]
        code = self.store.readers.share_code(turn.reader.user_id)  # in every result's link
        own = self._own(turn, code)
        found: list[Found] = []
        if own is not None and _OWN & set(words.casefold().split()):
            found.append(own)
        if not words:
            found.append(self._passage(turn, code, 1, None))
        elif (asked := _PART.match(words)) is not None:
            if self.content.essay.part(int(asked[1])) is not None:
                found.append(self._passage(turn, code, int(asked[1]), None))
        else:
            found += [self._topic(turn, code, t) for t in self._topics(words)]
            found += [self._passage(turn, code, n, words) for n in self._parts_with(turn, words)]
        found.append(self._question(turn, code))
        if own is not None and own not in found:
            found.append(own)
        unique = {result.id: result for result in found}
        return Offer(tuple(unique.values())[:MAX_RESULTS], CACHE_TIME, personal=True)

    # --- the results -------------------------------------------------------------------------

    def _open(
        self, turn: Turn, code: str | None, key: str, target: str
    ) -> tuple[tuple[Button, ...], ...]:
        """The result's button back into the bot, counted as a share by the reader whose
        share code is ``code``."""
        if self.username is None:
            return ()
        for link in (links.Link(target, links.SHARE, code), links.Link(target, links.SHARE)):
            try:  # the sharer's code in it, unless the link would pass Telegram's 64
                url = links.url(self.username, link)
            except ValueError:
                continue
            return ((Button(to_plain(turn.say(key)), url=url),),)
        return ()

    def _topics(self, words: str) -> list[str]:
        decision = self.understanding.decide(words)
        ids = [decision.topic] if decision.topic else list(decision.choices)
        return [t for t in ids if t and self.content.topic(t) is not None][:MAX_TOPICS]

    def _topic(self, turn: Turn, code: str | None, topic_id: str) -> Found:
        topic = self.content.topic(topic_id)
        assert topic is not None
        text = card(turn, topic)
        name = topic.texts[turn.lang].name
        return Found(
            f"topic-{topic.id}",
            to_plain(turn.say("share_title_topic", name=name)),
            clip(topic.texts[turn.lang].answer, DESCRIPTION),
            text,
            self._open(turn, code, "button_open_in_bot", f"topic-{topic.id}"),
        )

    def _parts_with(self, turn: Turn, words: str) -> list[int]:
        """The parts whose text, in the reader's language or the original, has every word of
        three letters or more in ``words``."""
        wanted = [w for w in re.findall(r"\w+", words.casefold()) if len(w) >= 3]
        if not wanted:
            return []
        found = []
        for part in self.content.essay.parts:
            texts = (part.text_in(turn.lang), part.text_in(self.content.essay.language))
            if any(all(w in text.casefold() for w in wanted) for text in texts):
                found.append(part.number)
        return found[:MAX_PASSAGES]

    def _passage(self, turn: Turn, code: str | None, number: int, words: str | None) -> Found:
        """Part ``number``: its text (from the first of ``words`` in it, if given)."""
        essay = self.content.essay
        part = essay.part(number)
        assert part is not None
        text = part.text_in(turn.lang)
        start = 0
        if words:
            first = re.findall(r"\w{3,}", words.casefold())
            at = text.casefold().find(first[0]) if first else -1
            start = max(0, text.rfind(" ", 0, max(at - 80, 0)) + 1) if at > 0 else 0
        passage = ("…" if start else "") + clip(text[start:], PASSAGE)
        title = essay.title_in(turn.lang)
        shown = turn.say(
            "share_passage", title=title, number=number, total=essay.total, passage=passage
        )
        return Found(
            f"part-{number}",
            to_plain(turn.say("share_title_part", number=number, total=essay.total)),
            clip(passage, DESCRIPTION),
            shown,
            self._open(turn, code, "button_read_in_bot", f"part-{number}"),
        )

    def _question(self, turn: Turn, code: str | None) -> Found:
        """The title's question, with the tally so far."""
        counts = self.store.answers.tally()
        question = self.content.essay.title_in(turn.lang)
        shown = turn.say("share_question", question=question, tally=tally_or_none(turn, counts))
        return Found(
            "question",
            question,
            to_plain(turn.say("share_question_description", count=sum(counts.values()))),
            shown,
            self._open(turn, code, "button_answer_in_bot", "question"),
        )

    def _own(self, turn: Turn, code: str | None) -> Found | None:
        """The reader's own published answer, to ask someone else's."""
        answer = self.store.answers.of_reader(turn.reader.user_id)
        if answer is None or answer.status != "published":
            return None
        item = answer_item(turn, answer, excerpt=PASSAGE)
        question = self.content.essay.title_in(turn.lang)
        shown = turn.say("share_own", question=question, answer=item)
        return Found(
            f"answer-{answer.id}",
            to_plain(turn.say("share_title_own")),
            clip(answer.comment or to_plain(turn.say(f"stance_{answer.stance}")), DESCRIPTION),
            shown,
            self._open(turn, code, "button_answer_in_bot", f"answer-{answer.id}"),
        )
