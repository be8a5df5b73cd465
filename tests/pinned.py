"""The answers the analysis gives on fixed synthetic graphs, pinned so that speed-ups cannot change them.

``tests/pinned_answers.json`` holds :func:`answers` for :data:`GRAPHS`, written before the queries were
indexed and cached; ``tests/test_scaling.py`` checks that today's code, on a cold graph and again warm,
gives the same. A deliberate change of an answer rewrites the file::

    python tests/pinned.py
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import kg  # noqa: E402
from synthetic import synthetic_graph  # noqa: E402

PINNED = Path(__file__).with_name("pinned_answers.json")
GRAPHS = {"small": (120, 400, 1), "medium": (600, 2000, 2)}
"""Synthetic graphs by name: organizations, deals and seed."""


def plain(records) -> list:
    """Records as JSON values: every field, dates and decimals as text."""
    return json.loads(json.dumps([dataclasses.asdict(record) for record in records], default=str))


def answers(g: kg.KnowledgeGraph) -> dict:
    """What every costly question says about a graph, every field of every record."""
    organizations = [e.id for e in g.entities() if not e.is_product]
    some = organizations[::max(1, len(organizations) // 12)][:12]
    out: dict = {"allies": {}, "path": {}, "investors_of": {}, "exposure": {}}
    for entity in some:
        out["allies"][entity] = plain(g.allies(entity))
        out["investors_of"][entity] = plain(g.investors_of(entity))
    for entity in some[:3]:
        out["exposure"][entity] = plain(g.exposure(entity))
    for source, target in zip(some, reversed(some)):
        try:
            out["path"][f"{source} {target}"] = plain(g.path(source, target))
        except kg.NoPathError:
            out["path"][f"{source} {target}"] = None
    out["alliances"] = plain(g.alliances())
    out["loops"] = plain(g.loops())
    out["circularity_index"] = plain([g.circularity_index()])
    out["conflicts"] = plain(g.conflicts())
    return out


def pinned_graphs() -> dict[str, kg.KnowledgeGraph]:
    return {name: synthetic_graph(organizations=o, deals=d, seed=s) for name, (o, d, s) in GRAPHS.items()}


if __name__ == "__main__":
    pinned = {name: answers(g) for name, g in pinned_graphs().items()}
    lines = [f"{json.dumps(f'{name} {query}')}: {json.dumps(answer, sort_keys=True)}"
             for name, queries in pinned.items() for query, answer in queries.items()]
    PINNED.write_text("{\n" + ",\n".join(lines) + "\n}\n")
    print(f"wrote {PINNED}")
