"""Rows of values as an aligned text table, CSV or JSON: the output of the ``aikg`` query commands.

In a table, columns whose name ends in ``_usd`` read in human units (``$13.0B``), numbers align
right, lists are joined with commas and missing values are blank. CSV and JSON keep the raw values.

>>> print(format_rows([{"investor": "amazon", "committed_usd": 13e9}], "table"), end="")
investor  committed_usd
--------  -------------
amazon           $13.0B
(1 row)
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from kg.humanize import format_usd


def _cell(column: str, value) -> str:
    if value is None:
        return ""
    if column.endswith("_usd") and isinstance(value, (int, float, Decimal)):
        return format_usd(value)
    if column.endswith("_usd") and isinstance(value, (list, tuple)):
        return ", ".join(format_usd(item) for item in value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    return str(value)


def _is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def format_table(rows: list[dict], columns: list[str] | None = None) -> str:
    """An aligned text table with a header rule and a row count."""
    columns = columns or (list(rows[0]) if rows else [])
    cells = [columns] + [[_cell(column, row.get(column)) for column in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    numeric = [bool(rows) and all(row.get(column) is None or _is_number(row.get(column)) for row in rows)
               for column in columns]
    lines = []
    for index, line in enumerate(cells):
        lines.append("  ".join(cell.rjust(width) if numeric[i] and index else cell.ljust(width)
                               for i, (cell, width) in enumerate(zip(line, widths))).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def format_csv(rows: list[dict], columns: list[str] | None = None) -> str:
    """CSV with a header; lists joined with ``"; "``."""
    columns = columns or (list(rows[0]) if rows else [])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        values = [row.get(column) for column in columns]
        writer.writerow(["" if v is None else "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v
                         for v in values])
    return buffer.getvalue()


def format_json(rows: list[dict], columns: list[str] | None = None) -> str:
    """A JSON list of objects."""
    if columns:
        rows = [{column: row.get(column) for column in columns} for row in rows]
    return json.dumps(rows, indent=2, ensure_ascii=False, default=str) + "\n"


FORMATS = {"table": format_table, "csv": format_csv, "json": format_json}


def format_rows(rows: list[dict], output_format: str = "table", columns: list[str] | None = None) -> str:
    """Rows in one of :data:`FORMATS`."""
    return FORMATS[output_format](rows, columns)
