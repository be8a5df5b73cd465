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
    labels = {node["id"]: node["vis"]["label"] for node in data["entities"]}
    assert labels["small-lab"] == HOSTILE


def test_the_html_view_is_self_contained(bundled):
    page = generate_html(bundled)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page.split('id="aikg-data"')[0])
    assert "cdn" not in page.split("<script type=\"application/json\"")[0].lower()
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    data = json.loads(re.search(r'id="aikg-data">(.*?)</script>', page, re.S).group(1))
    node_ids = {node["id"] for node in data["entities"] + data["deals"]}
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


def test_the_view_has_a_style_for_every_kind_the_ontology_defines():
    from kg.exporters.html import _KIND_PRIORITY, DEAL_STYLES, ENTITY_STYLES
    from kg.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    assert set(DEAL_STYLES) == set(vocabulary.deal_kinds)
    assert set(ENTITY_STYLES) == set(vocabulary.entity_kinds) == set(_KIND_PRIORITY)


def test_no_two_kinds_look_alike_and_entities_and_deals_never_share_a_colour():
    from kg.exporters.html import DEAL_STYLES, ENTITY_STYLES, FLOW_STYLES

    assert len(set(ENTITY_STYLES.values())) == len(ENTITY_STYLES)  # colour and shape
    assert len(set(DEAL_STYLES.values())) == len(DEAL_STYLES)  # colour and line style
    entity_colours = {colour.lower() for colour, _ in ENTITY_STYLES.values()}
    assert not entity_colours & {colour.lower() for colour, _ in DEAL_STYLES.values()}
    assert not entity_colours & {colour.lower() for colour, _ in FLOW_STYLES.values()}
    # the clashes users met: investor/investment, fund/funding-round, cloud-provider/compute-commitment
    for entity, deal in (("investor", "investment"), ("fund", "funding-round"), ("cloud-provider", "compute-commitment")):
        assert ENTITY_STYLES[entity][0] != DEAL_STYLES[deal][0]


def test_the_view_stores_a_layout_that_the_same_data_always_gives(bundled):
    from kg.exporters.html import OVERVIEW_BOUND, OVERVIEW_FAMILIES, view_payload

    first, again = view_payload(bundled), view_payload(kg.load())
    spots = {node["id"]: (node["vis"]["x"], node["vis"]["y"]) for node in first["entities"] + first["deals"] + first["families"]}
    assert spots == {node["id"]: (node["vis"]["x"], node["vis"]["y"])
                     for node in again["entities"] + again["deals"] + again["families"]}
    assert first["options"]["physics"]["enabled"] is False
    heads = {family["head"] for family in first["families"]}
    assert OVERVIEW_FAMILIES <= len(heads) <= OVERVIEW_BOUND
    assert {"amazon", "anthropic", "openai", "microsoft", "nvidia", "alphabet", "oracle"} <= heads
    assert {head for loop in bundled.loops()[:10] for head in loop.families} <= heads


def test_the_overview_collapses_deals_into_flows_between_families(bundled):
    from kg.exporters.html import view_payload

    payload = view_payload(bundled)
    flows = {edge["id"]: edge for edge in payload["flowEdges"]}
    amazon_anthropic = flows["flow:amazon>anthropic"]
    years = {flow["year"] for flow in amazon_anthropic["flows"]}
    assert {2023, 2024, 2026} <= years and amazon_anthropic["buys"] == "equity"
    known = sum(flow["usd"] or 0 for flow in amazon_anthropic["flows"])
    assert known == bundled.flow_graph()["amazon"]["anthropic"]["known_usd"]
    # AWS's deals are Amazon's family's: no flow starts at a subsidiary
    assert not any(edge["from"] == "family:amazon-web-services" for edge in payload["flowEdges"])
    assert all(loop["steps"] and all(step["deals"] for step in loop["steps"]) for loop in payload["loops"])


def test_a_focused_view_opens_on_organizations_without_an_overview(bundled):
    from kg.exporters.html import view_payload

    payload = view_payload(bundled.view("Anthropic").graph, overview=False)
    assert payload["startMode"] == "deals" and payload["families"] == [] and payload["loops"] == []


def test_view_payload_widths_and_direct_edges(bundled):
    from kg.exporters.html import view_payload

    payload = view_payload(bundled)
    compute = [e for e in payload["directEdges"] if e["deal"] == "anthropic-aws-2026-04-compute"]
    assert [(e["from"], e["to"]) for e in compute] == [("anthropic", "amazon-web-services")]
    small = [e for e in payload["partyEdges"] if e["deal"] == "amazon-anthropic-2023-09-tranche"]
    assert compute[0]["width"] > small[0]["width"] > 1
    nvidia = next(e for e in payload["entities"] if e["id"] == "nvidia")
    assert [item["year"] for item in nvidia["profile"]["sections"][0]["items"]] == \
        [deal.announced_on.year for deal in bundled.deals(party="nvidia")]
    anthropic = next(e for e in payload["entities"] if e["id"] == "anthropic")
    assert anthropic["profile"]["chart"]["valuations"] and anthropic["profile"]["chart"]["funding"]


@pytest.mark.parametrize("extension", [".ttl", ".nt", ".jsonld"])
def test_load_rdf_reads_every_export_back_into_an_equal_graph(bundled, tmp_path, extension):
    name = {".ttl": "ttl", ".nt": "nt", ".jsonld": "jsonld"}[extension]
    [path] = write_exports(bundled, tmp_path, formats=(name,), companions=False)
    again = kg.load_rdf(path)
    assert again == bundled
    assert again.total_invested("Amazon", "Anthropic").known_usd == 13_000_000_000
    assert again.deal("anthropic-aws-2026-04-compute").power_qualifier == "up-to"
    assert again.deal("amazon-annapurna-labs-2015").announced_precision == "year"


def test_load_rdf_round_trips_hostile_strings(tmp_path):
    g = _hostile_graph(tmp_path / "data")
    [path] = write_exports(g, tmp_path / "out", formats=("nt",), companions=False)
    again = kg.load_rdf(path)
    assert again == g and again.entity("small-lab").name == HOSTILE


def test_load_rdf_reports_unreadable_input(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(kg.DataError, match="cannot parse as turtle"):
        kg.load_rdf(broken)
    truncated = tmp_path / "truncated.nt"
    lines = generate_ntriples(kg.load(write_data(tmp_path / "data"))).splitlines(keepends=True)
    truncated.write_text("".join(lines[:-3]) + lines[-3][:-10] + "\n" + "".join(lines[-2:]), encoding="utf-8")
    with pytest.raises(kg.DataError, match=f"truncated.nt:{len(lines) - 2}: cannot parse as n-triples"):
        kg.load_rdf(truncated)
    with pytest.raises(kg.DataError, match="no such file"):
        kg.load_rdf(tmp_path / "missing.nt")
    with pytest.raises(kg.DataError, match="cannot tell the RDF format"):
        kg.load_rdf(tmp_path / "graph.xml")


def test_a_changed_fact_makes_graphs_unequal(bundled, tmp_path):
    from conftest import MINIMAL

    first = kg.load(write_data(tmp_path / "a"))
    second = kg.load(write_data(tmp_path / "b", deals_yaml=MINIMAL["deals.yaml"].replace("1000000", "1000001")))
    assert first != second and first == kg.load(write_data(tmp_path / "c"))


def test_shortcut_edges_join_parties_of_live_deals(bundled_rdf):
    assert (ID["amazon"], AIKG.investsIn, ID["anthropic"]) in bundled_rdf
    assert (ID["anthropic"], AIKG.buysFrom, ID["amazon-web-services"]) in bundled_rdf
    assert (ID["amazon"], AIKG.acquired, ID["annapurna-labs"]) in bundled_rdf
    assert (ID["anthropic"], AIKG.investsIn, ID["amazon"]) not in bundled_rdf


def test_shortcuts_skip_terminated_deals(tmp_path):
    from conftest import MINIMAL

    g = kg.load(write_data(tmp_path, deals_yaml=MINIMAL["deals.yaml"].replace("status: completed", "status: terminated")))
    assert (ID["big-co"], AIKG.investsIn, ID["small-lab"]) not in build_rdf_graph(g)


def test_the_export_imports_the_ontology_and_publishes_its_context(bundled, tmp_path):
    written = {p.name: p for p in write_exports(bundled, tmp_path)}
    data = rdflib.Graph().parse(written["aikg.ttl"])
    assert (rdflib.URIRef("https://w3id.org/aikg/data"), rdflib.OWL.imports,
            rdflib.URIRef("https://w3id.org/aikg/ontology")) in data
    assert written["ontology.ttl"].read_text(encoding="utf-8") == (ONTOLOGY_DIR / "aikg.ttl").read_text(encoding="utf-8")
    published = json.loads(written["context.jsonld"].read_text(encoding="utf-8"))["@context"]
    inline = json.loads(written["aikg.jsonld"].read_text(encoding="utf-8"))["@context"]
    assert published == inline
    assert inline["investor"] == {"@id": "aikg:investor", "@type": "@id"}


def test_instance_iris_are_percent_encoded_and_reversible():
    from kg.rdfterms import instance_id, instance_iri

    for identifier in ["amazon", "a b", "x/y?z#w", "日本", '"<>\\']:
        iri = instance_iri(identifier)
        assert all(ch not in str(iri) for ch in ' "<>\\{}|^`') and instance_id(iri) == identifier


# --- graph tools beyond RDF ----------------------------------------------------------------------

def test_graphml_and_gexf_read_back_in_networkx(bundled, tmp_path):
    import networkx as nx

    from kg.exporters import export

    [graphml] = export(bundled, tmp_path / "aikg.graphml")
    [gexf] = export(bundled, tmp_path / "g.xml", "gexf")
    for graph in (nx.read_graphml(graphml), nx.read_gexf(gexf)):
        assert graph.number_of_nodes() == bundled.graph.number_of_nodes()
        assert graph.number_of_edges() == bundled.graph.number_of_edges()
    read = nx.read_graphml(graphml)
    assert read.nodes["amazon-anthropic-2024-11"]["amount_usd"] == 4_000_000_000
    assert read.nodes["amazon-anthropic-2024-11"]["announced_on"] == "2024-11-22"
    assert read.nodes["amazon"]["kinds"] == "company; investor"
    # an ownership date keeps its own precision: Annapurna Labs is Amazon's since January 2015
    assert read.nodes["annapurna-labs"]["parent_since"] == "2015-01"
    assert [data["since"] for _, target, data in read.out_edges("annapurna-labs", data=True) if target == "amazon"] == ["2015-01"]


def test_csv_writes_a_node_table_and_an_edge_table(bundled, tmp_path):
    import csv

    from kg.exporters import export

    nodes_path, edges_path = export(bundled, tmp_path / "aikg.csv")
    assert (nodes_path.name, edges_path.name) == ("aikg.nodes.csv", "aikg.edges.csv")
    nodes = list(csv.DictReader(nodes_path.read_text(encoding="utf-8").splitlines()))
    edges = list(csv.DictReader(edges_path.read_text(encoding="utf-8").splitlines()))
    assert len(nodes) == bundled.graph.number_of_nodes() and len(edges) == bundled.graph.number_of_edges()
    assert {"source": "amazon", "target": "amazon-anthropic-2024-11", "relation": "party", "role": "investor"}.items() \
        <= next(e for e in edges if e["target"] == "amazon-anthropic-2024-11" and e["source"] == "amazon").items()


def test_cli_export_guesses_the_format_from_the_extension(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["export", "--out", str(tmp_path / "graph.gexf")])
    assert result.exit_code == 0 and (tmp_path / "graph.gexf").read_text(encoding="utf-8").startswith("<gexf")
    result = runner.invoke(main, ["export", "--out", str(tmp_path / "graph.docx")])
    assert result.exit_code == 1 and "cannot tell the format" in result.output
    result = runner.invoke(main, ["export", "--format", "nt", "--out", str(tmp_path / "graph.txt")])
    assert result.exit_code == 0 and len(rdflib.Graph().parse(tmp_path / "graph.txt", format="nt")) > 500


def test_views_display_inline_in_jupyter(bundled):
    import html as html_module

    page = bundled.view("Anthropic", depth=1)
    shown = page._repr_html_()
    assert shown.startswith("<iframe srcdoc=\"") and 'sandbox="allow-scripts allow-popups"' in shown
    srcdoc = shown.split('srcdoc="', 1)[1].split('" sandbox=', 1)[0]
    assert '"' not in srcdoc and html_module.unescape(srcdoc) == page.html
    assert bundled._repr_html_().startswith("<iframe srcdoc=")


def test_a_focused_view_keeps_what_its_profiles_name(bundled):
    sub = bundled.view("AWS", depth=1).graph
    assert "amazon" in {e.id for e in sub.entities()}  # AWS's parent, named in its profile
    for deal in sub.deals():
        assert set(deal.party_ids) <= {e.id for e in sub.entities()}
    with pytest.raises(ValueError, match="unknown entity kind"):
        bundled.view(kinds=["robot"])
