"""Time the circularity measures, the null model and the report, on the bundled data and on a synthetic graph.

    python benchmarks/circularity.py [--runs 1000] [--triples 1000000] [--synthetic-runs 100] [--json FILE]

Every stage runs once, after the graph is loaded; the table gives wall-clock and this process's CPU
seconds. The null model runs twice: measuring its samples in this process (``workers=1``), then on every
core the process may use (its workers' CPU time is not in this process's). ``--triples 0`` skips the
synthetic graph.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import kg  # noqa: E402
from kg.analysis.nullmodel import available_cores  # noqa: E402
from kg.report import build_report, render_html  # noqa: E402

from synthetic import graph_of_about  # noqa: E402


def timed(records: list[dict], graph: str, stage: str, call) -> object:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    records.append({"graph": graph, "stage": stage, "wall_s": round(time.perf_counter() - wall, 3),
                    "cpu_s": round(time.process_time() - cpu, 3)})
    print(f"{graph:10} {stage:36} {records[-1]['wall_s']:9.3f} {records[-1]['cpu_s']:9.3f}", flush=True)
    return result


def stages(records: list[dict], name: str, g: kg.KnowledgeGraph, runs: int, entity: str) -> None:
    graph = timed(records, name, "flow graph", lambda: g.flow_graph())
    found = timed(records, name, "loops (2 to 5 families)", lambda: g.loops())
    timed(records, name, "circularity index", lambda: g.circularity_index())
    timed(records, name, "circularity by year (2019 on)", lambda: g.circularity_by_year())
    one = timed(records, name, f"null model, {runs} runs", lambda: g.significance(runs=runs, workers=1))
    cores = available_cores()
    if cores > 1:
        spread = timed(records, name, f"null model, {runs} runs, {cores} cores",
                       lambda: g.significance(runs=runs, workers=cores))
        assert spread == one, "the null model must not depend on the number of workers"
    timed(records, name, f"exposure of {entity}", lambda: g.exposure(entity))
    report = timed(records, name, f"report ({runs} runs), built", lambda: build_report(g, runs=runs))
    timed(records, name, "report, rendered as HTML", lambda: render_html(report))
    print(f"{name:10} {graph.number_of_nodes():,} families, {graph.number_of_edges():,} flow edges, "
          f"{len(found):,} loops")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="null-model runs on the bundled data (default 1,000)")
    parser.add_argument("--triples", type=int, default=1_000_000,
                        help="size of the synthetic graph, in about as many triples as `aikg export` writes (0: skip)")
    parser.add_argument("--synthetic-runs", type=int, default=100, help="null-model runs on the synthetic graph")
    parser.add_argument("--json", type=Path, default=None, help="also write the records as JSON")
    args = parser.parse_args()

    records: list[dict] = []
    print(f"{'graph':10} {'stage':36} {'wall (s)':>9} {'CPU (s)':>9}")
    stages(records, "bundled", kg.load(), args.runs, "openai")
    if args.triples:
        g = graph_of_about(args.triples)
        busiest = max(g.entities(), key=lambda e: len(g.deals(party=e.id))).id
        stages(records, "synthetic", g, args.synthetic_runs, busiest)
    if args.json:
        args.json.write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
