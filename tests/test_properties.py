"""Property-based: data records generated from the schema with hostile values. Validation either accepts
a folder or names the record that is wrong; what validates builds; what builds parses back in Oxigraph
and rdflib to the same triples; the view's JSON parses."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
import yaml

hypothesis = pytest.importorskip("hypothesis", reason="the test extra installs Hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import kg  # noqa: E402
from kg.errors import DataError  # noqa: E402
from kg.exporters import write_exports  # noqa: E402

HOSTILE = ["</script><script>alert(1)</script>", '"; DROP TABLE x; --', "\x1b]8;;https://evil.example\x07",
           "=HYPERLINK(\"https://evil.example\")", "line\nbreak", "\u202eevil", "a\\u0000b", "{{7*7}}", "\ud7ff",
           "<img src=x onerror=alert(1)>", "' OR 1=1", "\"quoted\" and 'single'", "x" * 300, " ", ""]
URLS = ["https://example.org/a", "https://example.org/a?b=1&c=2", "https://例え.jp/パス", "https://a.example/a%",
        "https://a.example/#a#b", "https://a.example:99999/", "javascript:alert(1)", "https://a.example/\x7f",
        "https://a.example/>\"<", "http://[::1]/x", "https://a.example/%E2%82%AC"]
NUMBERS = [1000, 1.5, "1_000", "1e3", "1e400", "-5", "NaN", "Infinity", 10 ** 19, 0, "abc", True, [1], {"a": 1}]

text = st.one_of(st.sampled_from(HOSTILE[:-2]), st.sampled_from(HOSTILE), st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))


def often(valid, *invalid):
    """Mostly the valid value, sometimes one of the invalid ones: most folders validate and build."""
    return st.sampled_from([valid] * (10 * len(invalid)) + list(invalid))


@st.composite
def data_folder(draw) -> dict:
    names = {identifier: f"{draw(text)} {identifier}" for identifier in ("alpha", "beta", "gamma")}
    source = {"id": "src", "publisher": draw(text), "title": draw(text), "published_on": "2024-01-02"}
    if draw(st.booleans()):
        source["url"] = draw(st.one_of(st.sampled_from(URLS), st.sampled_from(URLS), text))
    entities = [{"id": identifier, "name": name, "kinds": [draw(st.sampled_from(["company", "ai-lab", "investor"]))],
                 **({"aliases": [draw(text)]} if draw(st.booleans()) else {}),
                 **({"description": draw(text)} if draw(st.booleans()) else {})}
                for identifier, name in names.items()]
    amount = {"value": draw(often(1000, *NUMBERS)), "currency": draw(often("USD", "EUR", "usd", "X"))}
    if amount["currency"] != "USD" and draw(st.booleans()):
        amount["usd"] = draw(often(1100, *NUMBERS))
    deal = {"id": "alpha-beta", "kind": draw(st.sampled_from(["investment", "compute-commitment", "licensing"])),
            "title": draw(text), "announced_on": draw(often("2024-03-01", "2024-13-01", "2024", "x")),
            "status": draw(often("announced", "completed", "contingent", "weird")),
            "amount": amount, "sources": ["src"], "notes": draw(text)}
    roles = {"investment": ("investor", "investee"), "compute-commitment": ("customer", "provider"),
             "licensing": ("licensee", "licensor")}[deal["kind"]]
    deal["parties"] = {roles[0]: ["alpha"], roles[1]: [draw(often("beta", "gamma", "nobody"))]}
    valuation = {"id": "beta-worth", "entity": "beta", "amount": {"value": draw(often(5000, *NUMBERS))},
                 "date": "2024-03", "status": "reported", "sources": ["src"]}
    return {"sources.yaml": [source], "entities.yaml": entities, "products.yaml": [], "deals.yaml": [deal],
            "valuations.yaml": [valuation]}


def _write(folder: Path, files: dict) -> None:
    folder.mkdir(parents=True)
    for name, records in files.items():
        (folder / name).write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _triples_agree(path: Path) -> None:
    import pyoxigraph
    import rdflib
    from rdflib.compare import isomorphic

    ours = rdflib.Graph().parse(path, format="nt")
    through_oxigraph = pyoxigraph.serialize(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES),
                                            format=pyoxigraph.RdfFormat.N_TRIPLES)
    back = rdflib.Graph().parse(data=through_oxigraph.decode("utf-8"), format="nt")
    assert len(ours) == len(back) and isomorphic(ours, back)


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=data_folder())
def test_hostile_records_are_named_or_build_into_exports_every_tool_reads(files):
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "data"
        _write(folder, files)
        try:
            graph = kg.load(folder)
        except DataError as error:
            assert error.problems
            for problem in error.problems:  # every problem names its file, and its line or record
                assert problem.file.startswith(str(folder)) and (problem.line is not None or problem.record is not None
                                                                  or "is missing" in problem.message
                                                                  or "holds no records" in problem.message)
            return
        out = Path(scratch) / "exports"
        write_exports(graph, out)
        _triples_agree(out / "aikg.nt")
        page = (out / "aikg.html").read_text(encoding="utf-8")
        [block] = re.findall(r'<script type="application/json" id="aikg-data">(.*?)</script>', page, re.S)
        json.loads(block)
        assert "<script>alert" not in page
