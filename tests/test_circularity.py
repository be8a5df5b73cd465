"""Loops, the circularity index, the null model and exposure on small hand-made graphs with known answers."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import kg
from kg.analysis.nullmodel import measure, rewirings
from kg.cli import main
from kg.flows import READINGS
from kg.model import Total

from conftest import deal_yaml as deal
from conftest import write_data

SOURCES = """
    - id: s
      publisher: Example
      title: Example facts
      published_on: 2020-01-01
    - id: t
      publisher: Other Wire
      title: Other facts
      published_on: 2020-01-01
    """


def _entities(*names: str) -> str:
    return "".join(f"\n    - id: {name}\n      name: {name.title()}\n      kinds: [company]\n" for name in names)


def _graph(tmp_path, entities: str, deals: str) -> kg.KnowledgeGraph:
    return kg.load(write_data(tmp_path / "data", sources_yaml=SOURCES, entities_yaml=entities, deals_yaml=deals,
                              valuations_yaml="", products_yaml=""))


# --- loops and the index -------------------------------------------------------------------------

def test_a_graph_without_loops_has_index_zero(tmp_path):
    g = _graph(tmp_path, _entities("a", "b", "c"), "".join([
        deal("a-b", "investment", "{investor: [a], investee: [b]}", "2021-01-01", amount="{value: 10}"),
        deal("b-c", "compute-commitment", "{customer: [b], provider: [c]}", "2022-01-01", amount="{value: 5}"),
    ]))
    index = g.circularity_index()
    assert (index.loops, index.index, index.on_loops, index.total_usd) == (0, 0.0, 0.0, 15.0)
    assert g.loops() == [] and g.hubs() == []
    assert all(row.loops == 0 for row in g.circularity_by_year(2020, 2023))


def test_a_planted_loop_is_found_with_its_score_index_and_year(tmp_path):
    # a invests 10 in b (two publishers); b buys 4 of compute from c; c buys 8 of chips from a.
    g = _graph(tmp_path, _entities("a", "b", "c", "d"), "".join([
        deal("a-b", "investment", "{investor: [a], investee: [b]}", "2021-03-01", amount="{value: 10}",
             sources="[s, t]"),
        deal("b-c", "compute-commitment", "{customer: [b], provider: [c]}", "2022-06-01", "announced",
             amount="{value: 4}", sources="[s, t]"),
        deal("c-a", "supply", "{customer: [c], provider: [a]}", "2023-09-01", "reported", amount="{value: 8}",
             sources="[s, t]"),
        deal("d-a", "investment", "{investor: [d], investee: [a]}", "2023-01-01", amount="{value: 20}"),
    ]))
    [loop] = g.loops()
    assert loop.families == ("a", "b", "c") and loop.closed_on.isoformat() == "2023-09-01"
    assert [step.exchanges for step in loop.steps] == [("equity",), ("compute",), ("compute",)]
    assert [step.publishers for step in loop.steps] == [("Example", "Other Wire")] * 3
    # balance 4/10; two exchanges on three steps: (2-1)/(3-1); weakest step reported, corroborated: 0.6
    assert (loop.balance, loop.diversity, loop.evidence, loop.circulating_usd) == (0.4, 0.5, 0.6, 4.0)
    assert loop.score == round(100 * (0.4 * 0.4 + 0.3 * 0.5 + 0.3 * 0.6), 1) == 49.0
    # Each edge returns at most the loop's smallest step: 4 of 10, 4 of 4, 4 of 8; d's 20 does not return.
    index = g.circularity_index()
    assert (index.returned_usd, index.on_loops_usd, index.total_usd) == (12.0, 22.0, 42.0)
    assert index.index == pytest.approx(12 / 42) and index.on_loops == pytest.approx(22 / 42)
    assert g.circularity_index(max_length=2).loops == 0
    years = {row.year: row for row in g.circularity_by_year(2021, 2024)}
    assert [years[y].loops for y in (2021, 2022, 2023, 2024)] == [0, 0, 1, 1]
    assert years[2023].closed == ("a → b → c → a",) and years[2022].index == 0.0
    [hub_a, *_] = g.hubs()
    assert (hub_a.family, hub_a.loops, hub_a.share, hub_a.circulating) == ("a", 1, 1.0, Total(4.0))


def test_undisclosed_steps_are_counted_as_undisclosed_never_zero(tmp_path):
    g = _graph(tmp_path, _entities("a", "b"), "".join([
        deal("a-b", "investment", "{investor: [a], investee: [b]}", "2021-03-01", amount="{value: 10}"),
        deal("b-a", "compute-commitment", "{customer: [b], provider: [a]}", "2022-06-01"),
    ]))
    [loop] = g.loops()
    assert loop.steps[1].amount == Total(None, 1) and str(loop.steps[1].amount) == "undisclosed"
    assert loop.circulating_usd is None and loop.balance is None
    index = g.circularity_index()
    assert (index.returned_usd, index.on_loops_usd, index.total_usd, index.undisclosed_edges) == (0.0, 10.0, 10.0, 1)
    [hub, _] = g.hubs()
    assert hub.circulating == Total(None, 1) and str(hub.circulating) == "undisclosed"
    rows = json.loads(CliRunner().invoke(main, ["loops", "--format", "json", "--data", str(tmp_path / "data")]).output)
    assert rows[0]["circulating_usd"] is None and rows[0]["steps"][1] == {"known_usd": None, "undisclosed": 1, "shared": 0}


def test_readings_say_which_deals_count(tmp_path):
    g = _graph(tmp_path, _entities("a", "b"), "".join([
        deal("a-b", "investment", "{investor: [a], investee: [b]}", "2021-03-01", "contingent", amount="{value: 10}"),
        deal("b-a", "compute-commitment", "{customer: [b], provider: [a]}", "2022-06-01", "announced",
             amount="{value: 30}"),
    ]))
    assert g.loops() == [] and g.loops(reading="closed") == []
    [loop] = g.loops(reading="ceiling")
    assert loop.reading == "ceiling" and loop.steps[0].statuses == ("contingent",)
    assert g.circularity_index(reading="ceiling").index == pytest.approx(20 / 40)
    with pytest.raises(ValueError, match="unknown reading 'paid'"):
        g.loops(reading="paid")
    for command in ("loops", "hubs", "circularity", "significance", "exposure", "value-flows", "report"):
        [option] = [p for p in main.commands[command].params if p.name == "reading"]
        assert tuple(option.type.choices) == tuple(READINGS)


# --- the null model ------------------------------------------------------------------------------

def _degrees(edges):
    out, into = {}, {}
    for a, b in edges:
        out[a] = out.get(a, 0) + 1
        into[b] = into.get(b, 0) + 1
    return out, into


def test_rewiring_keeps_every_degree_and_never_makes_self_loops_or_duplicates():
    edges = {(a, b): float(i) for i, (a, b) in enumerate(
        [("a", "b"), ("b", "c"), ("c", "a"), ("a", "d"), ("d", "b"), ("e", "a"), ("c", "e"), ("b", "e")])}
    classes = {pair: "" for pair in edges}
    for rewired in rewirings(edges, classes, runs=200, seed=1):
        assert _degrees(rewired) == _degrees(edges) and len(rewired) == len(edges)
        assert all(a != b for a, b in rewired)
        # each edge keeps its payer and its amount
        assert sorted((a, amount) for (a, _), amount in rewired.items()) == sorted((a, amount) for (a, _), amount in edges.items())


def test_the_typed_model_only_swaps_edges_that_buy_the_same_thing():
    edges = {("a", "b"): 1.0, ("c", "d"): 2.0, ("b", "c"): 3.0, ("d", "a"): 4.0}
    classes = {("a", "b"): "equity", ("c", "d"): "equity", ("b", "c"): "compute", ("d", "a"): "compute"}
    seen = set()
    for rewired in rewirings(edges, classes, runs=100, seed=3):
        by_amount = {amount: pair for pair, amount in rewired.items()}
        # an equity edge's payee is always an equity payee, a compute edge's a compute payee
        assert {by_amount[1.0][1], by_amount[2.0][1]} == {"b", "d"} and {by_amount[3.0][1], by_amount[4.0][1]} == {"c", "a"}
        seen.add(tuple(sorted(rewired)))
    assert len(seen) == 4  # it does move: each class's two payees swap, independently


def test_the_null_mean_where_degrees_force_loops():
    # Two families paying each other: the only graph with these degrees, always one loop.
    pair = {("a", "b"): 1.0, ("b", "a"): 1.0}
    assert {measure(r, 5).loops for r in rewirings(pair, {p: "" for p in pair}, 50, 0)} == {1}
    # Four families, each paying one and paid by one: a 4-cycle (6 of the 9 graphs) or two pairs (3 of 9).
    # The chain samples them uniformly, so the mean number of loops is (6 x 1 + 3 x 2) / 9 = 4/3.
    ring = {("a", "b"): 1.0, ("b", "c"): 1.0, ("c", "d"): 1.0, ("d", "a"): 1.0}
    counts = [measure(r, 5).loops for r in rewirings(ring, {p: "" for p in ring}, 3000, 7)]
    assert sum(counts) / len(counts) == pytest.approx(4 / 3, abs=0.05)
    assert set(counts) == {1, 2}


def test_significance_is_deterministic_and_reports_z_and_p(tmp_path):
    g = _graph(tmp_path, _entities("a", "b"), "".join([
        deal("a-b", "investment", "{investor: [a], investee: [b]}", "2021-03-01", amount="{value: 10}"),
        deal("b-a", "compute-commitment", "{customer: [b], provider: [a]}", "2022-06-01", amount="{value: 30}"),
    ]))
    rows = {row.measure: row for row in g.significance(runs=20, seed=5)}
    loops = rows["loops"]
    # The degrees force the loop: the null model never varies, so there is no z, and p is 1.
    assert (loops.observed, loops.mean, loops.std, loops.z, loops.p) == (1, 1.0, 0.0, None, 1.0)
    assert set(rows) == {"loops", "index", "on_loops", "hub:a", "hub:b"}
    assert g.significance(runs=20, seed=5) == g.significance(runs=20, seed=5)
    with pytest.raises(ValueError, match="unknown null model"):
        g.significance(model="shuffled")


def test_significance_on_the_bundled_data_finds_more_loops_than_chance(bundled):
    rows = {row.measure: row for row in bundled.significance(runs=200, seed=0)}
    assert rows["loops"].observed > rows["loops"].mean and rows["loops"].p < 0.1
    assert rows["index"].z > 3 and rows["index"].p < 0.01
    typed = {row.measure: row for row in bundled.significance(runs=50, seed=0, model="typed")}
    assert typed["loops"].observed == rows["loops"].observed and typed["loops"].model == "typed"


# --- exposure ------------------------------------------------------------------------------------

CHAIN = "".join([
    # b holds 10 of equity in a; b buys 20 of compute from c; d holds 5 of equity in c.
    deal("b-a", "investment", "{investor: [b], investee: [a]}", "2021-01-01", amount="{value: 10}"),
    deal("b-c", "compute-commitment", "{customer: [b], provider: [c]}", "2021-02-01", amount="{value: 20}",
         extra="power_gw: {value: 1.5}"),
    deal("d-c", "investment", "{investor: [d], investee: [c]}", "2021-03-01", amount="{value: 5}"),
    # e's stake in a is undisclosed; f agreed to buy 4 of c's unsold capacity.
    deal("e-a", "investment", "{investor: [e], investee: [a]}", "2021-04-01"),
    deal("f-c", "capacity-backstop", "{customer: [f], provider: [c]}", "2021-05-01", amount="{value: 4}"),
])


def test_exposure_on_a_chain_sums_as_documented(tmp_path):
    g = _graph(tmp_path, _entities("a", "b", "c", "d", "e", "f"), CHAIN)
    rows = {row.family: row for row in g.exposure("a")}
    # First order: b loses its whole stake; e's stake is undisclosed: counted apart, no loss known.
    assert (rows["b"].order, rows["b"].channels, rows["b"].loss_usd) == (1, ("equity",), 10.0)
    assert rows["b"].knock_on_usd is None  # c's trouble reaches b's compute: capacity, not money
    assert rows["e"].at_risk == Total(None, 1) and rows["e"].loss_usd is None and rows["e"].stress is None
    # b's book is 10 + 20, so its stress is 1/3; c loses a third of b's 20 and the 1.5 GW contract.
    assert rows["b"].stress == pytest.approx(1 / 3)
    assert (rows["c"].order, rows["c"].path, rows["c"].channels) == (2, ("a", "b", "c"), ("revenue",))
    assert rows["c"].loss_usd == pytest.approx(20 / 3) and rows["c"].gigawatts == 1.5
    # c's book is 20 + 5 + 4 (f's backstop order); f must buy up to 4 of what b no longer takes.
    assert rows["c"].stress == pytest.approx((20 / 3) / 29)
    assert (rows["f"].order, rows["f"].channels, rows["f"].loss_usd) == (3, ("backstop", "supply"), 4.0)
    assert (rows["d"].order, rows["d"].path) == (3, ("a", "b", "c", "d"))
    assert rows["d"].loss_usd == pytest.approx(5 * (20 / 3) / 29)
    assert "a" not in rows  # the shocked family is never hit again
    # One order only: the direct counterparties.
    assert {row.family for row in g.exposure("a", max_order=1)} == {"b", "e"}


def test_a_fall_in_value_hits_stakes_only(tmp_path):
    g = _graph(tmp_path, _entities("a", "b", "c", "d", "e", "f"), CHAIN)
    rows = {row.family: row for row in g.exposure("a", shock=0.5)}
    assert rows["b"].loss_usd == 5.0 and rows["b"].stress == pytest.approx(5 / 30)
    assert rows["c"].loss_usd == pytest.approx(20 * 5 / 30)
    # c is a's supplier of nothing: if c's value falls, b's compute is not lost, only d's stake.
    assert {row.family for row in g.exposure("c", shock=0.5)} == {"d"}
    with pytest.raises(ValueError, match="between 0 and 1"):
        g.exposure("a", shock=1.5)
    result = CliRunner().invoke(main, ["exposure", "a", "--shock", "half", "--data", str(tmp_path / "data")])
    assert result.exit_code == 2 and "use 'default' or a share" in result.output


def test_exposure_on_the_bundled_data_names_the_counterparties_the_press_names(bundled):
    openai = {row.family: row for row in bundled.exposure("OpenAI")}
    assert {"microsoft", "oracle", "softbank", "coreweave", "nvidia", "amazon"} <= {
        family for family, row in openai.items() if row.order == 1}
    assert "openai-oracle-300b-contract-2025-09" in openai["oracle"].deals and "revenue" in openai["oracle"].channels
    # CoreWeave loses OpenAI's contracts ($22.75B known), so Nvidia's $6.3B backstop of CoreWeave's unsold
    # capacity comes due: a knock-on loss at the second order, on top of Nvidia's own first-order loss.
    assert openai["coreweave"].loss_usd >= 22.75 * 1e9
    assert openai["nvidia"].knock_on_usd >= 6.3 * 1e9
    assert "backstop" not in openai["nvidia"].channels and "revenue" in openai["nvidia"].channels


def test_the_bounded_search_finds_exactly_networkx_s_cycles():
    import random

    import networkx as nx

    from kg.analysis.circularity import simple_loops

    for trial in range(200):
        rng = random.Random(trial)
        size = rng.randrange(2, 20)
        graph = nx.DiGraph()
        for _ in range(rng.randrange(1, size * 3)):
            a, b = rng.sample(range(size), 2)
            graph.add_edge(f"n{a:02d}", f"n{b:02d}")
        bound = rng.randrange(2, 7)
        found = [tuple(cycle) for cycle in simple_loops(graph, bound)]
        expected = []
        for cycle in nx.simple_cycles(graph, length_bound=bound):
            start = cycle.index(min(cycle))
            expected.append(tuple(cycle[start:] + cycle[:start]))
        assert sorted(found) == sorted(expected) and len(set(found)) == len(found), (trial, bound)


def test_answers_are_kept_per_graph_and_the_flow_graph_is_frozen():
    import networkx as nx

    g = kg.load()
    first, again = g.loops(), g.loops()
    assert first == again and first is not again and g.loops(limit=3) == first[:3]
    graph = g.flow_graph()
    assert graph is g.flow_graph() and nx.is_frozen(graph)
    with pytest.raises(nx.NetworkXError, match="Frozen graph"):
        graph.add_edge("a", "b")
    blocs = g.alliances()
    blocs.clear()  # a caller's copy: what the graph keeps is untouched
    assert g.alliances() and g.alliances() == g.alliances()
    assert g.as_of("2024").memo == {}  # another date, another graph, its own answers
