"""The HTML view in a real browser: Debian's headless Chromium, driven by Playwright."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kg
from kg.exporters import write_exports

from conftest import MINIMAL, write_data

HOSTILE = '<img src=x onerror=alert(1)></script><script>alert("x")</script>'


class Visit:
    """A page opened from disk, recording console errors, dialogs and every request it makes."""

    def __init__(self, browser, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-settled='true']", state="attached", timeout=20_000)

    def click_node(self, node_id: str) -> None:
        x, y = self.page.evaluate(
            """(id) => { const n = window.aikgNetwork; const p = n.canvasToDOM(n.getPosition(id));
                         const box = document.getElementById('network').getBoundingClientRect();
                         return [p.x + box.left, p.y + box.top]; }""", node_id)
        self.page.mouse.move(x, y)
        self.page.mouse.click(x, y)

    def drawn(self) -> set[str]:
        """The ids of the nodes the network draws now."""
        return set(self.page.evaluate("Object.values(window.aikgNetwork.body.nodes)"
                                      ".filter(node => !node.options.hidden).map(node => node.id)"))

    def drawn_edges(self) -> set[str]:
        """The ids of the edges the network draws now."""
        return set(self.page.evaluate("Object.values(window.aikgNetwork.body.edges)"
                                      ".filter(edge => !edge.options.hidden).map(edge => edge.id)"))


@pytest.fixture
def bundled_page(browser, bundled, tmp_path):
    write_exports(bundled, tmp_path, formats=("html",), companions=False)
    visit = Visit(browser, tmp_path / "aikg.html")
    yield visit
    visit.page.close()


def test_loads_offline_with_no_error_and_no_request_leaving_the_file(bundled_page):
    assert bundled_page.errors == []
    assert all(url.startswith("file://") for url in bundled_page.requests), bundled_page.requests


def test_draws_every_entity_with_a_deal_and_every_deal(bundled_page, bundled):
    linked = {p for d in bundled.deals() for p in (*d.party_ids, *d.products)}
    linked |= {e.id for e in bundled.entities() if e.parent or e.maker} | {e.parent for e in bundled.entities() if e.parent}
    expected = linked | {d.id for d in bundled.deals()}
    assert bundled_page.drawn() == expected
    assert bundled_page.page.evaluate("window.aikgNetwork.physics.options.enabled") is False


def test_clicking_an_entity_opens_its_profile_with_its_deals(bundled_page, bundled):
    bundled_page.click_node("anthropic")
    profile = bundled_page.page.locator("#profile")
    assert profile.locator("h1").inner_text() == "Anthropic"
    deals = profile.locator("h2:has-text('Deals') + ul li").all_inner_texts()
    assert len(deals) == len(bundled.deals(party="anthropic"))
    assert any("up to $20.0B" in line and "contingent" in line for line in deals)
    link = profile.locator("a[href^='https://www.anthropic.com/news/anthropic-amazon-compute']").first
    assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
    # a lab's profile charts its valuations and funding
    assert profile.locator("svg circle").count() == len([v for v in bundled.valuations("anthropic") if v.amount_usd])
    assert profile.locator("svg path").count() == 1


def test_clicking_a_deal_shows_the_deal(bundled_page):
    bundled_page.click_node("anthropic-aws-2026-04-compute")
    profile = bundled_page.page.locator("#profile")
    assert "more than $100" in profile.locator("h1").inner_text()
    assert "up to 5 GW" in profile.locator("p").first.inner_text()


def test_the_legend_is_the_filters(bundled_page):
    from kg.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    labels = bundled_page.page.locator("#entity-kinds label").all_inner_texts()
    assert sorted(label[1:] for label in labels) == sorted(vocabulary.entity_kinds)
    labels = bundled_page.page.locator("#deal-kinds label").all_inner_texts()
    assert sorted(label[1:] for label in labels) == sorted(vocabulary.deal_kinds)


def test_the_deal_kind_filter_hides_those_deals(bundled_page, bundled):
    before = bundled_page.drawn()
    bundled_page.page.locator("#deal-kinds input[value='investment']").uncheck()
    after = bundled_page.drawn()
    investments = {d.id for d in bundled.deals(kind="investment")}
    assert investments <= before and not investments & after
    assert {d.id for d in bundled.deals(kind="supply")} <= after


def test_the_entity_kind_filter_hides_those_entities(bundled_page, bundled):
    bundled_page.page.locator("#entity-kinds input[value='chip']").uncheck()
    drawn = bundled_page.drawn()
    only_chips = {e.id for e in bundled.entities("chip") if e.kinds == ("chip",)}
    assert only_chips and not only_chips & drawn
    assert "anthropic" in drawn


def test_the_year_slider_shows_the_graph_as_known_then(bundled_page, bundled):
    slider = bundled_page.page.locator("#year")
    slider.evaluate("(input, year) => { input.value = year; input.dispatchEvent(new Event('input')); }", 2023)
    drawn = bundled_page.drawn()
    later = {d.id for d in bundled.deals(since="2024")}
    assert later and not later & drawn
    assert {d.id for d in bundled.deals(until="2023")} <= drawn
    assert bundled_page.page.locator("#year-output").inner_text() == "2023"


def test_the_toggle_collapses_deals_into_direct_edges(bundled_page, bundled):
    bundled_page.page.locator("#deal-nodes").uncheck()
    drawn = bundled_page.drawn()
    assert not {d.id for d in bundled.deals()} & drawn and "anthropic" in drawn
    edges = bundled_page.drawn_edges()
    assert "anthropic-aws-2026-04-compute|anthropic|amazon-web-services" in edges
    assert not any("|customer|" in edge or "|investor|" in edge for edge in edges)


def test_search_by_alias_focuses_the_entity(bundled_page):
    bundled_page.page.fill("#search", "aws")
    bundled_page.page.press("#search", "Enter")
    assert bundled_page.page.evaluate("document.body.dataset.focused") == "amazon-web-services"
    assert bundled_page.page.evaluate("window.aikgNetwork.getSelectedNodes()") == ["amazon-web-services"]
    assert bundled_page.page.locator("#profile h1").inner_text() == "Amazon Web Services"
    bundled_page.page.fill("#search", "Nobody Inc")
    bundled_page.page.press("#search", "Enter")
    assert "Nothing is called" in bundled_page.page.locator("#message").inner_text()


def test_hostile_strings_stay_text(browser, tmp_path):
    quoted = json.dumps(HOSTILE)
    entities = MINIMAL["entities.yaml"].replace("name: Small Lab", f"name: {quoted}")
    sources = MINIMAL["sources.yaml"].replace("title: Big Co invests in Small Lab", f"title: {quoted}")
    deals = MINIMAL["deals.yaml"].replace("title: Big Co invests in Small Lab", f"title: {quoted}")
    g = kg.load(write_data(tmp_path / "data", entities_yaml=entities, sources_yaml=sources, deals_yaml=deals))
    write_exports(g, tmp_path, formats=("html",), companions=False)
    visit = Visit(browser, tmp_path / "aikg.html")
    for node in ("small-lab", "big-co-small-lab-2024"):
        visit.click_node(node)
        visit.page.wait_for_timeout(300)  # let the tooltip open on hover
        assert visit.page.locator("#profile").inner_text().count(HOSTILE) >= 1
    visit.page.fill("#search", HOSTILE)
    visit.page.press("#search", "Enter")
    assert visit.dialogs == []
    assert visit.page.evaluate("document.querySelectorAll('img, script:not([id]):not([type])').length") <= 2
    assert visit.page.evaluate("document.querySelectorAll('img').length") == 0
    assert visit.errors == []
    visit.page.close()


def test_a_focused_view_draws_the_neighbourhood(browser, bundled, tmp_path):
    page = bundled.view("Anthropic", depth=1)
    visit = Visit(browser, page.save(tmp_path / "anthropic.html"))
    assert visit.drawn() >= {"anthropic", "amazon", "amazon-web-services", "google", "broadcom"}
    assert "openai-microsoft-2025-10-azure" not in visit.drawn()
    visit.page.close()
