"""The questions people ask of the graph, as plain functions that take a
:class:`~kg.graph.KnowledgeGraph` first, grouped by theme:

- :mod:`kg.analysis.families`: corporate families, with ownership on the graph's date;
- :mod:`kg.analysis.flows`: every deal's value flows, and the flow graph between families;
- :mod:`kg.analysis.money`: investors and investments, value going in circles;
- :mod:`kg.analysis.ties`: allies, alliances (blocs) and paths between entities;
- :mod:`kg.analysis.compute`: compute and supply secured, by layer and qualifier;
- :mod:`kg.analysis.history`: timelines, and figures that sources report differently;
- :mod:`kg.analysis.stats`: counts by kind, status and year.

Each returns small typed records with a ``to_dict()``; lists of records come as a
:class:`~kg.analysis.table.Table`, which converts to a pandas DataFrame when pandas is installed. Sums
of money are :class:`~kg.model.Total` values: an undisclosed amount is counted apart, never as zero. The
graph offers each function as a method too (``g.allies("Amazon")``), and every one works on
``g.as_of(date)``.

>>> import kg
>>> from kg.analysis import allies
>>> allies(kg.load(), "Amazon")[0].ally
'anthropic'
"""

from kg.analysis.compute import CapacityTotal, Commitment, ComputeSecured, compute_secured
from kg.analysis.families import family_head
from kg.analysis.flows import flow_graph, flows
from kg.analysis.history import Claim, Conflict, Event, conflicts, timeline
from kg.analysis.money import InvestorTotal, Loop, circular_flows, investments_by, investors_of, total_invested
from kg.analysis.stats import Stats, stats
from kg.analysis.table import Record, Table
from kg.analysis.ties import (CO_PARTY_WEIGHT, RECENCY_HALF_LIFE_YEARS, TIE_WEIGHTS, Alliance, Ally, Hop, alliances,
                              allies, path)

__all__ = [
    "CO_PARTY_WEIGHT", "RECENCY_HALF_LIFE_YEARS", "TIE_WEIGHTS", "Alliance", "Ally", "CapacityTotal", "Claim",
    "Commitment", "ComputeSecured", "Conflict", "Event", "Hop", "InvestorTotal", "Loop", "Record", "Stats", "Table",
    "alliances", "allies", "circular_flows", "compute_secured", "conflicts", "family_head", "flow_graph", "flows",
    "investments_by", "investors_of", "path", "stats", "timeline", "total_invested",
]
