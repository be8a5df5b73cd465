"""A knowledge graph of the AI industry's relationships: who invests in whom, who buys whose cloud and
chips, who partners with whom, at what price, since when, and according to which source.

>>> import kg
>>> g = kg.load()
>>> g.total_invested("Amazon", "Anthropic")
Total(known_usd=13000000000.0, undisclosed=0, shared=0)
"""

import importlib

_EXPORTS = {
    "COMMITTED_STATUSES": "kg.model",
    "KnowledgeGraph": "kg.graph",
    "load": "kg.loaders",
    "load_rdf": "kg.loaders",
    "Amount": "kg.model",
    "Deal": "kg.model",
    "Entity": "kg.model",
    "Quantity": "kg.model",
    "Source": "kg.model",
    "Valuation": "kg.model",
    "DataError": "kg.errors",
    "ExportError": "kg.errors",
    "OntologyError": "kg.errors",
    "NoPathError": "kg.errors",
    "Problem": "kg.errors",
    "PushError": "kg.errors",
    "QueryError": "kg.errors",
    "UnknownEntityError": "kg.errors",
    "load_vocabulary": "kg.vocabulary",
}
__all__ = sorted(_EXPORTS)
__version__ = "0.1.0"


def __getattr__(name: str):
    # Names are imported on first use, so that `aikg --help` pays for none of them.
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
