"""Facts in time: an entity's timeline, and figures that sources report differently."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.analysis.families import family_deals
from kg.analysis.table import Record, Table
from kg.model import format_partial_date

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


@dataclass(frozen=True)
class Event(Record):
    """One dated fact about an entity: a deal or a valuation."""

    date: dt.date
    precision: str
    kind: str
    id: str
    title: str
    amount_usd: float | None
    qualifier: str | None
    status: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Claim(Record):
    """One source's version of a disputed figure."""

    record: str
    amount_usd: float | None
    qualifier: str | None
    detail: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Conflict(Record):
    """A figure that different sources report differently."""

    subject: str
    topic: str
    claims: tuple[Claim, ...]


def timeline(g: KnowledgeGraph, entity: str) -> Table:
    """Every dated fact about an entity: its family's deals and its valuations, oldest first. O(k log k)
    in the family's k deals and the entity's valuations.

    >>> import kg
    >>> [e.id for e in timeline(kg.load(), "Annapurna Labs")]
    ['amazon-annapurna-labs-2015']
    """
    record = g.entity(entity)
    deals = g.deals(product=record.id) if record.is_product else family_deals(g, record.id)
    events = [Event(d.announced_on, d.announced_precision, d.kind, d.id, d.title, d.amount_usd,
                    d.amount_qualifier, d.status, d.sources) for d in deals]
    if not record.is_product:
        events += [Event(v.date, v.date_precision, "valuation", v.id,
                         f"valued {v.basis or ''}".strip(), v.amount_usd, v.amount.qualifier, v.status, v.sources)
                   for v in g.valuations(record.id)]
    return Table(sorted(events, key=lambda e: (e.date, e.kind != "valuation", e.id)))


def conflicts(g: KnowledgeGraph) -> Table:
    """Figures that sources report differently, each claim with its own sources.

    Records linked as one contract come first: a record and its alternatives (``alternative_of``: sources
    that report the contract's figures differently) under the topic ``alternatives of ID``, and a record
    and the records that revise it (``supersedes``) under ``revisions of ID``; only the record that counts
    is ever summed. Then, among unlinked records, two valuations of one organization disagree when they
    name the same deal, or the same day with no deal, and state different amounts; two deals disagree
    when they have the same kind, parties and announcement date but different amounts (link them, or
    ``aikg validate`` warns). O(V log V + D log D) on the first call; later calls on the same graph read
    the answer back.

    >>> import kg
    >>> [[claim.amount_usd for claim in c.claims] for c in conflicts(kg.load()) if c.topic == "amazon-anthropic-2026-04"]
    [[350000000000.0, 380000000000.0]]
    """
    return Table(g.kept("conflicts", lambda: _find_conflicts(g)))


def _find_conflicts(g: KnowledgeGraph) -> list[Conflict]:
    groups: dict[tuple[str, str], list] = defaultdict(list)
    figures: dict[str, tuple] = {}
    linked: dict[tuple[str, str], list] = defaultdict(list)
    known = {deal.id for deal in g.deals()}
    for deal in g.deals():
        for relation, topic in (("alternative_of", "alternatives of"), ("supersedes", "revisions of")):
            if (other := getattr(deal, relation)) is not None and other in known:
                root = g.deal(other)
                group = linked[(root.party_ids[0], f"{topic} {root.id}")]
                group += [claim for claim in (_deal_claim(root), _deal_claim(deal)) if claim not in group]
    in_links = {claim.record for claims in linked.values() for claim in claims}
    for valuation in g.dataset.valuations:
        topic = valuation.deal or format_partial_date(valuation.date, valuation.date_precision)
        groups[(valuation.entity, topic)].append(Claim(valuation.id, valuation.amount_usd, valuation.amount.qualifier,
                                                       valuation.basis, valuation.sources))
        figures[valuation.id] = (valuation.amount,)
    for deal in g.deals():
        if deal.part_of or g.tranches(deal.id) or deal.id in in_links:
            continue
        parties = ",".join(f"{role}={'+'.join(sorted(ids))}" for role, ids in sorted(deal.parties.items()))
        topic = f"{deal.kind} {parties} {format_partial_date(deal.announced_on, deal.announced_precision)}"
        groups[(deal.party_ids[0], topic)].append(_deal_claim(deal))
        figures[deal.id] = (deal.amount, deal.power, deal.chips, deal.customers)
    bases = {valuation.id: valuation.basis for valuation in g.dataset.valuations}
    contingent = {deal.id for deal in g.deals() if deal.status == "contingent"}

    def disagree(first: Claim, second: Claim) -> bool:
        # A pre-money and a post-money figure of one round differ by design, and so do money promised now
        # and money that depends on conditions; an unstated basis may be either.
        one, other = bases.get(first.record), bases.get(second.record)
        comparable = (one is None or other is None or one == other) and \
            ((first.record in contingent) == (second.record in contingent))
        return comparable and figures[first.record] != figures[second.record]

    records = [Conflict(subject, topic, tuple(claims)) for (subject, topic), claims in sorted(linked.items())]
    for (subject, topic), claims in sorted(groups.items()):
        disputed = {claim for claim in claims for other in claims if disagree(claim, other)}
        if disputed:
            records.append(Conflict(subject, topic, tuple(sorted(disputed, key=lambda c: (c.amount_usd or 0, c.record)))))
    return records


def _deal_claim(deal) -> Claim:
    return Claim(deal.id, deal.amount_usd, deal.amount_qualifier, deal.title, deal.sources)
