"""The circularity report: one offline file an analyst can send a colleague, as HTML (with charts drawn
by matplotlib as inline SVG) or Markdown (the same tables).

It holds the circularity index year by year, the top loops with the deals and sources of every step, the
hub ranking with its significance against the null model, and who is exposed if one of the five largest
labs fails to pay. :func:`build_report` gathers it; :func:`render_html` and :func:`render_markdown`
write it out; :func:`write_report` does both steps and writes the file atomically.

>>> import kg
>>> report = build_report(kg.load(), runs=20)
>>> report.labs[:2]
('anthropic', 'openai')
>>> render_markdown(report).startswith("# How circular is the AI money web?")
True
"""

from kg.report.build import Report, build_report
from kg.report.html import render_html
from kg.report.markdown import render_markdown
from kg.report.write import FORMATS, write_report

__all__ = ["FORMATS", "Report", "build_report", "render_html", "render_markdown", "write_report"]
