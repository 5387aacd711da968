"""``essaybot embed``: a static page for the blog (and a fragment to paste under the post) with
the question, the tally as an inline SVG chart, the most agreed-upon answer of each stance as its
writer chose to be shown, and the link into the bot counted as coming from the blog. Loaded in
Debian's headless Chromium: the test reads the DOM the browser built from it (a reader's
``<script>`` stays text) and keeps a screenshot."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import Build
from helpers import answer, say

from bot.cli import main
from bot.core.events import Press, Reader
from bot.core.reach.embed import Embed

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Where the browser test keeps its screenshot (ignored by git).
ARTIFACTS = Path(__file__).parent / "artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def built(build: Build) -> Embed:
    services = build(on_disk=True)
    answer(
        services,
        Reader(1, "Anna", "it"),
        "separate",
        "Separati <script>alert(1)</script> & basta.",
    )
    answer(
        services, Reader(2, "Bea", "it"), "integrate", "Integrati: il cliente è uno.", "anonymous"
    )
    answer(services, Reader(3, "Carlo", "it"), "integrate", "Anche io, integrati.")
    bea = services.store.answers.of_reader(2).id  # type: ignore[union-attr]
    say(services, Reader(1, "Anna", "it"), Press(f"vote:{bea}:up:t.0"))  # hers ranks first
    hidden = Reader(4, "Dario", "it")
    answer(services, hidden, "depends", "Dipende, ma questa è nascosta.")
    number = services.store.answers.of_reader(hidden.user_id).id  # type: ignore[union-attr]
    services.store.answers.set_status(number, "hidden")
    return Embed(services.content, services.store)


def test_the_fragment_has_the_question_the_chart_the_answers_and_no_script(build: Build) -> None:
    fragment = built(build).fragment("essay_bot")
    assert (
        "<script" not in fragment
        and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; basta" in fragment
    )
    assert "<svg" in fragment and "http" not in fragment.replace(
        "https://t.me/essay_bot?start=question__blog", ""
    ).replace('xmlns="http://www.w3.org/2000/svg"', "")  # no external asset
    assert "nascosta" not in fragment  # a hidden answer never shows
    assert "il cliente è uno." in fragment and "Bea" not in fragment  # shown anonymous
    assert 'href="https://t.me/essay_bot?start=question__blog"' in fragment


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run does)")
def test_the_page_renders_in_headless_chromium_with_the_tally_and_the_answers(
    build: Build, tmp_path: Path
) -> None:
    page = tmp_path / "index.html"
    page.write_text(built(build).page("essay_bot"), encoding="utf-8")
    profile = tmp_path / "profile"
    run = [CHROMIUM or "", *FLAGS, f"--user-data-dir={profile}"]
    dom = subprocess.run(
        [*run, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=90
    ).stdout
    assert "<script" not in dom  # the reader's script is text, not an element
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; basta." in dom
    bars = re.findall(r'<rect [^>]*width="(\d+)"', dom)
    assert len(bars) == 3 and int(bars[1]) > int(bars[0]) > 0  # integrate 2, separate 1
    assert "1 (33 %)" in dom and "2 (67 %)" in dom
    assert "Integrati: il cliente è uno." in dom and "anonimo" in dom
    kept = ARTIFACTS / "embed.png"  # the screenshot stays for a person to look at
    kept.parent.mkdir(exist_ok=True)
    kept.unlink(missing_ok=True)
    subprocess.run(
        [*run, f"--screenshot={kept}", "--window-size=900,900", page.as_uri()],
        capture_output=True,
        timeout=90,
    )
    assert kept.read_bytes().startswith(b"\x89PNG") and kept.stat().st_size > 5000


def test_essaybot_embed_writes_the_page_and_the_fragment(build: Build, tmp_path: Path) -> None:
    services = build(on_disk=True)
    answer(services, Reader(1, "Anna", "it"), "separate", "Separati, punto.")
    services.close()
    out = tmp_path / "blog"
    code = main(
        [
            "embed",
            "--output",
            str(out),
            "--username",
            "essay_bot",
            "--database",
            services.config.database,
        ]
    )
    assert code == 0
    assert (out / "index.html").read_text().startswith("<!doctype html>")
    assert "Separati, punto." in (out / "fragment.html").read_text()


def test_a_writers_name_is_shown_as_written_never_read_as_markup(build: Build) -> None:
    services = build(on_disk=True)
    answer(services, Reader(5, "Bo<b>b & Co", "it"), "depends", "Dipende da chi decide.")
    fragment = Embed(services.content, services.store).fragment("essay_bot")
    assert "— Bo&lt;b&gt;b &amp; Co · Dipende" in fragment
