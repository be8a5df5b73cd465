"""The bundled data's quality: every fact sourced and dated sensibly, no orphans, no duplicates."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from kg.model import period_end

EARLIEST = dt.date(1990, 1, 1)
"""Older than any fact here: ownership links go back to the 1990s (Intel Capital), the sources of the
history to the 2000s."""


def test_coverage(bundled):
    numbers = bundled.stats()
    assert numbers.organizations >= 150
    assert numbers.deals >= 200
    for kind in ("ai-lab", "cloud-provider", "chip-designer", "foundry", "investor", "fund", "government"):
        assert numbers.entities_by_kind.get(kind, 0) >= 1, kind
    for kind in ("investment", "funding-round", "compute-commitment", "supply", "acquisition", "licensing",
                 "acqui-hire", "partnership"):
        assert numbers.deals_by_kind.get(kind, 0) >= 1, kind
    labs = {e.id for e in bundled.entities("ai-lab")}
    assert {"openai", "anthropic", "xai", "mistral-ai", "cohere"} <= labs
    clouds = {e.id for e in bundled.entities("cloud-provider")}
    assert {"amazon-web-services", "microsoft", "google", "oracle", "coreweave", "nebius"} <= clouds


def test_every_fact_is_sourced_with_a_real_address(bundled):
    for item in [*bundled.deals(), *bundled.dataset.valuations]:
        assert item.sources, item.id
    for entity in bundled.entities():
        if entity.parent or entity.maker:
            assert entity.sources, entity.id
    for source in bundled.sources.values():
        assert source.url and source.url.startswith(("https://", "http://")), source.id
        assert source.publisher.strip() and source.title.strip(), source.id


def test_every_source_is_cited(bundled):
    cited = {s for item in [*bundled.entities(), *bundled.deals(), *bundled.dataset.valuations] for s in item.sources}
    assert set(bundled.sources) == cited


def test_dates_fall_between_1990_and_today(bundled):
    today = dt.date.today()
    for deal in bundled.deals():
        assert EARLIEST <= deal.announced_on <= today, deal.id
    for valuation in bundled.dataset.valuations:
        assert EARLIEST <= valuation.date <= today, valuation.id
    for source in bundled.sources.values():
        assert source.published_on is None or EARLIEST <= source.published_on <= today, source.id


def test_no_orphan_entities(bundled):
    linked = set()
    for deal in bundled.deals():
        linked |= set(deal.party_ids) | set(deal.products)
    for entity in bundled.entities():
        if entity.parent:
            linked |= {entity.id, entity.parent}
        if entity.maker:
            linked |= {entity.id, entity.maker}
    linked |= {valuation.entity for valuation in bundled.dataset.valuations}
    assert [e.id for e in bundled.entities() if e.id not in linked] == []


def test_amounts_are_plausible(bundled):
    for deal in bundled.deals():
        if deal.amount_usd is not None:
            assert 0 < deal.amount_usd <= 1e12, deal.id
    for valuation in bundled.dataset.valuations:
        assert valuation.amount_usd is None or 1e6 <= valuation.amount_usd <= 1e13, valuation.id


def test_no_duplicate_deals(bundled):
    keys = Counter(
        (d.kind, frozenset((role, frozenset(ids)) for role, ids in d.parties.items()), d.announced_on,
         d.amount, d.power, d.chips)
        for d in bundled.deals() if not d.part_of)
    assert [key for key, count in keys.items() if count > 1] == []


def test_tranches_belong_to_an_umbrella_of_the_same_parties(bundled):
    for deal in bundled.deals():
        if deal.part_of:
            umbrella = bundled.deal(deal.part_of)
            assert set(deal.party_ids) & set(umbrella.party_ids), deal.id
            # a round may take in money committed before it (a SAFE that converts into it); other
            # agreements come before their tranches
            assert umbrella.kind == "funding-round" or umbrella.announced_precision != "day" \
                or umbrella.announced_on <= period_end(deal.announced_on, deal.announced_precision), deal.id


def test_a_tranche_is_of_its_umbrellas_kind_or_an_investors_share_of_a_round(bundled):
    for deal in bundled.deals():
        if deal.part_of:
            umbrella = bundled.deal(deal.part_of)
            assert deal.kind == umbrella.kind or (deal.kind, umbrella.kind) == ("investment", "funding-round"), deal.id


def test_every_entity_is_reachable_by_its_names(bundled):
    for entity in bundled.entities():
        for name in (entity.id, entity.name, *entity.aliases):
            assert bundled.entity(name) is entity


def test_aikg_stats_reports_the_same_numbers(bundled):
    from click.testing import CliRunner

    from kg.cli import main

    numbers = bundled.stats()
    output = CliRunner().invoke(main, ["stats"]).output
    assert output.startswith(f"{numbers.organizations} organizations, {numbers.products} products, "
                             f"{numbers.deals} deals")
    assert f"deals with a source             {numbers.deals} of {numbers.deals} (100%)" in output
    assert (f"deals of $1B or more, independently sourced  {numbers.large_deals_independently_sourced} of "
            f"{numbers.large_deals}") in output
    assert "Current to 2026-06" in output
    as_json = CliRunner().invoke(main, ["stats", "--format", "json"]).output
    import json

    assert json.loads(as_json)["deals"] == numbers.deals


# What the data must not fall below: its size, and how independently each year's deals are sourced
# (the share from two writers or more, rounded down). Raise these as the data grows; never lower them.
SIZE_FLOOR = {"deals": 700, "organizations": 450, "products": 60}
LARGE_DEALS_INDEPENDENT_FLOOR = 0.80
INDEPENDENT_BY_YEAR_FLOOR = {2023: 0.60, 2024: 0.70, 2025: 0.75, 2026: 0.80}


def test_the_data_keeps_its_size_and_its_sourcing(bundled):
    numbers = bundled.stats()
    for figure, floor in SIZE_FLOOR.items():
        assert getattr(numbers, figure) >= floor, figure
    assert numbers.large_deals_independently_sourced >= LARGE_DEALS_INDEPENDENT_FLOOR * numbers.large_deals
    for year, floor in INDEPENDENT_BY_YEAR_FLOOR.items():
        row = numbers.sourcing_by_year[year]
        assert row["independently_sourced"] >= floor * row["deals"], year


def test_the_data_states_its_coverage_and_its_core(bundled):
    from kg.analysis.stats import core_organizations
    from kg.loaders.coverage import read_coverage
    from kg.resources import DATA_DIR

    coverage = read_coverage(DATA_DIR)
    newest = max(deal.announced_on for deal in bundled.deals())
    assert coverage.current_until <= newest.isoformat()[:7]
    core = core_organizations(bundled, coverage.core_organizations, coverage.core_since, coverage.core_above_usd)
    assert len(core) == 40 and {"openai", "anthropic", "microsoft", "nvidia", "amazon", "alphabet"} <= {
        member.organization for member in core}
    assert all(member.deals >= 1 for member in core[:20])
    # the lab that raises a round is credited with it, its investors are not
    money = {member.organization: member.money_usd for member in core}
    assert "dragoneer" not in money or money["dragoneer"] < money["anthropic"] / 10


def test_the_founding_acquisitions_start_the_history(bundled):
    deepmind = bundled.deals(party="google-deepmind", kind="acquisition")
    assert any(deal.announced_on.year == 2014 and "google" in deal.parties["acquirer"] for deal in deepmind)
    assert bundled.family_head("google") == "alphabet" and bundled.family_head("gv") == "alphabet"
    assert bundled.entity("micron-technology").kinds != ("company", "foundry")
    assert "foundry" not in bundled.entity("texas-instruments").kinds
