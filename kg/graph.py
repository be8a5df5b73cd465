"""The knowledge graph: entities and deals as a networkx graph, with the questions people ask of it.

A deal is a node of its own (an n-ary relation). Each party links to it by an edge carrying its role:
from the party to the deal for a paying role (investor, customer, acquirer, licensee) and for
partners, from the deal to the party for a receiving role (investee, provider, acquiree, licensor),
so that money flows along the edges.

Examples
--------
>>> import kg
>>> g = kg.load()
>>> g.entity("AWS").parent
'amazon'
>>> g.total_invested("Amazon", "Anthropic")
Total(known_usd=13000000000.0, undisclosed=0, shared=0)
>>> str(g.total_invested("Amazon", "Anthropic", include_contingent=True))
'$33.0B'
>>> g.as_of("2025-12-31").total_invested("amazon", "anthropic").known_usd
8000000000.0
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import cached_property

import networkx as nx

from kg.errors import UnknownEntityError
from kg.suggest import nearest
from kg.model import Dataset, Deal, Entity, Source, Total, Valuation, parse_partial_date, period_end
from kg.vocabulary import load_vocabulary



def _cutoff(date: dt.date | str) -> dt.date:
    """The last day a date names: ``"2025"`` is 2025-12-31, ``"2025-06"`` is 2025-06-30."""
    if isinstance(date, dt.datetime):
        return date.date()
    if isinstance(date, dt.date):
        return date
    return period_end(*parse_partial_date(str(date)))


class KnowledgeGraph:
    """Entities, deals, valuations and sources, and the networkx graph built from them.

    Build one with :func:`kg.load`. ``graph`` is a :class:`networkx.MultiDiGraph` whose nodes are
    entity ids (``type`` ``"entity"``), deal ids (``type`` ``"deal"``) and valuation ids (``type``
    ``"valuation"``), each with its record's fields as attributes (lists as the record's tuples).
    Edges carry a ``relation`` (``"party"`` with its ``role``, ``"parent"``, ``"maker"``, ``"product"``,
    ``"part_of"``, ``"supersedes"``, ``"alternative_of"``, ``"valuation_of"``, ``"valued_in"``); a
    ``"parent"`` edge carries the relation's ``since`` and ``until`` dates (None where not known), each
    with its ``_precision``.

    Every method that takes an entity accepts its id, name or alias, in any case.
    """

    def __init__(self, dataset: Dataset, on: dt.date | None = None) -> None:
        self.dataset = dataset
        self.on = on
        """The date the graph is as of (:meth:`as_of`), or None for today: ownership is that date's."""
        self.sources: dict[str, Source] = dict(dataset.sources)
        self._entities = {entity.id: entity for entity in dataset.entities}
        self._deals = {deal.id: deal for deal in dataset.deals}
        self._valuations = {valuation.id: valuation for valuation in dataset.valuations}
        self.graph = self._build_graph()
        self.memo: dict = {}
        """Answers the questions of :mod:`kg.analysis` keep for the next call, by their arguments. The
        graph's facts never change after it is built (``as_of`` makes a new graph), so none goes stale."""

    def kept(self, key, compute):
        """What :attr:`memo` holds under ``key``, computed by ``compute()`` the first time it is asked for.

        >>> import kg
        >>> g = kg.load()
        >>> g.kept("answer", lambda: 42), g.kept("answer", lambda: 0)
        (42, 42)
        """
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    # The indexes below are built on first use: a bulk load that goes straight to an export needs none.

    @cached_property
    def _names(self) -> dict[str, str]:
        """Entity ids by id, name and alias, casefolded."""
        names: dict[str, str] = {}
        for entity in self._entities.values():
            for name in (entity.id, entity.name, *entity.aliases):
                names.setdefault(name.casefold(), entity.id)
        return names

    @cached_property
    def _parents(self) -> dict[str, str]:
        """The parent in effect on the graph's date (:attr:`on`, else today) of each owned organization."""
        return {entity.id: parent for entity in self._entities.values()
                if entity.parent and (parent := entity.parent_on(self.on))}

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        """The ids of the organizations each one owns directly, on the graph's date."""
        children: dict[str, list[str]] = {}
        for child, parent in self._parents.items():
            children.setdefault(parent, []).append(child)
        return children

    @cached_property
    def _deals_by_date(self) -> list[Deal]:
        """Every deal, oldest first (ties by id)."""
        return sorted(self._deals.values(), key=lambda d: (d.announced_on, d.id))

    @cached_property
    def _tranches(self) -> dict[str, list[str]]:
        """The ids of each umbrella agreement's tranches, by date."""
        tranches: dict[str, list[str]] = {}
        for deal in self._deals_by_date:
            if deal.part_of:
                tranches.setdefault(deal.part_of, []).append(deal.id)
        return tranches

    @cached_property
    def _deals_of(self) -> dict[str, list[Deal]]:
        """The deals of each party and product, by date."""
        deals_of: dict[str, list[Deal]] = {}
        for deal in self._deals_by_date:
            for member in (*deal.party_ids, *deal.products):
                deals_of.setdefault(member, []).append(deal)
        return deals_of

    @cached_property
    def _valuations_of(self) -> dict[str, list[Valuation]]:
        """The valuations of each organization, oldest first (ties by id)."""
        valuations_of: dict[str, list[Valuation]] = {}
        for valuation in sorted(self._valuations.values(), key=lambda v: (v.date, v.id)):
            valuations_of.setdefault(valuation.entity, []).append(valuation)
        return valuations_of

    def __eq__(self, other: object) -> bool:
        """Two graphs are equal when they state the same facts, whatever their order."""
        if not isinstance(other, KnowledgeGraph):
            return NotImplemented
        return self.dataset.canonical() == other.dataset.canonical()

    __hash__ = None  # mutable-looking container semantics: equal graphs need not hash alike

    def __repr__(self) -> str:
        return f"<KnowledgeGraph: {len(self._entities)} entities, {len(self._deals)} deals, " \
               f"{len(self._valuations)} valuations, {len(self.sources)} sources>"

    def _build_graph(self) -> nx.MultiDiGraph:
        flows_in = {role for role, definition in load_vocabulary().roles.items() if definition.flow == "in"}
        nodes: dict[str, dict] = {}
        edges: list[tuple[str, str, str, dict]] = []
        for entity in self._entities.values():
            nodes[entity.id] = _entity_attributes(entity)
            if entity.parent:
                edges.append((entity.id, entity.parent, "parent", {
                    "relation": "parent", "since": entity.parent_since, "since_precision": entity.parent_since_precision,
                    "until": entity.parent_until, "until_precision": entity.parent_until_precision}))
            if entity.maker:
                edges.append((entity.id, entity.maker, "maker", {"relation": "maker"}))
        for deal in self._deals.values():
            identifier = deal.id
            nodes[identifier] = _deal_attributes(deal)
            for role, parties in deal.parties.items():
                inward = role in flows_in
                for party in parties:
                    data = {"relation": "party", "role": role}
                    edges.append((identifier, party, role, data) if inward else (party, identifier, role, data))
            for product in deal.products:
                edges.append((deal.id, product, "product", {"relation": "product"}))
            for relation in ("part_of", "supersedes", "alternative_of"):
                if (other := getattr(deal, relation)) is not None:
                    edges.append((deal.id, other, relation, {"relation": relation}))
        for valuation in self._valuations.values():
            nodes[valuation.id] = _valuation_attributes(valuation)
            edges.append((valuation.id, valuation.entity, "valuation_of", {"relation": "valuation_of"}))
            if valuation.deal:
                edges.append((valuation.id, valuation.deal, "valued_in", {"relation": "valued_in"}))
        return _multidigraph(nodes, edges)

    # --- entities --------------------------------------------------------------------------------

    def entity(self, reference: str) -> Entity:
        """The entity with this id, name or alias, in any case.

        Raises
        ------
        UnknownEntityError
            With the nearest names as suggestions.

        Examples
        --------
        >>> import kg
        >>> kg.load().entity("aws").name
        'Amazon Web Services'
        """
        identifier = self._names.get(str(reference).casefold())
        if identifier is None:
            names = {}
            for entity in self._entities.values():
                for name in (entity.id, entity.name, *entity.aliases):
                    names[name.casefold()] = entity.name
            close = nearest(str(reference).casefold(), names)
            raise UnknownEntityError(str(reference), list(dict.fromkeys(names[c] for c in close)))
        return self._entities[identifier]

    def entities(self, kind: str | None = None) -> list[Entity]:
        """Every entity, or those of one kind (``ai-lab``, ``chip``, ...), by id.

        Raises
        ------
        ValueError
            For a kind the ontology does not define.
        """
        if kind is not None and kind not in load_vocabulary().entity_kinds:
            raise ValueError(f"unknown entity kind {kind!r}; use one of: {', '.join(sorted(load_vocabulary().entity_kinds))}")
        return [e for _, e in sorted(self._entities.items()) if kind is None or kind in e.kinds]

    def parent_of(self, reference: str) -> str | None:
        """The id of the organization that owns this one on the graph's date, or None.

        >>> import kg
        >>> g = kg.load()
        >>> g.parent_of("xAI"), g.as_of("2024-12-31").parent_of("xAI")
        ('spacex', None)
        """
        return self._parents.get(self.entity(reference).id)

    def family_head(self, reference: str) -> str:
        """The top-most owner of an entity on the graph's date (the entity itself when nobody owns it).

        >>> import kg
        >>> kg.load().family_head("AWS")
        'amazon'
        """
        current = self.entity(reference).id
        seen = {current}
        while (parent := self._parents.get(current)) is not None and parent not in seen:
            seen.add(parent)
            current = parent
        return current

    def family(self, reference: str) -> set[str]:
        """The ids of an organization and of everything it owns on the graph's date, directly or through
        others.

        >>> import kg
        >>> sorted(kg.load().family("Amazon"))
        ['amazon', 'amazon-web-services', 'annapurna-labs']
        """
        root = self.entity(reference).id
        members, stack = {root}, [root]
        while stack:
            for child in self._children.get(stack.pop(), ()):
                if child not in members:
                    members.add(child)
                    stack.append(child)
        return members

    # --- deals -----------------------------------------------------------------------------------

    def deal(self, identifier: str) -> Deal:
        """The deal with this id.

        Raises
        ------
        KeyError
            When no deal has it.
        """
        try:
            return self._deals[identifier]
        except KeyError:
            close = nearest(identifier, self._deals)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            raise KeyError(f"no deal has the id {identifier!r}{hint}") from None

    def deals(
        self,
        party: str | None = None,
        kind: str | None = None,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        product: str | None = None,
    ) -> list[Deal]:
        """Deals, oldest first, optionally of one party, of one kind, within dates (inclusive), and
        involving one product. O(D), or O(deals of the party or product) when one is given.

        ``since`` and ``until`` take a date or ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``; ``until="2025"``
        includes all of 2025. A deal is placed at the first day of its announcement's period.

        Examples
        --------
        >>> import kg
        >>> [d.id for d in kg.load().deals(party="Anthropic", kind="compute-commitment", since="2026", until="2026-04")]
        ['anthropic-google-broadcom-2026-04-compute', 'anthropic-aws-2026-04-compute']
        """
        if kind is not None and kind not in load_vocabulary().deal_kinds:
            raise ValueError(f"unknown deal kind {kind!r}; use one of: {', '.join(sorted(load_vocabulary().deal_kinds))}")
        party_id = None if party is None else self.entity(party).id
        product_id = None if product is None else self.entity(product).id
        start = None if since is None else (since if isinstance(since, dt.date) else parse_partial_date(str(since))[0])
        end = None if until is None else _cutoff(until)
        candidates = self._deals_by_date if party_id is None and product_id is None else \
            self._deals_of.get(party_id if party_id is not None else product_id, [])
        return [  # the candidates are in date order already
            deal for deal in candidates
            if (party_id is None or party_id in deal.party_ids)
            and (kind is None or deal.kind == kind)
            and (start is None or deal.announced_on >= start)
            and (end is None or deal.announced_on <= end)
            and (product_id is None or product_id in deal.products)
        ]

    def tranches(self, deal: str) -> list[Deal]:
        """The deals that are tranches of an umbrella agreement, oldest first."""
        return sorted((self._deals[t] for t in self._tranches.get(self.deal(deal).id, ())),
                      key=lambda d: (d.announced_on, d.id))

    def total_invested(self, investor: str, investee: str, include_contingent: bool = False) -> Total:
        """US dollars an investor's corporate family put into an investee's family, as a :class:`Total`:
        the known sum and how many investments have no disclosed amount.

        Counts the investments (and vendor financing) of the investor's family alone into the investee's
        family that count (:func:`kg.flows.counting_deals`): committed ones, plus contingent ones when
        ``include_contingent``; an umbrella through its tranches only, never a superseded record or an
        alternative report. Funding rounds state what the round raised in all, not what each investor
        put in, and a commitment shared with investors of other families is the group's: neither is
        counted. Secondary sales are money to the sellers, not to the company: never counted.

        Complexity: O(k log k) over the k deals of the investee's family.

        Examples
        --------
        >>> import kg
        >>> g = kg.load()
        >>> g.total_invested("Google", "Anthropic")
        Total(known_usd=13300000000.0, undisclosed=0, shared=0)
        >>> str(g.total_invested("Google", "Anthropic", include_contingent=True))
        '$43.3B'
        """
        from kg.analysis import total_invested

        return total_invested(self, investor, investee, include_contingent)

    # --- valuations ------------------------------------------------------------------------------

    def valuations(self, entity: str) -> list[Valuation]:
        """Every valuation claim about an organization, oldest first; claims that disagree all stay. O(1)
        after a first call builds the index, O(V) once.

        Examples
        --------
        >>> import kg
        >>> [(str(v.date), v.amount_usd) for v in kg.load().valuations("Anthropic") if v.deal == "amazon-anthropic-2026-04"]
        [('2026-04-20', 350000000000.0), ('2026-04-20', 380000000000.0)]
        """
        return list(self._valuations_of.get(self.entity(entity).id, ()))

    # --- the questions of kg.analysis, as methods ---------------------------------------

    def flows(self, kind: str | None = None, as_of: dt.date | str | None = None, reading: str = "committed"):
        """Every value flow of the deals that count under a reading (as of a date, if given), oldest first;
        see :func:`kg.analysis.flows`."""
        from kg.analysis import flows

        return flows(self if as_of is None else self.as_of(as_of), kind, reading)

    def flow_graph(self, types=None, reading: str = "committed", principal_only: bool = True):
        """Flows between corporate families as a ``networkx.DiGraph``; see :func:`kg.analysis.flow_graph`."""
        from kg.analysis import flow_graph

        return flow_graph(self, types, reading, principal_only)

    def investors_of(self, entity: str):
        """Who funds an organization, and how much each put in; see :func:`kg.analysis.investors_of`."""
        from kg.analysis import investors_of

        return investors_of(self, entity)

    def investments_by(self, entity: str):
        """Where an organization invested; see :func:`kg.analysis.investments_by`."""
        from kg.analysis import investments_by

        return investments_by(self, entity)

    def allies(self, entity: str):
        """Closest allies by tie strength; see :func:`kg.analysis.allies`."""
        from kg.analysis import allies

        return allies(self, entity)

    def alliances(self, backend: str = "networkx"):
        """Blocs of families; see :func:`kg.analysis.alliances`."""
        from kg.analysis import alliances

        return alliances(self, backend)

    def path(self, source: str, target: str):
        """The shortest chain of deals and links between two entities; see :func:`kg.analysis.path`."""
        from kg.analysis import path

        return path(self, source, target)

    def loops(self, max_length: int = 5, reading: str = "committed", types=None, limit: int | None = None):
        """Loops of 2 to ``max_length`` families, scored; see :func:`kg.analysis.loops`."""
        from kg.analysis import loops

        return loops(self, max_length, reading, types, limit)

    def hubs(self, max_length: int = 5, reading: str = "committed", types=None):
        """Families ranked by the loops through them; see :func:`kg.analysis.hubs`."""
        from kg.analysis import hubs

        return hubs(self, max_length, reading, types)

    def circularity_index(self, max_length: int = 5, reading: str = "committed", types=None):
        """The share of money that returns to its payer; see :func:`kg.analysis.circularity_index`."""
        from kg.analysis import circularity_index

        return circularity_index(self, max_length, reading, types)

    def circularity_by_year(self, first: int = 2019, last: int | None = None, max_length: int = 5,
                            reading: str = "committed", types=None):
        """The circularity measures year by year; see :func:`kg.analysis.circularity_by_year`."""
        from kg.analysis import circularity_by_year

        return circularity_by_year(self, first, last, max_length, reading, types)

    def significance(self, runs: int = 1000, seed: int = 0, model: str = "degree", max_length: int = 5,
                     reading: str = "committed", types=None, families=None, workers: int | None = None):
        """The circularity measures against a null model; see :func:`kg.analysis.significance`."""
        from kg.analysis import significance

        return significance(self, runs, seed, model, max_length, reading, types, families, workers)

    def exposure(self, entity: str, shock="default", reading: str = "committed", max_order: int = 3):
        """Who is exposed if an entity's family fails or loses value; see :func:`kg.analysis.exposure`."""
        from kg.analysis import exposure

        return exposure(self, entity, shock, reading, max_order)

    def compute_secured(self, entity: str):
        """Compute commitments, and gigawatts by layer and qualifier; see :func:`kg.analysis.compute_secured`."""
        from kg.analysis import compute_secured

        return compute_secured(self, entity)

    def timeline(self, entity: str):
        """Every dated fact about an entity; see :func:`kg.analysis.timeline`."""
        from kg.analysis import timeline

        return timeline(self, entity)

    def view(self, entity: str | None = None, depth: int = 1, as_of=None, kinds=None):
        """An interactive HTML view of the graph or of an entity's neighbourhood; see :mod:`kg.view`."""
        from kg.view import make_view

        return make_view(self, entity, depth, as_of, kinds)

    def _repr_html_(self) -> str:
        return self.view()._repr_html_()

    def stats(self):
        """Counts by kind, status and year, and sourcing coverage; see :func:`kg.analysis.stats.stats`."""
        from kg.analysis.stats import stats

        return stats(self)

    def conflicts(self):
        """Figures reported differently by different sources; see :func:`kg.analysis.conflicts`."""
        from kg.analysis import conflicts

        return conflicts(self)

    # --- time ------------------------------------------------------------------------------------

    def as_of(self, date: dt.date | str) -> "KnowledgeGraph":
        """The graph as known on a date: deals and valuations dated on or before it, and the corporate
        structure of that date (a parent relation counts from its ``parent_since`` until its
        ``parent_until``), so that families, totals and flows are those of the date.

        ``date`` is a date or ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``; a month or a year means its last
        day. A fact dated only by month or year is placed at the first day of that period.

        Examples
        --------
        >>> import kg
        >>> kg.load().as_of("2023").total_invested("Amazon", "Anthropic").known_usd
        1250000000.0
        >>> kg.load().as_of("2024-12-31").parent_of("xAI") is None  # SpaceX bought it in February 2026
        True
        """
        end = _cutoff(date)
        deals = [d for d in self.dataset.deals if d.announced_on <= end]
        kept = {d.id for d in deals}
        deals += [self._deals[d.part_of] for d in deals if d.part_of and d.part_of not in kept]
        deals = list({d.id: d for d in deals}.values())
        kept = {d.id for d in deals}
        known = kept | {None}
        # A link to a record not yet known then does not hold then.
        deals = [d if d.supersedes in known and d.alternative_of in known
                 else replace(d, supersedes=d.supersedes if d.supersedes in kept else None,
                              alternative_of=d.alternative_of if d.alternative_of in kept else None)
                 for d in deals]
        valuations = [v for v in self.dataset.valuations if v.date <= end and (v.deal is None or v.deal in kept)]
        # Ownership as it stood then: a parent relation that had not begun, or had ended, is left out.
        entities = tuple(e if e.parent is None or e.parent_on(end) == e.parent
                         else replace(e, parent=None, parent_since=None, parent_since_precision="day",
                                      parent_until=None, parent_until_precision="day")
                         for e in self.dataset.entities)
        return KnowledgeGraph(Dataset(entities, tuple(deals), tuple(valuations), self.dataset.sources), end)


def _entity_attributes(entity: Entity) -> dict:
    """An entity node's attributes: its record's fields, lists as the record's tuples."""
    return {"type": "entity", "name": entity.name, "kinds": entity.kinds, "aliases": entity.aliases,
            "parent": entity.parent, "parent_since": entity.parent_since,
            "parent_since_precision": entity.parent_since_precision, "parent_until": entity.parent_until,
            "parent_until_precision": entity.parent_until_precision,
            "maker": entity.maker, "description": entity.description,
            "wikidata": entity.wikidata, "sources": entity.sources}


def _deal_attributes(deal: Deal) -> dict:
    """A deal node's attributes: its record's fields but the parties (which are its edges), its
    :meth:`~kg.model.Deal.figures`, and the date as a date with its ``date_precision``."""
    return {
        "type": "deal",
        "kind": deal.kind,
        "title": deal.title,
        "announced_on": deal.announced_on,
        "status": deal.status,
        **deal.figures(),
        "products": deal.products,
        "part_of": deal.part_of,
        "supersedes": deal.supersedes,
        "alternative_of": deal.alternative_of,
        "conditions": deal.conditions,
        "notes": deal.notes,
        "sources": deal.sources,
        "date_precision": deal.announced_precision,
    }


def _valuation_attributes(valuation: Valuation) -> dict:
    """A valuation node's attributes: its :meth:`~kg.model.Valuation.to_dict` but the id, with the date
    as a date and its ``date_precision``, and the sources as the record's tuple."""
    attributes = {"type": "valuation", **valuation.to_dict()}
    del attributes["id"]
    attributes.update(date=valuation.date, sources=valuation.sources, date_precision=valuation.date_precision)
    return attributes


def _multidigraph(nodes: dict[str, dict], edges: list[tuple[str, str, str, dict]]) -> nx.MultiDiGraph:
    """The graph that ``add_node(id, **attributes)`` for each node, then ``add_edge(u, v, key, **data)``
    for each edge, would build, filled in directly: networkx's per-call checks and cache clearing
    made those calls most of the load time at a million triples. This relies on networkx 3's layout
    (``_node``, ``_succ``, ``_pred``); a test compares the result with what those calls build.

    >>> g = _multidigraph({"a": {"type": "entity"}}, [("a", "b", "parent", {"relation": "parent"})])
    >>> sorted(g.nodes(data=True)), list(g.edges(keys=True, data=True))
    ([('a', {'type': 'entity'}), ('b', {})], [('a', 'b', 'parent', {'relation': 'parent'})])
    """
    graph = nx.MultiDiGraph()
    node, successors, predecessors = graph._node, graph._succ, graph._pred
    node.update(nodes)
    successors.update({identifier: {} for identifier in nodes})
    predecessors.update({identifier: {} for identifier in nodes})
    for start, end, key, data in edges:
        if start not in node or end not in node:
            for identifier in (start, end):
                if identifier not in node:  # an end no record describes, as add_edge would add it
                    node[identifier], successors[identifier], predecessors[identifier] = {}, {}, {}
        targets = successors[start]
        keys = targets.get(end)
        if keys is None:
            keys = targets[end] = predecessors[end][start] = {}
        keys[key] = data
    return graph
