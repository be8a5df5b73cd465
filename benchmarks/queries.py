"""Time every query: on the bundled data, or on synthetic graphs of given sizes with scaling exponents.

    python benchmarks/queries.py [--repeat N] [--data DIR]
    python benchmarks/queries.py --triples 100000 --triples 300000 --triples 1000000

On the bundled data (or a data folder), prints each query's median and slowest time over ``--repeat``
calls, in milliseconds. With ``--triples``, builds a synthetic graph of about each size
(:func:`synthetic.graph_of_about`) and prints each query's first call and a warm (second) call, in
seconds; with two sizes or more, also the exponent fitted to the first calls (1: linear in the data).
``--freeze-gc`` keeps the graph out of Python's cyclic garbage collector, whose full passes traverse every
live object: comparing the two runs separates the queries' own growth from the collector's.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import kg  # noqa: E402

from run import scaling_exponent  # noqa: E402
from synthetic import graph_of_about  # noqa: E402


def cases(g: kg.KnowledgeGraph) -> tuple[str, str, dict]:
    """The queries, about the lab with the most deals and its first investor."""
    lab = max(g.entities("ai-lab"), key=lambda e: len(g.deals(party=e.id))).id
    investors = g.investors_of(lab)
    investor = investors[0].investor if investors else g.entities()[0].id
    return lab, investor, {
        "entity": lambda: g.entity(lab),
        "deals": lambda: g.deals(party=lab),
        "total_invested": lambda: g.total_invested(investor, lab),
        "investors_of": lambda: g.investors_of(lab),
        "investments_by": lambda: g.investments_by(investor),
        "allies": lambda: g.allies(investor),
        "alliances": lambda: g.alliances(),
        "alliances(igraph)": lambda: g.alliances("igraph"),
        "path": lambda: g.path(investor, g.entities()[-1].id),
        "loops(2)": lambda: g.loops(max_length=2),
        "loops": lambda: g.loops(),
        "hubs": lambda: g.hubs(),
        "circularity_index": lambda: g.circularity_index(),
        "exposure": lambda: g.exposure(lab),
        "compute_secured": lambda: g.compute_secured(lab),
        "timeline": lambda: g.timeline(lab),
        "valuations": lambda: g.valuations(lab),
        "conflicts": lambda: g.conflicts(),
        "as_of": lambda: g.as_of("2025-06"),
    }


def timed(call) -> float:
    started = time.perf_counter()
    try:
        call()
    except kg.NoPathError:
        pass
    return time.perf_counter() - started


def bundled(repeat: int, data: str | None) -> None:
    started = time.perf_counter()
    g = kg.load(data)
    load_ms = (time.perf_counter() - started) * 1000
    lab, investor, queries = cases(g)
    print(f"{g!r}: loaded in {load_ms:.0f} ms; queries about {lab!r} and {investor!r}")
    print(f"{'query':20} {'median ms':>10} {'max ms':>8}")
    for name, call in queries.items():
        times = [timed(call) * 1000 for _ in range(repeat)]
        print(f"{name:20} {statistics.median(times):10.2f} {max(times):8.2f}")


def scaling(sizes: list[int], freeze_gc: bool) -> None:
    import igraph  # noqa: F401 -- imported once here, so that no size's first call pays for the import
    first: dict[str, dict[int, float]] = {}
    warm: dict[str, dict[int, float]] = {}
    for size in sorted(sizes):
        g = graph_of_about(size)
        if freeze_gc:  # the graph's objects out of the collector's full passes, which grow with them
            gc.collect()
            gc.freeze()
        _, _, queries = cases(g)
        for name, call in queries.items():
            first.setdefault(name, {})[size] = timed(call)
            warm.setdefault(name, {})[size] = timed(call)
        print(f"measured about {size:,} triples ({len(g.deals()):,} deals)", file=sys.stderr, flush=True)
        del g, queries
        gc.unfreeze()
        gc.collect()
    header = "".join(f"{f'{size:,} first':>16}{'warm':>9}" for size in sorted(sizes))
    print(f"{'query':20}{header}{'exponent':>10}")
    for name in first:
        cells = "".join(f"{first[name][size]:16.3f}{warm[name][size]:9.3f}" for size in sorted(sizes))
        exponent = f"{scaling_exponent(first[name]):10.2f}" if len(sizes) > 1 else ""
        print(f"{name:20}{cells}{exponent}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--data", default=None)
    parser.add_argument("--triples", type=int, action="append", help="a synthetic graph of about this size")
    parser.add_argument("--freeze-gc", action="store_true",
                        help="keep each synthetic graph out of Python's garbage collector while it is asked")
    args = parser.parse_args()
    if args.triples:
        scaling(args.triples, args.freeze_gc)
    else:
        bundled(args.repeat, args.data)


if __name__ == "__main__":
    main()
