"""Ties between organizations: allies, alliances (blocs) and the chain of deals between two entities.

Two families are *counterparties* in a deal when value flows between them (an investor and its
investee, a customer and its provider) or when both are partners of a partnership. Two families on the
same side of a deal (two co-investors of one round, two customers of one contract) are only
*co-parties*: theirs is a weak tie, which weighs :data:`CO_PARTY_WEIGHT` of a counterparty tie, never
ranks an ally above a counterparty, and links a path only where nothing else does.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from kg.analysis.families import family_head, family_heads
from kg.analysis.flows import family_sides
from kg.analysis.table import Record, Table
from kg.errors import NoPathError
from kg.flows import ValueFlow, counting_deals, deal_flows
from kg.model import Deal, Total

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

TIE_WEIGHTS = {
    "investment": 1.0, "vendor-financing": 1.0, "funding-round": 0.6, "secondary-sale": 0.4, "warrant": 1.0,
    "compute-commitment": 1.0, "capacity-backstop": 1.0, "supply": 0.8, "partnership": 0.6,
    "acquisition": 1.0, "stock-acquisition": 1.0, "acqui-hire": 0.8, "licensing": 0.6, "public-funding": 0.6,
}
"""How much one deal of each kind ties its parties together, before amount and recency; a test keeps the
kinds in step with the ontology."""
RECENCY_HALF_LIFE_YEARS = 4.0
"""A deal's weight halves for every this many years between it and the newest deal in the graph."""
CO_PARTY_WEIGHT = 0.1
"""What a tie between two parties on the same side of a deal weighs, against a counterparty tie."""


@dataclass(frozen=True)
class Ally(Record):
    """A family tied to another, the strength of the tie, and the deals that make it.

    ``counterparty`` is true when the two deal with each other (not only side by side); ``money`` is
    the money attributable to the pair alone, both ways, as a :class:`~kg.model.Total`.
    """

    ally: str
    strength: float
    counterparty: bool
    money: Total
    deals: tuple[str, ...]

    @property
    def total_usd(self) -> float | None:
        """The known money between the two (None when none is disclosed)."""
        return self.money.known_usd


@dataclass(frozen=True)
class Alliance(Record):
    """A bloc of families tied closer to each other than to the rest."""

    members: tuple[str, ...]
    hub: str
    total_usd: float | None
    deals: int


@dataclass(frozen=True)
class Hop(Record):
    """One step of a path: from an entity to the next, through a deal or a structural link.

    ``relation`` is ``"deal"`` (counterparties of ``deal``), ``"co-party"`` (both on one side of
    ``deal``: a weak tie, used only where nothing else links), ``"parent"`` or ``"maker"``.
    """

    source: str
    target: str
    relation: str
    deal: str | None = None
    source_role: str | None = None
    target_role: str | None = None


def _counterparty_pairs(deal: Deal, flows: list[ValueFlow], heads: dict[str, str]) -> set[frozenset]:
    """The pairs of families a deal's flows connect, or its partners."""
    pairs = set()
    for flow in flows:
        payers, payees = family_sides(flow, heads)
        pairs |= {frozenset((a, b)) for a in payers for b in payees if a != b}
    partners = sorted({heads[p] for p in deal.parties.get("partner", ())})
    pairs |= {frozenset((a, b)) for i, a in enumerate(partners) for b in partners[i + 1:]}
    return pairs


def _money_between(flows: list[ValueFlow], heads: dict[str, str]) -> dict[frozenset, float | None]:
    """The money of a deal's principal money flows that belongs to one pair of families alone."""
    money = {}
    for flow in flows:
        payers, payees = family_sides(flow, heads)
        if flow.type == "money" and flow.principal and len(payers) == len(payees) == 1 and payers != payees:
            money[frozenset(payers | payees)] = flow.amount_usd
    return money


def _tie_strengths(g: KnowledgeGraph) -> dict[frozenset, dict]:
    """For every pair of families that share a deal that counts (contingent ones too): strength, whether
    they are counterparties, the money attributable to them alone, and the deals. Computed once per
    graph (``g.memo``)."""
    return g.kept("ties", lambda: _measure_ties(g))


def _ties_of(g: KnowledgeGraph) -> dict[str, list[tuple[str, dict]]]:
    """Each family's ties, by family: the index that makes :func:`allies` O(its ties)."""
    return g.kept("ties_of", lambda: _index_ties(_tie_strengths(g)))


def _index_ties(ties: dict[frozenset, dict]) -> dict[str, list[tuple[str, dict]]]:
    ties_of: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for pair, tie in ties.items():
        first, second = sorted(pair)
        ties_of[first].append((second, tie))
        ties_of[second].append((first, tie))
    return dict(ties_of)


def _measure_ties(g: KnowledgeGraph) -> dict[frozenset, dict]:
    heads = family_heads(g)
    deals = counting_deals(g.deals(), include_contingent=True)
    newest = max((deal.announced_on for deal in deals), default=dt.date.today())
    ties: dict[frozenset, dict] = {}
    for deal in deals:
        families = sorted({heads[p] for p in deal.party_ids})
        years = (newest - deal.announced_on).days / 365.25
        weight = TIE_WEIGHTS[deal.kind] * 0.5 ** (years / RECENCY_HALF_LIFE_YEARS)
        weight *= 1 + math.log10(1 + (deal.amount_usd or 0) / 1e8)
        if deal.status == "contingent":
            weight *= 0.5
        flows = deal_flows(deal)
        counterparties = _counterparty_pairs(deal, flows, heads)
        money = {} if deal.status == "contingent" else _money_between(flows, heads)
        for i, first in enumerate(families):
            for second in families[i + 1:]:
                pair = frozenset((first, second))
                tie = ties.setdefault(pair, {"strength": 0.0, "counterparty": False, "money": [], "deals": []})
                counterparty = pair in counterparties
                tie["strength"] += weight if counterparty else weight * CO_PARTY_WEIGHT
                tie["counterparty"] |= counterparty
                if pair in money:
                    tie["money"].append(money[pair])
                tie["deals"].append(deal.id)
    return ties


def allies(g: KnowledgeGraph, entity: str) -> Table:
    """An organization's closest allies: the families it shares deals with, counterparties first, each
    group ranked by tie strength.

    Each deal the two families share (those that count, contingent ones too) adds::

        TIE_WEIGHTS[kind] × (1 + log10(1 + amount_usd / 100M)) × 0.5 ^ (years before the newest deal / 4)

    halved for a contingent deal, and weighted by ``CO_PARTY_WEIGHT`` (0.1) where the two are only on
    the same side of it (co-investors): so a tie grows with the number of deals, their kind and size, and
    how recent they are, and a co-investor never outranks a counterparty. Deals of subsidiaries count for
    their family. Ties are broken by id. The first question of a graph measures every tie, O(D × P²)
    over deals and their parties; later ones read an index, O(T log T) in the family's T ties.

    Examples
    --------
    >>> import kg
    >>> g = kg.load()
    >>> allies(g, "Amazon")[0].ally, allies(g, "Microsoft")[0].ally
    ('anthropic', 'openai')
    """
    me = family_head(g, entity)
    records = [
        Ally(other, round(tie["strength"], 6), tie["counterparty"], Total.of(tie["money"]), tuple(tie["deals"]))
        for other, tie in _ties_of(g).get(me, ())
    ]
    return Table(sorted(records, key=lambda r: (not r.counterparty, -r.strength, r.ally)))


COMMUNITY_BACKENDS = ("networkx", "igraph")
"""Where :func:`alliances` finds blocs: networkx's Louvain (the default, always installed) or igraph's
Leiden (``pip install "aikg[fast]"``), about three times faster on a million triples."""


def alliances(g: KnowledgeGraph, backend: str = "networkx") -> Table:
    """Blocs of families, by community detection on the tie strengths (fixed seed).

    ``backend`` is ``"networkx"`` (Louvain) or ``"igraph"`` (Leiden, faster on large graphs). Both
    maximise modularity from a fixed seed, so each is deterministic for a given graph; like two seeds of
    one method they may draw a border differently (see the README's "Queries at scale").

    Each bloc has its ``members`` (by id), its ``hub`` (the member with the strongest ties inside the
    bloc), ``total_usd`` (known money attributable to pairs of members, None when none is known) and
    the number of deals among members. Blocs come largest in known money first. O(D × P² + E log E) on
    the first call; later calls on the same graph read the blocs back.

    >>> import kg
    >>> blocs = alliances(kg.load())
    >>> any({"amazon", "anthropic"} <= set(bloc.members) for bloc in blocs)
    True
    """
    if backend not in COMMUNITY_BACKENDS:
        raise ValueError(f"unknown backend {backend!r}: use one of {', '.join(COMMUNITY_BACKENDS)}")
    return Table(g.kept(("alliances", backend), lambda: _find_alliances(g, backend)))


def _find_alliances(g: KnowledgeGraph, backend: str) -> list[Alliance]:
    ties = _tie_strengths(g)
    tie_graph = nx.Graph()
    for pair, tie in sorted(ties.items(), key=lambda item: sorted(item[0])):
        first, second = sorted(pair)
        tie_graph.add_edge(first, second, weight=tie["strength"])
    if tie_graph.number_of_nodes() == 0:
        return []
    if backend == "igraph":
        blocs = _leiden(tie_graph)
    else:
        blocs = nx.community.louvain_communities(tie_graph, weight="weight", seed=0)
    ties_of = _ties_of(g)
    records = []
    for bloc in blocs:
        inside = tie_graph.subgraph(bloc)
        hub = max(sorted(bloc), key=lambda member: inside.degree(member, weight="weight"))
        among = [tie for member in bloc for other, tie in ties_of.get(member, ()) if other in bloc and member < other]
        deals = {deal for tie in among for deal in tie["deals"]}
        money = Total.of([amount for tie in among for amount in tie["money"]])
        records.append(Alliance(tuple(sorted(bloc)), hub, money.known_usd, len(deals)))
    return sorted(records, key=lambda r: (-(r.total_usd or 0.0), -len(r.members), r.members))


def _leiden(tie_graph: nx.Graph) -> list[set[str]]:
    """Blocs by igraph's Leiden algorithm (modularity, iterated until stable), seeded like Louvain."""
    import random

    try:
        import igraph
    except ImportError:
        raise ImportError('the igraph backend needs igraph: pip install "aikg[fast]"') from None
    nodes = list(tie_graph)
    index = {node: i for i, node in enumerate(nodes)}
    graph = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in tie_graph.edges()])
    graph.es["weight"] = [weight for _, _, weight in tie_graph.edges(data="weight")]
    igraph.set_random_number_generator(random.Random(0))
    try:
        clusters = graph.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
    finally:
        igraph.set_random_number_generator(random)
    return [{nodes[i] for i in cluster} for cluster in clusters]


def path(g: KnowledgeGraph, source: str, target: str) -> Table:
    """The shortest chain of links from one entity to another, each hop with the deal that explains it.

    Links are the deals two entities are counterparties in (see the module's notes; not terminated),
    ownership on the graph's date (``parent``) and making a product (``maker``). Only when these do not
    connect the two are co-parties linked too (two co-investors of one round): such a hop has the
    relation ``"co-party"``, so the answer says it rests on a weak tie. Among chains of equal length,
    the one through the smallest ids is chosen, each hop explained by the oldest deal.
    Breadth-first search, O(V + E), over links found once per graph (O(D × P²) on the first call).

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
    strong, any_link = _links(g)
    previous = _breadth_first(strong, start, goal)
    if goal not in previous:
        previous = _breadth_first(any_link, start, goal)
    if goal not in previous:
        raise NoPathError(f"nothing links {g.entity(source).name} to {g.entity(target).name}")
    hops = []
    node = goal
    while previous[node] is not None:
        hops.append(previous[node])
        node = previous[node].source
    return Table(reversed(hops))


def _links(g: KnowledgeGraph) -> tuple[dict[str, dict[str, Hop]], dict[str, dict[str, Hop]]]:
    """The strong links (counterparties, ownership, makers) and every link (co-parties too) of each entity,
    as ``{entity: {neighbour: hop}}``; the first hop found between two stands for the pair. Built once
    per graph (``g.memo``), O(D × P²)."""
    return g.kept("links", lambda: _find_links(g))


def _find_links(g: KnowledgeGraph) -> tuple[dict[str, dict[str, Hop]], dict[str, dict[str, Hop]]]:
    strong: dict[str, dict[str, Hop]] = defaultdict(dict)
    weak: dict[str, dict[str, Hop]] = defaultdict(dict)

    def link(links: dict, hop: Hop) -> None:
        for a, b, hop_ab in ((hop.source, hop.target, hop),
                             (hop.target, hop.source, Hop(hop.target, hop.source, hop.relation, hop.deal,
                                                          hop.target_role, hop.source_role))):
            if b not in links[a]:
                links[a][b] = hop_ab

    for deal in g.deals():
        if deal.status == "terminated":
            continue
        flows = deal_flows(deal)
        members = sorted((party, role) for role, ids in deal.parties.items() for party in ids)
        for i, (first, first_role) in enumerate(members):
            for second, second_role in members[i + 1:]:
                if first == second:
                    continue
                across = first_role == second_role == "partner" or any(
                    {first, second} <= {*flow.payers, *flow.payees} and not {first, second} <= set(flow.payers)
                    and not {first, second} <= set(flow.payees) for flow in flows)
                link(strong if across else weak,
                     Hop(first, second, "deal" if across else "co-party", deal.id, first_role, second_role))
    for entity in g.entities():
        if (parent := g.parent_of(entity.id)) is not None:
            link(strong, Hop(entity.id, parent, "parent"))
        if entity.maker:
            link(strong, Hop(entity.id, entity.maker, "maker"))
    any_link = defaultdict(dict, {node: dict(neighbours) for node, neighbours in weak.items()})
    for node, neighbours in strong.items():
        any_link[node].update(neighbours)  # a strong link stands for a weak one between the same two

    def by_id(links: dict[str, dict[str, Hop]]) -> dict[str, dict[str, Hop]]:
        return {node: dict(sorted(neighbours.items())) for node, neighbours in links.items()}

    return by_id(strong), by_id(any_link)


def _breadth_first(links: dict[str, dict[str, Hop]], start: str, goal: str) -> dict[str, Hop | None]:
    """The hop that first reached each node from ``start``, until ``goal`` is reached (neighbours in id
    order, as :func:`_links` keeps them)."""
    previous: dict[str, Hop | None] = {start: None}
    frontier = [start]
    while frontier and goal not in previous:
        following = []
        for node in frontier:
            for neighbour in links.get(node, ()):
                if neighbour not in previous:
                    previous[neighbour] = links[node][neighbour]
                    following.append(neighbour)
        frontier = following
    return previous
