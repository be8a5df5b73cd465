"""Value flows: what each deal moves between its parties, by the ontology's table of flow rules.

A deal yields one flow per rule of its kind (``aikg:FlowRule`` in ``ontology/aikg.ttl``): an investment
yields money from the investors to the investee and equity back; a chip purchase, money from the
customer to the provider and compute back; a warrant, equity from the issuer to the holder. The flow a
deal's amount measures is its *principal* flow (``carries_amount``); the others are what comes back for
it. Several parties on one side of a flow pay or receive its amount together, as a group: the amount is
never theirs each.

A record counts (:func:`counting_deals`) unless it is terminated, an umbrella whose tranches stand for
it, superseded by a later record of the same contract, or an alternative report of another record.

>>> import kg
>>> g = kg.load()
>>> [(f.type, f.payers, f.payees, f.amount_usd) for f in deal_flows(g.deal("amd-openai-warrant-2025-10"))]
[('equity', ('amd',), ('openai',), None)]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from kg.model import COMMITTED_STATUSES, Deal, format_partial_date
from kg.vocabulary import load_vocabulary

FLOW_TYPES = ("money", "equity", "compute", "service", "licence")
"""The flow types, as the ontology names them (``aikg:FlowType``); a test keeps the two in step."""


@dataclass(frozen=True)
class ValueFlow:
    """One flow of a deal: its ``type``, the parties it comes from (``payers``) and goes to (``payees``),
    and, for the principal flow, the deal's amount in US dollars (None where undisclosed).

    ``principal`` is true for the flow the deal's amount measures; ``shared`` when the amount belongs
    to several payers or payees together.
    """

    deal: str
    type: str
    payers: tuple[str, ...]
    payees: tuple[str, ...]
    principal: bool
    amount_usd: float | None
    amount_qualifier: str | None
    status: str
    announced_on: dt.date
    announced_precision: str = "day"

    @property
    def shared(self) -> bool:
        return len(self.payers) > 1 or len(self.payees) > 1

    def to_dict(self) -> dict:
        return {
            "deal": self.deal, "type": self.type, "payers": list(self.payers), "payees": list(self.payees),
            "principal": self.principal, "shared": self.shared, "amount_usd": self.amount_usd,
            "amount_qualifier": self.amount_qualifier, "status": self.status,
            "announced_on": format_partial_date(self.announced_on, self.announced_precision),
        }


def deal_flows(deal: Deal) -> list[ValueFlow]:
    """The flows of one deal, principal first, by the flow rules of its kind. A rule whose roles the
    deal does not fill yields nothing (a secondary sale from unnamed employees has no seller)."""
    flows = []
    for rule in load_vocabulary().flow_rules.get(deal.kind, ()):
        payers, payees = deal.parties.get(rule.from_role, ()), deal.parties.get(rule.to_role, ())
        if not payers or not payees:
            continue
        flows.append(ValueFlow(
            deal.id, rule.flow_type, payers, payees, rule.carries_amount,
            deal.amount_usd if rule.carries_amount else None,
            deal.amount_qualifier if rule.carries_amount else None,
            deal.status, deal.announced_on, deal.announced_precision))
    return flows


READINGS = {
    "ceiling": "every announced figure, contingent ones included, an \"up to\" at its ceiling",
    "committed": "announced, completed or reported deals, not contingent ones, at their stated amounts",
    "closed": "completed deals only: the money moved or the agreement took effect",
}
"""How money measures read the deals: the name of each reading and what it counts. A closed multi-year
contract counts at its full value under every reading: the data records no payment schedules."""


def reading_deals(deals: Iterable[Deal], reading: str = "committed") -> list[Deal]:
    """The records that count under a reading (one of :data:`READINGS`), by :func:`counting_deals`.

    >>> import kg
    >>> deals = kg.load().deals()
    >>> len(reading_deals(deals, "ceiling")) > len(reading_deals(deals, "committed")) > len(reading_deals(deals, "closed"))
    True
    """
    if reading not in READINGS:
        raise ValueError(f"unknown reading {reading!r}; use one of: {', '.join(READINGS)}")
    counting = counting_deals(deals, include_contingent=reading == "ceiling")
    return [deal for deal in counting if reading != "closed" or deal.status == "completed"]


def counting_deals(deals: Iterable[Deal], include_contingent: bool = False) -> list[Deal]:
    """The records whose figures count, in the order given: committed ones (and contingent ones when
    asked), leaving out umbrellas whose tranches stand for them, records superseded by another of the
    given records, and alternative reports of another record."""
    deals = list(deals)
    umbrellas = {deal.part_of for deal in deals if deal.part_of}
    superseded = {deal.supersedes for deal in deals if deal.supersedes}
    statuses = COMMITTED_STATUSES | ({"contingent"} if include_contingent else set())
    return [deal for deal in deals
            if deal.status in statuses and deal.id not in umbrellas and deal.id not in superseded
            and deal.alternative_of is None]
