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
from kg.loaders.article import article_text
from kg.loaders.figures import chips_in, date_in, money_in, power_in
from kg.loaders.news import extract

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
            out.add((d["kind"], tuple(parties.get("investor", ())), parties["investee"][0], amount.get("value"),
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


# --- what real articles got wrong, each on a text written here -------------------------------------

DAY = dt.date(2026, 4, 21)


def _deals(bundled, text):
    found = extract(bundled, text, DAY)
    return [(d["kind"], d["parties"], (d.get("amount") or {}).get("value"), d["status"]) for d in found.deals], found


def test_a_valuation_is_never_an_investment(bundled):
    deals, found = _deals(bundled, "Microsoft will invest $2 billion in Mistral, a deal that values the startup "
                                   "at about $40 billion.")
    assert deals == [("investment", {"investor": ["microsoft"], "investee": ["mistral-ai"]}, 2_000_000_000, "announced")]
    assert [(v["entity"], v["amount"]["value"], v["amount"]["qualifier"]) for v in found.valuations] == [
        ("mistral-ai", 40_000_000_000, "approximately")]


def test_a_chip_name_is_never_a_count():
    assert chips_in("Nscale will deploy Nvidia GB300 systems") is None
    assert chips_in("a cluster of B200 GPUs") is None
    assert chips_in("It will buy 300,000 GB300 chips") == {"value": 300_000, "qualifier": "exact"}


def test_a_place_is_never_an_organization(bundled):
    deals, found = _deals(bundled, "Lyon-based startup Pollen raised $20 million led by Sequoia Capital.")
    assert [e["name"] for e in found.entities] == ["Pollen"]
    assert deals == [("funding-round", {"investor": ["sequoia-capital"], "investee": ["pollen"]}, 20_000_000, "completed")]


def test_it_is_the_story_s_lab(bundled):
    deals, found = _deals(bundled, "Amazon has announced an additional $5 billion investment in Anthropic. It recently "
                                   "partnered with Broadcom and Google to access 3.5 gigawatts of computing capacity.")
    assert deals[0] == ("investment", {"investor": ["amazon"], "investee": ["anthropic"]}, 5_000_000_000, "announced")
    assert deals[1][:2] == ("compute-commitment", {"customer": ["anthropic"], "provider": ["broadcom", "google"]})
    assert found.deals[1]["candidate"]["confidence"] == "low"  # "it" is read, not named
    _, found = _deals(bundled, "Anthropic is an AI lab. It will spend $30 billion on Microsoft's cloud.")
    assert found.deals[0]["parties"]["customer"] == ["anthropic"] and found.deals[0]["candidate"]["confidence"] == "low"


def test_milestone_money_is_contingent_and_its_own(bundled):
    deals, _ = _deals(bundled, "Amazon has announced an additional $5 billion investment in Anthropic. The agreement "
                               "also includes $20 billion in future funding if certain milestones are met.")
    assert deals == [("investment", {"investor": ["amazon"], "investee": ["anthropic"]}, 5_000_000_000, "announced"),
                     ("investment", {"investor": ["amazon"], "investee": ["anthropic"]}, 20_000_000_000, "contingent")]


def test_an_amount_in_another_currency_keeps_the_dollars_the_article_gives(bundled):
    deals, _ = _deals(bundled, "Mistral AI raised €600 million ($645 million) led by General Catalyst.")
    assert [(d["parties"]["investee"], d["amount"]) for d in extract(bundled, "Mistral AI raised €600 million "
            "($645 million) led by General Catalyst.", DAY).deals] == [
        (["mistral-ai"], {"value": 600_000_000, "currency": "EUR", "qualifier": "exact", "usd": 645_000_000})]


def test_the_date_comes_from_the_dateline_and_its_absence_is_said(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("Amazon adds $5 billion\n\nSEATTLE, April 20, 2026 (Wire) - Amazon will invest an additional "
                       "$5 billion in Anthropic, the companies said on Monday.", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(article)])
    assert result.exit_code == 0 and "published on 2026-04-20" in result.stderr
    assert "announced_on: '2026-04-20'" in result.stdout
    article.write_text("Amazon will invest an additional $5 billion in Anthropic.", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(article)])
    assert result.exit_code == 0 and "shows no publication date" in result.stderr and "pass --date" in result.stderr


def test_review_shows_what_a_candidate_would_change_and_doubts_it(tmp_path):
    from kg.loaders.review import consequences, doubts

    g = kg.load()
    candidate = {"kind": "investment", "parties": {"investor": ["microsoft"], "investee": ["mistral-ai"]},
                 "amount": {"value": 40_000_000_000, "currency": "USD"}, "status": "announced",
                 "candidate": {"quote": "Microsoft will invest $2 billion in Mistral, valuing it at $40 billion."}}
    before = g.total_invested("microsoft", "mistral-ai").known_usd
    from kg.humanize import format_usd
    assert consequences(g, "deals", candidate) == [
        f"Microsoft \u2192 Mistral AI committed: {format_usd(before)} \u2192 {format_usd((before or 0) + 40e9)}"]
    assert "the sentence also states a valuation: check that this figure is money invested" in doubts(g, "deals", candidate)
    known = {"kind": "investment", "parties": {"investor": ["amazon"], "investee": ["anthropic"]},
             "amount": {"value": 5_000_000_000, "currency": "USD"}, "status": "announced"}
    assert consequences(g, "deals", known)[0] == "already known: amazon-anthropic-2026-04 (accepting it would state it twice)"
    assert doubts(g, "entities", {"name": "Lyon-based"}) == ["'Lyon-based' reads like a place or a word, not an organization"]


def test_review_prints_consequences_before_the_question(tmp_path):
    data, candidates = _candidates(tmp_path)
    result = CliRunner().invoke(main, ["review", str(candidates), "--data", str(data)], input="r\nq\n")
    assert result.exit_code == 0
    second = result.output[result.output.index("[2/"):]
    line = "= Big Co \u2192 Small Lab committed: $1.0M \u2192 $4.0M"
    assert line in second and second.index(line) < second.index("accept, edit, reject or quit")


@pytest.mark.parametrize(("text", "expected"), [
    ("a levé 1,7 milliard d’euros", (1_700_000_000, "EUR", "exact")),
    ("sammelt rund 500 Millionen Euro ein", (500_000_000, "EUR", "approximately")),
    ("per circa 700 milioni di dollari", (700_000_000, "USD", "approximately")),
    ("raised 1 billion yuan ($137 million)", (1_000_000_000, "CNY", "exact")),
    ("₩250 billion from the fund", (250_000_000_000, "KRW", "exact")),
])
def test_money_as_other_languages_and_currencies_write_it(text, expected):
    [money] = money_in(text)
    assert (money.value, money.currency, money.qualifier) == expected


def test_a_purchase_of_chips_is_supply_not_an_acquisition(bundled):
    deals, _ = _deals(bundled, "Humain will acquire 18,000 of Nvidia's GB300 chips for its first data centres.")
    assert deals == [("supply", {"customer": ["humain"], "provider": ["nvidia"]}, None, "announced")]


def test_which_names_the_acquirer(bundled):
    deals, _ = _deals(bundled, "DeepMind, which Google acquired in 2014 for more than $500 million, leads its research.")
    assert deals[0][:3] == ("acquisition", {"acquirer": ["google"], "acquiree": ["google-deepmind"]}, 500_000_000)


# --- constructions of real articles, each on a text written here -------------------------------------


def test_every_candidate_carries_its_evidence_and_a_confidence(bundled):
    text = "Anthropic is an AI lab.\n\nIt raised $2 billion led by Acme Ventures. Amazon invested $4 billion in Anthropic."
    found = extract(bundled, text, DAY)
    by_kind = {d["kind"]: d["candidate"] for d in found.deals}
    for candidate in by_kind.values():
        start, end = candidate["span"]
        assert text[start:end] == candidate["quote"]
    assert by_kind["investment"]["confidence"] == "high" and "doubts" not in by_kind["investment"]
    assert by_kind["funding-round"]["confidence"] == "low"
    assert any("read from an earlier sentence" in d for d in by_kind["funding-round"]["doubts"])
    assert any("Acme Ventures is not in the data" in d for d in by_kind["funding-round"]["doubts"])


def test_a_backer_named_as_an_adjective_is_an_investment_without_amount(bundled):
    deals, found = _deals(bundled, "Microsoft-backed Mistral AI raises $645 million at a $6 billion valuation.")
    assert ("investment", {"investor": ["microsoft"], "investee": ["mistral-ai"]}, None, "completed") in deals
    assert ("funding-round", {"investee": ["mistral-ai"]}, 645_000_000, "completed") in deals
    assert not any(d[0] == "investment" and d[2] for d in deals)  # the round's money is not Microsoft's
    backing = next(d for d in found.deals if d["kind"] == "investment")
    assert backing["candidate"]["confidence"] == "low"  # the sentence does not say when Microsoft invested


def test_the_investment_verb_that_fills_its_frame_is_the_one_read(bundled):
    deals, _ = _deals(bundled, "The initial investment was followed with Amazon pumping $2.75bn into Anthropic in March 2024.")
    assert deals == [("investment", {"investor": ["amazon"], "investee": ["anthropic"]}, 2_750_000_000, "announced")]
    deals, _ = _deals(bundled, "Zhipu AI has completed 16 rounds, including a 3bn yuan investment in December 2024 "
                               "from Alibaba.")
    assert deals[0][:3] == ("investment", {"investor": ["alibaba"], "investee": ["zhipu-ai"]}, 3_000_000_000)
    deals, _ = _deals(bundled, "The company also intends to invest $6.8bn internationally using advanced Nvidia chips.")
    assert deals == []  # no one is invested in


def test_a_round_s_money_is_not_its_running_total_and_its_owner_is_whose_round_it_is(bundled):
    deals, found = _deals(bundled, "Apple has withdrawn from talks to join OpenAI's funding round, which aims to raise "
                                   "about $6.5 billion and values the company at over $100 billion.")
    assert deals == [("funding-round", {"investee": ["openai"]}, 6_500_000_000, "completed")]
    assert [(v["entity"], v["amount"]["value"]) for v in found.valuations] == [("openai", 100_000_000_000)]
    deals, _ = _deals(bundled, "The Series C round, with participation from Nvidia and Microsoft, brings Wayve's total "
                               "funds raised to over $1.3 billion.")
    assert deals == []


def test_investors_named_in_later_sentences_join_the_round(bundled):
    text = ("Particle, a news app, raised $10.9 million. It has twelve staff. Lightspeed Venture Partners led the round. "
            "Prior investors Kindred Ventures, Ev Williams and Scott Belsky participated in the round.")
    found = extract(bundled, text, DAY)
    [round_] = found.deals
    assert round_["parties"] == {"investor": ["lightspeed-venture-partners", "kindred-ventures"], "investee": ["particle"]}
    assert len(round_["candidate"]["also"]) == 2
    assert round_["title"] == "Funding round: investor Lightspeed Venture Partners, Kindred Ventures / investee Particle"
    assert {e["name"] for e in found.entities} == {"Particle", "Kindred Ventures"}  # no angel, no "Prior"


def test_licences_and_who_licenses_to_whom(bundled):
    deals, found = _deals(bundled, "Nvidia has reached a $20 billion deal with Groq to license its inference technology.")
    assert deals == [("licensing", {"licensee": ["nvidia"], "licensor": ["groq"]}, 20 * B, "announced")]
    assert found.deals[0]["candidate"]["confidence"] == "high"
    _, found = _deals(bundled, "Groq has entered into a licensing agreement with Nvidia.")
    assert found.deals[0]["candidate"]["confidence"] == "low"  # the sentence does not say which way


def test_agreements_with_a_cloud_or_chip_maker_take_their_roles_from_the_data(bundled):
    deals, _ = _deals(bundled, "A $300 billion deal between OpenAI and Oracle is the largest cloud contract in history.")
    assert deals == [("compute-commitment", {"customer": ["openai"], "provider": ["oracle"]}, 300 * B, "announced")]
    deals, _ = _deals(bundled, "AMD and OpenAI announced a plan for OpenAI to purchase up to six gigawatts of AMD GPUs, "
                               "with a potential sales value of $90 billion.")
    assert deals[0][:2] == ("supply", {"customer": ["openai"], "provider": ["amd"]})
    assert extract(bundled, "AMD and OpenAI announced a plan for OpenAI to purchase up to six gigawatts of AMD GPUs, "
                            "with a potential sales value of $90 billion.", DAY).deals[0]["amount"]["qualifier"] == "up-to"


def test_warrants_and_their_vesting(bundled):
    deals, _ = _deals(bundled, "AMD has issued OpenAI a warrant for up to 160 million AMD shares that vest as milestones are met.")
    assert deals == [("warrant", {"issuer": ["amd"], "holder": ["openai"]}, None, "contingent")]


def test_acquisitions_passive_with_seller_and_of_a_team(bundled):
    deals, _ = _deals(bundled, "DeepMind was acquired by Google in 2014.")
    assert deals[0][:2] == ("acquisition", {"acquirer": ["google"], "acquiree": ["google-deepmind"]})
    deals, _ = _deals(bundled, "Nvidia will buy Arm from the chip designer's parent SoftBank for $40 billion.")
    assert deals[0][:3] == ("acquisition", {"acquirer": ["nvidia"], "acquiree": ["arm"], "seller": ["softbank"]}, 40 * B)
    deals, _ = _deals(bundled, "In hiring its founders, Microsoft also acquired Inflection AI.")
    assert deals[0][0] == "acqui-hire"


def test_names_that_are_not_organizations(bundled):
    found = extract(bundled, "Laut Handelsblatt investiert der Konzern 500 Millionen Euro in Forschung und Entwicklung "
                             "für die neue Plattform.", DAY)
    assert (found.deals, found.entities) == ([], [])  # German capitalises nouns: "Forschung" is not a company
    found = extract(bundled, "The round drew Swedish defence company Saab.", DAY)
    assert "Swedish" not in {e["name"] for e in found.entities}


@pytest.mark.parametrize(("text", "expected"), [
    ("Ten billion dollars is a lot", (10 * B, "USD")),
    ("with a valuation of over one billion euros", (B, "EUR")),
])
def test_money_in_words(text, expected):
    [money] = money_in(text)
    assert (money.value, money.currency) == expected


def test_a_possessive_valuation_is_read_in_any_sentence(bundled):
    found = extract(bundled, "Nvidia's licensing deal is three times Groq’s $6.9 billion valuation.", DAY)
    assert [(v["entity"], v["amount"]["value"]) for v in found.valuations] == [("groq", 6_900_000_000)]


def test_bullets_end_sentences(bundled):
    found = extract(bundled, "• Lightspeed's partner joins the board. • Earlier this year, Particle raised $4.4 million.", DAY)
    assert [d["parties"] for d in found.deals] == [{"investee": ["particle"]}]


def test_review_shows_a_low_confidence_candidate_s_doubts():
    from kg.loaders.review import doubts

    record = {"kind": "investment", "parties": {"investor": ["microsoft"], "investee": ["openai"]},
              "candidate": {"quote": "Microsoft-backed OpenAI grew.", "confidence": "low",
                            "doubts": ["the sentence names the backing, not when it happened: the date is the article's"]}}
    assert doubts(kg.load(), "deals", record)[0].startswith("the sentence names the backing")


def test_investments_without_amount_stakes_and_backers(bundled):
    deals, _ = _deals(bundled, "Nvidia has invested in Mistral AI.")
    assert deals == [("investment", {"investor": ["nvidia"], "investee": ["mistral-ai"]}, None, "announced")]
    deals, _ = _deals(bundled, "Microsoft will acquire a 49% stake in OpenAI for $10 billion.")
    assert deals == [("investment", {"investor": ["microsoft"], "investee": ["openai"]}, 10 * B, "announced")]
    deals, _ = _deals(bundled, "Microsoft will acquire a controlling stake in Inflection AI.")
    assert deals[0][:2] == ("acquisition", {"acquirer": ["microsoft"], "acquiree": ["inflection-ai"]})
    deals, found = _deals(bundled, "The model comes from Mistral AI, which is backed by Nvidia and ASML.")
    assert {d[1]["investor"][0] for d in deals} == {"nvidia", "asml"}
    assert all(d["candidate"]["confidence"] == "low" for d in found.deals)


def test_partnerships_between_named_organizations(bundled):
    deals, _ = _deals(bundled, "Mistral AI and Nvidia announced a strategic partnership on Monday.")
    assert deals == [("partnership", {"partner": ["mistral-ai", "nvidia"]}, None, "announced")]
    deals, _ = _deals(bundled, "Anthropic partnered with Accenture to train staff.")
    assert deals == [("partnership", {"partner": ["anthropic", "accenture"]}, None, "announced")]


def test_a_weak_verb_raises_only_with_funding_words(bundled):
    deals, _ = _deals(bundled, "SoftBank may receive up to $5 billion in cash if Arm hits its targets.")
    assert not any(d[0] == "funding-round" for d in deals)
    deals, _ = _deals(bundled, "Wayve received $1.05 billion in Series C funding.")
    assert deals == [("funding-round", {"investee": ["wayve"]}, 1_050_000_000, "completed")]
    deals, _ = _deals(bundled, "Rebellions received a $15 million investment from Aramco in July.")
    assert deals[0][:3] == ("investment", {"investor": ["aramco"], "investee": ["rebellions"]}, 15_000_000)


def test_a_cloud_provider_chosen_a_round_in_a_company_and_the_company_after_a_phrase(bundled):
    deals, _ = _deals(bundled, "Anthropic agreed to make Google its preferred cloud provider.")
    assert deals == [("compute-commitment", {"customer": ["anthropic"], "provider": ["google"]}, None, "announced")]
    deals, _ = _deals(bundled, "His latest move: leading a €600 million funding round in Helsing.")
    assert deals == [("funding-round", {"investee": ["helsing"]}, 600_000_000, "completed")]
    found = extract(bundled, "Helsing builds drones. Last year, the company raised €450 million in a Series C round.", DAY)
    assert [d["parties"] for d in found.deals] == [{"investee": ["helsing"]}]


def test_review_of_a_candidate_naming_a_new_organization(bundled):
    from kg.loaders.review import consequences

    record = {"kind": "investment", "parties": {"investor": ["acme-new-fund"], "investee": ["anthropic"]},
              "amount": {"value": 5_000_000, "currency": "USD"}, "status": "announced"}
    assert consequences(bundled, "deals", record) == ["acme-new-fund \u2192 Anthropic committed: nothing recorded \u2192 $5.0M"]
    assert consequences(bundled, "valuations", {"entity": "acme-new-fund", "amount": {"value": 5e6}, "date": "2026-01"}) == [
        "acme-new-fund's latest valuation: none recorded \u2192 $5.0M (2026-01)"]


def test_a_subject_is_the_name_heading_its_phrase_and_an_opening_adverb_is_none(bundled):
    deals, _ = _deals(bundled, "Delivery platform Zomatic also made an undisclosed investment in Wayve last year.")
    assert deals == [("investment", {"investor": ["zomatic"], "investee": ["wayve"]}, None, "announced")]
    deals, _ = _deals(bundled, "Lumina, an AI-powered search app, raised $12 million.")
    assert deals == [("funding-round", {"investee": ["lumina"]}, 12_000_000, "completed")]
    deals, found = _deals(bundled, "Still, the investment in Mistral AI drew criticism.")
    assert (deals, found.entities) == ([], [])


def test_an_investor_joining_a_round(bundled):
    deals, found = _deals(bundled, "Accel joins $40 million Helsing round at a $2 billion valuation")
    assert deals == [("funding-round", {"investor": ["accel"], "investee": ["helsing"]}, 40_000_000, "completed")]
    assert [(v["entity"], v["amount"]["value"]) for v in found.valuations] == [("helsing", 2 * B)]


def test_a_range_is_one_amount_at_least_its_lower_end(bundled):
    for text in ("Amazon will invest between $1 billion and $2 billion in Anthropic.",
                 "Amazon will invest $1-2 billion in Anthropic."):
        deals, found = _deals(bundled, text)
        assert deals == [("investment", {"investor": ["amazon"], "investee": ["anthropic"]}, B, "announced")]  # not two
        assert found.deals[0]["amount"]["qualifier"] == "at-least"
        assert found.deals[0]["candidate"]["confidence"] == "low"


def test_a_rate_is_not_a_total(bundled):
    _, found = _deals(bundled, "Microsoft will pay CoreWeave $10 million per month for GPU capacity.")
    [deal] = found.deals
    assert deal["parties"] == {"customer": ["microsoft"], "provider": ["coreweave"]}
    assert "amount" not in deal and deal["notes"] == "$10 million per month, as the article says."
    assert deal["candidate"]["confidence"] == "low"


def test_supplying_and_renting(bundled):
    deals, found = _deals(bundled, "Nvidia will supply Humain with 18,000 GB300 chips.")
    assert deals == [("supply", {"customer": ["humain"], "provider": ["nvidia"]}, None, "announced")]
    assert found.deals[0]["chips"] == {"value": 18000, "qualifier": "exact"}
    deals, found = _deals(bundled, "OpenAI will rent GPUs from CoreWeave for $11.9 billion over five years.")
    assert deals == [("compute-commitment", {"customer": ["openai"], "provider": ["coreweave"]}, 11_900_000_000, "announced")]
    assert found.deals[0]["duration_years"] == 5


def test_a_week_of_news_in_one_candidate_file(tmp_path):
    from conftest import write_data

    data = write_data(tmp_path / "data")
    monday, tuesday = tmp_path / "monday.txt", tmp_path / "tuesday.txt"
    monday.write_text("Big Co invests in Small Lab\n\nNEW YORK, March 4, 2024 (Wire) - Big Co will invest $3 million "
                      "in Small Lab, the companies said.", encoding="utf-8")
    tuesday.write_text("Small Lab's backers\n\nLONDON, March 5, 2024 (Daily) - Big Co will invest $3 million in "
                       "Small Lab. Small Lab also raised $9 million led by Tiny Fund Capital.", encoding="utf-8")
    candidates = tmp_path / "week.yaml"
    result = CliRunner().invoke(main, ["ingest", str(monday), str(tuesday), "--data", str(data), "--out", str(candidates)])
    assert result.exit_code == 0, result.output
    assert "from 2 articles (1 stated by more than one)" in result.output
    document = yaml.safe_load(candidates.read_text(encoding="utf-8"))
    assert len(document["sources"]) == 2
    investments = [d for d in document["deals"] if d["kind"] == "investment"]
    assert len(investments) == 1 and len(investments[0]["sources"]) == 2  # one fact, two writers
    assert investments[0]["candidate"]["also"] == ["LONDON, March 5, 2024 (Daily) - Big Co will invest $3 million in Small Lab."]
    assert [d["kind"] for d in document["deals"]] == ["investment", "funding-round"]
    ids = [r["id"] for section in ("deals", "valuations", "entities", "sources") for r in document[section]]
    assert len(ids) == len(set(ids))
    result = CliRunner().invoke(main, ["ingest", str(monday), str(tuesday), "--source-url", "https://example.org/a"])
    assert result.exit_code == 2 and "--source-url and --title describe one article" in result.output
