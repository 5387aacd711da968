"""The bot's own limits, in one place (Telegram's limits live in :mod:`bot.content.markup`)."""

from __future__ import annotations

#: A comment is 3 to 2,000 characters, counted as Telegram counts them (UTF-16 units).
MIN_COMMENT = 3
MAX_COMMENT = 2000
#: At most 3 submitted answers in 10 minutes per reader; /forget keeps this window.
RATE_COUNT = 3
RATE_MINUTES = 10
#: A reader's text echoed back is cut into messages of at most this many UTF-16 units.
ECHO_CHUNK = 3500
#: Answers in lists are shortened to this many UTF-16 units, with a "read it all" button.
EXCERPT = 600
#: At most this many questions per reader in RATE_MINUTES are answered and recorded.
QUESTION_RATE = 20
#: Published answers per page of /answers.
PAGE_SIZE = 5
#: Topics named by a comment, quoted in the discussion after saving it.
MAX_MENTIONS = 2
#: Held answers shown by /pending.
MAX_PENDING = 10
#: Banned readers /banned lists, each with its Unban button (Telegram allows 100 buttons).
MAX_BANNED = 50
#: Length of an unanswered question in /stats.
MISS_LENGTH = 120
#: Rows of the /stats lists.
MAX_MISSES = 15
MAX_TOPICS = 8
#: The longest row id a button may carry (forged ones may be anything).
MAX_ID_DIGITS = 12


def parse_id(text: str) -> int | None:
    """A row id carried by a button, or None if ``text`` cannot be one."""
    return int(text) if text.isdecimal() and len(text) <= MAX_ID_DIGITS else None


#: Replies per page under an answer, each shortened to this many UTF-16 units (a button
#: shows one whole), so an answer of MAX_COMMENT and its page of replies fit one message.
REPLIES_PER_PAGE = 3
REPLY_EXCERPT = 500
