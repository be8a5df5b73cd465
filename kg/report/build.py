"""What the report says, gathered from the graph: every figure in it, and the sources behind them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.analysis import (CircularityIndex, Exposure, Hub, Loop, Significance, Year, circularity_by_year,
                         circularity_index, exposure, hubs, loops, significance)
from kg.model import Source

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

LABS = 5
"""How many labs the exposure tables cover: the largest by their latest valuation."""


@dataclass(frozen=True)
class Report:
    """Every figure of the report. ``sources`` are the sources cited, in order of first citation; every
    deal named in the report is in ``deal_sources``."""

    as_of: dt.date
    reading: str
    runs: int
    seed: int
    index: CircularityIndex
    years: tuple[Year, ...]
    loops: tuple[Loop, ...]
    loop_count: int
    hubs: tuple[Hub, ...]
    significance: dict[str, Significance]
    labs: tuple[str, ...]
    exposures: dict[str, tuple[Exposure, ...]]
    names: dict[str, str]
    deal_titles: dict[str, str]
    deal_sources: dict[str, tuple[str, ...]]
    sources: tuple[Source, ...]


def largest_labs(g: KnowledgeGraph, count: int = LABS) -> tuple[str, ...]:
    """The AI labs with the largest latest valuation (the highest claim on the latest date), largest first."""
    worth = []
    for entity in g.entities():
        if "ai-lab" not in entity.kinds:
            continue
        valuations = [v for v in g.valuations(entity.id) if v.amount_usd is not None]
        if valuations:
            latest = max(v.date for v in valuations)
            worth.append((-max(v.amount_usd for v in valuations if v.date == latest), entity.id))
    return tuple(identifier for _, identifier in sorted(worth)[:count])


def build_report(g: KnowledgeGraph, reading: str = "committed", runs: int = 1000, seed: int = 0, top: int = 10,
                 first_year: int = 2019) -> Report:
    """Gather the report for the graph (``g.as_of(date)`` for an earlier one) under a reading."""
    found = loops(g, reading=reading)
    ranked = hubs(g, reading=reading)
    tested = {row.measure: row for row in significance(g, runs, seed, reading=reading)}
    labs = largest_labs(g)
    exposures = {lab: tuple(row for row in exposure(g, lab, reading=reading) if row.order == 1)[:top] for lab in labs}
    deals: list[str] = []
    for loop in found[:top]:
        deals += [deal for step in loop.steps for deal in step.deals]
    for rows in exposures.values():
        deals += [deal for row in rows for deal in row.deals]
    deals = list(dict.fromkeys(deals))
    deal_sources = {deal: g.deal(deal).sources for deal in deals}
    cited = list(dict.fromkeys(source for deal in deals for source in deal_sources[deal]))
    families = {family for loop in found for family in loop.families} | {hub.family for hub in ranked} | \
        {row.family for rows in exposures.values() for row in rows} | set(labs)
    return Report(
        as_of=g.on or dt.date.today(), reading=reading, runs=runs, seed=seed,
        index=circularity_index(g, reading=reading), years=tuple(circularity_by_year(g, first_year, reading=reading)),
        loops=tuple(found[:top]), loop_count=len(found), hubs=tuple(ranked[:top]), significance=tested,
        labs=labs, exposures=exposures, names={family: g.entity(family).name for family in families},
        deal_titles={deal: g.deal(deal).title for deal in deals}, deal_sources=deal_sources,
        sources=tuple(g.sources[source] for source in cited))
