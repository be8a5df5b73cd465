"""Reading the bulk CSV layout at speed, a whole column at a time.

:func:`read_csv_dataset` checks each column in one sweep (every id of a column against the id pattern
in one match, each distinct date and kind once) and builds the records straight from the columns. It
applies the rules of the row-by-row reader in :mod:`kg.loaders.data`, and where any value breaks one, or the
file has any irregular shape, it returns None: the row-by-row reader then runs and names every
problem with its row. So a folder either loads here into exactly the dataset the row-by-row reader
would give, or is read row by row; the tests check both by breaking each column in turn.

Only a record's own id is checked against the id pattern: a reference (a party, a source, a parent)
must name a loaded record, whose id was checked, and :func:`kg.loaders.references.reference_findings` sees to that.

>>> from kg.exporters.csvfolder import write_csv_folder
>>> import kg, tempfile
>>> folder = tempfile.mkdtemp()
>>> _ = write_csv_folder(kg.load().dataset, folder)
>>> read_csv_dataset(Path(folder), kg.load_vocabulary()) == kg.load().dataset
True
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import cache
from itertools import islice
from operator import attrgetter
from pathlib import Path

from kg.csvlayout import COLUMNS, LIST_SEPARATOR
from kg.loaders.references import reference_findings
from kg.model import (CURRENCY_PATTERN, ID_PATTERN, LARGE_AMOUNT_USD, LARGE_VALUATION_USD, WIKIDATA_PATTERN, Amount, Dataset, is_plain_number, is_web_url,
                      Deal, Entity, Quantity, Source, Valuation, parse_partial_date)
from kg.progress import Progress
from kg.resources import DATA_FILES
from kg.vocabulary import Vocabulary

_CHUNK = 10_000


class _Doubt(Exception):
    """A value or a shape that the row-by-row reader must look at."""


def read_csv_dataset(folder: Path, vocabulary: Vocabulary, progress: Progress | None = None) -> Dataset | None:
    """The folder's dataset when it is in the CSV layout throughout and every value passes every check;
    None when the row-by-row reader must look (it reports what is wrong). ``progress`` is told of each
    file read and of the checks."""
    if any((folder / name).exists() for name in DATA_FILES):
        return None
    try:
        return _Reader(folder, vocabulary, progress or Progress("loading", stream=None)).dataset()
    except _Doubt:
        return None


def _columns(path: Path, progress: Progress) -> dict[str, list[str]]:
    """The file's stripped cells by column, every column of the layout present (empty where the file
    lacks it). A missing file reads as no rows, as in the row-by-row reader."""
    expected = COLUMNS[path.name]
    if not path.exists():
        return {column: [] for column in expected}
    try:
        with path.open(newline="", encoding="utf-8-sig") as stream:
            progress.stage(f"reading {path.name}")
            reader = csv.reader(stream)
            header = next(reader, [])
            rows: list[list[str]] = []
            while chunk := list(islice(reader, _CHUNK)):
                rows += chunk
                progress.advance(len(chunk))
    except (OSError, UnicodeDecodeError, csv.Error):
        raise _Doubt from None
    if expected[0] not in header or len(set(header)) != len(header) or not set(header) <= set(expected):
        raise _Doubt
    if set(map(len, rows)) - {len(header)}:
        rows = [row for row in rows if row]  # blank lines hold no record
        if set(map(len, rows)) - {len(header)}:
            raise _Doubt
    cells = list(zip(*rows)) if rows else [()] * len(header)
    empty = [""] * len(rows)
    by_name = dict(zip(header, cells))
    return {column: list(map(str.strip, by_name[column])) if any(by_name.get(column, ())) else empty
            for column in expected}


def _required(*columns: list[str]) -> None:
    for cells in columns:
        if not all(cells):
            raise _Doubt


def _all_match(pattern: re.Pattern, values) -> None:
    """Every value matches the pattern, tested in one match over the values a line each (none of the
    patterns matches a line break, and a value holding one is counted out)."""
    values = list(values)
    if not values:
        return
    text = "\n".join(values) + "\n"
    if text.count("\n") != len(values) or not _joined(pattern).fullmatch(text):
        raise _Doubt


@cache
def _joined(pattern: re.Pattern) -> re.Pattern:
    return re.compile(rf"(?:{pattern.pattern}\n)*")


def _texts(cells: list[str]) -> list[str | None]:
    return [cell or None for cell in cells] if any(cells) else [None] * len(cells)


def _lists(cells: list[str]) -> list[tuple[str, ...]]:
    """``a; b`` cells as tuples, empty items dropped, as the row-by-row reader splits them."""
    split = {}
    for cell in set(cells):
        split[cell] = tuple(item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()) \
            if LIST_SEPARATOR in cell else (cell,) if cell else ()
    return [split[cell] for cell in cells]


def _choices(cells, allowed) -> None:
    if not set(cells) <= set(allowed):
        raise _Doubt


def _dates(cells: list[str], latest: dt.date | None = None) -> list[tuple[dt.date | None, str]]:
    """Each cell as (first day, precision); (None, "day") for an empty one."""
    parsed: dict[str, tuple[dt.date | None, str]] = {"": (None, "day")}
    try:
        for cell in set(cells) - {""}:
            parsed[cell] = parse_partial_date(cell)
    except ValueError:
        raise _Doubt from None
    if latest is not None and any(date is not None and date > latest for date, _ in parsed.values()):
        raise _Doubt
    return [parsed[cell] for cell in cells]


def _numbers(cells: list[str]) -> list[Decimal | None]:
    """Each cell as a non-negative finite number, None for an empty one."""
    if not any(cells):
        return [None] * len(cells)
    parsed: dict[str, Decimal | None] = {"": None}
    for cell in set(cells) - {""}:
        try:
            number = Decimal(cell.replace("_", ""))
        except InvalidOperation:
            raise _Doubt from None
        if not is_plain_number(number):
            raise _Doubt
        parsed[cell] = number
    return [parsed[cell] for cell in cells]


class _Reader:
    def __init__(self, folder: Path, vocabulary: Vocabulary, progress: Progress) -> None:
        self.folder = folder
        self.vocabulary = vocabulary
        self.progress = progress

    def dataset(self) -> Dataset:
        sources = self.sources()
        entities = self.entities() + self.products()
        deals = self.deals()
        valuations = self.valuations()
        ids = [*sources, *map(attrgetter("id"), entities), *map(attrgetter("id"), deals),
               *map(attrgetter("id"), valuations)]
        if len(set(ids)) != len(ids):
            raise _Doubt
        dataset = Dataset(entities=tuple(entities), deals=tuple(deals), valuations=tuple(valuations), sources=sources)
        self.progress.stage("checking references")
        if reference_findings(dataset):
            raise _Doubt
        return dataset

    def table(self, name: str) -> dict[str, list[str]]:
        return _columns(self.folder / name, self.progress)

    def amounts(self, table: dict[str, list[str]]) -> list[Amount | None]:
        """The amount columns as the row-by-row reader reads them: the currency, qualifier and USD
        figure count only beside an amount."""
        values, usds = _numbers(table["amount"]), _numbers(table["amount_usd"])
        currencies = [currency or "USD" for currency in table["currency"]]
        qualifiers = [qualifier or "exact" for qualifier in table["amount_qualifier"]]
        present = [value is not None for value in values]
        _all_match(CURRENCY_PATTERN, {c for c, here in zip(currencies, present) if here})
        _choices((q for q, here in zip(qualifiers, present) if here), self.vocabulary.qualifiers)
        amounts: list[Amount | None] = []
        for value, currency, qualifier, usd in zip(values, currencies, qualifiers, usds):
            if value is None:
                amounts.append(None)
                continue
            if currency == "USD":
                if usd is None:
                    usd = value
                elif usd != value:
                    raise _Doubt
            amounts.append(Amount(value, currency, qualifier, usd))
        return amounts

    def quantities(self, table: dict[str, list[str]], column: str, qualifier_column: str) -> list[Quantity | None]:
        values = _numbers(table[column])
        qualifiers = [q or "exact" for q, value in zip(table[qualifier_column], values) if value is not None]
        _choices(qualifiers, self.vocabulary.qualifiers)
        qualifier = iter(qualifiers)
        return [None if value is None else Quantity(value, next(qualifier)) for value in values]

    def sources(self) -> dict[str, Source]:
        table = self.table("sources.csv")
        ids, publishers, titles, urls = table["id"], table["publisher"], table["title"], table["url"]
        _required(ids, publishers, titles)
        _all_match(ID_PATTERN, ids)
        if not all(is_web_url(url) for url in set(urls) - {""}):
            raise _Doubt
        return {identifier: Source(identifier, publisher, title, date, precision, url or None)
                for identifier, publisher, title, (date, precision), url
                in zip(ids, publishers, titles, _dates(table["published_on"]), urls)}

    def _entities(self, name: str, kinds_allowed) -> tuple[dict[str, list], list[tuple[str, ...]]]:
        table = self.table(name)
        kinds = _lists(table["kinds"])
        _required(table["id"], table["name"], kinds)
        _all_match(ID_PATTERN, table["id"])
        _choices({kind for items in set(kinds) for kind in items}, kinds_allowed)
        _all_match(WIKIDATA_PATTERN, set(table["wikidata"]) - {""})
        return table, kinds

    def entities(self) -> list[Entity]:
        table, kinds = self._entities("entities.csv", self.vocabulary.organization_kinds)
        parents, sources = _texts(table["parent"]), _lists(table["sources"])
        if any(parent and not cited for parent, cited in zip(parents, sources)):
            raise _Doubt  # a parent organization needs a source
        since, until = _dates(table["parent_since"]), _dates(table["parent_until"])
        if any((start or end) and not parent or (start and end and end <= start)
               for parent, (start, _), (end, _) in zip(parents, since, until)):
            raise _Doubt  # a dated relation without a parent, or one that ends before it begins
        return [Entity(identifier, name, kind, aliases, parent, None, description, wikidata or None, cited, False,
                       start, start_precision, end, end_precision)
                for identifier, name, kind, aliases, parent, description, wikidata, cited, (start, start_precision),
                (end, end_precision) in zip(table["id"], table["name"], kinds, _lists(table["aliases"]), parents,
                                            _texts(table["description"]), table["wikidata"], sources, since, until)]

    def products(self) -> list[Entity]:
        table, kinds = self._entities("products.csv", self.vocabulary.product_kinds)
        sources = _lists(table["sources"])
        _required(table["maker"], sources)
        return [Entity(identifier, name, kind, aliases, None, maker, description, wikidata or None, cited, True)
                for identifier, name, kind, maker, aliases, description, wikidata, cited
                in zip(table["id"], table["name"], kinds, table["maker"], _lists(table["aliases"]),
                       _texts(table["description"]), table["wikidata"], sources)]

    def parties(self, deal_ids: list[str]) -> dict[str, dict[str, tuple[str, ...]]]:
        table = self.table("deal_parties.csv")
        deals, roles, parties = table["deal"], table["role"], table["party"]
        _required(deals, roles, parties)
        _choices(set(roles), self.vocabulary.roles)
        counts = Counter(deals)
        if counts.keys() != set(deal_ids) or min(counts.values(), default=2) < 2:
            raise _Doubt  # a party row of no deal, or a deal without two parties
        gathered: dict[str, dict[str, tuple[str, ...]]] = {identifier: {} for identifier in deal_ids}
        for deal, role, party in zip(deals, roles, parties):
            by_role = gathered[deal]
            by_role[role] = by_role.get(role, ()) + (party,)
        return gathered

    def deals(self) -> list[Deal]:
        table = self.table("deals.csv")
        ids, kinds, titles, statuses = table["id"], table["kind"], table["title"], table["status"]
        sources = _lists(table["sources"])
        _required(ids, kinds, titles, table["announced_on"], statuses, sources)
        _all_match(ID_PATTERN, ids)
        _choices(set(kinds), self.vocabulary.deal_kinds)
        _choices(set(statuses), self.vocabulary.statuses)
        confirmed = {"": False, "true": True, "false": False}
        try:
            confirmations = [confirmed[cell.lower()] for cell in table["large_amount_confirmed"]]
        except KeyError:
            raise _Doubt from None
        amounts = self.amounts(table)
        if any(amount is not None and amount.usd is not None and float(amount.usd) > LARGE_AMOUNT_USD and not is_confirmed
               for amount, is_confirmed in zip(amounts, confirmations)):
            raise _Doubt
        parties = self.parties(ids)
        return [
            Deal(identifier, kind, title, parties[identifier], announced_on, status, cited, precision, amount, power,
                 chips, customers, duration, products, part_of, conditions, notes, supersedes, alternative_of)
            for identifier, kind, title, (announced_on, precision), status, cited, amount, power, chips, customers,
            duration, products, part_of, conditions, notes, supersedes, alternative_of in zip(
                ids, kinds, titles, _dates(table["announced_on"], latest=dt.date.today()), statuses, sources, amounts,
                self.quantities(table, "power_gw", "power_qualifier"), self.quantities(table, "chips", "chips_qualifier"),
                self.quantities(table, "customers", "customers_qualifier"), _numbers(table["duration_years"]),
                _lists(table["products"]), _texts(table["part_of"]), _texts(table["conditions"]),
                _texts(table["notes"]), _texts(table["supersedes"]), _texts(table["alternative_of"]))
        ]

    def valuations(self) -> list[Valuation]:
        table = self.table("valuations.csv")
        ids, entities, statuses, bases = table["id"], table["entity"], table["status"], table["basis"]
        sources = _lists(table["sources"])
        amounts = self.amounts(table)
        _required(ids, entities, amounts, table["date"], statuses, sources)
        _all_match(ID_PATTERN, ids)
        _choices(set(statuses), self.vocabulary.statuses)
        _choices(set(bases) - {""}, self.vocabulary.valuation_bases)
        flags = {"": False, "true": True, "false": False}
        try:
            confirmations = [flags[cell.lower()] for cell in table["large_amount_confirmed"]]
        except KeyError:
            raise _Doubt from None
        if any(amount.usd is not None and float(amount.usd) > LARGE_VALUATION_USD and not confirmed
               for amount, confirmed in zip(amounts, confirmations)):
            raise _Doubt
        return [Valuation(identifier, entity, amount, basis or None, date, status, cited, precision, deal, notes)
                for identifier, entity, amount, basis, (date, precision), status, cited, deal, notes
                in zip(ids, entities, amounts, bases, _dates(table["date"]), statuses, sources,
                       _texts(table["deal"]), _texts(table["notes"]))]
