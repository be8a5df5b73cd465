"""Corporate families, shared by the questions of :mod:`kg.analysis`.

A corporate family is an organization and everything it owns on the graph's date, directly or through
others, named by its top-most owner (its *head*). Deals of a subsidiary count for its family: Amazon
Web Services' deals are Amazon's. Ownership has dates (``parent_since``, ``parent_until``), so
``g.as_of(date)`` groups families as they stood then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.flows import counting_deals

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.model import Deal


def family_head(g: KnowledgeGraph, reference: str) -> str:
    """The top-most owner of an entity on the graph's date (the entity itself when nobody owns it).

    >>> import kg
    >>> family_head(kg.load(), "AWS")
    'amazon'
    """
    return g.family_head(reference)


def family_heads(g: KnowledgeGraph) -> dict[str, str]:
    """Every entity's family head, by id: O(V × depth) once per graph, then read back (do not change it)."""
    return g.kept("family_heads", lambda: {entity.id: g.family_head(entity.id) for entity in g.entities()})


def family_deals(g: KnowledgeGraph, reference: str) -> list[Deal]:
    """The deals an organization, or anything it owns (``g.family``), is a party to, oldest first (ties
    by id) as ``g.deals()`` orders them: from the graph's index by party, O(k log k) for their k deals.

    >>> import kg
    >>> g = kg.load()
    >>> [d.id for d in family_deals(g, "Amazon")] == [d.id for d in g.deals() if g.family("Amazon") & set(d.party_ids)]
    True
    """
    found = {deal.id: deal for member in g.family(reference) for deal in g.deals(party=member)}
    return sorted(found.values(), key=lambda deal: (deal.announced_on, deal.id))


def counting_ids(g: KnowledgeGraph, include_contingent: bool = False) -> frozenset[str]:
    """The ids of the graph's deals whose figures count (:func:`kg.flows.counting_deals` over all of
    them): once per graph, so that a question about one family filters its own deals by it."""
    return g.kept(("counting", include_contingent),
                  lambda: frozenset(deal.id for deal in counting_deals(g.deals(), include_contingent)))


def counting_family_deals(g: KnowledgeGraph, reference: str, include_contingent: bool = False) -> list[Deal]:
    """The deals of :func:`family_deals` that count, oldest first: ``counting_deals(g.deals())`` restricted
    to them."""
    counting = counting_ids(g, include_contingent)
    return [deal for deal in family_deals(g, reference) if deal.id in counting]
