"""Exports for graph tools beyond RDF: GraphML and GEXF (Gephi, Cytoscape, yEd) and node and edge CSV.

All three carry the networkx graph as it is: entity and deal nodes, with the edges carrying each
party's role. Attribute values become plain text and numbers: lists are joined with ``"; "``, dates
are written ISO-style at their precision, and missing values are left out. A CSV cell that a
spreadsheet would run as a formula (``=HYPERLINK(...)``) begins with an apostrophe, so it shows as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import TYPE_CHECKING

import networkx as nx

from kg.model import format_partial_date

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


def _plain(attributes: dict) -> dict:
    """Attributes as the values GraphML and GEXF can hold."""
    plain = {}
    for key, value in attributes.items():
        if value is None or (isinstance(value, (list, tuple, dict)) and not value):
            continue
        if isinstance(value, dt.date):
            precision = attributes.get(f"{key}_precision") or attributes.get("date_precision", "day")
            value = format_partial_date(value, precision)
        elif isinstance(value, (list, tuple)):
            value = "; ".join(str(item) for item in value)
        elif isinstance(value, dict):
            value = "; ".join(f"{k}: {', '.join(v)}" for k, v in value.items())
        plain[key] = value
    return plain


def plain_graph(g: KnowledgeGraph) -> nx.MultiDiGraph:
    """A copy of ``g.graph`` whose attributes are all plain text and numbers, with a ``label`` each."""
    graph = nx.MultiDiGraph()
    for node, attributes in g.graph.nodes(data=True):
        label = attributes.get("name") or attributes.get("title") or node
        graph.add_node(node, label=label, **_plain(attributes))
    for source, target, key, attributes in g.graph.edges(keys=True, data=True):
        graph.add_edge(source, target, key=key, **_plain(attributes))
    return graph


def generate_graphml(g: KnowledgeGraph) -> str:
    """The graph as GraphML."""
    return "\n".join(nx.generate_graphml(plain_graph(g), named_key_ids=True)) + "\n"


def generate_gexf(g: KnowledgeGraph) -> str:
    """The graph as GEXF 1.2, Gephi's format."""
    return "\n".join(nx.generate_gexf(plain_graph(g), version="1.2draft")) + "\n"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a cell a spreadsheet would run as a formula begins (OWASP's list)."""


def spreadsheet_safe(value):
    r"""A cell a spreadsheet shows as text: one that begins like a formula gets a leading apostrophe.

    >>> spreadsheet_safe('=HYPERLINK("https://evil.example")'), spreadsheet_safe("Acme"), spreadsheet_safe(-1)
    ('\'=HYPERLINK("https://evil.example")', 'Acme', -1)
    """
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _table(rows: list[dict], first: list[str]) -> str:
    columns = first + sorted({key for row in rows for key in row} - set(first))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def generate_node_csv(g: KnowledgeGraph) -> str:
    """One row a node: ``id``, ``type``, ``label`` and every attribute as a column."""
    graph = plain_graph(g)
    return _table([{"id": node, **attributes} for node, attributes in graph.nodes(data=True)], ["id", "type", "label"])


def generate_edge_csv(g: KnowledgeGraph) -> str:
    """One row an edge: ``source``, ``target``, ``relation``, ``role``."""
    graph = plain_graph(g)
    rows = [{"source": source, "target": target, **attributes} for source, target, attributes in graph.edges(data=True)]
    return _table(rows, ["source", "target", "relation", "role"])
