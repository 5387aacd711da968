"""The author's channel: /post publishes there, after a preview and a confirmation, the essay's
opening with "read it" and "answer" buttons, one part, or the results (the chart, the tally and
the answer of each stance that readers on both sides agree with most, shown as its writer chose,
never one hidden or waiting). Every button is a deep link counted as coming from the channel."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import partial

from bot.content.catalog import Content
from bot.content.markup import Markup, clip, to_plain
from bot.core.charts import ChartData, draw
from bot.core.events import Button, Document, Keyboard, Outcome, Reader, Reply
from bot.core.registry import action, command
from bot.core.turn import Turn
from bot.core.views import answer_item, tally_or_none
from bot.model import links
from bot.model.answers import STANCES
from bot.storage.store import Store

#: Confirmations kept waiting at most.
MAX_PENDING = 20
#: Characters of the opening and of a part in a post (a message holds 4,096).
OPENING, PART = 700, 3500
EXCERPT = 500


class Posting:
    """/post and the posts it publishes."""

    def __init__(
        self,
        content: Content,
        store: Store,
        channel: str | None,
        chart: Callable[[Turn], ChartData] | None = None,
    ) -> None:
        """``chart``: the numbers of the results' chart (``Moderation.chart_data``)."""
        self.content = content
        self.store = store
        self.channel = channel
        self.chart = chart
        #: the bot's username, once the adapter knows it (the posts' links need it)
        self.username: str | None = None
        #: the confirmations shown and not pressed yet: each publishes once (a double tap, an
        #: old confirmation or a restart in between finds it gone)
        self._pending: dict[str, str] = {}

    @command("post", menu=6, admin=True, argument=True)
    def post(self, turn: Turn, argument: str = "") -> Outcome:
        """/post: choose what to publish on the channel (``/post results`` at once)."""
        if self.channel is None:
            return turn.reply("post_no_channel")
        what = _what(argument, self.content.essay.total)
        if what is not None:
            return self.preview(turn, what)
        parts = [
            turn.button("button_post_part", "post", f"p{p.number}", number=p.number)
            for p in self.content.essay.parts
        ]
        rows = (
            (turn.button("button_post_opening", "post", "opening"),),
            (turn.button("button_post_results", "post", "results"),),
            *(tuple(parts[n : n + 4]) for n in range(0, len(parts), 4)),
        )
        return Outcome((Reply(turn.say("post_choose", channel=self.channel), rows),))

    def choice(self, argument: str) -> str | None:
        """What ``/post argument`` (or ``essaybot post ARGUMENT``) asks for, if anything."""
        return _what(argument, self.content.essay.total)

    @action("post", "what", admin=True)
    def preview(self, turn: Turn, what: str) -> Outcome:
        """The post as the channel will show it, then "publish?"."""
        if self.channel is None or what not in _choices(self.content.essay.total):
            return turn.notice("notice_expired")
        shown = self.compose(what)
        token = secrets.token_hex(4)
        self._pending = {**dict(list(self._pending.items())[-MAX_PENDING + 1 :]), token: what}
        rows = (
            (
                turn.button("button_post_publish", "postgo", token),
                turn.button("button_cancel", "postno"),
            ),
        )
        ask = Reply(turn.say("post_confirm", channel=self.channel), rows)
        return Outcome((*shown, ask))

    @action("postgo", "token", admin=True)
    def publish(self, turn: Turn, token: str) -> Outcome:
        """Publish (once per confirmation): the posts go to the channel; the admin hears it
        went, or why not."""
        what = self._pending.pop(token, None)
        if self.channel is None or what is None:
            return turn.notice("notice_expired")
        failed = turn.say("post_failed", channel=self.channel)
        posts = (
            Reply(r.text, r.buttons, document=r.document, channel_failed=failed)
            for r in self.compose(what)
        )
        done = Reply(turn.say("post_done", channel=self.channel), edit=True)
        return Outcome((*posts, done))

    @action("postno", admin=True)
    def cancel(self, turn: Turn) -> Outcome:
        return Outcome((Reply(turn.say("post_cancelled"), edit=True),))

    def compose(self, what: str) -> tuple[Reply, ...]:
        """The messages of post ``what`` ("opening", "p3", "results"), in the essay's own
        language (the channel's readers are the blog's)."""
        turn = Turn(Reader(0), self.content.default_language, self.content)
        essay = self.content.essay
        if what == "results":
            return self._results(turn)
        number = 1 if what == "opening" else int(what[1:])
        part = essay.part(number)
        assert part is not None
        size = OPENING if what == "opening" else PART
        text = turn.say(
            "share_passage",
            title=essay.title_in(turn.lang),
            number=number,
            total=essay.total,
            passage=clip(part.text_in(turn.lang), size),
        )
        links_ = [("button_read_in_bot", f"part-{number}")]
        if what == "opening":
            links_.append(("button_answer_in_bot", "question"))
        return (Reply(text, self._links(turn, links_)),)

    def _results(self, turn: Turn) -> tuple[Reply, ...]:
        counts = tally_or_none(turn, self.store.answers.tally())
        title = self.content.essay.title_in(turn.lang)
        caption = turn.say("post_results", question=title, tally=counts)
        replies = []
        if self.chart is not None:
            render = partial(draw, self.chart(turn))
            chart = Document("essaybot-results.png", b"", "image/png", render, portable=True)
            replies.append(Reply(caption, document=chart))
        else:
            replies.append(Reply(caption))
        tops = (self.store.answers.most_agreed(stance) for stance in STANCES)
        best = [answer_item(turn, answer, excerpt=EXCERPT) for answer in tops if answer]
        if best:
            text = Markup("\n\n".join([turn.say("post_best"), *best]))
            replies.append(Reply(text, self._links(turn, [("button_answer_in_bot", "question")])))
        return tuple(replies)

    def _links(self, turn: Turn, targets: list[tuple[str, str]]) -> Keyboard:
        """A button into the bot for each (label, target), counted as coming from the
        channel (none without the bot's name)."""
        if self.username is None:
            return ()
        return tuple(
            (Button(to_plain(turn.say(key)), url=links.url(self.username, link)),)
            for key, target in targets
            for link in [links.Link(target, links.CHANNEL)]
        )


def _choices(parts: int) -> set[str]:
    return {"opening", "results", *(f"p{n}" for n in range(1, parts + 1))}


def _what(argument: str, parts: int) -> str | None:
    """What ``/post argument`` asks for: "opening", "results", "pN", or None (ask)."""
    words = argument.strip().casefold().split()
    if not words:
        return None
    if words[0] in ("opening", "apertura", "inizio"):
        return "opening"
    if words[0] in ("results", "risultati"):
        return "results"
    if words[0] in ("part", "parte") and len(words) == 2 and words[1].isdecimal():
        return f"p{words[1]}" if 1 <= int(words[1]) <= parts else None
    return None
