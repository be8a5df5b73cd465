"""Time every alliance query on the bundled data, after loading it once.

    python benchmarks/queries.py [--repeat N] [--data DIR]

Prints each query's median time over N runs in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import time

import kg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--data", default=None)
    args = parser.parse_args()

    started = time.perf_counter()
    g = kg.load(args.data)
    load_ms = (time.perf_counter() - started) * 1000
    lab = max(g.entities("ai-lab"), key=lambda e: len(g.deals(party=e.id))).id
    investor = g.investors_of(lab)[0].investor
    cases = {
        "entity": lambda: g.entity(lab),
        "deals": lambda: g.deals(party=lab),
        "total_invested": lambda: g.total_invested(investor, lab),
        "investors_of": lambda: g.investors_of(lab),
        "investments_by": lambda: g.investments_by(investor),
        "allies": lambda: g.allies(investor),
        "alliances": lambda: g.alliances(),
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
    print(f"{g!r}: loaded in {load_ms:.0f} ms; queries about {lab!r} and {investor!r}")
    print(f"{'query':20} {'median ms':>10} {'max ms':>8}")
    for name, call in cases.items():
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            try:
                call()
            except kg.NoPathError:
                pass
            times.append((time.perf_counter() - started) * 1000)
        print(f"{name:20} {statistics.median(times):10.2f} {max(times):8.2f}")


if __name__ == "__main__":
    main()
