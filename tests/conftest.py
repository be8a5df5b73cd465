"""Shared fixtures: the bundled graph, and small data folders written for a test."""

from __future__ import annotations

import os
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

import kg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the browser the scripts drive too)

# Tests keep the loader's cache out of the user's home.
os.environ["AIKG_CACHE_DIR"] = tempfile.mkdtemp(prefix="aikg-test-cache-")

MINIMAL = {
    "sources.yaml": """
        - id: example-2024-01-02
          publisher: Example News
          title: Big Co invests in Small Lab
          published_on: 2024-01-02
          url: https://example.org/news/big-co-small-lab
        """,
    "entities.yaml": """
        - id: big-co
          name: Big Co
          kinds: [company, investor]
          aliases: [BigCo]
        - id: big-cloud
          name: Big Cloud
          kinds: [cloud-provider]
          parent: big-co
          sources: [example-2024-01-02]
        - id: small-lab
          name: Small Lab
          kinds: [ai-lab]
        """,
    "products.yaml": """
        - id: small-model
          name: Small Model
          kinds: [ai-model]
          maker: small-lab
          sources: [example-2024-01-02]
        """,
    "deals.yaml": """
        - id: big-co-small-lab-2024
          kind: investment
          title: Big Co invests in Small Lab
          parties: {investor: [big-co], investee: [small-lab]}
          announced_on: 2024-01-02
          status: completed
          amount: {value: 1000000, currency: USD}
          sources: [example-2024-01-02]
        """,
    "valuations.yaml": """
        - id: small-lab-2024-01
          entity: small-lab
          amount: {value: 10000000, currency: USD}
          basis: post-money
          date: 2024-01
          status: reported
          sources: [example-2024-01-02]
        """,
}


def deal_yaml(identifier: str, kind: str, parties: str, date: str, status: str = "completed",
              amount: str | None = None, extra: str = "", sources: str = "[s]") -> str:
    """One deal record in YAML, indented to sit in a list of others (``write_data`` dedents the file).

    ``amount`` and ``extra`` are YAML text: ``"{value: 10}"``, ``"part_of: umbrella"``.
    """
    text = f"""
    - id: {identifier}
      kind: {kind}
      title: {identifier}
      parties: {parties}
      announced_on: {date}
      status: {status}
      sources: {sources}"""
    if amount:
        text += f"\n      amount: {amount}"
    return text + ("\n      " + extra if extra else "") + "\n"


def write_data(folder: Path, **overrides: str) -> Path:
    """Write the minimal valid data set into ``folder``, with files replaced by ``overrides``.

    Keys are file names with the dot as an underscore (``deals_yaml``); values are YAML text.
    """
    folder.mkdir(parents=True, exist_ok=True)
    files = dict(MINIMAL)
    files.update({name.replace("_yaml", ".yaml"): text for name, text in overrides.items()})
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder




@pytest.fixture
def without_module(monkeypatch):
    """Call with a module's name to make importing it fail, as where the package is not installed."""
    import builtins

    real_import = builtins.__import__

    def hide(hidden: str) -> None:
        def fake_import(name, *args, **kwargs):
            if name == hidden:
                raise ImportError(f"No module named {hidden!r}")
            return real_import(name, *args, **kwargs)

        monkeypatch.setattr(builtins, "__import__", fake_import)

    return hide


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright; CI installs it, so there it never skips."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: CI must install Debian's chromium package")
        pytest.skip("browser tests need Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def bundled() -> kg.KnowledgeGraph:
    return kg.load()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return write_data(tmp_path / "data")
