"""Value flows between corporate families: every deal's flows (:mod:`kg.flows`), and the family-level
graph they make.

In the flow graph, an edge from one family to another gathers the flows of one direction: the money (or
equity, compute, service, licence) one family's members pay the other's. Its amount is the sum of the
amounts that belong to that pair alone; an amount that several payers or payees share belongs to the
group, so the edge counts the flow (``shared``) but not its amount; a flow without a disclosed amount is
counted in ``undisclosed``, never as zero. Flows inside one family are left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import networkx as nx

from kg.analysis.families import family_heads
from kg.analysis.table import Table
from kg.flows import FLOW_TYPES, ValueFlow, deal_flows, reading_deals
from kg.model import Total

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


def flows(g: KnowledgeGraph, kind: str | None = None, reading: str = "committed") -> Table:
    """Every flow of the deals that count under a reading (:data:`kg.flows.READINGS`: ``ceiling``,
    ``committed``, ``closed``), oldest first, optionally of one type (``money``, ``equity``, ``compute``,
    ``service``, ``licence``). O(D).

    >>> import kg
    >>> money = flows(kg.load(), "money")
    >>> [(f.payers, f.payees, f.amount_usd) for f in money if f.deal == "amazon-anthropic-2026-04"]
    [(('amazon',), ('anthropic',), 5000000000.0)]
    """
    if kind is not None and kind not in FLOW_TYPES:
        raise ValueError(f"unknown flow type {kind!r}; use one of: {', '.join(FLOW_TYPES)}")
    return Table(flow for deal in reading_deals(g.deals(), reading) for flow in deal_flows(deal)
                 if kind is None or flow.type == kind)


def family_sides(flow: ValueFlow, heads: dict[str, str]) -> tuple[set[str], set[str]]:
    """The families a flow comes from and goes to."""
    return {heads[p] for p in flow.payers}, {heads[p] for p in flow.payees}


def exchange(flow: ValueFlow, deal_flows_: list[ValueFlow]) -> str:
    """What a principal flow buys: the type of what comes back for it in the same deal (``equity`` for an
    investment, ``compute`` for a compute purchase, ``service``, ``licence``), or its own type when
    nothing comes back (``money`` for a grant, ``equity`` for a warrant)."""
    back = sorted({other.type for other in deal_flows_ if not other.principal and set(other.payers) & set(flow.payees)})
    return back[0] if back else flow.type


def flow_graph(g: KnowledgeGraph, types: Iterable[str] | None = None, reading: str = "committed",
               principal_only: bool = True) -> nx.DiGraph:
    """The flows between corporate families as a ``networkx.DiGraph`` whose nodes are family heads.

    Each edge has ``known_usd`` (the sum of the amounts that belong to that pair of families alone, None
    when none is known), ``undisclosed`` (how many of those flows have no disclosed amount), ``shared``
    (how many flows it carries whose amount is a group's), ``types``, ``exchanges`` (what each principal
    flow buys: see :func:`exchange`), ``deals`` and ``flows`` (the :class:`~kg.flows.ValueFlow` records),
    with, flow by flow, ``own`` (its amount where it belongs to this pair alone, else None) and ``buys``
    (what it buys, None for a flow that is not principal), and ``first_on`` (the date of its oldest flow). ``reading`` says which deals count
    (:data:`kg.flows.READINGS`). ``principal_only`` keeps the flows the deals' amounts measure (money for
    an investment or a purchase, equity for a warrant), leaving out what comes back for them. O(D) on
    the first call; later calls with the same arguments return the same graph, frozen (copy it with
    ``networkx.DiGraph(graph)`` to change it).

    >>> import kg
    >>> money = flow_graph(kg.load(), types=["money"])
    >>> money["amazon"]["anthropic"]["known_usd"] > 0, money["amazon"]["anthropic"]["exchanges"]
    (True, ['equity'])
    """
    wanted = set(FLOW_TYPES if types is None else types)
    unknown = wanted - set(FLOW_TYPES)
    if unknown:
        raise ValueError(f"unknown flow type {sorted(unknown)[0]!r}; use any of: {', '.join(FLOW_TYPES)}")
    key = ("flow_graph", tuple(sorted(wanted)), reading, principal_only)
    return g.kept(key, lambda: nx.freeze(_build_flow_graph(g, wanted, reading, principal_only)))


def _build_flow_graph(g: KnowledgeGraph, wanted: set[str], reading: str, principal_only: bool) -> nx.DiGraph:
    heads = family_heads(g)
    graph = nx.DiGraph()
    for deal in reading_deals(g.deals(), reading):
        of_deal = deal_flows(deal)
        for flow in of_deal:
            if flow.type not in wanted or (principal_only and not flow.principal):
                continue
            _add_flow(graph, flow, family_sides(flow, heads), exchange(flow, of_deal) if flow.principal else None)
    return graph


def _add_flow(graph: nx.DiGraph, flow: ValueFlow, sides: tuple[set[str], set[str]], bought: str | None) -> None:
    payers, payees = sides
    sole = len(payers) == 1 and len(payees) == 1
    for payer in sorted(payers):
        for payee in sorted(payees):
            if payer == payee:
                continue
            if not graph.has_edge(payer, payee):
                graph.add_edge(payer, payee, known_usd=None, undisclosed=0, shared=0, types=[], exchanges=[],
                               deals=[], flows=[], own=[], buys=[], first_on=flow.announced_on)
            edge = graph[payer][payee]
            if not sole:
                edge["shared"] += 1
            elif flow.amount_usd is None:
                if flow.principal:  # what comes back for a deal has no amount of its own to disclose
                    edge["undisclosed"] += 1
            else:
                edge["known_usd"] = (edge["known_usd"] or 0.0) + flow.amount_usd
            if flow.type not in edge["types"]:
                edge["types"].append(flow.type)
            if bought is not None and bought not in edge["exchanges"]:
                edge["exchanges"].append(bought)
            if flow.deal not in edge["deals"]:
                edge["deals"].append(flow.deal)
            edge["flows"].append(flow)
            edge["own"].append(flow.amount_usd if sole else None)
            edge["buys"].append(bought)
            edge["first_on"] = min(edge["first_on"], flow.announced_on)


def edge_total(data: dict) -> Total:
    """A flow-graph edge's amount as a :class:`~kg.model.Total`."""
    return Total(data["known_usd"], data["undisclosed"], data["shared"])
