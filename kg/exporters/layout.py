"""Where the HTML view draws each node: a layout computed once, in Python, and stored in the page.

The page opens on a finished picture, with no physics to wait for, and the same data gives the same
picture from build to build (ForceAtlas2 from networkx with a fixed seed, on nodes in id order).

- :func:`overview_positions`: the families of the overview, spread by ForceAtlas2 on their flows, then
  pushed apart until no two labels overlap (:func:`separate`). Labels scale with the zoom, so labels
  apart in layout units stay apart on screen at every zoom.
- :func:`full_positions`: every organization, product and deal. Families are laid out as above; each
  family's members sit on a ring around its head, products next to their maker, and a deal at the
  middle of its parties.

>>> import networkx as nx
>>> flows = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")])
>>> spots = overview_positions(flows, {"a": "Alpha", "b": "Beta", "c": "Gamma"})
>>> sorted(spots), spots == overview_positions(flows, {"a": "Alpha", "b": "Beta", "c": "Gamma"})
(['a', 'b', 'c'], True)
"""

from __future__ import annotations

import math
import zlib
from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

LABEL_FONT_PX = 14
"""The font size of the overview's labels, in layout units at zoom 1 (the page uses the same)."""
CHARACTER_WIDTH = 0.62
"""About how wide a character of the page's sans-serif font is, as a share of its size."""
LABEL_MARGIN = 26
"""Room left around each node and its label, in layout units, so that neighbours do not touch."""
NODE_RADIUS = 18
"""The overview's node size, in layout units (the page draws family nodes this size)."""
SPREAD = 260.0
"""The typical distance between two neighbouring families, in layout units."""
FULL_LAYOUT_ITERATIONS = 80
"""ForceAtlas2 iterations for the full view's families: O(F²) each, so the full layout is bounded."""
CLEARANCE = 30.0
"""How far a deal's node stays from any organization's or product's, in layout units, where it can."""
FULL_LAYOUT_FAMILIES = 300
"""The full view lays out at most this many families (those with the most ties) by ForceAtlas2; the
others go on a spiral around them, so a bulk graph of thousands of families lays out in seconds."""


def label_box(name: str, font_px: float = LABEL_FONT_PX, radius: float = NODE_RADIUS) -> tuple[float, float]:
    """The width and height a node with its label below takes, in layout units."""
    width = max(2 * radius, CHARACTER_WIDTH * font_px * len(name)) + LABEL_MARGIN
    return width, 2 * radius + 1.6 * font_px + LABEL_MARGIN


def _spread(graph: nx.Graph, iterations: int) -> dict[str, tuple[float, float]]:
    """ForceAtlas2 positions, scaled so that the median edge is :data:`SPREAD` long."""
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph))
    ordered.add_edges_from(sorted((min(a, b), max(a, b)) for a, b in graph.edges()))
    if len(ordered) == 1:
        return {next(iter(ordered)): (0.0, 0.0)}
    raw = nx.forceatlas2_layout(ordered, seed=0, max_iter=iterations, strong_gravity=True, gravity=0.5)
    lengths = sorted(math.dist(raw[a], raw[b]) for a, b in ordered.edges()) or [1.0]
    scale = SPREAD / max(lengths[len(lengths) // 2], 1e-9)
    return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in raw.items()}


def _overlapping(spots: dict[str, list[float]], boxes: dict[str, tuple[float, float]], a: str, b: str) -> tuple[float, float]:
    """How much the boxes of ``a`` and ``b`` overlap along x and along y (a pair overlaps if both > 0)."""
    (ax, ay), (bx, by) = spots[a], spots[b]
    return (boxes[a][0] + boxes[b][0]) / 2 - abs(ax - bx), (boxes[a][1] + boxes[b][1]) / 2 - abs(ay - by)


def separate(positions: dict[str, tuple[float, float]], boxes: dict[str, tuple[float, float]],
             rounds: int = 300) -> dict[str, tuple[float, float]]:
    """Positions moved as little as needed so that no two boxes (width, height, centred) overlap: each
    round pushes every overlapping pair apart along the axis where they overlap least; where pushes
    go round in circles for ``rounds`` rounds, the whole picture is spread 15% wider and tried again,
    which always ends. O(rounds × n²) per try.

    >>> separate({"a": (0, 0), "b": (10, 0)}, {"a": (40, 20), "b": (40, 20)})
    {'a': (0.0, -10.5), 'b': (10.0, 10.5)}
    """
    spots = {node: [float(x), float(y)] for node, (x, y) in sorted(positions.items())}
    nodes = list(spots)
    while True:
        for _ in range(rounds):
            moved = False
            for i, a in enumerate(nodes):
                for b in nodes[i + 1:]:
                    overlap_x, overlap_y = _overlapping(spots, boxes, a, b)
                    if overlap_x <= 0 or overlap_y <= 0:
                        continue
                    moved = True
                    axis = 0 if overlap_x < overlap_y else 1
                    push = (min(overlap_x, overlap_y) + 1) / 2 * (1 if spots[b][axis] >= spots[a][axis] else -1)
                    spots[a][axis] -= push
                    spots[b][axis] += push
            if not moved:
                return {node: (round(x, 1), round(y, 1)) for node, (x, y) in spots.items()}
        for spot in spots.values():
            spot[0] *= 1.15
            spot[1] *= 1.15


def overview_positions(flows: nx.DiGraph, names: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Positions of the overview's families (the nodes of ``flows``), with their labels apart."""
    if len(flows) == 0:
        return {}
    spots = _spread(flows.to_undirected(), 300)
    return separate(spots, {node: label_box(names[node]) for node in spots})


def _jitter(key: str, size: float) -> tuple[float, float]:
    """A small offset that depends only on ``key``: the same from build to build."""
    angle = (zlib.crc32(key.encode()) % 3600) / 3600 * 2 * math.pi
    return size * math.cos(angle), size * math.sin(angle)


def full_positions(g: KnowledgeGraph, heads: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Positions of every entity and deal of ``g``, given every entity's family head."""
    families = nx.Graph()
    families.add_nodes_from(sorted(set(heads.values())))
    for deal in g.deals():
        ends = sorted({heads[party] for party in deal.party_ids})
        families.add_edges_from((a, b) for i, a in enumerate(ends) for b in ends[i + 1:])
    ranked = sorted((node for node in families if families.degree(node)), key=lambda n: (-families.degree(n), n))
    central = ranked[:FULL_LAYOUT_FAMILIES]
    spots = _spread(families.subgraph(central), FULL_LAYOUT_ITERATIONS) if central else {}
    # The other families, those with fewer ties first, then those with none: a spiral around the picture
    # (Vogel's sunflower: evenly spread, one step per family).
    radius = max((math.hypot(x, y) for x, y in spots.values()), default=0.0) + SPREAD
    others = ranked[FULL_LAYOUT_FAMILIES:] + sorted(set(families) - set(ranked))
    for i, family in enumerate(others):
        distance = math.sqrt(radius ** 2 + i * (SPREAD / 2) ** 2)
        angle = i * math.pi * (3 - math.sqrt(5))
        spots[family] = (distance * math.cos(angle), distance * math.sin(angle))
    members: dict[str, list[str]] = {}
    for entity in g.entities():
        if not entity.is_product and heads[entity.id] != entity.id:
            members.setdefault(heads[entity.id], []).append(entity.id)
    positions: dict[str, tuple[float, float]] = {}
    for head, (x, y) in spots.items():
        positions[head] = (x, y)
        ring = sorted(members.get(head, ()))
        radius = 60 + 12 * len(ring)
        for i, member in enumerate(ring):
            angle = 2 * math.pi * i / len(ring)
            positions[member] = (x + radius * math.cos(angle), y + radius * math.sin(angle))
    for entity in g.entities():
        if entity.is_product:
            mx, my = positions.get(entity.maker, (0.0, 0.0)) if entity.maker else (0.0, 0.0)
            dx, dy = _jitter(entity.id, 45)
            positions[entity.id] = (mx + dx, my + dy)
    # A deal sits by the middle of its parties, moved along its own direction until it covers no other
    # node (found through a grid of cells, so the pass stays linear), or as far as 300 units out.
    cell = 2 * CLEARANCE
    grid: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for x, y in positions.values():
        grid.setdefault((int(x // cell), int(y // cell)), []).append((x, y))

    def covers(x: float, y: float) -> bool:
        i, j = int(x // cell), int(y // cell)
        return any(math.dist((x, y), spot) < CLEARANCE
                   for di in (-1, 0, 1) for dj in (-1, 0, 1) for spot in grid.get((i + di, j + dj), ()))

    for deal in g.deals():
        ends = [positions[party] for party in deal.party_ids if party in positions]
        middle_x, middle_y = sum(x for x, _ in ends) / len(ends), sum(y for _, y in ends) / len(ends)
        for step in range(1, 13):
            dx, dy = _jitter(deal.id, 25 * step)
            if not covers(middle_x + dx, middle_y + dy):
                break
        positions[deal.id] = (middle_x + dx, middle_y + dy)
        grid.setdefault((int((middle_x + dx) // cell), int((middle_y + dy) // cell)), []).append(positions[deal.id])
    return {node: (round(x, 1), round(y, 1)) for node, (x, y) in positions.items()}
