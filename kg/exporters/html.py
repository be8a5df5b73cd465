"""The interactive HTML view: one self-contained page that opens from disk with no network access.

The nodes are assembled with pyvis and drawn by the vis-network library that pyvis ships,
inlined into our own template (pyvis's template loads scripts from CDNs and sets tooltips as HTML).
Every string from the data reaches the page as JSON inside a ``<script type="application/json">``
block, escaped so that it cannot close the tag, and the page puts it on screen as text, never as HTML.

The page offers a profile panel (with a chart of a lab's valuations and funding), filters by entity
kind, deal kind and year, a toggle between deals as nodes and direct party-to-party edges, and a
search box. Physics runs for a bounded number of iterations, then stops, so large graphs settle.
"""

from __future__ import annotations

import json
import math
import re
from html import escape
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pyvis
from pyvis.node import Node

from kg.flows import counting_deals
from kg.humanize import describe_amount, describe_quantity
from kg.model import Deal, Entity, format_partial_date
from kg.vocabulary import load_vocabulary

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

_VIS_JS = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"

# Colour and vis-network shape of each entity kind, and the symbol the legend shows for that shape.
ENTITY_STYLES = {
    "ai-lab": ("#d62728", "dot"), "company": ("#1f77b4", "square"), "investor": ("#2ca02c", "triangle"),
    "fund": ("#98df8a", "triangle"), "government": ("#8c564b", "square"),
    "cloud-provider": ("#ff7f0e", "hexagon"), "chip-designer": ("#9467bd", "hexagon"), "foundry": ("#c5b0d5", "hexagon"),
    "chip": ("#e377c2", "star"), "ai-model": ("#f7b6d2", "star"), "cloud-platform": ("#ffbb78", "star"),
}
DEAL_COLORS = {
    "investment": "#2ca02c", "funding-round": "#98df8a", "compute-commitment": "#ff7f0e", "supply": "#9467bd",
    "partnership": "#17becf", "acquisition": "#8c564b", "acqui-hire": "#c49c94", "licensing": "#bcbd22",
    "public-funding": "#7f7f7f", "vendor-financing": "#006d2c", "secondary-sale": "#c7e9c0", "warrant": "#e7ba52",
    "stock-acquisition": "#6b3d2e", "capacity-backstop": "#fdd0a2",
}
_SYMBOLS = {"dot": "\u25cf", "square": "\u25a0", "triangle": "\u25b2", "hexagon": "\u2b22", "star": "\u2605",
            "diamond": "\u25c6"}
# The kind that decides an entity's look when it has several: the most specific first.
_KIND_PRIORITY = ["ai-lab", "cloud-provider", "chip-designer", "foundry", "chip", "ai-model", "cloud-platform",
                  "fund", "government", "investor", "company"]
# Large graphs get fewer layout iterations, so that the page settles within seconds.
_ITERATIONS = ((500, 400), (2000, 150), (10**9, 60))


def _primary_kind(entity: Entity) -> str:
    return min(entity.kinds, key=_KIND_PRIORITY.index)


def _date(value, precision) -> str:
    return format_partial_date(value, precision)


def _sources(g: KnowledgeGraph, ids) -> list[dict]:
    out = []
    for source_id in ids:
        source = g.sources[source_id]
        date = None if source.published_on is None else _date(source.published_on, source.published_precision)
        out.append({"publisher": source.publisher, "title": source.title, "date": date, "url": source.url})
    return out


def _deal_line(deal: Deal, g: KnowledgeGraph) -> str:
    parties = "; ".join(f"{role}: {', '.join(g.entity(p).name for p in ids)}" for role, ids in deal.parties.items())
    extras = "".join(f", {describe_quantity(q, unit)}" for q, unit in ((deal.power, "GW"), (deal.chips, "chips"))
                     if q is not None)
    return (f"{_date(deal.announced_on, deal.announced_precision)} \u2014 {deal.title} "
            f"({describe_amount(deal.amount)}{extras}, {deal.status}) [{parties}]")


def _chart(entity: Entity, g: KnowledgeGraph) -> dict | None:
    """A lab's valuation claims, and the cumulative committed money it raised, for the panel's chart."""
    valuations = [{"date": v.date.isoformat(), "usd": v.amount_usd,
                   "label": f"{describe_amount(v.amount)} {v.basis or ''} ({v.status})".strip()}
                  for v in g.valuations(entity.id) if v.amount_usd is not None]
    funding, total = [], 0.0
    vocabulary = load_vocabulary()
    for deal in counting_deals(g.deals(party=entity.id)):
        if (vocabulary.is_kind(deal.kind, "investment") and entity.id in deal.parties.get("investee", ())
                and deal.amount_usd is not None):
            total += deal.amount_usd
            funding.append({"date": deal.announced_on.isoformat(), "usd": total})
    if not valuations and not funding:
        return None
    return {"valuations": valuations, "funding": funding}


def _entity_profile(entity: Entity, g: KnowledgeGraph) -> dict:
    facts = [", ".join(entity.kinds)]
    if entity.parent:
        facts.append(f"part of {g.entity(entity.parent).name}")
    if entity.maker:
        facts.append(f"made by {g.entity(entity.maker).name}")
    if entity.aliases:
        facts.append("also " + ", ".join(entity.aliases))
    sections = []
    deals = g.deals(product=entity.id) if entity.is_product else g.deals(party=entity.id)
    if deals:
        sections.append({"heading": f"Deals ({len(deals)})", "items": [
            {"text": _deal_line(d, g), "sources": _sources(g, d.sources)} for d in deals]})
    valuations = [] if entity.is_product else g.valuations(entity.id)
    if valuations:
        sections.append({"heading": "Valuations", "items": [
            {"text": f"{_date(v.date, v.date_precision)}: {describe_amount(v.amount)}"
                     f"{' ' + v.basis if v.basis else ''} ({v.status})", "sources": _sources(g, v.sources)}
            for v in valuations]})
    chart = None if entity.is_product or "ai-lab" not in entity.kinds else _chart(entity, g)
    return {"name": entity.name, "facts": facts, "sections": sections, "sources": _sources(g, entity.sources),
            "chart": chart}


def _deal_profile(deal: Deal, g: KnowledgeGraph) -> dict:
    facts = [deal.kind, deal.status, _date(deal.announced_on, deal.announced_precision), describe_amount(deal.amount)]
    for quantity, unit in ((deal.power, "GW"), (deal.chips, "chips"), (deal.customers, "customers")):
        if quantity is not None:
            facts.append(describe_quantity(quantity, unit))
    items = [{"text": f"{role}: {', '.join(g.entity(p).name for p in ids)}"} for role, ids in deal.parties.items()]
    for label, value in (("conditions", deal.conditions), ("notes", deal.notes),
                         ("part of", deal.part_of and g.deal(deal.part_of).title)):
        if value:
            items.append({"text": f"{label}: {value}"})
    if deal.products:
        items.append({"text": "products: " + ", ".join(g.entity(p).name for p in deal.products)})
    return {"name": deal.title, "facts": facts, "sections": [{"heading": "Parties", "items": items}],
            "sources": _sources(g, deal.sources), "chart": None}


def _deal_label(deal: Deal) -> str:
    """A short label on the deal's node: its amount, else its capacity, else its kind."""
    if deal.amount is not None:
        return describe_amount(deal.amount)
    if deal.power is not None:
        return describe_quantity(deal.power, "GW")
    return deal.kind


def _width(deal: Deal) -> float:
    """Edge width by amount, on a log scale: 1 for $100M or less or undisclosed, about 8 for $1T."""
    usd = deal.amount_usd or 0
    return round(1 + 1.75 * math.log10(max(usd, 1e8) / 1e8), 2)


def _script_safe_json(value) -> str:
    """JSON that cannot end a ``<script>`` element or open a comment or markup inside it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def view_payload(g: KnowledgeGraph) -> dict:
    """Everything the page draws, as plain data: nodes, edges, profiles, filters and options."""
    vocabulary = load_vocabulary()
    entities, deals = [], []
    # pyvis's Node builds each node's vis-network options; its Network class is left out because it
    # checks every new node against a list of all the others, which is quadratic in the graph's size.
    for entity in g.entities():
        kind = _primary_kind(entity)
        color, shape = ENTITY_STYLES[kind]
        node = Node(entity.id, shape, entity.name, title=f"{entity.name} ({', '.join(entity.kinds)})", color=color,
                    size=16 if not entity.is_product else 11)
        entities.append({"id": entity.id, "kinds": list(entity.kinds), "names": [entity.name, *entity.aliases],
                         "profile": _entity_profile(entity, g), "vis": node.options})
    for deal in g.deals():
        size = 6 + 2 * math.log10(max(deal.amount_usd or 1e6, 1e6) / 1e6)
        node = Node(deal.id, "diamond", _deal_label(deal), title=f"{deal.title}\n{describe_amount(deal.amount)}, {deal.status}",
                    color=DEAL_COLORS[deal.kind], size=round(size, 2), font={"size": 11})
        deals.append({"id": deal.id, "kind": deal.kind, "year": deal.announced_on.year,
                      "parties": list(deal.party_ids), "profile": _deal_profile(deal, g), "vis": node.options})

    party_edges, direct_edges, structure_edges = [], [], []
    roles = vocabulary.roles
    for deal in g.deals():
        color, width = DEAL_COLORS[deal.kind], _width(deal)
        for role, parties in deal.parties.items():
            for party in parties:
                ends = (deal.id, party) if roles[role].flow == "in" else (party, deal.id)
                party_edges.append({"id": f"{deal.id}|{role}|{party}", "from": ends[0], "to": ends[1], "deal": deal.id,
                                    "color": color, "width": width, "title": role, "arrows": "to"})
        payers, receivers = vocabulary.money_sides(deal.parties)
        partners = list(deal.parties.get("partner", ()))
        pairs = [(a, b) for a in payers for b in receivers]
        pairs += [(a, b) for i, a in enumerate(partners) for b in partners[i + 1:]]
        for source, target in pairs:
            direct_edges.append({"id": f"{deal.id}|{source}|{target}", "from": source, "to": target, "deal": deal.id,
                                 "color": color, "width": width, "title": f"{deal.title} ({describe_amount(deal.amount)})",
                                 "arrows": "to" if source in payers else ""})
        for product in deal.products:
            structure_edges.append({"id": f"{deal.id}|product|{product}", "from": deal.id, "to": product, "deal": deal.id,
                                    "color": "#bbbbbb", "dashes": True, "title": "product"})
        if deal.part_of:
            structure_edges.append({"id": f"{deal.id}|part_of", "from": deal.id, "to": deal.part_of, "deal": deal.id,
                                    "color": "#bbbbbb", "dashes": True, "title": "part of"})
    for entity in g.entities():
        for relation, other in (("parent", entity.parent), ("maker", entity.maker)):
            if other:
                structure_edges.append({"id": f"{entity.id}|{relation}", "from": entity.id, "to": other,
                                        "color": "#999999", "dashes": True, "title": relation, "arrows": "to"})

    years = [deal.announced_on.year for deal in g.deals()] or [2026]
    node_count = len(entities) + len(deals)
    iterations = next(count for limit, count in _ITERATIONS if node_count <= limit)
    options = {
        "physics": {"solver": "forceAtlas2Based", "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90},
                    "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 50}},
        "layout": {"improvedLayout": node_count <= 300},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": node_count > 1000},
        "edges": {"smooth": False},
        "nodes": {"font": {"size": 14}},
    }
    entity_kinds = [{"key": kind, "label": kind, "color": ENTITY_STYLES[kind][0],
                     "symbol": _SYMBOLS[ENTITY_STYLES[kind][1]]} for kind in vocabulary.entity_kinds]
    deal_kinds = [{"key": kind, "label": kind, "color": color, "symbol": _SYMBOLS["diamond"]}
                  for kind, color in DEAL_COLORS.items()]
    summary = (f"{sum(not e.is_product for e in g.entities())} organizations, "
               f"{sum(e.is_product for e in g.entities())} products, {len(deals)} deals, {len(g.sources)} sources.")
    return {"entities": entities, "deals": deals, "partyEdges": party_edges, "directEdges": direct_edges,
            "structureEdges": structure_edges, "options": options, "entityKinds": entity_kinds,
            "dealKinds": deal_kinds, "years": [min(years), max(years)], "summary": summary}


def generate_html(g: KnowledgeGraph, title: str = "AI Industry Knowledge Graph") -> str:
    """The graph as one self-contained HTML page."""
    template = resources.files("kg.exporters").joinpath("view.html").read_text(encoding="utf-8")
    vis_js = _VIS_JS.read_text(encoding="utf-8").replace("</script", "<\\/script")
    values = {"TITLE": escape(title), "DATA": _script_safe_json(view_payload(g)), "VIS_JS": vis_js}
    # One pass over the template: text substituted in is never searched for placeholders again.
    return re.sub(r"__(TITLE|DATA|VIS_JS)__", lambda match: values[match.group(1)], template)
