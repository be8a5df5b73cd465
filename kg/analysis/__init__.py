"""The questions people ask of the graph, as plain functions that take a
:class:`~kg.graph.KnowledgeGraph` first, grouped by theme:

- :mod:`kg.analysis.families`: corporate families, with ownership on the graph's date;
- :mod:`kg.analysis.flows`: every deal's value flows, and the flow graph between families;
- :mod:`kg.analysis.money`: investors and investments;
- :mod:`kg.analysis.circularity`: loops between families, their scores, hubs and the circularity index;
- :mod:`kg.analysis.nullmodel`: whether that circularity is more than chance, against rewired graphs;
- :mod:`kg.analysis.exposure`: who is exposed if a family fails to pay or loses value;
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

from kg.analysis.circularity import (CircularityIndex, Hub, Loop, Step, Year, circularity_by_year,
                                     circularity_index, hubs, loops)
from kg.analysis.compute import CapacityTotal, Commitment, ComputeSecured, compute_secured
from kg.analysis.families import family_head
from kg.analysis.flows import flow_graph, flows
from kg.analysis.history import Claim, Conflict, Event, conflicts, timeline
from kg.analysis.exposure import Exposure, exposure
from kg.analysis.money import InvestorTotal, investments_by, investors_of, total_invested
from kg.analysis.nullmodel import Significance, significance
from kg.analysis.stats import Stats, stats
from kg.analysis.table import Record, Table
from kg.analysis.ties import (CO_PARTY_WEIGHT, RECENCY_HALF_LIFE_YEARS, TIE_WEIGHTS, Alliance, Ally, Hop, alliances,
                              allies, path)

__all__ = [
    "CO_PARTY_WEIGHT", "RECENCY_HALF_LIFE_YEARS", "TIE_WEIGHTS", "Alliance", "Ally", "CapacityTotal",
    "CircularityIndex", "Claim", "Commitment", "ComputeSecured", "Conflict", "Event", "Exposure", "Hop", "Hub",
    "InvestorTotal", "Loop", "Record", "Significance", "Stats", "Step", "Table", "Year", "alliances", "allies",
    "circularity_by_year", "circularity_index", "compute_secured", "conflicts", "exposure", "family_head",
    "flow_graph", "flows", "hubs", "investments_by", "investors_of", "loops", "path", "significance", "stats",
    "timeline", "total_invested",
]
