"""The HTML view in a real browser: Debian's headless Chromium, driven by Playwright."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import kg
from kg.exporters import write_exports

from conftest import MINIMAL, write_data

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
HOSTILE = '<img src=x onerror=alert(1)></script><script>alert("x")</script>'


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: CI must install Debian's chromium package")
        pytest.skip("browser tests need Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


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


@pytest.fixture(scope="module")
def bundled_page(browser, bundled, tmp_path_factory):
    out = tmp_path_factory.mktemp("view")
    write_exports(bundled, out, formats=("html",), companions=False)
    visit = Visit(browser, out / "aikg.html")
    yield visit
    visit.page.close()


def test_loads_offline_with_no_error_and_no_request_leaving_the_file(bundled_page):
    assert bundled_page.errors == []
    assert all(url.startswith("file://") for url in bundled_page.requests), bundled_page.requests


def test_draws_every_entity_and_deal(bundled_page, bundled):
    drawn = bundled_page.page.evaluate("window.aikgNetwork.body.data.nodes.getIds()")
    assert set(drawn) == {e.id for e in bundled.entities()} | {d.id for d in bundled.deals()}
    physics = bundled_page.page.evaluate("window.aikgNetwork.physics.options.enabled")
    assert physics is False


def test_clicking_an_entity_opens_its_profile(bundled_page, bundled):
    bundled_page.click_node("anthropic")
    profile = bundled_page.page.locator("#profile")
    assert profile.locator("h1").inner_text() == "Anthropic"
    deals = profile.locator("h2:text('Deals') + ul li").all_inner_texts()
    assert len(deals) == len(bundled.deals(party="anthropic"))
    assert any("up to $20.0B" in line and "contingent" in line for line in deals)
    link = profile.locator("a[href^='https://www.anthropic.com/news/anthropic-amazon-compute']").first
    assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")


def test_clicking_a_deal_shows_the_deal(bundled_page):
    bundled_page.click_node("anthropic-aws-2026-04-compute")
    profile = bundled_page.page.locator("#profile")
    assert "more than $100" in profile.locator("h1").inner_text()
    assert "up to 5 GW" in profile.locator("p").first.inner_text()


def test_legend_is_on_the_page(bundled_page):
    legend = bundled_page.page.locator("#legend li").all_inner_texts()
    assert "ai-lab" in legend and "investment deal" in legend


def test_hostile_strings_stay_text(browser, tmp_path):
    quoted = json.dumps(HOSTILE)
    entities = MINIMAL["entities.yaml"].replace("name: Small Lab", f"name: {quoted}")
    sources = MINIMAL["sources.yaml"].replace("title: Big Co invests in Small Lab", f"title: {quoted}")
    g = kg.load(write_data(tmp_path / "data", entities_yaml=entities, sources_yaml=sources))
    write_exports(g, tmp_path, formats=("html",), companions=False)
    visit = Visit(browser, tmp_path / "aikg.html")
    visit.click_node("small-lab")
    visit.page.wait_for_timeout(300)
    visit.click_node("big-co-small-lab-2024")
    visit.page.wait_for_timeout(300)
    assert visit.dialogs == []
    assert visit.page.evaluate("document.querySelectorAll('img').length") == 0
    assert visit.page.locator("#profile").inner_text().count(HOSTILE) >= 1
    assert visit.errors == []
    visit.page.close()
