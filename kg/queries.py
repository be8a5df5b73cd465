"""Questions about alliances, as plain functions over a :class:`~kg.graph.KnowledgeGraph`.

Each function takes the graph first and returns small typed records with a ``to_dict()``; lists of
records come as a :class:`Table`, which converts to a pandas DataFrame when pandas is installed. The
graph offers each function as a method too (``g.allies("Amazon")``), and every one works on
``g.as_of(date)``.

Corporate families: an organization and everything it owns, directly or through others, named by
its top-most owner (its *head*). Deals of a subsidiary count for its family: Amazon Web Services'
deals are Amazon's.

Money flows from paying roles (investor, customer, acquirer, licensee) to receiving roles (investee,
provider, acquiree, licensor). An amount counts for a pair of families only when the deal has one
paying family and one receiving family, is not a funding round (whose amount is the round's, not any
one investor's), and is not an umbrella agreement with tranches (its tranches count instead).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import networkx as nx

from kg.errors import NoPathError
from kg.graph import COMMITTED_STATUSES
from kg.model import Deal, format_partial_date
from kg.vocabulary import load_vocabulary

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

TIE_WEIGHTS = {
    "investment": 1.0, "funding-round": 0.6, "compute-commitment": 1.0, "supply": 0.8,
    "partnership": 0.6, "acquisition": 1.0, "acqui-hire": 0.8, "licensing": 0.6, "public-funding": 0.6,
}
"""How much one deal of each kind ties its parties together, before amount and recency."""
RECENCY_HALF_LIFE_YEARS = 4.0
"""A deal's weight halves for every this many years between it and the newest deal in the graph."""


class Table(list):
    """A list of records that also converts to dicts and, with pandas installed, to a DataFrame."""

    def to_dicts(self) -> list[dict]:
        return [record.to_dict() for record in self]

    def to_frame(self):
        """A pandas DataFrame with a column per field (pandas is optional: install it to use this)."""
        try:
            import pandas
        except ImportError:
            raise ImportError("to_frame() needs pandas: pip install pandas") from None
        return pandas.DataFrame(self.to_dicts())


class _Record:
    def to_dict(self) -> dict:
        out = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = [v.to_dict() if isinstance(v, _Record) else list(v) if isinstance(v, tuple) else v for v in value]
            out[item.name] = value
        return out


@dataclass(frozen=True)
class InvestorTotal(_Record):
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
class Ally(_Record):
    """A counterparty family and the strength of its ties, with the deals that make them."""

    ally: str
    strength: float
    total_usd: float
    deals: tuple[str, ...]


@dataclass(frozen=True)
class Alliance(_Record):
    """A bloc of families tied closer to each other than to the rest."""

    members: tuple[str, ...]
    hub: str
    total_usd: float
    deals: int


@dataclass(frozen=True)
class Hop(_Record):
    """One step of a path: from an entity to the next, through a deal or a structural link."""

    source: str
    target: str
    relation: str
    deal: str | None = None
    source_role: str | None = None
    target_role: str | None = None


@dataclass(frozen=True)
class Flow(_Record):
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


@dataclass(frozen=True)
class Commitment(_Record):
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
class ComputeSecured(_Record):
    """Everything a family has secured, and the gigawatts summed as stated (read each qualifier)."""

    entity: str
    commitments: tuple[Commitment, ...]
    total_gw: float


@dataclass(frozen=True)
class Event(_Record):
    """One dated fact about an entity: a deal or a valuation."""

    date: dt.date
    precision: str
    kind: str
    id: str
    title: str
    amount_usd: float | None
    qualifier: str | None
    status: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Claim(_Record):
    """One source's version of a disputed figure."""

    record: str
    amount_usd: float | None
    qualifier: str | None
    detail: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Conflict(_Record):
    """A figure that different sources report differently."""

    subject: str
    topic: str
    claims: tuple[Claim, ...]


# -------------------------------------------------------------------------------------------------
# Families and money


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


def _heads(g: KnowledgeGraph) -> dict[str, str]:
    return {entity.id: family_head(g, entity.id) for entity in g.entities()}


def _live(g: KnowledgeGraph, include_contingent: bool = False) -> list[Deal]:
    statuses = COMMITTED_STATUSES | ({"contingent"} if include_contingent else set())
    return [deal for deal in g.deals() if deal.status in statuses]


def _attributable(g: KnowledgeGraph, deal: Deal, payers: set[str], receivers: set[str]) -> float:
    """The deal's US dollars when they can be put on one pair of families, else 0."""
    if (deal.amount_usd is None or deal.kind == "funding-round" or g.tranches(deal.id)
            or len(payers) != 1 or len(receivers) != 1):
        return 0.0
    return deal.amount_usd


def _money_families(deal: Deal, heads: dict[str, str]) -> tuple[set[str], set[str]]:
    """The families a deal's money flows from, and those it flows to."""
    payers, receivers = load_vocabulary().money_sides(deal.parties)
    return {heads[p] for p in payers}, {heads[p] for p in receivers}


def _money_edges(g: KnowledgeGraph, include_contingent: bool = False) -> dict[tuple[str, str], list[tuple[str, float]]]:
    """(payer family, receiver family) → [(deal id, attributable US dollars), ...]."""
    heads = _heads(g)
    edges: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
    for deal in _live(g, include_contingent):
        if g.tranches(deal.id):
            continue  # its tranches stand for it
        payers, receivers = _money_families(deal, heads)
        amount = _attributable(g, deal, payers, receivers)
        for payer in payers:
            for receiver in receivers:
                if payer != receiver:
                    edges[(payer, receiver)].append((deal.id, amount))
    return edges


# -------------------------------------------------------------------------------------------------
# Investors


def _investment_totals(g: KnowledgeGraph, side: str, reference: str) -> Table:
    heads = _heads(g)
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


# -------------------------------------------------------------------------------------------------
# Allies and alliances


def _tie_strengths(g: KnowledgeGraph) -> dict[frozenset, dict]:
    """For every pair of families that share a live deal: strength, attributable money and deals."""
    heads = _heads(g)
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
        payers, receivers = _money_families(deal, heads)
        money = 0.0 if deal.status == "contingent" else _attributable(g, deal, payers, receivers)
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


# -------------------------------------------------------------------------------------------------
# Paths and flows


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
    edges = _money_edges(g, include_contingent)
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


# -------------------------------------------------------------------------------------------------
# Compute, timelines, conflicts


def compute_secured(g: KnowledgeGraph, entity: str) -> ComputeSecured:
    """Compute and supply commitments an organization's family secured as a customer, oldest first.

    ``total_gw`` adds the gigawatts as stated; a figure may be a ceiling ("up to") or a floor ("more
    than"), so read each commitment's ``power_qualifier``. Terminated deals are left out. O(D).

    >>> import kg
    >>> secured = compute_secured(kg.load(), "Anthropic")
    >>> [(c.providers, c.power_gw, c.power_qualifier) for c in secured.commitments if c.deal == "anthropic-aws-2026-04-compute"]
    [(('amazon-web-services',), 5.0, 'up-to')]
    """
    heads = _heads(g)
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


def timeline(g: KnowledgeGraph, entity: str) -> Table:
    """Every dated fact about an entity: its family's deals and its valuations, oldest first. O(D + V).

    >>> import kg
    >>> [e.id for e in timeline(kg.load(), "Annapurna Labs")]
    ['amazon-annapurna-labs-2015']
    """
    record = g.entity(entity)
    members = g.family(record.id)
    deals = g.deals(product=record.id) if record.is_product else \
        [d for d in g.deals() if members & set(d.party_ids)]
    events = [Event(d.announced_on, d.announced_precision, d.kind, d.id, d.title, d.amount_usd,
                    d.amount_qualifier, d.status, d.sources) for d in deals]
    if not record.is_product:
        events += [Event(v.date, v.date_precision, "valuation", v.id,
                         f"valued {v.basis or ''}".strip(), v.amount_usd, v.amount.qualifier, v.status, v.sources)
                   for v in g.valuations(record.id)]
    return Table(sorted(events, key=lambda e: (e.date, e.kind != "valuation", e.id)))


def conflicts(g: KnowledgeGraph) -> Table:
    """Figures that sources report differently, each claim with its own sources.

    Two valuations of one organization disagree when they name the same deal, or the same day with no
    deal, and state different amounts. Two deals disagree when they have the same kind, parties and
    announcement date but different amounts. O(V log V + D log D).

    >>> import kg
    >>> [[claim.amount_usd for claim in c.claims] for c in conflicts(kg.load()) if c.topic == "amazon-anthropic-2026-04"]
    [[350000000000.0, 380000000000.0]]
    """
    groups: dict[tuple[str, str], list] = defaultdict(list)
    figures: dict[str, tuple] = {}
    for valuation in g.dataset.valuations:
        topic = valuation.deal or format_partial_date(valuation.date, valuation.date_precision)
        groups[(valuation.entity, topic)].append(Claim(valuation.id, valuation.amount_usd, valuation.amount.qualifier,
                                                       valuation.basis, valuation.sources))
        figures[valuation.id] = (valuation.amount,)
    for deal in g.deals():
        if deal.part_of or g.tranches(deal.id):
            continue
        parties = ",".join(f"{role}={'+'.join(sorted(ids))}" for role, ids in sorted(deal.parties.items()))
        topic = f"{deal.kind} {parties} {format_partial_date(deal.announced_on, deal.announced_precision)}"
        groups[(deal.party_ids[0], topic)].append(Claim(deal.id, deal.amount_usd, deal.amount_qualifier,
                                                        deal.title, deal.sources))
        figures[deal.id] = (deal.amount, deal.power, deal.chips, deal.customers)
    bases = {valuation.id: valuation.basis for valuation in g.dataset.valuations}
    contingent = {deal.id for deal in g.deals() if deal.status == "contingent"}

    def disagree(first: Claim, second: Claim) -> bool:
        # A pre-money and a post-money figure of one round differ by design, and so do money promised now
        # and money that depends on conditions; an unstated basis may be either.
        one, other = bases.get(first.record), bases.get(second.record)
        comparable = (one is None or other is None or one == other) and \
            ((first.record in contingent) == (second.record in contingent))
        return comparable and figures[first.record] != figures[second.record]

    records = []
    for (subject, topic), claims in sorted(groups.items()):
        disputed = {claim for claim in claims for other in claims if disagree(claim, other)}
        if disputed:
            records.append(Conflict(subject, topic, tuple(sorted(disputed, key=lambda c: (c.amount_usd or 0, c.record)))))
    return Table(records)


__all__ = [
    "Alliance", "Ally", "Claim", "Commitment", "ComputeSecured", "Conflict", "Event", "Flow", "Hop",
    "InvestorTotal", "Table", "alliances", "allies", "circular_flows", "compute_secured", "conflicts",
    "family_head", "investments_by", "investors_of", "path", "timeline",
]
