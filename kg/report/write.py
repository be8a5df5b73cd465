"""Writing the report to a file, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.files import write_files
from kg.report.build import build_report
from kg.report.html import render_html
from kg.report.markdown import render_markdown

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

FORMATS = {"html": render_html, "md": render_markdown}


def write_report(g: KnowledgeGraph, target: Path, format_name: str = "html", reading: str = "committed",
                 runs: int = 1000, seed: int = 0) -> Path:
    """Build the report and write it to ``target`` in ``html`` or ``md``; nothing is written on failure."""
    if format_name not in FORMATS:
        raise ValueError(f"unknown report format {format_name!r}; use one of: {', '.join(FORMATS)}")
    text = FORMATS[format_name](build_report(g, reading, runs, seed))
    write_files({Path(target): text})
    return Path(target)
