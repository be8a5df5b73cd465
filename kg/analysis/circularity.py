"""How circular the money web is: loops between corporate families, their scores, hubs, and the
circularity index, over the principal flows of the flow graph (:func:`kg.analysis.flow_graph`).

A **loop** is a cycle of 2 to 5 families in which each family's members pay (or issue equity to) the
next's: Nvidia invests in OpenAI, OpenAI buys Nvidia's systems. A step counts when a deal flows that
way, even when its amount is undisclosed. The loop *closed* on the date its last step first existed.

Every measure reads the deals one way (:data:`kg.flows.READINGS`): ``ceiling`` (every announced
figure, contingent ones included), ``committed`` (the default: not contingent) or ``closed`` (completed
deals only), and says which.

**Loop score**, from 0 to 100, is ``100 × (0.4·balance + 0.3·diversity + 0.3·evidence)``:

- *balance* is the smallest step's known amount over the largest's (1 when as much comes back as goes
  out); when a step's amount is not known, balance is unknown, shown as None, and scored 0.25 (an unknown
  balance earns less than an even one, more than none);
- *diversity* is ``(d − 1) / (min(n, 5) − 1)``, capped at 1, for ``d`` distinct exchanges (what a step
  buys: equity, compute, service, licence, or nothing but the money itself) on a loop of ``n`` steps:
  money that goes out as an investment and comes back as a purchase scores 1;
- *evidence* is the weakest step's: the best status among its deals (completed 1, announced 0.8,
  reported 0.6, contingent 0.4), times 0.75 unless at least two independent publishers report it, and
  times 0.75 again when none of its amount is disclosed.

**Hub score** of a family is ``Σ w(loop)`` over the loops through it, with
``w = 1 + ln(1 + m / $1B)`` for a loop whose circulating money ``m`` (its smallest step) is known, and
``w = 1`` otherwise; its ``share`` is that over the sum of ``w`` over all loops.

**Circularity index** is the share of money on the flow graph's edges that returns to its payer's
family within ``k`` steps: an edge's returned money is the most that any loop of length ``k`` or less
through it carries back (the smallest known amount of the loop's other steps, at most the edge's own),
summed over edges, over the known money on all edges. It is a lower bound: steps with undisclosed
amounts return nothing known. ``on_loops`` is the upper bound: the share of money on edges that lie on
any loop. Both count only known amounts; how many edges have none is reported apart.

>>> import kg
>>> found = {loop.families for loop in loops(kg.load(), max_length=2)}
>>> ("amazon", "anthropic") in found
True
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator

import networkx as nx

from kg.analysis.flows import edge_total, flow_graph
from kg.analysis.stats import writers
from kg.analysis.table import Record, Table
from kg.model import Total

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

MAX_LOOP_LENGTH = 5
"""The longest loop looked for by default."""

LOOP_SCORE_WEIGHTS = {"balance": 0.4, "diversity": 0.3, "evidence": 0.3}
UNKNOWN_BALANCE = 0.25
STATUS_EVIDENCE = {"completed": 1.0, "announced": 0.8, "reported": 0.6, "contingent": 0.4}
SINGLE_PUBLISHER_FACTOR = 0.75
UNDISCLOSED_FACTOR = 0.75
EXCHANGE_KINDS = 5  # equity, compute, service, licence, money alone
HUB_SCALE_USD = 1e9


@dataclass(frozen=True)
class Step(Record):
    """One step of a loop: what ``payer``'s family paid (or issued) to ``payee``'s, its amount (a
    :class:`~kg.model.Total`), flow types and exchanges (what it bought), the deals, their statuses,
    their sources and those sources' publishers, and the date the step first existed."""

    payer: str
    payee: str
    amount: Total
    types: tuple[str, ...]
    exchanges: tuple[str, ...]
    deals: tuple[str, ...]
    statuses: tuple[str, ...]
    sources: tuple[str, ...]
    publishers: tuple[str, ...]
    first_on: dt.date

    @property
    def evidence(self) -> float:
        """The best status among the step's deals, discounted when a single publisher reports it and
        when none of its amount is disclosed."""
        best = max(STATUS_EVIDENCE.get(status, 0.0) for status in self.statuses)
        corroborated = 1.0 if len(self.publishers) >= 2 else SINGLE_PUBLISHER_FACTOR
        return best * corroborated * (1.0 if self.amount.known_usd is not None else UNDISCLOSED_FACTOR)


@dataclass(frozen=True)
class Loop(Record):
    """Value going around: ``families[0] → families[1] → ... → families[0]``, step by step.

    ``closed_on`` is the date the loop closed (its last step's first deal); ``circulating`` the most
    money that can have gone all the way round (its smallest step, known only when every step's amount
    is); ``balance``, ``diversity``, ``evidence`` and ``score`` as the module explains; ``reading`` the
    reading its amounts are under.
    """

    families: tuple[str, ...]
    steps: tuple[Step, ...]
    closed_on: dt.date
    reading: str
    circulating_usd: float | None
    balance: float | None
    diversity: float
    evidence: float
    score: float

    def to_dict(self) -> dict:
        out = super().to_dict()
        out["length"] = len(self.families)
        return out


def _step(g: KnowledgeGraph, payer: str, payee: str, edge: dict) -> Step:
    deals = [g.deal(identifier) for identifier in edge["deals"]]
    sources = sorted({source for deal in deals for source in deal.sources})
    publishers = sorted(writers(g, sources))
    return Step(payer, payee, edge_total(edge), tuple(edge["types"]), tuple(sorted(edge["exchanges"])),
                tuple(edge["deals"]), tuple(deal.status for deal in deals), tuple(sources), tuple(publishers),
                edge["first_on"])


def pairs(cycle: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    """The steps of a cycle as (payer, payee) pairs, the last back to the first.

    >>> pairs(["a", "b", "c"])
    [('a', 'b'), ('b', 'c'), ('c', 'a')]
    """
    return list(zip(cycle, [*cycle[1:], *cycle[:1]]))


def circulating(amounts: list[float | None]) -> float | None:
    """The most money that can have gone all the way round a loop whose steps carry these known
    amounts: the smallest, known only when every step's is."""
    return None if None in amounts else min(amounts)


def score_loop(steps: Iterable[Step]) -> tuple[float | None, float, float, float]:
    """A loop's ``(balance, diversity, evidence, score)`` from its steps, by the module's formulas.

    >>> import datetime as dt
    >>> day = dt.date(2025, 1, 1)
    >>> out = Step("a", "b", Total(10e9), ("money",), ("equity",), ("d1",), ("completed",), ("s1", "s2"), ("P", "Q"), day)
    >>> back = Step("b", "a", Total(5e9), ("money",), ("compute",), ("d2",), ("announced",), ("s3",), ("P",), day)
    >>> score_loop([out, back])
    (0.5, 1.0, 0.6000000000000001, 68.0)
    """
    steps = list(steps)
    known = [step.amount.known_usd for step in steps]
    balance = None if None in known or max(known) <= 0 else min(known) / max(known)
    distinct = len({exchange for step in steps for exchange in step.exchanges})
    span = min(len(steps), EXCHANGE_KINDS) - 1
    diversity = min(1.0, max(distinct - 1, 0) / span) if span > 0 else 0.0
    evidence = min(step.evidence for step in steps)
    weights = LOOP_SCORE_WEIGHTS
    score = 100 * (weights["balance"] * (UNKNOWN_BALANCE if balance is None else balance)
                   + weights["diversity"] * diversity + weights["evidence"] * evidence)
    return balance, diversity, evidence, round(score, 1)


def simple_loops(graph: nx.DiGraph, max_length: int) -> Iterator[list[str]]:
    """Every simple cycle of 2 to ``max_length`` nodes, each once, starting at its smallest node.

    A bounded search from each node ``s`` in turn, through larger nodes only (so each cycle is found
    once, from its smallest node), extended to a node only if a path of the remaining length leads back
    to ``s``: a breadth-first search backwards from ``s``, ``max_length - 1`` steps deep, gives each node's
    distance back. The work is bounded by the paths that can still close, not by every path. Only nodes
    that both pay and are paid can be on a cycle. Agrees with networkx's ``simple_cycles`` with a
    length bound (a test checks), and is much faster on sparse graphs.

    >>> sorted(simple_loops(nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "a")]), 3))
    [['a', 'b'], ['a', 'b', 'c']]
    """
    order = sorted(node for node in graph if graph.in_degree(node) and graph.out_degree(node))
    index = {node: i for i, node in enumerate(order)}
    succ = [[index[w] for w in graph.successors(node) if w in index] for node in order]
    pred = [[index[u] for u in graph.predecessors(node) if u in index] for node in order]
    for cycle in bounded_cycles(succ, pred, max_length):
        yield [order[i] for i in cycle]


def bounded_cycles(succ: list[list[int]], pred: list[list[int]], max_length: int) -> Iterator[list[int]]:
    """:func:`simple_loops` on nodes numbered from 0, given their successors and predecessors."""
    for start in range(len(succ)):
        distance = {start: 0}
        frontier = [start]
        for depth in range(1, max_length):
            following = []
            for v in frontier:
                for u in pred[v]:
                    if u > start and u not in distance:
                        distance[u] = depth
                        following.append(u)
            frontier = following
        if len(distance) == 1:
            continue
        path = [start]
        on_path = {start}
        stack = [iter(succ[start])]
        while stack:
            for w in stack[-1]:
                if w == start:
                    if len(path) >= 2:
                        yield list(path)
                elif w > start and w not in on_path and len(path) + distance.get(w, max_length) <= max_length:
                    path.append(w)
                    on_path.add(w)
                    stack.append(iter(succ[w]))
                    break
            else:
                stack.pop()
                on_path.discard(path.pop())


def loops(g: KnowledgeGraph, max_length: int = MAX_LOOP_LENGTH, reading: str = "committed",
          types: Iterable[str] | None = None, limit: int | None = None) -> Table:
    """Loops of 2 to ``max_length`` corporate families over the principal flows of the deals that count
    under ``reading`` (of every type unless ``types`` names some), best score first, then by circulating
    money, length and families; the first ``limit`` when given. Found once per graph and arguments;
    later calls read them back.

    Examples
    --------
    >>> import kg
    >>> top = {loop.families: loop for loop in loops(kg.load(), max_length=3)}
    >>> loop = top[("nvidia", "openai", "oracle")]
    >>> [str(step.amount) for step in loop.steps], loop.closed_on.isoformat()
    (['≥ $30.0B (+1 shared)', '≥ $300.0B (+1 undisclosed, +1 shared)', '$40.0B'], '2025-05-23')
    """
    if not 2 <= max_length:
        raise ValueError("max_length must be 2 or more")
    key = ("loops", max_length, reading, None if types is None else tuple(sorted(types)))
    records = g.kept(key, lambda: _find_loops(g, max_length, reading, types))
    return Table(records[:limit] if limit is not None else records)


def _find_loops(g: KnowledgeGraph, max_length: int, reading: str, types: Iterable[str] | None) -> list[Loop]:
    graph = flow_graph(g, types, reading)
    records = []
    for cycle in simple_loops(graph, max_length):
        steps = tuple(_step(g, a, b, graph[a][b]) for a, b in pairs(cycle))
        balance, diversity, evidence, score = score_loop(steps)
        records.append(Loop(tuple(cycle), steps, max(step.first_on for step in steps), reading,
                            circulating([step.amount.known_usd for step in steps]), balance, diversity, evidence,
                            score))
    records.sort(key=lambda r: (-r.score, -(r.circulating_usd or 0.0), len(r.families), r.families))
    return records


def loop_weight(circulating_usd: float | None) -> float:
    """A loop's weight in hub scores: ``1 + ln(1 + m / $1B)`` for known circulating money ``m``, else 1.

    >>> loop_weight(None), round(loop_weight(1e9), 3)
    (1.0, 1.693)
    """
    return 1.0 if circulating_usd is None else 1.0 + math.log1p(circulating_usd / HUB_SCALE_USD)


@dataclass(frozen=True)
class Hub(Record):
    """A family's place in the loops: how many run through it, its hub ``score`` (loops weighted by
    money), its ``share`` of all loops' weight, and the money circulating in its loops (a
    :class:`~kg.model.Total`: loops whose circulating money is not known count as undisclosed)."""

    family: str
    loops: int
    score: float
    share: float
    circulating: Total


def hub_scores(cycles: Iterable[tuple[tuple[str, ...], float | None]]) -> dict[str, tuple[int, float, list]]:
    """For cycles given as ``(families, circulating_usd)``: each family's loop count, weighted score and
    circulating amounts."""
    hubs: dict[str, tuple[int, float, list]] = {}
    for families, circulating in cycles:
        weight = loop_weight(circulating)
        for family in families:
            count, score, amounts = hubs.get(family, (0, 0.0, []))
            hubs[family] = (count + 1, score + weight, amounts + [circulating])
    return hubs


def hubs(g: KnowledgeGraph, max_length: int = MAX_LOOP_LENGTH, reading: str = "committed",
         types: Iterable[str] | None = None) -> Table:
    """Families ranked by hub score: the loops through them, weighted by money.

    >>> import kg
    >>> hubs(kg.load())[0].family
    'nvidia'
    """
    found = loops(g, max_length, reading, types)
    scores = hub_scores((loop.families, loop.circulating_usd) for loop in found)
    total = sum(loop_weight(loop.circulating_usd) for loop in found)
    records = [Hub(family, count, round(score, 3), round(score / total, 4), Total.of(amounts))
               for family, (count, score, amounts) in scores.items()]
    return Table(sorted(records, key=lambda r: (-r.score, r.family)))


@dataclass(frozen=True)
class CircularityIndex(Record):
    """The circularity index of a graph: ``index`` (the share of known money that returns to its payer's
    family within ``max_length`` steps, a lower bound), ``on_loops`` (the share on edges that lie on a
    loop, an upper bound), the money behind them, and ``undisclosed_edges`` (edges with no known amount,
    left out). Shares are None when no money is known."""

    as_of: dt.date | None
    reading: str
    max_length: int
    loops: int
    index: float | None
    on_loops: float | None
    returned_usd: float
    on_loops_usd: float
    total_usd: float
    undisclosed_edges: int


def index_of(edges: dict[tuple[str, str], float | None], cycles: Iterable[list[str]]) -> tuple[float, float, float]:
    """``(returned, on_loops, total)`` known money, for edges given as ``{(payer, payee): known amount}``
    and the cycles among them (each a list of nodes)."""
    returned: dict[tuple[str, str], float] = {}
    on_loop: set[tuple[str, str]] = set()
    for cycle in cycles:
        steps = pairs(cycle)
        on_loop.update(steps)
        amounts = [edges[pair] for pair in steps]
        for i, pair in enumerate(steps):
            own = amounts[i]
            others = amounts[:i] + amounts[i + 1:]
            if own is None or None in others:
                continue
            back = min([own, *others])
            if back > returned.get(pair, 0.0):
                returned[pair] = back
    total = sum(amount for amount in edges.values() if amount is not None)
    on_loops = sum(edges[pair] for pair in on_loop if edges[pair] is not None)
    return sum(returned.values()), on_loops, total


def circularity_index(g: KnowledgeGraph, max_length: int = MAX_LOOP_LENGTH, reading: str = "committed",
                      types: Iterable[str] | None = None) -> CircularityIndex:
    """The circularity index of the graph, as the module defines it.

    >>> import kg
    >>> index = circularity_index(kg.load())
    >>> 0 < index.index < index.on_loops < 1
    True
    """
    graph = flow_graph(g, types, reading)
    cycles = [loop.families for loop in loops(g, max_length, reading, types)]  # found once per graph
    edges = {(a, b): data["known_usd"] for a, b, data in graph.edges(data=True)}
    returned, on_loops, total = index_of(edges, cycles)
    return CircularityIndex(
        g.on, reading, max_length, len(cycles), returned / total if total else None,
        on_loops / total if total else None, returned, on_loops, total,
        sum(1 for amount in edges.values() if amount is None))


@dataclass(frozen=True)
class Year(Record):
    """The circularity measures of the graph as known at the end of a year (today, for this year), and
    the loops that closed that year."""

    year: int
    as_of: dt.date
    loops: int
    index: float | None
    on_loops: float | None
    total_usd: float
    closed: tuple[str, ...]


def circularity_by_year(g: KnowledgeGraph, first: int = 2019, last: int | None = None,
                        max_length: int = MAX_LOOP_LENGTH, reading: str = "committed",
                        types: Iterable[str] | None = None) -> Table:
    """The circularity measures year by year, each from the graph as known at the year's end (or on the
    graph's date, for its own year), with the loops that closed in each year.

    >>> import kg
    >>> years = circularity_by_year(kg.load(), 2019, 2025)
    >>> [(y.year, y.loops, y.closed) for y in years][:2]  # Microsoft invests; OpenAI runs on Azure alone
    [(2019, 1, ('microsoft → openai → microsoft',)), (2020, 1, ())]
    """
    today = g.on or dt.date.today()
    last = today.year if last is None else last
    closing: dict[int, list[str]] = {}
    for loop in loops(g, max_length, reading, types):
        closing.setdefault(loop.closed_on.year, []).append(" → ".join(loop.families + loop.families[:1]))
    records = []
    for year in range(first, last + 1):
        end = min(dt.date(year, 12, 31), today)
        index = circularity_index(g.as_of(end), max_length, reading, types)
        records.append(Year(year, end, index.loops, index.index, index.on_loops, index.total_usd,
                            tuple(closing.get(year, ()))))
    return Table(records)
