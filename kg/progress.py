"""A progress line for long reads and writes, shown on a terminal only, and only after a second.

>>> with Progress("loading", stream=None) as progress:
...     progress.stage("reading deals.csv")
...     for _ in range(3):
...         progress.advance()
>>> progress.step, progress.count
('reading deals.csv', 3)
"""

from __future__ import annotations

import sys
import time


_STDERR = object()  # the standard error stream at the time a line is made


class Progress:
    """Counts items, step by step; on a terminal, once the work has taken a second, shows
    ``label: step, N rows`` on stderr.

    Pass ``stream=None`` to count silently; ``clock`` is a function giving seconds (by default
    ``time.monotonic``). The line is redrawn at each new step and at most five
    times a second within one, and cleared at the end, so output piped elsewhere is never touched.
    """

    def __init__(self, label: str, unit: str = "rows", stream=_STDERR, clock=None) -> None:
        self.label = label
        self.unit = unit
        stream = sys.stderr if stream is _STDERR else stream
        self.stream = stream if stream is not None and getattr(stream, "isatty", lambda: False)() else None
        self.step: str | None = None
        self.count = 0
        self._clock = clock or time.monotonic
        self._started = self._clock()
        self._drawn_at = 0.0
        self._shown = False

    def __enter__(self) -> "Progress":
        return self

    def stage(self, step: str) -> None:
        """Begin a new step of the work (``reading deals.csv``, ``building the graph``), counting from zero."""
        self.step = step
        self.count = 0
        self._draw(force=True)

    def advance(self, by: int = 1) -> None:
        self.count += by
        if self.count % 1000 < by:  # a thousand more since the last look
            self._draw()

    def _draw(self, force: bool = False) -> None:
        if self.stream is None:
            return
        now = self._clock()
        if now - self._started < 1.0 or (not force and now - self._drawn_at < 0.2):
            return
        text = self.label + (f": {self.step}" if self.step else "") + \
            (f"{',' if self.step else ':'} {self.count:,} {self.unit}" if self.count else "")
        self.stream.write(f"\r{text}\x1b[K")
        self.stream.flush()
        self._drawn_at = now
        self._shown = True

    def __exit__(self, *exc) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
