"""Alliance queries on small hand-made graphs with known answers, and through the command line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.analysis import Table
from kg.model import Total

from conftest import deal_yaml, write_data

SOURCES = """
    - id: s
      publisher: Example
      title: Example facts
      published_on: 2024-01-01
    """
ENTITIES = """
    - id: alpha
      name: Alpha
      kinds: [company, investor]
    - id: alpha-cloud
      name: Alpha Cloud
      kinds: [cloud-provider]
      parent: alpha
      sources: [s]
    - id: beta-lab
      name: Beta Lab
      kinds: [ai-lab]
      aliases: [Beta]
    - id: gamma
      name: Gamma
      kinds: [company]
    - id: delta-fund
      name: Delta Fund
      kinds: [fund]
    - id: chipco
      name: ChipCo
      kinds: [chip-designer]
    - id: omega
      name: Omega
      kinds: [company]
    """


deal = deal_yaml


DEALS = "".join([
    deal("a-invests", "investment", "{investor: [alpha], investee: [beta-lab]}", "2024-01-10", amount="{value: 10}"),
    deal("a-maybe", "investment", "{investor: [alpha], investee: [beta-lab]}", "2024-06", "contingent",
         "{value: 20, qualifier: up-to}"),
    deal("b-compute", "compute-commitment", "{customer: [beta-lab], provider: [alpha-cloud]}", "2024-03-01",
         "announced", "{value: 50}", "power_gw: {value: 2, qualifier: up-to}"),
    deal("round", "funding-round", "{investor: [gamma, delta-fund], investee: [beta-lab]}", "2023-05",
         amount="{value: 100}"),
    deal("g-invests", "investment", "{investor: [gamma], investee: [chipco]}", "2024-02-01", amount="{value: 5}"),
    deal("c-licenses", "licensing", "{licensee: [chipco], licensor: [beta-lab]}", "2024-04-01", amount="{value: 7}"),
    deal("b-buys-chips", "supply", "{customer: [beta-lab], provider: [gamma]}", "2024-05-01", amount="{value: 3}",
         extra="chips: 1000"),
    deal("d-euros", "investment", "{investor: [delta-fund], investee: [chipco]}", "2024-07-01",
         amount="{value: 4, currency: EUR, usd: 4.4}"),
    deal("g-buys-a", "acquisition", "{acquirer: [gamma], acquiree: [alpha]}", "2024-08-01", "terminated",
         "{value: 1000}"),
])
VALUATIONS = """
    - id: beta-low
      entity: beta-lab
      amount: {value: 500}
      date: 2024-03-01
      status: reported
      sources: [s]
    - id: beta-high
      entity: beta-lab
      amount: {value: 600}
      date: 2024-03-01
      status: reported
      sources: [s]
    """


@pytest.fixture
def g(tmp_path) -> kg.KnowledgeGraph:
    return kg.load(write_data(tmp_path / "data", sources_yaml=SOURCES, entities_yaml=ENTITIES, deals_yaml=DEALS,
                              valuations_yaml=VALUATIONS, products_yaml=""))


def test_investors_of_separates_contingent_money_and_lists_rounds(g):
    rows = [(r.investor, r.committed, r.contingent, r.deals, r.rounds) for r in g.investors_of("Beta")]
    assert rows == [
        ("alpha", Total(10.0), Total(20.0), ("a-invests", "a-maybe"), ()),
        ("delta-fund", Total(), Total(), (), ("round",)),
        ("gamma", Total(), Total(), (), ("round",)),
    ]
    # a family that only joined a round has no amount of its own: nothing, not $0
    assert g.investors_of("Beta")[1].committed_usd is None


def test_investments_by_with_currencies(g):
    assert [(r.investee, r.committed_usd) for r in g.investments_by("Delta Fund")] == [("chipco", 4.4), ("beta-lab", None)]
    assert [(r.investee, r.committed_usd, r.rounds) for r in g.investments_by("gamma")] == [
        ("chipco", 5.0, ()), ("beta-lab", None, ("round",))]


def test_as_of_with_month_precision(g):
    assert [(r.investor, r.committed_usd, r.contingent_usd) for r in g.as_of("2024-01").investors_of("beta-lab")][0] \
        == ("alpha", 10.0, None)
    assert g.as_of("2023-12").investors_of("beta-lab")[0].investor == "delta-fund"
    assert g.as_of("2022").investors_of("beta-lab") == []


def test_allies_roll_subsidiaries_into_their_family(g):
    assert [a.ally for a in g.allies("alpha")] == ["beta-lab"]
    assert g.allies("Alpha Cloud") == g.allies("alpha")
    top = g.allies("alpha")[0]
    assert top.deals == ("a-invests", "b-compute", "a-maybe") and top.total_usd == 60.0


def test_allies_rank_by_strength_and_break_ties_by_id(g):
    ranked = g.allies("beta-lab")
    assert [a.strength for a in ranked] == sorted((a.strength for a in ranked), reverse=True)
    assert ranked[0].ally == "alpha"  # the most money and the most deals
    assert {a.ally for a in g.allies("gamma")} == {"beta-lab", "chipco", "delta-fund"}
    tied = [a for a in g.allies("gamma") if a.ally in ("beta-lab", "chipco")]
    assert len(tied) == 2


def test_alliances_are_deterministic_and_cover_every_tied_family(g):
    first, second = g.alliances(), g.alliances()
    assert first == second
    members = {m for bloc in first for m in bloc.members}
    assert members == {"alpha", "beta-lab", "chipco", "delta-fund", "gamma"}
    assert all(bloc.hub in bloc.members for bloc in first)
    assert "omega" not in members


def test_path_takes_the_shortest_chain_with_its_deals(g):
    hops = g.path("Alpha Cloud", "ChipCo")
    assert [(h.source, h.target, h.deal, h.source_role, h.target_role) for h in hops] == [
        ("alpha-cloud", "beta-lab", "b-compute", "provider", "customer"),
        ("beta-lab", "chipco", "c-licenses", "licensor", "licensee"),
    ]
    assert [(h.source, h.target, h.relation) for h in g.path("alpha-cloud", "alpha")] == [("alpha-cloud", "alpha", "parent")]


def test_path_between_disconnected_entities(g):
    with pytest.raises(kg.NoPathError, match="nothing links Alpha to Omega"):
        g.path("alpha", "omega")
    # the only link between Gamma and Alpha is a terminated deal, which links nothing
    assert all(h.deal != "g-buys-a" for h in g.path("gamma", "alpha"))


def test_loops_pairs_and_longer_cycles(g):
    pairs = {loop.families: loop for loop in g.loops(max_length=2)}
    # A funding round pays its investee though no one investor's share is known: the step is the group's.
    assert {families: ([s.amount for s in f.steps], [s.deals for s in f.steps]) for families, f in pairs.items()} == {
        ("alpha", "beta-lab"): ([Total(10.0), Total(50.0)], [("a-invests",), ("b-compute",)]),
        ("beta-lab", "gamma"): ([Total(3.0), Total(None, 0, 1)], [("b-buys-chips",), ("round",)]),
    }
    shared = pairs[("beta-lab", "gamma")]
    assert str(shared.steps[1].amount) == "shared (1)" and shared.circulating_usd is None and shared.balance is None
    cycles = g.loops(max_length=3)
    assert [(f.families, tuple(s.amount for s in f.steps), f.circulating_usd, str(f.closed_on)) for f in cycles] == [
        (("beta-lab", "gamma", "chipco"), (Total(3.0), Total(5.0), Total(7.0)), 3.0, "2024-05-01"),
        (("beta-lab", "gamma"), (Total(3.0), Total(None, 0, 1)), None, "2024-05-01"),
        (("alpha", "beta-lab"), (Total(10.0), Total(50.0)), 10.0, "2024-03-01"),
    ]
    assert g.loops(types=["equity"]) == []  # what comes back for money is not a flow of its own
    ceiling = {loop.families: loop for loop in g.loops(reading="ceiling", max_length=2)}
    assert ceiling[("alpha", "beta-lab")].steps[0].amount == Total(30.0)  # with the contingent 20
    # Alpha's compute deal is only announced: under the closed reading, only the completed loop is left.
    assert [loop.families for loop in g.loops(reading="closed", max_length=2)] == [("beta-lab", "gamma")]
    assert [loop.families for loop in g.loops(limit=1)] == [("beta-lab", "gamma", "chipco")]


def test_loop_scores_follow_the_documented_formula(g):
    scores = {loop.families: loop for loop in g.loops(max_length=3)}
    # Alpha pays $10 for equity, gets $50 back for compute: balance 10/50, two exchanges of two, and the
    # weakest step is announced (0.8) by one publisher (x 0.75).
    pair = scores[("alpha", "beta-lab")]
    assert (pair.balance, pair.diversity, pair.evidence) == (0.2, 1.0, pytest.approx(0.6))
    assert pair.score == round(100 * (0.4 * 0.2 + 0.3 * 1.0 + 0.3 * 0.6), 1) == 56.0
    # Three completed steps, each a different exchange, one publisher: balance 3/7.
    triangle = scores[("beta-lab", "gamma", "chipco")]
    assert (triangle.balance, triangle.diversity, triangle.evidence) == (3 / 7, 1.0, 0.75)
    assert triangle.score == round(100 * (0.4 * 3 / 7 + 0.3 + 0.3 * 0.75), 1)
    # The round's amount is the group's: balance unknown (scored 0.25), evidence discounted as undisclosed.
    shared = scores[("beta-lab", "gamma")]
    assert shared.balance is None and shared.evidence == 0.75 * 0.75
    assert shared.score == round(100 * (0.4 * 0.25 + 0.3 + 0.3 * 0.5625), 1)


def test_compute_secured(g):
    secured = g.compute_secured("beta-lab")
    assert [(c.deal, c.providers, c.layer, c.power_gw, c.power_qualifier, c.chips) for c in secured.commitments] == [
        ("b-compute", ("alpha-cloud",), "hosting", 2.0, "up-to", None), ("b-buys-chips", ("gamma",), "chips", None, None, 1000)]
    assert [(t.layer, t.qualifier, t.gigawatts) for t in secured.totals] == [("hosting", "up-to", 2.0)]
    assert secured.total("hosting", "up-to") == 2.0 and secured.total("hosting") is None
    assert g.compute_secured("omega").commitments == ()


def test_timeline_orders_deals_and_valuations(g):
    events = g.timeline("beta-lab")
    assert [e.id for e in events] == ["round", "a-invests", "beta-high", "beta-low", "b-compute", "c-licenses",
                                      "b-buys-chips", "a-maybe"]
    assert g.timeline("omega") == []


def test_conflicts_find_disagreeing_sources(g):
    [conflict] = g.conflicts()
    assert (conflict.subject, conflict.topic) == ("beta-lab", "2024-03-01")
    assert [(c.record, c.amount_usd) for c in conflict.claims] == [("beta-low", 500.0), ("beta-high", 600.0)]


def test_entity_with_no_deals(g):
    assert g.investors_of("omega") == [] and g.allies("omega") == [] and g.investments_by("omega") == []


def test_unknown_entity_suggests(g):
    with pytest.raises(kg.UnknownEntityError, match="did you mean 'Gamma'"):
        g.allies("Gama")


def test_records_convert_to_dicts_and_tables_to_frames(g):
    table = g.investors_of("beta-lab")
    assert isinstance(table, Table)
    assert table.to_dicts()[1] == {
        "investor": "delta-fund", "investee": "beta-lab", "committed": {"known_usd": None, "undisclosed": 0, "shared": 0},
        "contingent": {"known_usd": None, "undisclosed": 0, "shared": 0}, "deals": [], "rounds": ["round"],
        "shared": [], "secondary": []}
    loop = g.loops()[-1].to_dict()
    assert loop["families"] == ["alpha", "beta-lab"] and loop["circulating_usd"] == 10.0 and loop["length"] == 2
    assert loop["steps"][1]["amount"] == {"known_usd": 50.0, "undisclosed": 0, "shared": 0}
    pandas = pytest.importorskip("pandas", reason="pandas is optional")
    frame = table.to_frame()
    assert isinstance(frame, pandas.DataFrame) and frame["committed.known_usd"].tolist()[0] == 10.0
    assert pandas.isna(frame["committed.known_usd"].tolist()[1])  # unknown is missing, not 0


def test_to_frame_without_pandas_says_how_to_get_it(g, without_module):
    without_module("pandas")
    with pytest.raises(ImportError, match="pip install pandas"):
        g.investors_of("beta-lab").to_frame()


# --- the bundled data ----------------------------------------------------------------------------

def test_bundled_answers(bundled):
    assert bundled.allies("Amazon")[0].ally == "anthropic"
    assert bundled.allies("Microsoft")[0].ally == "openai"
    amazon = next(r for r in bundled.investors_of("Anthropic") if r.investor == "amazon")
    assert (amazon.committed_usd, amazon.contingent_usd) == (13e9, 20e9)
    pairs = {f.families for f in bundled.loops(max_length=2)}
    assert {("amazon", "anthropic"), ("microsoft", "openai")} <= pairs
    aws = [c for c in bundled.compute_secured("Anthropic").commitments if c.deal == "anthropic-aws-2026-04-compute"]
    assert [(c.power_gw, c.power_qualifier) for c in aws] == [(5.0, "up-to")]
    disputed = [c for c in bundled.conflicts() if c.topic == "amazon-anthropic-2026-04"]
    assert [claim.amount_usd for claim in disputed[0].claims] == [350e9, 380e9]


# --- the command line ----------------------------------------------------------------------------

def _data_dir(tmp_path):
    return str(write_data(tmp_path / "cli-data", sources_yaml=SOURCES, entities_yaml=ENTITIES, deals_yaml=DEALS,
                          valuations_yaml=VALUATIONS, products_yaml=""))


@pytest.mark.parametrize(("args", "expected"), [
    (["investors", "beta-lab"], ["alpha", "$10", "$20", "round"]),
    (["value-flows", "--type", "money", "--entity", "chipco"], ["g-invests", "c-licenses", "d-euros"]),
    (["investments", "gamma"], ["chipco"]),
    (["allies", "alpha-cloud"], ["beta-lab"]),
    (["alliances"], ["members"]),
    (["path", "alpha-cloud", "chipco"], ["b-compute", "c-licenses"]),
    (["loops", "--max-length", "3"], ["alpha → beta-lab → alpha", "beta-lab → gamma → chipco → beta-lab"]),
    (["hubs"], ["beta-lab", "gamma"]),
    (["circularity"], ["committed", "0.3"]),
    (["circularity", "--by-year", "--from", "2023"], ["2023", "alpha → beta-lab → alpha"]),
    (["significance", "--runs", "10"], ["loops", "hub:beta-lab"]),
    (["exposure", "beta-lab"], ["alpha", "revenue", "equity"]),
    (["compute", "beta-lab"], ["b-compute", "total"]),
    (["timeline", "beta-lab", "--as-of", "2024-01"], ["round", "a-invests"]),
    (["conflicts"], ["beta-low", "beta-high"]),
])
def test_cli_mirrors_the_api(tmp_path, args, expected):
    result = CliRunner().invoke(main, [*args, "--data", _data_dir(tmp_path)])
    assert result.exit_code == 0, result.output
    assert all(text in result.output for text in expected), result.output


def test_cli_json_and_csv(tmp_path, g):
    data = _data_dir(tmp_path)
    rows = json.loads(CliRunner().invoke(main, ["investors", "beta-lab", "--format", "json", "--data", data]).output)
    assert rows[0] == {k: v for k, v in g.investors_of("beta-lab").to_dicts()[0].items() if k != "investee"}
    # a family that only joined funding rounds has no amount of its own: null, never 0
    assert rows[1]["committed"] == {"known_usd": None, "undisclosed": 0, "shared": 0}
    lines = CliRunner().invoke(main, ["investors", "beta-lab", "--format", "csv", "--data", data]).output.splitlines()
    assert lines[0] == ("investor,committed_known_usd,committed_undisclosed,committed_shared,contingent_known_usd,"
                        "contingent_undisclosed,contingent_shared,deals,rounds,shared,secondary")
    assert lines[1] == "alpha,10.0,0,0,20.0,0,0,a-invests; a-maybe,,,"
    assert lines[2] == "delta-fund,,0,0,,0,0,,round,,"


def test_cli_errors(tmp_path):
    data = _data_dir(tmp_path)
    result = CliRunner().invoke(main, ["path", "alpha", "omega", "--data", data])
    assert result.exit_code == 1 and "nothing links Alpha to Omega" in result.output
    result = CliRunner().invoke(main, ["allies", "Gama", "--data", data])
    assert result.exit_code == 1 and "did you mean 'Gamma'" in result.output
    result = CliRunner().invoke(main, ["investors", "beta-lab", "--as-of", "2024-13", "--data", data])
    assert result.exit_code == 2 and "not a real date" in result.output


def test_every_deal_kind_has_a_tie_weight():
    from kg.analysis import TIE_WEIGHTS
    from kg.vocabulary import load_vocabulary

    assert set(TIE_WEIGHTS) == set(load_vocabulary().deal_kinds)
