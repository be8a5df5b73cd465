"""Synthetic graphs shaped like the bundled one, for benchmarks: organizations, and deals with two or
three parties and about eight attributes each, every one with a source.

>>> g = synthetic_graph(organizations=50, deals=80)
>>> len(g.entities()), len(g.deals())
(50, 80)
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from kg.graph import KnowledgeGraph
from kg.model import Amount, Dataset, Deal, Entity, Quantity, Source

_KINDS = ["company", "ai-lab", "investor", "cloud-provider", "chip-designer", "fund"]
_DEALS = [("investment", "investor", "investee"), ("compute-commitment", "customer", "provider"),
          ("supply", "customer", "provider"), ("acquisition", "acquirer", "acquiree"),
          ("licensing", "licensee", "licensor"), ("partnership", "partner", "partner")]
_STATUSES = ["announced", "completed", "reported", "contingent"]


def synthetic_graph(organizations: int, deals: int, seed: int = 0) -> KnowledgeGraph:
    """A reproducible random graph of ``organizations`` organizations and ``deals`` deals."""
    rng = random.Random(seed)
    entities = tuple(
        Entity(id=f"org-{i}", name=f"Organization {i}", kinds=tuple(rng.sample(_KINDS, rng.choice([1, 1, 2]))),
               aliases=(f"Org{i}",))
        for i in range(organizations)
    )
    sources = {f"source-{i}": Source(f"source-{i}", "Example Wire", f"Report {i}", dt.date(2024, 1, 1) + dt.timedelta(i % 700),
                                     "day", f"https://example.org/report/{i}")
               for i in range(max(1, deals // 2))}
    source_ids = sorted(sources)
    records = []
    for i in range(deals):
        kind, paying, receiving = rng.choice(_DEALS)
        first, second, third = rng.sample(range(organizations), 3)
        if paying == receiving:
            parties = {paying: (f"org-{first}", f"org-{second}")}
        else:
            parties = {paying: (f"org-{first}",), receiving: (f"org-{second}",)}
            if rng.random() < 0.3:
                parties[paying] = (f"org-{first}", f"org-{third}")
        value = Decimal(rng.randrange(10, 100_000)) * 1_000_000
        records.append(Deal(
            id=f"deal-{i}", kind=kind, title=f"Deal {i}", parties=parties,
            announced_on=dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(2500)),
            status=rng.choice(_STATUSES), sources=(rng.choice(source_ids),),
            amount=Amount(value, "USD", rng.choice(["exact", "up-to", "more-than"]), value),
            power=Quantity(Decimal(rng.randrange(1, 50)) / 10, "up-to") if kind == "compute-commitment" else None,
        ))
    return KnowledgeGraph(Dataset(entities, tuple(records), (), sources))
