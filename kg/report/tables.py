"""The report's tables, shared by its HTML and Markdown forms: rows of cells, where a cell is text or a
list of :class:`Cite` (a deal, with the numbers of the sources behind it)."""

from __future__ import annotations

from dataclasses import dataclass

from kg.humanize import format_usd
from kg.model import Source, format_partial_date, is_web_url
from kg.report.build import Report


@dataclass(frozen=True)
class Cite:
    """A deal named in a cell, and the numbers of its sources in the report's list of sources."""

    deal: str
    title: str
    sources: tuple[int, ...]


@dataclass(frozen=True)
class Grid:
    """A table: a caption, column names and rows of cells."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]


def source_date(source: Source) -> str | None:
    """A source's publication date at its precision, or None where the page shows none."""
    return None if source.published_on is None else format_partial_date(source.published_on, source.published_precision)


def source_link(source: Source) -> str | None:
    """A source's address, where it is one a reader can follow (a valid http(s) IRI)."""
    return source.url if source.url and is_web_url(source.url) else None


def share(value: float | None) -> str:
    """A share as a percentage; a dash when no money is known."""
    return "—" if value is None else f"{100 * value:.1f}%"


def _number(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def source_numbers(report: Report) -> dict[str, int]:
    """Each cited source's number, from 1, in the order the report lists them."""
    return {source.id: number for number, source in enumerate(report.sources, start=1)}


def cites(report: Report, deals) -> list[Cite]:
    numbers = source_numbers(report)
    return [Cite(deal, report.deal_titles[deal], tuple(numbers[s] for s in report.deal_sources[deal]))
            for deal in deals]


def years_grid(report: Report) -> Grid:
    rows = tuple((str(y.year), share(y.index), share(y.on_loops), str(y.loops), format_usd(y.total_usd),
                  ", ".join(y.closed) or "—") for y in report.years)
    return Grid("Circularity by year, each as known at the year's end",
                ("year", "returns to payer", "on a loop", "loops", "known money", "loops that closed"), rows)


def loops_grid(report: Report) -> Grid:
    rows = []
    for rank, loop in enumerate(report.loops, start=1):
        names = [report.names.get(f, f) for f in loop.families]
        steps = []
        for step in loop.steps:
            steps.append((f"{report.names.get(step.payer, step.payer)} → {report.names.get(step.payee, step.payee)}: "
                          f"{step.amount} ({', '.join(step.exchanges)})", cites(report, step.deals)))
        rows.append((str(rank), " → ".join(names + names[:1]), f"{loop.score:.1f}", _number(loop.balance),
                     _number(loop.diversity), _number(loop.evidence),
                     "—" if loop.circulating_usd is None else format_usd(loop.circulating_usd),
                     loop.closed_on.isoformat(), steps))
    return Grid(f"The {len(rows)} best-scored of {report.loop_count} loops of 2 to 5 families",
                ("#", "loop", "score", "balance", "diversity", "evidence", "circulating", "closed", "steps: amount, "
                 "what it buys, deals and sources"), tuple(rows))


def hubs_grid(report: Report) -> Grid:
    rows = []
    for hub in report.hubs:
        test = report.significance.get(f"hub:{hub.family}")
        rows.append((report.names.get(hub.family, hub.family), str(hub.loops), f"{hub.score:.2f}", share(hub.share),
                     str(hub.circulating), _number(test.mean if test else None), _number(test.z if test else None),
                     _number(test.p if test else None, 3)))
    return Grid("Hubs: the loops through each family, weighted by money, against the null model",
                ("family", "loops", "hub score", "share", "circulating", "null mean", "z", "p"), tuple(rows))


def significance_grid(report: Report) -> Grid:
    labels = {"loops": "loops of 2 to 5 families", "index": "circularity index", "on_loops": "share on a loop"}
    rows = []
    for key, label in labels.items():
        test = report.significance[key]
        show = (lambda v: str(round(v, 1))) if key == "loops" else share
        rows.append((label, show(test.observed), show(test.mean), show(test.std), _number(test.z), _number(test.p, 3)))
    return Grid(f"Against {report.runs} rewired graphs (each family keeps its in- and out-degree; seed {report.seed})",
                ("measure", "observed", "null mean", "null sd", "z", "p"), tuple(rows))


def exposure_grid(report: Report, lab: str) -> Grid:
    rows = tuple((report.names.get(row.family, row.family), ", ".join(row.channels), str(row.at_risk) or "—",
                  "—" if row.loss_usd is None else format_usd(row.loss_usd),
                  "—" if row.knock_on_usd is None else format_usd(row.knock_on_usd),
                  "—" if row.gigawatts is None else f"{row.gigawatts:g} GW", cites(report, row.deals))
                 for row in report.exposures[lab])
    return Grid(f"If {report.names.get(lab, lab)} fails to pay: its direct counterparties, largest loss first",
                ("family", "through", "at risk", "loss", "knock-on", "capacity", "deals and sources"), rows)
