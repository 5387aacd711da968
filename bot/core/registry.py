"""One registry per concept: every button action and every command is declared once, on the
method that handles it, and everything else is derived from that declaration: the payloads
(Telegram's callback_data), the routing in the dialogue, the command menus, the admin gates.

    class Answering:
        @action("stance", "stance")             # one argument, named "stance"
        def choose(self, turn: Turn, stance: str) -> Outcome: ...

        @command("answer", menu=3)              # third in the command menu
        def begin(self, turn: Turn, argument: str) -> Outcome: ...

A payload that does not parse — stale from an old version, or forged — decodes to None, and the
dialogue answers it politely as expired.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

#: Telegram's limit on callback_data, in bytes (a test checks it against telegram.constants).
MAX_DATA_BYTES = 64
_ARG = re.compile(r"^[A-Za-z0-9_.-]{0,40}$")
_NAME = re.compile(r"^[a-z0-9_]{1,32}$")

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class ActionSpec:
    """A button action: its name, the names of its arguments, who may press it, its method."""

    name: str
    params: tuple[str, ...]
    admin: bool
    method: str


@dataclass(frozen=True)
class CommandSpec:
    """A command: its name, its place in the menu (None: not in the menu), whether only admins
    have it, and the method that handles it."""

    name: str
    menu: int | None
    admin: bool
    method: str
    #: it reads the words after its name (``/story 3``); others give them back to the reader
    argument: bool = False


ACTIONS: dict[str, ActionSpec] = {}
COMMANDS: dict[str, CommandSpec] = {}


def _declare(table: dict[str, Any], spec: ActionSpec | CommandSpec, method: F) -> F:
    if spec.name in table or not _NAME.match(spec.name):
        raise ValueError(f"{spec.name!r} declared twice or badly named")
    table[spec.name] = spec
    method.__dict__.setdefault("_declares", []).append(spec)
    return method


def action(name: str, *params: str, admin: bool = False) -> Callable[[F], F]:
    """Declare the decorated method as the handler of button action ``name``."""
    return lambda method: _declare(
        ACTIONS, ActionSpec(name, params, admin, method.__qualname__), method
    )


def command(
    name: str, *, menu: int | None = None, admin: bool = False, argument: bool = False
) -> Callable[[F], F]:
    """Declare the decorated method as the handler of ``/name`` (``argument``: it reads the
    words after the name)."""
    return lambda method: _declare(
        COMMANDS, CommandSpec(name, menu, admin, method.__qualname__, argument), method
    )


def listed(*, admin: bool) -> tuple[str, ...]:
    """Every command a person may use, for /help: the menu's, then those outside it (such as
    /unban), the admins' after the readers'."""
    shown = [c for c in COMMANDS.values() if admin or not c.admin]
    order = {name: n for n, name in enumerate(menu(admin=admin))}
    return tuple(
        c.name for c in sorted(shown, key=lambda c: (c.admin, order.get(c.name, len(order))))
    )


def declared_by(method: object) -> list[ActionSpec | CommandSpec]:
    """The actions and commands ``method`` handles."""
    found: list[ActionSpec | CommandSpec] = getattr(method, "_declares", [])
    return found


def menu(*, admin: bool) -> tuple[str, ...]:
    """The command menu, in order: the readers' commands, and for admins theirs after them."""
    shown = [c for c in COMMANDS.values() if c.menu is not None and (admin or not c.admin)]
    return tuple(c.name for c in sorted(shown, key=lambda c: (c.admin, c.menu)))


@dataclass(frozen=True)
class ActionCall:
    """A decoded button payload: which action, with which arguments."""

    name: str
    args: tuple[str, ...] = ()


def encode(name: str, *args: str) -> str:
    """The callback_data for action ``name``; ValueError if it could not be sent to Telegram."""
    spec = ACTIONS.get(name)
    if spec is None or len(spec.params) != len(args) or not all(_ARG.match(a) for a in args):
        raise ValueError(f"bad action {name}{args}")
    data = ":".join((name, *args))
    if len(data.encode()) > MAX_DATA_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def decode(data: str) -> ActionCall | None:
    """The action in ``data``, or None if it is not one this version of the bot sends."""
    if not data or len(data.encode()) > MAX_DATA_BYTES:
        return None
    name, *args = data.split(":")
    spec = ACTIONS.get(name)
    if spec is None or len(spec.params) != len(args) or not all(_ARG.match(a) for a in args):
        return None
    return ActionCall(name, tuple(args))
