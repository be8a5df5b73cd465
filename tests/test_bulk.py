"""Bulk data: the CSV layout, the Crunchbase importer, and their error messages with row numbers."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.loaders.crunchbase import import_crunchbase
from kg.exporters.csvfolder import write_csv_folder


def test_the_bundled_data_round_trips_through_csv(bundled, tmp_path):
    written = write_csv_folder(bundled.dataset, tmp_path)
    assert sorted(p.name for p in written) == ["deal_parties.csv", "deals.csv", "entities.csv", "products.csv",
                                                "sources.csv", "valuations.csv"]
    assert kg.load(tmp_path) == bundled


def test_hostile_text_round_trips_through_csv(tmp_path):
    from conftest import MINIMAL, write_data

    import json

    title = 'Comma, "quotes"; semicolon\nnew line \\ back 日本語'
    deals = MINIMAL["deals.yaml"].replace("title: Big Co invests in Small Lab", f"title: {json.dumps(title)}")
    g = kg.load(write_data(tmp_path / "yaml", deals_yaml=deals))
    assert g.deals()[0].title == title
    write_csv_folder(g.dataset, tmp_path / "csv")
    assert kg.load(tmp_path / "csv") == g


def _csv_folder(tmp_path: Path, **files: str) -> Path:
    from conftest import write_data

    g = kg.load(write_data(tmp_path / "yaml"))
    folder = tmp_path / "csv"
    write_csv_folder(g.dataset, folder)
    for name, text in files.items():
        (folder / name.replace("_csv", ".csv")).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


def problems_in(folder: Path) -> list[str]:
    with pytest.raises(kg.DataError) as caught:
        kg.load(folder)
    return [str(problem) for problem in caught.value.problems]


def test_csv_problems_name_the_row(tmp_path):
    folder = _csv_folder(tmp_path, deals_csv="""
        id,kind,title,announced_on,status,amount,currency,sources
        good-deal,investment,A good deal,2024-01-02,completed,5,USD,example-2024-01-02
        bad-deal,investmnt,A bad deal,2024-02-30,completed,-5,USD,example-2024-01-02
        """, deal_parties_csv="""
        deal,role,party
        good-deal,investor,big-co
        good-deal,investee,small-lab
        bad-deal,investor,big-co
        bad-deal,investee,smal-lab
        missing-deal,investor,big-co
        """)
    problems = problems_in(folder)
    deals, parties = folder / "deals.csv", folder / "deal_parties.csv"
    assert any(p.startswith(f"{deals}:3: bad-deal: unknown kind 'investmnt' (did you mean 'investment'?)") for p in problems)
    assert any(p.startswith(f"{deals}:3: bad-deal: announced_on: 2024-02-30 is not a real date") for p in problems)
    assert any(p.startswith(f"{deals}:3: bad-deal: amount.value must be a finite, non-negative number") for p in problems)
    assert any(p.startswith(f"{parties}:6: missing-deal: no deal has the id 'missing-deal'") for p in problems)
    assert not any("good-deal" in p for p in problems)


def test_csv_header_and_cell_count(tmp_path):
    folder = _csv_folder(tmp_path, sources_csv="""
        id,publisher,title,published_on,url,colour
        example-2024-01-02,Example,Facts,2024-01-02,https://example.org,blue
        """)
    assert any("sources.csv:1: unknown column 'colour'" in p for p in problems_in(folder))
    folder = _csv_folder(tmp_path / "two", entities_csv="""
        id,name,kinds
        big-co,Big Co,company,extra
        """)
    assert any("entities.csv:2: big-co: the row has 4 cells, the header 3" in p for p in problems_in(folder))


def test_yaml_wins_over_csv_in_one_folder(tmp_path):
    from conftest import write_data

    folder = write_data(tmp_path / "both")
    (folder / "deals.csv").write_text("id,kind\nnonsense,robot\n", encoding="utf-8")
    assert [d.id for d in kg.load(folder).deals()] == ["big-co-small-lab-2024"]


CRUNCHBASE = {
    "organizations.csv": """
        uuid,name,permalink,legal_name,roles,short_description,alias1
        o1,Anthropic,anthropic,"Anthropic, PBC",company,AI safety company,
        o2,Amazon,amazon,,"company,investor",,Amazon.com
        o3,Spark Capital,spark-capital,,investor,,
        o4,Menlo Ventures,menlo-ventures,,investor,,
        o5,Little Co,little-co,,company,,
        o6,Little Co,,,company,,
        """,
    "funding_rounds.csv": """
        uuid,name,investment_type,announced_on,raised_amount_usd,raised_amount,raised_amount_currency_code,post_money_valuation_usd,org_uuid,cb_url
        r1,Series C - Anthropic,series_c,2023-05-23,450000000,450000000,USD,4100000000,o1,https://www.crunchbase.com/funding_round/anthropic-series-c
        r2,Seed - Little Co,seed,2024-01-05,,,,,o5,
        """,
    "investments.csv": """
        uuid,funding_round_uuid,investor_uuid,is_lead_investor
        i1,r1,o3,True
        i2,r1,o4,False
        """,
    "acquisitions.csv": """
        uuid,name,acquirer_uuid,acquiree_uuid,acquired_on,price_usd,price,price_currency_code
        a1,,o2,o5,2025-02-01,10000000,9500000,EUR
        """,
}


def _crunchbase(tmp_path: Path, **changes: str) -> Path:
    folder = tmp_path / "export"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**CRUNCHBASE, **{k.replace("_csv", ".csv"): v for k, v in changes.items()}}.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


def test_crunchbase_import(tmp_path):
    dataset, skipped = import_crunchbase(_crunchbase(tmp_path))
    g = kg.KnowledgeGraph(dataset)
    assert skipped == 1  # the seed round names no investor
    assert [e.id for e in g.entities()] == ["amazon", "anthropic", "little-co", "little-co-2", "menlo-ventures",
                                            "spark-capital"]
    assert g.entity("little-co-2").name == "Little Co (little-co-2)"
    assert g.entity("Anthropic, PBC").id == "anthropic" and g.entity("Amazon").kinds == ("company", "investor")
    [round_] = g.deals(kind="funding-round")
    assert round_.parties == {"investor": ("menlo-ventures", "spark-capital"), "investee": ("anthropic",)}
    assert (round_.amount_usd, round_.announced_on.isoformat()) == (450e6, "2023-05-23")
    assert g.sources[round_.sources[0]].url == "https://www.crunchbase.com/funding_round/anthropic-series-c"
    [valuation] = g.valuations("anthropic")
    assert (valuation.amount_usd, valuation.basis, valuation.deal) == (4.1e9, "post-money", round_.id)
    [acquisition] = g.deals(kind="acquisition")
    assert (acquisition.currency, str(acquisition.amount.value), acquisition.amount_usd) == ("EUR", "9500000", 1e7)


def test_crunchbase_problems_name_file_and_row(tmp_path):
    folder = _crunchbase(tmp_path, acquisitions_csv="""
        uuid,name,acquirer_uuid,acquiree_uuid,acquired_on,price_usd
        a1,,o2,o9,2025-02-30,ten million
        """)
    with pytest.raises(kg.DataError) as caught:
        import_crunchbase(folder)
    problems = [str(p) for p in caught.value.problems]
    path = folder / "acquisitions.csv"
    assert f"{path}:2: a1: acquiree_uuid 'o9' is not in organizations.csv" in problems
    assert any(p.startswith(f"{path}:2: a1: acquired_on: 2025-02-30 is not a real date") for p in problems)
    assert f"{path}:2: a1: price_usd 'ten million' is not a number" in problems


def test_crunchbase_missing_column(tmp_path):
    folder = _crunchbase(tmp_path, investments_csv="uuid,investor_uuid\ni1,o3\n")
    with pytest.raises(kg.DataError, match="missing column 'funding_round_uuid'"):
        import_crunchbase(folder)


def test_cli_imports_then_loads(tmp_path):
    out = tmp_path / "data"
    result = CliRunner().invoke(main, ["import-crunchbase", str(_crunchbase(tmp_path)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "6 organizations, 2 deals, 1 valuations; 1 funding rounds without an investor left out" in result.output
    result = CliRunner().invoke(main, ["investors", "anthropic", "--data", str(out), "--format", "csv"])
    assert "spark-capital,,0,0,,0,0,,anthropic-round-r1,," in result.output


def test_cli_import_with_bad_input_writes_nothing(tmp_path):
    folder = _crunchbase(tmp_path, funding_rounds_csv="uuid,org_uuid,announced_on\nr1,o1,someday\n")
    out = tmp_path / "data"
    result = CliRunner().invoke(main, ["import-crunchbase", str(folder), "--out", str(out)])
    assert result.exit_code == 1 and "funding_rounds.csv:2: r1: announced_on" in result.output
    assert not out.exists()
