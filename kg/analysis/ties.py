"""Ties between organizations: allies, alliances (blocs) and the chain of deals between two entities."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from kg.analysis.families import attributable_usd, family_head, family_heads, money_families
from kg.analysis.table import Record, Table
from kg.errors import NoPathError

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

TIE_WEIGHTS = {
    "investment": 1.0, "funding-round": 0.6, "compute-commitment": 1.0, "supply": 0.8,
    "partnership": 0.6, "acquisition": 1.0, "acqui-hire": 0.8, "licensing": 0.6, "public-funding": 0.6,
}
"""How much one deal of each kind ties its parties together, before amount and recency."""
RECENCY_HALF_LIFE_YEARS = 4.0
"""A deal's weight halves for every this many years between it and the newest deal in the graph."""


@dataclass(frozen=True)
class Ally(Record):
    """A counterparty family and the strength of its ties, with the deals that make them."""

    ally: str
    strength: float
    total_usd: float
    deals: tuple[str, ...]


@dataclass(frozen=True)
class Alliance(Record):
    """A bloc of families tied closer to each other than to the rest."""

    members: tuple[str, ...]
    hub: str
    total_usd: float
    deals: int


@dataclass(frozen=True)
class Hop(Record):
    """One step of a path: from an entity to the next, through a deal or a structural link."""

    source: str
    target: str
    relation: str
    deal: str | None = None
    source_role: str | None = None
    target_role: str | None = None


def _tie_strengths(g: KnowledgeGraph) -> dict[frozenset, dict]:
    """For every pair of families that share a live deal: strength, attributable money and deals."""
    heads = family_heads(g)
    deals = [deal for deal in g.deals() if deal.status != "terminated" and not g.tranches(deal.id)]
    newest = max((deal.announced_on for deal in deals), default=dt.date.today())
    ties: dict[frozenset, dict] = {}
    for deal in deals:
        families = sorted({heads[p] for p in deal.party_ids})
        years = (newest - deal.announced_on).days / 365.25
        weight = TIE_WEIGHTS[deal.kind] * 0.5 ** (years / RECENCY_HALF_LIFE_YEARS)
        weight *= 1 + math.log10(1 + (deal.amount_usd or 0) / 1e8)
        if deal.status == "contingent":
            weight *= 0.5
        payers, receivers = money_families(deal, heads)
        money = 0.0 if deal.status == "contingent" else attributable_usd(g, deal, payers, receivers)
        for i, first in enumerate(families):
            for second in families[i + 1:]:
                tie = ties.setdefault(frozenset((first, second)), {"strength": 0.0, "usd": 0.0, "deals": []})
                tie["strength"] += weight
                tie["usd"] += money
                tie["deals"].append(deal.id)
    return ties


def allies(g: KnowledgeGraph, entity: str) -> Table:
    """An organization's closest allies: counterparty families ranked by tie strength.

    Each deal the two families share (terminated ones and umbrellas with tranches excepted) adds::

        TIE_WEIGHTS[kind] × (1 + log10(1 + amount_usd / 100M)) × 0.5 ^ (years before the newest deal / 4)

    halved again for a contingent deal. So a tie grows with the number of deals, their kind and size,
    and how recent they are. Deals of subsidiaries count for their family. Ties are broken by id.
    O(D × P²) over deals and their parties.

    Examples
    --------
    >>> import kg
    >>> g = kg.load()
    >>> allies(g, "Amazon")[0].ally, allies(g, "Microsoft")[0].ally
    ('anthropic', 'openai')
    """
    me = family_head(g, entity)
    records = [
        Ally(next(iter(pair - {me})), round(tie["strength"], 6), tie["usd"], tuple(tie["deals"]))
        for pair, tie in _tie_strengths(g).items() if me in pair
    ]
    return Table(sorted(records, key=lambda r: (-r.strength, r.ally)))


def alliances(g: KnowledgeGraph) -> Table:
    """Blocs of families, by community detection (Louvain, fixed seed) on the tie strengths.

    Each bloc has its ``members`` (by id), its ``hub`` (the member with the strongest ties inside the
    bloc), ``total_usd`` (attributable money of the deals among members) and the number of those deals.
    Blocs come largest in money first. Deterministic for a given graph. O(D × P² + E log E).

    >>> import kg
    >>> blocs = alliances(kg.load())
    >>> any({"amazon", "anthropic"} <= set(bloc.members) for bloc in blocs)
    True
    """
    ties = _tie_strengths(g)
    tie_graph = nx.Graph()
    for pair, tie in sorted(ties.items(), key=lambda item: sorted(item[0])):
        first, second = sorted(pair)
        tie_graph.add_edge(first, second, weight=tie["strength"])
    if tie_graph.number_of_nodes() == 0:
        return Table()
    blocs = nx.community.louvain_communities(tie_graph, weight="weight", seed=0)
    records = []
    for bloc in blocs:
        inside = tie_graph.subgraph(bloc)
        hub = max(sorted(bloc), key=lambda member: inside.degree(member, weight="weight"))
        deals = {deal for pair, tie in ties.items() if pair <= bloc for deal in tie["deals"]}
        usd = sum(tie["usd"] for pair, tie in ties.items() if pair <= bloc)
        records.append(Alliance(tuple(sorted(bloc)), hub, usd, len(deals)))
    return Table(sorted(records, key=lambda r: (-r.total_usd, -len(r.members), r.members)))


def path(g: KnowledgeGraph, source: str, target: str) -> Table:
    """The shortest chain of links from one entity to another, each hop with the deal that explains it.

    Links are the deals two entities share (not terminated), ownership (``parent``) and making a
    product (``maker``); two co-investors of one round are linked through it only when no deal links
    them directly. Among chains of equal length, the one through the smallest ids is chosen, each hop
    explained by the oldest deal.
    Breadth-first search: O(V + E).

    Raises
    ------
    NoPathError
        When nothing links the two.

    Examples
    --------
    >>> import kg
    >>> for hop in path(kg.load(), "Trainium", "Broadcom"):
    ...     print(hop.source, "->", hop.target, "by", hop.deal or hop.relation)
    trainium -> amazon by maker
    amazon -> anthropic by amazon-anthropic-2023-09-tranche
    anthropic -> broadcom by anthropic-broadcom-ironwood-order-10b-2025
    """
    start, goal = g.entity(source).id, g.entity(target).id
    links: dict[str, dict[str, Hop]] = defaultdict(dict)

    def link(hop: Hop) -> None:
        for a, b, hop_ab in ((hop.source, hop.target, hop),
                             (hop.target, hop.source, Hop(hop.target, hop.source, hop.relation, hop.deal,
                                                          hop.target_role, hop.source_role))):
            if b not in links[a]:
                links[a][b] = hop_ab

    live = [deal for deal in g.deals() if deal.status != "terminated"]
    # Counterparties first (investor and investee, customer and provider, partners), so that two
    # co-investors of one round are linked through it only when nothing more direct links them.
    for same_role in (False, True):
        for deal in live:
            members = sorted((party, role) for role, ids in deal.parties.items() for party in ids)
            for i, (first, first_role) in enumerate(members):
                for second, second_role in members[i + 1:]:
                    if first != second and (first_role == second_role and first_role != "partner") == same_role:
                        link(Hop(first, second, "deal", deal.id, first_role, second_role))
    for entity in g.entities():
        if entity.parent:
            link(Hop(entity.id, entity.parent, "parent"))
        if entity.maker:
            link(Hop(entity.id, entity.maker, "maker"))
    previous: dict[str, Hop | None] = {start: None}
    frontier = [start]
    while frontier and goal not in previous:
        following = []
        for node in frontier:
            for neighbour in sorted(links[node]):
                if neighbour not in previous:
                    previous[neighbour] = links[node][neighbour]
                    following.append(neighbour)
        frontier = following
    if goal not in previous:
        raise NoPathError(f"nothing links {g.entity(source).name} to {g.entity(target).name}")
    hops = []
    node = goal
    while previous[node] is not None:
        hops.append(previous[node])
        node = previous[node].source
    return Table(reversed(hops))
