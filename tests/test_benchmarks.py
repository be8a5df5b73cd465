"""The benchmark script runs end to end at a small size and reports what it promises."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


def test_the_benchmark_times_every_stage_against_its_baselines(tmp_path):
    out = tmp_path / "records.json"
    result = subprocess.run([sys.executable, str(BENCHMARK), "--triples", "3000", "--repeat", "1", "--json", str(out)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "synthetic graph: " in result.stdout and "load (CSV -> graph)" in result.stdout
    records = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["stage"], r["baseline"]) for r in records] == [
        ("load (CSV -> graph)", "networkx add_edges_from"),
        ("N-Triples export", "rdflib"), ("N-Triples export", "pyoxigraph, our triples"),
        ("N-Triples export", "pyoxigraph, plain triples"),
        ("Turtle export", "rdflib"), ("Turtle export", "pyoxigraph, our triples"),
        ("Turtle export", "pyoxigraph, plain triples"),
        ("aikg export (CSV -> N-Triples)", None),
        ("RDF load back (N-Triples)", "rdflib parse"), ("RDF load back (N-Triples)", "pyoxigraph bulk_load"),
        ("SPARQL aggregate, first", None),
        ("SPARQL aggregate, query", "rdflib"), ("SPARQL aggregate, query", "pyoxigraph"),
        ("HTML view, 1/10 of the size", None), ("HTML view, 3/10 of the size", None), ("HTML view", None),
        ("start-up: aikg --help", "python -c 'import click'"),
        ("start-up: aikg show", "python -c 'import networkx, yaml'"),
    ]
    assert "HTML view scaling exponent: " in result.stdout
    for record in records:
        assert set(record) == {"stage", "ours_s", "baseline", "baseline_s", "ratio", "peak_mib"}
        assert record["ours_s"] >= 0
        if record["baseline"] is None:
            assert record["baseline_s"] is None and record["ratio"] is None
        else:
            assert record["baseline_s"] > 0
            assert abs(record["ratio"] - record["ours_s"] / record["baseline_s"]) <= 0.006 + 0.002 * record["ratio"]
        assert (record["peak_mib"] > 0) == (not record["stage"].startswith("start-up"))


def test_the_circularity_benchmark_times_every_stage(tmp_path):
    out = tmp_path / "circularity.json"
    script = BENCHMARK.parent / "circularity.py"
    result = subprocess.run([sys.executable, str(script), "--runs", "20", "--triples", "3000", "--synthetic-runs", "5",
                             "--json", str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    records = json.loads(out.read_text(encoding="utf-8"))
    stages = [(r["graph"], r["stage"]) for r in records]
    assert ("bundled", "null model, 20 runs") in stages and ("synthetic", "null model, 5 runs") in stages
    assert ("bundled", "report (20 runs), built") in stages and ("synthetic", "report, rendered as HTML") in stages
    assert all(r["wall_s"] >= 0 and r["cpu_s"] >= 0 for r in records)
    assert re.search(r"bundled +[0-9,]+ families, [0-9,]+ flow edges, [0-9,]+ loops", result.stdout)


def test_the_query_benchmark_fits_a_scaling_exponent_per_query():
    script = BENCHMARK.parent / "queries.py"
    result = subprocess.run([sys.executable, str(script), "--triples", "3000", "--triples", "9000"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split()[-1] == "exponent" and "3,000 first" in header and "9,000 first" in header
    names = [row.split()[0] for row in rows]
    assert {"investors_of", "allies", "alliances", "path", "loops", "exposure"} <= set(names)
    assert all(len(row.split()) == 6 for row in rows)  # name, two sizes' first and warm times, exponent
