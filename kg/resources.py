"""Where the bundled ontology, data and SPARQL queries live, in a checkout and in an installed package alike.

In a checkout they are the top-level ``ontology/``, ``data/`` and ``queries/`` folders. An installed package carries
copies of them inside ``kg/`` (see ``[tool.setuptools.package-dir]`` in ``pyproject.toml``).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    installed = _PACKAGE / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


ONTOLOGY_DIR = _bundled("ontology")
DATA_DIR = _bundled("data")
QUERIES_DIR = _bundled("queries")

DATA_FILES = ("sources.yaml", "entities.yaml", "products.yaml", "deals.yaml", "valuations.yaml")
"""The files of a data folder, in the order they are read: what a record names is read before it."""
REQUIRED_FILES = ("sources.yaml", "entities.yaml", "deals.yaml")
"""The files a data folder cannot do without, each as YAML or as CSV; the others may be left out."""
