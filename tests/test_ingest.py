"""News ingestion: the facts a careful reader would extract from articles in several styles, and review."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.loaders.news import article_text, chips_in, date_in, extract, money_in, power_in

ARTICLES = Path(__file__).resolve().parent / "articles"
B = 1_000_000_000

# The key facts of each article, as a careful reader would note them.
EXPECTED = {
    ("wire-amazon-anthropic.txt", dt.date(2026, 4, 21)): {
        ("investment", "amazon", "anthropic", 5 * B, "USD", "exact", "announced"),
        ("investment", "amazon", "anthropic", 20 * B, "USD", "up-to", "contingent"),
        ("valuation", "anthropic", 350 * B, "USD", "exact", "pre-money", "2026-04-20"),
        ("valuation", "anthropic", 380 * B, "USD", "exact", None, "2026-02"),
        ("valuation", "anthropic", 800 * B, "USD", "more-than", "offer", "2026-04-20"),
        ("compute-commitment", "anthropic", ("amazon-web-services",), 100 * B, "more-than", 10, (5, "up-to")),
        ("compute-commitment", "anthropic", ("broadcom", "google"), None, None, None, (3.5, "exact")),
    },
    ("blog-roundup.md", dt.date(2025, 9, 12)): {
        ("funding-round", ("asml",), "mistral-ai", 1_700_000_000, "EUR", "exact", "completed"),
        ("valuation", "mistral-ai", 11_700_000_000, "EUR", "exact", "post-money", "2025-09-12"),
        ("acquisition", "nvidia", "run-ai", 700_000_000, "USD", "approximately", "2024-04"),
        ("funding-round", ("valor-equity-partners",), "xai", 6 * B, "USD", "exact", "completed"),
    },
    ("newsletter-deals.txt", dt.date(2025, 12, 5)): {
        ("investment", "nvidia", "synopsys", 2 * B, "USD", "exact", "announced"),
        ("compute-commitment", "openai", ("amazon-web-services",), 38 * B, "exact", 7, None),
        ("investment", "softbank", "openai", 22_500_000_000, "USD", "exact", "announced"),
        ("acquisition", "meta", "manus", 2 * B, "USD", "more-than", "2025-12-03"),
        ("funding-round", ("inovia-capital", "radical-ventures"), "cohere", 500_000_000, "USD", "exact", "completed"),
        ("valuation", "cohere", 6_800_000_000, "USD", "exact", None, "2025-12-03"),
    },
    ("press-release.html", dt.date(2025, 11, 3)): {
        ("funding-round", ("nvidia", "sequoia-capital"), "lumen-robotics", 120_000_000, "USD", "exact", "completed"),
        ("valuation", "lumen-robotics", 1_200_000_000, "USD", "exact", None, "2025-11-03"),
        ("compute-commitment", "lumen-robotics", ("microsoft",), 50_000_000, "exact", 3, None),
    },
}


def facts(found) -> set:
    """Each candidate as a comparable tuple, in the shape of EXPECTED."""
    out = set()
    for d in found.deals:
        amount = d.get("amount") or {}
        parties = d["parties"]
        if d["kind"] in ("investment",):
            out.add((d["kind"], parties["investor"][0], parties["investee"][0], amount.get("value"),
                     amount.get("currency"), amount.get("qualifier"), d["status"]))
        elif d["kind"] == "funding-round":
            out.add((d["kind"], tuple(parties["investor"]), parties["investee"][0], amount.get("value"),
                     amount.get("currency"), amount.get("qualifier"), d["status"]))
        elif d["kind"] == "acquisition":
            out.add((d["kind"], parties["acquirer"][0], parties["acquiree"][0], amount.get("value"),
                     amount.get("currency"), amount.get("qualifier"), d["announced_on"]))
        elif d["kind"] == "compute-commitment":
            power = d.get("power_gw")
            out.add((d["kind"], parties["customer"][0], tuple(parties["provider"]), amount.get("value"),
                     amount.get("qualifier"), d.get("duration_years"),
                     None if power is None else (power["value"], power["qualifier"])))
    for v in found.valuations:
        out.add(("valuation", v["entity"], v["amount"]["value"], v["amount"]["currency"], v["amount"]["qualifier"],
                 v.get("basis"), v["date"]))
    return out


def precision_recall(g) -> tuple[float, float, int, int, int]:
    right = extracted = expected = 0
    for (name, published_on), wanted in EXPECTED.items():
        got = facts(extract(g, article_text((ARTICLES / name).read_text(encoding="utf-8")), published_on))
        right += len(got & wanted)
        extracted += len(got)
        expected += len(wanted)
    return right / extracted, right / expected, right, extracted, expected


def test_precision_and_recall_over_the_articles(bundled):
    precision, recall, right, extracted, expected = precision_recall(bundled)
    assert recall >= 0.9, f"{right} of {expected} key facts found"
    assert precision == 1.0, f"{extracted - right} invented facts"


@pytest.mark.parametrize(("name", "published_on"), list(EXPECTED))
def test_each_article(bundled, name, published_on):
    got = facts(extract(bundled, article_text((ARTICLES / name).read_text(encoding="utf-8")), published_on))
    assert got == EXPECTED[(name, published_on)]


def test_unknown_organizations_are_proposed_separately(bundled):
    found = extract(bundled, article_text((ARTICLES / "press-release.html").read_text(encoding="utf-8")),
                    dt.date(2025, 11, 3))
    assert [(e["id"], e["name"], e["candidate"]["new"]) for e in found.entities] == [
        ("lumen-robotics", "Lumen Robotics", True)]
    assert all("Lumen Robotics" in d["candidate"]["quote"] for d in found.deals)


def test_the_script_in_a_page_is_not_read(bundled):
    text = article_text((ARTICLES / "press-release.html").read_text(encoding="utf-8"))
    assert "tracking" not in text and "Nobody" not in text


@pytest.mark.parametrize(("text", "expected"), [
    ("$5 billion", (5 * B, "USD", "exact")),
    ("$5B", (5 * B, "USD", "exact")),
    ("US$5bn", (5 * B, "USD", "exact")),
    ("€1.7 billion", (1_700_000_000, "EUR", "exact")),
    ("5 billion dollars", (5 * B, "USD", "exact")),
    ("more than $100 billion", (100 * B, "USD", "more-than")),
    ("up to $20 billion", (20 * B, "USD", "up-to")),
    ("as much as £2.5bn", (2_500_000_000, "GBP", "up-to")),
    ("about $700 million", (700_000_000, "USD", "approximately")),
    ("$1,250,000,000", (1_250_000_000, "USD", "exact")),
])
def test_money_in_its_common_forms(text, expected):
    [money] = money_in(f"They said {text} on Monday.")
    assert (int(money.value), money.currency, money.qualifier) == expected


def test_capacity_and_chips():
    assert power_in("more than 1 gigawatt of capacity") == {"value": 1, "qualifier": "more-than"}
    assert power_in("a 500 MW site") == {"value": 0.5, "qualifier": "exact"}
    assert chips_in("up to 1 million TPUs") == {"value": 1_000_000, "qualifier": "up-to"}
    assert chips_in("18,000 Nvidia GB300 chips") == {"value": 18_000, "qualifier": "exact"}


def test_dates_relative_to_the_article():
    tuesday = dt.date(2026, 4, 21)
    assert date_in("the round it closed in February", tuesday) == "2026-02"
    assert date_in("a deal struck in November", tuesday) == "2025-11"
    assert date_in("the companies said on Monday", tuesday) == "2026-04-20"
    assert date_in("yesterday", tuesday) == "2026-04-20"
    assert date_in("last year", tuesday) == "2025"
    assert date_in("on March 27, 2024", tuesday) == "2024-03-27"
    assert date_in("nothing dated", tuesday) is None


# --- the command line ----------------------------------------------------------------------------

ARTICLE = """
Big Co invests $3 million in Small Lab

NEW YORK, March 4 (Wire) - Big Co will invest $3 million in Small Lab, the companies said on Monday.

The deal values Small Lab at $30 million, including the new money.

Big Co also acquired Tiny Startup for about $2 million.
"""


def _candidates(tmp_path, *options: str) -> tuple[Path, Path]:
    """A data folder, and the candidates `aikg ingest` finds in ARTICLE, written beside it."""
    from conftest import write_data

    data = write_data(tmp_path / "data")
    article = tmp_path / "article.txt"
    article.write_text(textwrap.dedent(ARTICLE), encoding="utf-8")
    candidates = tmp_path / "candidates.yaml"
    result = CliRunner().invoke(main, ["ingest", str(article), "--date", "2024-03-05", "--data", str(data),
                                       *options, "--out", str(candidates)])
    assert result.exit_code == 0, result.output
    return data, candidates


def test_ingest_then_review_merges_what_is_accepted(tmp_path):
    data, candidates = _candidates(tmp_path, "--source-url", "https://example.org/wire/big-co")
    document = yaml.safe_load(candidates.read_text(encoding="utf-8"))
    assert [d["kind"] for d in document["deals"]] == ["investment", "acquisition"]
    assert [e["name"] for e in document["entities"]] == ["Tiny Startup"]
    assert document["sources"][0]["url"] == "https://example.org/wire/big-co"
    # accept the new organization, the investment and the valuation; reject the acquisition
    result = CliRunner().invoke(main, ["review", str(candidates), "--data", str(data)], input="a\na\nr\na\n")
    assert result.exit_code == 0, result.output
    assert "merged 1 entities, 1 deals, 1 valuations, 1 sources" in result.output
    g = kg.load(data)
    assert g.total_invested("Big Co", "Small Lab").known_usd == 1_000_000 + 3_000_000
    assert g.entity("Tiny Startup").id == "tiny-startup"
    [valuation] = [v for v in g.valuations("small-lab") if v.amount_usd == 30_000_000]
    assert (valuation.basis, valuation.date.isoformat()) == ("post-money", "2024-03-04")
    assert "# From: NEW YORK, March 4 (Wire) - Big Co will invest" in (data / "deals.yaml").read_text(encoding="utf-8")


def test_review_merges_nothing_that_would_fail_validation(tmp_path):
    data, candidates = _candidates(tmp_path)
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    # reject the new organization but accept the acquisition that names it
    result = CliRunner().invoke(main, ["review", str(candidates), "--data", str(data)], input="r\nr\na\nr\n")
    assert result.exit_code == 1
    assert "refers to unknown id 'tiny-startup'" in result.output
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_review_with_nothing_accepted(tmp_path):
    data, candidates = _candidates(tmp_path)
    result = CliRunner().invoke(main, ["review", str(candidates), "--data", str(data)], input="q\n")
    assert result.exit_code == 0 and "nothing accepted" in result.output


def test_ingest_reports_a_bad_date(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("Nothing here.", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(article), "--date", "yesterday"])
    assert result.exit_code == 2 and "is not a date like 2026-04-21" in result.output
