"""A knowledge graph of the AI industry's relationships: who invests in whom, who buys whose cloud and
chips, who partners with whom, at what price, since when, and according to which source.

>>> import kg
>>> g = kg.load()
>>> g.total_invested("Amazon", "Anthropic")
13000000000.0
"""

from kg.errors import DataError, ExportError, Problem, UnknownEntityError
from kg.graph import COMMITTED_STATUSES, KnowledgeGraph, load
from kg.model import Amount, Deal, Entity, Quantity, Source, Valuation
from kg.vocabulary import load_vocabulary

__all__ = [
    "COMMITTED_STATUSES",
    "Amount",
    "DataError",
    "Deal",
    "Entity",
    "ExportError",
    "KnowledgeGraph",
    "Problem",
    "Quantity",
    "Source",
    "UnknownEntityError",
    "Valuation",
    "load",
    "load_vocabulary",
]
__version__ = "0.1.0"
