"""The author's statistics as a picture: drawn as a PNG whatever the labels, never loaded until a
chart is drawn, written by ``essaybot stats --chart`` and sent as a photo after /stats."""

from __future__ import annotations

import io
import subprocess
import sys
import warnings
from pathlib import Path

from conftest import Build
from fake_telegram import FakeBotAPI
from helpers import AUTHOR, essaybot, say

from bot.adapters.console import Console
from bot.bootstrap import Services
from bot.core.charts import ChartData, draw
from bot.core.events import Command

PNG = b"\x89PNG\r\n\x1a\n"
PANELS = ("Risposte per posizione", "Idee cambiate (prima → dopo)", "Fin dove", "Argomenti")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (the test fails if it is not a PNG)."""
    assert data[:8] == PNG and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20]), int.from_bytes(data[20:24])


def drawn(data: ChartData) -> bytes:
    """``draw(data)``; the test fails on any warning (a missing glyph, a layout given up)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = draw(data)
    assert [str(w.message) for w in caught] == []
    return png


def test_an_empty_chart_is_still_a_1200_by_1300_png() -> None:
    empty = ChartData(
        title="I lettori del saggio",
        tally=[("Separati", 0, 0), ("Integrarli", 0, 0), ("Dipende", 0, 0)],
        series=("tutti", "chi ha finito di leggere"),
        moves=[],
        funnel=[(n, 0) for n in range(1, 8)],
        topics=[],
        panels=PANELS,
        empty="nessuna",
    )
    assert png_size(drawn(empty)) == (1200, 1300)


def test_a_full_chart_with_long_unicode_labels_is_a_png_without_warnings() -> None:
    long = "Perché l'IT e il marketing sono così città e qualità, " * 4
    odd = "prezzo $5 e $10\tcon\na capo \u200b🙂 日本語 e\u0301"  # formula, controls, no glyph
    full = ChartData(
        title="I lettori del saggio — “Marketing e IT” " * 5,
        tally=[("Separati", 12, 5), ("Integrarli", 30, 18), (long, 7, 2)],
        series=("tutti", long),
        moves=[("Separati", "Integrarli", 4), (long, odd, 2), ("Dipende", "Separati", 1)],
        funnel=[(n, 60 - 7 * n) for n in range(1, 8)],
        topics=[(long, 14), (odd, 9), ("Il CDO", 3), ("$", 1)],
        panels=(long, *PANELS[1:]),
        empty="nessuna",
    )
    png = drawn(full)
    assert png_size(png) == (1200, 1300)
    assert len(png) > 20_000  # bars and labels, not a blank page


def test_the_bot_starts_without_loading_matplotlib() -> None:
    code = (
        "import sys, bot.cli, bot.bootstrap, bot.adapters.telegram\n"
        "print('bot.core.charts' in sys.modules, 'matplotlib' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split() == ["True", "False"]


def empty_database(build: Build) -> str:
    """A database the bot created, with nobody in it yet."""
    services = build(on_disk=True)
    services.close()
    return services.config.database


def test_stats_chart_writes_a_png_and_prints_the_report(build: Build, tmp_path: Path) -> None:
    database = empty_database(build)
    result = essaybot("stats", "--database", database, "--chart", "out.png", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Lettori: 0" in result.stdout
    assert png_size((tmp_path / "out.png").read_bytes()) == (1200, 1300)


def test_a_chart_that_cannot_be_written_is_one_clear_line(build: Build, tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.png"
    folder.mkdir()
    database = empty_database(build)
    result = essaybot("stats", "--database", database, "--chart", str(folder), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("essaybot: cannot write")


async def test_an_admins_stats_over_telegram_are_the_report_then_a_photo(
    fake: FakeBotAPI, bot: Services
) -> None:
    fake.open_private_chat({"id": 42, "first_name": "Autore", "is_bot": False})
    author = fake.user(42, "Autore", "it")
    fake.send_text(author, "/stats")
    sent = await fake.await_request("sendPhoto", lambda r: r.ok)
    report, photo = fake.sent(42)[-2:]
    assert "Lettori" in report["text"]
    assert photo["caption"] == "Le statistiche in un'immagine."
    assert (photo["photo"][-1]["width"], photo["photo"][-1]["height"]) == (1200, 1300)
    chart = fake.file(sent.result["photo"][-1]["file_id"]).content
    assert png_size(chart) == (1200, 1300)
    assert fake.calls("sendDocument") == []


def test_stats_leaves_the_drawing_to_the_sender_and_the_console_names_the_picture(
    build: Build,
) -> None:
    services = build(admins={42})
    outcome = say(services, AUTHOR, Command("stats"))
    chart = outcome.replies[-1].document
    assert chart is not None and chart.render is not None and chart.data == b""
    assert png_size(chart.content()) == (1200, 1300)
    out = io.StringIO()
    Console(services.dialogue, AUTHOR, io.StringIO("/stats\n"), out, prompt=False).run()
    assert "[essaybot-stats.png: `essaybot stats --chart PATH` writes it]" in out.getvalue()
    assert "PNG" not in out.getvalue()
