"""The shipped SPARQL queries answer the common questions; `aikg sparql` prints their answers."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.sparql import read_query, run_query, shipped_queries

ID = "https://w3id.org/aikg/id/"
AIKG = "https://w3id.org/aikg/ontology#"
B = Decimal(1_000_000_000)


def answer(bundled, name) -> list[dict]:
    return run_query(bundled, name).to_dicts()


def test_every_shipped_query_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert len(shipped_queries()) >= 6
    for name in shipped_queries():
        assert f"queries/{name}.rq" in readme


def test_anthropic_investors(bundled):
    rows = answer(bundled, "anthropic-investors")
    assert list(rows[0]) == ["investor", "known_usd", "undisclosed"]
    totals = {row["investor"]: row["known_usd"] for row in rows}
    assert totals[ID + "amazon"] == 13 * B
    assert totals[ID + "google"] == Decimal("13.3") * B  # $300M (2023), $2B (2023), $1B (2025), $10B (2026)
    assert ID + "gic" not in totals  # a funding round's amount is not GIC's own
    known = [row["known_usd"] for row in rows if row["known_usd"] is not None]
    assert known == sorted(known, reverse=True)


def test_anthropic_investors_agrees_with_the_python_api(bundled):
    rows = answer(bundled, "anthropic-investors")
    for row in rows:
        investor = row["investor"][len(ID):]
        total = bundled.total_invested(investor, "anthropic")
        assert (None if row["known_usd"] is None else float(row["known_usd"])) == total.known_usd
        assert int(row["undisclosed"]) == total.undisclosed
    # The query answers by investing organization, the Python API by corporate family (Google's is Alphabet)
    assert {bundled.family_head(row["investor"][len(ID):]) for row in rows} == {
        r.investor for r in bundled.investors_of("anthropic") if r.committed.known_usd is not None or r.committed.undisclosed}


def test_investors_ranked(bundled):
    rows = answer(bundled, "investors-ranked")
    ranked = [(row["investor"][len(ID):], row["total_usd"]) for row in rows]
    assert ranked[0][1] >= ranked[-1][1]
    for investor, total in ranked:  # the same rules as the Python API's committed totals
        assert float(total) == pytest.approx(sum(r.committed_usd or 0.0 for r in bundled.investments_by(investor)))


def test_compute_commitments(bundled):
    rows = answer(bundled, "compute-commitments")
    aws = [row for row in rows if row["deal"] == ID + "anthropic-aws-2026-04-compute"]
    assert [(r["power_gw"], r["power_qualifier"], r["amount_usd"], r["amount_qualifier"]) for r in aws] == [
        (Decimal(5), AIKG + "UpTo", 100 * B, AIKG + "MoreThan")]
    three_and_a_half = {row["provider"] for row in rows if row["power_gw"] == Decimal("3.5")}
    assert three_and_a_half == {ID + "google", ID + "broadcom"}


def test_valuation_history(bundled):
    rows = answer(bundled, "valuation-history")
    assert [row["date"] for row in rows] == sorted(row["date"] for row in rows)
    claims = {(row["date"], row["amount_usd"]) for row in rows}
    assert ("2026-02-12", 380 * B) in claims
    assert {("2026-04-20", 350 * B), ("2026-04-20", 380 * B)} <= claims
    assert len(rows) == len(bundled.valuations("anthropic"))


def test_circular_flows(bundled):
    pairs = {(row["a"][len(ID):], row["b"][len(ID):]) for row in answer(bundled, "circular-flows")}
    assert {("amazon", "anthropic"), ("microsoft", "openai"), ("alphabet", "anthropic"), ("coreweave", "nvidia")} <= pairs
    assert all(a < b for a, b in pairs)
    assert pairs == {loop.families for loop in bundled.loops(max_length=2)}  # the same rules as the Python API


def test_deals_in_year(bundled):
    rows = answer(bundled, "deals-in-year")
    assert {row["deal"][len(ID):] for row in rows} == {d.id for d in bundled.deals(since="2026", until="2026")}


def test_read_query_takes_a_name_a_file_or_text(tmp_path):
    assert "SELECT" in read_query("anthropic-investors") == read_query("anthropic-investors.rq")
    query_file = tmp_path / "mine.rq"
    query_file.write_text("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", encoding="utf-8")
    assert read_query(str(query_file)).startswith("SELECT ?s")
    with pytest.raises(kg.QueryError, match="cannot read the query"):
        read_query(str(tmp_path / "missing.rq"))


def test_bad_query_is_a_query_error(bundled):
    with pytest.raises(kg.QueryError, match="the query does not run"):
        run_query(bundled, "SELEC ?x")


def test_cli_table_csv_and_json():
    runner = CliRunner()
    table = runner.invoke(main, ["sparql", "anthropic-investors"]).output.splitlines()
    assert table[0].split() == ["investor", "known_usd", "undisclosed"]
    assert any("id:amazon" in line and "$13.0B" in line for line in table[2:])
    csv_rows = list(csv.reader(io.StringIO(runner.invoke(main, ["sparql", "anthropic-investors", "--format", "csv"]).output)))
    assert csv_rows[0] == ["investor", "known_usd", "undisclosed"] and [ID + "amazon", "13000000000", "0"] in csv_rows
    document = json.loads(runner.invoke(main, ["sparql", "anthropic-investors", "--format", "json"]).output)
    assert document["head"]["vars"] == ["investor", "known_usd", "undisclosed"]
    first = document["results"]["bindings"][0]
    assert first["known_usd"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"


def test_cli_lists_shipped_queries_and_reports_bad_queries():
    runner = CliRunner()
    listing = runner.invoke(main, ["sparql"]).output
    assert all(name in listing for name in shipped_queries())
    result = runner.invoke(main, ["sparql", "SELEC nonsense"])
    assert result.exit_code == 1 and "the query does not run" in result.output


@pytest.mark.parametrize("name", sorted(shipped_queries()))
def test_oxigraph_and_rdflib_give_the_same_answers(bundled, name):
    assert run_query(bundled, name).to_dicts() == run_query(bundled, name, engine="rdflib").to_dicts()


def test_unknown_engine(bundled):
    with pytest.raises(kg.QueryError, match="unknown engine"):
        run_query(bundled, "anthropic-investors", engine="sparqlizer")


def test_non_select_queries_are_refused(bundled):
    for engine in ("oxigraph", "rdflib"):
        with pytest.raises(kg.QueryError, match="only SELECT queries"):
            run_query(bundled, "ASK { ?s ?p ?o }", engine=engine)
