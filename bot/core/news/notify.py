"""Notifications to readers: a reply to their answer, their held answer or reply published or
hidden, their unanswered question answered at last. Each is a notice written in the
transaction of the change it reports; the outbox carries all of a reader's waiting notices as
one message, at most one every ``BUNDLE_MINUTES``, drawn when it goes, in the reader's language.

Who gets what: a reader who said yes to notifications gets all of them; one who never chose
gets only news of what they themselves wrote or asked (their held answer's or reply's fate,
their question's answer, the author's reply to their answer), not other readers' replies; one
who said no, or who blocked the bot, gets none.
"""

from __future__ import annotations

from typing import Protocol

from bot.content.catalog import Content
from bot.content.markup import Markup, quote
from bot.core.events import Reader, Reply
from bot.core.turn import Turn
from bot.model.replies import Response
from bot.storage.answers import AnswerStore
from bot.storage.notices import BUNDLE_MINUTES, NoticeStore
from bot.storage.readers import ReaderStore

__all__ = [
    "BUNDLE_MINUTES",
    "given_back",
    "reader_turn",
    "tell",
    "tell_edited",
    "tell_replied",
]


class Store(Protocol):
    """What notifying needs of the store (the store itself, named structurally so this module
    stays low in the import chain)."""

    readers: ReaderStore
    answers: AnswerStore
    notices: NoticeStore


def reader_turn(store: Store, content: Content, user_id: int) -> Turn:
    """A turn in the reader's language: the one they chose, else their Telegram's, else (a
    reader the bot never met, such as an admin who never wrote) the language the author wrote
    in."""
    chosen, code = store.readers.language(user_id)
    known = store.readers.get(user_id) is not None
    lang = chosen if chosen in content.languages else None
    if lang is None:
        lang = content.language_for(code) if known else content.default_language
    return Turn(Reader(user_id), lang, content)


def tell(store: Store, user_id: int, key: str, *, own: bool, **params: object) -> bool:
    """Queue notice ``key`` for reader ``user_id``; ``own``: it is news of what they wrote or
    asked (sent unless they said no), else news from others (sent only if they said yes).
    False when it is not sent."""
    wants, reachable = store.notices.settings(user_id)
    if not reachable or wants is False or (wants is None and not own):
        return False
    store.notices.add(user_id, key, **params)
    return True


def tell_replied(store: Store, content: Content, reply: Response) -> None:
    """A published reply: the answer's writer hears of it (never of their own replies); the
    author's reply is news of their own answer, a reader's is news from others."""
    answer = store.answers.get(reply.answer_id)
    if answer is None or answer.user_id == reply.user_id:
        return
    if reply.by_author:
        tell(
            store, answer.user_id, "news_author_reply", own=True, answer=answer.id, reply=reply.id
        )
        return
    name = reply.display_name
    if name is None:
        name = str(reader_turn(store, content, answer.user_id).say("anonymous_author"))
    tell(
        store, answer.user_id, "news_reply", own=False, answer=answer.id, name=name, reply=reply.id
    )


def tell_edited(store: Store, answer_id: int, writer: int, replies: list[Response]) -> None:
    """The writer changed answer ``answer_id``'s words or stance: whoever replied under it
    hears it (their reply now sits under other words; told when the answer is public)."""
    for user_id in sorted({r.user_id for r in replies if r.user_id != writer}):
        tell(store, user_id, "news_answer_edited", own=True, answer=answer_id)


def given_back(
    store: Store, content: Content, answer_id: int, writer: int, replies: list[Response]
) -> tuple[Reply, ...]:
    """Answer ``answer_id`` is going, and the replies under it with it: each other writer gets
    the text of theirs back, in their language, so nothing they wrote is lost."""
    back: list[Reply] = []
    for reply in replies:
        if reply.user_id == writer:
            continue
        turn = reader_turn(store, content, reply.user_id)
        intro = turn.say("reply_given_back", answer=answer_id, number=reply.id)
        back.append(Reply(Markup(f"{intro}\n{quote(reply.text)}"), chat_id=reply.user_id))
    return tuple(back)
