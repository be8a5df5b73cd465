"""Facts that cannot be true are refused when the data loads; facts that fit together oddly are warned
about by `aikg validate`, and the data stays valid. Each check on a small folder made to trip it."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.loaders.consistency import consistency_warnings

from conftest import MINIMAL, deal_yaml, write_data

def deal(identifier, kind, parties, date, amount=None, status="completed", extra=""):
    return deal_yaml(identifier, kind, parties, date, status, None if amount is None else f"{{value: {amount}}}", extra,
                     sources="[example-2024-01-02]")


def dated_parent(*lines: str) -> str:
    """The minimal entities, Big Cloud's parent relation with these fields added."""
    return MINIMAL["entities.yaml"].replace("parent: big-co", "\n          ".join(("parent: big-co", *lines)))


def warnings_for(tmp_path, **files):
    folder = write_data(tmp_path / "data", **files)
    return [str(w) for w in consistency_warnings(kg.load(folder).dataset, folder)]


def test_the_minimal_data_is_consistent(tmp_path):
    assert warnings_for(tmp_path) == []


def test_tranches_adding_up_to_more_than_their_umbrella(tmp_path):
    deals = (deal("umbrella", "investment", "{investor: [big-co], investee: [small-lab]}", "2024-01-02", 10)
             + deal("first", "investment", "{investor: [big-co], investee: [small-lab]}", "2024-01-02", 6,
                    extra="part_of: umbrella")
             + deal("second", "investment", "{investor: [big-co], investee: [small-lab]}", "2024-01-03", 6,
                    extra="part_of: umbrella"))
    [warning] = warnings_for(tmp_path, deals_yaml=deals)
    assert "deals.yaml:1: umbrella: its tranches add up to $12, more than its own $10" in warning


def test_pre_money_and_round_that_do_not_make_the_post_money(tmp_path):
    valuations = """
        - id: before
          entity: small-lab
          amount: {value: 10000000, currency: USD}
          basis: pre-money
          date: 2024-01-02
          status: reported
          deal: big-co-small-lab-2024
          sources: [example-2024-01-02]
        - id: after
          entity: small-lab
          amount: {value: 13000000, currency: USD}
          basis: post-money
          date: 2024-01-02
          status: reported
          deal: big-co-small-lab-2024
          sources: [example-2024-01-02]
        """
    [warning] = warnings_for(tmp_path, valuations_yaml=valuations)
    assert "valuations.yaml:9: after: pre-money before ($10,000,000) plus the round ($1,000,000)" in warning
    fixed = valuations.replace("13000000", "11000000")
    assert warnings_for(tmp_path / "fixed", valuations_yaml=fixed) == []


def test_a_deal_that_treats_a_subsidiary_as_family_before_it_was(tmp_path):
    entities = dated_parent("parent_since: 2024-06")
    deals = deal("together", "investment", "{investor: [big-co, big-cloud], investee: [small-lab]}", "2024-01-02", 5)
    [warning] = warnings_for(tmp_path, entities_yaml=entities, deals_yaml=deals)
    assert "big-cloud: together (2024-01-02) puts it beside its parent big-co as investor" in warning


ONE_CONTRACT = "compute-commitment", "{customer: [big-co], provider: [small-lab]}", "2024-01-02"


def test_two_records_of_one_contract_without_a_link(tmp_path):
    one, other = deal("reported-14b", *ONE_CONTRACT, 14), deal("reported-24b", *ONE_CONTRACT, 24)
    [warning] = warnings_for(tmp_path, deals_yaml=one + other)
    assert "reported-24b: same kind, parties and date as reported-14b" in warning and "alternative_of" in warning
    linked = one + deal("reported-24b", *ONE_CONTRACT, 24, extra="alternative_of: reported-14b")
    assert warnings_for(tmp_path / "linked", deals_yaml=linked) == []


@pytest.mark.parametrize("records, message", [
    (deal("old", "investment", "{investor: [big-co], investee: [small-lab]}", "2024-03", 1)
     + deal("new", "investment", "{investor: [big-co], investee: [small-lab]}", "2024-01-02", 2, extra="supersedes: old"),
     "it supersedes old, which is dated later"),
    (deal("a", "investment", "{investor: [big-co], investee: [small-lab]}", "2024-01-02", 1)
     + deal("b", "investment", "{investor: [big-co], investee: [small-lab]}", "2024-01-02", 2, extra="alternative_of: a")
     + deal("c", "investment", "{investor: [big-co], investee: [small-lab]}", "2024-01-02", 3, extra="alternative_of: b"),
     "b does not count itself"),
    (deal("a", "investment", "{investor: [big-co], investee: [small-lab]}", "2024-01-02", 1, extra="alternative_of: a"),
     "a record cannot name itself in alternative_of"),
    (deal("a", "investment", "{investor: [big-co], investee: [small-lab]}", "2024-01-02", 1, extra="supersedes: nothing"),
     "supersedes refers to unknown id 'nothing'"),
])
def test_links_that_cannot_be_are_refused(tmp_path, records, message):
    with pytest.raises(kg.DataError, match=message):
        kg.load(write_data(tmp_path, deals_yaml=records))


def test_owned_before_the_acquisition_that_made_it_so_is_refused(tmp_path):
    entities = dated_parent("parent_since: 2023-05")
    acquisition = deal("big-co-buys-big-cloud", "acquisition", "{acquirer: [big-co], acquiree: [big-cloud]}", "2023-06-10")
    with pytest.raises(kg.DataError, match=r"entities.yaml:\d+: big-cloud: parent_since 2023-05-01 comes before "
                                           "big-co-buys-big-cloud"):
        kg.load(write_data(tmp_path, entities_yaml=entities, deals_yaml=acquisition))
    month = entities.replace("2023-05", "2023-06")  # the month of the acquisition: it may have closed then
    kg.load(write_data(tmp_path / "month", entities_yaml=month, deals_yaml=acquisition))


@pytest.mark.parametrize("field, value, message", [
    ("parent_until", "2020-01-01", "parent_until must come after parent_since"),
    ("parent_since", "2024-13", "parent_since: "),
])
def test_bad_ownership_dates_are_refused(tmp_path, field, value, message):
    entities = dated_parent("parent_since: 2021", f"{field}: {value}") if field == "parent_until" else \
        dated_parent(f"{field}: {value}")
    with pytest.raises(kg.DataError, match=message):
        kg.load(write_data(tmp_path, entities_yaml=entities))


def test_a_dated_relation_needs_a_parent(tmp_path):
    entities = MINIMAL["entities.yaml"].rstrip(" ") + textwrap.indent(
        "- id: loner\n  name: Loner\n  kinds: [company]\n  parent_since: 2020\n", "        ")
    with pytest.raises(kg.DataError, match="parent_since dates a parent relation, but no parent is named"):
        kg.load(write_data(tmp_path, entities_yaml=entities))


def test_validate_prints_warnings_and_exits_zero(tmp_path):
    one, other = deal("reported-14b", *ONE_CONTRACT, 14), deal("reported-24b", *ONE_CONTRACT, 24)
    result = CliRunner().invoke(main, ["validate", "--data", str(write_data(tmp_path, deals_yaml=one + other))])
    assert result.exit_code == 0
    assert "warning: " in result.output and "reported-24b: same kind, parties and date" in result.output
    assert "ok: " in result.output


def test_the_bundled_data_warns_only_of_what_is_really_odd(bundled):
    # Global Infrastructure Partners joined BlackRock's AI partnership in September 2024, weeks before
    # BlackRock completed its purchase of GIP: odd, and true.
    # Two CHIPS Act terms for Micron announced the same day (Idaho and New York; Virginia), and Japan's
    # equity in Rapidus announced with its plan for the next two years' support: each pair two contracts
    # of one kind, parties and date, told apart by their titles.
    assert [(w.record, "gaiip-2024-09" in w.message) for w in consistency_warnings(bundled.dataset)] == [
        ("japan-rapidus-fy2026-2027-support-2025-11", False), ("us-government-micron-virginia-chips-pmt-2024-12", False),
        ("global-infrastructure-partners", True)]
