"""Results as small typed records with a ``to_dict()``, and lists of them as a :class:`Table` that
converts to a pandas DataFrame when pandas is installed."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields


class Table(list):
    """A list of records that also converts to dicts and, with pandas installed, to a DataFrame."""

    def to_dicts(self) -> list[dict]:
        return [record.to_dict() for record in self]

    def to_frame(self):
        """A pandas DataFrame with a column per field, a total's parts as columns of their own
        (``committed.known_usd``, ``committed.undisclosed``); pandas is optional: install it to use this."""
        try:
            import pandas
        except ImportError:
            raise ImportError("to_frame() needs pandas: pip install pandas") from None
        return pandas.json_normalize(self.to_dicts()) if self else pandas.DataFrame()


class Record:
    """A result with a ``to_dict()`` of plain values: dates as ISO text, tuples as lists, totals and
    nested records as dicts (an undisclosed amount stays None, never 0)."""

    def to_dict(self) -> dict:
        return {item.name: _plain(getattr(self, item.name)) for item in fields(self)}


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value
