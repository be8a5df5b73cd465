"""The interactive HTML view: one self-contained page that opens from disk with no network access.

The nodes and edges are assembled with pyvis and drawn by the vis-network library that pyvis ships,
inlined into our own template (pyvis's template loads scripts from CDNs and sets tooltips as HTML).
Every string from the data reaches the page as JSON inside a ``<script type="application/json">``
block, escaped so it cannot close the tag, and is put on the page as text, never as HTML.
"""

from __future__ import annotations

import json
import math
import re
from html import escape
from importlib import resources
from pathlib import Path

import pyvis
from pyvis.network import Network

from kg.graph import KnowledgeGraph
from kg.humanize import describe_amount, describe_quantity, format_usd
from kg.model import Deal, Entity, format_partial_date

_VIS_JS = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"

ENTITY_COLORS = {
    "ai-lab": "#d62728", "company": "#1f77b4", "investor": "#2ca02c", "fund": "#98df8a", "government": "#8c564b",
    "cloud-provider": "#ff7f0e", "chip-designer": "#9467bd", "foundry": "#c5b0d5",
    "chip": "#e377c2", "ai-model": "#f7b6d2", "cloud-platform": "#ffbb78",
}
DEAL_COLORS = {
    "investment": "#2ca02c", "funding-round": "#98df8a", "compute-commitment": "#ff7f0e", "supply": "#9467bd", "partnership": "#17becf",
    "acquisition": "#8c564b", "acqui-hire": "#c49c94", "licensing": "#bcbd22",
}
_KIND_PRIORITY = list(ENTITY_COLORS)


def _deal_line(deal: Deal, g: KnowledgeGraph) -> str:
    parties = "; ".join(f"{role}: {', '.join(g.entity(p).name for p in ids)}" for role, ids in deal.parties.items())
    when = format_partial_date(deal.announced_on, deal.announced_precision)
    return f"{when} \u2014 {deal.title} ({describe_amount(deal.amount)}, {deal.status}) [{parties}]"


def _sources(g: KnowledgeGraph, ids) -> list[dict]:
    out = []
    for source_id in ids:
        source = g.sources[source_id]
        date = None if source.published_on is None else format_partial_date(source.published_on, source.published_precision)
        out.append({"publisher": source.publisher, "title": source.title, "date": date, "url": source.url})
    return out


def _entity_profile(entity: Entity, g: KnowledgeGraph) -> dict:
    facts = [", ".join(entity.kinds)]
    if entity.parent:
        facts.append(f"part of {g.entity(entity.parent).name}")
    if entity.maker:
        facts.append(f"made by {g.entity(entity.maker).name}")
    sections = []
    deals = g.deals(product=entity.id) if entity.is_product else g.deals(party=entity.id)
    if deals:
        sections.append({"heading": "Deals", "items": [
            {"text": _deal_line(d, g), "sources": _sources(g, d.sources)} for d in deals]})
    if not entity.is_product and g.valuations(entity.id):
        sections.append({"heading": "Valuations", "items": [
            {"text": f"{format_partial_date(v.date, v.date_precision)}: {describe_amount(v.amount)}"
                     f"{' ' + v.basis if v.basis else ''} ({v.status})", "sources": _sources(g, v.sources)}
            for v in g.valuations(entity.id)]})
    return {"name": entity.name, "facts": facts, "sections": sections, "sources": _sources(g, entity.sources)}


def _deal_profile(deal: Deal, g: KnowledgeGraph) -> dict:
    facts = [deal.kind, deal.status, format_partial_date(deal.announced_on, deal.announced_precision), describe_amount(deal.amount)]
    if deal.power is not None:
        facts.append(describe_quantity(deal.power, "GW"))
    if deal.chips is not None:
        facts.append(describe_quantity(deal.chips, "chips"))
    items = [{"text": f"{role}: {', '.join(g.entity(p).name for p in ids)}"} for role, ids in deal.parties.items()]
    for label, value in (("conditions", deal.conditions), ("notes", deal.notes), ("part of", deal.part_of)):
        if value:
            items.append({"text": f"{label}: {value}"})
    return {"name": deal.title, "facts": facts, "sections": [{"heading": "Parties", "items": items}],
            "sources": _sources(g, deal.sources)}


def _deal_label(deal: Deal) -> str:
    """A short label on the deal's node: its amount, else its capacity, else its kind."""
    if deal.amount is not None:
        return describe_amount(deal.amount)
    if deal.power is not None:
        return describe_quantity(deal.power, "GW")
    return deal.kind


def _script_safe_json(value) -> str:
    """JSON that cannot end a ``<script>`` element or open a comment or markup inside it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def generate_html(g: KnowledgeGraph, title: str = "AI Industry Knowledge Graph") -> str:
    """The whole graph as one self-contained HTML page."""
    network = Network(directed=True)
    for entity in g.entities():
        kind = min(entity.kinds, key=_KIND_PRIORITY.index)
        network.add_node(
            entity.id, label=entity.name, title=f"{entity.name} ({', '.join(entity.kinds)})",
            color=ENTITY_COLORS[kind], shape="dot", size=18 if not entity.is_product else 12,
            profile=_entity_profile(entity, g), kind=kind,
        )
    for deal in g.deals():
        size = 6 + 2 * math.log10(max(deal.amount_usd or 1e6, 1e6) / 1e6)
        network.add_node(
            deal.id, label=_deal_label(deal), title=f"{deal.title}\n{describe_amount(deal.amount)}, {deal.status}",
            color=DEAL_COLORS[deal.kind], shape="diamond", size=round(size, 2),
            profile=_deal_profile(deal, g), kind=deal.kind,
        )
    for source, target, attributes in sorted(g.graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relation"])):
        if attributes["relation"] == "party":
            deal = g.deal(source if g.graph.nodes[source]["type"] == "deal" else target)
            network.add_edge(source, target, title=attributes["role"], color=DEAL_COLORS[deal.kind], arrows="to")
        elif attributes["relation"] in ("parent", "maker", "product", "part_of"):
            network.add_edge(source, target, title=attributes["relation"].replace("_", " "), color="#999999",
                             dashes=True, arrows="to")
    options = {
        "physics": {"solver": "forceAtlas2Based", "stabilization": {"enabled": True, "iterations": 300}},
        "interaction": {"hover": True, "tooltipDelay": 150},
        "edges": {"smooth": False},
        "nodes": {"font": {"size": 14}},
    }
    legend = [{"label": kind, "color": color} for kind, color in ENTITY_COLORS.items()]
    legend += [{"label": f"{kind} deal", "color": color} for kind, color in DEAL_COLORS.items()]
    summary = f"{len(g.entities())} organizations and products, {len(g.deals())} deals, {len(g.sources)} sources."
    payload = {"nodes": network.nodes, "edges": network.edges, "options": options, "legend": legend, "summary": summary}
    template = resources.files("kg.exporters").joinpath("view.html").read_text(encoding="utf-8")
    vis_js = _VIS_JS.read_text(encoding="utf-8").replace("</script", "<\\/script")
    values = {"TITLE": escape(title), "DATA": _script_safe_json(payload), "VIS_JS": vis_js}
    # One pass over the template: text substituted in is never searched for placeholders again.
    return re.sub(r"__(TITLE|DATA|VIS_JS)__", lambda match: values[match.group(1)], template)
