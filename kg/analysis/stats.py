"""Counts that describe the data: entities and deals by kind and by year, and how well they are sourced.

Two sources are independent when different writers wrote them: a republished story counts for the
outlet that wrote it (:attr:`kg.model.Source.writer`), so a Reuters story on two sites is one source.

>>> import kg
>>> numbers = stats(kg.load())
>>> numbers.deals_sourced == numbers.deals
True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.analysis.families import family_heads
from kg.flows import counting_deals
from kg.vocabulary import load_vocabulary

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
    large_deals: int = 0
    """Deals of $1B or more (tranches and alternative reports included)."""
    large_deals_independently_sourced: int = 0
    """Of those, the deals whose sources come from two writers or more."""
    newest_deal: str | None = None
    sourcing_by_year: dict[int, dict[str, int]] = field(default_factory=dict)
    """For each year: its ``deals``, those with an ``amount``, those ``independently_sourced``, and its
    ``large`` deals ($1B or more) with those of them ``large_independently_sourced``."""

    def to_dict(self) -> dict:
        return dict(self.__dict__)


LARGE_DEAL_USD = 1e9


def writers(g: KnowledgeGraph, source_ids) -> set[str]:
    """The distinct writers of some sources."""
    return {g.sources[source].writer for source in source_ids if source in g.sources}


def stats(g: KnowledgeGraph) -> Stats:
    """Count the graph's entities, deals, valuations and sources, by kind, status and year. O(E + D + S)."""
    entities, deals, sources = g.entities(), g.deals(), list(g.sources.values())
    by_year: dict[int, dict[str, int]] = {}
    for deal in deals:
        year = by_year.setdefault(deal.announced_on.year, {"deals": 0, "amount": 0, "independently_sourced": 0,
                                                           "large": 0, "large_independently_sourced": 0})
        independent = len(writers(g, deal.sources)) >= 2
        large = (deal.amount_usd or 0) >= LARGE_DEAL_USD
        year["deals"] += 1
        year["amount"] += deal.amount is not None
        year["independently_sourced"] += independent
        year["large"] += large
        year["large_independently_sourced"] += large and independent
    newest = max(deals, key=lambda d: d.announced_on, default=None)
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
        large_deals=sum(year["large"] for year in by_year.values()),
        large_deals_independently_sourced=sum(year["large_independently_sourced"] for year in by_year.values()),
        newest_deal=None if newest is None else newest.announced_on.isoformat(),
        sourcing_by_year=dict(sorted(by_year.items())),
    )


@dataclass(frozen=True)
class CoreMember:
    """One organization of the core: its family's known money in deals that count, and how many of its
    family's deals are above the core's size since the core's first year, by kind."""

    organization: str
    money_usd: float
    deals: int
    deals_by_kind: dict[str, int] = field(default_factory=dict)


def core_organizations(g: KnowledgeGraph, count: int = 40, since: int = 2019,
                       above_usd: float = 1e8) -> list[CoreMember]:
    """The ``count`` corporate families with the most known money in the deals that count, largest first,
    with their deals above ``above_usd`` since ``since``. A deal's amount is a family's when the family
    stands alone on its side of the deal (the lab that raises a round, not each of its investors; each
    partner of a partnership). O(D × P + F log F).

    >>> import kg
    >>> [member.organization for member in core_organizations(kg.load(), 3)]  # doctest: +SKIP
    ['openai', 'oracle', 'softbank']
    """
    vocabulary = load_vocabulary()
    heads = family_heads(g)
    money: dict[str, float] = {}
    large: dict[str, Counter] = {}
    for deal in counting_deals(g.deals(), include_contingent=True):
        payers, receivers = vocabulary.money_sides(deal.parties)
        sides = [{heads[p] for p in side} for side in (payers, receivers) if side]
        sides += [{heads[p]} for p in deal.parties.get("partner", ())]
        for side in sides:
            if len(side) == 1:
                family = next(iter(side))
                money[family] = money.get(family, 0.0) + (deal.amount_usd or 0.0)
        for family in {heads[party] for party in deal.party_ids}:
            if deal.announced_on.year >= since and (deal.amount_usd or 0.0) > above_usd:
                large.setdefault(family, Counter())[deal.kind] += 1
    ranked = sorted(money, key=lambda family: (-money[family], family))[:count]
    return [CoreMember(family, money[family], sum(large.get(family, Counter()).values()),
                       dict(sorted(large.get(family, Counter()).items())))
            for family in ranked]
