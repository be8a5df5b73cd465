"""Compute and supply an organization's family has secured."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.analysis.families import family_head, family_heads
from kg.analysis.table import Record

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


@dataclass(frozen=True)
class Commitment(Record):
    """A compute or supply commitment secured by a customer."""

    deal: str
    providers: tuple[str, ...]
    announced_on: dt.date
    status: str
    power_gw: float | None
    power_qualifier: str | None
    chips: int | None
    amount_usd: float | None
    amount_qualifier: str | None


@dataclass(frozen=True)
class ComputeSecured(Record):
    """Everything a family has secured, and the gigawatts summed as stated (read each qualifier)."""

    entity: str
    commitments: tuple[Commitment, ...]
    total_gw: float


def compute_secured(g: KnowledgeGraph, entity: str) -> ComputeSecured:
    """Compute and supply commitments an organization's family secured as a customer, oldest first.

    ``total_gw`` adds the gigawatts as stated; a figure may be a ceiling ("up to") or a floor ("more
    than"), so read each commitment's ``power_qualifier``. Terminated deals are left out. O(D).

    >>> import kg
    >>> secured = compute_secured(kg.load(), "Anthropic")
    >>> [(c.providers, c.power_gw, c.power_qualifier) for c in secured.commitments if c.deal == "anthropic-aws-2026-04-compute"]
    [(('amazon-web-services',), 5.0, 'up-to')]
    """
    heads = family_heads(g)
    me = family_head(g, entity)
    commitments = []
    for deal in g.deals():
        if deal.kind not in ("compute-commitment", "supply") or deal.status == "terminated":
            continue
        if me not in {heads[p] for p in deal.parties.get("customer", ())}:
            continue
        commitments.append(Commitment(deal.id, deal.parties.get("provider", ()), deal.announced_on, deal.status,
                                      deal.power_gw, deal.power_qualifier, deal.chip_count, deal.amount_usd,
                                      deal.amount_qualifier))
    total = sum(c.power_gw for c in commitments if c.power_gw is not None)
    return ComputeSecured(me, tuple(commitments), total)
