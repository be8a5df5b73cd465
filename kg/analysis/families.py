"""Corporate families, shared by the questions of :mod:`kg.analysis`.

A corporate family is an organization and everything it owns on the graph's date, directly or through
others, named by its top-most owner (its *head*). Deals of a subsidiary count for its family: Amazon
Web Services' deals are Amazon's. Ownership has dates (``parent_since``, ``parent_until``), so
``g.as_of(date)`` groups families as they stood then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


def family_head(g: KnowledgeGraph, reference: str) -> str:
    """The top-most owner of an entity on the graph's date (the entity itself when nobody owns it).

    >>> import kg
    >>> family_head(kg.load(), "AWS")
    'amazon'
    """
    return g.family_head(reference)


def family_heads(g: KnowledgeGraph) -> dict[str, str]:
    """Every entity's family head, by id. O(V × depth)."""
    return {entity.id: g.family_head(entity.id) for entity in g.entities()}
