"""The exports proven in independent tools: the rapper parser, and an Oxigraph SPARQL server."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.exporters import write_exports
from kg.push import push
from kg.sparql import read_query, run_query, shipped_queries

GRAPH = "https://w3id.org/aikg/data"


INSTALL = {"rapper": "apt-get install raptor2-utils", "oxigraph": "pip install -e '.[test]'"}


def require(program: str) -> str:
    """The program's path: beside this Python (a virtualenv's bin/), else on PATH."""
    beside = Path(sys.executable).parent / program
    path = str(beside) if beside.exists() else shutil.which(program)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is missing: CI must install it (see .ci/run)")
        pytest.skip(f"{program} is not installed ({INSTALL.get(program, 'see .ci/run')})")
    return path


@pytest.fixture(scope="module")
def exports(bundled, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    write_exports(bundled, out, formats=("ttl", "nt"), companions=False)
    return out


@pytest.mark.parametrize(("name", "syntax"), [("aikg.ttl", "turtle"), ("aikg.nt", "ntriples")])
def test_rapper_parses_the_export_with_the_same_triple_count(exports, name, syntax):
    rapper = require("rapper")
    result = subprocess.run([rapper, "--count", "--input", syntax, str(exports / name)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr
    count = int(result.stderr.split("returned ")[1].split()[0])
    assert count == len(rdflib.Graph().parse(exports / name))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """An Oxigraph server on a free loopback port, stopped after the module's tests."""
    program = require("oxigraph")
    port = _free_port()
    process = subprocess.Popen(
        [program, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"oxigraph did not start: {process.stderr.read().decode()}")
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)
    process.stderr.close()


def _select(base: str, query: str) -> list[dict]:
    body = urllib.parse.urlencode({"query": query, "default-graph-uri": GRAPH}).encode()
    request = urllib.request.Request(f"{base}/query", data=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        document = json.load(response)
    columns = document["head"]["vars"]
    rows = []
    for binding in document["results"]["bindings"]:
        row = {}
        for column in columns:
            value = binding.get(column)
            if value is None:
                row[column] = None
            elif value.get("datatype", "").rsplit("#", 1)[-1] in ("decimal", "integer", "double"):
                row[column] = Decimal(value["value"])
            else:
                row[column] = value["value"]
        rows.append(row)
    return rows


def _count(base: str) -> int:
    [row] = _select(base, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(row["n"])


def test_push_loads_the_export_into_oxigraph(oxigraph, bundled):
    result = CliRunner().invoke(main, ["push", "--endpoint", f"{oxigraph}/store", "--graph", GRAPH])
    assert result.exit_code == 0, result.output
    assert _count(oxigraph) == len(rdflib.Graph().parse(data=_ntriples(bundled), format="nt"))


def _ntriples(g) -> str:
    from kg.exporters.rdf import generate_ntriples

    return generate_ntriples(g)


@pytest.mark.parametrize("name", sorted(shipped_queries()))
def test_every_shipped_query_answers_the_same_in_oxigraph_and_rdflib(oxigraph, bundled, name):
    push(_ntriples(bundled), f"{oxigraph}/store", GRAPH)
    ours = run_query(bundled, name, engine="rdflib").to_dicts()
    theirs = _select(oxigraph, read_query(name))
    assert theirs == ours
    assert ours, "a shipped query should answer something on the bundled data"


def test_a_failed_push_leaves_the_previous_graph(oxigraph, bundled):
    push(_ntriples(bundled), f"{oxigraph}/store", GRAPH)
    before = _count(oxigraph)
    with pytest.raises(kg.PushError, match="HTTP 400"):
        push('<https://example.org/s> <https://example.org/p> "unterminated .\n', f"{oxigraph}/store", GRAPH)
    assert _count(oxigraph) == before


def test_push_replaces_the_graph_instead_of_adding_to_it(oxigraph, bundled, tmp_path):
    push(_ntriples(bundled), f"{oxigraph}/store", GRAPH)
    push(_ntriples(bundled), f"{oxigraph}/store", GRAPH)
    assert _count(oxigraph) == len(rdflib.Graph().parse(data=_ntriples(bundled), format="nt"))


def test_push_to_a_closed_port_says_so():
    result = CliRunner().invoke(main, ["push", "--endpoint", f"http://127.0.0.1:{_free_port()}/store"])
    assert result.exit_code == 1
    assert "cannot reach" in result.output and "is the server running?" in result.output
