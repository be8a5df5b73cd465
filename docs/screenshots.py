"""Take the README's screenshots of the view from the bundled data, in headless Chromium.

    python docs/screenshots.py          # writes docs/view*.png

The overview as the page opens, Amazon's family expanded, the best loop highlighted, and the view as
known at the end of 2023. Needs Debian's chromium and Playwright (both in the test setup).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import kg
from kg.exporters import write_exports

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent / "benchmarks"))
from chromium import CHROMIUM, CHROMIUM_ARGS, click_node, set_year  # noqa: E402


def overview(page) -> None:
    """The page as it opens."""


def family_expanded(page) -> None:
    click_node(page, "family:amazon")
    page.locator("#expand").click()


def loop_highlighted(page) -> None:
    page.locator("#loops").check()
    page.locator("#loop-list li").first.click()


def in_2023(page) -> None:
    set_year(page, 2023)
    click_node(page, "family:anthropic")


SHOTS = {"view.png": overview, "view-expanded.png": family_expanded, "view-loop.png": loop_highlighted,
         "view-2023.png": in_2023}


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        write_exports(kg.load(), Path(folder), formats=("html",), companions=False)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, act in SHOTS.items():
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto((Path(folder) / "aikg.html").as_uri())
            page.wait_for_selector("body[data-settled='true']", state="attached", timeout=60_000)
            act(page)
            page.mouse.move(1, 1)  # no tooltip over the picture
            page.wait_for_timeout(500)
            page.screenshot(path=str(DOCS / name))
            page.close()
            print(f"wrote docs/{name}")
        browser.close()


if __name__ == "__main__":
    main()
