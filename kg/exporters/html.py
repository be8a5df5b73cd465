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
from collections import Counter
from html import escape
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pyvis
from pyvis.node import Node

from kg.analysis.families import family_heads
from kg.exporters.layout import (CHARACTER_WIDTH, LABEL_FONT_PX, LABEL_MARGIN, NODE_RADIUS, full_positions,
                                 overview_positions)
from kg.flows import counting_deals
from kg.humanize import describe_amount, describe_quantity, format_usd
from kg.model import Deal, Entity, format_partial_date
from kg.vocabulary import load_vocabulary

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

_VIS_JS = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"

# Entity kinds: a colour of the Okabe-Ito palette (safe for colour-blind readers) and a shape, so that
# no two kinds look alike; the legend shows the shape's symbol in its colour.
ENTITY_STYLES = {
    "ai-lab": ("#D55E00", "dot"), "company": ("#0072B2", "square"), "investor": ("#009E73", "triangle"),
    "fund": ("#009E73", "triangleDown"), "government": ("#000000", "square"),
    "cloud-provider": ("#E69F00", "hexagon"), "chip-designer": ("#CC79A7", "hexagon"), "foundry": ("#CC79A7", "square"),
    "chip": ("#56B4E9", "star"), "ai-model": ("#F0E442", "star"), "cloud-platform": ("#E69F00", "star"),
}
# Deal kinds: a colour of Paul Tol's "muted" palette (also colour-blind safe, and none of the entity
# colours) by what the deal moves, and a line style within that group.
DEAL_STYLES = {
    "investment": ("#332288", "solid"), "funding-round": ("#332288", "dashed"),
    "vendor-financing": ("#332288", "dotted"), "warrant": ("#AA4499", "dotted"),
    "secondary-sale": ("#AA4499", "dashed"), "public-funding": ("#DDCC77", "solid"),
    "compute-commitment": ("#882255", "solid"), "capacity-backstop": ("#882255", "dashed"),
    "supply": ("#44AA99", "solid"), "partnership": ("#88CCEE", "dashed"), "licensing": ("#88CCEE", "solid"),
    "acquisition": ("#999933", "solid"), "stock-acquisition": ("#999933", "dashed"), "acqui-hire": ("#999933", "dotted"),
}
DEAL_COLORS = {kind: color for kind, (color, _) in DEAL_STYLES.items()}
# What a family-to-family flow buys, in the overview: the same colours as the deals that make it.
FLOW_STYLES = {
    "equity": ("#332288", "solid"), "compute": ("#882255", "solid"), "chips": ("#44AA99", "solid"),
    "supply": ("#44AA99", "solid"), "service": ("#44AA99", "dashed"), "licence": ("#88CCEE", "solid"),
    "money": ("#DDCC77", "solid"), "company": ("#999933", "solid"),
}
_DASHES = {"solid": False, "dashed": [10, 6], "dotted": [2, 5]}
_SYMBOLS = {"dot": "\u25cf", "square": "\u25a0", "triangle": "\u25b2", "triangleDown": "\u25bc", "hexagon": "\u2b22",
            "star": "\u2605", "diamond": "\u25c6"}
_LINES = {"solid": "\u2501\u2501", "dashed": "\u254d\u254d", "dotted": "\u2509\u2509"}
BLOC_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
"""The largest blocs' colours when the view colours by bloc; smaller blocs are grey."""
# The kind that decides an entity's look when it has several: the most specific first.
_KIND_PRIORITY = ["ai-lab", "cloud-provider", "chip-designer", "foundry", "chip", "ai-model", "cloud-platform",
                  "fund", "government", "investor", "company"]
OVERVIEW_FAMILIES = 40
"""The overview draws the families that carry the most known money, and those of the best loops..."""
BLOCS_UP_TO_DEALS = 20_000
"""Above this many deals the page offers no colouring by bloc, which would cost seconds to compute."""
OVERVIEW_BOUND = 60
"""...up to this many families in all, so that the overview stays readable (and its layout quick)."""


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
    """A lab's valuation claims, and the committed money it raised, for the panel's chart: the page sums
    the funding up to the year shown."""
    valuations = [{"date": v.date.isoformat(), "usd": v.amount_usd,
                   "label": f"{describe_amount(v.amount)} {v.basis or ''} ({v.status})".strip()}
                  for v in g.valuations(entity.id) if v.amount_usd]
    funding = []
    vocabulary = load_vocabulary()
    for deal in counting_deals(g.deals(party=entity.id)):
        if (vocabulary.is_kind(deal.kind, "investment") and entity.id in deal.parties.get("investee", ())
                and deal.amount_usd):
            funding.append({"date": deal.announced_on.isoformat(), "usd": deal.amount_usd, "label": deal.title})
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
        sections.append({"heading": "Deals", "items": [
            {"text": _deal_line(d, g), "sources": _sources(g, d.sources), "year": d.announced_on.year} for d in deals]})
    valuations = [] if entity.is_product else g.valuations(entity.id)
    if valuations:
        sections.append({"heading": "Valuations", "items": [
            {"text": f"{_date(v.date, v.date_precision)}: {describe_amount(v.amount)}"
                     f"{' ' + v.basis if v.basis else ''} ({v.status})", "sources": _sources(g, v.sources),
             "year": v.date.year}
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


def _width(usd: float | None) -> float:
    """Edge width by amount, on a log scale: 1 for $100M or less or undisclosed, about 8 for $1T."""
    return round(1 + 1.75 * math.log10(max(usd or 0, 1e8) / 1e8), 2)


def _script_safe_json(value) -> str:
    """JSON that cannot end a ``<script>`` element or open a comment or markup inside it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _first_years(g: KnowledgeGraph) -> dict[str, int]:
    """The year each entity first takes part in a deal (a product: is named in one)."""
    years: dict[str, int] = {}
    for deal in g.deals():
        for member in (*deal.party_ids, *deal.products):
            years.setdefault(member, deal.announced_on.year)
    return years


def _counts_by_year(g: KnowledgeGraph, first_year: dict[str, int], newest: int) -> dict[str, dict[str, int]]:
    """How many organizations, products, deals and sources appear each year, so that the page's summary
    follows its year slider as its drawing does: an organization or product from its first deal, a
    source from its date. A product in no deal and an undated source count from the ``newest`` year
    only, since nothing says they were known before; an organization in no deal counts in every year
    (key ""), as it is drawn with its parent.

    >>> import kg
    >>> g = kg.load()
    >>> counts = _counts_by_year(g, _first_years(g), 2026)
    >>> sum(counts["deals"].values()) == len(g.deals()), sum(counts["sources"].values()) == len(g.sources)
    (True, True)
    """
    def tally(years) -> dict[str, int]:
        return dict(sorted(Counter("" if year is None else str(year) for year in years).items()))

    return {"organizations": tally(first_year.get(e.id) for e in g.entities() if not e.is_product),
            "products": tally(first_year.get(e.id, newest) for e in g.entities() if e.is_product),
            "deals": tally(deal.announced_on.year for deal in g.deals()),
            "sources": tally(source.published_on.year if source.published_on else newest
                             for source in g.sources.values())}


def _family_flows(g: KnowledgeGraph) -> dict[tuple[str, str], list[dict]]:
    """The edges of the family flow graph (committed, principal flows), one entry per flow: its year,
    its known amount (None where undisclosed or the group's), what it buys and its deal."""
    return {(payer, payee): [{"year": flow.announced_on.year, "usd": own, "buys": bought, "deal": flow.deal}
                             for flow, own, bought in zip(edge["flows"], edge["own"], edge["buys"])]
            for payer, payee, edge in sorted(g.flow_graph().edges(data=True), key=lambda e: e[:2])}


def _overview(g: KnowledgeGraph, heads: dict[str, str]) -> dict:
    """The families that carry most of the money, the flows between them, the loops and the blocs."""
    flows = _family_flows(g)
    money: dict[str, float] = {}
    for (payer, payee), entries in flows.items():
        for family in (payer, payee):
            money[family] = money.get(family, 0.0) + sum(entry["usd"] or 0.0 for entry in entries)
    loops = g.loops()
    shown = set(sorted(money, key=lambda family: (-money[family], family))[:OVERVIEW_FAMILIES])
    for loop in loops:  # best first: the families of the best loops join, up to the bound
        if len(shown | set(loop.families)) > OVERVIEW_BOUND:
            break
        shown |= set(loop.families)
    names = {family: g.entity(family).name for family in shown}
    picture = nx.DiGraph()
    picture.add_nodes_from(shown)
    picture.add_edges_from(pair for pair in flows if set(pair) <= shown)
    positions = overview_positions(picture, names)
    # Blocs need every tie measured and a community search: worth it for a curated graph, not a bulk one.
    blocs = g.alliances() if len(g.deals()) <= BLOCS_UP_TO_DEALS else []
    bloc_of = {member: i for i, bloc in enumerate(blocs) for member in bloc.members}
    products = {}
    for entity in g.entities():
        if entity.is_product and entity.maker:
            products.setdefault(heads[entity.maker], []).append(entity.id)
    families = []
    for family in sorted(shown):
        head = g.entity(family)
        color, shape = ENTITY_STYLES[_primary_kind(head)]
        years = [entry["year"] for pair, entries in flows.items() if family in pair for entry in entries]
        x, y = positions[family]
        members = sorted(g.family(family) - {family}) + sorted(products.get(family, ()))
        families.append({"id": f"family:{family}", "head": family, "members": members, "year": min(years),
                         "bloc": bloc_of.get(family), "money": money.get(family, 0.0),
                         "vis": {"id": f"family:{family}", "label": names[family], "shape": shape, "color": color,
                                 "x": x, "y": y, "size": NODE_RADIUS, "font": {"size": LABEL_FONT_PX},
                                 "title": f"{names[family]}: {len(members)} subsidiaries and products"}})
    flow_edges = []
    for (payer, payee), entries in sorted(flows.items()):
        if not {payer, payee} <= shown:
            continue
        bought = max(sorted({e["buys"] for e in entries}), key=lambda b: sum(e["usd"] or 0 for e in entries if e["buys"] == b))
        color, style = FLOW_STYLES.get(bought, ("#777777", "solid"))
        flow_edges.append({"id": f"flow:{payer}>{payee}", "from": f"family:{payer}", "to": f"family:{payee}",
                           "flows": entries, "color": color, "dashes": _DASHES[style], "buys": bought,
                           "arrows": "to"})
    loop_rows = [{"families": list(loop.families), "year": loop.closed_on.year, "score": loop.score,
                  "circulating": format_usd(loop.circulating_usd),
                  "steps": [{"payer": step.payer, "payee": step.payee, "amount": str(step.amount),
                             "buys": list(step.exchanges),
                             "deals": [{"id": d, "title": g.deal(d).title, "sources": _sources(g, g.deal(d).sources)}
                                       for d in step.deals]}
                            for step in loop.steps]}
                 for loop in loops]
    flow_kinds = [{"key": key, "label": key, "color": color, "symbol": _LINES[style]}
                  for key, (color, style) in FLOW_STYLES.items()]
    return {"families": families, "flowEdges": flow_edges, "loops": loop_rows, "flowKinds": flow_kinds,
            "blocColors": BLOC_COLORS if blocs else []}


def view_payload(g: KnowledgeGraph, overview: bool = True) -> dict:
    """Everything the page draws, as plain data: nodes with their stored positions, edges, profiles,
    the families' overview (when ``overview``), filters and options."""
    vocabulary = load_vocabulary()
    heads = family_heads(g)
    positions = full_positions(g, heads)
    first_year = _first_years(g)
    entities, deals = [], []
    # pyvis's Node builds each node's vis-network options; its Network class is left out because it
    # checks every new node against a list of all the others, which is quadratic in the graph's size.
    for entity in g.entities():
        kind = _primary_kind(entity)
        color, shape = ENTITY_STYLES[kind]
        node = Node(entity.id, shape, entity.name, title=f"{entity.name} ({', '.join(entity.kinds)})", color=color,
                    size=16 if not entity.is_product else 11, x=positions[entity.id][0], y=positions[entity.id][1])
        entities.append({"id": entity.id, "kinds": list(entity.kinds), "names": [entity.name, *entity.aliases],
                         "family": heads[entity.id], "year": first_year.get(entity.id),
                         "profile": _entity_profile(entity, g), "vis": node.options})
    for deal in g.deals():
        size = 6 + 2 * math.log10(max(deal.amount_usd or 1e6, 1e6) / 1e6)
        node = Node(deal.id, "diamond", _deal_label(deal), title=f"{deal.title}\n{describe_amount(deal.amount)}, {deal.status}",
                    color=DEAL_COLORS[deal.kind], size=round(size, 2), font={"size": 11},
                    x=positions[deal.id][0], y=positions[deal.id][1])
        deals.append({"id": deal.id, "kind": deal.kind, "year": deal.announced_on.year,
                      "parties": list(deal.party_ids), "products": list(deal.products),
                      "profile": _deal_profile(deal, g), "vis": node.options})

    party_edges, direct_edges, structure_edges = [], [], []
    roles = vocabulary.roles
    for deal in g.deals():
        color, style = DEAL_STYLES[deal.kind]
        width, dashes = _width(deal.amount_usd), _DASHES[style]
        for role, parties in deal.parties.items():
            for party in parties:
                ends = (deal.id, party) if roles[role].flow == "in" else (party, deal.id)
                party_edges.append({"id": f"{deal.id}|{role}|{party}", "from": ends[0], "to": ends[1], "deal": deal.id,
                                    "color": color, "dashes": dashes, "width": width, "title": role, "arrows": "to"})
        payers, receivers = vocabulary.money_sides(deal.parties)
        partners = list(deal.parties.get("partner", ()))
        pairs = [(a, b) for a in payers for b in receivers]
        pairs += [(a, b) for i, a in enumerate(partners) for b in partners[i + 1:]]
        for source, target in pairs:
            direct_edges.append({"id": f"{deal.id}|{source}|{target}", "from": source, "to": target, "deal": deal.id,
                                 "color": color, "dashes": dashes, "width": width,
                                 "title": f"{deal.title} ({describe_amount(deal.amount)})",
                                 "arrows": "to" if source in payers else ""})
        for product in deal.products:
            structure_edges.append({"id": f"{deal.id}|product|{product}", "from": deal.id, "to": product, "deal": deal.id,
                                    "color": "#bbbbbb", "dashes": True, "title": "product"})
        if deal.part_of:
            structure_edges.append({"id": f"{deal.id}|part_of", "from": deal.id, "to": deal.part_of, "deal": deal.id,
                                    "color": "#bbbbbb", "dashes": True, "title": "part of"})
    for entity in g.entities():
        if entity.parent:
            structure_edges.append({"id": f"{entity.id}|parent", "from": entity.id, "to": entity.parent,
                                    "color": "#999999", "dashes": True, "title": "parent", "arrows": "to",
                                    "since": entity.parent_since.year if entity.parent_since else None,
                                    "until": entity.parent_until.year if entity.parent_until else None})
        if entity.maker:
            structure_edges.append({"id": f"{entity.id}|maker", "from": entity.id, "to": entity.maker,
                                    "color": "#999999", "dashes": True, "title": "maker", "arrows": "to",
                                    "since": first_year.get(entity.id)})

    years = [deal.announced_on.year for deal in g.deals()] or [2026]
    options = {
        "physics": {"enabled": False, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90},
                    "stabilization": {"enabled": False}},
        "layout": {"improvedLayout": False, "randomSeed": 0},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": len(deals) > 500},
        "edges": {"smooth": False},
        "nodes": {"font": {"size": 14}},
    }
    entity_kinds = [{"key": kind, "label": kind, "color": ENTITY_STYLES[kind][0],
                     "symbol": _SYMBOLS[ENTITY_STYLES[kind][1]]} for kind in vocabulary.entity_kinds]
    deal_kinds = [{"key": kind, "label": kind, "color": color, "symbol": _LINES[style]}
                  for kind, (color, style) in DEAL_STYLES.items()]
    payload = {"entities": entities, "deals": deals, "partyEdges": party_edges, "directEdges": direct_edges,
               "structureEdges": structure_edges, "options": options, "entityKinds": entity_kinds,
               "dealKinds": deal_kinds, "years": [min(years), max(years)],
               "counts": _counts_by_year(g, first_year, max(years)),
               "startMode": "families" if overview else "deals",
               "labelBox": {"characterWidth": CHARACTER_WIDTH, "margin": LABEL_MARGIN, "nodeRadius": NODE_RADIUS}}
    payload.update(_overview(g, heads) if overview else
                   {"families": [], "flowEdges": [], "loops": [], "flowKinds": [], "blocColors": BLOC_COLORS})
    return payload


def generate_html(g: KnowledgeGraph, title: str = "AI Industry Knowledge Graph", overview: bool = True) -> str:
    """The graph as one self-contained HTML page, opening on the families' overview (unless not
    ``overview``: then on the organizations and deals, as for one entity's neighbourhood)."""
    template = resources.files("kg.exporters").joinpath("view.html").read_text(encoding="utf-8")
    vis_js = _VIS_JS.read_text(encoding="utf-8").replace("</script", "<\\/script")
    values = {"TITLE": escape(title), "DATA": _script_safe_json(view_payload(g, overview)), "VIS_JS": vis_js}
    # One pass over the template: text substituted in is never searched for placeholders again.
    return re.sub(r"__(TITLE|DATA|VIS_JS)__", lambda match: values[match.group(1)], template)
