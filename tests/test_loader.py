"""Loading validates everything and reports every problem at once, with file, line and record."""

from __future__ import annotations

import os

import pytest

import kg
from kg.loaders.data import read_dataset

from conftest import write_data


def problems_of(folder) -> list[str]:
    with pytest.raises(kg.DataError) as caught:
        kg.load(folder)
    return [str(problem) for problem in caught.value.problems]


def test_minimal_data_loads(data_dir):
    g = kg.load(data_dir)
    assert [e.id for e in g.entities()] == ["big-cloud", "big-co", "small-lab", "small-model"]
    assert g.deals()[0].amount_usd == 1_000_000.0
    assert g.entity("big-cloud").parent == "big-co"


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    folder = write_data(tmp_path, deals_yaml="""
        - id: broken
          kind: investment
          title: "unterminated
          status: completed
        """)
    [problem] = problems_of(folder)
    assert problem.startswith(f"{folder / 'deals.yaml'}:")
    assert "invalid YAML" in problem


@pytest.mark.parametrize(
    ("file", "find", "replace", "expected"),
    [
        ("deals_yaml", "kind: investment", "kind: investmnt", "deals.yaml:2: big-co-small-lab-2024: unknown kind 'investmnt' (did you mean 'investment'?)"),
        ("deals_yaml", "investor: [big-co]", "investr: [big-co]", "deals.yaml:4: big-co-small-lab-2024: unknown role 'investr' (did you mean 'investor'"),
        ("deals_yaml", "investee: [small-lab]", "investee: [smal-lab]", "deals.yaml:4: big-co-small-lab-2024: parties refers to unknown id 'smal-lab' (did you mean 'small-lab'?)"),
        ("deals_yaml", "announced_on: 2024-01-02", "announced_on: 2024-02-30", "deals.yaml:5: big-co-small-lab-2024: announced_on: 2024-02-30 is not a real date"),
        ("deals_yaml", "value: 1000000", "value: -5", "deals.yaml:7: big-co-small-lab-2024: amount.value must be a finite, non-negative number, found -5"),
        ("deals_yaml", "value: 1000000", "value: lots", "deals.yaml:7: big-co-small-lab-2024: amount.value must be a number, found 'lots'"),
        ("deals_yaml", "sources: [example-2024-01-02]", "sources: []", "deals.yaml:1: big-co-small-lab-2024: missing required field 'sources'"),
        ("deals_yaml", "sources: [example-2024-01-02]", "sources: [example-2024-01-03]", "deals.yaml:8: big-co-small-lab-2024: sources refers to unknown id 'example-2024-01-03' (did you mean 'example-2024-01-02'?)"),
        ("deals_yaml", "status: completed", "status: done", "deals.yaml:6: big-co-small-lab-2024: unknown status 'done'"),
        ("deals_yaml", "status: completed", "status: completed\n          anounced: 2024", "deals.yaml:7: big-co-small-lab-2024: unknown field 'anounced' (did you mean 'announced_on'?)"),
        ("deals_yaml", "currency: USD}", "currency: dollars}", "deals.yaml:7: big-co-small-lab-2024: amount.currency 'dollars' is not an ISO 4217 code"),
        ("deals_yaml", "parties: {investor: [big-co], investee: [small-lab]}", "parties: {investor: [big-co]}", "deals.yaml:4: big-co-small-lab-2024: a deal needs at least two parties"),
        ("deals_yaml", "investee: [small-lab]", "investee: [small-model]", "deals.yaml:4: big-co-small-lab-2024: parties 'small-model' is not an organization"),
        ("deals_yaml", "investee: [small-lab]", "investee: [small-lab-2024-01]", "deals.yaml:4: big-co-small-lab-2024: parties 'small-lab-2024-01' is not an organization"),
        ("entities_yaml", "kinds: [ai-lab]", "kinds: [ai-labs]", "entities.yaml:12: small-lab: unknown kind 'ai-labs' (did you mean 'ai-lab'?)"),
        ("entities_yaml", "parent: big-co", "parent: big-coo", "entities.yaml:8: big-cloud: parent refers to unknown id 'big-coo' (did you mean 'big-co'"),
        ("entities_yaml", "- id: small-lab", "- id: Small Lab", "entities.yaml:10: Small Lab: id 'Small Lab' is not a valid id"),
        ("entities_yaml", "- id: small-lab", "- id: big-co", "entities.yaml:10: big-co: duplicate id 'big-co', first used at"),
        ("entities_yaml", "parent: big-co\n          sources: [example-2024-01-02]", "parent: big-co", "entities.yaml:8: big-cloud: a parent organization needs a source"),
        ("entities_yaml", "kinds: [company, investor]", "kinds: [company, investor]\n          kinds: [fund]", "entities.yaml:4: the key 'kinds' appears twice in one record"),
        ("entities_yaml", "aliases: [BigCo]", "aliases: [Big Co, Inc.]", "big-co: alias 'Inc.' is only a legal form, so every company's 'Inc.' or 'Ltd' would read as this one (a name with a comma needs quotes in YAML"),
        ("products_yaml", "kinds: [ai-model]", "kinds: [ai-lab]", "products.yaml:3: small-model: unknown kind 'ai-lab'"),
        ("valuations_yaml", "basis: post-money", "basis: post", "valuations.yaml:4: small-lab-2024-01: unknown basis 'post' (use one of: offer, post-money, pre-money)"),
        ("sources_yaml", "url: https://example.org/news/big-co-small-lab", "url: example.org/news", "sources.yaml:5: example-2024-01-02: url 'example.org/news' is not a valid http(s) address"),
    ],
)
def test_bad_record_gets_a_specific_message(tmp_path, file, find, replace, expected):
    from conftest import MINIMAL

    name = file.replace("_yaml", ".yaml")
    assert find in MINIMAL[name], "the test must change something"
    folder = write_data(tmp_path, **{file: MINIMAL[name].replace(find, replace, 1)})
    problems = problems_of(folder)
    assert any(expected in problem for problem in problems), problems
    assert all(str(folder) in problem for problem in problems)


def test_every_problem_is_reported_in_one_pass(tmp_path):
    from conftest import MINIMAL

    deals = MINIMAL["deals.yaml"].replace("kind: investment", "kind: nope").replace("value: 1000000", "value: -1")
    entities = MINIMAL["entities.yaml"].replace("kinds: [ai-lab]", "kinds: [robot]")
    problems = problems_of(write_data(tmp_path, deals_yaml=deals, entities_yaml=entities))
    assert len(problems) >= 3
    assert any("unknown kind 'nope'" in p for p in problems)
    assert any("non-negative" in p for p in problems)
    assert any("unknown kind 'robot'" in p for p in problems)


def test_structure_must_not_loop(tmp_path):
    entities = """
        - id: a
          name: A
          kinds: [company]
          parent: b
          sources: [example-2024-01-02]
        - id: b
          name: B
          kinds: [company]
          parent: a
          sources: [example-2024-01-02]
        - id: big-co
          name: Big Co
          kinds: [company]
        - id: small-lab
          name: Small Lab
          kinds: [ai-lab]
        """
    problems = problems_of(write_data(tmp_path, entities_yaml=entities))
    assert any("parent organizations form a loop" in p for p in problems)


def test_a_tranche_cannot_be_a_tranche_of_a_tranche(tmp_path):
    from conftest import MINIMAL

    base = MINIMAL["deals.yaml"]
    deals = base + base.replace("big-co-small-lab-2024\n", "tranche-one\n").replace(
        "status: completed", "status: completed\n          part_of: big-co-small-lab-2024") + base.replace(
        "big-co-small-lab-2024\n", "tranche-two\n").replace("status: completed", "status: completed\n          part_of: tranche-one")
    problems = problems_of(write_data(tmp_path, deals_yaml=deals))
    assert any("part_of 'tranche-one' is itself a tranche of 'big-co-small-lab-2024'" in p for p in problems)


def test_a_yaml_error_does_not_cascade_into_unknown_references(tmp_path):
    from conftest import MINIMAL

    problems = problems_of(write_data(tmp_path, entities_yaml=MINIMAL["entities.yaml"] + "\n  : broken"))
    assert len(problems) == 1 and "entities.yaml" in problems[0] and "invalid YAML" in problems[0]


def test_file_that_is_not_a_list(tmp_path):
    problems = problems_of(write_data(tmp_path, deals_yaml="id: lonely\n"))
    assert any("the file must hold a list of records" in p for p in problems)


def test_missing_folder():
    problems = problems_of("/nonexistent/aikg-data")
    assert problems == ["/nonexistent/aikg-data: no such data folder (pass the folder holding deals.yaml)"]


def test_loading_never_writes_to_the_input(data_dir):
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in data_dir.iterdir()}
    kg.load(data_dir)
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in data_dir.iterdir()}
    assert before == after


def test_loading_rejects_unsafe_yaml(tmp_path):
    folder = write_data(tmp_path, entities_yaml="- !!python/object/apply:os.system ['echo pwned']\n")
    problems = problems_of(folder)
    assert any("invalid YAML" in p for p in problems)


def test_amount_qualifiers_currencies_and_date_precision(tmp_path):
    deals = """
        - id: eur-deal
          kind: investment
          title: A euro investment of up to 1.7 billion
          parties: {investor: [big-co], investee: [small-lab]}
          announced_on: 2024-06
          status: announced
          amount: {value: 1_700_000_000, currency: EUR, qualifier: up-to, usd: 1_850_000_000}
          power_gw: {value: 0.5, qualifier: approximately}
          chips: 20000
          sources: [example-2024-01-02]
        """
    [deal] = read_dataset(write_data(tmp_path, deals_yaml=deals)).deals
    assert (deal.currency, deal.amount_qualifier, deal.amount_usd) == ("EUR", "up-to", 1_850_000_000.0)
    assert str(deal.amount.value) == "1700000000"
    assert (deal.power_gw, deal.power_qualifier, deal.chip_count) == (0.5, "approximately", 20000)
    assert (deal.announced_on.isoformat(), deal.announced_precision) == ("2024-06-01", "month")


def test_usd_figure_must_agree_for_usd_amounts(tmp_path):
    from conftest import MINIMAL

    deals = MINIMAL["deals.yaml"].replace("currency: USD}", "currency: USD, usd: 2}")
    problems = problems_of(write_data(tmp_path, deals_yaml=deals))
    assert any("amount.usd differs from amount.value" in p for p in problems)


def test_files_may_be_absent(tmp_path):
    folder = write_data(tmp_path)
    os.remove(folder / "valuations.yaml")
    assert kg.load(folder).valuations("small-lab") == []


def test_a_name_shared_by_two_entities_is_ambiguous(tmp_path):
    from conftest import MINIMAL

    entities = MINIMAL["entities.yaml"].replace("aliases: [BigCo]", "aliases: [BigCo, Small Lab]")
    problems = problems_of(write_data(tmp_path, entities_yaml=entities))
    assert any("the name 'small lab' is also 'big-co''s, so lookups by it are ambiguous" in p for p in problems), problems


def test_a_deal_in_the_future_is_rejected(tmp_path):
    from conftest import MINIMAL

    deals = MINIMAL["deals.yaml"].replace("announced_on: 2024-01-02", "announced_on: 2999-01-02")
    problems = problems_of(write_data(tmp_path, deals_yaml=deals))
    assert any("announced_on 2999-01-02 is in the future" in p for p in problems)


def test_a_trillion_dollar_deal_needs_confirming(tmp_path):
    from conftest import MINIMAL

    deals = MINIMAL["deals.yaml"].replace("value: 1000000", "value: 2_000_000_000_000")
    problems = problems_of(write_data(tmp_path, deals_yaml=deals))
    assert any("more than $1 trillion is implausible" in p and "large_amount_confirmed: true" in p for p in problems)
    confirmed = deals.replace("status: completed", "status: completed\n          large_amount_confirmed: true")
    assert kg.load(write_data(tmp_path / "ok", deals_yaml=confirmed)).deals()[0].amount_usd == 2e12


def test_a_duplicate_deal_is_reported(tmp_path):
    from conftest import MINIMAL

    deals = MINIMAL["deals.yaml"] + MINIMAL["deals.yaml"].replace("big-co-small-lab-2024\n", "big-co-small-lab-2024-again\n")
    problems = problems_of(write_data(tmp_path, deals_yaml=deals))
    assert any("big-co-small-lab-2024-again: same kind, parties, date and figures as 'big-co-small-lab-2024'" in p
               for p in problems)


def test_a_validated_folder_is_read_from_the_cache_until_a_file_changes(data_dir, monkeypatch):
    import kg.loaders.data

    first = kg.load(data_dir)

    def unreadable(*args):
        raise AssertionError("read from the files, not from the cache")

    monkeypatch.setattr(kg.loaders.data, "_read_folder", unreadable)
    assert kg.load(data_dir) == first
    deals = data_dir / "deals.yaml"
    deals.write_text(deals.read_text(encoding="utf-8").replace("1000000", "2000000"), encoding="utf-8")
    with pytest.raises(AssertionError, match="not from the cache"):
        kg.load(data_dir)


def test_a_broken_or_disabled_cache_only_means_reading_anew(data_dir, monkeypatch):
    import kg.loaders.data

    first = kg.load(data_dir)
    cache = kg.loaders.data._cache_file(data_dir)
    cache.write_bytes(b"not a pickle")
    assert kg.load(data_dir) == first
    monkeypatch.setenv("AIKG_NO_CACHE", "1")
    assert kg.loaders.data._cache_file(data_dir) is None and kg.load(data_dir) == first


def test_the_cache_never_writes_to_the_data_folder(data_dir):
    before = sorted(p.name for p in data_dir.iterdir())
    kg.load(data_dir)
    kg.load(data_dir)
    assert sorted(p.name for p in data_dir.iterdir()) == before


def test_the_cache_keeps_one_copy_per_folder(data_dir):
    import os

    import kg.loaders.data

    kg.load(data_dir)
    first = kg.loaders.data._cache_file(data_dir)
    deals = data_dir / "deals.yaml"
    deals.write_text(deals.read_text(encoding="utf-8").replace("title: Big Co invests in Small Lab",
                                                                 "title: Big Co backs Small Lab"), encoding="utf-8")
    os.utime(deals, ns=(first.stat().st_mtime_ns + 10**9,) * 2)
    assert kg.load(data_dir).deals()[0].title == "Big Co backs Small Lab"
    second = kg.loaders.data._cache_file(data_dir)
    assert second != first and second.exists() and not first.exists()
    assert kg.load(data_dir).deals()[0].title == "Big Co backs Small Lab"


def test_csv_folders_read_column_by_column_are_not_cached(tmp_path, bundled):
    import kg.loaders.data
    from kg.exporters.csvfolder import write_csv_folder

    write_csv_folder(bundled.dataset, tmp_path)
    assert kg.load(tmp_path) == bundled
    assert not kg.loaders.data._cache_file(tmp_path).exists()


def test_loading_leaves_the_garbage_collector_as_it_was(data_dir, tmp_path):
    import gc

    assert gc.isenabled()
    g = kg.load(data_dir)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert any(tracked is g.graph._succ for tracked in gc.get_objects(generation=2))  # what it made lives on
    broken = write_data(tmp_path / "broken", deals_yaml="- id: Not An Id\n")
    with pytest.raises(kg.DataError):
        kg.load(broken)
    assert gc.isenabled()
    gc.disable()
    try:
        kg.load(data_dir)
        assert not gc.isenabled()
    finally:
        gc.enable()
    gc.freeze()  # a program that froze its own objects keeps them frozen
    try:
        frozen = gc.get_freeze_count()
        kg.load(data_dir)
        assert gc.get_freeze_count() == frozen and gc.isenabled()
    finally:
        gc.unfreeze()


def test_two_sources_of_one_document_are_one_too_many(tmp_path):
    from conftest import MINIMAL

    twin = MINIMAL["sources.yaml"].replace("example-2024-01-02\n", "example-2024-01-02-again\n").replace(
        "big-co-small-lab\n", "big-co-small-lab/\n")
    problems = problems_of(write_data(tmp_path, sources_yaml=MINIMAL["sources.yaml"] + twin))
    assert any("example-2024-01-02-again: the same document as source 'example-2024-01-02'" in p
               and "cite 'example-2024-01-02' wherever" in p for p in problems)


def test_a_note_naming_a_record_that_does_not_exist_is_reported(tmp_path):
    from conftest import MINIMAL

    deals = MINIMAL["deals.yaml"].replace(
        "status: completed", "status: completed\n          notes: revises big-co-small-lab-2023-07, and is big-co-small-lab-2024")
    problems = problems_of(write_data(tmp_path, deals_yaml=deals))
    stale = [p for p in problems if "no record's id" in p]
    assert len(stale) == 1 and "'big-co-small-lab-2023-07'" in stale[0] and "big-co-small-lab-2024" in stale[0]
    words = MINIMAL["deals.yaml"].replace("status: completed", "status: completed\n          notes: a multi-billion-dollar round")
    assert kg.load(write_data(tmp_path / "words", deals_yaml=words)).deal("big-co-small-lab-2024").notes
