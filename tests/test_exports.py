"""Exports: correct RDF in every format, a safe self-contained HTML view, atomic and deterministic."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.compare import isomorphic

import kg
from kg.exporters import BUILD_FORMATS, FORMATS, format_for_path, write_exports
from kg.exporters.html import generate_html
from kg.exporters.rdf import AIKG, ID, build_rdf_graph, generate_jsonld, generate_ntriples, generate_turtle
from kg.resources import ONTOLOGY_DIR

from conftest import MINIMAL, write_data

REPOSITORY = Path(__file__).resolve().parent.parent
HOSTILE = "<img src=x onerror=alert(1)></script><script>alert(2)</script> \"quoted\" back\\slash\nnew line 日本語 Ελληνικά &amp; \u2028"


@pytest.fixture(scope="module")
def bundled_rdf(bundled) -> rdflib.Graph:
    return build_rdf_graph(bundled)


def test_the_committed_exports_are_up_to_date(bundled, tmp_path):
    written = write_exports(bundled, tmp_path)
    for path in written:
        committed = REPOSITORY / "exports" / path.name
        assert committed.exists(), f"{committed} is missing: run `aikg build`"
        assert committed.read_bytes() == path.read_bytes(), f"{committed} is stale: run `aikg build`"


def test_build_is_deterministic(bundled, tmp_path):
    first = {p.name: p.read_bytes() for p in write_exports(bundled, tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in write_exports(kg.load(), tmp_path / "b")}
    assert first == second
    assert sorted(first) == ["aikg.html", "aikg.jsonld", "aikg.nt", "aikg.ttl", "context.jsonld", "ontology.ttl"]


@pytest.mark.parametrize(("generate", "rdf_format"), [
    (generate_turtle, "turtle"), (generate_ntriples, "nt"), (generate_jsonld, "json-ld")])
def test_every_rdf_format_holds_the_same_graph(bundled, bundled_rdf, generate, rdf_format):
    parsed = rdflib.Graph().parse(data=generate(bundled), format=rdf_format)
    assert len(parsed) == len(bundled_rdf) > 500
    assert isomorphic(parsed, bundled_rdf)


def test_rdf_states_the_facts_with_typed_literals(bundled_rdf):
    rows = list(bundled_rdf.query("""
        PREFIX aikg: <https://w3id.org/aikg/ontology#>
        PREFIX id: <https://w3id.org/aikg/id/>
        SELECT (SUM(?usd) AS ?total) WHERE {
          ?deal a aikg:Investment ; aikg:investor id:amazon ; aikg:investee id:anthropic ;
                aikg:amountUSD ?usd ; aikg:status ?status .
          FILTER (?status != aikg:Contingent)
          FILTER NOT EXISTS { ?tranche aikg:partOf ?deal }
        }"""))
    assert float(rows[0][0]) == 13_000_000_000
    deal = ID["anthropic-aws-2026-04-compute"]
    assert bundled_rdf.value(deal, AIKG.powerQualifier) == AIKG.UpTo
    assert bundled_rdf.value(deal, AIKG.amountQualifier) == AIKG.MoreThan
    assert bundled_rdf.value(deal, AIKG.amount).datatype == rdflib.XSD.decimal
    assert bundled_rdf.value(ID["amazon-annapurna-labs-2015"], AIKG.announcedOn).datatype == rdflib.XSD.gYear
    assert bundled_rdf.value(ID["anthropic-2026-04-offers"], AIKG.valuedOn).datatype == rdflib.XSD.gYearMonth
    source = bundled_rdf.value(deal, AIKG.source)
    assert bundled_rdf.value(source, rdflib.DCTERMS.publisher) is not None
    assert bundled_rdf.value(ID["amazon-web-services"], AIKG.parentOrganization) == ID["amazon"]


def _conforms(data: rdflib.Graph) -> tuple[bool, str]:
    shapes = rdflib.Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    conforms, _, report = pyshacl.validate(data, shacl_graph=shapes)
    return conforms, report


def test_the_export_conforms_to_the_shapes(bundled_rdf):
    conforms, report = _conforms(bundled_rdf)
    assert conforms, report


@pytest.mark.parametrize(("damage", "message"), [
    (lambda g, d: g.remove((d, AIKG.source, None)), "A deal cites at least one source."),
    (lambda g, d: g.set((d, AIKG.amount, rdflib.Literal("-5", datatype=rdflib.XSD.decimal))), "MinInclusive"),
    (lambda g, d: (g.remove((d, AIKG.investor, ID["amazon"])), g.add((d, AIKG.party, ID["amazon"]))),
     "A party must be linked through its role"),
    (lambda g, d: g.remove((d, AIKG.announcedOn, None)), "one announcement date"),
])
def test_the_shapes_reject_bad_data(bundled_rdf, damage, message):
    damaged = rdflib.Graph()
    for triple in bundled_rdf:
        damaged.add(triple)
    damage(damaged, ID["amazon-anthropic-2024-11"])
    conforms, report = _conforms(damaged)
    assert not conforms
    assert message in report


def _hostile_graph(tmp_path) -> kg.KnowledgeGraph:
    quoted = json.dumps(HOSTILE)
    entities = MINIMAL["entities.yaml"].replace("name: Small Lab", f"name: {quoted}")
    deals = MINIMAL["deals.yaml"].replace("title: Big Co invests in Small Lab", f"title: {quoted}")
    sources = MINIMAL["sources.yaml"].replace("publisher: Example News", f"publisher: {quoted}")
    return kg.load(write_data(tmp_path, entities_yaml=entities, deals_yaml=deals, sources_yaml=sources))


@pytest.mark.parametrize(("generate", "rdf_format"), [
    (generate_turtle, "turtle"), (generate_ntriples, "nt"), (generate_jsonld, "json-ld")])
def test_hostile_strings_round_trip_exactly_in_rdf(tmp_path, generate, rdf_format):
    g = _hostile_graph(tmp_path)
    parsed = rdflib.Graph().parse(data=generate(g), format=rdf_format)
    assert str(parsed.value(ID["small-lab"], rdflib.RDFS.label)) == HOSTILE
    assert str(parsed.value(ID["big-co-small-lab-2024"], rdflib.RDFS.label)) == HOSTILE
    assert str(parsed.value(ID["example-2024-01-02"], rdflib.DCTERMS.publisher)) == HOSTILE


def test_hostile_strings_cannot_escape_the_html_data_block(tmp_path):
    page = generate_html(_hostile_graph(tmp_path))
    assert "<img src=x" not in page and "</script><script>alert(2)" not in page
    [block] = re.findall(r'<script type="application/json" id="aikg-data">(.*?)</script>', page, re.S)
    data = json.loads(block)
    labels = {node["id"]: node["label"] for node in data["nodes"]}
    assert labels["small-lab"] == HOSTILE


def test_the_html_view_is_self_contained(bundled):
    page = generate_html(bundled)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page.split('id="aikg-data"')[0])
    assert "cdn" not in page.split("<script>")[0].lower()
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    data = json.loads(re.search(r'id="aikg-data">(.*?)</script>', page, re.S).group(1))
    node_ids = {node["id"] for node in data["nodes"]}
    assert node_ids == {e.id for e in bundled.entities()} | {d.id for d in bundled.deals()}


def test_a_failed_build_leaves_earlier_exports_intact(bundled, tmp_path, monkeypatch):
    out = tmp_path / "exports"
    write_exports(bundled, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(graph):
        raise RuntimeError("the HTML exporter failed")

    monkeypatch.setattr("kg.exporters.html.generate_html", broken)
    with pytest.raises(RuntimeError):
        write_exports(bundled, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_an_unwritable_target_raises_export_error_and_leaves_no_temporary_files(bundled, tmp_path):
    out = tmp_path / "exports"
    (out / "aikg.nt").mkdir(parents=True)  # a folder where a file must go: os.replace fails
    with pytest.raises(kg.ExportError, match="cannot write"):
        write_exports(bundled, out)
    assert sorted(p.name for p in out.iterdir()) == ["aikg.nt"]


def test_format_registry():
    assert set(BUILD_FORMATS) <= set(FORMATS)
    assert format_for_path("x/graph.jsonld") == "jsonld"
    with pytest.raises(kg.ExportError, match="cannot tell the format"):
        format_for_path("graph.docx")


def test_the_view_has_a_colour_for_every_kind_the_ontology_defines():
    from kg.exporters.html import DEAL_COLORS, ENTITY_COLORS
    from kg.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    assert set(DEAL_COLORS) == set(vocabulary.deal_kinds)
    assert set(ENTITY_COLORS) == set(vocabulary.entity_kinds)
