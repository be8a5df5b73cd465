"""The report in Markdown: the same tables as the HTML page, without the charts."""

from __future__ import annotations

from kg.flows import READINGS
from kg.report.build import Report
from kg.report.tables import (Cite, Grid, exposure_grid, hubs_grid, loops_grid, share, significance_grid, source_date,
                              source_link, years_grid)

_SPECIAL = "\\`*_{}[]<>#|"


def _e(text) -> str:
    """Text that Markdown shows as written: special characters escaped, lines joined."""
    text = " ".join(str(text).split())
    return "".join(f"\\{char}" if char in _SPECIAL else char for char in text)


def _cites(items: list[Cite]) -> str:
    return "; ".join(f"{_e(cite.deal)} " + " ".join(f"[{n}]" for n in cite.sources) for cite in items)


def _cell(value) -> str:
    if isinstance(value, list) and value and isinstance(value[0], tuple):
        return "<br>".join(f"{_e(text)}: {_cites(items)}" for text, items in value)
    if isinstance(value, list):
        return _cites(value)
    return _e(value)


def _table(grid: Grid) -> str:
    lines = [f"**{_e(grid.caption)}**", "", "| " + " | ".join(_e(c) for c in grid.columns) + " |",
             "|" + "---|" * len(grid.columns)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in grid.rows]
    return "\n".join(lines) + "\n"


def render_markdown(report: Report) -> str:
    """The report as Markdown."""
    index, tests = report.index, report.significance
    parts = [
        "# How circular is the AI money web?", "",
        f"As of {report.as_of.isoformat()}. Reading: **{report.reading}**, {_e(READINGS[report.reading])}. "
        "Amounts in US dollars; an undisclosed amount is counted apart, never as zero.", "",
        f"- {share(index.index)} of known money returns to its payer's family within {index.max_length} steps "
        "(a lower bound);",
        f"- {share(index.on_loops)} of known money is on a loop (the upper bound);",
        f"- {index.loops} loops of 2 to {index.max_length} families; {tests['loops'].mean:.1f} expected by chance "
        f"(p = {tests['loops'].p:.3f}, {report.runs} rewired graphs).", "",
        "## Circularity over time", "", _table(years_grid(report)),
        "## Top loops", "", _table(loops_grid(report)),
        "## Hubs, and whether they are more than chance", "", _table(hubs_grid(report)), _table(significance_grid(report)),
        "## Who is exposed if a lab fails to pay", "",
    ]
    for lab in report.labs:
        parts += [f"### {_e(report.names.get(lab, lab))}", "", _table(exposure_grid(report, lab))]
    parts += ["## Sources", ""]
    for number, source in enumerate(report.sources, start=1):
        date = "" if (day := source_date(source)) is None else f", {day}"
        url = "" if (link := source_link(source)) is None else f" <{link}>"
        parts.append(f"{number}. {_e(source.publisher)}, “{_e(source.title)}”{date}.{url}")
    return "\n".join(parts) + "\n"
