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
        "button_answer": set(),
        "answer_question": {"question"},
        "stance_separate": set(),
        "stance_integrate": set(),
        "stance_depends": set(),
        "ask_comment": {"stance", "minimum", "maximum"},
        "button_skip": set(),
        "button_cancel": set(),
        "ask_display": {"name"},
        "button_show_name": {"name"},
        "button_anonymous": set(),
        "answer_saved": {"name"},
        "answer_saved_pending": {"name"},
        "tally_title": {"total"},
        "tally_line": {"stance", "count", "percent"},
        "essay_on_topic": {"name", "quote", "part"},
        "other_view": set(),
        "button_more_answers": set(),
        "current_answer": {"answer", "status"},
        "button_replace": set(),
        "button_display": set(),
        "display_changed": {"answer", "status"},
        "button_delete": set(),
        "status_published": set(),
        "status_pending": set(),
        "status_hidden": set(),
        "confirm_delete": set(),
        "button_confirm_delete": set(),
        "answer_deleted": set(),
        "comment_too_short": {"minimum"},
        "comment_too_long": {"maximum", "length"},
        "comment_too_fast": {"count", "minutes"},
        "comment_duplicate": set(),
        "comment_blocked": set(),
        "echo_intro": set(),
        "banned": set(),
        "cancelled": set(),
        "nothing_to_cancel": set(),
        "answers_title": {"total", "page", "pages"},
        "answers_empty": set(),
        "answer_item": {"number", "stance", "name", "date", "comment"},
        "anonymous_author": set(),
        "no_comment": set(),
        "button_full_answer": {"number"},
        "admin_new_answer": {"number", "name", "user_id", "answer", "status"},
        "admin_edited_answer": {"number", "name", "user_id", "answer", "status"},
        "button_approve": set(),
        "button_hide": set(),
        "button_ban": set(),
        "notice_moderated": {"number", "status"},
        "notice_banned": {"user_id"},
        "notice_not_allowed": set(),
        "pending_title": {"count"},
        "pending_empty": set(),
        "stats_report": {"readers", "funnel", "tally", "topics", "misses"},
        "stats_funnel_line": {"number", "count"},
        "stats_topic_line": {"name", "count"},
        "stats_miss_line": {"date", "text"},
        "stats_none": set(),
        "export_caption": {"count"},
        "mydata_caption": set(),
        "forget_confirm": set(),
        "button_forget": set(),
        "forget_done": set(),
        "button_topic": {"name"},
        "button_read_part": {"part"},
        "button_none_of_these": set(),
    }.items()
}

#: Phrases used as callback query answers: Telegram shows at most 200 characters.
NOTICES = frozenset(key for key in PHRASES if key.startswith("notice_"))
#: Phrases used as button labels: never empty, short enough for a phone.
BUTTONS = frozenset(key for key in PHRASES if key.startswith(("button_", "stance_")))
MAX_BUTTON_LABEL = 40

#: Commands shown in Telegram's command menu, in menu order; descriptions live in content.
MENU_COMMANDS = (
    "story",
    "topics",
    "answer",
    "answers",
    "help",
    "mydata",
    "forget",
    "cancel",
    "start",
)
#: Commands added to the menu of the admins (ESSAYBOT_ADMIN_IDS) only.
ADMIN_COMMANDS = ("pending", "stats", "export")
