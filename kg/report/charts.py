"""The report's charts, drawn by matplotlib as SVG text to inline in the page: no script, no request.

Each data series carries an id in the SVG (``series-index`` for a line, ``series-loops-0``,
``series-loops-1``, … for the bars of a series), so that a reader, or a test, can find the marks that draw
it. Output is the same from run to run: no date in the metadata, fixed ids.
"""

from __future__ import annotations

import io

from kg.report.build import Report

WIDTH, HEIGHT = 7.5, 3.2
COLOURS = {"index": "#0072B2", "on_loops": "#E69F00", "loops": "#999999", "observed": "#0072B2", "null": "#D55E00"}
"""A colour-blind-safe palette (Okabe and Ito)."""


def _svg(figure) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "aikg-report", "svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _name_bars(bars, name: str) -> None:
    for number, bar in enumerate(bars):
        bar.set_gid(f"{name}-{number}")


def _figure():
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=100)
    return figure, figure.add_subplot()


def index_chart(report: Report) -> str:
    """The circularity index and its upper bound, year by year, with the number of loops as bars."""
    years = [row.year for row in report.years]
    figure, axes = _figure()
    bars = axes.twinx()
    loops = bars.bar(years, [row.loops for row in report.years], color=COLOURS["loops"], alpha=0.35, label="loops")
    _name_bars(loops, "series-loops")
    bars.set_ylabel("loops")
    axes.set_zorder(bars.get_zorder() + 1)
    axes.patch.set_visible(False)
    for key, label in (("index", "returns to its payer (index)"), ("on_loops", "on a loop (upper bound)")):
        values = [100 * (getattr(row, key) or 0.0) for row in report.years]
        [line] = axes.plot(years, values, marker="o", color=COLOURS[key], label=label)
        line.set_gid(f"series-{key.replace('_', '-')}")
    axes.set_ylabel("share of known money, %")
    axes.set_xticks(years)
    axes.set_ylim(0, 100)
    axes.legend(loc="upper left", frameon=False, fontsize=8)
    axes.set_title(f"Circularity by year ({report.reading} reading)", fontsize=10)
    return _svg(figure)


def hub_chart(report: Report) -> str:
    """Hub scores of the top families against the null model's mean and standard deviation."""
    hubs = list(report.hubs)[::-1]
    names = [report.names.get(hub.family, hub.family) for hub in hubs]
    figure, axes = _figure()
    observed = axes.barh(names, [hub.score for hub in hubs], color=COLOURS["observed"], label="observed")
    _name_bars(observed, "series-hub-observed")
    null = [report.significance.get(f"hub:{hub.family}") for hub in hubs]
    means = [row.mean if row else 0.0 for row in null]
    errors = [row.std if row else 0.0 for row in null]
    marks = axes.errorbar(means, names, xerr=errors, fmt="D", color=COLOURS["null"], label="null model, mean ± sd")
    marks.lines[0].set_gid("series-hub-null")
    axes.set_xlabel("hub score (loops through the family, weighted by money)")
    axes.legend(loc="lower right", frameon=False, fontsize=8)
    axes.tick_params(axis="y", labelsize=8)
    axes.set_title(f"Hubs against {report.runs} rewired graphs", fontsize=10)
    return _svg(figure)
