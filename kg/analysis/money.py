"""Money between corporate families: who invested in whom, and where value goes in circles.

Every total is a :class:`~kg.model.Total`: the known sum and how many parts are undisclosed, never an
unknown counted as zero. A funding round's amount is what the round raised from all its investors, and a
commitment several families make together (a consortium, a joint venture's plan) is the group's: neither
is credited to any one investor, unless a source states each one's share (recorded as tranches). A
secondary sale (a tender offer, employees selling shares) pays the sellers, not the company: it is
listed apart and never counted as investment in the company.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from kg.analysis.families import family_heads
from kg.analysis.flows import edge_total, flow_graph
from kg.analysis.table import Record, Table
from kg.flows import counting_deals
from kg.model import Total
from kg.vocabulary import load_vocabulary

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


@dataclass(frozen=True)
class InvestorTotal(Record):
    """What one family put into another, and the deals behind it.

    ``committed`` and ``contingent`` are the family's own investments, each a :class:`~kg.model.Total`;
    ``deals`` are those investments. ``rounds`` are funding rounds it joined and ``shared`` commitments it
    made with other families: their amounts are the group's, not its own. ``secondary`` are purchases of
    existing shares from employees or investors (money to the sellers, not the company).
    """

    investor: str
    investee: str
    committed: Total
    contingent: Total
    deals: tuple[str, ...]
    rounds: tuple[str, ...] = ()
    shared: tuple[str, ...] = ()
    secondary: tuple[str, ...] = ()

    @property
    def committed_usd(self) -> float | None:
        """The known sum of committed money (None when none of it is disclosed)."""
        return self.committed.known_usd

    @property
    def contingent_usd(self) -> float | None:
        """The known sum of contingent money (None when none of it is disclosed)."""
        return self.contingent.known_usd


@dataclass(frozen=True)
class Loop(Record):
    """Value going around: ``families[0] → families[1] → ... → families[0]``.

    ``steps[i]``, ``deals[i]`` and ``types[i]`` are the amount (a :class:`~kg.model.Total`), the deals and
    the flow types from ``families[i]`` to the next. ``closed_on`` is the date the loop closed: the date
    of the step that came last, each step dated by its oldest deal. For a pair, ``a``, ``b``,
    ``a_to_b_usd``, ``b_to_a_usd`` (known sums), ``a_to_b_deals`` and ``b_to_a_deals`` name them.
    """

    families: tuple[str, ...]
    steps: tuple[Total, ...]
    deals: tuple[tuple[str, ...], ...]
    types: tuple[tuple[str, ...], ...]
    closed_on: dt.date

    @property
    def min_known_usd(self) -> float | None:
        """The smallest known amount along the loop (None when a step has no known amount)."""
        known = [step.known_usd for step in self.steps]
        return None if None in known else min(known)

    @property
    def a(self) -> str:
        return self.families[0]

    @property
    def b(self) -> str:
        return self.families[1]

    @property
    def a_to_b_usd(self) -> float | None:
        return self.steps[0].known_usd

    @property
    def b_to_a_usd(self) -> float | None:
        return self.steps[-1].known_usd

    @property
    def a_to_b_deals(self) -> tuple[str, ...]:
        return self.deals[0]

    @property
    def b_to_a_deals(self) -> tuple[str, ...]:
        return self.deals[-1]

    def to_dict(self) -> dict:
        out = super().to_dict()
        out["min_known_usd"] = self.min_known_usd
        if len(self.families) == 2:
            out.update(a=self.a, b=self.b, a_to_b_usd=self.a_to_b_usd, b_to_a_usd=self.b_to_a_usd,
                       a_to_b_deals=list(self.a_to_b_deals), b_to_a_deals=list(self.b_to_a_deals))
        return out


def _is_investment(kind: str) -> bool:
    return load_vocabulary().is_kind(kind, "investment")


def _investment_totals(g: KnowledgeGraph, side: str, reference: str) -> Table:
    heads = family_heads(g)
    me = g.family_head(reference)
    other_side = "investor" if side == "investee" else "investee"
    # In a secondary sale, an investee's counterpart is the buyer of its shares; an investor's, the issuer.
    my_role, their_role = ("issuer", "buyer") if side == "investee" else ("buyer", "issuer")
    entries: dict[str, dict] = {}

    def entry(other: str) -> dict:
        return entries.setdefault(other, {"committed": [], "contingent": [], "deals": [], "rounds": [],
                                          "shared": [], "secondary": []})

    for deal in counting_deals(g.deals(), include_contingent=True):
        if deal.kind == "secondary-sale":
            if me in {heads[p] for p in deal.parties.get(my_role, ())}:
                for other in sorted({heads[p] for p in deal.parties.get(their_role, ())} - {me}):
                    entry(other)["secondary"].append(deal.id)
            continue
        if not _is_investment(deal.kind):
            continue
        mine = {heads[p] for p in deal.parties.get(side, ())}
        if me not in mine:
            continue
        others = {heads[p] for p in deal.parties.get(other_side, ())} - {me}
        for other in sorted(others):
            record = entry(other)
            if deal.kind == "funding-round":
                record["rounds"].append(deal.id)
            elif len(others) > 1 or len(mine) > 1:
                record["shared"].append(deal.id)
            else:
                record["contingent" if deal.status == "contingent" else "committed"].append(deal.amount_usd)
                record["deals"].append(deal.id)
    records = []
    for other, found in entries.items():
        pair = (other, me) if side == "investee" else (me, other)
        records.append(InvestorTotal(pair[0], pair[1], Total.of(found["committed"]), Total.of(found["contingent"]),
                                     tuple(found["deals"]), tuple(found["rounds"]), tuple(found["shared"]),
                                     tuple(found["secondary"])))
    key = (lambda r: r.investor) if side == "investee" else (lambda r: r.investee)
    return Table(sorted(records, key=lambda r: (-(r.committed_usd or 0.0), -r.committed.undisclosed,
                                                -(r.contingent_usd or 0.0), key(r))))


def investors_of(g: KnowledgeGraph, entity: str) -> Table:
    """Who funds an organization's family, and how much each family put in, largest known sum first.

    ``committed`` counts announced, completed and reported investments, ``contingent`` the money that
    depends on conditions, each a :class:`~kg.model.Total` whose undisclosed parts are counted apart.
    Funding rounds an investor joined (``rounds``) and commitments it shares with other families
    (``shared``) are listed without an amount, since theirs is the group's; secondary purchases of the
    organization's shares (``secondary``) are listed, never counted. Ties are broken by id. O(D).

    Examples
    --------
    >>> import kg
    >>> [(r.investor, r.committed_usd, r.contingent_usd) for r in investors_of(kg.load(), "Anthropic")][:2]
    [('google', 13000000000.0, 30000000000.0), ('amazon', 13000000000.0, 20000000000.0)]
    """
    return _investment_totals(g, "investee", entity)


def investments_by(g: KnowledgeGraph, entity: str) -> Table:
    """Where an organization's family invested, and how much, largest known sum first. O(D).

    >>> import kg
    >>> top = investments_by(kg.load(), "Microsoft")[0]
    >>> top.investee, str(top.committed)
    ('openai', '$13.0B')
    """
    return _investment_totals(g, "investor", entity)


def total_invested(g: KnowledgeGraph, investor: str, investee: str, include_contingent: bool = False) -> Total:
    """What an investor's family alone put into an investee's family; see
    :meth:`kg.graph.KnowledgeGraph.total_invested`. O(D)."""
    investors, investees = g.family(investor), g.family(investee)
    amounts = [
        deal.amount_usd for deal in counting_deals(g.deals(), include_contingent)
        if _is_investment(deal.kind) and deal.kind != "funding-round"
        and (paying := set(deal.parties.get("investor", ()))) and paying <= investors
        and investees & set(deal.parties.get("investee", ()))
    ]
    return Total.of(amounts)


def circular_flows(g: KnowledgeGraph, max_length: int = 2, include_contingent: bool = False,
                   types=None) -> Table:
    """Where value goes in circles between corporate families, over the principal flows of the deals
    that count (:func:`kg.analysis.flow_graph`): money paid, and equity issued (a warrant, a stock
    acquisition), of every type unless ``types`` names some.

    With ``max_length=2`` (the default): pairs of families with value both ways. With a larger
    ``max_length``, longer cycles too (A → B → C → A). A step counts when a deal flows that way, even
    when its amount is undisclosed; each step's amount is a :class:`~kg.model.Total`. Ranked by the
    smallest known step (a step with nothing known ranks as 0), then by length and families.
    Cycles come from networkx's ``simple_cycles`` with a length bound.

    Examples
    --------
    >>> import kg
    >>> loops = circular_flows(kg.load())
    >>> [(f.a, f.b, str(f.steps[0]), str(f.steps[1])) for f in loops if (f.a, f.b) == ("coreweave", "nvidia")]
    [('coreweave', 'nvidia', 'undisclosed', '$9.95B')]
    """
    graph = flow_graph(g, types, include_contingent)
    records = []
    for cycle in nx.simple_cycles(graph, length_bound=max_length):
        if len(cycle) < 2:
            continue
        rotation = cycle.index(min(cycle))
        cycle = cycle[rotation:] + cycle[:rotation]
        steps = [graph[a][b] for a, b in zip(cycle, cycle[1:] + cycle[:1])]
        records.append(Loop(
            tuple(cycle), tuple(edge_total(step) for step in steps), tuple(tuple(step["deals"]) for step in steps),
            tuple(tuple(step["types"]) for step in steps), max(step["first_on"] for step in steps)))
    return Table(sorted(records, key=lambda r: (-(r.min_known_usd or 0.0), len(r.families), r.families)))
