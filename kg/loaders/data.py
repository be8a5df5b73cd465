"""Read and validate a data folder: ``sources.yaml``, ``entities.yaml``, ``products.yaml``,
``deals.yaml`` and ``valuations.yaml`` (each documented field by field in ``data/README.md``), or the
same records in the bulk CSV layout (``sources.csv``, ..., ``deal_parties.csv``; see :mod:`kg.loaders.csvfile`).

Validation reports every problem in one pass, each with its file, line and record, and raises one
:class:`~kg.errors.DataError` carrying them all. Loading never writes to the input.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import re
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable

from kg.loaders.csvfile import attach_parties, read_csv_records
from kg.loaders.references import reference_findings
from kg.errors import DataError, Problem, shown
from kg.model import (CURRENCY_PATTERN, ID_PATTERN, LEGAL_FORM, LARGE_AMOUNT_USD, LARGE_VALUATION_USD, WIKIDATA_PATTERN, Amount, Dataset, is_plain_number, is_web_url,
                      Deal, Entity, Quantity, Source, Valuation, parse_partial_date)
from kg.progress import Progress
from kg.resources import DATA_DIR, DATA_FILES, ONTOLOGY_DIR, REQUIRED_FILES
from kg.suggest import did_you_mean
from kg.vocabulary import Vocabulary, load_vocabulary
from kg.loaders.yamlfile import Located

_FIELDS = {
    "sources.yaml": ({"id", "publisher", "title"}, {"published_on", "url"}),
    "entities.yaml": ({"id", "name", "kinds"},
                      {"aliases", "parent", "parent_since", "parent_until", "description", "wikidata", "sources"}),
    "products.yaml": ({"id", "name", "kinds", "maker", "sources"}, {"aliases", "description", "wikidata"}),
    "deals.yaml": (
        {"id", "kind", "title", "parties", "announced_on", "status", "sources"},
        {"amount", "power_gw", "chips", "customers", "duration_years", "products", "part_of", "supersedes",
         "alternative_of", "conditions", "notes", "large_amount_confirmed"},
    ),
    "valuations.yaml": (
        {"id", "entity", "amount", "date", "status", "sources"},
        {"basis", "deal", "notes", "large_amount_confirmed"},
    ),
}
_AMOUNT_FIELDS = ({"value"}, {"currency", "qualifier", "usd"})
_QUANTITY_FIELDS = ({"value"}, {"qualifier"})


def _known(choices) -> str:
    return "use one of: " + ", ".join(sorted(choices))


class _Reader:
    """Turns located YAML records into model records, collecting problems instead of stopping."""

    def __init__(self, vocabulary: Vocabulary, label: str) -> None:
        self.vocabulary = vocabulary
        self.label = label
        self.problems: list[Problem] = []

    def problem(self, record: Located, key: str | None, message: str, hint: str | None = None) -> None:
        line = record.line if key is None else record.line_of(key)
        self.problems.append(Problem(self.label, line, str(record.get("id", None) or "") or None, message, hint))

    def check_fields(self, record: Located, required: set[str], optional: set[str], within: str | None = None) -> bool:
        """Report unknown and missing fields of ``record``, or of its nested mapping ``within``."""
        mapping = record if within is None else record[within]
        context = "" if within is None else f"{within}."
        ok = True
        for key in mapping:
            if key not in required | optional:
                self.problem(record, within or key, f"unknown field {context}{shown(key)}",
                             did_you_mean(key, required | optional) or _known(required | optional))
        for key in sorted(required):
            if mapping.get(key) in (None, "", []):
                self.problem(record, within, f"missing required field {context}{shown(key)}")
                ok = False
        return ok

    def slug(self, record: Located, key: str, value: Any = None) -> str | None:
        value = record.get(key) if value is None else value
        if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
            self.problem(record, key, f"{key} {shown(value)} is not a valid id",
                         "ids are lowercase words joined by hyphens, like 'amazon-web-services'")
            return None
        return value

    def optional_slug(self, record: Located, key: str) -> str | None:
        """The id a field names, or None where the record leaves it out."""
        return None if record.get(key) is None else self.slug(record, key)

    def text(self, record: Located, key: str) -> str | None:
        value = record.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(record, key, f"{key} must be non-empty text, found {shown(value)}")
            return None
        return value

    def id_list(self, record: Located, key: str, value: Any = None) -> tuple[str, ...]:
        value = record.get(key) if value is None else value
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(record, key, f"{key} must be a list of ids, found {shown(value)}")
            return ()
        return tuple(item for item in (self.slug(record, key, v) for v in value) if item)

    def text_list(self, record: Located, key: str) -> tuple[str, ...]:
        value = record.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(record, key, f"{key} must be a list of non-empty texts, found {shown(value)}")
            return ()
        return tuple(value)

    def choice(self, record: Located, key: str, choices: dict, value: Any = None, what: str | None = None):
        value = record.get(key) if value is None else value
        if not isinstance(value, str):
            self.problem(record, key, f"{what or key} must be one word, found {shown(value)}", _known(choices))
            return None
        if value not in choices:
            self.problem(record, key, f"unknown {what or key} {shown(value)}", did_you_mean(value, choices) or _known(choices))
            return None
        return value

    def date(self, record: Located, key: str):
        value = record.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.problem(record, key, f"{key} must be a date like 2024-03-27, 2024-03 or 2024, found {shown(value)}")
            return None, "day"
        try:
            return parse_partial_date(value)
        except ValueError as error:
            self.problem(record, key, f"{key}: {error}", "write YYYY-MM-DD, YYYY-MM or YYYY")
            return None, "day"

    def number(self, record: Located, key: str, value: Any, what: str) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.problem(record, key, f"{what} must be a number, found {shown(value)}")
            return None
        try:
            number = Decimal(str(value).replace("_", ""))
        except InvalidOperation:
            self.problem(record, key, f"{what} must be a number, found {shown(value)}", "write digits, like 1250000000")
            return None
        if not is_plain_number(number):
            self.problem(record, key, f"{what} must be a finite, non-negative number, found {shown(value)}",
                         "write it in digits, like 1250000000")
            return None
        return number

    def quantity(self, record: Located, key: str) -> Quantity | None:
        value = record.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            number = self.number(record, key, value, key)
            return None if number is None else Quantity(number)
        self.check_fields(record, *_QUANTITY_FIELDS, within=key)
        number = self.number(record, key, value.get("value"), f"{key}.value") if "value" in value else None
        qualifier = self.choice(record, key, self.vocabulary.qualifiers, value.get("qualifier", "exact"), "qualifier")
        return None if number is None or qualifier is None else Quantity(number, qualifier)

    def amount(self, record: Located, key: str) -> Amount | None:
        value = record.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem(record, key, f"{key} must be a mapping with value, currency and qualifier, found {shown(value)}",
                         "for example: amount: {value: 5000000000, currency: USD, qualifier: up-to}")
            return None
        if not self.check_fields(record, *_AMOUNT_FIELDS, within=key):
            return None
        number = self.number(record, key, value["value"], f"{key}.value")
        currency = value.get("currency", "USD")
        if not isinstance(currency, str) or not CURRENCY_PATTERN.fullmatch(currency):
            self.problem(record, key, f"{key}.currency {shown(currency)} is not an ISO 4217 code", "write USD, EUR, GBP, ...")
            currency = None
        qualifier = self.choice(record, key, self.vocabulary.qualifiers, value.get("qualifier", "exact"), "qualifier")
        usd = None
        if "usd" in value:
            usd = self.number(record, key, value["usd"], f"{key}.usd")
            if currency == "USD" and usd is not None and usd != number:
                self.problem(record, key, f"{key}.usd differs from {key}.value for a USD amount", "drop usd")
        elif currency == "USD":
            usd = number
        if number is None or currency is None or qualifier is None:
            return None
        return Amount(number, currency, qualifier, usd)

    # --- records -----------------------------------------------------------------------------

    def source(self, record: Located) -> Source | None:
        if not self.check_fields(record, *_FIELDS["sources.yaml"]):
            return None
        published_on, precision = self.date(record, "published_on") if "published_on" in record else (None, "day")
        url = self.text(record, "url")
        if url is not None and not is_web_url(url):
            self.problem(record, "url", f"url {shown(url)} is not a valid http(s) address",
                         "give the full address, with https://, its spaces and special characters percent-encoded")
            url = None
        identifier, publisher, title = self.slug(record, "id"), self.text(record, "publisher"), self.text(record, "title")
        if None in (identifier, publisher, title) or ("published_on" in record and published_on is None):
            return None
        return Source(identifier, publisher, title, published_on, precision, url)

    def entity(self, record: Located, is_product: bool) -> Entity | None:
        if not self.check_fields(record, *_FIELDS["products.yaml" if is_product else "entities.yaml"]):
            return None
        kinds_allowed = self.vocabulary.product_kinds if is_product else self.vocabulary.organization_kinds
        kinds = record.get("kinds")
        if isinstance(kinds, str):
            kinds = [kinds]
        if not isinstance(kinds, list):
            self.problem(record, "kinds", f"kinds must be a list, found {shown(kinds)}")
            return None
        checked = [self.choice(record, "kinds", kinds_allowed, kind, "kind") for kind in kinds]
        wikidata = record.get("wikidata")
        if wikidata is not None and not (isinstance(wikidata, str) and WIKIDATA_PATTERN.fullmatch(wikidata)):
            self.problem(record, "wikidata", f"wikidata {shown(wikidata)} is not a Wikidata item id", "write it like Q3884")
            wikidata = None
        parent = self.optional_slug(record, "parent")
        maker = self.slug(record, "maker") if is_product else None
        sources = self.id_list(record, "sources")
        if parent and not sources:
            self.problem(record, "parent", "a parent organization needs a source", "add sources: [source-id]")
        dates = {}
        for key in ("parent_since", "parent_until"):
            dates[key] = self.date(record, key) if key in record else (None, "day")
            if key in record and not record.get("parent"):
                self.problem(record, key, f"{key} dates a parent relation, but no parent is named", "add parent: id")
        (since, since_precision), (until, until_precision) = dates["parent_since"], dates["parent_until"]
        if since is not None and until is not None and until <= since:
            self.problem(record, "parent_until", "parent_until must come after parent_since")
        identifier, name = self.slug(record, "id"), self.text(record, "name")
        aliases = self.text_list(record, "aliases")
        for alias in aliases:
            if re.fullmatch(LEGAL_FORM, alias.strip()):
                self.problem(record, "aliases", f"alias {shown(alias)} is only a legal form, so every company's "
                             "'Inc.' or 'Ltd' would read as this one", "a name with a comma needs quotes in YAML: "
                             "aliases: [\"Acme, Inc.\"]")
        if None in (identifier, name) or None in checked:
            return None
        return Entity(
            id=identifier, name=name, kinds=tuple(checked), aliases=aliases,
            parent=parent, maker=maker, description=self.text(record, "description"), wikidata=wikidata,
            sources=sources, is_product=is_product, parent_since=since, parent_since_precision=since_precision,
            parent_until=until, parent_until_precision=until_precision,
        )

    def deal(self, record: Located) -> Deal | None:
        if not self.check_fields(record, *_FIELDS["deals.yaml"]):
            return None
        parties: dict[str, tuple[str, ...]] = {}
        raw_parties = record["parties"]
        if not isinstance(raw_parties, dict):
            self.problem(record, "parties", "parties must map roles to lists of ids",
                         "for example: parties: {investor: [amazon], investee: [anthropic]}")
        else:
            for role, ids in raw_parties.items():
                if self.choice(record, "parties", self.vocabulary.roles, role, "role") is not None:
                    parties[role] = self.id_list(record, "parties", ids)
            if len(parties) == len(raw_parties) and sum(len(ids) for ids in parties.values()) < 2:
                self.problem(record, "parties", "a deal needs at least two parties")
        announced_on, precision = self.date(record, "announced_on")
        fields = dict(
            id=self.slug(record, "id"),
            kind=self.choice(record, "kind", self.vocabulary.deal_kinds),
            title=self.text(record, "title"),
            status=self.choice(record, "status", self.vocabulary.statuses),
            announced_on=announced_on,
        )
        duration = record.get("duration_years")
        if announced_on is not None and announced_on > dt.date.today():
            self.problem(record, "announced_on", f"announced_on {record['announced_on']} is in the future",
                         "record a deal once it has been made public")
        confirmed = record.get("large_amount_confirmed", False)
        if not isinstance(confirmed, bool):
            self.problem(record, "large_amount_confirmed", "large_amount_confirmed must be true or false")
        deal = Deal(
            **fields, parties=parties, announced_precision=precision, sources=self.id_list(record, "sources"),
            amount=self.amount(record, "amount"), power=self.quantity(record, "power_gw"),
            chips=self.quantity(record, "chips"), customers=self.quantity(record, "customers"),
            duration_years=None if duration is None else self.number(record, "duration_years", duration, "duration_years"),
            products=self.id_list(record, "products"),
            part_of=self.optional_slug(record, "part_of"),
            conditions=self.text(record, "conditions"), notes=self.text(record, "notes"),
            supersedes=self.optional_slug(record, "supersedes"),
            alternative_of=self.optional_slug(record, "alternative_of"),
        )
        if deal.amount_usd is not None and deal.amount_usd > LARGE_AMOUNT_USD and confirmed is not True:
            self.problem(record, "amount", f"an amount of more than ${LARGE_AMOUNT_USD / 1e12:.0f} trillion is "
                         "implausible for one deal", "check it; if it is right, add large_amount_confirmed: true")
        return None if None in fields.values() else deal

    def valuation(self, record: Located) -> Valuation | None:
        if not self.check_fields(record, *_FIELDS["valuations.yaml"]):
            return None
        date, precision = self.date(record, "date")
        basis = record.get("basis")
        fields = dict(
            id=self.slug(record, "id"),
            entity=self.slug(record, "entity"),
            amount=self.amount(record, "amount"),
            status=self.choice(record, "status", self.vocabulary.statuses),
            date=date,
        )
        if basis is not None:
            basis = self.choice(record, "basis", self.vocabulary.valuation_bases)
        valuation = Valuation(
            **fields, basis=basis, date_precision=precision, sources=self.id_list(record, "sources"),
            deal=self.optional_slug(record, "deal"),
            notes=self.text(record, "notes"),
        )
        confirmed = record.get("large_amount_confirmed", False)
        if not isinstance(confirmed, bool):
            self.problem(record, "large_amount_confirmed", "large_amount_confirmed must be true or false")
        if valuation.amount is not None and valuation.amount_usd is not None \
                and valuation.amount_usd > LARGE_VALUATION_USD and confirmed is not True:
            self.problem(record, "amount", f"a valuation of more than ${LARGE_VALUATION_USD / 1e12:.0f} trillion is "
                         "implausible", "check it; if it is right, add large_amount_confirmed: true")
        return None if None in fields.values() or (record.get("basis") is not None and basis is None) else valuation


def _data_file(folder: Path, name: str) -> tuple[Path | None, list[Problem]]:
    """Which file holds a data file's records (``NAME.yaml``, else ``NAME.csv``), or the problem with it:
    a required file missing, or a name that is a broken link, a folder or anything but a readable file."""
    for path in (folder / name, folder / name.replace(".yaml", ".csv")):
        if not os.path.lexists(path):
            continue
        if not path.exists():
            return None, [Problem(str(path), None, None, "is a link to nothing (or to itself)",
                                  "point it at the file, or replace it with the file")]
        if not path.is_file():
            return None, [Problem(str(path), None, None, "is not a file", f"give the folder a {name} file")]
        return path, []
    if name in REQUIRED_FILES:
        return None, [Problem(str(folder / name), None, None, "is missing",
                              f"every data folder needs {name} (or {name.replace('.yaml', '.csv')})")]
    return None, []


def _read_file(folder: Path, name: str) -> tuple[str, list[Located], list[Problem], bool]:
    """One file's records, from ``NAME.yaml`` or, where there is none, from ``NAME.csv``."""
    path, problems = _data_file(folder, name)
    if path is None:
        return str(folder / name), [], problems, not problems
    if path.suffix == ".yaml":
        from kg.loaders.yamlfile import read_records  # imports PyYAML, which a cached load does without

        records, problems, readable = read_records(path, str(path))
    else:
        records, problems, readable = read_csv_records(path, str(path))
        if name == "deals.yaml" and readable:
            parties_path = folder / "deal_parties.csv"
            parties, party_problems, parties_readable = read_csv_records(parties_path, str(parties_path))
            problems += party_problems + attach_parties(records, parties, str(parties_path))
            readable = readable and parties_readable
    if readable and not records and not problems and name in REQUIRED_FILES:
        problems.append(Problem(str(path), None, None, "holds no records",
                                f"add the {name.removesuffix('.yaml')} the other files name"))
        readable = False
    return str(path), records, problems, readable


def _read_folder(folder: Path, vocabulary: Vocabulary) -> tuple[Dataset, list[Problem], dict[str, tuple[str, Located]], bool]:
    """Read every file of the folder.

    Returns the records, the problems, where each id stands, and whether every file could be read
    as a whole (when one could not, the ids it holds are unknown, and so are dangling references).
    """
    problems: list[Problem] = []
    complete = True
    where: dict[str, tuple[str, Located]] = {}
    built: dict[str, list] = {name: [] for name in DATA_FILES}
    for name in DATA_FILES:
        label, records, file_problems, readable = _read_file(folder, name)
        problems += file_problems
        complete = complete and readable
        reader = _Reader(vocabulary, label)
        make: Callable[[Located], Any] = {
            "sources.yaml": reader.source,
            "entities.yaml": lambda record: reader.entity(record, is_product=False),
            "products.yaml": lambda record: reader.entity(record, is_product=True),
            "deals.yaml": reader.deal,
            "valuations.yaml": reader.valuation,
        }[name]
        for record in records:
            identifier = record.get("id")
            if isinstance(identifier, str) and identifier in where:
                other_label, other = where[identifier]
                reader.problem(record, "id", f"duplicate id {shown(identifier)}, first used at {other_label}:{other.line}",
                               "give each record its own id")
                continue
            if isinstance(identifier, str):
                where[identifier] = (label, record)
            item = make(record)
            if item is not None:
                built[name].append(item)
        problems += reader.problems
    sources = {source.id: source for source in built["sources.yaml"]}
    dataset = Dataset(
        entities=tuple(built["entities.yaml"] + built["products.yaml"]),
        deals=tuple(built["deals.yaml"]),
        valuations=tuple(built["valuations.yaml"]),
        sources=sources,
    )
    return dataset, problems, where, complete


def _check_references(dataset: Dataset, where: dict[str, tuple[str, Located]]) -> list[Problem]:
    """:func:`reference_findings`, each placed at its file and line."""
    every = {e.id for e in dataset.entities} | {d.id for d in dataset.deals} | \
        {v.id for v in dataset.valuations} | set(dataset.sources)
    problems = []
    for owner, key, message, hint in reference_findings(dataset, set(where) - every):
        label, record = where[owner]
        problems.append(Problem(label, record.line if key is None else record.line_of(key), owner, message, hint))
    return problems


def _cache_file(folder: Path) -> Path | None:
    """Where a validated copy of the folder's records is kept, keyed by the folder, by the contents of
    every input file (a hash: an edit that keeps a file's size and time still reads the data anew) and
    by this code's own files (their size and modification time).

    Only folders read record by record (YAML, or CSV the column reader declined) are cached: parsing
    YAML is what is slow, while a million triples load from CSV in about 1.3 s, and caching bulk
    folders would fill the cache with copies as large as themselves.

    ``AIKG_CACHE_DIR`` names the folder (by default ``$XDG_CACHE_HOME/aikg`` or ``~/.cache/aikg``);
    ``AIKG_NO_CACHE=1`` turns the cache off. The data folder itself is never written to.
    """
    if os.environ.get("AIKG_NO_CACHE"):
        return None
    base = os.environ.get("AIKG_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "aikg"
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.csv")) + [ONTOLOGY_DIR / "aikg.ttl"]:
        digest.update(f"{path.name}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    code = sorted(Path(__file__).parents[1].rglob("*.py"))  # any change to kg/
    digest.update(repr([(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in code]).encode())
    key = digest.hexdigest()[:32]
    return Path(base) / f"dataset-{_folder_key(folder)}-{key}.pickle"


def _folder_key(folder: Path) -> str:
    return hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]


def _cached(folder: Path) -> Dataset | None:
    try:
        cache = _cache_file(folder)
        if cache is None or not cache.exists():
            return None
        with cache.open("rb") as stream:
            dataset = pickle.load(stream)
        return dataset if isinstance(dataset, Dataset) else None
    except Exception:  # a missing, stale or broken cache only means reading the data anew
        return None


def _remember(folder: Path, dataset: Dataset) -> None:
    try:
        cache = _cache_file(folder)
        if cache is None:
            return
        cache.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache.parent, prefix=".dataset-", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(dataset, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cache)
        for stale in cache.parent.glob(f"dataset-{_folder_key(folder)}-*.pickle"):
            if stale != cache:
                stale.unlink(missing_ok=True)  # copies of this folder as it was before
    except OSError:
        pass  # an unwritable cache only costs speed


def read_dataset(path: str | Path | None = None, vocabulary: Vocabulary | None = None,
                 progress: Progress | None = None) -> Dataset:
    """Read and validate a data folder into a :class:`~kg.model.Dataset`.

    Parameters
    ----------
    path : str or Path, optional
        The folder; by default the bundled ``data/``.
    vocabulary : Vocabulary, optional
        The kinds and roles allowed; by default those of the bundled ontology.
    progress : Progress, optional
        Told of each step of reading a CSV folder, for a progress line.

    Raises
    ------
    DataError
        Listing every problem found, each with file, line and record.

    Examples
    --------
    >>> dataset = read_dataset()
    >>> any(deal.kind == "investment" for deal in dataset.deals)
    True
    """
    folder = DATA_DIR if path is None else Path(path)
    if not folder.is_dir():
        raise DataError([Problem(str(folder), None, None, "no such data folder", "pass the folder holding deals.yaml")])
    from kg.loaders.csvcolumns import read_csv_dataset

    if (dataset := read_csv_dataset(folder, vocabulary or load_vocabulary(), progress)) is not None:
        return dataset  # not cached: see _cache_file
    use_cache = vocabulary is None
    if use_cache and (dataset := _cached(folder)) is not None:
        return dataset
    dataset = _read_rows(folder, vocabulary or load_vocabulary())
    if use_cache:
        _remember(folder, dataset)
    return dataset


def _read_rows(folder: Path, vocabulary: Vocabulary) -> Dataset:
    """Read a folder record by record, YAML or CSV, and raise a :class:`DataError` naming every problem."""
    dataset, problems, where, complete = _read_folder(folder, vocabulary)
    if complete:
        problems += _check_references(dataset, where)
    if problems:
        raise DataError(problems)
    return dataset
