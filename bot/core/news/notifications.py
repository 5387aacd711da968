"""Whether a reader wants to hear when someone replies to their answer: asked once, after their
first answer; ``/notify`` turns it on or off at any time."""

from __future__ import annotations

from bot.core.events import Outcome, Reply
from bot.core.news.notify import BUNDLE_MINUTES
from bot.core.registry import action, command
from bot.core.turn import Turn
from bot.storage.store import Store


class Notifications:
    """The reader's notification choice."""

    def __init__(self, store: Store) -> None:
        self.notices = store.notices

    @command("notify", menu=5, argument=True)
    def show(self, turn: Turn, argument: str = "") -> Outcome:
        """/notify: the current choice with a button to change it (``/notify on|off`` at
        once)."""
        choice = argument.strip().lower()
        if choice in ("on", "off", "si", "sì", "no"):
            return self._set(turn, choice in ("on", "si", "sì"), edit=False)
        wants, _ = self.notices.settings(turn.reader.user_id)
        on = turn.button("button_notify_on", "notify", "on")
        off = turn.button("button_notify_off", "notify", "off")
        key, rows = {
            True: ("notify_state_on", ((off,),)),
            False: ("notify_state_off", ((on,),)),
            None: ("notify_state_unset", ((on,), (off,))),
        }[wants]
        return Outcome((Reply(turn.say(key, minutes=BUNDLE_MINUTES), rows),))

    @action("notify", "choice")
    def choose(self, turn: Turn, choice: str) -> Outcome:
        """The yes / no asked after the first answer, or the button of /notify."""
        if choice not in ("on", "off"):
            return turn.notice("notice_expired")
        return self._set(turn, choice == "on", edit=True)

    def _set(self, turn: Turn, on: bool, *, edit: bool) -> Outcome:
        self.notices.set_notify(turn.reader.user_id, on)
        key = "notify_set_on" if on else "notify_set_off"
        return Outcome((Reply(turn.say(key, minutes=BUNDLE_MINUTES), edit=edit),))
