"""The tree tells the architecture, and the imports keep to it: adapters → core → model, core →
storage, nothing outside storage speaks SQL, the core never imports Telegram, no cycles, and
the longest chain of imports from ``bot/__main__.py`` stays short."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "bot"
MAX_CHAIN = 9
MAX_LINES = 400
#: Which layer may import which (the top: cli, bootstrap, config, logs, __main__).
ALLOWED = {
    "model": {"model"},
    "content": {"content", "model"},
    "storage": {"storage", "model"},
    "core": {"core", "content", "storage", "model"},
    "adapters": {"adapters", "core", "content", "model", "config"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports(module: str) -> set[str]:
    """The bot's modules that ``module`` imports, anywhere in its source."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text())):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        found.update(name for name in names if name in MODULES and name != module)
    return found


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else parts[-1]


@functools.cache
def longest_chain(module: str, seen: tuple[str, ...] = ()) -> tuple[str, ...]:
    if module in seen:
        raise AssertionError(f"import cycle: {' → '.join((*seen, module))}")
    chains = [longest_chain(other, (*seen, module)) for other in sorted(imports(module))]
    return (module, *max(chains, key=len, default=()))


def test_the_tree_has_one_folder_per_layer() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert {"model", "content", "storage", "core", "adapters"} <= folders


def test_the_longest_import_chain_from_main_is_short_and_has_no_cycle() -> None:
    chain = longest_chain("bot.__main__")
    assert len(chain) <= MAX_CHAIN, " → ".join(chain)
    for module in MODULES:
        longest_chain(module)  # raises on a cycle anywhere


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_imports_only_the_layers_below_it(module: str) -> None:
    own = layer(module)
    if own not in ALLOWED:
        return  # the top: cli, bootstrap, config, logs
    wrong = {other for other in imports(module) if layer(other) not in ALLOWED[own]}
    assert not wrong, f"{module} ({own}) imports {sorted(wrong)}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer(m) != "adapters"))
def test_only_the_adapters_import_telegram(module: str) -> None:
    source = MODULES[module].read_text()
    assert not re.search(r"^\s*(from|import) telegram\b", source, re.M), module


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer(m) != "storage"))
def test_nothing_outside_storage_speaks_sql(module: str) -> None:
    source = MODULES[module].read_text()
    assert not re.search(r"^\s*(from|import) sqlite3\b", source, re.M), module
    assert not re.search(r"\b(SELECT|INSERT|UPDATE|DELETE)\b.*\b(FROM|INTO|SET)\b", source)


def test_no_feature_of_the_core_imports_another() -> None:
    features = {
        "reading",
        "asking",
        "answering",
        "discussion",
        "moderation",
        "privacy",
        "welcome",
        "card_bundles",
        "reach.sharing",
        "reach.posting",
    }
    for feature in features:
        found = {m.removeprefix("bot.core.") for m in imports(f"bot.core.{feature}")}
        assert not found & features, f"bot.core.{feature} imports {sorted(found & features)}"


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=str)
def test_modules_stay_short(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= MAX_LINES
