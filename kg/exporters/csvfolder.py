"""Write a dataset in the bulk CSV layout (:mod:`kg.csvlayout`), which :mod:`kg.loaders.csvfile` reads
back into an equal graph."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from kg.csvlayout import COLUMNS, LIST_SEPARATOR
from kg.files import write_files
from kg.model import LARGE_AMOUNT_USD, LARGE_VALUATION_USD, Dataset, Quantity, format_partial_date

def _quantity(quantity: Quantity | None) -> tuple[str, str]:
    return ("", "") if quantity is None else (format(quantity.value, "f"), quantity.qualifier)


def _join(items) -> str:
    return f"{LIST_SEPARATOR} ".join(items)


def _table(name: str, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS[name])
    writer.writerows(rows)
    return buffer.getvalue()


def csv_tables(dataset: Dataset) -> dict[str, str]:
    """Every file of the layout for a dataset, as text."""
    def date(value, precision) -> str:
        return "" if value is None else format_partial_date(value, precision)

    organizations = [e for e in dataset.entities if not e.is_product]
    products = [e for e in dataset.entities if e.is_product]
    tables = {
        "sources.csv": _table("sources.csv", (
            [s.id, s.publisher, s.title, date(s.published_on, s.published_precision), s.url or ""]
            for s in dataset.sources.values())),
        "entities.csv": _table("entities.csv", (
            [e.id, e.name, _join(e.kinds), _join(e.aliases), e.parent or "", date(e.parent_since, e.parent_since_precision),
             date(e.parent_until, e.parent_until_precision), e.description or "", e.wikidata or "", _join(e.sources)]
            for e in organizations)),
        "products.csv": _table("products.csv", (
            [e.id, e.name, _join(e.kinds), e.maker or "", _join(e.aliases), e.description or "", e.wikidata or "",
             _join(e.sources)] for e in products)),
    }
    deal_rows, party_rows = [], []
    for d in dataset.deals:
        amount = d.amount
        deal_rows.append([
            d.id, d.kind, d.title, date(d.announced_on, d.announced_precision), d.status,
            "" if amount is None else format(amount.value, "f"), "" if amount is None else amount.currency,
            "" if amount is None else amount.qualifier,
            "" if amount is None or amount.usd is None or amount.currency == "USD" else format(amount.usd, "f"),
            *_quantity(d.power), *_quantity(d.chips), *_quantity(d.customers),
            "" if d.duration_years is None else format(d.duration_years, "f"), _join(d.products), d.part_of or "",
            d.supersedes or "", d.alternative_of or "", d.conditions or "", d.notes or "", _join(d.sources),
            "true" if d.amount_usd is not None and d.amount_usd > LARGE_AMOUNT_USD else "",
        ])
        party_rows += [[d.id, role, party] for role, ids in d.parties.items() for party in ids]
    tables["deals.csv"] = _table("deals.csv", deal_rows)
    tables["deal_parties.csv"] = _table("deal_parties.csv", party_rows)
    tables["valuations.csv"] = _table("valuations.csv", (
        [v.id, v.entity, format(v.amount.value, "f"), v.amount.currency, v.amount.qualifier,
         "" if v.amount.usd is None or v.amount.currency == "USD" else format(v.amount.usd, "f"), v.basis or "",
         date(v.date, v.date_precision), v.status, v.deal or "", v.notes or "", _join(v.sources),
         "true" if v.amount_usd is not None and v.amount_usd > LARGE_VALUATION_USD else ""]
        for v in dataset.valuations))
    return tables


def write_csv_folder(dataset: Dataset, folder: str | Path) -> list[Path]:
    """Write a dataset in the bulk CSV layout, atomically; returns the files written."""
    folder = Path(folder)
    contents = {folder / name: text for name, text in csv_tables(dataset).items()}
    write_files(contents)
    return list(contents)
