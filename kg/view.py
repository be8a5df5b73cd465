"""Focused views: the neighbourhood of an entity, drawn as the interactive HTML page.

>>> import kg
>>> view = kg.load().view("Anthropic", depth=1)
>>> "anthropic-aws-2026-04-compute" in {d.id for d in view.graph.deals()}
True
>>> view.html.startswith("<!DOCTYPE html>")
True
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from kg.model import Dataset

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


def neighbourhood(g: KnowledgeGraph, entity: str, depth: int = 1) -> KnowledgeGraph:
    """The part of the graph within ``depth`` deals of an entity, with everything those deals name.

    Depth 1 is the entity's own deals and its counterparties; depth 2 adds their deals, and so on.
    Parents and makers of the entities kept are kept too, so every profile is complete.
    """

    if depth < 0:
        raise ValueError("depth must be 0 or more")
    start = g.entity(entity).id
    reached, frontier, deals = {start}, {start}, {}
    for _ in range(depth):
        following = set()
        for deal in g.deals():
            if deal.id not in deals and frontier & (set(deal.party_ids) | set(deal.products)):
                deals[deal.id] = deal
                following |= set(deal.party_ids) - reached
        reached |= following
        frontier = following
    for deal in list(deals.values()):
        if deal.part_of and deal.part_of not in deals:
            deals[deal.part_of] = g.deal(deal.part_of)
    keep = set(reached)
    for deal in deals.values():
        keep |= set(deal.party_ids) | set(deal.products)
    pending = list(keep)
    while pending:
        record = g.entity(pending.pop())
        for other in (record.parent, record.maker):
            if other and other not in keep:
                keep.add(other)
                pending.append(other)
    return _subgraph(g, keep, deals.values())


def _subgraph(g: KnowledgeGraph, entity_ids: set[str], deals: Iterable) -> KnowledgeGraph:
    deals = tuple(sorted(deals, key=lambda d: (d.announced_on, d.id)))
    entities = tuple(e for e in g.entities() if e.id in entity_ids)
    deal_ids = {d.id for d in deals}
    valuations = tuple(v for v in g.dataset.valuations if v.entity in entity_ids and (v.deal is None or v.deal in deal_ids))
    cited = {s for item in (*entities, *deals, *valuations) for s in item.sources}
    return type(g)(Dataset(entities, deals, valuations, {s: g.sources[s] for s in sorted(cited)}))


def only_kinds(g: KnowledgeGraph, kinds: Iterable[str]) -> KnowledgeGraph:
    """The graph restricted to entities of the given kinds and the deals among them."""
    kinds = set(kinds)
    unknown = kinds - set(_vocabulary().entity_kinds)
    if unknown:
        raise ValueError(f"unknown entity kind {sorted(unknown)[0]!r}; use one of: {', '.join(sorted(_vocabulary().entity_kinds))}")
    keep = {e.id for e in g.entities() if kinds & set(e.kinds)}
    deals = {d.id: d for d in g.deals() if set(d.party_ids) <= keep}
    for deal in list(deals.values()):  # a tranche needs its umbrella agreement
        if deal.part_of and deal.part_of not in deals:
            deals[deal.part_of] = g.deal(deal.part_of)
            keep |= set(deals[deal.part_of].party_ids)
    for entity_id in list(keep):
        record = g.entity(entity_id)
        keep |= {other for other in (record.parent, record.maker) if other}
    for deal in deals.values():
        keep |= set(deal.products)
    return _subgraph(g, keep, deals.values())


def _vocabulary():
    from kg.vocabulary import load_vocabulary

    return load_vocabulary()


class View:
    """An interactive HTML view of a graph: save it, open it, or display it inline in Jupyter."""

    def __init__(self, graph: KnowledgeGraph, title: str = "AI Industry Knowledge Graph", overview: bool = True) -> None:
        self.graph = graph
        self.title = title
        self.overview = overview
        """Whether the page opens on the families' overview (else on the organizations and their deals)."""
        self._html: str | None = None

    @property
    def html(self) -> str:
        """The page, generated once."""
        if self._html is None:
            from kg.exporters.html import generate_html

            self._html = generate_html(self.graph, self.title, self.overview)
        return self._html

    def save(self, path: str | Path) -> Path:
        """Write the page atomically; returns its path."""
        from kg.files import write_files

        path = Path(path)
        write_files({path: self.html})
        return path

    def _repr_html_(self) -> str:
        # Jupyter shows this inline: the page in a sandboxed frame of its own, so its scripts and styles
        # stay out of the notebook's.
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" sandbox="allow-scripts allow-popups" '
                f'style="width: 100%; height: 640px; border: 1px solid #ddd"></iframe>')


def make_view(g: KnowledgeGraph, entity: str | None = None, depth: int = 1, as_of: dt.date | str | None = None,
              kinds: Iterable[str] | None = None) -> View:
    """A view of the whole graph, or of an entity's neighbourhood, as known on a date, of some kinds."""
    title = "AI Industry Knowledge Graph"
    if as_of is not None:
        g = g.as_of(as_of)
        title += f" as of {as_of}"
    if kinds:
        g = only_kinds(g, kinds)
    if entity is not None:
        name = g.entity(entity).name
        g = neighbourhood(g, entity, depth)
        title = f"{name} and its ties" + (f" as of {as_of}" if as_of is not None else "")
    return View(g, title, overview=entity is None)
