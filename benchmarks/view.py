"""How long the HTML view takes to open in headless Chromium: the bundled data and large synthetic
graphs. Open means drawn and fitted: the layout is computed in Python and stored in the page, so no
physics runs first. With ``--busy``, every core is kept busy by other processes meanwhile, as on a
loaded laptop.

    python benchmarks/view.py [--nodes 5000 20000] [--busy]

Needs Debian's chromium and Playwright (both in the test setup).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import kg  # noqa: E402
from kg.exporters.html import generate_html  # noqa: E402
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from synthetic import synthetic_graph  # noqa: E402


def settle_seconds(browser, path: Path) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    started = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-settled='true']", state="attached", timeout=120_000)
    elapsed = time.perf_counter() - started
    page.close()
    return elapsed


def _spin() -> None:
    while True:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[5000, 20000],
                        help="nodes of each synthetic graph (organizations + deals)")
    parser.add_argument("--busy", action="store_true", help="keep every core busy with other work meanwhile")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(os.cpu_count() or 1)] if args.busy else []

    cases = {"bundled data": kg.load()}
    for size in args.nodes:
        organizations = size * 2 // 5
        cases[f"synthetic, {size} nodes"] = synthetic_graph(organizations, size - organizations)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print(f"{'graph':28} {'nodes':>6} {'generate s':>10} {'MB':>6} {'open s':>9}"
              + ("  (every core busy)" if args.busy else ""))
        for name, graph in cases.items():
            started = time.perf_counter()
            page = generate_html(graph)
            generated = time.perf_counter() - started
            for spinner in spinners:
                if not spinner.is_alive():
                    spinner.start()
            path = Path(folder) / "view.html"
            path.write_text(page, encoding="utf-8")
            nodes = len(graph.entities()) + len(graph.deals())
            print(f"{name:28} {nodes:6} {generated:10.2f} {len(page.encode()) / 1e6:6.1f} "
                  f"{settle_seconds(browser, path):9.2f}")
        for spinner in spinners:  # before Playwright shuts down, which waits on child processes
            spinner.terminate()
            spinner.join()
        browser.close()


if __name__ == "__main__":
    main()
