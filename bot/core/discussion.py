"""Reading others' answers and agreeing with them: the paged list (newest first, or the answers
readers on both sides agree with; all stances or one), each answer with its votes and replies,
one answer with its replies, and the tally (everyone, or readers who finished the essay)."""

from __future__ import annotations

import math

from bot.content.catalog import Content
from bot.content.markup import Markup
from bot.core.events import Button, Outcome, Reply
from bot.core.registry import action, command
from bot.core.turn import Turn
from bot.core.views import answer_item, discussion_rows, response_item, tally, vote_buttons
from bot.model.agreement import Standing
from bot.model.answers import STANCES, Answer
from bot.model.limits import EXCERPT, PAGE_SIZE, REPLIES_PER_PAGE, REPLY_EXCERPT, parse_id
from bot.model.replies import Response
from bot.storage.store import Store

#: How /answers is ordered: newest first, or by agreement across sides.
ORDERS = ("n", "a")
#: Which stance /answers shows: "all", or one.
FILTERS: dict[str, str | None] = {"all": None, **{s: s for s in STANCES}}
VOTES = {"up": 1, "down": -1}
MAX_PAGE_DIGITS = 6


class Discussion:
    """Shows published answers to readers, and takes their votes."""

    def __init__(self, content: Content, store: Store, admins: frozenset[int]) -> None:
        self.parts = content.essay.total
        self.store = store
        self.answers = store.answers
        self.admins = admins

    # --- the list ----------------------------------------------------------------------------

    @command("answers", menu=4)
    def first_page(self, turn: Turn, argument: str) -> Outcome:
        """/answers: the newest published answers."""
        return self.page(turn, "n", "all", 0)

    @action("answers", "page")
    def turn_page(self, turn: Turn, page: str) -> Outcome:
        """ "Read other answers" after saving one's own (and ◀ ▶ of earlier versions): the
        list as a new message, so the confirmation it was pressed under stays."""
        if not page.isdecimal() or len(page) > MAX_PAGE_DIGITS:
            return turn.notice("notice_expired")
        return self.page(turn, "n", "all", int(page))

    @action("list", "order", "stance", "page")
    def listing(self, turn: Turn, order: str, stance: str, page: str) -> Outcome:
        """◀ ▶, the order and the stance buttons under the list: the list again, in place."""
        if order not in ORDERS or stance not in FILTERS or not _page(page):
            return turn.notice("notice_expired")
        return self.page(turn, order, stance, int(page), edit=True)

    @action("lpage", "order", "stance", "page", "key")
    def keyed(self, turn: Turn, order: str, stance: str, page: str, key: str) -> Outcome:
        """◀ ▶ under the list: the page next to the answer named in ``key`` ("a12": after
        answer 12, "b12": before it, "f12": from it on), in place."""
        if order not in ORDERS or stance not in FILTERS or not _page(page) or not _key(key):
            return turn.notice("notice_expired")
        return self.page(turn, order, stance, int(page), edit=True, key=key)

    @action("lmenu", "order", "stance", "page", "key")
    def sort_menu(self, turn: Turn, order: str, stance: str, page: str, key: str) -> Outcome:
        """ "Sort / filter" under the list: the orders and the stances in place of its buttons."""
        if order not in ORDERS or stance not in FILTERS or not _page(page) or not _key(key):
            return turn.notice("notice_expired")
        back = turn.button("button_back", "list", order, stance, page)
        if key != "0":
            back = turn.button("button_back", "lpage", order, stance, page, key)
        rows = (*self._order_rows(turn, order, stance), (back,))
        return Outcome((Reply(Markup(""), rows, edit=True, keyboard_only=True),))

    def page(
        self,
        turn: Turn,
        order: str,
        stance: str,
        page: int,
        *,
        edit: bool = False,
        key: str = "0",
    ) -> Outcome:
        """Page ``page`` (0-based) of published answers in ``order``, of ``stance`` (or all);
        read next to the answer ``key`` names, when it names one (see ``keyed``)."""
        total = self.answers.count_published(FILTERS[stance])
        if not total:
            empty = "answers_empty" if stance == "all" else "answers_empty_stance"
            rows = self._order_rows(turn, order, stance) if stance != "all" else ()
            return Outcome((Reply(turn.say(empty), rows, edit=edit),))
        pages = math.ceil(total / PAGE_SIZE)
        page, ids, more = self._read(order, stance, min(max(page, 0), pages - 1), key)
        shown = self.answers.by_ids(ids)
        title = turn.say(
            "answers_title_view",
            total=total,
            page=page + 1,
            pages=pages,
            order=turn.say(f"order_{order}"),
        )
        items, opens = self._items(turn, shown)
        # a phone's keyboard: one row opening each answer (its votes and replies are inside),
        # one row with ◀, sort / filter, the tally, ▶
        nav: list[Button] = []
        here, back = (order, stance, str(page)), (order, stance, str(page - 1))
        if page > 0:
            nav.append(turn.button("button_previous", "lpage", *back, f"b{ids[0]}"))
        nav.append(turn.button("button_sort", "lmenu", *here, f"f{ids[0]}" if page else "0"))
        nav.append(turn.button("button_tally_short", "tally", "all", "new"))
        if more:
            following = (order, stance, str(page + 1), f"a{ids[-1]}")
            nav.append(turn.button("button_next", "lpage", *following))
        rows = (opens, tuple(nav))
        return Outcome((Reply(Markup("\n\n".join([title, *items])), rows, edit=edit),))

    def _read(self, order: str, stance: str, page: int, key: str) -> tuple[int, list[int], bool]:
        """The page's number, its answers' ids and whether a page follows: next to the answer
        ``key`` names (one range of an index however deep), or by number when it names none,
        or that answer is gone. Answers come and go between two presses: going on (newest
        first), the page starts right after the last one shown, nothing repeated or skipped; a
        page before the anchor with no more before it is the first page, read from the top.
        (By agreement, votes move answers between pages: the neighbours are those of now.)"""
        stances = FILTERS[stance]
        if key != "0":
            how = {"a": "after", "f": "from", "b": "before"}[key[0]]
            ids = self.answers.page_ids_from(order, stances, int(key[1:]), how, PAGE_SIZE + 1)
            if ids is not None and how == "before" and len(ids) > PAGE_SIZE:
                return max(page, 1), ids[1:], True  # the nearest five; more before them
            if ids is not None and how == "before":
                page = 0
            elif ids:
                return page, ids[:PAGE_SIZE], len(ids) > PAGE_SIZE
        ids = self.answers.page_ids(order, stances, page * PAGE_SIZE, PAGE_SIZE + 1)
        return page, ids[:PAGE_SIZE], len(ids) > PAGE_SIZE

    def _items(self, turn: Turn, answers: list[Answer]) -> tuple[list[Markup], tuple[Button, ...]]:
        """Each answer with its counts, and a button opening each."""
        ids = [a.id for a in answers]
        standings = self.store.votes.standings(ids)
        replies = self.store.replies.counts(ids)
        finished = self.answers.finished([a.user_id for a in answers], self.parts)
        items: list[Markup] = []
        opens: list[Button] = []
        for a in answers:
            standing = standings.get(a.id, Standing())
            items.append(
                answer_item(
                    turn,
                    a,
                    excerpt=EXCERPT,
                    standing=standing,
                    replies=replies.get(a.id, 0),
                    finished=a.user_id in finished,
                )
            )
            opens.append(turn.button("button_open", "thread", str(a.id), "0", number=a.id))
        return items, tuple(opens)

    def _order_rows(self, turn: Turn, order: str, stance: str) -> tuple[tuple[Button, ...], ...]:
        """The order buttons and the stance buttons, the current ones marked."""

        def mark(button: Button, current: bool) -> Button:
            return Button(f"• {button.label}", button.data) if current else button

        orders = tuple(
            mark(turn.button(f"button_order_{o}", "list", o, stance, "0"), o == order)
            for o in ORDERS
        )
        stances = tuple(
            mark(turn.button(f"button_filter_{f}", "list", order, f, "0"), f == stance)
            for f in FILTERS
        )
        return (orders, stances)

    # --- one answer and its replies ----------------------------------------------------------

    @action("full", "answer_id")
    def full(self, turn: Turn, answer_id: str) -> Outcome:
        """ "Read it all" of earlier versions: the answer with its replies."""
        return self.thread(turn, answer_id, "0")

    @action("thread", "answer_id", "page")
    def thread(self, turn: Turn, answer_id: str, page: str, *, edit: bool = False) -> Outcome:
        """One answer in full, its counts, and a page of its replies with what the reader may
        do: agree, disagree, reply; edit or delete their own replies; an admin hides one."""
        number = parse_id(answer_id)
        answer = self.answers.get(number) if number is not None else None
        user = turn.reader.user_id
        admin = user in self.admins
        visible = answer is not None and (
            answer.status == "published" or answer.user_id == user or admin
        )
        if answer is None or not visible or not _page(page):
            return turn.notice("notice_expired")
        total = self.store.replies.thread_size(answer.id, user)
        pages = max(1, math.ceil(total / REPLIES_PER_PAGE))
        at = min(int(page), pages - 1)
        replies = self.store.replies.thread(
            answer.id, user, at * REPLIES_PER_PAGE, REPLIES_PER_PAGE
        )
        standing = self.store.votes.standings([answer.id]).get(answer.id, Standing())
        finished = bool(self.answers.finished([answer.user_id], self.parts))
        published = self.store.replies.counts([answer.id]).get(answer.id, 0)
        head = answer_item(turn, answer, standing=standing, replies=published, finished=finished)
        parts = [head]
        if total:
            first, last = at * REPLIES_PER_PAGE + 1, at * REPLIES_PER_PAGE + len(replies)
            if first == 1 and last == total:  # all of them on one page: no range to read
                parts.append(turn.say("replies_title_all", total=total))
            else:
                parts.append(turn.say("replies_title", first=first, last=last, total=total))
            parts.extend(response_item(turn, r, excerpt=REPLY_EXCERPT) for r in replies)
        rows: list[tuple[Button, ...]] = []
        view = f"t.{at}"
        if answer.user_id != user and answer.status == "published":
            mine = self.store.votes.mine(user, [answer.id]).get(answer.id)
            rows.append(vote_buttons(turn, answer, standing, mine, view))
        if answer.status == "published" or admin:
            rows.append((turn.button("button_reply", "reply", str(answer.id)),))
        for r in replies:
            rows.extend(self._reply_buttons(turn, r, admin))
        arrows: list[Button] = []
        if at > 0:
            arrows.append(turn.button("button_previous", "thread", str(answer.id), str(at - 1)))
        if at < pages - 1:
            arrows.append(turn.button("button_next", "thread", str(answer.id), str(at + 1)))
        if arrows:
            rows.append(tuple(arrows))
        rows.append((turn.button("button_all_answers", "list", "n", "all", "0"),))
        return Outcome((Reply(Markup("\n\n".join(parts)), tuple(rows), edit=edit),))

    @staticmethod
    def _reply_buttons(turn: Turn, reply: Response, admin: bool) -> list[tuple[Button, ...]]:
        number = str(reply.id)
        row: list[Button] = []
        if len(reply.text) > REPLY_EXCERPT:
            row.append(turn.button("button_full_reply", "rfull", number, number=reply.id))
        if reply.user_id == turn.reader.user_id:
            row.append(turn.button("button_edit_reply", "redit", number, number=reply.id))
            row.append(turn.button("button_delete_reply", "rdel", number, number=reply.id))
        elif admin and reply.status != "hidden":
            row.append(
                turn.button(
                    "button_hide_reply",
                    "rmod",
                    "hide",
                    number,
                    reply.revision,
                    "t",
                    number=reply.id,
                )
            )
        return [tuple(row)] if row else []

    # --- votes -------------------------------------------------------------------------------

    @action("vote", "answer_id", "value", "view")
    def vote(self, turn: Turn, answer_id: str, value: str, view: str) -> Outcome:
        """Agree or disagree (the same button again withdraws it); the list or the answer it
        was pressed under shows the new counts."""
        number = parse_id(answer_id)
        answer = self.answers.get(number) if number is not None else None
        user = turn.reader.user_id
        if answer is None or answer.status != "published" or value not in VOTES:
            return turn.notice("notice_expired")
        if answer.user_id == user:
            return turn.notice("notice_own_answer")
        if self.answers.is_banned(user):
            return turn.notice("notice_banned_vote")
        before = self.store.votes.mine(user, [answer.id]).get(answer.id)
        chosen = None if before == VOTES[value] else VOTES[value]
        self.store.votes.set(answer.id, user, chosen)
        key = {1: "notice_agreed", -1: "notice_disagreed", None: "notice_vote_withdrawn"}[chosen]
        notice = turn.notice(key).notice
        shown = self._view(turn, answer.id, view)
        return Outcome(shown.replies if shown else (), notice=notice)

    def _view(self, turn: Turn, answer_id: int, view: str) -> Outcome | None:
        """The list or the answer the vote was cast under, redrawn in place (for the
        discussion after answering, view "d", only its buttons: its text stays)."""
        if view == "d":
            answer = self.answers.get(answer_id)
            if answer is None:
                return None
            standing = self.store.votes.standings([answer_id]).get(answer_id, Standing())
            mine = self.store.votes.mine(turn.reader.user_id, [answer_id]).get(answer_id)
            own = self.answers.of_reader(turn.reader.user_id)
            shareable = own is not None and own.status == "published"
            buttons = vote_buttons(turn, answer, standing, mine, "d")
            rows = discussion_rows(turn, buttons, shareable=shareable)
            return Outcome((Reply(Markup(""), rows, edit=True, keyboard_only=True),))
        kind, *rest = view.split(".")
        if kind == "t" and len(rest) == 1 and _page(rest[0]):
            return self.thread(turn, str(answer_id), rest[0], edit=True)
        if kind in ORDERS and len(rest) == 2 and rest[0] in FILTERS and _page(rest[1]):
            return self.page(turn, kind, rest[0], int(rest[1]), edit=True)
        return None

    # --- the tally ---------------------------------------------------------------------------

    @action("tally", "scope", "mode")
    def tally(self, turn: Turn, scope: str, mode: str) -> Outcome:
        """The tally and the minds changed, of everyone or only of readers who finished the
        essay, with a button to switch (``mode`` "new": a new message, "edit": in place)."""
        if scope not in ("all", "fin") or mode not in ("new", "edit"):
            return turn.notice("notice_expired")
        finished = self.parts if scope == "fin" else None
        counts = self.answers.tally(finished_parts=finished)
        moves = self.answers.moves(finished_parts=finished)
        text = tally(turn, counts, moves, finished=finished is not None)
        other = "all" if scope == "fin" else "fin"
        rows = ((turn.button(f"button_tally_{other}", "tally", other, "edit"),),)
        return Outcome((Reply(text, rows, edit=mode == "edit"),))


def _page(text: str) -> bool:
    return text.isdecimal() and len(text) <= MAX_PAGE_DIGITS


def _key(text: str) -> bool:
    """A list page's anchor: "0" (none), or "a", "b" or "f" and an answer's number."""
    return text == "0" or (text[:1] in ("a", "b", "f") and parse_id(text[1:]) is not None)
