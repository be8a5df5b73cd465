"""Time our stages against baselines on one synthetic graph shaped like ours.

    python benchmarks/run.py [--triples N] [--json FILE] [--repeat N]

The graph has organizations, and deals with two or three parties and about eight attributes each,
sized to about N triples (default one million). Every stage runs in a fresh Python process, which
receives its inputs before its clock starts: each reports its own peak memory, and none works in a heap
another left behind (forked from this one, the load baseline ran a third slower in the pages it shared).
Baselines start where we start: exports from the same graph (rdflib and pyoxigraph build their triples
from it, then serialize), loads from the same files.

Each stage runs ``--repeat`` times (default 3) and reports its median time. Stages:

- load: our CSV loader vs bare networkx ``add_edges_from`` of the same edges;
- N-Triples and Turtle export, to a file: vs rdflib and pyoxigraph building their terms from our
  graph's triples (the same starting point as ours), and vs pyoxigraph serialising a list of its own
  triples parsed before the clock starts (plain triples: its serialiser alone);
- ``aikg export`` as the command runs it, from the CSV folder to an N-Triples file, with its peak memory;
- RDF load back (vs rdflib, vs pyoxigraph), an aggregate SPARQL query (vs rdflib, vs pyoxigraph);
- HTML view generation at a tenth, three tenths and the whole of the size, with the fitted scaling
  exponent (1 is linear);
- start-up (``aikg --help`` vs ``import click``, ``aikg show`` vs ``import networkx, yaml``, medians of
  nine runs).

``--only`` runs the named stages alone (``--only export-command --triples 3000000`` checks the
command's peak memory at three million triples).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import networkx as nx  # noqa: E402

import kg  # noqa: E402
from kg.exporters.csvfolder import write_csv_folder  # noqa: E402
from kg.exporters import triples as mapping  # noqa: E402
from kg.exporters.rdf import write_ntriples, write_turtle  # noqa: E402
from kg.vocabulary import Literal  # noqa: E402
from synthetic import graph_of_about  # noqa: E402

STAGES = ("load", "export", "export-command", "read", "sparql", "view", "start-up")

AGGREGATE = """
PREFIX aikg: <https://w3id.org/aikg/ontology#>
SELECT ?investor (SUM(?usd) AS ?total) (COUNT(?deal) AS ?deals) WHERE {
  ?deal a aikg:Investment ; aikg:investor ?investor ; aikg:amountUSD ?usd .
} GROUP BY ?investor ORDER BY DESC(?total) LIMIT 10
"""


_FRESH = multiprocessing.get_context("spawn")


def _in_child(target, *args, timeout: float | None = None) -> tuple[float, float] | None:
    """Run ``target(send, *args)`` in a fresh Python process; it sends back (seconds, peak MiB). A crash
    is an error; a run still going after ``timeout`` seconds is stopped, and gives None."""
    receive, send = _FRESH.Pipe(duplex=False)
    process = _FRESH.Process(target=target, args=(send, *args))
    process.start()
    send.close()
    if timeout is not None and not receive.poll(timeout):
        process.kill()
        process.join()
        return None
    try:
        result = receive.recv()
    except EOFError:
        process.join()
        raise RuntimeError(f"a benchmark stage failed (exit code {process.exitcode})") from None
    process.join()
    return result


def _peak_mib() -> float:
    """This process's peak resident memory: Linux's VmHWM, which starts afresh in a new program, where
    ``ru_maxrss`` would carry over the peak of the process it was started from."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(send, function, args) -> None:
    started = time.perf_counter()
    function(*args)
    send.send((time.perf_counter() - started, _peak_mib()))


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The median time and the highest peak memory of several runs of one stage."""
    return statistics.median(seconds for seconds, _ in runs), max(peak for _, peak in runs)


def _measure(function, *args, repeat: int = 1, timeout: float | None = None):
    """Run ``function(*args)`` in a fresh process, its arguments unpacked there before the clock starts,
    ``repeat`` times: (median seconds, peak MiB); None when a run had to be stopped after ``timeout``."""
    runs = []
    for _ in range(repeat):
        run = _in_child(_timed, function, args, timeout=timeout)
        if run is None:
            return None
        runs.append(run)
    return _median(runs)


# --- our stages and the baselines ----------------------------------------------------------------

def load_ours(folder):
    kg.load(folder)


def load_networkx(edges):
    graph = nx.MultiDiGraph()
    graph.add_edges_from(edges)


def _rdflib_terms(g):
    from rdflib import Graph, URIRef
    from rdflib import Literal as RDFLiteral

    rdf = Graph()
    for s, p, o in mapping.triples(g):
        o = RDFLiteral(o.value, lang=o.language, datatype=o.datatype and URIRef(o.datatype)) \
            if isinstance(o, Literal) else URIRef(o)
        rdf.add((URIRef(s), URIRef(p), o))
    return rdf


def _oxigraph_triples(g):
    import pyoxigraph as ox

    def term(o):
        if isinstance(o, Literal):
            return ox.Literal(o.value, language=o.language) if o.language else \
                ox.Literal(o.value, datatype=ox.NamedNode(o.datatype)) if o.datatype else ox.Literal(o.value)
        return ox.NamedNode(o)

    return [ox.Triple(ox.NamedNode(s), ox.NamedNode(p), term(o)) for s, p, o in mapping.triples(g)]


def export_ours(g, writer, path):
    with open(path, "w", encoding="utf-8") as stream:
        {"nt": write_ntriples, "ttl": write_turtle}[writer](g, stream)


def export_rdflib(g, rdf_format, path):
    _rdflib_terms(g).serialize(destination=path, format=rdf_format, encoding="utf-8")


def export_oxigraph(g, rdf_format, path):
    import pyoxigraph as ox

    ox.serialize(_oxigraph_triples(g), output=path,
                 format={"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE}[rdf_format])


def export_oxigraph_plain(path, rdf_format, out):
    """pyoxigraph's serialiser alone: its own triples, parsed before the clock starts."""
    import pyoxigraph as ox

    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))
    started = time.perf_counter()
    ox.serialize(triples, output=str(out), format={"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE}[rdf_format])
    return time.perf_counter() - started


def export_command(folder, out):
    """``aikg export`` as a user runs it: load the CSV folder, write N-Triples to a file."""
    from kg.cli import main

    main(["export", "--format", "nt", "--out", str(out), "--data", str(folder)], standalone_mode=False)


def read_ours(path):
    kg.load_rdf(path)


def read_rdflib(path):
    from rdflib import Graph

    Graph().parse(path, format="nt")


def read_oxigraph(path):
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)


def query_ours(g):
    """The first query loads the store; the time returned is the second query's, as a user sees it."""
    from kg.sparql import run_query

    run_query(g, AGGREGATE)
    started = time.perf_counter()
    run_query(g, AGGREGATE)
    return time.perf_counter() - started


def query_ours_cold(g):
    from kg.sparql import run_query

    run_query(g, AGGREGATE)


def query_rdflib(path):
    from rdflib import Graph

    rdf = Graph().parse(path, format="nt")
    started = time.perf_counter()
    list(rdf.query(AGGREGATE))
    return time.perf_counter() - started


def query_oxigraph(path):
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    started = time.perf_counter()
    list(store.query(AGGREGATE))
    return time.perf_counter() - started


def html_ours(g):
    from kg.exporters.html import generate_html

    generate_html(g)


def _reported(send, function, args) -> None:
    send.send((function(*args), _peak_mib()))


def _self_timed(function, *args, repeat: int = 1):
    """Run a stage that times itself (a query once its store is loaded, a serialiser once its triples are
    parsed) in a fresh process, ``repeat`` times: (median of the seconds it reports, peak MiB)."""
    return _median([_in_child(_reported, function, args) for _ in range(repeat)])


def scaling_exponent(times: dict[int, float]) -> float:
    """The slope of log(time) against log(size), by least squares: 1 for linear work, 2 for quadratic.

    >>> round(scaling_exponent({1000: 1.0, 10000: 10.0, 100000: 100.0}), 2)
    1.0
    """
    import math

    points = [(math.log(size), math.log(seconds)) for size, seconds in times.items() if seconds > 0]
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / sum((x - mean_x) ** 2 for x, _ in points)


def _median_command(command: str, runs: int = 9) -> float:
    """The median time of ``command`` over ``runs`` runs, after one untimed run. Python caches bytecode
    as it normally does (``PYTHONDONTWRITEBYTECODE`` is dropped), so no run pays for compiling."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    times = []
    for run in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                       env=environment)
        if run:
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def _significant(seconds: float) -> float:
    """Seconds to four significant digits, so that small stages keep their ratios."""
    return float(f"{seconds:.4g}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="about how many triples (default 1,000,000)")
    parser.add_argument("--json", dest="json_file", help="also write the records as JSON to this file")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each stage; the median is reported (default 3)")
    parser.add_argument("--only", action="append", choices=STAGES, help="run only this stage (repeatable)")
    parser.add_argument("--baseline-timeout", type=float, default=300,
                        help="stop an rdflib baseline run after this many seconds, and report that as a lower bound")
    args = parser.parse_args()
    wanted = set(args.only or STAGES)

    def measure(function, *arguments):
        return _measure(function, *arguments, repeat=args.repeat)

    def baseline(name: str, function, *arguments):
        """A slow baseline: (its name, its time), or, when it runs past --baseline-timeout, its name marked
        as stopped and the timeout as a lower bound of its time."""
        result = _measure(function, *arguments, repeat=args.repeat, timeout=args.baseline_timeout)
        if result is None:
            return f"{name} (stopped after {args.baseline_timeout:g} s)", (args.baseline_timeout, 0.0)
        return name, result

    def self_timed(function, *arguments):
        return _self_timed(function, *arguments, repeat=args.repeat)

    g = graph_of_about(args.triples)
    records = []

    def record(stage, ours, baseline=None, theirs=None):
        ours_s, peak = ours
        baseline_s = None if theirs is None else theirs[0]
        records.append({"stage": stage, "ours_s": _significant(ours_s), "baseline": baseline,
                        "baseline_s": None if baseline_s is None else _significant(baseline_s),
                        "ratio": None if baseline_s is None else round(ours_s / baseline_s, 2),
                        "peak_mib": round(peak)})
        ratio = "" if baseline_s is None else f"{baseline_s:10.2f}  {ours_s / baseline_s:6.2f}"
        print(f"{stage:26} {ours_s:8.2f}  {baseline or '':22} {ratio}  {peak:7.0f}", flush=True)

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        nt, csv_folder = folder / "g.nt", folder / "csv"
        export_ours(g, "nt", nt)
        count = sum(1 for _ in nt.open(encoding="utf-8"))
        write_csv_folder(g.dataset, csv_folder)
        edges = [(u, v, k) for u, v, k in g.graph.edges(keys=True)]
        print(f"synthetic graph: {len(g.entities()):,} organizations, {len(g.deals()):,} deals, {count:,} triples")
        print(f"{'stage':26} {'ours s':>8}  {'baseline':22} {'base s':>10}  {'ratio':>6}  {'peak MiB':>7}")
        if "load" in wanted:
            record("load (CSV -> graph)", measure(load_ours, csv_folder), "networkx add_edges_from",
                   measure(load_networkx, edges))
        for name, rdf_format in (("N-Triples", "nt"), ("Turtle", "ttl")):
            if "export" not in wanted:
                continue
            ours = measure(export_ours, g, rdf_format, folder / f"ours.{rdf_format}")
            record(f"{name} export", ours, *baseline("rdflib", export_rdflib, g, rdf_format, folder / f"rdflib.{rdf_format}"))
            record(f"{name} export", ours, "pyoxigraph, our triples",
                   measure(export_oxigraph, g, rdf_format, folder / f"oxigraph.{rdf_format}"))
            record(f"{name} export", ours, "pyoxigraph, plain triples",
                   self_timed(export_oxigraph_plain, nt, rdf_format, folder / f"plain.{rdf_format}"))
        if "export-command" in wanted:
            record("aikg export (CSV -> N-Triples)", measure(export_command, csv_folder, folder / "command.nt"))
        if "read" in wanted:
            ours = measure(read_ours, nt)
            record("RDF load back (N-Triples)", ours, *baseline("rdflib parse", read_rdflib, nt))
            record("RDF load back (N-Triples)", ours, "pyoxigraph bulk_load", measure(read_oxigraph, nt))
        if "sparql" in wanted:
            record("SPARQL aggregate, first", measure(query_ours_cold, g))
            ours = self_timed(query_ours, g)
            record("SPARQL aggregate, query", ours, "rdflib", self_timed(query_rdflib, nt))
            record("SPARQL aggregate, query", ours, "pyoxigraph", self_timed(query_oxigraph, nt))
        if "view" in wanted:
            sizes = {"HTML view, 1/10 of the size": args.triples // 10, "HTML view, 3/10 of the size":
                     3 * args.triples // 10, "HTML view": args.triples}
            times = {}
            for stage, triples in sizes.items():
                times[triples] = measure(html_ours, g if triples == args.triples else graph_of_about(triples))
                record(stage, times[triples])
            print(f"HTML view scaling exponent: {scaling_exponent({n: t for n, (t, _) in times.items()}):.2f} "
                  "(1 is linear)")

    aikg = Path(sys.executable).parent / "aikg"
    aikg = str(aikg) if aikg.exists() else "aikg"
    python = sys.executable
    startup = [
        ("start-up: aikg --help", f"{aikg} --help", "python -c 'import click'", f"{python} -c 'import click'"),
        ("start-up: aikg show", f"{aikg} show anthropic", "python -c 'import networkx, yaml'",
         f"{python} -c 'import networkx, yaml'"),
    ]
    for stage, ours_command, baseline, baseline_command in startup if "start-up" in wanted else ():
        record(stage, (_median_command(ours_command), 0), baseline, (_median_command(baseline_command), 0))
    if args.json_file:
        Path(args.json_file).write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
