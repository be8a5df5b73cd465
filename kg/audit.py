"""A sample of facts to re-check by hand, each with what the data states and the pages it cites.

Anyone can audit the data: draw a sample with a fixed seed, open each source, and tick the facts the
pages state exactly (parties, roles, kind, figures and their qualifiers, date, status). The same seed
on the same data draws the same sample, so an audit can be repeated and its result compared. With a
``baseline`` (an older copy of the data), only the facts added or changed since are drawn: the way to
review what a contribution adds.

A fact is a deal, a valuation, an organization's parent relation or a product's maker.

>>> import kg
>>> sample = audit_sample(kg.load(), size=3, seed=1)
>>> len(sample), all(fact.sources for fact in sample)
(3, True)
>>> sample == audit_sample(kg.load(), size=3, seed=1)
True
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from kg.humanize import describe_amount, describe_quantity
from kg.model import format_partial_date

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


@dataclass(frozen=True)
class Cited:
    """A source as a reviewer needs it: who, what, when, where."""

    id: str
    publisher: str
    title: str
    date: str | None
    url: str | None


@dataclass(frozen=True)
class Fact:
    """One fact to re-check: its ``record`` id and type, what the data ``states`` in one line, and its sources."""

    record: str
    type: str
    states: str
    sources: tuple[Cited, ...]


def facts(g: KnowledgeGraph) -> dict[str, Fact]:
    """Every fact of the graph that cites sources, by record id."""
    def cited(ids) -> tuple[Cited, ...]:
        return tuple(Cited(s.id, s.publisher, s.title, None if s.published_on is None else
                           format_partial_date(s.published_on, s.published_precision), s.url)
                     for s in (g.sources[i] for i in ids))

    def name(entity_id: str) -> str:
        return g.entity(entity_id).name

    found: dict[str, Fact] = {}
    for deal in g.deals():
        parties = "; ".join(f"{role}: {', '.join(map(name, ids))}" for role, ids in deal.parties.items())
        figures = [describe_amount(deal.amount)]
        figures += [describe_quantity(q, unit) for q, unit in ((deal.power, "GW"), (deal.chips, "chips"),
                                                               (deal.customers, "customers")) if q is not None]
        when = format_partial_date(deal.announced_on, deal.announced_precision)
        found[deal.id] = Fact(deal.id, f"deal ({deal.kind})",
                              f"{deal.title} [{parties}] {', '.join(figures)}; {deal.status}, made public {when}",
                              cited(deal.sources))
    for valuation in g.dataset.valuations:
        when = format_partial_date(valuation.date, valuation.date_precision)
        basis = f" {valuation.basis}" if valuation.basis else ""
        found[valuation.id] = Fact(valuation.id, "valuation",
                                   f"{name(valuation.entity)} valued {describe_amount(valuation.amount)}{basis} "
                                   f"on {when}; {valuation.status}", cited(valuation.sources))
    for entity in g.entities():
        if entity.parent and entity.sources:
            since = f" since {format_partial_date(entity.parent_since, entity.parent_since_precision)}" \
                if entity.parent_since else ""
            until = f" until {format_partial_date(entity.parent_until, entity.parent_until_precision)}" \
                if entity.parent_until else ""
            found[entity.id] = Fact(entity.id, "parent", f"{entity.name} is owned by {name(entity.parent)}{since}{until}",
                                    cited(entity.sources))
        elif entity.maker and entity.sources:
            found[entity.id] = Fact(entity.id, "product", f"{entity.name} ({', '.join(entity.kinds)}) is made by "
                                    f"{name(entity.maker)}", cited(entity.sources))
    return found


def audit_sample(g: KnowledgeGraph, size: int = 40, seed: int = 0,
                 baseline: KnowledgeGraph | None = None) -> list[Fact]:
    """``size`` facts drawn at random with ``seed`` (all of them when there are fewer), in id order; with
    a ``baseline``, only among the facts that are new or differ from the baseline's."""
    every = facts(g)
    if baseline is not None:
        before = facts(baseline)
        every = {record: fact for record, fact in every.items() if before.get(record) != fact}
    chosen = random.Random(seed).sample(sorted(every), min(size, len(every)))
    return [every[record] for record in sorted(chosen)]


def as_markdown(sample: list[Fact], heading: str) -> str:
    """The sample as a checklist: each fact, then its sources with their addresses."""
    lines = [f"# {heading}", "",
             "Open each source and tick the fact only if the page states it exactly: parties and roles, kind,",
             "figures and qualifiers, date and status.", ""]
    for number, fact in enumerate(sample, 1):
        lines.append(f"{number}. [ ] {fact.type} `{fact.record}`: {fact.states}")
        for source in fact.sources:
            when = f" ({source.date})" if source.date else ""
            lines.append(f"   - {source.publisher}, \u201c{source.title}\u201d{when}: {source.url or 'no address'}")
    return "\n".join(lines) + "\n"


def as_json(sample: list[Fact]) -> str:
    return json.dumps([asdict(fact) for fact in sample], indent=2, ensure_ascii=False) + "\n"
