"""The records the graph is made of: entities, deals, valuations and their sources.

Every record is immutable. Quantities keep the qualifier their source gave them ("up to $20B",
"more than 100,000") and dates keep their precision (day, month or year).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from urllib.parse import urlsplit
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import chain

PRECISIONS = ("day", "month", "year")

COMMITTED_STATUSES = frozenset({"announced", "completed", "reported"})
"""Statuses whose money counts as committed. Contingent money counts only when asked for; terminated
deals never count."""

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""A record id: lowercase words joined by hyphens (``amazon-web-services``)."""
CURRENCY_PATTERN = re.compile(r"[A-Z]{3}")
WIKIDATA_PATTERN = re.compile(r"Q[1-9][0-9]*")
LEGAL_FORM = r"(?:Inc|Corp|Corporation|Co|Ltd|LLC|PBC|plc|AG|SA|SE|GmbH|Holdings|Group)\.?"
"""A company's legal form, as a name ends with it ("Anthropic PBC", "Groq Inc.")."""
def is_web_url(text: str) -> bool:
    """Whether ``text`` is an absolute http(s) address that is a valid IRI (RFC 3987; an ASCII one is
    checked as an RFC 3986 URI, which is the same and faster), with a host and a port in range:
    what every RDF tool reads back.

    >>> is_web_url("https://example.org/a?b=1"), is_web_url("https://例え.jp/パス")
    (True, True)
    >>> is_web_url("https://a.example/a%"), is_web_url("https://a.example/#a#b"), is_web_url("https://h:99999/")
    (False, False, False)
    """
    if not text.startswith(("http://", "https://")):
        return False
    if text.isascii():
        from rfc3986_validator import validate_rfc3986

        valid = bool(validate_rfc3986(text))
    else:
        from rfc3987_syntax import is_valid_syntax_iri

        valid = is_valid_syntax_iri(text)
    if not valid:
        return False
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - reading it checks its range
    except ValueError:
        return False
    return bool(parts.hostname)


LARGE_AMOUNT_USD = 1e12
"""A deal above this many US dollars must say ``large_amount_confirmed: true``."""
LARGE_VALUATION_USD = 1e13
"""A valuation above this many US dollars must say ``large_amount_confirmed: true``."""
MAX_NUMBER = Decimal("1e18")
"""No figure in the data is this large: a larger one is a typing error (or an attack on the float)."""


def is_plain_number(number: Decimal) -> bool:
    """Whether a figure is finite, not negative and below :data:`MAX_NUMBER`: what every tool can read.

    >>> is_plain_number(Decimal("1.5e9")), is_plain_number(Decimal("1e400")), is_plain_number(Decimal("NaN"))
    (True, False, False)
    """
    return number.is_finite() and 0 <= number < MAX_NUMBER


def slug(text: str) -> str:
    """A lowercase kebab-case id from a name, as ids are written.

    >>> slug("Anthropic, PBC"), slug("Société Générale"), slug("01.AI"), slug("Mistral AI")
    ('anthropic-pbc', 'societe-generale', '01-ai', 'mistral-ai')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "unnamed"

_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_partial_date(text: str) -> tuple[dt.date, str]:
    """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` into the period's first day and its precision.

    Raises
    ------
    ValueError
        When the text has another form or names an impossible date.

    Examples
    --------
    >>> parse_partial_date("2023-09")
    (datetime.date(2023, 9, 1), 'month')
    >>> parse_partial_date("2024-02-30")
    Traceback (most recent call last):
    ValueError: 2024-02-30 is not a real date (day is out of range for month)
    """
    match = _PARTIAL_DATE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = match.groups()
    precision = "day" if day else "month" if month else "year"
    try:
        return dt.date(int(year), int(month or 1), int(day or 1)), precision
    except ValueError as error:
        raise ValueError(f"{text} is not a real date ({error})") from None


def period_end(start: dt.date, precision: str) -> dt.date:
    """The last day of the period that starts on ``start`` at ``precision``.

    >>> period_end(dt.date(2025, 2, 1), "month")
    datetime.date(2025, 2, 28)
    """
    if precision == "year":
        return dt.date(start.year, 12, 31)
    if precision == "month":
        return dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    return start


def format_partial_date(start: dt.date, precision: str) -> str:
    """Write a date at its precision: the inverse of :func:`parse_partial_date`.

    >>> format_partial_date(dt.date(2023, 9, 1), "month")
    '2023-09'
    """
    text = start.isoformat()
    return text if precision == "day" else text[:7] if precision == "month" else text[:4]


@dataclass(frozen=True, slots=True)
class Source:
    """A published document that states facts.

    ``published_on`` is the day, or the first day of the month or year, at ``published_precision``;
    None where the page shows no date.
    """

    id: str
    publisher: str
    title: str
    published_on: dt.date | None = None
    published_precision: str = "day"
    url: str | None = None

    @property
    def writer(self) -> str:
        """Who wrote the document: the original a republisher names in brackets, else the publisher.

        >>> Source("s", "The Straits Times (Reuters)", "t").writer, Source("s", "Axios", "t").writer
        ('Reuters', 'Axios')
        """
        opening = self.publisher.rfind("(")
        if self.publisher.endswith(")") and opening > 0:
            return self.publisher[opening + 1:-1].strip() or self.publisher
        return self.publisher

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "publisher": self.publisher,
            "title": self.title,
            "published_on": None if self.published_on is None
            else format_partial_date(self.published_on, self.published_precision),
            "url": self.url,
        }


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as a source stated it, with its qualifier (``exact``, ``up-to``, ``more-than``, ...)."""

    value: Decimal
    qualifier: str = "exact"



@dataclass(frozen=True, slots=True)
class Amount:
    """Money in its original currency, its qualifier, and its value in US dollars where known.

    ``usd`` equals ``value`` for USD amounts; for other currencies it is the figure a source gave,
    or None.
    """

    value: Decimal
    currency: str = "USD"
    qualifier: str = "exact"
    usd: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Total:
    """A sum of US dollar amounts of which some may be undisclosed: the known sum (None when no part is
    known), how many parts are undisclosed, and how many parts are amounts shared with others (a
    consortium's commitment), which belong to the group and are not in the sum. An unknown part is
    never counted as zero.

    >>> total = Total.of([10e9, None, 3e9, None])
    >>> total, str(total)
    (Total(known_usd=13000000000.0, undisclosed=2, shared=0), '≥ $13.0B (+2 undisclosed)')
    >>> str(Total.of([None])), str(Total.of([5e9])), str(Total.of([])), str(Total(5e9, 0, 1)), str(Total(None, 0, 2))
    ('undisclosed', '$5.0B', '', '≥ $5.0B (+1 shared)', 'shared (2)')
    """

    known_usd: float | None = None
    undisclosed: int = 0
    shared: int = 0

    @classmethod
    def of(cls, amounts) -> "Total":
        amounts = list(amounts)
        known = [amount for amount in amounts if amount is not None]
        return cls(float(sum(known)) if known else None, len(amounts) - len(known))

    def __str__(self) -> str:
        from kg.humanize import format_usd

        others = [f"+{count} {what}" for count, what in ((self.undisclosed, "undisclosed"), (self.shared, "shared"))
                  if count]
        if self.known_usd is None:
            return "undisclosed" if self.undisclosed else f"shared ({self.shared})" if self.shared else ""
        if not others:
            return format_usd(self.known_usd)
        return f"≥ {format_usd(self.known_usd)} ({', '.join(others)})"

    def to_dict(self) -> dict:
        return {"known_usd": self.known_usd, "undisclosed": self.undisclosed, "shared": self.shared}


@dataclass(frozen=True, slots=True)
class Entity:
    """An organization or a product.

    ``kinds`` are ontology data keys (``company``, ``ai-lab``, ``chip``, ...). ``parent`` is the id of
    the organization that owns this one, since ``parent_since`` (None: as far back as the records go)
    and until ``parent_until`` (None: still), each at its precision; ``maker`` the id of the
    organization that makes this product.
    """

    id: str
    name: str
    kinds: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    maker: str | None = None
    description: str | None = None
    wikidata: str | None = None
    sources: tuple[str, ...] = ()
    is_product: bool = False
    parent_since: dt.date | None = None
    parent_since_precision: str = "day"
    parent_until: dt.date | None = None
    parent_until_precision: str = "day"

    def parent_on(self, date: dt.date | None) -> str | None:
        """The parent in effect on a date (None: today), or None.

        A relation begins on the first day of its ``parent_since`` period and ends on the first day of
        its ``parent_until`` period.

        >>> x = Entity("x-corp", "X", ("company",), parent="xai", parent_since=dt.date(2025, 3, 28))
        >>> x.parent_on(dt.date(2024, 12, 31)), x.parent_on(dt.date(2025, 3, 28)), x.parent_on(None)
        (None, 'xai', 'xai')
        """
        if self.parent is None:
            return None
        if date is not None and self.parent_since is not None and date < self.parent_since:
            return None
        if self.parent_until is not None and (date or dt.date.today()) >= self.parent_until:
            return None
        return self.parent

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "kinds": list(self.kinds),
            "aliases": list(self.aliases),
            "parent": self.parent,
            "parent_since": None if self.parent_since is None
            else format_partial_date(self.parent_since, self.parent_since_precision),
            "parent_until": None if self.parent_until is None
            else format_partial_date(self.parent_until, self.parent_until_precision),
            "maker": self.maker,
            "description": self.description,
            "wikidata": self.wikidata,
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class Deal:
    """An agreement between parties, each in a role.

    ``parties`` maps a role (``investor``, ``investee``, ``customer``, ``provider``, ...) to the ids
    of the parties in it. ``part_of`` is the id of the umbrella agreement this deal is a tranche of.
    ``announced_on`` is the day, or the first day of the month or year, at ``announced_precision``.
    ``supersedes`` names an earlier record of the same contract whose figures this one revises;
    ``alternative_of`` the record of the same contract that counts, where sources disagree.
    """

    id: str
    kind: str
    title: str
    parties: dict[str, tuple[str, ...]]
    announced_on: dt.date
    status: str
    sources: tuple[str, ...]
    announced_precision: str = "day"
    amount: Amount | None = None
    power: Quantity | None = None
    chips: Quantity | None = None
    customers: Quantity | None = None
    duration_years: Decimal | None = None
    products: tuple[str, ...] = ()
    part_of: str | None = None
    conditions: str | None = None
    notes: str | None = None
    supersedes: str | None = None
    alternative_of: str | None = None

    @property
    def amount_usd(self) -> float | None:
        """The amount in US dollars, or None where no US dollar figure is known."""
        return None if self.amount is None or self.amount.usd is None else float(self.amount.usd)

    @property
    def amount_qualifier(self) -> str | None:
        return None if self.amount is None else self.amount.qualifier

    @property
    def currency(self) -> str | None:
        return None if self.amount is None else self.amount.currency

    @property
    def power_gw(self) -> float | None:
        """Capacity in gigawatts, read with :attr:`power_qualifier`."""
        return None if self.power is None else float(self.power.value)

    @property
    def power_qualifier(self) -> str | None:
        return None if self.power is None else self.power.qualifier

    @property
    def chip_count(self) -> int | None:
        return None if self.chips is None else int(self.chips.value)

    @property
    def party_ids(self) -> tuple[str, ...]:
        """Every party, in role order, each once."""
        return tuple(dict.fromkeys(chain.from_iterable(self.parties.values())))

    def figures(self) -> dict:
        """The deal's numbers, flattened: the amount (as text) with its currency, qualifier and US dollar
        value, power, chips, customers and duration, each None where not stated."""
        amount, power, chips, customers, duration = self.amount, self.power, self.chips, self.customers, self.duration_years
        return {
            "amount": None if amount is None else str(amount.value),
            "currency": None if amount is None else amount.currency,
            "amount_qualifier": None if amount is None else amount.qualifier,
            "amount_usd": None if amount is None or amount.usd is None else float(amount.usd),
            "power_gw": None if power is None else float(power.value),
            "power_qualifier": None if power is None else power.qualifier,
            "chip_count": None if chips is None else int(chips.value),
            "chip_count_qualifier": None if chips is None else chips.qualifier,
            "customers": None if customers is None else int(customers.value),
            "customers_qualifier": None if customers is None else customers.qualifier,
            "duration_years": None if duration is None else float(duration),
        }

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "parties": {role: list(ids) for role, ids in self.parties.items()},
            "announced_on": format_partial_date(self.announced_on, self.announced_precision),
            "status": self.status,
            **self.figures(),
            "products": list(self.products),
            "part_of": self.part_of,
            "supersedes": self.supersedes,
            "alternative_of": self.alternative_of,
            "conditions": self.conditions,
            "notes": self.notes,
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class Valuation:
    """A source's claim of what an organization was worth at a date.

    ``basis`` is ``pre-money``, ``post-money`` or ``offer``; ``deal`` the id of the deal that set it.
    """

    id: str
    entity: str
    amount: Amount
    basis: str
    date: dt.date
    status: str
    sources: tuple[str, ...]
    date_precision: str = "day"
    deal: str | None = None
    notes: str | None = None

    @property
    def amount_usd(self) -> float | None:
        return None if self.amount.usd is None else float(self.amount.usd)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "entity": self.entity,
            "amount": str(self.amount.value),
            "currency": self.amount.currency,
            "amount_qualifier": self.amount.qualifier,
            "amount_usd": self.amount_usd,
            "basis": self.basis,
            "date": format_partial_date(self.date, self.date_precision),
            "status": self.status,
            "deal": self.deal,
            "notes": self.notes,
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class Dataset:
    """Everything read from a data folder, before it becomes a graph."""

    entities: tuple[Entity, ...] = ()
    deals: tuple[Deal, ...] = ()
    valuations: tuple[Valuation, ...] = ()
    sources: dict[str, Source] = field(default_factory=dict)

    def canonical(self) -> tuple:
        """Everything, in an order-free form: two datasets stating the same facts compare equal.

        Records are sorted by id, and so is every tuple inside them whose order carries no meaning
        (parties within a role, kinds, aliases, products, sources).
        """
        entities = tuple(sorted(
            (replace(e, kinds=tuple(sorted(e.kinds)), aliases=tuple(sorted(e.aliases)), sources=tuple(sorted(e.sources)))
             for e in self.entities), key=lambda e: e.id))
        deals = tuple(sorted(
            (replace(d, parties={role: tuple(sorted(ids)) for role, ids in sorted(d.parties.items())},
                     products=tuple(sorted(d.products)), sources=tuple(sorted(d.sources)))
             for d in self.deals), key=lambda d: d.id))
        valuations = tuple(sorted((replace(v, sources=tuple(sorted(v.sources))) for v in self.valuations),
                                  key=lambda v: v.id))
        return entities, deals, valuations, tuple(sorted(self.sources.items()))
