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
