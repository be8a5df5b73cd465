"""Synthetic graphs shaped like the bundled one, for benchmarks: organizations, products made by them, deals
with two or three parties and about eight attributes each (one in ten in euros, purchases naming the
products bought), and valuations of the labs, every one with a source.

>>> g = synthetic_graph(organizations=50, deals=80)
>>> len([e for e in g.entities() if not e.is_product]), len(g.deals()), len(g.dataset.valuations) > 0
(50, 80, True)
>>> len(graph_of_about(3400).deals())
100
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from kg.graph import KnowledgeGraph
from kg.model import Amount, Dataset, Deal, Entity, Quantity, Source, Valuation

_KINDS = ["company", "ai-lab", "investor", "cloud-provider", "chip-designer", "fund"]
_DEALS = [("investment", "investor", "investee"), ("compute-commitment", "customer", "provider"),
          ("supply", "customer", "provider"), ("acquisition", "acquirer", "acquiree"),
          ("licensing", "licensee", "licensor"), ("partnership", "partner", "partner")]
_STATUSES = ["announced", "completed", "reported", "contingent"]
_PRODUCT_KINDS = ["chip", "cloud-platform", "ai-model"]
EUR_IN_USD = Decimal("1.08")
TRIPLES_PER_DEAL = 34
"""About how many triples the RDF export states per deal of these graphs, with its parties, flows,
products, valuations and sources: a deal of the bundled data states about as many."""


def graph_of_about(triples: int, seed: int = 0) -> KnowledgeGraph:
    """A synthetic graph whose RDF export states about ``triples`` triples."""
    deals = max(10, triples // TRIPLES_PER_DEAL)
    return synthetic_graph(organizations=max(10, deals // 3), deals=deals, seed=seed)


def synthetic_graph(organizations: int, deals: int, seed: int = 0) -> KnowledgeGraph:
    """A reproducible random graph of ``organizations`` organizations, ``deals`` deals, one product for
    every ten organizations and one valuation for every three deals."""
    rng = random.Random(seed)
    entities = [
        Entity(id=f"org-{i}", name=f"Organization {i}", kinds=tuple(rng.sample(_KINDS, rng.choice([1, 1, 2]))),
               aliases=(f"Org{i}",))
        for i in range(organizations)
    ]
    sources = {f"source-{i}": Source(f"source-{i}", "Example Wire", f"Report {i}", dt.date(2024, 1, 1) + dt.timedelta(i % 700),
                                     "day", f"https://example.org/report/{i}")
               for i in range(max(1, deals // 2))}
    source_ids = sorted(sources)
    products = [Entity(id=f"product-{i}", name=f"Product {i}", kinds=(rng.choice(_PRODUCT_KINDS),),
                       maker=f"org-{rng.randrange(organizations)}", sources=(rng.choice(source_ids),), is_product=True)
                for i in range(max(1, organizations // 10))]
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
        qualifier = rng.choice(["exact", "up-to", "more-than"])
        amount = Amount(value, "EUR", qualifier, value * EUR_IN_USD) if rng.random() < 0.1 else \
            Amount(value, "USD", qualifier, value)
        bought = (rng.choice(products).id,) if kind in ("compute-commitment", "supply") else ()
        records.append(Deal(
            id=f"deal-{i}", kind=kind, title=f"Deal {i}", parties=parties,
            announced_on=dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(2500)),
            status=rng.choice(_STATUSES), sources=(rng.choice(source_ids),), amount=amount,
            power=Quantity(Decimal(rng.randrange(1, 50)) / 10, "up-to") if kind == "compute-commitment" else None,
            products=bought,
        ))
    labs = [entity.id for entity in entities if "ai-lab" in entity.kinds] or [entities[0].id]
    valuations = []
    for i in range(max(1, deals // 3)):
        value = Decimal(rng.randrange(100, 1_000_000)) * 1_000_000
        valuations.append(Valuation(
            f"valuation-{i}", rng.choice(labs), Amount(value, "USD", "exact", value),
            rng.choice(["pre-money", "post-money", "offer"]),
            dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(2500)), rng.choice(_STATUSES[:3]),
            (rng.choice(source_ids),)))
    return KnowledgeGraph(Dataset(tuple(entities + products), tuple(records), tuple(valuations), sources))
