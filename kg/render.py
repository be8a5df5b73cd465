"""Rows of values as an aligned text table, CSV or JSON: the output of the ``aikg`` query commands.

In a table, columns whose name ends in ``_usd`` read in human units (``$13.0B``), numbers align
right, lists are joined with commas and missing values are blank; an undisclosed amount is never
printed as zero. A :class:`~kg.model.Total` reads ``≥ $13.0B (+2 undisclosed)`` in a table, is an
object ``{"known_usd": ..., "undisclosed": ..., "shared": ...}`` in JSON (``null`` where nothing is
known), and three columns in CSV (``X_known_usd``, empty where nothing is known, ``X_undisclosed`` and
``X_shared``). CSV and JSON otherwise keep the raw values.

>>> from kg.model import Total
>>> print(format_rows([{"investor": "amazon", "committed": Total(13e9, 2)}], "table"), end="")
investor  committed
--------  -------------------------
amazon    ≥ $13.0B (+2 undisclosed)
(1 row)
>>> print(format_rows([{"investor": "amazon", "committed": Total(None, 1)}], "csv"), end="")
investor,committed_known_usd,committed_undisclosed,committed_shared
amazon,,1,0
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from kg.humanize import format_usd, printable
from kg.model import Total


def _cell(column: str, value) -> str:
    return printable(_text(column, value))


def _text(column: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, Total):
        return str(value)
    if isinstance(value, (list, tuple)) and any(isinstance(item, Total) for item in value):
        return ", ".join(str(item) for item in value)
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
    return isinstance(value, (int, float, Decimal, Total)) and not isinstance(value, bool)


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
    totals = {column for column in columns if any(isinstance(row.get(column), Total) for row in rows)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([name for column in columns
                     for name in ((f"{column}_known_usd", f"{column}_undisclosed", f"{column}_shared") if column in totals
                                  else (column,))])
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            if column in totals:
                total = value if isinstance(value, Total) else Total()
                cells += ["" if total.known_usd is None else total.known_usd, total.undisclosed, total.shared]
            else:
                cells.append("" if value is None else "; ".join(map(str, value)) if isinstance(value, (list, tuple))
                             else value)
        writer.writerow(cells)
    return buffer.getvalue()


def format_json(rows: list[dict], columns: list[str] | None = None) -> str:
    """A JSON list of objects."""
    if columns:
        rows = [{column: row.get(column) for column in columns} for row in rows]
    return json.dumps(rows, indent=2, ensure_ascii=False, default=_json_value) + "\n"


def _json_value(value):
    return value.to_dict() if isinstance(value, Total) else str(value)


FORMATS = {"table": format_table, "csv": format_csv, "json": format_json}


def format_rows(rows: list[dict], output_format: str = "table", columns: list[str] | None = None) -> str:
    """Rows in one of :data:`FORMATS`."""
    return FORMATS[output_format](rows, columns)
