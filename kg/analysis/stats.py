"""Counts that describe the data: entities and deals by kind and by year, and how well they are sourced.

>>> import kg
>>> numbers = stats(kg.load())
>>> numbers.deals_sourced == numbers.deals
True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


@dataclass(frozen=True)
class Stats:
    """What the graph holds, and how it is sourced."""

    organizations: int
    products: int
    deals: int
    valuations: int
    sources: int
    entities_by_kind: dict[str, int] = field(default_factory=dict)
    deals_by_kind: dict[str, int] = field(default_factory=dict)
    deals_by_status: dict[str, int] = field(default_factory=dict)
    deals_by_year: dict[int, int] = field(default_factory=dict)
    deals_sourced: int = 0
    deals_with_two_sources: int = 0
    deals_with_amount: int = 0
    sources_with_url: int = 0
    sources_with_date: int = 0
    publishers: int = 0

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def stats(g: KnowledgeGraph) -> Stats:
    """Count the graph's entities, deals, valuations and sources, by kind, status and year. O(E + D + S)."""
    entities, deals, sources = g.entities(), g.deals(), list(g.sources.values())
    return Stats(
        organizations=sum(not e.is_product for e in entities),
        products=sum(e.is_product for e in entities),
        deals=len(deals),
        valuations=len(g.dataset.valuations),
        sources=len(sources),
        entities_by_kind=dict(sorted(Counter(k for e in entities for k in e.kinds).items())),
        deals_by_kind=dict(sorted(Counter(d.kind for d in deals).items())),
        deals_by_status=dict(sorted(Counter(d.status for d in deals).items())),
        deals_by_year=dict(sorted(Counter(d.announced_on.year for d in deals).items())),
        deals_sourced=sum(bool(d.sources) for d in deals),
        deals_with_two_sources=sum(len(d.sources) >= 2 for d in deals),
        deals_with_amount=sum(d.amount is not None for d in deals),
        sources_with_url=sum(s.url is not None for s in sources),
        sources_with_date=sum(s.published_on is not None for s in sources),
        publishers=len({s.publisher for s in sources}),
    )
