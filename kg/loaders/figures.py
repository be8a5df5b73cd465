"""Figures in a sentence, as an article writes them: money (with its qualifier, currency, range or rate),
gigawatts, chip counts, and dates read relative to the article's own.

>>> [m.as_data() for m in money_in("Amazon will invest up to $4 billion in Anthropic")]
[{'value': 4000000000, 'currency': 'USD', 'qualifier': 'up-to'}]
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import functools
import re
from dataclasses import dataclass
from decimal import Decimal


_QUALIFIERS = [
    (r"up to|as much as|as many as|a maximum of|jusqu['’]à|bis zu|fino a|até|hasta", "up-to"),
    (r"more than|over|in excess of|above|upwards of|plus de|mehr als|über|oltre|più di|mais de|más de", "more-than"),
    (r"at least|a minimum of|no less than|au moins|mindestens|almeno|pelo menos|al menos", "at-least"),
    (r"about|around|roughly|approximately|nearly|almost|some|close to|environ|près de|etwa|rund|circa|intorno ai|"
     r"cerca de|quasi|quase|aproximadamente", "approximately"),
]
_QUALIFIER = "|".join(f"(?:{words})" for words, _ in _QUALIFIERS)
_SCALE = {"trillion": 10**12, "tn": 10**12, "t": 10**12, "billion": 10**9, "bn": 10**9, "b": 10**9,
          "million": 10**6, "mn": 10**6, "mln": 10**6, "m": 10**6, "thousand": 10**3, "k": 10**3}
_SYMBOLS = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
            "¥": "JPY", "c$": "CAD", "a$": "AUD", "₩": "KRW", "₹": "INR", "cny": "CNY", "rmb": "CNY", "krw": "KRW",
            "inr": "INR", "rs": "INR", "rs.": "INR"}
_WORD_CURRENCIES = {"dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP", "yen": "JPY",
                    "yuan": "CNY", "renminbi": "CNY", "won": "KRW", "rupees": "INR", "francs": "CHF"}
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                 "a hundred": 100, "one hundred": 100}
_NUMBER_WORDS = "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
MONEY = re.compile(
    rf"(?:(?P<qualifier>{_QUALIFIER})\s+)?(?:a total of\s+|an additional\s+|another\s+)?"
    rf"(?:(?P<symbol>US\$|C\$|A\$|\$|€|£|¥|₩|₹|USD\s?|EUR\s?|GBP\s?|CNY\s?|RMB\s?|KRW\s?|INR\s?|Rs\.?\s?)\s?(?P<amount>{_NUMBER})(?:\s?(?:-|–|to)\s?(?P<high>{_NUMBER})(?=\s?(?:trillion|billion|million|thousand|tn|bn|mln|mn|[TBMK])\b))?\s?(?P<scale>trillion|billion|million|thousand|tn|bn|mln|mn|[TBMK])?\b"
    rf"|(?P<amount2>{_NUMBER}|\b(?:{_NUMBER_WORDS}))\s?(?P<scale2>trillion|billion|million|bn|mn)\s+(?P<word>dollars|dollar|euros|euro|pounds|yen|yuan|renminbi|won|rupees|francs)\b"
    # French, German, Italian, Spanish and Portuguese: "1,7 milliard d'euros", "500 Millionen Euro"
    rf"|(?P<amount3>\d+(?:[.,]\d+)?)\s?(?P<scale3>milliards?|millions?|Milliarden?|Millionen|Mrd\.|Mio\.|miliardi|miliardo|"
    rf"milioni|milione|mil millones|millones|bilhões|bilhão|milhões|milhão)\s+(?:d['’]\s?|de\s+|di\s+)?"
    rf"(?P<word3>euros?|Euro|dollars?|dollari|dólares|US-Dollar|Dollar|\$|€))",
    re.I)
_FOREIGN_SCALE = {"milliard": 10**9, "milliarde": 10**9, "mrd.": 10**9, "miliardo": 10**9, "mil millones": 10**9,
                  "bilhão": 10**9, "million": 10**6, "millionen": 10**6, "mio.": 10**6, "milione": 10**6,
                  "millones": 10**6, "milhão": 10**6}
_FOREIGN_PLURALS = {"milliards": "milliard", "milliarden": "milliarde", "miliardi": "miliardo", "bilhões": "bilhão",
                    "millions": "million", "milioni": "milione", "milhões": "milhão"}
POWER = re.compile(rf"(?:(?P<qualifier>{_QUALIFIER})\s+)?(?P<amount>{_NUMBER}|\b(?:{_NUMBER_WORDS}))\s?(?:-\s?)?(?P<unit>gigawatts?|GW|megawatts?|MW)\b", re.I)
CHIPS = re.compile(rf"(?:(?P<qualifier>{_QUALIFIER})\s+)?(?<![\w.-])(?P<amount>{_NUMBER})\s?(?P<scale>million|thousand)?\s+"
                   rf"(?:of\s+(?:its|their|the)\s+)?(?:[A-Z][\w-]*\s+){{0,3}}(?:chips|GPUs|TPUs|accelerators|processors)\b", re.I)


def _qualifier(words: str | None) -> str:
    if not words:
        return "exact"
    for pattern, qualifier in _QUALIFIERS:
        if re.fullmatch(pattern, words.strip(), re.I):
            return qualifier
    return "exact"


def _number(text: str) -> Decimal:
    """A number as written: "1,250.5" or a word ("ten")."""
    word = _WORD_NUMBERS.get(text.lower())
    return Decimal(word) if word is not None else Decimal(text.replace(",", ""))


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
    usd: Decimal | None = None
    """For another currency, the dollar figure the article gives beside it ("€600 million ($645 million)")."""
    upper: Decimal | None = None
    """For a range ("between $1 billion and $2 billion", "$1-2 billion"), its upper end; ``value`` is its
    lower end, at least."""
    per: str | None = None
    """For a rate ("$10 million per month", "$3 billion annually"), its period: not a total."""

    def as_data(self) -> dict:
        def number(value: Decimal):
            return int(value) if value == value.to_integral_value() else float(value)

        data = {"value": number(self.value), "currency": self.currency, "qualifier": self.qualifier}
        if self.usd is not None:
            data["usd"] = number(self.usd)
        return data


def money_in(sentence: str) -> list[Money]:
    """Every amount of money in a sentence, with its currency and qualifier (read once per sentence: the
    frames that read a sentence ask again).

    >>> [(str(m.value), m.currency, m.qualifier) for m in money_in("up to $20 billion more, about €1.7bn and 5 billion dollars")]
    [('20000000000', 'USD', 'up-to'), ('1700000000', 'EUR', 'approximately'), ('5000000000', 'USD', 'exact')]
    >>> [m.as_data() for m in money_in("raised €600 million ($645 million) in June")]
    [{'value': 600000000, 'currency': 'EUR', 'qualifier': 'exact', 'usd': 645000000}]
    """
    return list(_money_in(sentence))


@functools.lru_cache(maxsize=32)
def _money_in(sentence: str) -> tuple[Money, ...]:
    found = []
    for match in MONEY.finditer(sentence):
        high = None
        if match.group("amount"):
            symbol = match.group("symbol").strip().lower()
            scale = (match.group("scale") or "").lower()
            if not scale and symbol not in ("$", "us$", "€", "£", "¥", "c$", "a$", "₩", "₹"):
                continue
            currency = _SYMBOLS.get(symbol, "USD")
            value = _number(match.group("amount")) * _SCALE.get(scale, 1)
            if match.group("high"):  # "$1-2 billion"
                high = _number(match.group("high")) * _SCALE.get(scale, 1)
        elif match.group("amount2"):
            currency = _WORD_CURRENCIES[match.group("word").lower()]
            value = _number(match.group("amount2")) * _SCALE[match.group("scale2").lower()]
        else:
            scale = match.group("scale3").lower()
            word = match.group("word3").lower()
            currency = "EUR" if word.startswith(("euro", "€")) else "USD"
            value = Decimal(match.group("amount3").replace(",", ".")) * _FOREIGN_SCALE[_FOREIGN_PLURALS.get(scale, scale)]
        if value < 1000:
            continue  # "$5" alone is not a deal's money
        text = match.group(0).lower()
        before = sentence[max(0, match.start() - 70):match.start()].lower()
        running_total = bool(re.search(r"\btotal\b[^$€£]*\bto\s*$|\b(?:bringing|brings|taking|lifting|raising)\b[^$€£]*\bto\s*$", before))
        qualifier = _qualifier(match.group("qualifier"))
        if qualifier == "exact" and re.search(r"\bpotential(?:ly)?\b[^$€£.;]{0,30}\b(?:of|to|at)?\s*$", before):
            qualifier = "up-to"  # "a potential sales value of $90 billion": at most that
        period = re.match(r"\s*(?:(?:per|a|an|each|every)\s+(month|year|quarter|week)\b|(monthly|annually|a year|per annum|yearly))",
                          sentence[match.end():], re.I)
        per = None if period is None else {"monthly": "month", "annually": "year", "a year": "year", "per annum": "year",
                                           "yearly": "year"}.get((period.group(2) or "").lower(), period.group(1))
        found.append(Money(_plain(value), currency, "at-least" if high is not None else qualifier,
                           match.start(), match.end(),
                           additional="additional" in text or "another" in text,
                           total="total" in text or running_total, upper=None if high is None else _plain(high), per=per))
    # "€600 million ($645 million)", "¥30 billion (about $214 million)": one amount, with its dollars;
    # "between $1 billion and $2 billion", "from $1 billion to $2 billion": one range, at least its lower end
    merged: list[Money] = []
    for money in found:
        previous = merged[-1] if merged else None
        between = sentence[previous.end:money.start] if previous else ""
        if previous and previous.currency == money.currency and previous.upper is None and money.value > previous.value \
                and (re.fullmatch(r"\s*(?:and|to|-|–)\s*", between) and re.search(r"\b(?:between|from)\s+$",
                                                                           sentence[max(0, previous.start - 12):previous.start])
                     or re.fullmatch(r"\s*(?:-|–)\s*", between)):
            merged[-1] = dataclasses.replace(previous, qualifier="at-least", end=money.end, upper=money.value)
            continue
        if previous and previous.currency != "USD" and money.currency == "USD" and previous.usd is None \
                and re.fullmatch(r"\s*(?:\(|,\s*or\s+|\s+or\s+)\s*(?:about|around|roughly|approximately|some|nearly)?\s*", between):
            merged[-1] = dataclasses.replace(previous, end=money.end, usd=money.value)
            continue
        merged.append(money)
    return tuple(merged)


def _plain(value: Decimal) -> Decimal:
    return value.normalize() if value != value.to_integral_value() else Decimal(int(value))


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


def article_date(text: str) -> dt.date | None:
    """The day an article was published, from its dateline or the first date in its opening lines
    (a full date: day, month and year), or None when it shows none.

    >>> article_date("Amazon adds $5B\\n\\nSEATTLE, April 20, 2026 (Wire) - Amazon will invest.")
    datetime.date(2026, 4, 20)
    >>> article_date("Published: 8 June 2026 | by the desk"), article_date("No date here.")
    (datetime.date(2026, 6, 8), None)
    """
    opening = text[:ARTICLE_DATE_WITHIN].lower()
    months = "|".join(sorted(_MONTHS, key=len, reverse=True))
    patterns = (
        (r"\b(\d{4})-(\d{2})-(\d{2})\b", lambda m: (int(m[1]), int(m[2]), int(m[3]))),
        (rf"\b({months})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", lambda m: (int(m[3]), _MONTHS[m[1]], int(m[2]))),
        (rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({months})\.?,?\s+(\d{{4}})\b", lambda m: (int(m[3]), _MONTHS[m[2]], int(m[1]))),
    )
    found = []
    for pattern, parts in patterns:
        for match in re.finditer(pattern, opening):
            try:
                found.append((match.start(), dt.date(*parts(match))))
            except ValueError:
                continue
    return min(found)[1] if found else None


ARTICLE_DATE_WITHIN = 600
"""How far into an article its publication date is looked for: the headline, byline and dateline."""
