"""Every answer, and every reply, as a file the author opens: CSV for spreadsheets, or JSON. The
headers are stable and never translated."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from typing import IO

EXPORT_FIELDS = (
    "id",
    "stance",
    "text",
    "display_name",
    "language",
    "status",
    "created_at",
    "updated_at",
    "agree",
    "disagree",
    "agreement_across_sides",
    "replies",
    "writer_before",
    "writer_finished",
)

#: The second file: one row per reply, ``answer_id`` pointing at the answers file's ``id``.
REPLY_EXPORT_FIELDS = (
    "id",
    "answer_id",
    "text",
    "display_name",
    "by_author",
    "language",
    "status",
    "created_at",
    "updated_at",
)


#: Rows written between two encodings of the CSV text.
BATCH = 1000
#: Rows from which an export file is sent compressed, as a ZIP: about 7 MB of CSV, where a
#: phone's download starts to tell (and 150,000 answers would pass Telegram's 50 MB).
ZIP_FROM = 20_000

#: A cell starting with one of these is a formula to a spreadsheet (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` as a spreadsheet shows it and never runs it: text that would start a formula
    gets a leading apostrophe (OWASP's rule); numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_csv(
    rows: Iterable[dict[str, object]], fields: tuple[str, ...] = EXPORT_FIELDS
) -> bytes:
    """Rows as CSV a spreadsheet opens correctly and safely: UTF-8 with a BOM, a header row of
    ``fields``, no cell a spreadsheet would run as a formula. Encoded a batch at a time, so
    only the file's bytes are ever whole in memory."""
    out = io.BytesIO()
    _write_csv(rows, fields, out)
    return out.getvalue()


def export_zip(
    rows: Iterable[dict[str, object]], name: str, fields: tuple[str, ...] = EXPORT_FIELDS
) -> bytes:
    """The CSV of :func:`export_csv`, as file ``name`` inside a ZIP archive, compressed as it
    is written: only the compressed bytes are ever whole in memory (about a quarter of the
    CSV's), and a big export stays far below Telegram's 50 MB for a bot's upload."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive,
        archive.open(name, "w", force_zip64=True) as entry,
    ):
        _write_csv(rows, fields, entry)
    return out.getvalue()


def _write_csv(rows: Iterable[dict[str, object]], fields: tuple[str, ...], out: IO[bytes]) -> None:
    out.write("\ufeff".encode())
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    for n, row in enumerate(rows, start=1):
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
        if n % BATCH == 0:
            out.write(text.getvalue().encode())
            text.seek(0)
            text.truncate()
    out.write(text.getvalue().encode())


def export_json(rows: list[dict[str, object]]) -> bytes:
    """Rows as a JSON array."""
    return (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode()
