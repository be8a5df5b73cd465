"""The streamed N-Triples and Turtle writers hold exactly the triples of the rdflib path, at any size."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

import kg
from kg.exporters.rdf import build_rdf_graph, generate_ntriples, generate_turtle

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthetic import synthetic_graph  # noqa: E402

from conftest import MINIMAL, write_data  # noqa: E402
from test_rdf_tools import require  # noqa: E402

HOSTILE = "<b>\"quotes\"</b> \\ back\\slash\nnew\rline\ttab 日本語 \u2028 ' ; , . @en ^^ \U0001F600 _:x"


def _yaml_string(text: str) -> str:
    # YAML folds a raw line separator inside a quoted string, so it travels escaped.
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\u2028")


def _hostile(tmp_path) -> kg.KnowledgeGraph:
    quoted = _yaml_string(HOSTILE)
    return kg.load(write_data(
        tmp_path, entities_yaml=MINIMAL["entities.yaml"].replace("name: Small Lab", f"name: {quoted}")
        .replace("aliases: [BigCo]", f"aliases: [BigCo, {_yaml_string(HOSTILE + ' alias')}]"),
        deals_yaml=MINIMAL["deals.yaml"].replace("title: Big Co invests in Small Lab", f"title: {quoted}"),
        sources_yaml=MINIMAL["sources.yaml"].replace("publisher: Example News", f"publisher: {quoted}")))


@pytest.fixture(scope="module")
def medium() -> kg.KnowledgeGraph:
    return synthetic_graph(organizations=600, deals=2000, seed=7)


@pytest.mark.parametrize("which", ["bundled", "medium", "hostile"])
def test_streamed_files_hold_the_rdflib_paths_triples(which, bundled, medium, tmp_path):
    g = {"bundled": bundled, "medium": medium}.get(which) or _hostile(tmp_path)
    reference = rdflib.Graph().parse(data=build_rdf_graph(g).serialize(format="nt"), format="nt")
    for text, rdf_format in ((generate_ntriples(g), "nt"), (generate_turtle(g), "turtle")):
        streamed = rdflib.Graph().parse(data=text, format=rdf_format)
        assert len(streamed) == len(reference)
        assert isomorphic(streamed, reference)


def test_hostile_literals_survive_exactly(tmp_path):
    g = _hostile(tmp_path)
    assert g.entity("small-lab").name == HOSTILE
    for text, rdf_format in ((generate_ntriples(g), "nt"), (generate_turtle(g), "turtle")):
        parsed = rdflib.Graph().parse(data=text, format=rdf_format)
        labels = {str(o) for o in parsed.objects(None, rdflib.RDFS.label)}
        assert HOSTILE in labels


@pytest.mark.parametrize(("generate", "syntax"), [(generate_ntriples, "ntriples"), (generate_turtle, "turtle")])
def test_rapper_reads_the_streamed_medium_graph(medium, tmp_path, generate, syntax):
    rapper = require("rapper")
    path = tmp_path / "medium"
    path.write_text(generate(medium), encoding="utf-8")
    result = subprocess.run([rapper, "--count", "--input", syntax, str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and "Error" not in result.stderr, result.stderr
    assert int(result.stderr.split("returned ")[1].split()[0]) == len(build_rdf_graph(medium))


def test_a_medium_graph_reads_back_equal(medium, tmp_path):
    path = tmp_path / "medium.nt"
    path.write_text(generate_ntriples(medium), encoding="utf-8")
    assert kg.load_rdf(path) == medium
