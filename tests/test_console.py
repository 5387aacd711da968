"""The terminal adapter, driven through piped stdin as a script would."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from conftest import Build

from bot.adapters.console import Console
from bot.bootstrap import Services
from bot.core.events import Press, Reader, Text


def chat(services: Services, lines: list[str], reader: Reader | None = None) -> str:
    out = io.StringIO()
    stdin = io.StringIO("".join(f"{line}\n" for line in lines))
    code = Console(
        services.dialogue, reader or Reader(0, "", "it"), stdin, out, prompt=False
    ).run()
    assert code == 0
    return out.getvalue()


def test_the_whole_essay_can_be_read_part_by_part_with_numbered_buttons(
    services: Services,
) -> None:
    output = chat(services, ["/story", "5", "2", "2", "2", "2", "2"])  # 5: ▶ under the
    # first part's question (separate, integrate, depends, skip)
    for number in range(1, 8):
        assert f"{number}/7" in output
    for paragraph in (p for part in services.content.essay.parts for p in part.paragraphs):
        assert paragraph in output
    assert output.rstrip().endswith("  [1] ◀\n  [2] 💬 Rispondi alla domanda\n  [3] ⏮ Dall'inizio")


def test_a_button_number_that_does_not_exist_is_explained(services: Services) -> None:
    output = chat(services, ["/story", "9"])
    assert "(pulsanti: 5)" in output


def test_links_show_their_address_in_the_terminal(services: Services) -> None:
    output = chat(services, ["/story 1"])
    assert "Digital Marketing Lab <https://www.digitalmarketinglab.it/" in output


def test_the_console_command_reads_piped_stdin_and_ends_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "ESSAYBOT_DATABASE": str(tmp_path / "db.sqlite3")}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    run = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--name", "Eve"],
        input="/start\n1\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "Ciao Eve!" in run.stdout
    assert "1/7" in run.stdout
    assert run.stderr == ""
    again = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="/story\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert "1/7" in again.stdout


def test_the_console_marks_edits_and_lets_every_message_s_buttons_be_pressed(
    services: Services,
) -> None:
    anna = Reader(1001, "Anna", "it")
    lines = ["/answer", "2", "Integrati, sempre e comunque.", "1"]
    output = chat(services, [*lines, "3"], anna)  # 3: "Sì, avvisami", the second message's
    assert "Vuoi che ti avvisi" in output
    assert "[3] 🔔 Sì, avvisami" in output  # numbered after the confirmation's own buttons
    assert "(✏️ modifica il messaggio del pulsante premuto)" in output
    assert "ti avviso" in output


def test_the_console_speaks_the_language_the_reader_chose(services: Services) -> None:
    output = chat(services, ["/lang en", "/story", "99"], Reader(1001, "Anna", "it"))
    assert output.rstrip().endswith("There is no button with that number (buttons: 6).")


def test_a_readers_news_shows_in_the_console_when_it_is_due(build: Build) -> None:
    services = build(admins={42})
    anna = Reader(1001, "Anna", "it")
    chat(services, ["/answer", "1", "Separati, e lo resteranno.", "1", "3"], anna)  # notify on
    author = Reader(42, "Autore", "it")
    chat(services, ["/start"], author)
    services.dialogue.handle(author, Press("reply:1"))
    services.dialogue.handle(author, Text("Grazie della risposta, Anna."))
    output = chat(services, ["/help"], anna)
    assert "Novità per te" in output and "L'autore ha replicato" in output
