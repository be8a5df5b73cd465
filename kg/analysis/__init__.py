"""The questions people ask of the graph, as plain functions that take a
:class:`~kg.graph.KnowledgeGraph` first, grouped by theme:

- :mod:`kg.analysis.families`: corporate families and the money between them;
- :mod:`kg.analysis.money`: investors and investments, money going in circles;
- :mod:`kg.analysis.ties`: allies, alliances (blocs) and paths between entities;
- :mod:`kg.analysis.compute`: compute and supply secured;
- :mod:`kg.analysis.history`: timelines and figures that sources report differently;
- :mod:`kg.analysis.stats`: counts by kind, status and year.

Each returns small typed records with a ``to_dict()``; lists of records come as a
:class:`~kg.analysis.table.Table`, which converts to a pandas DataFrame when pandas is installed. The
graph offers each function as a method too (``g.allies("Amazon")``), and every one works on
``g.as_of(date)``.

>>> import kg
>>> from kg.analysis import allies
>>> allies(kg.load(), "Amazon")[0].ally
'anthropic'
"""

from kg.analysis.compute import Commitment, ComputeSecured, compute_secured
from kg.analysis.families import family_head
from kg.analysis.history import Claim, Conflict, Event, conflicts, timeline
from kg.analysis.money import Flow, InvestorTotal, circular_flows, investments_by, investors_of
from kg.analysis.stats import Stats, stats
from kg.analysis.table import Record, Table
from kg.analysis.ties import RECENCY_HALF_LIFE_YEARS, TIE_WEIGHTS, Alliance, Ally, Hop, alliances, allies, path

__all__ = [
    "RECENCY_HALF_LIFE_YEARS", "TIE_WEIGHTS", "Alliance", "Ally", "Claim", "Commitment", "ComputeSecured",
    "Conflict", "Event", "Flow", "Hop", "InvestorTotal", "Record", "Stats", "Table", "alliances", "allies",
    "circular_flows", "compute_secured", "conflicts", "family_head", "investments_by", "investors_of", "path",
    "stats", "timeline",
]
