"""Is the circularity more than chance? A null model of rewired flow graphs.

The flow graph between families (:func:`kg.analysis.flow_graph`) is rewired ``runs`` times by swapping
the payees of two edges (A → B and C → D become A → D and C → B; each edge keeps its amount and
exchanges, which travel with the payer), never making a self-loop or a second edge between the same
two families. Every family keeps its in- and out-degree. The ``typed`` model only swaps edges that buy
the same thing (their exchanges), so each family also keeps its number of investments, purchases and
so on. Samples come from one Markov chain with a fixed seed: ``10 × E`` swaps of burn-in, then ``E``
swaps between samples, for ``E`` edges. The chain is cheap and runs in one process; measuring the samples
(their cycles) is the costly part and runs on every core the process may use, in the order drawn, so the
result is the same whatever the number of ``workers``.

For each measure (the number of loops, the circularity index and its upper bound, and each family's
hub score) the result gives the observed value, the null mean and standard deviation, the z-score
(None when the null model never varies) and the empirical p-value of a value at least as large,
``(1 + #{null ≥ observed}) / (runs + 1)``.

>>> import kg
>>> result = significance(kg.load(), runs=50)
>>> result[0].measure, result[0].observed > result[0].mean
('loops', True)
"""

from __future__ import annotations

import math
import os
import random
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from kg.analysis.circularity import MAX_LOOP_LENGTH, bounded_cycles, circulating, hub_scores, index_of, pairs
from kg.analysis.flows import flow_graph
from kg.analysis.table import Record, Table

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

MODELS = ("degree", "typed")
BURN_IN_SWEEPS = 10
PARALLEL_FROM_SWAPS = 200_000
"""Below this many swaps in all (runs × edges), samples are measured in this process: starting workers
would cost more than it saves."""


@dataclass(frozen=True)
class Significance(Record):
    """One measure against the null model: observed value, null ``mean`` and ``std``, ``z`` and ``p``."""

    measure: str
    observed: float
    mean: float
    std: float
    z: float | None
    p: float
    runs: int
    model: str
    reading: str


@dataclass(frozen=True)
class Sample:
    """The measures of one graph: loop count, index and upper bound, and hub scores by family."""

    loops: int
    index: float
    on_loops: float
    hubs: dict[str, float]


def measure(edges: dict[tuple[str, str], float | None], max_length: int) -> Sample:
    """The measures of a graph given as ``{(payer, payee): known amount or None}``."""
    nodes = sorted({node for pair in edges for node in pair})
    index = {node: i for i, node in enumerate(nodes)}
    succ: list[list[int]] = [[] for _ in nodes]
    pred: list[list[int]] = [[] for _ in nodes]
    for payer, payee in edges:
        succ[index[payer]].append(index[payee])
        pred[index[payee]].append(index[payer])
    cycles = [[nodes[i] for i in cycle] for cycle in bounded_cycles(succ, pred, max_length)]
    returned, on_loops, total = index_of(edges, cycles)
    money = [(tuple(cycle), circulating([edges[pair] for pair in pairs(cycle)])) for cycle in cycles]
    hubs = {family: score for family, (_, score, _) in hub_scores(money).items()}
    return Sample(len(cycles), returned / total if total else 0.0, on_loops / total if total else 0.0, hubs)


def rewirings(edges: dict[tuple[str, str], float | None], classes: dict[tuple[str, str], str], runs: int,
              seed: int) -> Iterable[dict[tuple[str, str], float | None]]:
    """``runs`` rewired copies of ``edges``, keeping every node's in- and out-degree; an edge only swaps
    with an edge of its own class (give every edge one class for the plain degree model)."""
    pairs = sorted(edges)
    amounts = [edges[pair] for pair in pairs]
    for payers, payees in _chain(pairs, classes, runs, seed):
        yield _rewired(payers, payees, amounts)


def _chain(pairs: list[tuple[str, str]], classes: dict[tuple[str, str], str], runs: int,
           seed: int) -> Iterable[tuple[list[str], list[str]]]:
    """The Markov chain of :func:`rewirings`: after each sample's swaps, the payers (which never move)
    and a copy of the payees, edge by edge in the order of ``pairs``."""
    rng = random.Random(seed)
    kinds = [classes[pair] for pair in pairs]
    payers = [payer for payer, _ in pairs]
    payees = [payee for _, payee in pairs]
    present = set(pairs)
    by_class: dict[str, list[int]] = {}
    for i, kind in enumerate(kinds):
        by_class.setdefault(kind, []).append(i)
    swappable = [members for members in by_class.values() if len(members) > 1]
    count = len(pairs)

    def sweep(times: int) -> None:
        if not swappable:
            return
        for _ in range(times):
            i = rng.randrange(count)
            members = by_class[kinds[i]]
            if len(members) < 2:
                continue
            j = members[rng.randrange(len(members))]
            a, b, c, d = payers[i], payees[i], payers[j], payees[j]
            if i == j or a == d or c == b or (a, d) in present or (c, b) in present:
                continue
            present.difference_update(((a, b), (c, d)))
            present.update(((a, d), (c, b)))
            payees[i], payees[j] = d, b

    sweep(BURN_IN_SWEEPS * count)
    for _ in range(runs):
        sweep(count)
        yield payers, list(payees)


_BASE: tuple[list[str], list[float | None], int] | None = None
"""In a worker: the payers, the amounts and the loop length bound every sample shares."""


def _start_worker(payers: list[str], amounts: list[float | None], max_length: int) -> None:
    global _BASE
    _BASE = (payers, amounts, max_length)


def _measure_payees(payees: list[str]) -> Sample:
    payers, amounts, max_length = _BASE
    return measure(_rewired(payers, payees, amounts), max_length)


def _rewired(payers: list[str], payees: list[str], amounts: list[float | None]) -> dict[tuple[str, str], float | None]:
    """A rewired graph as :func:`measure` takes it, edge by edge."""
    return dict(zip(zip(payers, payees), amounts))


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def samples(edges: dict[tuple[str, str], float | None], classes: dict[tuple[str, str], str], runs: int,
            seed: int, max_length: int, workers: int | None = None) -> list[Sample]:
    """The measures of ``runs`` rewired graphs, in the chain's order. ``workers``: processes to measure
    them in (None: every available core, for jobs of :data:`PARALLEL_FROM_SWAPS` swaps or more)."""
    if workers is None:
        workers = available_cores() if runs * len(edges) >= PARALLEL_FROM_SWAPS else 1
    if workers <= 1:
        return [measure(rewired, max_length) for rewired in rewirings(edges, classes, runs, seed)]
    pairs = sorted(edges)
    amounts = [edges[pair] for pair in pairs]
    payers = [payer for payer, _ in pairs]
    drawn = (payees for _, payees in _chain(pairs, classes, runs, seed))
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(payers, amounts, max_length)) as pool:
        return list(pool.map(_measure_payees, drawn, chunksize=max(1, runs // (8 * workers))))


def _summary(name: str, observed: float, values: list[float], model: str, reading: str) -> Significance:
    runs = len(values)
    mean = sum(values) / runs
    std = math.sqrt(sum((value - mean) ** 2 for value in values) / (runs - 1)) if runs > 1 else 0.0
    z = (observed - mean) / std if std > 1e-12 else None
    p = (1 + sum(1 for value in values if value >= observed - 1e-12)) / (runs + 1)
    return Significance(name, observed, mean, std, z, p, runs, model, reading)


def significance(g: KnowledgeGraph, runs: int = 1000, seed: int = 0, model: str = "degree",
                 max_length: int = MAX_LOOP_LENGTH, reading: str = "committed",
                 types: Iterable[str] | None = None, families: Iterable[str] | None = None,
                 workers: int | None = None) -> Table:
    """The loop count, the circularity index (``index``), its upper bound (``on_loops``) and hub scores
    (``hub:<family>``, for the families with loops, or those named) against the null model: see the
    module. Deterministic for a given ``seed``, whatever the number of ``workers`` (processes measuring
    the samples; None: every available core when the job is large). O(runs × (E + loops)).

    >>> import kg
    >>> [row.measure for row in significance(kg.load(), runs=20)][:4]
    ['loops', 'index', 'on_loops', 'hub:nvidia']
    """
    if model not in MODELS:
        raise ValueError(f"unknown null model {model!r}; use one of: {', '.join(MODELS)}")
    if runs < 2:
        raise ValueError("runs must be 2 or more")
    graph = flow_graph(g, types, reading)
    edges = {(a, b): data["known_usd"] for a, b, data in graph.edges(data=True)}
    classes = {(a, b): "+".join(sorted(data["exchanges"])) if model == "typed" else "" for a, b, data in
               graph.edges(data=True)}
    observed = measure(edges, max_length)
    named = sorted(observed.hubs, key=lambda family: (-observed.hubs[family], family)) if families is None \
        else [g.family_head(family) for family in families]
    drawn = samples(edges, classes, runs, seed, max_length, workers)
    rows = [_summary("loops", observed.loops, [s.loops for s in drawn], model, reading),
            _summary("index", observed.index, [s.index for s in drawn], model, reading),
            _summary("on_loops", observed.on_loops, [s.on_loops for s in drawn], model, reading)]
    rows += [_summary(f"hub:{family}", observed.hubs.get(family, 0.0), [s.hubs.get(family, 0.0) for s in drawn],
                      model, reading) for family in named]
    return Table(rows)
