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
        """A pandas DataFrame with a column per field (pandas is optional: install it to use this)."""
        try:
            import pandas
        except ImportError:
            raise ImportError("to_frame() needs pandas: pip install pandas") from None
        return pandas.DataFrame(self.to_dicts())


class Record:
    """A result with a ``to_dict()`` of plain values (dates as ISO text, tuples as lists)."""

    def to_dict(self) -> dict:
        out = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = [v.to_dict() if isinstance(v, Record) else list(v) if isinstance(v, tuple) else v for v in value]
            out[item.name] = value
        return out
