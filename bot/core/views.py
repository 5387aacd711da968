"""How readers' answers look: one answer, the tally of stances, and the card admins review.

Everything a reader wrote goes through the phrases' escaping: ``<b>``, ``&`` and ``<script>`` show
literally and never break a message.
"""

from __future__ import annotations

import re

from bot.content.markup import Markup, chunks, clip, quote, to_plain
from bot.core.events import Button, Reply
from bot.core.turn import Turn
from bot.model.agreement import Standing
from bot.model.answers import STANCES, Answer
from bot.model.limits import ECHO_CHUNK
from bot.model.replies import Response
from bot.model.text import fold

#: An admin's verdicts on an answer, and the status each gives it.
VERDICTS = {"approve": "published", "hide": "hidden"}


def seen_token(answer: Answer) -> str:
    """What an admin's card showed of ``answer``: its text's revision and its status (a
    verdict acts only on what the admin saw)."""
    return f"{answer.revision}-{answer.status}"


#: Words and signs of the author's mark ("✍️ l'autore"): a reader's name that has them is
#: shown marked as a reader's, and without the writing hand, so nobody passes as the author.
AUTHOR_SIGNS = ("\u270d", "\U0001f58a", "\U0001f58b", "\U0001f58d", "\u2712", "\U0001f4dd")
AUTHOR_WORDS = ("autore", "autrice", "author", "writer", "scrittore", "scrittrice")


def reader_name(turn: Turn, name: str) -> Markup | str:
    """A reader's chosen name as shown to others: never like the author's mark."""
    plain = "".join(c for c in name if c not in AUTHOR_SIGNS and c != "\ufe0f").strip()
    folded = fold(plain).lower()
    if not plain:
        return turn.say("anonymous_author")
    if any(word in folded for word in AUTHOR_WORDS):
        return turn.say("reader_named_author", name=plain)
    return plain


#: How much of the answer a reply card shows, for context.
EXCERPT_IN_CARD = 300


def answer_item(
    turn: Turn,
    answer: Answer,
    excerpt: int | None = None,
    *,
    standing: Standing | None = None,
    replies: int = 0,
    finished: bool = False,
) -> Markup:
    """One answer: number, stance, name (or anonymous), date, language, whether its writer read
    the whole essay, and comment; with ``standing``, its agree / disagree / reply counts."""
    comment: object = turn.say("no_comment")
    if answer.comment:
        comment = clip(answer.comment, excerpt) if excerpt else answer.comment
    item = turn.say(
        "answer_item",
        number=answer.id,
        stance=turn.say(f"stance_{answer.stance}"),
        name=reader_name(turn, answer.display_name)
        if answer.display_name
        else turn.say("anonymous_author"),
        date=answer.created_at[:10],
        comment=comment,
        flag=turn.say(f"flag_{answer.lang}") if answer.lang in turn.content.languages else "",
        finished=turn.say("finished_mark") if finished else "",
        edited=turn.say("edited_mark") if answer.edited_at else "",
    )
    if standing is None:
        return item
    counts = turn.say(
        "answer_counts", agree=standing.agree, disagree=standing.disagree, replies=replies
    )
    return Markup(f"{item}\n{counts}")


def response_item(turn: Turn, response: Response, excerpt: int | None = None) -> Markup:
    """One reply under an answer: who (the author marked as such), when, and what."""
    if response.by_author:
        name = turn.say("author_mark", name=response.display_name or "")
    else:
        shown = response.display_name
        name = turn.say(
            "reply_name",
            name=reader_name(turn, shown) if shown else turn.say("anonymous_author"),
        )
    status = "" if response.status == "published" else turn.say(f"status_{response.status}")
    return turn.say(
        "reply_item",
        number=response.id,
        name=name,
        date=response.created_at[:10],
        status=status,
        text=clip(response.text, excerpt) if excerpt else response.text,
    )


def tally_lines(turn: Turn, counts: dict[str, int]) -> list[Markup]:
    """One line per stance, in order: its label, count and percentage of ``counts``."""
    total = sum(counts.values())
    return [
        turn.say(
            "tally_line",
            stance=turn.say(f"stance_{stance}"),
            count=counts[stance],
            percent=round(100 * counts[stance] / total) if total else 0,
        )
        for stance in STANCES
    ]


def tally_or_none(turn: Turn, counts: dict[str, int]) -> Markup:
    """The tally's lines, or that nobody has answered yet (for a message that stands alone)."""
    if not sum(counts.values()):
        return turn.say("tally_empty")
    return Markup("\n".join(tally_lines(turn, counts)))


def tally(
    turn: Turn,
    counts: dict[str, int],
    moves: list[tuple[str, str, int]] | None = None,
    *,
    finished: bool = False,
) -> Markup:
    """The title and one line per stance; then whose minds the essay changed, and how. No
    tally of zeros: nobody has answered yet."""
    if not sum(counts.values()):
        return turn.say("tally_empty_finished" if finished else "tally_empty")
    key = "tally_title_finished" if finished else "tally_title"
    lines = [turn.say(key, total=sum(counts.values())), *tally_lines(turn, counts)]
    if moves:
        changed = [(b, a, n) for b, a, n in moves if b != a]
        kept = sum(n for b, a, n in moves if b == a)
        lines.append(turn.say("minds_title"))
        lines.extend(
            turn.say(
                "minds_moved",
                count=n,
                before=turn.say(f"stance_{b}"),
                after=turn.say(f"stance_{a}"),
            )
            for b, a, n in changed
        )
        lines.append(turn.say("minds_kept", count=kept))
    return Markup("\n".join(lines))


def discussion_rows(
    turn: Turn, votes: tuple[Button, ...] | None, *, shareable: bool
) -> tuple[tuple[Button, ...], ...]:
    """The buttons under the discussion after answering: agree and disagree with the other
    reader's answer shown (if any), other answers, the tally of readers who finished, and,
    once the reader's answer is published (``shareable``), asking someone who sees it
    differently (sharing it)."""
    rows: list[tuple[Button, ...]] = [votes] if votes else []
    rows += [
        (turn.button("button_more_answers", "answers", "0"),),
        (turn.button("button_tally_fin", "tally", "fin", "new"),),
    ]
    if shareable:
        rows.append((turn.share("button_share_answer", to_plain(turn.say("share_query_own"))),))
    return tuple(rows)


#: The card's title once an answer was decided.
DECIDED = {"published": "admin_published_answer", "hidden": "admin_hidden_answer"}


def admin_card(
    turn: Turn, answer: Answer, author: str, *, edited: bool = False, banned: bool = False
) -> Reply:
    """An answer as an admin sees it, saying what became of it (awaiting, approved, hidden,
    its writer banned), with the buttons that still apply: approve / hide, ban (not for a
    banned writer), reply. The buttons carry the answer's revision and status, so a card whose
    answer changed since is refreshed instead of acted on."""
    key = "admin_edited_answer" if edited else "admin_new_answer"
    if banned:
        key = "admin_banned_answer"
    elif answer.updated_at != answer.created_at and answer.status in DECIDED and not edited:
        key = DECIDED[answer.status]  # decided (or changed) since: no longer "new"
    text = turn.say(
        key,
        number=answer.id,
        name=author or "?",
        user_id=answer.user_id,
        answer=answer_item(turn, answer),
        status=turn.say(f"status_{answer.status}"),
    )
    tag = (str(answer.id), seen_token(answer))
    verdicts = [
        turn.button(f"button_{verb}", "mod", verb, *tag)
        for verb, status in VERDICTS.items()
        if answer.status != status and not banned  # a banned writer's words stay hidden
    ]
    rows = (
        *((tuple(verdicts),) if verdicts else ()),
        *(() if banned else ((turn.button("button_ban", "mod", "ban", *tag),),)),
        (turn.button("button_reply_as_author", "reply", str(answer.id)),),
    )
    return Reply(text, rows)


def admin_cards(
    turn: Turn, answer: Answer, author: str, admins: frozenset[int], *, edited: bool
) -> tuple[Reply, ...]:
    """The new or edited answer's card, sent to every admin in the content's default language
    (an admin's own language is unknown until they write)."""
    admin_turn = Turn(turn.reader, turn.content.default_language, turn.content)
    card = admin_card(admin_turn, answer, author, edited=edited)
    return tuple(
        Reply(card.text, card.buttons, chat_id=admin, card=answer.id, card_edited=edited)
        for admin in sorted(admins)
    )


def withdrawn_cards(turn: Turn, answer_id: int, chats: list[int], key: str) -> tuple[Reply, ...]:
    """Phrase ``key`` in place of answer ``answer_id``'s card in every chat that shows it: the
    text is gone, the Ban button stays (a ban reaches the reader even without the answer)."""
    admin_turn = Turn(turn.reader, turn.content.default_language, turn.content)
    text = admin_turn.say(key, number=answer_id)
    rows = ((admin_turn.button("button_ban", "mod", "ban", str(answer_id), "0"),),)
    return tuple(Reply(text, rows, chat_id=chat, card=answer_id) for chat in chats)


def response_card(
    turn: Turn, response: Response, author: str, answer: Answer | None, *, edited: bool = False
) -> Reply:
    """A reader's reply as an admin sees it, under the answer it replies to, with approve /
    hide / ban buttons carrying its revision (as an answer's card does)."""
    key = "admin_edited_reply" if edited else "admin_new_reply"
    context = answer_item(turn, answer, excerpt=EXCERPT_IN_CARD) if answer else "—"
    text = turn.say(
        key,
        number=response.id,
        answer_number=response.answer_id,
        name=author or "?",
        user_id=response.user_id,
        answer=context,
        reply=response_item(turn, response),
        status=turn.say(f"status_{response.status}"),
    )
    tag = (str(response.id), response.revision, "c")  # pressed on the card
    verdicts = [
        turn.button(f"button_{verb}", "rmod", verb, *tag)
        for verb, status in VERDICTS.items()
        if response.status != status
    ]
    return Reply(text, (tuple(verdicts), (turn.button("button_ban", "rmod", "ban", *tag),)))


def vote_buttons(
    turn: Turn, answer: Answer, standing: Standing, mine: int | None, view: str
) -> tuple[Button, Button]:
    """Agree and disagree with ``answer``, with their counts; ``view`` tells the vote what to
    redraw ("n.all.0": a page of /answers, "t.0": the answer's page, "d": nothing)."""
    number = str(answer.id)
    up = "button_agreed" if mine == 1 else "button_agree"
    down = "button_disagreed" if mine == -1 else "button_disagree"
    return (
        turn.button(up, "vote", number, "up", view, count=standing.agree, number=answer.id),
        turn.button(down, "vote", number, "down", view, count=standing.disagree, number=answer.id),
    )


def redrawn(card_chats: dict[int, list[int]]) -> tuple[Reply, ...]:
    """Cards (card id -> the chats showing it) to draw again as they are now, when they go."""
    return tuple(Reply(Markup(""), chat_id=c, card=n) for n, cs in card_chats.items() for c in cs)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text).lower()))


def says_button(turn: Turn, text: str, key: str) -> bool:
    """Whether the reader typed the label of button ``key`` ("salta", "Skip!") in any of the
    bot's languages, instead of pressing it."""
    typed = _words(text)
    labels = (to_plain(turn.content.say(key, lang)) for lang in turn.content.languages)
    return bool(typed) and any(typed == _words(label) for label in labels)


def echo(turn: Turn, text: str, intro: Markup | None = None) -> tuple[Reply, ...]:
    """The reader's text, escaped, in as many messages as Telegram's limit needs, after
    ``intro`` (by default: here is your text, so you don't lose it)."""
    pieces = chunks(text, ECHO_CHUNK)
    first = Markup(f"{intro or turn.say('echo_intro')}\n{quote(pieces[0])}")
    return (Reply(first), *(Reply(quote(piece)) for piece in pieces[1:]))
