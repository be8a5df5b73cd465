"""What a data folder claims to cover: ``coverage.yaml``, optional, printed by ``aikg stats``.

A curator states two things there (see ``data/README.md``, "Coverage"): the month up to which the
data is current, and the *core*: the organizations, the period and the size of deal for which the data
aims to hold every deal. Nothing else reads the file: the facts stay in the five data files.

>>> from kg.resources import DATA_DIR
>>> read_coverage(DATA_DIR).core_organizations
40
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from kg.errors import DataError, Problem
from kg.loaders.yamlfile import bounded_document
from kg.model import parse_partial_date

COVERAGE_FILE = "coverage.yaml"


@dataclass(frozen=True)
class Coverage:
    """``current_until``: the last month the data is current for (``YYYY-MM``); the core: the
    ``core_organizations`` with the most money in the graph, every deal of theirs above
    ``core_above_usd`` announced since ``core_since`` (a year)."""

    current_until: str
    core_organizations: int
    core_since: int
    core_above_usd: float


def read_coverage(folder: str | Path) -> Coverage | None:
    """The folder's coverage statement, or None when it makes none.

    Raises
    ------
    kg.DataError
        When the file is not YAML or lacks a field, naming the file and the field.
    """
    path = Path(folder) / COVERAGE_FILE
    if not path.is_file():
        return None
    try:
        document = bounded_document(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as error:
        raise DataError([Problem(str(path), None, None, f"cannot be read as YAML: {error}")]) from None
    try:
        core = document["core"]
        current = str(document["current_until"])
        first_day, _ = parse_partial_date(current)
        coverage = Coverage(current, int(core["organizations"]), int(core["since"]), float(core["above_usd"]))
    except (TypeError, KeyError, ValueError) as error:
        raise DataError([Problem(str(path), None, None, f"{type(error).__name__}: {error}",
                                 "needs current_until (YYYY-MM) and core: organizations, since, above_usd; "
                                 "see data/README.md")]) from None
    if first_day > dt.date.today():
        raise DataError([Problem(str(path), None, None, f"current_until {current} is in the future")])
    return coverage
