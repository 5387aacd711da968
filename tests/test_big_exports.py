"""A big export stays within Telegram's 50 MB for a bot's upload: from ZIP_FROM rows a file goes
compressed as a ZIP (written compressed, row by row: only its bytes are ever whole in memory),
and the caption says so; a file that would still pass the limit is not sent, and the author
hears how to get it whole."""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import Build
from fake_telegram import DEFAULT_TOKEN, UPLOAD_LIMIT, FakeBotAPI
from helpers import AUTHOR, admin_chat, answer, polling, say

from bot.core import moderation
from bot.core.events import Command, Reader
from bot.core.exports import export_csv, export_zip


def rows(n: int) -> list[dict[str, object]]:
    return [{"id": i, "stance": "depends", "text": f"=riga {i}, è così"} for i in range(n)]


def test_a_zipped_export_holds_exactly_the_csv_it_would_have_sent() -> None:
    fields = ("id", "stance", "text")
    packed = export_zip(rows(5000), "essaybot-answers.csv", fields)
    with zipfile.ZipFile(io.BytesIO(packed)) as archive:
        assert archive.namelist() == ["essaybot-answers.csv"]
        assert archive.read("essaybot-answers.csv") == export_csv(rows(5000), fields)
    assert len(packed) < len(export_csv(rows(5000), fields)) / 3


def test_from_zip_from_rows_the_export_goes_zipped_and_says_so(
    build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(moderation, "ZIP_FROM", 2)
    services = build(admins={42})
    for n in range(3):
        answer(services, Reader(9000 + n, f"L{n}", "it"), "separate", f"Risposta {n}, mia.")
    answered, replied = say(services, AUTHOR, Command("export")).replies
    assert answered.document is not None and replied.document is not None
    assert answered.document.filename == "essaybot-answers.csv.zip"
    assert answered.document.mime_type == "application/zip"
    assert "Compresso in un file .zip" in str(answered.text)
    with zipfile.ZipFile(io.BytesIO(answered.document.content())) as archive:
        text = archive.read("essaybot-answers.csv").decode("utf-8-sig")
    assert "Risposta 2, mia." in text
    assert replied.document.filename == "essaybot-replies.csv"  # no replies: plain CSV
    assert "zip" not in str(replied.text)


def test_the_fake_refuses_an_upload_over_50_mb_as_telegram_does(fake: FakeBotAPI) -> None:
    import httpx

    user = fake.user(42, "Autore", "it")
    fake.open_private_chat(user)
    sent = httpx.post(
        f"{fake.base_url}/bot{DEFAULT_TOKEN}/sendDocument",
        data={"chat_id": "42"},
        files={"document": ("big.csv", b"x" * (UPLOAD_LIMIT + 1), "text/csv")},
        timeout=30,
    ).json()
    assert sent == {"ok": False, "error_code": 413, "description": "Request Entity Too Large"}
    fake.expect_rejection("sendDocument", error_code=413)


async def test_a_file_over_telegrams_limit_is_not_sent_and_the_author_hears_why(
    fake: FakeBotAPI, build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = build(admins={42}, fake=fake)
    author = admin_chat(fake)
    answer(services, Reader(9001, "Lia", "it"), "integrate", "Una risposta da esportare.")
    big = b"x" * (UPLOAD_LIMIT + 1)
    monkeypatch.setattr(moderation, "export_csv", lambda rows, fields=(): big)
    async with polling(services):
        fake.send_text(author, "/export")
        told = await fake.await_until(
            lambda: next((t for t in fake.texts(42) if " pesa più " in t), None), timeout=20
        )
    assert "essaybot-answers.csv pesa più dei 50 MB" in told
    assert "essaybot export --output FILE" in told
    assert not [r for r in fake.calls("sendDocument") if not r.ok]  # never tried
