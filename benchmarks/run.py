"""Time our stages against baselines on one synthetic graph shaped like ours.

    python benchmarks/run.py [--triples N] [--json FILE]

The graph has organizations, and deals with two or three parties and about eight attributes each,
sized to about N triples (default one million). Every stage runs in a fresh forked process, so each
reports its own peak memory. Baselines start where we start: exports from the same graph (rdflib and
pyoxigraph build their triples from it, then serialize), loads from the same files.

Stages: load (our CSV loader vs bare networkx add_edges_from of the same edges), N-Triples and Turtle
export (vs rdflib, vs pyoxigraph), RDF load back (vs rdflib, vs pyoxigraph), an aggregate SPARQL query
(vs rdflib, vs pyoxigraph), HTML view generation, and start-up (``aikg --help`` vs ``import click``,
``aikg show`` vs ``import networkx, yaml``).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import pickle
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
from kg.csvfile import write_csv_folder  # noqa: E402
from kg.exporters import triples as mapping  # noqa: E402
from kg.exporters.rdf import write_ntriples, write_turtle  # noqa: E402
from kg.vocabulary import Literal  # noqa: E402
from synthetic import synthetic_graph  # noqa: E402

AGGREGATE = """
PREFIX aikg: <https://w3id.org/aikg/ontology#>
SELECT ?investor (SUM(?usd) AS ?total) (COUNT(?deal) AS ?deals) WHERE {
  ?deal a aikg:Investment ; aikg:investor ?investor ; aikg:amountUSD ?usd .
} GROUP BY ?investor ORDER BY DESC(?total) LIMIT 10
"""


def _in_child(child) -> tuple[float, float]:
    """Run ``child(send)`` in a forked process; it sends back (seconds, peak MiB). A crash is an error."""
    receive, send = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.get_context("fork").Process(target=child, args=(send,))
    process.start()
    send.close()
    try:
        result = receive.recv()
    except EOFError:
        process.join()
        raise RuntimeError(f"a benchmark stage failed (exit code {process.exitcode})") from None
    process.join()
    return result


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(function, *args, setup=None):
    """Run ``function(*args)`` in a forked process: (seconds, peak MiB of that process). ``setup``, when
    given, turns ``args`` into the function's arguments first, untimed."""
    def child(send):
        arguments = args if setup is None else setup(*args)
        started = time.perf_counter()
        function(*arguments)
        send.send((time.perf_counter() - started, _peak_mib()))

    return _in_child(child)


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
    _rdflib_terms(g).serialize(destination=path, format=rdf_format)


def export_oxigraph(g, rdf_format, path):
    import pyoxigraph as ox

    ox.serialize(_oxigraph_triples(g), output=path,
                 format={"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE}[rdf_format])


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


def _query_only(function, argument):
    """Time only the query itself, after the store is loaded, in a forked process."""
    def child(send):
        send.send((function(argument), _peak_mib()))

    return _in_child(child)


def _median_command(command: str, runs: int = 9) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="about how many triples (default 1,000,000)")
    parser.add_argument("--json", dest="json_file", help="also write the records as JSON to this file")
    args = parser.parse_args()

    deals = max(10, args.triples // 19)
    g = synthetic_graph(organizations=max(10, deals // 3), deals=deals)
    records = []

    def record(stage, ours, baseline=None, theirs=None):
        ours_s, peak = ours
        baseline_s = None if theirs is None else theirs[0]
        records.append({"stage": stage, "ours_s": round(ours_s, 3), "baseline": baseline,
                        "baseline_s": None if baseline_s is None else round(baseline_s, 3),
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
        # The baseline's edges are unpickled in its own process first, so that it works on memory of its
        # own as our loader does: adding the parent's edges touched its copy-on-write pages, which made
        # the baseline half as slow again.
        record("load (CSV -> graph)", _measure(load_ours, csv_folder), "networkx add_edges_from",
               _measure(load_networkx, pickle.dumps(edges), setup=lambda blob: (pickle.loads(blob),)))
        for name, rdf_format in (("N-Triples", "nt"), ("Turtle", "ttl")):
            ours = _measure(export_ours, g, rdf_format, folder / f"ours.{rdf_format}")
            record(f"{name} export", ours, "rdflib", _measure(export_rdflib, g, rdf_format, folder / f"rdflib.{rdf_format}"))
            record(f"{name} export", ours, "pyoxigraph",
                   _measure(export_oxigraph, g, rdf_format, folder / f"oxigraph.{rdf_format}"))
        ours = _measure(read_ours, nt)
        record("RDF load back (N-Triples)", ours, "rdflib parse", _measure(read_rdflib, nt))
        record("RDF load back (N-Triples)", ours, "pyoxigraph bulk_load", _measure(read_oxigraph, nt))
        record("SPARQL aggregate, first", _measure(query_ours_cold, g))
        ours = _query_only(query_ours, g)
        record("SPARQL aggregate, query", ours, "rdflib", _query_only(query_rdflib, nt))
        record("SPARQL aggregate, query", ours, "pyoxigraph", _query_only(query_oxigraph, nt))
        record("HTML view", _measure(html_ours, g))

    aikg = Path(sys.executable).parent / "aikg"
    aikg = str(aikg) if aikg.exists() else "aikg"
    python = sys.executable
    startup = [
        ("start-up: aikg --help", f"{aikg} --help", "python -c 'import click'", f"{python} -c 'import click'"),
        ("start-up: aikg show", f"{aikg} show anthropic", "python -c 'import networkx, yaml'",
         f"{python} -c 'import networkx, yaml'"),
    ]
    for stage, ours_command, baseline, baseline_command in startup:
        record(stage, (_median_command(ours_command), 0), baseline, (_median_command(baseline_command), 0))
    if args.json_file:
        Path(args.json_file).write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
