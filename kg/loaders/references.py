"""Reference checks shared by the data folder's readers: every id a record names exists and is of the
right type, structure does not loop, and no two records state the same deal."""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain
from operator import attrgetter

from kg.model import Dataset, Deal, period_end
from kg.errors import shown
from kg.suggest import did_you_mean

Finding = tuple[str, "str | None", str, "str | None"]
"""A problem before it is placed: the record's id, the field (None for the whole record), the message
and the hint."""


def reference_findings(dataset: Dataset, unloaded: set[str] = frozenset()) -> list[Finding]:
    """Every id a record names must exist and be of the right type; structure must not loop.

    ``unloaded`` holds the ids of records that failed to load: references to them are not reported
    again, as those records have had their own problems reported.
    """
    organizations = {e.id for e in dataset.entities if not e.is_product}
    products = {e.id for e in dataset.entities if e.is_product}
    deals = {d.id: d for d in dataset.deals}
    findings: list[Finding] = []
    every = organizations | products | set(deals) | {v.id for v in dataset.valuations} | set(dataset.sources)

    def expect(owner: str, key: str, reference: str, allowed: set[str] | dict, what: str) -> None:
        if reference in allowed or reference in unloaded:
            return
        if reference in every:
            findings.append((owner, key, f"{key} {shown(reference)} is not {what}", None))
        else:
            findings.append((owner, key, f"{key} refers to unknown id {shown(reference)}",
                             did_you_mean(reference, allowed) or f"add {what} with id {shown(reference)}, or fix the id"))

    def sourced(owner: str, source_ids: tuple[str, ...]) -> None:
        for source in source_ids:
            expect(owner, "sources", source, dataset.sources, "a source")

    for entity in () if _entity_references_hold(dataset, organizations) else dataset.entities:
        if entity.parent:
            expect(entity.id, "parent", entity.parent, organizations, "an organization")
        if entity.maker:
            expect(entity.id, "maker", entity.maker, organizations, "an organization")
        sourced(entity.id, entity.sources)
    named: dict[str, str] = {}
    for entity in dataset.entities:
        for name in dict.fromkeys(n.casefold() for n in (entity.id, entity.name, *entity.aliases)):
            other = named.setdefault(name, entity.id)
            if other != entity.id:
                findings.append((entity.id, None, f"the name {name!r} is also {other!r}'s, so lookups by it are ambiguous",
                                 "merge the two records if they are one organization, else drop the alias"))
    parents = {e.id: e.parent for e in dataset.entities if e.parent}
    for start in parents:
        seen, current = {start}, parents.get(start)
        while current is not None:
            if current == start:
                findings.append((start, "parent", "parent organizations form a loop",
                                 "an organization cannot own itself, even through others"))
                break
            if current in seen:
                break
            seen.add(current)
            current = parents.get(current)
    for deal in () if _deal_references_hold(dataset, organizations, products, deals) else dataset.deals:
        for ids in deal.parties.values():
            for party in ids:
                expect(deal.id, "parties", party, organizations, "an organization")
        for product in deal.products:
            expect(deal.id, "products", product, products, "a product")
        for key in ("supersedes", "alternative_of"):
            other = getattr(deal, key)
            if other:
                expect(deal.id, key, other, deals, "a deal")
                if other == deal.id:
                    findings.append((deal.id, key, f"a record cannot name itself in {key}", None))
                elif other in deals and getattr(deals[other], key) == deal.id:
                    findings.append((deal.id, key, f"{deal.id!r} and {other!r} name each other in {key}",
                                     "the link runs one way: from the later or alternative record"))
        if deal.part_of:
            expect(deal.id, "part_of", deal.part_of, deals, "a deal")
            umbrella = deals.get(deal.part_of)
            if umbrella is not None and umbrella.part_of is not None:
                findings.append((deal.id, "part_of", f"part_of {deal.part_of!r} is itself a tranche of {umbrella.part_of!r}",
                                 "link tranches to the top umbrella agreement"))
        if not deal.sources:
            findings.append((deal.id, None, "a deal needs at least one source", "add sources: [source-id]"))
        sourced(deal.id, deal.sources)
    seen_deals: dict[tuple, str] = {}
    amounts = [amount and amount.value for amount in map(attrgetter("amount"), dataset.deals)]
    cheap_keys = list(zip(map(attrgetter("kind"), dataset.deals), map(attrgetter("announced_on"), dataset.deals), amounts))
    alike = Counter(cheap_keys)
    for deal, cheap_key in zip(dataset.deals, cheap_keys):
        if alike[cheap_key] == 1:
            continue  # no other deal shares even its kind, date and amount
        key = (deal.kind, tuple(sorted((role, tuple(sorted(ids))) for role, ids in deal.parties.items())),
               deal.announced_on, deal.announced_precision, deal.amount, deal.power, deal.chips, deal.customers)
        first = seen_deals.setdefault(key, deal.id)
        if first != deal.id and deal.part_of != first and deals[first].part_of != deal.id:
            findings.append((deal.id, None, f"same kind, parties, date and figures as {first!r}: a duplicate?",
                             "merge the two records, keeping the sources of both"))
    findings += _link_findings(deals)
    findings += _ownership_findings(dataset)
    for valuation in dataset.valuations:
        expect(valuation.id, "entity", valuation.entity, organizations, "an organization")
        if valuation.deal:
            expect(valuation.id, "deal", valuation.deal, deals, "a deal")
        sourced(valuation.id, valuation.sources)
    findings += _shared_url_findings(dataset)
    findings += _prose_id_findings(dataset, organizations, every)
    return findings


def _shared_url_findings(dataset: Dataset) -> list[Finding]:
    """One document, one source: two sources with one URL (a trailing slash aside) are one too many."""
    first_with: dict[str, str] = {}
    findings: list[Finding] = []
    for source in dataset.sources.values():
        if source.url is None:
            continue
        first = first_with.setdefault(source.url.rstrip("/"), source.id)
        if first != source.id:
            findings.append((source.id, "url", f"the same document as source {first!r}",
                             f"cite {first!r} wherever {source.id!r} is cited, and remove {source.id!r}"))
    return findings


_ID_LIKE = re.compile(r"(?<![\w.])[a-z0-9]+(?:-[a-z0-9]+){2,}(?![\w-])")


def _prose_id_findings(dataset: Dataset, organizations: set[str], every: set[str]) -> list[Finding]:
    """A note, condition or description that names a record by an id must name one that exists: an
    id-shaped word of three parts or more, with a digit, that begins with an organization's id and a
    hyphen (like ``openai-oracle-2025-07``) and is no record's id is a stale or mistyped reference."""
    findings: list[Finding] = []
    texts = [(deal.id, key, getattr(deal, key)) for deal in dataset.deals for key in ("notes", "conditions")]
    texts += [(valuation.id, "notes", valuation.notes) for valuation in dataset.valuations]
    texts += [(entity.id, "description", entity.description) for entity in dataset.entities]
    for owner, key, text in texts:
        for word in _ID_LIKE.findall(text or ""):
            parts = word.split("-")
            if word not in every and any(c.isdigit() for c in word) and any("-".join(parts[:n]) in organizations for n in range(1, len(parts))):
                findings.append((owner, key, f"{key} name {shown(word)}, which is no record's id",
                                 did_you_mean(word, every) or "name an existing record, or say it in words"))
    return findings


def _entity_references_hold(dataset: Dataset, organizations: set[str]) -> bool:
    """Whether every entity names a known parent, maker and sources, checked set-wise as
    :func:`_deal_references_hold` checks deals."""
    entities = dataset.entities
    owners = (set(map(attrgetter("parent"), entities)) | set(map(attrgetter("maker"), entities))) - {None}
    return owners <= organizations and set(chain.from_iterable(map(attrgetter("sources"), entities))) <= dataset.sources.keys()


def _deal_references_hold(dataset: Dataset, organizations: set[str], products: set[str], deals: dict[str, Deal]) -> bool:
    """Whether every deal cites a source, and names known parties, products, sources and a top-level
    umbrella, and any record it supersedes or is an alternative of: checked set-wise, so that a sound
    bulk load need not look at each reference in turn."""
    flat = chain.from_iterable
    if any(deal.supersedes or deal.alternative_of for deal in dataset.deals):
        return False  # few records link so: look at each
    umbrellas = set(map(attrgetter("part_of"), dataset.deals)) - {None}
    sources = list(map(attrgetter("sources"), dataset.deals))
    return (set(flat(flat(map(dict.values, map(attrgetter("parties"), dataset.deals))))) <= organizations
            and set(flat(map(attrgetter("products"), dataset.deals))) <= products
            and all(umbrella in deals and deals[umbrella].part_of is None for umbrella in umbrellas)
            and all(sources) and set(flat(sources)) <= dataset.sources.keys())


def _link_findings(deals: dict[str, Deal]) -> list[Finding]:
    """What cannot be: a record that supersedes a later one, and a link to a record that does not count
    itself (an alternative of an alternative, a revision of a superseded record)."""
    findings: list[Finding] = []
    superseded = {deal.supersedes for deal in deals.values() if deal.supersedes}
    for deal in deals.values():
        earlier = deals.get(deal.supersedes) if deal.supersedes else None
        if earlier is not None and earlier.announced_on > deal.announced_on:
            findings.append((deal.id, "supersedes", f"it supersedes {earlier.id}, which is dated later "
                             f"({earlier.announced_on} after {deal.announced_on})",
                             "the later record supersedes the earlier: move the link"))
        counted = deals.get(deal.alternative_of) if deal.alternative_of else None
        if counted is not None and (counted.alternative_of or counted.id in superseded):
            findings.append((deal.id, "alternative_of", f"{counted.id} does not count itself",
                             f"name the record that counts: {counted.alternative_of or 'the record that supersedes it'}"))
    return findings


def _ownership_findings(dataset: Dataset) -> list[Finding]:
    """What cannot be: an organization owned by its acquirer before the completed acquisition that made
    it so was even announced."""
    findings: list[Finding] = []
    acquired = {(party, acquirer): deal for deal in dataset.deals if deal.kind in ("acquisition", "stock-acquisition")
                and deal.status == "completed"
                for party in deal.parties.get("acquiree", ()) for acquirer in deal.parties.get("acquirer", ())}
    for entity in dataset.entities:
        deal = acquired.get((entity.id, entity.parent))
        if deal is not None and entity.parent_since is not None and \
                period_end(entity.parent_since, entity.parent_since_precision) < deal.announced_on:
            findings.append((entity.id, "parent_since", f"parent_since {entity.parent_since} comes before "
                             f"{deal.id}, the acquisition that made {entity.parent} its parent ({deal.announced_on})",
                             "date the relation from the acquisition's closing"))
    return findings
