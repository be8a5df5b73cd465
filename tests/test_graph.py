"""The model answers the founding facts exactly, and its totals never double count."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

import kg
from kg.model import Total

from conftest import MINIMAL, write_data

B = 1_000_000_000


# --- the founding facts, from the bundled data ---------------------------------------------------

def test_amazon_anthropic_totals(bundled):
    assert bundled.total_invested("Amazon", "Anthropic").known_usd == 13 * B
    assert bundled.total_invested("amazon", "anthropic", include_contingent=True).known_usd == 33 * B
    assert bundled.as_of("2025-12-31").total_invested("Amazon", "Anthropic").known_usd == 8 * B
    assert bundled.as_of(dt.date(2025, 12, 31)).total_invested("Amazon", "Anthropic", include_contingent=True).known_usd == 8 * B


def test_amazon_anthropic_tranches_sit_under_their_umbrella(bundled):
    umbrella = bundled.deal("amazon-anthropic-2023-agreement")
    assert (umbrella.amount_usd, umbrella.amount_qualifier) == (4 * B, "up-to")
    tranches = bundled.tranches(umbrella.id)
    assert [(t.announced_on, t.amount_usd) for t in tranches] == [
        (dt.date(2023, 9, 25), 1.25 * B), (dt.date(2024, 3, 27), 2.75 * B)]
    assert sum(t.amount_usd for t in tranches) == umbrella.amount_usd


def test_contingent_milestone_money(bundled):
    deal = bundled.deal("amazon-anthropic-2026-04-milestones")
    assert (deal.status, deal.amount_qualifier, deal.amount_usd) == ("contingent", "up-to", 20 * B)
    assert deal.conditions and "milestones" in deal.conditions


def test_aws_compute_commitment(bundled):
    deal = bundled.deal("anthropic-aws-2026-04-compute")
    assert deal.kind == "compute-commitment"
    assert deal.parties == {"customer": ("anthropic",), "provider": ("amazon-web-services",)}
    assert (deal.amount_usd, deal.amount_qualifier) == (100 * B, "more-than")
    assert (deal.power_gw, deal.power_qualifier) == (5.0, "up-to")
    assert float(deal.duration_years) == 10
    assert (int(deal.customers.value), deal.customers.qualifier) == (100_000, "more-than")
    assert "trainium" in deal.products
    assert deal.sources


def test_broadcom_google_compute_is_one_deal_with_several_parties(bundled):
    [deal] = [d for d in bundled.deals(party="Broadcom") if d.kind == "compute-commitment"]
    assert set(deal.parties["provider"]) == {"google", "broadcom"}
    assert deal.parties["customer"] == ("anthropic",)
    assert deal.power_gw == 3.5


def test_valuation_claims_keep_their_own_sources(bundled):
    claims = {(v.amount_usd, v.basis): v for v in bundled.valuations("Anthropic")}
    february = claims[(380 * B, "post-money")]
    assert (february.date, february.status) == (dt.date(2026, 2, 12), "completed")
    amazon_deal = [v for v in bundled.valuations("anthropic") if v.deal == "amazon-anthropic-2026-04"]
    assert sorted(v.amount_usd for v in amazon_deal) == [350 * B, 380 * B]
    assert all(v.sources for v in amazon_deal)
    assert set(amazon_deal[0].sources).isdisjoint(amazon_deal[1].sources)
    offer = [v for v in bundled.valuations("anthropic") if v.basis == "offer"]
    assert [(v.amount_usd, v.amount.qualifier, v.status) for v in offer] == [(800 * B, "more-than", "reported")]


def test_structure(bundled):
    assert bundled.entity("AWS").parent == "amazon"
    assert bundled.entity("Annapurna Labs").parent == "amazon"
    assert bundled.entity("Trainium").maker == "amazon"
    assert bundled.entity("Claude").maker == "anthropic"
    assert bundled.entity("Gemini").maker == "google"
    assert bundled.entity("TPU").maker == "google"
    assert bundled.total_invested("Microsoft", "OpenAI") == Total(13 * B)
    assert {"microsoft-openai-2019", "microsoft-openai-2023"} <= {d.id for d in bundled.deals(party="Microsoft", kind="investment")}


def test_every_deal_and_valuation_cites_existing_sources(bundled):
    for item in [*bundled.deals(), *bundled.dataset.valuations]:
        assert item.sources and all(source in bundled.sources for source in item.sources)


# --- lookups -------------------------------------------------------------------------------------

def test_lookup_by_id_name_or_alias_in_any_case(bundled):
    assert bundled.entity("amazon-web-services") is bundled.entity("Amazon Web Services") is bundled.entity("aws")


def test_unknown_entity_suggests_names(bundled):
    with pytest.raises(kg.UnknownEntityError) as caught:
        bundled.entity("Antropic")
    assert caught.value.suggestions[0] == "Anthropic"
    assert "did you mean 'Anthropic'" in str(caught.value)
    with pytest.raises(kg.UnknownEntityError):
        bundled.total_invested("Nobody At All", "Anthropic")


def test_entities_by_kind(bundled):
    chips = bundled.entities("chip")
    assert {"trainium", "tpu"} <= {e.id for e in chips} and all("chip" in e.kinds for e in chips)
    with pytest.raises(ValueError, match="unknown entity kind 'robot'"):
        bundled.entities("robot")


def test_deals_filters(bundled):
    deals = bundled.deals(party="Amazon", kind="investment", since="2024", until="2024-12")
    assert [d.id for d in deals] == ["amazon-anthropic-2024-03-tranche", "amazon-anthropic-2024-11"]
    assert bundled.deals(party="Amazon", kind="acquisition")[0].parties["acquiree"] == ("annapurna-labs",)
    assert {"amazon-anthropic-2024-11", "anthropic-aws-2026-04-compute"} <= {d.id for d in bundled.deals(product="Trainium")}
    assert all("trainium" in d.products for d in bundled.deals(product="Trainium"))
    with pytest.raises(ValueError, match="unknown deal kind"):
        bundled.deals(kind="merger")


# --- the graph -----------------------------------------------------------------------------------

def test_graph_is_a_multidigraph_of_entities_and_deals_with_role_edges(bundled):
    graph = bundled.graph
    assert isinstance(graph, nx.MultiDiGraph)
    deal = "amazon-anthropic-2024-11"
    assert graph.nodes[deal]["type"] == "deal" and graph.nodes["amazon"]["type"] == "entity"
    assert graph.edges["amazon", deal, "investor"]["role"] == "investor"
    assert graph.edges[deal, "anthropic", "investee"]["role"] == "investee"
    assert graph.edges["amazon-web-services", "amazon", "parent"]["relation"] == "parent"
    compute = "anthropic-aws-2026-04-compute"
    assert graph.has_edge("anthropic", compute) and graph.has_edge(compute, "amazon-web-services")
    assert nx.has_path(graph, "amazon", "anthropic")


# --- totals on small hand-made graphs ------------------------------------------------------------

DEALS = """
    - id: umbrella
      kind: investment
      title: Up to 10 in two tranches
      parties: {investor: [big-co], investee: [small-lab]}
      announced_on: 2024-01
      status: completed
      amount: {value: 10, qualifier: up-to}
      sources: [example-2024-01-02]
    - id: tranche-a
      kind: investment
      title: First tranche
      parties: {investor: [big-co], investee: [small-lab]}
      announced_on: 2024-01-15
      status: completed
      amount: {value: 4}
      part_of: umbrella
      sources: [example-2024-01-02]
    - id: tranche-b
      kind: investment
      title: Second tranche
      parties: {investor: [big-co], investee: [small-lab]}
      announced_on: 2024-06
      status: completed
      amount: {value: 6}
      part_of: umbrella
      sources: [example-2024-01-02]
    - id: lone
      kind: investment
      title: A standalone up-to agreement counts as stated
      parties: {investor: [big-cloud], investee: [small-lab]}
      announced_on: 2025
      status: announced
      amount: {value: 100, qualifier: up-to}
      sources: [example-2024-01-02]
    - id: shared-round
      kind: investment
      title: A round with another investor does not say who paid what
      parties: {investor: [big-co, other-fund], investee: [small-lab]}
      announced_on: 2025-02-01
      status: completed
      amount: {value: 1000}
      sources: [example-2024-01-02]
    - id: called-off
      kind: investment
      title: Terminated
      parties: {investor: [big-co], investee: [small-lab]}
      announced_on: 2025-03-01
      status: terminated
      amount: {value: 5000}
      sources: [example-2024-01-02]
    - id: if-milestones
      kind: investment
      title: Contingent
      parties: {investor: [big-co], investee: [small-lab]}
      announced_on: 2025-04-01
      status: contingent
      amount: {value: 20000, qualifier: up-to}
      sources: [example-2024-01-02]
    - id: in-euros
      kind: investment
      title: Euros without a dollar figure
      parties: {investor: [big-co], investee: [small-lab]}
      announced_on: 2025-05-01
      status: completed
      amount: {value: 70000, currency: EUR}
      sources: [example-2024-01-02]
    - id: in-pounds
      kind: investment
      title: Pounds with a dollar figure
      parties: {investor: [big-co], investee: [small-lab]}
      announced_on: 2025-05-02
      status: completed
      amount: {value: 300000, currency: GBP, usd: 400000}
      sources: [example-2024-01-02]
    """
ENTITIES = MINIMAL["entities.yaml"] + """
        - id: other-fund
          name: Other Fund
          kinds: [fund]
        - id: idle-co
          name: Idle Co
          kinds: [company]
        """


@pytest.fixture
def small(tmp_path) -> kg.KnowledgeGraph:
    return kg.load(write_data(tmp_path, deals_yaml=DEALS, entities_yaml=ENTITIES))


def test_totals_count_tranches_not_their_umbrella_and_include_subsidiaries(small):
    # 4 + 6 (tranches) + 100 (big-cloud, a subsidiary) + 400,000 (GBP's dollar figure)
    assert small.total_invested("Big Co", "Small Lab").known_usd == 400_110
    assert small.total_invested("Big Cloud", "Small Lab").known_usd == 100


def test_contingent_only_on_request_and_terminated_never(small):
    assert small.total_invested("big-co", "small-lab", include_contingent=True).known_usd == 420_110


def test_as_of_month_precision_and_umbrellas(small):
    # 2024-01 means the end of January: the umbrella and its first tranche, not the June one.
    assert small.as_of("2024-01").total_invested("big-co", "small-lab").known_usd == 4
    assert small.as_of("2024").total_invested("big-co", "small-lab").known_usd == 10
    assert small.as_of("2023").total_invested("big-co", "small-lab") == Total()  # nothing, which is not $0
    assert [d.id for d in small.as_of("2024-01").deals()] == ["umbrella", "tranche-a"]
    assert small.as_of("2024-01").tranches("umbrella")[0].id == "tranche-a"


def test_umbrella_without_tranches_counts_itself(tmp_path):
    deals = DEALS.split("    - id: tranche-a")[0]
    g = kg.load(write_data(tmp_path, deals_yaml=deals, entities_yaml=ENTITIES))
    assert g.total_invested("big-co", "small-lab").known_usd == 10


def test_entity_with_no_deals(small):
    assert small.deals(party="Idle Co") == []
    assert small.total_invested("Idle Co", "Small Lab") == Total()  # nothing, which is not $0
    assert small.valuations("Idle Co") == []


def test_as_of_keeps_valuations_up_to_the_date(small):
    assert len(small.valuations("small-lab")) == 1
    assert small.as_of("2023-12-31").valuations("small-lab") == []


def test_to_dict_round_trips_the_written_form(small):
    deal = small.deal("in-pounds").to_dict()
    assert deal["amount"] == "300000" and deal["currency"] == "GBP" and deal["amount_usd"] == 400000.0
    assert small.deal("umbrella").to_dict()["announced_on"] == "2024-01"


def test_the_graph_is_what_networkx_calls_would_build(bundled):
    import networkx as nx

    expected = nx.MultiDiGraph()
    for node, attributes in bundled.graph.nodes(data=True):
        expected.add_node(node, **attributes)
    for start, end, key, data in bundled.graph.edges(keys=True, data=True):
        expected.add_edge(start, end, key=key, **data)
    assert nx.utils.graphs_equal(bundled.graph, expected)
    assert {node: dict(p) for node, p in bundled.graph.pred.items()} == {node: dict(p) for node, p in expected.pred.items()}
    deal = bundled.deal("amazon-anthropic-2024-11")
    assert set(bundled.graph.in_edges(deal.id, keys=True)) | set(bundled.graph.out_edges(deal.id, keys=True)) == {
        ("amazon", deal.id, "investor"), (deal.id, "anthropic", "investee"), (deal.id, "trainium", "product")}
    assert bundled.graph.nodes[deal.id]["sources"] is deal.sources  # shared with the record, not copied
