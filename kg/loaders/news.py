"""Turn a news article into candidate facts for a person to review: deals and valuations in the data's
own format, each quoting the sentence it came from, with the article as their source.

Pure Python and deterministic: the article is split into sentences; organizations are found through a
gazetteer of the graph's own names and aliases (and proposed as new entities when a pattern names an
organization the graph does not know); money, gigawatts, chip counts, qualifiers and dates are read by
patterns; and a handful of sentence patterns recognise investments, funding rounds, valuations,
compute commitments, partnerships and acquisitions.

>>> import kg
>>> found = extract(kg.load(), "Amazon will invest up to $4 billion in Anthropic, the companies said on Monday.",
...                 published_on=dt.date(2023, 9, 25))
>>> [(d["kind"], d["parties"], d["amount"]) for d in found.deals]
[('investment', {'investor': ['amazon'], 'investee': ['anthropic']}, {'value': 4000000000, 'currency': 'USD', 'qualifier': 'up-to'})]
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from kg.model import slug

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

# --- text ----------------------------------------------------------------------------------------


class _TextOf(HTMLParser):
    """The readable text of an HTML page: paragraphs and headings, without scripts, styles or markup."""

    _SKIP = {"script", "style", "noscript", "head", "nav", "footer"}
    _BREAK = {"p", "br", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BREAK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag) -> None:
        if tag in self._SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self._BREAK:
            self.parts.append("\n\n")

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.parts.append(data)


MAX_ARTICLE_CHARS = 500_000
"""The longest article read: ten times a long feature. Reading takes time in proportion to length."""


def article_text(raw: str) -> str:
    """Plain text from plain text, Markdown or HTML, of at most :data:`MAX_ARTICLE_CHARS` characters.

    >>> article_text("<p>Amazon &amp; <b>Anthropic</b></p><script>x()</script>")
    'Amazon & Anthropic'
    >>> article_text("# Title\\n\\n**Amazon** invests in [Anthropic](https://example.org).")
    'Title\\n\\nAmazon invests in Anthropic.'
    """
    if len(raw) > MAX_ARTICLE_CHARS:
        raise ValueError(f"the article holds {len(raw):,} characters, more than the {MAX_ARTICLE_CHARS:,} an "
                         "article can: give one article at a time")
    if re.search(r"<(p|div|html|body|article|br|h[1-6])\b", raw, re.I):
        parser = _TextOf()
        parser.feed(raw)
        raw = "".join(parser.parts)
    else:
        # Every span is bounded, so hostile text ("[[[[...", "*a *a *a ...") takes linear time.
        raw = re.sub(r"!?\[([^\]\n]{0,500})\]\([^)\s]{0,2000}\)", r"\1", raw)  # links and images keep their text
        raw = re.sub(r"(?m)^[ \t]{0,3}(#{1,6}|>|[-*+]\s)[ \t]*", "", raw)
        raw = re.sub(r"(\*\*|__|\*|_|`)(\S(?:[^\n]{0,300}?\S)?)\1", r"\2", raw)
    raw = html.unescape(raw)
    paragraphs = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", raw)]
    return "\n\n".join(p for p in paragraphs if p)


_ABBREVIATIONS = "".join(rf"(?<!\b{word}\.)" for word in (
    "Inc", "Corp", "Co", "Ltd", r"U\.S", "Mr", "Ms", "Dr", "St", "vs", "No", "Jr", "Sr",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"))


_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .'-]+(?:,\s*[A-Z][A-Za-z.]+)?,\s*)?"            # SAN FRANCISCO, / SEATTLE,
    r"(?:[A-Z][a-z]{2,}\.?\s+\d{1,2}(?:,\s*\d{4})?\s*)?"             # Nov. 3, 2025 / April 20
    r"(?:/[^/]{2,40}/|\([^)]{2,40}\))\s*[-–—]+\s*")                     # /PRNewswire/ -- / (Wire) -


def without_dateline(sentence: str) -> str:
    """A sentence without the dateline wire copy and press releases open with.

    >>> without_dateline("SAN FRANCISCO, Nov. 3, 2025 /PRNewswire/ -- Lumen raised $5 million.")
    'Lumen raised $5 million.'
    >>> without_dateline("SEATTLE, April 20 (Wire) - Amazon will invest.")
    'Amazon will invest.'
    """
    return _DATELINE.sub("", sentence)


def sentences(text: str) -> list[str]:
    """The article's sentences, split at full stops that end one (not in ``U.S.``, ``Inc.`` or ``$5.5``).

    >>> sentences("Amazon Inc. invests $5.5 billion. The U.S. firm said so on Nov. 3 at Acme Corp. Offices! Really?")
    ['Amazon Inc. invests $5.5 billion.', 'The U.S. firm said so on Nov. 3 at Acme Corp. Offices!', 'Really?']
    """
    found = []
    for paragraph in text.split("\n\n"):
        parts = re.split(_ABBREVIATIONS + r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“‘(]?[A-Z0-9$€£])", paragraph)
        found += [part.strip() for part in parts if part.strip()]
    return found


# --- numbers, money, dates -----------------------------------------------------------------------

_QUALIFIERS = [
    (r"up to|as much as|as many as|a maximum of", "up-to"),
    (r"more than|over|in excess of|above|upwards of", "more-than"),
    (r"at least|a minimum of|no less than", "at-least"),
    (r"about|around|roughly|approximately|nearly|almost|some|close to", "approximately"),
]
_QUALIFIER = "|".join(f"(?:{words})" for words, _ in _QUALIFIERS)
_SCALE = {"trillion": 10**12, "tn": 10**12, "t": 10**12, "billion": 10**9, "bn": 10**9, "b": 10**9,
          "million": 10**6, "mn": 10**6, "mln": 10**6, "m": 10**6, "thousand": 10**3, "k": 10**3}
_SYMBOLS = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
            "¥": "JPY", "c$": "CAD", "a$": "AUD"}
_WORD_CURRENCIES = {"dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP", "yen": "JPY"}
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
MONEY = re.compile(
    rf"(?:(?P<qualifier>{_QUALIFIER})\s+)?(?:a total of\s+|an additional\s+|another\s+)?"
    rf"(?:(?P<symbol>US\$|C\$|A\$|\$|€|£|¥|USD\s?|EUR\s?|GBP\s?)\s?(?P<amount>{_NUMBER})\s?(?P<scale>trillion|billion|million|thousand|tn|bn|mln|mn|[TBMK])?\b"
    rf"|(?P<amount2>{_NUMBER})\s?(?P<scale2>trillion|billion|million|bn|mn)\s+(?P<word>dollars|dollar|euros|euro|pounds|yen)\b)",
    re.I)
POWER = re.compile(rf"(?:(?P<qualifier>{_QUALIFIER})\s+)?(?P<amount>{_NUMBER})\s?(?:-\s?)?(?P<unit>gigawatts?|GW|megawatts?|MW)\b", re.I)
CHIPS = re.compile(rf"(?:(?P<qualifier>{_QUALIFIER})\s+)?(?P<amount>{_NUMBER})\s?(?P<scale>million|thousand)?\s+"
                   rf"(?:of\s+(?:its|their|the)\s+)?(?:[A-Z][\w-]*\s+){{0,3}}(?:chips|GPUs|TPUs|accelerators|processors)\b", re.I)


def _qualifier(words: str | None) -> str:
    if not words:
        return "exact"
    for pattern, qualifier in _QUALIFIERS:
        if re.fullmatch(pattern, words.strip(), re.I):
            return qualifier
    return "exact"


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


@dataclass(frozen=True)
class Money:
    """An amount of money as the article wrote it."""

    value: Decimal
    currency: str
    qualifier: str
    start: int
    end: int
    additional: bool = False
    total: bool = False

    def as_data(self) -> dict:
        value = int(self.value) if self.value == self.value.to_integral_value() else float(self.value)
        return {"value": value, "currency": self.currency, "qualifier": self.qualifier}


def money_in(sentence: str) -> list[Money]:
    """Every amount of money in a sentence, with its currency and qualifier.

    >>> [(str(m.value), m.currency, m.qualifier) for m in money_in("up to $20 billion more, about €1.7bn and 5 billion dollars")]
    [('20000000000', 'USD', 'up-to'), ('1700000000', 'EUR', 'approximately'), ('5000000000', 'USD', 'exact')]
    """
    found = []
    for match in MONEY.finditer(sentence):
        if match.group("amount"):
            symbol = match.group("symbol").strip().lower()
            scale = (match.group("scale") or "").lower()
            if not scale and symbol not in ("$", "us$", "€", "£", "¥", "c$", "a$"):
                continue
            currency = _SYMBOLS.get(symbol, "USD")
            value = _number(match.group("amount")) * _SCALE.get(scale, 1)
        else:
            currency = _WORD_CURRENCIES[match.group("word").lower()]
            value = _number(match.group("amount2")) * _SCALE[match.group("scale2").lower()]
        if value < 1000:
            continue  # "$5" alone is not a deal's money
        text = match.group(0).lower()
        before = sentence[max(0, match.start() - 70):match.start()].lower()
        running_total = bool(re.search(r"\btotal\b[^$€£]*\bto\s*$|\b(?:bringing|brings|taking|lifting|raising)\b[^$€£]*\bto\s*$", before))
        found.append(Money(value.normalize() if value != value.to_integral_value() else Decimal(int(value)), currency,
                           _qualifier(match.group("qualifier")), match.start(), match.end(),
                           additional="additional" in text or "another" in text,
                           total="total" in text or running_total))
    return found


def power_in(sentence: str) -> dict | None:
    """Capacity in gigawatts, as ``{"value": ..., "qualifier": ...}``.

    >>> power_in("to access up to 5 gigawatts of capacity")
    {'value': 5, 'qualifier': 'up-to'}
    >>> power_in("a 500 MW campus")
    {'value': 0.5, 'qualifier': 'exact'}
    """
    match = POWER.search(sentence)
    if match is None:
        return None
    value = _number(match.group("amount"))
    if match.group("unit").lower().startswith(("m", "mw")):
        value = value / 1000
    value = int(value) if value == value.to_integral_value() else float(value)
    return {"value": value, "qualifier": _qualifier(match.group("qualifier"))}


def chips_in(sentence: str) -> dict | None:
    """A number of chips, as ``{"value": ..., "qualifier": ...}``.

    >>> chips_in("up to one million TPUs") is None, chips_in("as many as 1 million TPUs")
    (True, {'value': 1000000, 'qualifier': 'up-to'})
    """
    match = CHIPS.search(sentence)
    if match is None:
        return None
    value = _number(match.group("amount")) * {"million": 10**6, "thousand": 10**3}.get((match.group("scale") or "").lower(), 1)
    return {"value": int(value), "qualifier": _qualifier(match.group("qualifier"))}


_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}


def date_in(sentence: str, published_on: dt.date) -> str | None:
    """The date a sentence gives, at the precision it gives, read relative to the article's date.

    "In February" is the latest February not after the article; "on Monday" the latest Monday;
    "last year" the year before; "March 2024" and "2024-03-27" are taken as written.

    >>> day = dt.date(2026, 4, 21)  # a Tuesday
    >>> date_in("the round in February", day), date_in("announced on Monday", day), date_in("in March 2024", day)
    ('2026-02', '2026-04-20', '2024-03')
    """
    text = sentence.lower()
    match = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
    if match:
        return match.group(0)
    match = re.search(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{1,2}),?\s+(\d{4})\b", text)
    if match:
        return dt.date(int(match.group(3)), _MONTHS[match.group(1)], int(match.group(2))).isoformat()
    match = re.search(r"\b(" + "|".join(name for name in _MONTHS if len(name) > 3) + r")\s+(\d{4})\b", text)
    if match:
        return f"{match.group(2)}-{_MONTHS[match.group(1)]:02d}"
    match = re.search(r"\bin\s+(" + "|".join(name for name in _MONTHS if len(name) > 3) + r")\b", text)
    if match:
        month = _MONTHS[match.group(1)]
        year = published_on.year if month <= published_on.month else published_on.year - 1
        return f"{year}-{month:02d}"
    match = re.search(r"\b(?:on|last)\s+(" + "|".join(_WEEKDAYS) + r")\b", text)
    if match:
        back = (published_on.weekday() - _WEEKDAYS[match.group(1)]) % 7
        return (published_on - dt.timedelta(days=back)).isoformat()
    if re.search(r"\byesterday\b", text):
        return (published_on - dt.timedelta(days=1)).isoformat()
    if re.search(r"\blast year\b", text):
        return str(published_on.year - 1)
    match = re.search(r"\bin\s+(20[12]\d)\b", text)
    if match:
        return match.group(1)
    return None


# --- organizations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """An organization named in a sentence: its id (new ones too), where, and whether the graph knows it."""

    id: str
    name: str
    start: int
    end: int
    known: bool


_SUFFIXES = r"(?:,?\s+(?:Inc|Corp|Corporation|Co|Ltd|LLC|PBC|plc|AG|SA|SE|Group|Holdings)\.?)?"
_COMMON = {"The", "A", "An", "It", "Its", "This", "That", "These", "Those", "In", "On", "At", "For", "And", "But",
           "Under", "With", "As", "By", "From", "After", "Before", "While", "According", "Monday", "Tuesday",
           "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Series", "Seed", "Chief", "CEO", "AI",
           "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December", "GW", "US", "U.S", "Reuters", "Bloomberg", "The company", "Both"}


class Gazetteer:
    """Finds the graph's organizations in text by their names and aliases, longest name first."""

    def __init__(self, g: KnowledgeGraph) -> None:
        names: dict[str, str] = {}
        self.surfaces: set[str] = set()
        for entity in g.entities():
            if entity.is_product:
                continue
            for name in (entity.name, *entity.aliases):
                if len(name) >= 2 and not name.isdigit():
                    names.setdefault(name.casefold(), entity.id)
                    self.surfaces.add(name)
        self.names = names
        self.display = {entity.id: entity.name for entity in g.entities()}
        ordered = sorted(names, key=len, reverse=True)
        self.pattern = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(name) for name in ordered) + r")" + _SUFFIXES + r"(?:['’]s)?(?![\w-])",
            re.I)

    def find(self, sentence: str) -> list[Mention]:
        found = []
        for match in self.pattern.finditer(sentence):
            text = match.group(1)
            # A name counts written as the graph writes it (xAI) or capitalised, so "apple pie" is not Apple.
            if text not in self.surfaces and not text[0].isupper() and not text[0].isdigit():
                continue
            identifier = self.names[text.casefold()]
            found.append(Mention(identifier, self.display[identifier], match.start(), match.end(), True))
        return found


_PROPER = r"(?:[A-Z][\w&.'’-]*(?:\s+(?:[A-Z][\w&.'’-]*|AI|of|de|la|&))*)"


def _unknown(sentence: str, start: int, end: int) -> Mention | None:
    """A capitalised name in ``sentence[start:end]``, proposed as a new organization."""
    for match in re.finditer(_PROPER + _SUFFIXES, sentence[start:end]):
        name = re.sub(r"['’]s$", "", match.group(0)).strip(" ,.")
        name = re.sub(r"\s+(of|de|la|&)$", "", name)
        if name and name.split()[0] not in _COMMON and not name.isupper() or len(name) > 4:
            if name in _COMMON or name.split()[0] in _COMMON:
                continue
            return Mention(slug(name), name, start + match.start(), start + match.end(), False)
    return None


# --- patterns -----------------------------------------------------------------------------------

_INVEST = r"\b(?:invest(?:s|ed|ing)?|(?:will|to|would|plans to|agreed to)\s+invest|put(?:s|ting)?|pour(?:s|ed|ing)?|back(?:s|ed|ing)?|commit(?:s|ted)?)\b"
_RAISE = r"\b(?:raise[sd]?|raising|secure[sd]?|closes?|closed|lands?|landed)\b"
_VALUE = r"\b(?:valu(?:es|ed|ing)|valuation)\b"
_SPEND = r"\b(?:spend|spending|commit(?:s|ted|ting)?|purchase|buy|pay)\b"
_ACQUIRE = r"\b(?:acquir(?:e|es|ed|ing)|buy(?:s|ing)?|bought|takeover of|purchase[sd]? of)\b"
_PARTNER = r"\b(?:partner(?:ed|s|ing)?\s+with|(?:a |an )?(?:partnership|agreement|deal)\s+with|teamed up with|secured)\b"
_STATUS_REPORTED = r"\b(?:reportedly|according to (?:people|sources|a person|reports?)|people familiar|is said to|was said to|reports? said|in talks|is considering)\b"
_STATUS_CONTINGENT = r"\bif\b[^.;]*\b(?:milestones?|targets?|conditions)\b|\bcontingent on\b|\bmilestone-based\b|\bsubject to\b[^.;]*\bmilestones?\b"


@dataclass
class Found:
    """What an article yields: new organizations, deals and valuations, in the data's format."""

    entities: list[dict] = field(default_factory=list)
    deals: list[dict] = field(default_factory=list)
    valuations: list[dict] = field(default_factory=list)


def _status(sentence: str, default: str = "announced") -> str:
    if re.search(_STATUS_CONTINGENT, sentence, re.I):
        return "contingent"
    if re.search(_STATUS_REPORTED, sentence, re.I):
        return "reported"
    return default


def extract(g: KnowledgeGraph, text: str, published_on: dt.date, source_id: str = "article") -> Found:
    """Candidate deals, valuations and new organizations in an article's text.

    Every candidate carries ``candidate: {quote: SENTENCE}`` and cites ``source_id``. Dates in the text are
    read relative to ``published_on``; a fact with no date of its own takes the article's.
    """
    gazetteer = Gazetteer(g)
    found = Found()
    new_entities: dict[str, dict] = {}
    ids: set[str] = set()

    def mentions(sentence: str) -> list[Mention]:
        return gazetteer.find(sentence)

    def organization_between(sentence: str, known: list[Mention], start: int, end: int) -> Mention | None:
        inside = [m for m in known if m.start >= start and m.end <= end]
        if inside:
            return inside[0]
        return _unknown(sentence, start, end)

    def remember(mention: Mention | None, sentence: str) -> str | None:
        if mention is None:
            return None
        if not mention.known and mention.id not in new_entities and mention.id not in gazetteer.display:
            new_entities[mention.id] = {"id": mention.id, "name": mention.name, "kinds": ["company"],
                                        "candidate": {"quote": sentence, "new": True}}
        return mention.id

    def name_of(identifier: str) -> str:
        return gazetteer.display.get(identifier) or new_entities.get(identifier, {}).get("name", identifier)

    def add_deal(deal: dict, identifier: str, quote: str, when: str, status: str) -> None:
        roles = " / ".join(f"{role} {', '.join(name_of(i) for i in ids)}" for role, ids in deal["parties"].items())
        _add_deal(found, deal, identifier, quote, when, source_id, status, f"{deal['kind'].replace('-', ' ').capitalize()}: {roles}")

    def deal_id(kind: str, parties: list[str], date: str) -> str:
        base = slug("-".join([*parties, kind, date]))
        identifier, counter = base, 2
        while identifier in ids:
            identifier, counter = f"{base}-{counter}", counter + 1
        ids.add(identifier)
        return identifier

    last_subject: str | None = None
    story_date = published_on.isoformat()  # the day the story is about, once a sentence names one
    for quote in sentences(text):
        sentence = without_dateline(quote)
        dateline = quote[:len(quote) - len(sentence)]
        if dateline and (named := date_in(dateline, published_on)) and len(named) == 10:
            story_date = named
        known = mentions(sentence)
        amounts = money_in(sentence)
        when = date_in(sentence, published_on)
        if when and len(when) == 10:
            story_date = when
        when = when or story_date
        power, chips = power_in(sentence), chips_in(sentence)
        subject = known[0].id if known and known[0].start < 40 else None

        # Acquisitions: "X acquires Y (for $N)".
        match = re.search(_ACQUIRE, sentence, re.I)
        if match and not re.search(_SPEND + r".*\b(?:cloud|chips|compute|capacity|infrastructure)\b", sentence, re.I):
            acquirer = organization_between(sentence, known, 0, match.start())
            acquiree = organization_between(sentence, known, match.end(), len(sentence))
            if acquirer and acquiree and acquirer.id != acquiree.id:
                parties = [remember(acquirer, quote), remember(acquiree, quote)]
                deal = {"kind": "acquisition", "parties": {"acquirer": [parties[0]], "acquiree": [parties[1]]}}
                if amounts:
                    deal["amount"] = amounts[0].as_data()
                add_deal(deal, deal_id("acquisition", parties, when), quote, when, _status(sentence, "announced"))
                last_subject = parties[0]
                continue

        # Compute commitments: "X will spend $N over K years on Y's cloud and chips".
        spend = re.search(_SPEND, sentence, re.I)
        if spend and re.search(r"\b(?:cloud|chips?|compute|infrastructure|capacity|data cent(?:er|re)s?|GPUs|TPUs)\b", sentence, re.I) and (amounts or power):
            if re.match(r"(?:As part of [^,]+,\s*)?(?:The company|It|The startup|The lab)\b", sentence):
                customer = last_subject
            else:
                customer = remember(organization_between(sentence, known, 0, spend.start()), quote)
            providers = [m for m in known if m.id != customer and m.start > spend.start()]
            if customer and providers:
                deal = {"kind": "compute-commitment", "parties": {"customer": [customer],
                                                                  "provider": sorted({m.id for m in providers})}}
                if amounts:
                    deal["amount"] = amounts[0].as_data()
                years = re.search(r"\bover\s+(?:the\s+next\s+)?(\d+|ten|five|seven|three|four|six|eight|nine|two)\s+years\b", sentence, re.I)
                if years:
                    words = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
                    deal["duration_years"] = int(words.get(years.group(1).lower(), years.group(1)))
                if power:
                    deal["power_gw"] = power
                if chips:
                    deal["chips"] = chips
                add_deal(deal, deal_id("compute", [customer, *deal["parties"]["provider"]], when), quote, when, _status(sentence))
                last_subject = customer
                continue

        # Partnerships for capacity: "X partnered with A and B to access N GW".
        match = re.search(_PARTNER, sentence, re.I)
        if match and (power or chips) and (subject or known):
            customer = subject or known[0].id
            providers = sorted({m.id for m in known if m.id != customer and m.start > match.start()})
            if providers:
                deal = {"kind": "compute-commitment", "parties": {"customer": [customer], "provider": providers}}
                if power:
                    deal["power_gw"] = power
                if chips:
                    deal["chips"] = chips
                if amounts:
                    deal["amount"] = amounts[0].as_data()
                add_deal(deal, deal_id("compute", [customer, *providers], when), quote, when, _status(sentence))
                last_subject = customer
                continue

        # Funding rounds: "X raises $N ... led by A and B".
        match = re.search(_RAISE, sentence, re.I)
        if match and amounts and not re.search(_INVEST, sentence[:match.start()], re.I):
            investee = organization_between(sentence, known, 0, match.start())
            led = re.search(r"\b(?:led|co-led)\s+by\b(?P<rest>.*)", sentence, re.I)
            investors = []
            if led:
                investors = _named_in_list(sentence, known, led.start("rest"))
            if investee and investors:
                investee_id = remember(investee, quote)
                investor_ids = sorted({remember(m, quote) for m in investors} - {investee_id})
                deal = {"kind": "funding-round", "parties": {"investor": investor_ids, "investee": [investee_id]},
                        "amount": amounts[0].as_data()}
                add_deal(deal, deal_id("round", [investee_id], when), quote, when, _status(sentence, "completed"))
                _add_valuations(found, sentence, quote, amounts[1:], investee_id, story_date, published_on, source_id, deal_id)
                last_subject = investee_id
                continue

        # Investments: "X invests $N in Y"; "X will add $N to its investment in Y"; "up to $N more if ...".
        match = re.search(_INVEST, sentence, re.I)
        if match and amounts:
            investor = organization_between(sentence, known, 0, match.start()) or \
                (next((m for m in known if m.id == last_subject), None) if last_subject else None)
            target = re.search(r"\bin\s+(?:the\s+)?", sentence[match.end():], re.I)
            investee = None
            if target:
                investee = organization_between(sentence, known, match.end() + target.end(), len(sentence))
            if investee is None:
                after = [m for m in known if m.start >= match.end()]
                investee = after[0] if after else None
            if investor and investee and investor.id != investee.id:
                investor_id, investee_id = remember(investor, quote), remember(investee, quote)
                money_amounts = [m for m in amounts if not m.total]
                contingent = re.search(_STATUS_CONTINGENT, sentence, re.I)
                for index, amount in enumerate(money_amounts):
                    tail = sentence[amount.end:amount.end + 60].lower()
                    if re.search(r"\b(?:the|its|their|this|that)\s+$", sentence[:amount.start].lower()):
                        continue  # "part of the $40 billion round" names something else, not new money
                    if re.match(r"\s*valuation", tail) or re.search(r"\bat\s+(?:a|an)\s*$", sentence[:amount.start].lower()[-12:]):
                        continue
                    is_contingent = bool(contingent) and (index > 0 or "more" in tail[:12] or amount.qualifier == "up-to" and len(money_amounts) > 1)
                    deal = {"kind": "investment", "parties": {"investor": [investor_id], "investee": [investee_id]},
                            "amount": amount.as_data()}
                    if is_contingent:
                        deal["conditions"] = "milestones named in the article"
                    status = "contingent" if is_contingent else _status(re.sub(_STATUS_CONTINGENT + r".*", "", sentence, flags=re.I))
                    add_deal(deal, deal_id("investment", [investor_id, investee_id], when), quote, when, status)
                _add_valuations(found, sentence, quote, amounts, investee_id, story_date, published_on, source_id, deal_id)
                last_subject = investor_id
                continue

        # Valuations on their own: "... values Y at $N"; "offers valued it above $N".
        if re.search(_VALUE, sentence, re.I) and amounts:
            target = subject or last_subject
            valued = re.search(r"\bvalu(?:es|ed|ing)\s+(?P<who>.+?)\s+at\b", sentence, re.I)
            if valued:
                named = [m for m in known if valued.start("who") <= m.start < valued.end("who")]
                if named:
                    target = named[0].id
                elif re.fullmatch(r"(?:it|the company|the startup|the lab)", valued.group("who").strip(), re.I):
                    target = last_subject or target
            if target:
                _add_valuations(found, sentence, quote, amounts, target, story_date, published_on, source_id, deal_id, force=True)
                last_subject = target
                continue
        if subject:
            last_subject = subject
    found.entities = list(new_entities.values())
    found.deals = _without_repeats(found.deals, lambda d: (d["kind"], repr(d["parties"]), repr(d.get("amount")),
                                                          d["status"], repr(d.get("power_gw"))))
    found.valuations = _without_repeats(found.valuations, lambda v: (v["entity"], repr(v["amount"]), v.get("basis")))
    return found


def _without_repeats(records: list[dict], key) -> list[dict]:
    """One candidate per fact: a headline restating the story's first sentence yields the same fact
    twice; the one quoting the longer sentence stays, in its place."""
    best: dict = {}
    for record in records:
        current = best.get(key(record))
        if current is None or len(record["candidate"]["quote"]) > len(current["candidate"]["quote"]):
            best[key(record)] = record
    kept = {id(record) for record in best.values()}
    return [record for record in records if id(record) in kept]


def _named_in_list(sentence: str, known: list[Mention], start: int) -> list[Mention]:
    """The organizations of a list such as "led by A, B and C, with participation from D": each item is
    a known organization or, failing that, a capitalised name proposed as a new one."""
    named = []
    clause = re.split(r"[.;]|,\s*(?:valuing|bringing|which|as|at|in|to)\b|\s+(?:valuing|at a|to build|to expand)\b",
                      sentence[start:])[0]
    position = start
    for item in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s+with(?:\s+participation)?\s+from\s+", clause):
        offset = sentence.find(item, position)
        if not item.strip() or offset < 0:
            continue
        position = offset + len(item)
        inside = [m for m in known if offset <= m.start < position]
        if inside:
            named.append(inside[0])
        elif (proposed := _unknown(sentence, offset, position)) is not None:
            named.append(proposed)
    return named


def _add_deal(found: Found, deal: dict, identifier: str, sentence: str, when: str, source_id: str, status: str,
              title: str) -> None:
    record = {"id": identifier, "kind": deal["kind"], "title": title,
              "parties": deal["parties"], "announced_on": when, "status": status}
    record.update({k: v for k, v in deal.items() if k not in ("kind", "parties")})
    record["sources"] = [source_id]
    record["candidate"] = {"quote": sentence}
    found.deals.append(record)


def _add_valuations(found: Found, sentence: str, quote: str, amounts: list[Money], entity: str, when: str,
                    published_on: dt.date, source_id: str, deal_id, force: bool = False) -> None:
    """Valuations among the amounts of a sentence; each reads its basis and date from its own clause
    (from the amount to the next one), so "$350B, excluding the new money, below the $380B it reached in
    February" gives a pre-money $350B now and a $380B of February."""
    lowered = sentence.lower()
    all_amounts = money_in(sentence)
    for amount in amounts:
        before = lowered[max(0, amount.start - 40):amount.start]
        after = lowered[amount.end:amount.end + 40]
        following = [other.start for other in all_amounts if other.start > amount.start]
        clause = lowered[amount.start:following[0] if following else len(lowered)]
        is_valuation = (re.search(r"\b(?:valu(?:es|ed|ing)\b[^$€£]*\bat|valuation of|at an?)\s*$", before)
                        or re.match(r"\s*(?:post-money\s+|pre-money\s+)?valuation", after)
                        or (force and re.search(r"valu", before)))
        if not is_valuation:
            continue
        basis = None
        if re.search(r"post-money|including the new (?:money|capital|investment)", clause):
            basis = "post-money"
        if re.search(r"pre-money|excluding the new (?:money|capital|investment)|before the new (?:money|capital)", clause):
            basis = "pre-money"
        status = "reported" if re.search(_STATUS_REPORTED + r"|\boffers?\b", sentence, re.I) else "announced"
        if re.search(r"\boffers?\b|\boffered\b|\bwilling to (?:back|invest)\b", sentence, re.I):
            basis = "offer"
        opening = lowered[:all_amounts[0].start] if all_amounts else ""
        date = date_in(clause, published_on) or date_in(opening, published_on) or when
        identifier = deal_id("valuation", [entity], date)
        found.valuations.append({"id": identifier, "entity": entity, "amount": amount.as_data(),
                                 **({"basis": basis} if basis else {}), "date": date, "status": status,
                                 "sources": [source_id], "candidate": {"quote": quote}})
