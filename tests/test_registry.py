"""One registry per concept: every action, command and phrase the code uses is declared, every
declared one is used, and the menus come from the table that routes commands."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.bootstrap import Services
from bot.content.bank import SMALLTALK
from bot.content.catalog import ABOUT, ASPECTS, Content
from bot.content.phrases import PHRASES
from bot.core import registry
from bot.core.events import Command, Reader
from bot.core.views import VERDICTS
from bot.model import links
from bot.model.answers import STANCES, STATUSES

PACKAGE = Path(__file__).resolve().parent.parent / "bot"
#: The languages the content speaks (content/messages.yaml).
LANGUAGES = ("it", "en")
PHRASE_CALLS = {"say", "reply", "notice", "button", "phrase", "share"}
#: The values an f-string phrase key is filled with, by its prefix.
from bot.core.discussion import FILTERS, ORDERS  # noqa: E402

FAMILIES = {
    "stance_": STANCES,
    "status_": STATUSES,
    "smalltalk_": SMALLTALK,
    "button_": tuple(VERDICTS),
    "aspect_": ASPECTS,
    "button_aspect_": ASPECTS,
    "about_": ABOUT,
    "language_": LANGUAGES,
    "button_lang_": LANGUAGES,
    "flag_": LANGUAGES,
    "order_": ORDERS,
    "button_order_": ORDERS,
    "button_filter_": tuple(FILTERS),
    "button_tally_": ("all", "fin"),
    "source_": ("before", "direct", *links.NAMED, "others"),
}


def calls() -> list[tuple[str, ast.Call]]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                found.append((f"{path.name}:{node.lineno}", node))
    return found


def phrase_keys() -> dict[str, str]:
    """Every phrase key the code says, with where it says it."""
    used: dict[str, str] = {}
    for where, call in calls():
        if call.func.attr not in PHRASE_CALLS or not call.args:  # type: ignore[attr-defined]
            continue
        args = call.args[1:] if call.func.attr == "phrase" else call.args  # type: ignore[attr-defined]
        key = args[0] if args else None
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            used[key.value] = where
        elif isinstance(key, ast.JoinedStr) and isinstance(key.values[0], ast.Constant):
            prefix = str(key.values[0].value)
            assert prefix in FAMILIES, f"{where}: unknown phrase family {prefix!r}"
            used.update({f"{prefix}{value}": where for value in FAMILIES[prefix]})
    return used


def literals() -> set[str]:
    """Every string literal of the code, outside the phrase catalogue itself."""
    return {
        node.value
        for path in PACKAGE.rglob("*.py")
        if path.name != "phrases.py"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_every_phrase_the_code_says_is_in_the_catalogue() -> None:
    used = phrase_keys()
    assert len(used) > 50
    unknown = {key: where for key, where in used.items() if key not in PHRASES}
    assert not unknown


def test_every_phrase_in_the_catalogue_is_said_somewhere() -> None:
    assert set(PHRASES) - set(phrase_keys()) - literals() == set()


def test_every_button_names_a_declared_action_with_its_arguments() -> None:
    checked = 0
    for where, call in calls():
        if call.func.attr != "button" or len(call.args) < 2:  # type: ignore[attr-defined]
            continue
        name = call.args[1]
        assert isinstance(name, ast.Constant), f"{where}: the action is not a literal"
        spec = registry.ACTIONS.get(str(name.value))
        assert spec is not None, f"{where}: no action {name.value!r}"
        args = call.args[2:]
        if not any(isinstance(a, ast.Starred) for a in args):
            assert len(args) == len(spec.params), f"{where}: {spec.name} takes {spec.params}"
        checked += 1
    assert checked >= len(registry.ACTIONS) - 2


def test_every_declared_action_and_command_is_routed(services: Services) -> None:
    dialogue = services.dialogue
    assert set(dialogue.actions) == set(registry.ACTIONS)
    assert set(dialogue.commands) == set(registry.COMMANDS)


def test_the_menus_come_from_the_routing_table_in_order(content: Content) -> None:
    readers = registry.menu(admin=False)
    admins = registry.menu(admin=True)
    assert readers[:4] == ("story", "topics", "answer", "answers")
    assert admins == (*readers, "pending", "stats", "export", "unanswered", "banned", "post")
    assert all(not registry.COMMANDS[name].admin for name in readers)
    assert set(content.commands) == set(registry.COMMANDS)


def test_an_admin_command_does_not_exist_for_a_reader(build: object) -> None:
    services = build(admins={42})  # type: ignore[operator]
    reader, admin = Reader(5, "Eve", "it"), Reader(42, "Autore", "it")
    for name in ("pending", "stats", "export"):
        refused = services.dialogue.handle(reader, Command(name))
        assert f"/{name}" in refused.replies[0].text and not refused.replies[0].document
        assert services.dialogue.handle(admin, Command(name)) != refused


def test_an_action_cannot_be_declared_twice() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        registry.action("read")(lambda self, turn: None)


@pytest.mark.parametrize("data", ["read", "part:p2", "mod:ban:3:abcd1234", "answers:0"])
def test_a_payload_round_trips_through_encode_and_decode(data: str) -> None:
    call = registry.decode(data)
    assert call is not None
    assert registry.encode(call.name, *call.args) == data


@pytest.mark.parametrize("data", ["", "read:x", "part", "nope", "part:" + "x" * 70, "part:a b"])
def test_a_stale_or_forged_payload_decodes_to_nothing(data: str) -> None:
    assert registry.decode(data) is None
