"""The circularity report: built from the graph, written all or nothing, offline in a real browser."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.report import build_report, render_html, render_markdown, write_report

from conftest import deal_yaml as deal
from conftest import write_data

HOSTILE = '<img src=x onerror=alert(1)>|*_[x](javascript:alert(1))'


@pytest.fixture(scope="module")
def report(bundled):
    return build_report(bundled, runs=100)


def test_the_report_holds_the_measures_of_the_api(bundled, report):
    assert report.index == bundled.circularity_index()
    assert [year.year for year in report.years] == list(range(2019, report.as_of.year + 1))
    assert report.loops == tuple(bundled.loops()[:10]) and report.loop_count == len(bundled.loops())
    assert report.labs[:2] == ("anthropic", "openai") and len(report.labs) == 5
    # every deal named has its sources listed, each once
    cited = {source.id for source in report.sources}
    assert all(set(sources) <= cited for sources in report.deal_sources.values())
    assert len(cited) == len(report.sources)


def test_markdown_has_the_same_tables(report):
    text = render_markdown(report)
    for heading in ("## Circularity over time", "## Top loops", "## Hubs", "## Who is exposed", "## Sources"):
        assert heading in text
    assert text.count("\n| 1 | ") == 1  # the best loop, ranked first
    assert f"{len(report.sources)}. " in text and "https://" in text


def test_hostile_names_are_escaped_in_both_forms(tmp_path):
    entities = f"""
    - id: a
      name: "{HOSTILE.replace('"', '')}"
      kinds: [company]
    - id: b
      name: B
      kinds: [ai-lab]
    """
    deals = "".join([
        deal("a-b", "investment", "{investor: [a], investee: [b]}", "2021-03-01", amount="{value: 10}"),
        deal("b-a", "compute-commitment", "{customer: [b], provider: [a]}", "2022-06-01", amount="{value: 30}"),
    ])
    valuations = """
    - id: b-worth
      entity: b
      amount: {value: 100}
      date: 2022-06-01
      status: reported
      sources: [s]
    """
    sources = """
    - id: s
      publisher: "<script>alert(2)</script>"
      title: Facts
      published_on: 2021-01-01
      url: "https://example.org/a?b=1&c='2'"
    """
    g = kg.load(write_data(tmp_path / "data", sources_yaml=sources, entities_yaml=entities, deals_yaml=deals,
                           valuations_yaml=valuations, products_yaml=""))
    built = build_report(g, runs=10)
    page = render_html(built)
    assert "<img src=x" not in page and "<script>alert" not in page and "&lt;img src=x" in page
    assert 'href="https://example.org/a?b=1&amp;c=&#x27;2&#x27;"' in page
    text = render_markdown(built)
    assert "\\<img src=x onerror=alert(1)\\>\\|\\*\\_\\[x\\](javascript:alert(1))" in text
    assert "<https://example.org/a?b=1&c='2'>" in text


def test_the_command_writes_html_or_markdown_atomically(tmp_path):
    data = write_data(tmp_path / "data")
    out = tmp_path / "out" / "report.md"
    result = CliRunner().invoke(main, ["report", "--data", str(data), "--runs", "5", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# How circular is the AI money web?")
    page = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", "--data", str(data), "--runs", "5", "--out", str(page),
                                       "--as-of", "2024"])
    assert result.exit_code == 0 and "As of 2024-12-31" in page.read_text(encoding="utf-8")
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    result = CliRunner().invoke(main, ["report", "--data", str(data), "--runs", "5", "--out", str(blocked)])
    assert result.exit_code == 2 and "is a directory" in result.output
    assert list(blocked.iterdir()) == []


def test_the_same_data_gives_the_same_report(bundled, tmp_path):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    write_report(bundled, first, runs=20)
    write_report(bundled, second, runs=20)
    assert first.read_bytes() == second.read_bytes()


def test_the_report_opens_offline_with_charts_that_have_data(browser, report, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    errors, requests = [], []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    assert errors == [] and requests == [path.as_uri()]
    # The index chart draws one point per year for each line, and one bar per year for the loops.
    years = len(report.years)
    for series in ("series-index", "series-on-loops"):
        d = page.get_attribute(f"#chart-index #{series} path", "d")
        assert len(re.findall(r"[ML]", d)) == years, series
    bars = page.eval_on_selector_all("#chart-index [id^='series-loops-'] path", "nodes => nodes.length")
    assert bars == years
    heights = page.eval_on_selector_all("#chart-index [id^='series-loops-']",
                                        "nodes => nodes.map(n => n.getBBox().height)")
    assert sum(1 for h in heights if h > 0) == sum(1 for y in report.years if y.loops)
    hub_bars = page.eval_on_selector_all("#chart-hubs [id^='series-hub-observed-']", "nodes => nodes.length")
    assert hub_bars == len(report.hubs) > 0
    # The tables are there, with a source link on every step of the top loop, and the links resolve.
    assert page.locator("#top-loops tbody tr").count() == len(report.loops)
    first_loop = page.locator("#top-loops tbody tr").first
    steps = first_loop.locator(".step")
    assert steps.count() == len(report.loops[0].families)
    for i in range(steps.count()):
        assert steps.nth(i).locator("a[href^='#source-']").count() >= 1
    target = first_loop.locator("a[href^='#source-']").first.get_attribute("href")
    assert page.locator(target).count() == 1
    assert page.locator("#exposure table").count() == len(report.labs)
    page.close()
