"""Money between corporate families: who invested in whom, and where money goes in circles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from kg.analysis.families import family_head, family_heads, money_edges
from kg.analysis.table import Record, Table

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


@dataclass(frozen=True)
class InvestorTotal(Record):
    """What one family put into another: committed and contingent US dollars, and the deals behind them.

    ``rounds`` are funding rounds the family joined, whose amount is not its own.
    """

    investor: str
    investee: str
    committed_usd: float
    contingent_usd: float
    deals: tuple[str, ...]
    rounds: tuple[str, ...]


@dataclass(frozen=True)
class Flow(Record):
    """Money going around: ``families[0] → families[1] → ... → families[0]``.

    ``flows_usd[i]`` and ``deals[i]`` are the money and the deals from ``families[i]`` to the next.
    For a pair, ``a``, ``b``, ``a_to_b_usd``, ``b_to_a_usd``, ``a_to_b_deals``, ``b_to_a_deals`` name them.
    """

    families: tuple[str, ...]
    flows_usd: tuple[float, ...]
    deals: tuple[tuple[str, ...], ...]

    @property
    def min_flow_usd(self) -> float:
        return min(self.flows_usd)

    @property
    def a(self) -> str:
        return self.families[0]

    @property
    def b(self) -> str:
        return self.families[1]

    @property
    def a_to_b_usd(self) -> float:
        return self.flows_usd[0]

    @property
    def b_to_a_usd(self) -> float:
        return self.flows_usd[-1]

    @property
    def a_to_b_deals(self) -> tuple[str, ...]:
        return self.deals[0]

    @property
    def b_to_a_deals(self) -> tuple[str, ...]:
        return self.deals[-1]

    def to_dict(self) -> dict:
        out = super().to_dict()
        out["min_flow_usd"] = self.min_flow_usd
        if len(self.families) == 2:
            out.update(a=self.a, b=self.b, a_to_b_usd=self.a_to_b_usd, b_to_a_usd=self.b_to_a_usd,
                       a_to_b_deals=list(self.a_to_b_deals), b_to_a_deals=list(self.b_to_a_deals))
        return out


def _investment_totals(g: KnowledgeGraph, side: str, reference: str) -> Table:
    heads = family_heads(g)
    me = family_head(g, reference)
    other_side = "investor" if side == "investee" else "investee"
    totals: dict[str, dict] = {}
    for deal in g.deals():
        if deal.kind not in ("investment", "funding-round") or deal.status == "terminated" or g.tranches(deal.id):
            continue
        mine = {heads[p] for p in deal.parties.get(side, ())}
        if me not in mine:
            continue
        others = {heads[p] for p in deal.parties.get(other_side, ())}
        for other in sorted(others - {me}):
            entry = totals.setdefault(other, {"committed": 0.0, "contingent": 0.0, "deals": [], "rounds": []})
            if deal.kind == "funding-round" or len(others) > 1 or len(mine) > 1 or deal.amount_usd is None:
                entry["rounds" if deal.kind == "funding-round" else "deals"].append(deal.id)
                continue
            entry["contingent" if deal.status == "contingent" else "committed"] += deal.amount_usd
            entry["deals"].append(deal.id)
    records = []
    for other, entry in totals.items():
        pair = (other, me) if side == "investee" else (me, other)
        records.append(InvestorTotal(pair[0], pair[1], entry["committed"], entry["contingent"],
                                     tuple(entry["deals"]), tuple(entry["rounds"])))
    key = (lambda r: r.investor) if side == "investee" else (lambda r: r.investee)
    return Table(sorted(records, key=lambda r: (-r.committed_usd, -r.contingent_usd, key(r))))


def investors_of(g: KnowledgeGraph, entity: str) -> Table:
    """Who funds an organization's family, and how much each family put in, largest first.

    ``committed_usd`` counts announced, completed and reported money; ``contingent_usd`` the money that
    depends on conditions. Funding rounds an investor joined are listed in ``rounds`` without an amount,
    since a round's amount is not any one investor's; so is an investment shared with other families.
    Ties are broken by id. O(D) over the deals.

    Examples
    --------
    >>> import kg
    >>> [(r.investor, r.committed_usd, r.contingent_usd) for r in investors_of(kg.load(), "Anthropic")][:2]
    [('google', 13000000000.0, 30000000000.0), ('amazon', 13000000000.0, 20000000000.0)]
    """
    return _investment_totals(g, "investee", entity)


def investments_by(g: KnowledgeGraph, entity: str) -> Table:
    """Where an organization's family invested, and how much, largest first. O(D).

    >>> import kg
    >>> [(r.investee, r.committed_usd) for r in investments_by(kg.load(), "Microsoft")][0]
    ('openai', 11000000000.0)
    """
    return _investment_totals(g, "investor", entity)


def circular_flows(g: KnowledgeGraph, max_length: int = 2, include_contingent: bool = False) -> Table:
    """Where money goes in circles between corporate families.

    With ``max_length=2`` (the default): pairs of families with money both ways, each with ``a``,
    ``b``, ``a_to_b_usd``, ``b_to_a_usd`` and the deals behind each direction. With a larger
    ``max_length``, longer cycles too (A → B → C → A). A direction counts when a live deal pays that
    way, even when its amount is undisclosed (it then adds 0). Ranked by the smallest flow along the
    circle, largest first; ties by families. O(cycles) — bounded by ``max_length``.

    Examples
    --------
    >>> import kg
    >>> flows = circular_flows(kg.load())
    >>> [(f.a, f.b, f.a_to_b_usd, f.b_to_a_usd) for f in flows if f.a == "microsoft"]
    [('microsoft', 'openai', 11000000000.0, 250000000000.0)]
    """
    edges = money_edges(g, include_contingent)
    money = nx.DiGraph()
    money.add_edges_from(sorted(edges))
    records = []
    for cycle in nx.simple_cycles(money, length_bound=max_length):
        if len(cycle) < 2:
            continue
        rotation = cycle.index(min(cycle))
        cycle = cycle[rotation:] + cycle[:rotation]
        steps = list(zip(cycle, cycle[1:] + cycle[:1]))
        records.append(Flow(
            tuple(cycle),
            tuple(sum(amount for _, amount in edges[step]) for step in steps),
            tuple(tuple(deal for deal, _ in edges[step]) for step in steps),
        ))
    return Table(sorted(records, key=lambda r: (-r.min_flow_usd, len(r.families), r.families)))
