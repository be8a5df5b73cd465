"""Driving the HTML view in Debian's headless Chromium with Playwright: the one place the browser tests,
``benchmarks/view.py`` and ``docs/screenshots.py`` take the browser and their page gestures from."""

from __future__ import annotations

import shutil

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def node_point(page, node_id: str) -> tuple[float, float]:
    """Where on the page the view draws a node, in page coordinates."""
    return page.evaluate(
        """(id) => { const n = window.aikgNetwork; const p = n.canvasToDOM(n.getPosition(id));
                     const box = document.getElementById('network').getBoundingClientRect();
                     return [p.x + box.left, p.y + box.top]; }""", node_id)


def click_node(page, node_id: str) -> None:
    """Point at a node and click it, as a reader would."""
    x, y = node_point(page, node_id)
    page.mouse.move(x, y)
    page.mouse.click(x, y)


def set_year(page, year: int) -> None:
    """Move the year slider to ``year``."""
    page.locator("#year").evaluate(
        "(input, year) => { input.value = year; input.dispatchEvent(new Event('input')); }", year)
