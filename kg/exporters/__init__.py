"""The registry of export formats, each implemented in a module imported only when used.

A format has a name, a file extension and a ``generate_*`` function in its module that returns the
export as text. :func:`write_exports` writes several at once, atomically: every file is written to a
temporary file beside its target first, and targets are replaced only once all have been written,
so a failure leaves earlier exports as they were.

>>> sorted(FORMATS)
['html', 'jsonld', 'nt', 'ttl']
>>> format_for_path("exports/aikg.ttl")
'ttl'
"""

from __future__ import annotations

import importlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ExportError

_UMASK = os.umask(0)
os.umask(_UMASK)


@dataclass(frozen=True)
class ExportFormat:
    """A format: its name, its file extension, and where its generator lives."""

    name: str
    extension: str
    module: str
    function: str
    description: str

    def generate(self, graph) -> str:
        """The export of ``graph`` in this format, as text."""
        return getattr(importlib.import_module(self.module), self.function)(graph)


FORMATS = {
    fmt.name: fmt
    for fmt in (
        ExportFormat("ttl", ".ttl", "kg.exporters.rdf", "generate_turtle", "RDF Turtle"),
        ExportFormat("nt", ".nt", "kg.exporters.rdf", "generate_ntriples", "RDF N-Triples"),
        ExportFormat("jsonld", ".jsonld", "kg.exporters.rdf", "generate_jsonld", "RDF JSON-LD"),
        ExportFormat("html", ".html", "kg.exporters.html", "generate_html", "interactive HTML view"),
    )
}
BUILD_FORMATS = ("ttl", "nt", "jsonld", "html")
"""What ``aikg build`` writes."""


def format_for_path(path: str | Path) -> str:
    """The format a file name's extension names.

    Raises
    ------
    ExportError
        For an extension no format has.
    """
    suffix = Path(path).suffix.lower()
    for fmt in FORMATS.values():
        if fmt.extension == suffix:
            return fmt.name
    raise ExportError(f"cannot tell the format of {str(path)!r} from its extension; "
                      f"use one of: {', '.join(f.extension for f in FORMATS.values())}")


def write_files(contents: dict[Path, str]) -> None:
    """Write every file, or none: all go to temporary files first, then replace their targets.

    Raises
    ------
    ExportError
        When a file cannot be written; no target has been touched then.
    """
    staged: list[tuple[Path, str]] = []
    for target in contents:
        if target.is_dir():
            raise ExportError(f"cannot write {target}: a folder of that name is in the way")
    try:
        for target, text in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((target, temporary))
            os.chmod(temporary, 0o666 & ~_UMASK)
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
        for target, temporary in staged:
            os.replace(temporary, target)
    except OSError as error:
        raise ExportError(f"cannot write {error.filename or 'the exports'}: {error.strerror}") from None
    finally:
        for _, temporary in staged:
            if os.path.exists(temporary):
                os.unlink(temporary)


def write_exports(graph, out_dir: str | Path, formats=BUILD_FORMATS, stem: str = "aikg") -> list[Path]:
    """Generate every format, then write them all atomically into ``out_dir`` as ``stem.<ext>``.

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.
    """
    out = Path(out_dir)
    contents = {out / f"{stem}{FORMATS[name].extension}": FORMATS[name].generate(graph) for name in formats}
    write_files(contents)
    return list(contents)
