"""A progress line for long reads and writes, shown on a terminal only, and only after a second.

>>> with Progress("reading deals.csv", stream=None) as progress:
...     for _ in range(3):
...         progress.advance()
>>> progress.count
3
"""

from __future__ import annotations

import sys
import time


class Progress:
    """Counts items; on a terminal, once the work has taken a second, shows ``label: N rows`` on stderr.

    Pass ``stream=None`` to count silently. The line is redrawn at most five times a second and
    cleared at the end, so output piped elsewhere is never touched.
    """

    def __init__(self, label: str, unit: str = "rows", stream=sys.stderr) -> None:
        self.label = label
        self.unit = unit
        self.stream = stream if stream is not None and getattr(stream, "isatty", lambda: False)() else None
        self.count = 0
        self._started = time.monotonic()
        self._drawn_at = 0.0
        self._shown = False

    def __enter__(self) -> "Progress":
        return self

    def advance(self, by: int = 1) -> None:
        self.count += by
        if self.stream is None or self.count % 1000:
            return
        now = time.monotonic()
        if now - self._started >= 1.0 and now - self._drawn_at >= 0.2:
            self.stream.write(f"\r{self.label}: {self.count:,} {self.unit}")
            self.stream.flush()
            self._drawn_at = now
            self._shown = True

    def __exit__(self, *exc) -> None:
        if self._shown:
            self.stream.write("\r" + " " * (len(self.label) + 30) + "\r")
            self.stream.flush()
