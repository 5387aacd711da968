"""Every answer, and every reply, as a file the author opens: CSV for spreadsheets, or JSON. The
headers are stable and never translated."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

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
    return out.getvalue()


def export_json(rows: list[dict[str, object]]) -> bytes:
    """Rows as a JSON array."""
    return (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode()
