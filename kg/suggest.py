"""Suggestions for a mistyped name: the closest choices, for "did you mean" hints."""

from __future__ import annotations

import difflib
from typing import Iterable


def nearest(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """The best match for ``word`` among ``choices`` and any nearly as good, best first.

    A choice qualifies when it is at least 60% similar and within 5 points of the best one.

    >>> nearest("investr", ["investor", "investee", "partner"])
    ['investor']
    >>> nearest("xyz", ["investor"])
    []
    """
    scored = sorted(((difflib.SequenceMatcher(None, word, choice).ratio(), choice) for choice in set(choices)),
                    key=lambda pair: (-pair[0], pair[1]))
    if not scored:
        return []
    best = scored[0][0]
    return [choice for score, choice in scored[:limit] if score >= 0.6 and score >= best - 0.05]


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A "did you mean" hint naming the nearest choices, or None when none is close.

    >>> did_you_mean("investr", ["investor", "investee", "partner"])
    "did you mean 'investor'?"
    """
    close = nearest(str(word), choices)
    return f"did you mean {' or '.join(repr(c) for c in close)}?" if close else None
