"""The registry of export formats, each implemented in a module imported only when it is used.

A format has a name, a file extension and a ``generate_*`` function that returns the export as text;
node and edge CSV is two files. The extension of an output file names its format when none is given.
Every export is written atomically by :func:`kg.files.write_files`, so a failure leaves earlier exports
as they were.

>>> sorted(FORMATS)
['csv', 'gexf', 'graphml', 'html', 'jsonld', 'nt', 'ttl']
>>> format_for_path("exports/aikg.ttl")
'ttl'
>>> [path.name for path in FORMATS["csv"].paths("out/aikg.csv")]
['aikg.nodes.csv', 'aikg.edges.csv']
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ExportError
from kg.files import write_files

def _generate(module: str, function: str, graph) -> str:
    return getattr(importlib.import_module(module), function)(graph)


@dataclass(frozen=True)
class ExportFormat:
    """A format: its name, its file extension, and the generator of each file it writes.

    ``parts`` pairs a name suffix (empty for single-file formats) with a ``module:function`` generator.
    ``writer``, where a format has one, is a ``module:function`` that streams the single file to an
    open text stream, so that writing it never holds the whole text in memory.
    """

    name: str
    extension: str
    description: str
    parts: tuple[tuple[str, str], ...]
    writer: str | None = None

    def paths(self, target: str | Path) -> list[Path]:
        """The files this format writes for ``target`` (``x.csv`` gives ``x.nodes.csv``, ``x.edges.csv``)."""
        target = Path(target)
        if len(self.parts) == 1:
            return [target]
        stem = target.name[: -len(self.extension)] if target.name.endswith(self.extension) else target.name
        return [target.with_name(f"{stem}{suffix}{self.extension}") for suffix, _ in self.parts]

    def render(self, graph, target: str | Path) -> dict[Path, str]:
        """Every file of the export of ``graph`` to ``target``, as text."""
        return {path: _generate(*generator.split(":"), graph)
                for path, (_, generator) in zip(self.paths(target), self.parts)}

    def contents(self, graph, target: str | Path) -> dict:
        """What :func:`kg.files.write_files` writes for the export: the text of each file, or, for a
        format with a ``writer``, a function that streams it."""
        if self.writer is None:
            return self.render(graph, target)
        module, function = self.writer.split(":")
        write = getattr(importlib.import_module(module), function)
        return {self.paths(target)[0]: lambda stream: write(graph, stream)}


FORMATS = {
    fmt.name: fmt
    for fmt in (
        ExportFormat("ttl", ".ttl", "RDF Turtle", (("", "kg.exporters.rdf:generate_turtle"),),
                     "kg.exporters.rdf:write_turtle"),
        ExportFormat("nt", ".nt", "RDF N-Triples", (("", "kg.exporters.rdf:generate_ntriples"),),
                     "kg.exporters.rdf:write_ntriples"),
        ExportFormat("jsonld", ".jsonld", "RDF JSON-LD", (("", "kg.exporters.rdf:generate_jsonld"),)),
        ExportFormat("html", ".html", "interactive HTML view", (("", "kg.exporters.html:generate_html"),)),
        ExportFormat("graphml", ".graphml", "GraphML (yEd, Cytoscape, Gephi)",
                     (("", "kg.exporters.network:generate_graphml"),)),
        ExportFormat("gexf", ".gexf", "GEXF (Gephi)", (("", "kg.exporters.network:generate_gexf"),)),
        ExportFormat("csv", ".csv", "node and edge tables",
                     ((".nodes", "kg.exporters.network:generate_node_csv"),
                      (".edges", "kg.exporters.network:generate_edge_csv"))),
    )
}
BUILD_FORMATS = ("ttl", "nt", "jsonld", "html")
"""What ``aikg build`` writes as ``aikg.<extension>``."""
COMPANIONS = {
    "ontology.ttl": "kg.exporters.rdf:generate_ontology",
    "context.jsonld": "kg.exporters.rdf:generate_context",
}
"""What ``aikg build`` writes beside them: the ontology the RDF imports, and the JSON-LD context."""


def format_for_path(path: str | Path) -> str:
    """The format a file name's extension names.

    Raises
    ------
    ExportError
        For an extension no format has.
    """
    name = Path(path).name.lower()
    for fmt in FORMATS.values():
        if name.endswith(fmt.extension):
            return fmt.name
    raise ExportError(f"cannot tell the format of {str(path)!r} from its extension; "
                      f"use one of: {', '.join(f.extension for f in FORMATS.values())}")


def export(graph, target: str | Path, format_name: str | None = None) -> list[Path]:
    """Write ``graph`` to ``target`` in one format (by default the one its extension names).

    Returns
    -------
    list of Path
        The files written.
    """
    fmt = FORMATS[format_name or format_for_path(target)]
    contents = fmt.contents(graph, target)
    write_files(contents)
    return list(contents)


def write_exports(graph, out_dir: str | Path, formats=BUILD_FORMATS, stem: str = "aikg",
                  companions: bool = True) -> list[Path]:
    """Generate every format, then write them all atomically into ``out_dir`` as ``stem.<ext>``,
    with the :data:`COMPANIONS` beside them unless ``companions`` is false.

    Returns
    -------
    list of Path
        The files written.
    """
    out = Path(out_dir)
    contents: dict = {}
    for name in formats:
        contents.update(FORMATS[name].contents(graph, out / f"{stem}{FORMATS[name].extension}"))
    if companions:
        contents.update({out / name: _generate(*generator.split(":"), graph) for name, generator in COMPANIONS.items()})
    write_files(contents)
    return list(contents)
