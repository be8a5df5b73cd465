"""The HTML view in a real browser: Debian's headless Chromium, driven by Playwright."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kg
from kg.exporters import write_exports

from chromium import click_node, node_point, set_year
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
        click_node(self.page, node_id)

    def show(self, mode: str) -> None:
        """Draw the families (the overview), every organization, or every organization and deal."""
        self.page.select_option("#mode", mode)

    def set_year(self, year: int) -> None:
        set_year(self.page, year)

    def label_overlaps(self) -> tuple[int, list, float]:
        """The labels drawn, the pairs of them that overlap on screen, and the smallest one's height."""
        return self.page.evaluate("""() => {
          const n = window.aikgNetwork;
          const boxes = Object.values(n.body.nodes).filter(node => !node.options.hidden && node.labelModule.size.width)
            .map(node => { const s = node.labelModule.size; const a = n.canvasToDOM({x: s.left, y: s.top});
                           const b = n.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
                           return [node.id, a.x, a.y, b.x, b.y]; });
          const overlapping = [];
          for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const p = boxes[i], q = boxes[j];
            if (p[1] < q[3] && q[1] < p[3] && p[2] < q[4] && q[2] < p[4]) overlapping.push([p[0], q[0]]);
          }
          return [boxes.length, overlapping, Math.min(...boxes.map(b => b[4] - b[2]))];
        }""")

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


def test_opens_on_a_readable_overview_of_the_families(bundled_page, bundled):
    drawn = bundled_page.drawn()
    assert drawn and all(node.startswith("family:") for node in drawn)
    assert 20 <= len(drawn) <= 60
    labels, overlapping, smallest = bundled_page.label_overlaps()
    assert labels == len(drawn) and overlapping == [] and smallest >= 10
    assert bundled_page.page.evaluate("window.aikgNetwork.physics.options.enabled") is False
    edges = bundled_page.drawn_edges()
    assert "flow:microsoft>openai" in edges and all(edge.startswith("flow:") for edge in edges)


def test_physics_is_there_on_request(bundled_page):
    bundled_page.page.locator("#physics").check()
    assert bundled_page.page.evaluate("window.aikgNetwork.physics.options.enabled") is True


def test_a_family_expands_into_its_subsidiaries_and_products(bundled_page):
    bundled_page.click_node("family:amazon")
    bundled_page.page.locator("#expand").click()
    drawn = bundled_page.drawn()
    assert {"amazon-web-services", "annapurna-labs", "trainium"} <= drawn
    assert "member:amazon>amazon-web-services" in bundled_page.drawn_edges()
    bundled_page.page.locator("#expand").click()
    assert "amazon-web-services" not in bundled_page.drawn()


def test_an_expanded_family_covers_no_other_label(bundled_page):
    for family in ("amazon", "microsoft"):
        bundled_page.click_node(f"family:{family}")
        bundled_page.page.locator("#expand").click()
    members = bundled_page.drawn() - {node for node in bundled_page.drawn() if node.startswith("family:")}
    assert len(members) > 10
    _, overlapping, _ = bundled_page.label_overlaps()
    assert [pair for pair in overlapping if set(pair) & members] == []


def test_draws_every_entity_with_a_deal_and_every_deal(bundled_page, bundled):
    bundled_page.show("deals")
    linked = {p for d in bundled.deals() for p in (*d.party_ids, *d.products)}
    linked |= {e.id for e in bundled.entities() if e.parent or e.maker} | {e.parent for e in bundled.entities() if e.parent}
    linked |= {e.maker for e in bundled.entities() if e.maker}
    expected = linked | {d.id for d in bundled.deals()}
    assert bundled_page.drawn() == expected


def test_clicking_an_entity_opens_its_profile_with_its_deals(bundled_page, bundled):
    bundled_page.show("deals")
    bundled_page.click_node("anthropic")
    profile = bundled_page.page.locator("#profile")
    assert profile.locator("h1").inner_text() == "Anthropic"
    heading = profile.locator("h2:has-text('Deals')")
    assert heading.inner_text() == f"Deals ({len(bundled.deals(party='anthropic'))})"
    deals = profile.locator("h2:has-text('Deals') + ul li").all_inner_texts()
    assert len(deals) == len(bundled.deals(party="anthropic"))
    assert any("up to $20.0B" in line and "contingent" in line for line in deals)
    link = profile.locator("a[href^='https://www.anthropic.com/news/anthropic-amazon-compute']").first
    assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
    assert link.inner_text() == "[Anthropic, 2026-04-20]"  # who and when, not [1]
    # a lab's profile charts its valuations and funding, on a log axis
    assert profile.locator("svg rect.valuation").count() == len([v for v in bundled.valuations("anthropic") if v.amount_usd])
    assert profile.locator("svg path").count() == 1
    ticks = profile.locator("svg text.tick").all_text_contents()
    assert len(ticks) >= 3 and all(tick.startswith("$1") for tick in ticks)  # powers of ten


def test_clicking_a_deal_shows_the_deal(bundled_page):
    bundled_page.show("deals")
    bundled_page.click_node("anthropic-aws-2026-04-compute")
    profile = bundled_page.page.locator("#profile")
    assert "more than $100" in profile.locator("h1").inner_text()
    assert "up to 5 GW" in profile.locator("p").first.inner_text()


def _rgb(hex_colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)))


def test_the_legend_is_the_filters_and_matches_the_drawing(bundled_page):
    from kg.exporters.html import DEAL_STYLES, ENTITY_STYLES
    from kg.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    labels = bundled_page.page.locator("#entity-kinds label").all_inner_texts()
    assert sorted(label[1:] for label in labels) == sorted(vocabulary.entity_kinds)
    labels = bundled_page.page.locator("#deal-kinds label").all_inner_texts()
    assert sorted(label[2:] for label in labels) == sorted(vocabulary.deal_kinds)
    colours = bundled_page.page.evaluate(
        "Array.from(document.querySelectorAll('#entity-kinds label'))"
        ".map(l => [l.textContent.slice(1), l.querySelector('.symbol').style.color])")
    assert all(colour == _rgb(ENTITY_STYLES[kind][0]) for kind, colour in colours)
    investment = bundled_page.page.evaluate(
        "document.querySelector('#deal-kinds input[value=investment]').parentElement.querySelector('.symbol').style.color")
    assert investment == _rgb(DEAL_STYLES["investment"][0])
    drawn = bundled_page.page.evaluate("window.aikgNetwork.body.data.nodes.get('family:anthropic').color")
    assert drawn == ENTITY_STYLES["ai-lab"][0]


def test_the_deal_kind_filter_hides_those_deals(bundled_page, bundled):
    bundled_page.show("deals")
    before = bundled_page.drawn()
    bundled_page.page.locator("#deal-kinds input[value='investment']").uncheck()
    after = bundled_page.drawn()
    investments = {d.id for d in bundled.deals(kind="investment")}
    assert investments <= before and not investments & after
    assert {d.id for d in bundled.deals(kind="supply")} <= after


def test_the_entity_kind_filter_hides_those_entities(bundled_page, bundled):
    bundled_page.show("deals")
    bundled_page.page.locator("#entity-kinds input[value='chip']").uncheck()
    drawn = bundled_page.drawn()
    only_chips = {e.id for e in bundled.entities("chip") if e.kinds == ("chip",)}
    assert only_chips and not only_chips & drawn
    assert "anthropic" in drawn


def test_the_year_slider_shows_the_graph_as_known_then(bundled_page, bundled):
    bundled_page.show("deals")
    bundled_page.set_year(2023)
    drawn = bundled_page.drawn()
    later = {d.id for d in bundled.deals(since="2024")}
    assert later and not later & drawn
    assert {d.id for d in bundled.deals(until="2023")} <= drawn
    assert bundled_page.page.locator("#year-output").inner_text() == "2023"
    first_named: dict[str, int] = {}  # products appear with the first deal that names them
    for deal in bundled.deals():
        for product in deal.products:
            first_named.setdefault(product, deal.announced_on.year)
    newer = {product for product, year in first_named.items() if year > 2023}
    assert "nvidia-gb300" in newer and not newer & drawn


def test_the_year_governs_profiles_counts_and_charts(bundled_page, bundled):
    bundled_page.show("deals")
    bundled_page.click_node("anthropic")
    bundled_page.set_year(2023)
    profile = bundled_page.page.locator("#profile")
    until = bundled.deals(party="anthropic", until="2023")
    assert profile.locator("h2:has-text('Deals')").inner_text() == f"Deals ({len(until)})"
    assert len(profile.locator("h2:has-text('Deals') + ul li").all_inner_texts()) == len(until)
    valuations = [v for v in bundled.valuations("anthropic") if v.amount_usd and v.date.year <= 2023]
    assert profile.locator("svg rect.valuation").count() == len(valuations)
    summary = bundled_page.page.locator("#summary").inner_text()
    dated = [s for s in bundled.sources.values() if s.published_on and s.published_on.year <= 2023]
    named = {product for deal in bundled.deals(until="2023") for product in deal.products}
    assert summary.endswith(f" {len(named)} products, {len(bundled.deals(until='2023'))} deals, "
                            f"{len(dated)} sources by the end of 2023.")
    bundled_page.set_year(2026)
    assert bundled_page.page.locator("#summary").inner_text().endswith(
        f"{len(bundled.deals())} deals, {len(bundled.sources)} sources.")


def test_no_tooltip_outlives_the_node_it_describes(bundled_page):
    bundled_page.show("deals")
    bundled_page.set_year(2026)
    x, y = node_point(bundled_page.page, "anthropic-aws-2026-04-compute")
    bundled_page.page.mouse.move(x, y)
    bundled_page.page.wait_for_timeout(500)
    tips = "Array.from(document.querySelectorAll('div.vis-tooltip')).filter(t => t.style.visibility === 'visible').length"
    assert bundled_page.page.evaluate(tips) == 1
    bundled_page.set_year(2023)
    assert bundled_page.page.evaluate(tips) == 0


def test_the_overview_follows_the_year_and_loops_light_up_when_they_close(bundled_page, bundled):
    bundled_page.page.locator("#loops").check()
    bundled_page.set_year(2022)
    closed = [loop.closed_on.year for loop in bundled.loops()]
    assert bundled_page.page.locator("#loop-list li").count() == sum(1 for year in closed if year <= 2022)
    bundled_page.set_year(2026)
    assert bundled_page.page.locator("#loop-list li").count() == len(closed)
    edge = "window.aikgNetwork.body.data.edges.get('flow:amazon>anthropic')"
    wide, black = bundled_page.page.evaluate(f"[{edge}.width, {edge}.color.color]")
    assert black == "#000000"  # on a loop closed by then
    bundled_page.set_year(2023)
    assert bundled_page.page.evaluate(f"{edge}.width") < wide  # less money known by then


def test_play_runs_the_years(bundled_page, bundled):
    first = min(d.announced_on.year for d in bundled.deals())
    bundled_page.page.locator("#play").click()
    assert int(bundled_page.page.evaluate("document.body.dataset.year")) <= first + 1
    for _ in range(40):  # the page's policy allows no eval, so poll from here
        if int(bundled_page.page.evaluate("document.body.dataset.year")) >= first + 2:
            break
        bundled_page.page.wait_for_timeout(250)
    assert int(bundled_page.page.evaluate("document.body.dataset.year")) >= first + 2
    bundled_page.page.locator("#play").click()  # stops
    stopped = bundled_page.page.evaluate("document.body.dataset.year")
    bundled_page.page.wait_for_timeout(1200)
    assert bundled_page.page.evaluate("document.body.dataset.year") == stopped


def test_clicking_a_loop_shows_its_edges_deals_and_sources(bundled_page, bundled):
    top = bundled.loops()[0]
    bundled_page.page.locator("#loops").check()
    bundled_page.page.locator("#loop-list li").first.click()
    steps = bundled_page.page.locator("#loop-steps > li")
    assert steps.count() == len(top.steps)
    for step, record in zip(steps.all(), top.steps):
        assert step.locator("li").count() == len(record.deals)
        assert step.locator("a.source").count() >= 1
    families = list(top.families)
    own = {f"flow:{a}>{b}" for a, b in zip(families, families[1:] + families[:1])}
    assert set(bundled_page.page.evaluate("window.aikgNetwork.getSelectedEdges()")) == own
    colours = bundled_page.page.evaluate(
        "Object.fromEntries(window.aikgNetwork.body.data.edges.get({filter: e => !!e.flows && !e.hidden})"
        ".map(e => [e.id, e.color.color]))")
    assert {edge for edge, colour in colours.items() if colour == "#000000"} == own
    other_loops = {f"flow:{a}>{b}" for loop in bundled.loops()[1:]
                   for a, b in zip(loop.families, loop.families[1:] + loop.families[:1])} - own
    assert other_loops and {colours[edge] for edge in other_loops if edge in colours} == {"#999999"}


def test_colour_by_bloc(bundled_page, bundled):
    bundled_page.page.select_option("#colour-by", "bloc")
    colours = bundled_page.page.evaluate(
        "['family:amazon', 'family:anthropic', 'family:microsoft', 'family:openai']"
        ".map(id => window.aikgNetwork.body.data.nodes.get(id).color)")
    blocs = {member: i for i, bloc in enumerate(bundled.alliances()) for member in bloc.members}
    assert (colours[0] == colours[1]) == (blocs["amazon"] == blocs["anthropic"])
    assert (colours[2] == colours[3]) == (blocs["microsoft"] == blocs["openai"])


def test_organizations_mode_collapses_deals_into_direct_edges(bundled_page, bundled):
    bundled_page.show("organizations")
    drawn = bundled_page.drawn()
    assert not {d.id for d in bundled.deals()} & drawn and "anthropic" in drawn
    edges = bundled_page.drawn_edges()
    assert "anthropic-aws-2026-04-compute|anthropic|amazon-web-services" in edges
    assert not any("|customer|" in edge or "|investor|" in edge for edge in edges)


def test_search_by_alias_focuses_the_entity(bundled_page):
    bundled_page.show("deals")
    bundled_page.page.fill("#search", "aws")
    bundled_page.page.press("#search", "Enter")
    assert bundled_page.page.evaluate("document.body.dataset.focused") == "amazon-web-services"
    assert bundled_page.page.evaluate("window.aikgNetwork.getSelectedNodes()") == ["amazon-web-services"]
    assert bundled_page.page.locator("#profile h1").inner_text() == "Amazon Web Services"
    bundled_page.page.fill("#search", "Nobody Inc")
    bundled_page.page.press("#search", "Enter")
    assert "Nothing is called" in bundled_page.page.locator("#message").inner_text()


def test_search_suggests_like_the_command_line(bundled_page):
    bundled_page.page.fill("#search", "Antropic")
    bundled_page.page.press("#search", "Enter")
    assert "did you mean" in bundled_page.page.locator("#message").inner_text()
    bundled_page.page.locator("#suggestions button", has_text="Anthropic").click()
    assert bundled_page.page.evaluate("document.body.dataset.focused") == "family:anthropic"
    bundled_page.page.fill("#search", "AWS")  # a subsidiary's alias: its family opens around it
    bundled_page.page.press("#search", "Enter")
    assert bundled_page.page.evaluate("document.body.dataset.focused") == "amazon-web-services"
    assert "amazon-web-services" in bundled_page.drawn()
    bundled_page.page.fill("#search", "Nobody Inc")
    bundled_page.page.press("#search", "Enter")
    assert bundled_page.page.locator("#message").inner_text() != ""
    bundled_page.page.locator("#deal-kinds input[value='investment']").uncheck()
    assert bundled_page.page.locator("#message").inner_text() == ""  # a changed filter clears it
    assert bundled_page.page.locator("datalist#names option[value='AWS']").count() == 1


def test_hostile_strings_stay_text(browser, tmp_path):
    quoted = json.dumps(HOSTILE)
    entities = MINIMAL["entities.yaml"].replace("name: Small Lab", f"name: {quoted}")
    sources = MINIMAL["sources.yaml"].replace("title: Big Co invests in Small Lab", f"title: {quoted}")
    deals = MINIMAL["deals.yaml"].replace("title: Big Co invests in Small Lab", f"title: {quoted}")
    g = kg.load(write_data(tmp_path / "data", entities_yaml=entities, sources_yaml=sources, deals_yaml=deals))
    write_exports(g, tmp_path, formats=("html",), companions=False)
    visit = Visit(browser, tmp_path / "aikg.html")
    visit.show("deals")
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
