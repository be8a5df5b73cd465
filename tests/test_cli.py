"""The aikg command mirrors the API: same answers, clear errors, exit status 1, no traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

import kg

from kg.cli import main

from conftest import MINIMAL, write_data


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_validate_bundled_data(run):
    result = run("validate")
    assert result.exit_code == 0
    g = kg.load()
    *warnings, ok = result.output.splitlines()
    assert ok == (f"ok: {len(g.entities())} entities, {len(g.deals())} deals, "
                  f"{len(g.dataset.valuations)} valuations, {len(g.sources)} sources")
    assert all(line.startswith("warning: ") for line in warnings)  # odd facts, each worth a look


def test_validate_bad_data_names_file_and_line(run, tmp_path):
    folder = write_data(tmp_path, deals_yaml=MINIMAL["deals.yaml"].replace("kind: investment", "kind: investmnt"))
    result = run("validate", "--data", str(folder))
    assert result.exit_code == 1
    assert f"{folder / 'deals.yaml'}:2: big-co-small-lab-2024: unknown kind 'investmnt' (did you mean 'investment'?)" in result.output
    assert "Traceback" not in result.output


def test_build_writes_the_four_exports(run, tmp_path, data_dir):
    out = tmp_path / "out"
    result = run("build", "--data", str(data_dir), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["aikg.html", "aikg.jsonld", "aikg.nt", "aikg.ttl", "context.jsonld", "ontology.ttl"]
    assert "wrote" in result.output


def test_build_with_bad_data_writes_nothing_and_keeps_earlier_exports(run, tmp_path, data_dir):
    out = tmp_path / "out"
    run("build", "--data", str(data_dir), "--out", str(out))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (data_dir / "deals.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    result = run("build", "--data", str(data_dir), "--out", str(out))
    assert result.exit_code == 1
    assert "invalid YAML" in result.output and "deals.yaml:" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    fresh = tmp_path / "fresh"
    assert run("build", "--data", str(data_dir), "--out", str(fresh)).exit_code == 1
    assert not fresh.exists()


def test_show_text(run):
    result = run("show", "aws")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Amazon Web Services (amazon-web-services)"
    assert "  parent: Amazon (since 2006-03-14)" in lines
    assert any("more than $100.0B" in line and "up to 5 GW" in line and "as provider" in line for line in lines)
    assert any(line.startswith("  [1] ") and "https://" in line for line in lines)


def test_show_lists_deals_in_and_out_with_sources(run):
    output = run("show", "Amazon").output
    assert "owns: Amazon Web Services, Annapurna Labs" in output
    assert "as investor" in output and "as acquirer" in output
    assert "up to $20.0B  contingent" in output
    assert "Sources:" in output


def test_show_json_matches_the_api(run, bundled):
    document = json.loads(run("show", "anthropic", "--format", "json").output)
    assert document["entity"]["id"] == "anthropic"
    assert [d["id"] for d in document["deals"]] == [d.id for d in bundled.deals(party="anthropic")]
    assert [v["id"] for v in document["valuations"]] == [v.id for v in bundled.valuations("anthropic")]
    cited = {s for d in document["deals"] for s in d["sources"]}
    assert cited <= set(document["sources"])


def test_show_unknown_entity(run):
    result = run("show", "Antropic")
    assert result.exit_code == 1
    assert "no entity is called 'Antropic'; did you mean 'Anthropic'?" in result.output


def test_python_dash_m_kg_is_aikg():
    result = subprocess.run([sys.executable, "-m", "kg", "show", "claude"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "maker: Anthropic" in result.stdout


def test_help_and_show_do_not_import_rdflib_or_pyvis():
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from kg.cli import main\n"
        "for args in (['--help'], ['show', 'anthropic'], ['validate']):\n"
        "    assert CliRunner().invoke(main, args).exit_code == 0\n"
        "print(sorted(m for m in ('rdflib', 'pyvis') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_audit_draws_the_same_facts_for_the_same_seed_with_their_sources(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    runner = CliRunner()
    first = runner.invoke(main, ["audit", "--sample", "5", "--seed", "7"])
    assert first.exit_code == 0 and first.output == runner.invoke(main, ["audit", "--sample", "5", "--seed", "7"]).output
    items = [line for line in first.output.splitlines() if re.match(r"\d+\. \[ \] ", line)]
    assert len(items) == 5 and all("[ ]" in item for item in items)
    assert first.output.count("https://") >= 5
    assert first.output != runner.invoke(main, ["audit", "--sample", "5", "--seed", "8"]).output
    as_json = json.loads(runner.invoke(main, ["audit", "--sample", "3", "--format", "json"]).output)
    assert len(as_json) == 3 and all(fact["sources"] and fact["states"] for fact in as_json)


def test_audit_against_a_baseline_draws_only_what_changed(tmp_path):
    from click.testing import CliRunner

    from conftest import MINIMAL, write_data
    from kg.cli import main

    before = write_data(tmp_path / "before")
    deals = MINIMAL["deals.yaml"] + MINIMAL["deals.yaml"].replace("big-co-small-lab-2024\n", "big-co-small-lab-2024-06\n") \
        .replace("announced_on: 2024-01-02", "announced_on: 2024-06-02").replace("value: 1000000", "value: 2000000")
    after = write_data(tmp_path / "after", deals_yaml=deals)
    result = CliRunner().invoke(main, ["audit", "--data", str(after), "--baseline", str(before), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [fact["record"] for fact in json.loads(result.output)] == ["big-co-small-lab-2024-06"]


def test_stats_says_what_the_data_covers(tmp_path):
    from click.testing import CliRunner

    from conftest import write_data
    from kg.cli import main

    output = CliRunner().invoke(main, ["stats", "--core"]).output
    assert "Current to 2026-06" in output and "The core: deals above $100.0M since 2019" in output
    assert "   1. openai" in output
    folder = write_data(tmp_path / "data")
    assert "Current to" not in CliRunner().invoke(main, ["stats", "--data", str(folder)]).output
    (folder / "coverage.yaml").write_text("current_until: 2026-06\n")
    broken = CliRunner().invoke(main, ["stats", "--data", str(folder)])
    assert broken.exit_code != 0 and "coverage.yaml: KeyError: 'core' (needs current_until (YYYY-MM) and core" in broken.output
