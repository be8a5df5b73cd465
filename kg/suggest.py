"""Suggestions for a mistyped name: the closest choices, for "did you mean" hints."""

from __future__ import annotations

import difflib
from typing import Iterable

MAX_WORD = 100
"""Longer words get no suggestion: nothing in the graph is named at such length, and comparing costs."""


def nearest(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """The best match for ``word`` among ``choices`` and any nearly as good, best first.

    A choice qualifies when it is at least 60% similar and within 5 points of the best one. Choices
    whose length alone rules them out are skipped, and a word of more than :data:`MAX_WORD` characters
    gets no suggestion, so the work stays bounded however long the word.

    >>> nearest("investr", ["investor", "investee", "partner"])
    ['investor']
    >>> nearest("xyz", ["investor"])
    []
    """
    if len(word) > MAX_WORD:
        return []
    candidates = []
    for choice in set(choices):
        if 2 * min(len(word), len(choice)) < 0.6 * (len(word) + len(choice)):
            continue  # too different in length to be 60% similar
        matcher = difflib.SequenceMatcher(None, word, choice)
        if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
            candidates.append((matcher.ratio(), choice))
    scored = sorted(candidates, key=lambda pair: (-pair[0], pair[1]))
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
