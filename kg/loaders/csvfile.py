"""The bulk CSV layout: the same records as the YAML files, one row each, for data too big to curate by hand.

A CSV data folder holds ``sources.csv``, ``entities.csv``, ``products.csv``, ``deals.csv``,
``deal_parties.csv`` (one row per party: ``deal,role,party``) and ``valuations.csv``; the columns are
documented in ``data/README.md``. Lists (kinds, aliases, sources, products) are separated by ``;``.
Rows are read one at a time and turned into the same records the YAML loader validates, so the checks
and the messages are the same, with row numbers: ``deals.csv:12041: ...``.

:func:`kg.exporters.csvfolder.write_csv_folder` writes any graph in this layout; reading it back gives an
equal graph.
"""

from __future__ import annotations

import csv
from pathlib import Path

from kg.errors import Problem
from kg.progress import Progress
from kg.csvlayout import COLUMNS, LIST_SEPARATOR
from kg.loaders.yamlfile import Located

_LISTS = {"kinds", "aliases", "sources", "products"}
_QUANTITIES = {"power_gw": "power_qualifier", "chips": "chips_qualifier", "customers": "customers_qualifier"}


def _record(row: dict, line: int) -> Located:
    """A CSV row as the record the YAML loader would read, every field at the row's line."""
    record = Located()
    record.line = line
    for column, value in row.items():
        value = (value or "").strip()
        if not value or column in ("currency", "amount_qualifier", "amount_usd") or column in _QUANTITIES.values():
            continue
        if column in _LISTS:
            record[column] = [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]
        elif column == "amount":
            amount = {"value": value}
            for key, source in (("currency", "currency"), ("qualifier", "amount_qualifier"), ("usd", "amount_usd")):
                if (row.get(source) or "").strip():
                    amount[key] = row[source].strip()
            record["amount"] = amount
        elif column in _QUANTITIES:
            qualifier = (row.get(_QUANTITIES[column]) or "").strip()
            record[column] = {"value": value, **({"qualifier": qualifier} if qualifier else {})}
        elif column == "large_amount_confirmed":
            record[column] = {"true": True, "false": False}.get(value.lower(), value)
        else:
            record[column] = value
    record.key_lines = {key: line for key in record}
    return record


def not_utf8(path: Path, label: str, hint: str) -> Problem:
    """The problem with a file that is not UTF-8, at the line of its first byte that is not."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return Problem(label, line, None, f"is not UTF-8 text (byte {error.start + 1} of the file)", hint)
    return Problem(label, None, None, "is not UTF-8 text", hint)


def read_csv_records(path: Path, label: str) -> tuple[list[Located], list[Problem], bool]:
    """Read one CSV file of the layout into records; a missing file reads as none.

    Returns
    -------
    (records, problems, readable)
        As :func:`kg.loaders.yamlfile.read_records` does, with row numbers as lines.
    """
    if not path.exists():
        return [], [], True
    expected = COLUMNS[path.name]
    problems: list[Problem] = []
    records: list[Located] = []
    line = 1
    try:
        with path.open(newline="", encoding="utf-8-sig") as stream, Progress(f"reading {path.name}") as progress:
            reader = csv.DictReader(stream)
            header = reader.fieldnames or []
            line = reader.line_num + 1
            twice = sorted({column for column in header if header.count(column) > 1})
            if twice:
                problems.append(Problem(label, 1, None, f"the header names {', '.join(map(repr, twice))} twice",
                                        "keep one column of each name"))
                return [], problems, False
            unknown = [column for column in header if column not in expected]
            missing = [column for column in expected[:1] if column not in header]
            for column in unknown:
                problems.append(Problem(label, 1, None, f"unknown column {column!r}", f"use: {', '.join(expected)}"))
            if missing or (path.name == "deal_parties.csv" and set(expected) - set(header)):
                problems.append(Problem(label, 1, None, f"the header must name the columns {', '.join(expected)}"))
                return [], problems, False
            for row in reader:
                if None in row:
                    problems.append(Problem(label, reader.line_num, row.get(expected[0]),
                                            f"the row has {len(header) + len(row[None])} cells, the header {len(header)}",
                                            "quote cells that hold commas"))
                    continue
                records.append(_record(row, reader.line_num))
                line = reader.line_num + 1
                progress.advance()
    except csv.Error as error:
        return [], problems + [Problem(label, line, None, f"cannot read the row: {error}",
                                       "check its quotes; a cell may hold at most "
                                       f"{csv.field_size_limit():,} characters")], False
    except UnicodeDecodeError:
        return [], [not_utf8(path, label, "save it as UTF-8 CSV")], False
    except OSError as error:
        return [], [Problem(label, None, None, f"cannot read the file: {error.strerror}", "check it exists and is readable")], False
    return records, problems, True


def attach_parties(deals: list[Located], parties: list[Located], label: str) -> list[Problem]:
    """Put each ``deal_parties.csv`` row into its deal's ``parties``, as the YAML layout has them."""
    by_id = {record.get("id"): record for record in deals}
    problems = []
    for row in parties:
        deal = by_id.get(row.get("deal"))
        if deal is None:
            problems.append(Problem(label, row.line, row.get("deal"), f"no deal has the id {row.get('deal')!r}",
                                    "add the deal to deals.csv or fix the id"))
            continue
        if not row.get("role") or not row.get("party"):
            problems.append(Problem(label, row.line, row.get("deal"), "a party row needs a role and a party"))
            continue
        deal.setdefault("parties", {}).setdefault(row["role"], []).append(row["party"])
        deal.key_lines.setdefault("parties", row.line)
    return problems
