"""Corporate families and the money between them, shared by the questions of :mod:`kg.analysis`.

A corporate family is an organization and everything it owns, directly or through others, named by
its top-most owner (its *head*). Deals of a subsidiary count for its family: Amazon Web Services'
deals are Amazon's.

Money flows from paying roles (investor, customer, acquirer, licensee) to receiving roles (investee,
provider, acquiree, licensor). An amount counts for a pair of families only when the deal has one
paying family and one receiving family, is not a funding round (whose amount is the round's, not any
one investor's), and is not an umbrella agreement with tranches (its tranches count instead).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from kg.model import COMMITTED_STATUSES, Deal
from kg.vocabulary import load_vocabulary

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


def family_head(g: KnowledgeGraph, reference: str) -> str:
    """The top-most owner of an entity (the entity itself when nobody owns it). O(depth).

    >>> import kg
    >>> family_head(kg.load(), "AWS")
    'amazon'
    """
    current = g.entity(reference)
    seen = {current.id}
    while current.parent and current.parent not in seen:
        seen.add(current.parent)
        current = g.entity(current.parent)
    return current.id


def family_heads(g: KnowledgeGraph) -> dict[str, str]:
    return {entity.id: family_head(g, entity.id) for entity in g.entities()}


def live_deals(g: KnowledgeGraph, include_contingent: bool = False) -> list[Deal]:
    statuses = COMMITTED_STATUSES | ({"contingent"} if include_contingent else set())
    return [deal for deal in g.deals() if deal.status in statuses]


def attributable_usd(g: KnowledgeGraph, deal: Deal, payers: set[str], receivers: set[str]) -> float:
    """The deal's US dollars when they can be put on one pair of families, else 0."""
    if (deal.amount_usd is None or deal.kind == "funding-round" or g.tranches(deal.id)
            or len(payers) != 1 or len(receivers) != 1):
        return 0.0
    return deal.amount_usd


def money_families(deal: Deal, heads: dict[str, str]) -> tuple[set[str], set[str]]:
    """The families a deal's money flows from, and those it flows to."""
    payers, receivers = load_vocabulary().money_sides(deal.parties)
    return {heads[p] for p in payers}, {heads[p] for p in receivers}


def money_edges(g: KnowledgeGraph, include_contingent: bool = False) -> dict[tuple[str, str], list[tuple[str, float]]]:
    """(payer family, receiver family) → [(deal id, attributable US dollars), ...]."""
    heads = family_heads(g)
    edges: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
    for deal in live_deals(g, include_contingent):
        if g.tranches(deal.id):
            continue  # its tranches stand for it
        payers, receivers = money_families(deal, heads)
        amount = attributable_usd(g, deal, payers, receivers)
        for payer in payers:
            for receiver in receivers:
                if payer != receiver:
                    edges[(payer, receiver)].append((deal.id, amount))
    return edges
