"""The report as one offline HTML page: inline styles and SVG charts, no script, and a content security
policy that lets no request leave it. Every string from the data is escaped."""

from __future__ import annotations

import html

from kg.flows import READINGS
from kg.humanize import format_usd
from kg.report import charts
from kg.report.build import Report
from kg.report.tables import (Cite, Grid, exposure_grid, hubs_grid, loops_grid, share, significance_grid, source_date,
                              source_link, years_grid)

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
caption { text-align: left; font-weight: 600; padding: 0.4em 0; }
.key { display: flex; gap: 2em; flex-wrap: wrap; } .key div { font-size: 0.9em; }
.key strong { display: block; font-size: 1.8em; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
.step { margin-bottom: 0.3em; } .cite { color: #555; } .meta, .note { color: #555; }
ol.sources li { margin-bottom: 0.3em; word-break: break-word; }
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _cites(items: list[Cite]) -> str:
    parts = []
    for cite in items:
        links = " ".join(f'<a href="#source-{n}">[{n}]</a>' for n in cite.sources)
        parts.append(f'<span class="cite" title="{_e(cite.title)}">{_e(cite.deal)} {links}</span>')
    return "<br>".join(parts)


def _cell(value) -> str:
    if isinstance(value, list) and value and isinstance(value[0], tuple):  # steps: (text, cites)
        return "".join(f'<div class="step">{_e(text)}<br>{_cites(items)}</div>' for text, items in value)
    if isinstance(value, list):
        return _cites(value)
    return _e(value)


def _table(grid: Grid, table_id: str) -> str:
    head = "".join(f"<th>{_e(column)}</th>" for column in grid.columns)
    body = "".join("<tr>" + "".join(f"<td>{_cell(cell)}</td>" for cell in row) + "</tr>" for row in grid.rows)
    return f'<table id="{table_id}"><caption>{_e(grid.caption)}</caption><thead><tr>{head}</tr></thead>' \
           f"<tbody>{body}</tbody></table>"


def _source(number: int, source) -> str:
    date = "" if (day := source_date(source)) is None else f", {_e(day)}"
    url = source_link(source)
    link = "" if url is None else f' <a href="{_e(url)}" rel="noreferrer noopener">{_e(url)}</a>'
    return f'<li id="source-{number}">{_e(source.publisher)}, “{_e(source.title)}”{date}.{link}</li>'


def render_html(report: Report) -> str:
    """The report as an HTML page."""
    index, tests = report.index, report.significance
    loops_test, index_test = tests["loops"], tests["index"]
    z = "—" if index_test.z is None else f"{index_test.z:.1f}"
    exposure = "".join(f'<h3>{_e(report.names.get(lab, lab))}</h3>{_table(exposure_grid(report, lab), f"exposure-{lab}")}'
                       for lab in report.labs)
    sources = "".join(_source(number, source) for number, source in enumerate(report.sources, start=1))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>How circular is the AI money web? As of {report.as_of.isoformat()}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>How circular is the AI money web?</h1>
<p class="meta">As of {report.as_of.isoformat()}. Reading: <strong>{_e(report.reading)}</strong>, {_e(READINGS[report.reading])}.
Amounts in US dollars; an undisclosed amount is counted apart, never as zero.</p>
<section id="summary" class="key">
<div><strong>{share(index.index)}</strong>of known money returns to its payer's family within {index.max_length} steps (a lower bound)</div>
<div><strong>{share(index.on_loops)}</strong>of known money is on a loop (the upper bound)</div>
<div><strong>{index.loops}</strong>loops of 2 to {index.max_length} families; {loops_test.mean:.1f} expected by chance (p = {loops_test.p:.3f})</div>
<div><strong>z = {z}</strong>for the index against {report.runs} rewired graphs (p = {index_test.p:.3f})</div>
</section>
<p class="note">Shares of {_e(format_usd(index.total_usd))} of known money between families; {index.undisclosed_edges} more
links between families carry only undisclosed amounts, which no share counts.</p>
<section id="over-time">
<h2>Circularity over time</h2>
<figure id="chart-index">{charts.index_chart(report)}</figure>
<p class="note">Each share rests on the known money between families at that year's end (in the table):
where that is small, one deal moves it.</p>
{_table(years_grid(report), "years")}
</section>
<section id="loops">
<h2>Top loops</h2>
<p class="note">Score = 100 × (0.4 balance + 0.3 diversity + 0.3 evidence): balance is the smallest step over the
largest; diversity, how many different things the steps buy; evidence, the weakest step's status and
corroboration. A loop closed on the date its last step first existed.</p>
{_table(loops_grid(report), "top-loops")}
</section>
<section id="hubs">
<h2>Hubs, and whether they are more than chance</h2>
<figure id="chart-hubs">{charts.hub_chart(report)}</figure>
{_table(hubs_grid(report), "hub-ranking")}
{_table(significance_grid(report), "significance")}
</section>
<section id="exposure">
<h2>Who is exposed if a lab fails to pay</h2>
<p class="note">The five largest labs by their latest valuation, and their direct counterparties: each one's
stake, revenue, funding or capacity in contracts with the lab. Loss is known money only; knock-on is what
reaches the counterparty later, through others the failure stresses (each passes on the share of its
book it lost), up to the third order.</p>
{exposure}
</section>
<section id="sources">
<h2>Sources</h2>
<ol class="sources">{sources}</ol>
</section>
</body>
</html>
"""
