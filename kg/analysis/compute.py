"""Compute and supply an organization's family has secured, with capacity totals that never mix
figures of different qualifiers or of different layers.

A gigawatt figure is *hosting* (data-centre capacity: a compute commitment) or *chips* (the
accelerators that run there: a supply deal), by the ontology's ``aikg:capacityLayer``. The chips a lab
buys from a chip designer usually run in the capacity it rents from a cloud, so the two layers overlap
and are never added. Within a layer, exact figures, ceilings ("up to") and floors ("more than") are
kept apart too: "up to 5 GW" plus "more than 1 GW" is no number at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.analysis.families import counting_family_deals, family_head, family_heads
from kg.analysis.table import Record
from kg.vocabulary import load_vocabulary

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


@dataclass(frozen=True)
class Commitment(Record):
    """A compute or supply commitment secured by a customer, with the layer its gigawatts measure."""

    deal: str
    providers: tuple[str, ...]
    announced_on: dt.date
    status: str
    layer: str
    power_gw: float | None
    power_qualifier: str | None
    chips: int | None
    amount_usd: float | None
    amount_qualifier: str | None


@dataclass(frozen=True)
class CapacityTotal(Record):
    """Gigawatts of one layer and one qualifier, summed as stated, and the deals they come from."""

    layer: str
    qualifier: str
    gigawatts: float
    deals: tuple[str, ...]


@dataclass(frozen=True)
class ComputeSecured(Record):
    """Everything a family has secured, and a total for each layer and qualifier (never one total)."""

    entity: str
    commitments: tuple[Commitment, ...]
    totals: tuple[CapacityTotal, ...]

    def total(self, layer: str, qualifier: str = "exact") -> float | None:
        """The gigawatts of one layer and qualifier, or None where no commitment states such a figure."""
        return next((t.gigawatts for t in self.totals if (t.layer, t.qualifier) == (layer, qualifier)), None)


def compute_secured(g: KnowledgeGraph, entity: str) -> ComputeSecured:
    """Compute and supply commitments an organization's family secured as a customer, oldest first,
    with ``totals`` of gigawatts by layer (``hosting``, ``chips``) and qualifier.

    Commitments that count (:func:`kg.flows.counting_deals`, contingent ones too) are listed; the totals
    add committed figures only, so a contingent one is listed but not summed. O(k log k) in the family's
    k deals.

    >>> import kg
    >>> secured = compute_secured(kg.load(), "Anthropic")
    >>> [(c.providers, c.layer, c.power_gw, c.power_qualifier) for c in secured.commitments if c.deal == "anthropic-aws-2026-04-compute"]
    [(('amazon-web-services',), 'hosting', 5.0, 'up-to')]
    >>> secured.total("hosting", "up-to") >= 5.0
    True
    """
    layers = load_vocabulary().capacity_layers
    heads = family_heads(g)
    me = family_head(g, entity)
    commitments = []
    for deal in counting_family_deals(g, me, include_contingent=True):
        if deal.kind not in layers or me not in {heads[p] for p in deal.parties.get("customer", ())}:
            continue
        commitments.append(Commitment(deal.id, deal.parties.get("provider", ()), deal.announced_on, deal.status,
                                      layers[deal.kind], deal.power_gw, deal.power_qualifier, deal.chip_count,
                                      deal.amount_usd, deal.amount_qualifier))
    sums: dict[tuple[str, str], list[Commitment]] = {}
    for commitment in commitments:
        if commitment.power_gw is not None and commitment.status != "contingent":
            sums.setdefault((commitment.layer, commitment.power_qualifier), []).append(commitment)
    totals = tuple(CapacityTotal(layer, qualifier, round(sum(c.power_gw for c in group), 6),
                                 tuple(c.deal for c in group))
                   for (layer, qualifier), group in sorted(sums.items()))
    return ComputeSecured(me, tuple(commitments), totals)
