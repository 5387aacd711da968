"""The catalogue of everything the bot says: each phrase key and the placeholders it may use.

The sentences themselves live in ``content/messages.yaml``; this catalogue lets ``essaybot check``
prove that every phrase the code needs exists in every language and uses only known placeholders.
"""

from __future__ import annotations

#: phrase key -> placeholders the template may use.
PHRASES: dict[str, frozenset[str]] = {
    key: frozenset(names)
    for key, names in {
        "welcome": {"name", "title"},
        "anonymous_name": set(),
        "help": {"title"},
        "part": {"title", "text", "number", "total"},
        "part_first_header": {"title", "source"},
        "essay_end": {"question"},
        "story_out_of_range": {"number", "total"},
        "story_not_a_number": {"argument", "total"},
        "unknown_command": {"command"},
        "question_unclear": set(),
        "not_in_essay": set(),
        "did_you_mean": set(),
        "topics_menu": set(),
        "topic_answer": {"name", "answer", "quote", "part"},
        "smalltalk_hello": {"name"},
        "smalltalk_thanks": set(),
        "smalltalk_bye": set(),
        "other_hint": set(),
        "group_start": {"link"},
        "group_start_no_link": set(),
        "error": set(),
        "console_intro": set(),
        "console_choose": set(),
        "console_no_such_button": {"count"},
        "notice_expired": set(),
        "notice_already_here": set(),
        "button_read": set(),
        "button_previous": set(),
        "button_next": set(),
        "button_restart": set(),
        "button_topics": set(),
        "button_topic": {"name"},
        "button_read_part": {"part"},
        "button_none_of_these": set(),
    }.items()
}

#: Phrases used as callback query answers: Telegram shows at most 200 characters.
NOTICES = frozenset(key for key in PHRASES if key.startswith("notice_"))
#: Phrases used as button labels: never empty, short enough for a phone.
BUTTONS = frozenset(key for key in PHRASES if key.startswith("button_"))
MAX_BUTTON_LABEL = 40

#: Commands shown in Telegram's command menu, in menu order; descriptions live in content.
MENU_COMMANDS = ("story", "topics", "help", "start")
