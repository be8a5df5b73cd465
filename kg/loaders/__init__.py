"""The ways into the graph, one module each, as ``read_*`` and ``import_*`` functions:

- :mod:`kg.loaders.data`: a data folder, YAML (:mod:`~kg.loaders.yamlfile`) or the bulk CSV layout
  (:mod:`~kg.loaders.csvfile`, :mod:`~kg.loaders.csvcolumns`), validated against the ontology;
- :mod:`kg.loaders.rdf`: any of our RDF exports, back into an equal graph;
- :mod:`kg.loaders.crunchbase`: a Crunchbase-style export, into a data folder;
- :mod:`kg.loaders.news` and :mod:`kg.loaders.review`: candidate facts from news articles, and their
  review into the data; an article's text and sentences (:mod:`~kg.loaders.article`), its figures
  (:mod:`~kg.loaders.figures`) and the organizations it names (:mod:`~kg.loaders.names`), or a language
  model's reading held to the same rules (:mod:`~kg.loaders.llm`).

:func:`load` and :func:`load_rdf` (also ``kg.load`` and ``kg.load_rdf``) read and build in one call.
Loaders import nothing from :mod:`kg.exporters`, nor the reverse: what both need lives below them
(:mod:`kg.model`, :mod:`kg.csvlayout`, :mod:`kg.rdfterms`, :mod:`kg.files`).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kg.progress import Progress

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while a load makes millions of objects that all stay
    alive: left running, it scans them over and over, which doubled load times at a million triples.

    Reference counting still frees whatever is dropped meanwhile. After a load that succeeds, every
    tracked object goes to the collector's oldest generation, where the survivors of a few scans would
    end up anyway (``gc.freeze()`` then ``gc.unfreeze()``, skipped when the program froze objects of
    its own); then the collector's state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if was_enabled and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
    finally:
        if was_enabled:
            gc.enable()


def load(path: str | Path | None = None) -> KnowledgeGraph:
    """Read, validate and build the graph from a data folder (by default the bundled ``data/``).

    Raises
    ------
    kg.DataError
        Listing every problem in the data, each with file, line and record.

    Examples
    --------
    >>> import kg
    >>> kg.load()  # doctest: +ELLIPSIS
    <KnowledgeGraph: ... entities, ... deals, ... valuations, ... sources>
    """
    from kg.graph import KnowledgeGraph
    from kg.loaders.data import read_dataset

    with _collector_paused(), Progress("loading", unit="rows") as progress:
        dataset = read_dataset(path, progress=progress)
        progress.stage("building the graph")
        return KnowledgeGraph(dataset)


def load_rdf(path: str | Path, rdf_format: str | None = None) -> KnowledgeGraph:
    """Read one of our RDF exports (``.ttl``, ``.nt`` or ``.jsonld``) back into a graph equal to the one
    it was written from. See :func:`kg.loaders.rdf.read_rdf`.

    Raises
    ------
    kg.DataError
        When the file cannot be read or parsed, or lacks what our exports state.
    """
    from kg.loaders.rdf import read_rdf

    with _collector_paused(), Progress("loading", unit="triples") as progress:
        return read_rdf(path, rdf_format, progress)
