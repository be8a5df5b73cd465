"""The README's numbers and command examples are those the bundled data gives: regenerating them changes
nothing (run `python docs/regenerate.py` after changing the data). Its Python examples are doctests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _regenerate_module():
    spec = importlib.util.spec_from_file_location("regenerate", ROOT / "docs" / "regenerate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_examples_are_regenerated_from_the_data():
    regenerate = _regenerate_module()
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    fresh = regenerate.regenerate(text)
    assert regenerate.stale_parts(text, fresh) == [], "run python docs/regenerate.py"
    assert fresh == text
    assert text.count("<!-- /aikg -->") >= 9  # the markers are there: counts, commands, SPARQL answers


def test_a_stale_part_is_named():
    regenerate = _regenerate_module()
    stale = "<!-- aikg counts -->no organization<!-- /aikg -->\n<!-- aikg sparql anthropic-investors -->\n```\nold\n```\n<!-- /aikg -->\n"
    fresh = regenerate.regenerate(stale)
    assert "id:amazon" in fresh and "no organization" not in fresh
    assert regenerate.stale_parts(stale, fresh) == ["<!-- aikg sparql anthropic-investors -->", "<!-- aikg counts -->no organization<!-- /aikg -->"]
