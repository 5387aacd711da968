"""Every answer as a file the author opens: CSV for spreadsheets, or JSON."""

from __future__ import annotations

import csv
import io
import json

EXPORT_FIELDS = (
    "id",
    "stance",
    "text",
    "display_name",
    "language",
    "status",
    "created_at",
    "updated_at",
)


def export_csv(rows: list[dict[str, object]]) -> bytes:
    """Rows as CSV a spreadsheet opens correctly: UTF-8 with a BOM, a header row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def export_json(rows: list[dict[str, object]]) -> bytes:
    """Rows as a JSON array."""
    return (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode()
