"""The bulk CSV layout's files and columns, shared by its reader (:mod:`kg.loaders.csvfile`) and its
writer (:mod:`kg.exporters.csvfolder`). ``data/README.md`` documents each column.

>>> COLUMNS["deal_parties.csv"]
['deal', 'role', 'party']
"""

LIST_SEPARATOR = ";"
COLUMNS = {
    "sources.csv": ["id", "publisher", "title", "published_on", "url"],
    "entities.csv": ["id", "name", "kinds", "aliases", "parent", "parent_since", "parent_until", "description",
                     "wikidata", "sources"],
    "products.csv": ["id", "name", "kinds", "maker", "aliases", "description", "wikidata", "sources"],
    "deals.csv": ["id", "kind", "title", "announced_on", "status", "amount", "currency", "amount_qualifier",
                  "amount_usd", "power_gw", "power_qualifier", "chips", "chips_qualifier", "customers",
                  "customers_qualifier", "duration_years", "products", "part_of", "supersedes", "alternative_of",
                  "conditions", "notes", "sources", "large_amount_confirmed"],
    "deal_parties.csv": ["deal", "role", "party"],
    "valuations.csv": ["id", "entity", "amount", "currency", "amount_qualifier", "amount_usd", "basis", "date",
                       "status", "deal", "notes", "sources", "large_amount_confirmed"],
}
