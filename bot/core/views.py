"""How readers' answers look: one answer, the tally of stances, and the card admins review.

Everything a reader wrote goes through the phrases' escaping: ``<b>``, ``&`` and ``<script>`` show
literally and never break a message.
"""

from __future__ import annotations

from bot.content.markup import Markup, clip
from bot.core.events import Reply
from bot.core.turn import Turn
from bot.model.answers import STANCES, Answer

#: An admin's verdicts on an answer, and the status each gives it.
VERDICTS = {"approve": "published", "hide": "hidden"}


def answer_item(turn: Turn, answer: Answer, excerpt: int | None = None) -> Markup:
    """One answer: number, stance, name (or anonymous), date and comment."""
    comment: object = turn.say("no_comment")
    if answer.comment:
        comment = clip(answer.comment, excerpt) if excerpt else answer.comment
    return turn.say(
        "answer_item",
        number=answer.id,
        stance=turn.say(f"stance_{answer.stance}"),
        name=answer.display_name or turn.say("anonymous_author"),
        date=answer.created_at[:10],
        comment=comment,
        flag=turn.say(f"flag_{answer.lang}") if answer.lang in turn.content.languages else "",
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


def tally(turn: Turn, counts: dict[str, int]) -> Markup:
    """The title and one line per stance."""
    title = turn.say("tally_title", total=sum(counts.values()))
    return Markup("\n".join([title, *tally_lines(turn, counts)]))


def admin_card(turn: Turn, answer: Answer, author: str, *, edited: bool = False) -> Reply:
    """An answer as an admin sees it, with approve / hide / ban buttons. The buttons carry the
    answer's revision, so a card whose answer changed since is refreshed instead of acted on."""
    key = "admin_edited_answer" if edited else "admin_new_answer"
    text = turn.say(
        key,
        number=answer.id,
        name=author or "?",
        user_id=answer.user_id,
        answer=answer_item(turn, answer),
        status=turn.say(f"status_{answer.status}"),
    )
    tag = (str(answer.id), answer.revision)
    verdicts = [
        turn.button(f"button_{verb}", "mod", verb, *tag)
        for verb, status in VERDICTS.items()
        if answer.status != status
    ]
    rows = (tuple(verdicts), (turn.button("button_ban", "mod", "ban", *tag),))
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
