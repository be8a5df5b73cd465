"""Import a Crunchbase-style export (organizations, funding rounds, investments, acquisitions) into our model.

The input folder holds CSV files with the columns of Crunchbase's bulk export; only these are read:

- ``organizations.csv``: ``uuid``, ``name``, and optionally ``permalink``, ``legal_name``, ``roles``
  (``company``, ``investor``, ...), ``short_description``, ``alias1`` to ``alias3``;
- ``funding_rounds.csv``: ``uuid``, ``org_uuid``, ``announced_on``, and optionally ``name``,
  ``investment_type``, ``raised_amount_usd``, ``raised_amount``, ``raised_amount_currency_code``,
  ``post_money_valuation_usd``, ``cb_url``;
- ``investments.csv``: ``funding_round_uuid``, ``investor_uuid``;
- ``acquisitions.csv``: ``uuid``, ``acquirer_uuid``, ``acquiree_uuid``, ``acquired_on``, and optionally
  ``name``, ``price_usd``, ``price``, ``price_currency_code``, ``cb_url``.

Organizations get ids from their permalinks (a second ``little-co`` becomes ``little-co-2``, and a
second organization of one name is named with its id in brackets, so lookups by name stay
unambiguous). Each funding round becomes a ``funding-round`` deal with its investors (a round without any is left
out and counted), each post-money valuation a valuation, each acquisition an ``acquisition`` deal.
Every record cites the Crunchbase entry it came from. Problems in the input name the file and row.
``aikg import-crunchbase DIR --out DATA`` writes the result in the bulk CSV layout, ready for
``kg.load(DATA)``.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kg.errors import DataError, Problem
from kg.loaders.csvfile import not_utf8
from kg.model import Amount, Dataset, Deal, Entity, Source, Valuation, is_web_url, parse_partial_date, slug
from kg.progress import Progress

REQUIRED = {
    "organizations.csv": ("uuid", "name"),
    "funding_rounds.csv": ("uuid", "org_uuid", "announced_on"),
    "investments.csv": ("funding_round_uuid", "investor_uuid"),
    "acquisitions.csv": ("uuid", "acquirer_uuid", "acquiree_uuid", "acquired_on"),
}


class _Rows:
    """The rows of one input file, with their line numbers, checked for the required columns."""

    def __init__(self, folder: Path, name: str, problems: list[Problem]) -> None:
        self.path = folder / name
        self.name = name
        self.problems = problems

    def __iter__(self):
        if not self.path.exists():
            if self.name == "organizations.csv":
                self.problems.append(Problem(str(self.path), None, None, "no such file",
                                             "a Crunchbase export folder holds organizations.csv"))
            return
        line = 1
        try:
            with self.path.open(newline="", encoding="utf-8-sig") as stream, Progress(f"reading {self.name}") as progress:
                reader = csv.DictReader(stream)
                missing = [column for column in REQUIRED[self.name] if column not in (reader.fieldnames or [])]
                if missing:
                    self.problem(1, None, f"missing column {', '.join(map(repr, missing))}",
                                 "export the file with Crunchbase's column names")
                    return
                for row in reader:
                    progress.advance()
                    line = reader.line_num + 1
                    yield reader.line_num, row
        except UnicodeDecodeError:
            self.problems.append(not_utf8(self.path, str(self.path),
                                          "export it again as UTF-8, or convert it (iconv -f latin1 -t utf-8)"))
        except csv.Error as error:
            self.problem(line, None, f"cannot read the row: {error}", "check its quotes")
        except OSError as error:
            self.problem(None, None, f"cannot read the file: {error.strerror}")

    def problem(self, line: int | None, record: str | None, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(str(self.path), line, record, message, hint))


def _money(rows: _Rows, line: int, record: str, value: str, what: str) -> Decimal | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        rows.problem(line, record, f"{what} {value!r} is not a number")
        return None
    if number < 0:
        rows.problem(line, record, f"{what} {value!r} is negative")
        return None
    return number


def _date(rows: _Rows, line: int, record: str, value: str, what: str) -> tuple[dt.date, str] | None:
    try:
        return parse_partial_date((value or "").strip())
    except ValueError as error:
        rows.problem(line, record, f"{what}: {error}", "write YYYY-MM-DD")
        return None


def import_crunchbase(folder: str | Path) -> tuple[Dataset, int]:
    """Read a Crunchbase-style export into a dataset.

    Returns
    -------
    (dataset, skipped)
        The records, and how many funding rounds were left out for naming no investor.

    Raises
    ------
    DataError
        Listing every problem in the input, each with its file and row.
    """
    folder = Path(folder)
    problems: list[Problem] = []
    organizations: dict[str, Entity] = {}
    ids: set[str] = set()
    names: set[str] = set()
    sources: dict[str, Source] = {}

    rows = _Rows(folder, "organizations.csv", problems)
    for line, row in rows:
        uuid, name = row["uuid"].strip(), (row["name"] or "").strip()
        if not uuid or not name:
            rows.problem(line, uuid or None, "an organization needs a uuid and a name")
            continue
        identifier = base = slug(row.get("permalink") or name)
        counter = 2
        while identifier in ids:
            identifier, counter = f"{base}-{counter}", counter + 1
        ids.add(identifier)
        if name.casefold() in names:  # two organizations of one name: lookups by name must stay unambiguous
            name = f"{name} ({identifier})"
        names.add(name.casefold())
        roles = {role.strip() for role in (row.get("roles") or "").split(",")}
        kinds = ("company", "investor") if "investor" in roles else ("company",)
        if roles == {"investor"}:
            kinds = ("investor",)
        aliases = tuple(dict.fromkeys(alias.strip() for alias in
                                      (row.get("legal_name"), row.get("alias1"), row.get("alias2"), row.get("alias3"))
                                      if alias and alias.strip() and alias.strip() != name))
        organizations[uuid] = Entity(identifier, name, kinds, aliases,
                                     description=(row.get("short_description") or "").strip() or None)

    def organization(rows: _Rows, line: int, record: str, uuid: str, what: str) -> str | None:
        entity = organizations.get((uuid or "").strip())
        if entity is None:
            rows.problem(line, record, f"{what} {uuid!r} is not in organizations.csv")
            return None
        return entity.id

    def cite(rows: _Rows, line: int, uuid: str, title: str, url: str | None) -> str:
        source_id = f"crunchbase-{slug(uuid)}"
        url = (url or "").strip() or None
        if url is not None and not is_web_url(url):
            rows.problem(line, uuid, f"cb_url {url!r} is not a valid http(s) address", "fix or empty the cell")
            url = None
        sources[source_id] = Source(source_id, "Crunchbase", title, None, "day", url)
        return source_id

    investors_of: dict[str, list[str]] = {}
    rows = _Rows(folder, "investments.csv", problems)
    for line, row in rows:
        investor = organization(rows, line, row["funding_round_uuid"], row["investor_uuid"], "investor_uuid")
        if investor:
            investors_of.setdefault(row["funding_round_uuid"].strip(), []).append(investor)

    deals: list[Deal] = []
    valuations: list[Valuation] = []
    skipped = 0
    rows = _Rows(folder, "funding_rounds.csv", problems)
    for line, row in rows:
        uuid = row["uuid"].strip()
        investee = organization(rows, line, uuid, row["org_uuid"], "org_uuid")
        when = _date(rows, line, uuid, row["announced_on"], "announced_on")
        usd = _money(rows, line, uuid, row.get("raised_amount_usd"), "raised_amount_usd")
        raised = _money(rows, line, uuid, row.get("raised_amount"), "raised_amount")
        valuation = _money(rows, line, uuid, row.get("post_money_valuation_usd"), "post_money_valuation_usd")
        if investee is None or when is None:
            continue
        investors = sorted(set(investors_of.get(uuid, [])) - {investee})
        if not investors:
            skipped += 1
            continue
        currency = (row.get("raised_amount_currency_code") or "USD").strip() or "USD"
        amount = None
        if raised is not None and currency != "USD":
            amount = Amount(raised, currency, "exact", usd)
        elif usd is not None or raised is not None:
            amount = Amount(usd if usd is not None else raised, "USD", "exact", usd if usd is not None else raised)
        name = (row.get("name") or "").strip() or f"{(row.get('investment_type') or 'funding').replace('_', ' ')} round"
        source = cite(rows, line, uuid, name, row.get("cb_url"))
        deal_id = f"{investee}-round-{slug(uuid)}"
        deals.append(Deal(deal_id, "funding-round", name, {"investor": tuple(investors), "investee": (investee,)},
                          when[0], "completed", (source,), when[1], amount))
        if valuation is not None:
            valuations.append(Valuation(f"{deal_id}-valuation", investee, Amount(valuation, "USD", "exact", valuation),
                                        "post-money", when[0], "completed", (source,), when[1], deal_id))

    rows = _Rows(folder, "acquisitions.csv", problems)
    for line, row in rows:
        uuid = row["uuid"].strip()
        acquirer = organization(rows, line, uuid, row["acquirer_uuid"], "acquirer_uuid")
        acquiree = organization(rows, line, uuid, row["acquiree_uuid"], "acquiree_uuid")
        when = _date(rows, line, uuid, row["acquired_on"], "acquired_on")
        usd = _money(rows, line, uuid, row.get("price_usd"), "price_usd")
        price = _money(rows, line, uuid, row.get("price"), "price")
        if acquirer is None or acquiree is None or when is None:
            continue
        currency = (row.get("price_currency_code") or "USD").strip() or "USD"
        amount = Amount(price, currency, "exact", usd) if price is not None and currency != "USD" else \
            None if usd is None and price is None else Amount(usd or price, "USD", "exact", usd or price)
        name = (row.get("name") or "").strip() or f"{organizations[row['acquirer_uuid'].strip()].name} acquires " \
                                                   f"{organizations[row['acquiree_uuid'].strip()].name}"
        deals.append(Deal(f"{acquirer}-acquires-{acquiree}-{slug(uuid)}", "acquisition", name,
                          {"acquirer": (acquirer,), "acquiree": (acquiree,)}, when[0], "completed",
                          (cite(rows, line, uuid, name, row.get("cb_url")),), when[1], amount))
    if problems:
        raise DataError(problems)
    return Dataset(tuple(organizations.values()), tuple(deals), tuple(valuations), sources), skipped
