"""Numbers and amounts in words people read: ``$13.0B``, ``up to $20.0B``, ``more than 100,000``."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.model import Amount, Quantity

QUALIFIER_WORDS = {"exact": "", "approximately": "about ", "up-to": "up to ", "at-least": "at least ",
                   "more-than": "more than "}


def format_usd(value: float | Decimal | None) -> str:
    """US dollars in human units, to two decimals at most.

    >>> format_usd(13_000_000_000), format_usd(1_250_000_000), format_usd(350_000_000), format_usd(None)
    ('$13.0B', '$1.25B', '$350.0M', 'undisclosed')
    """
    if value is None:
        return "undisclosed"
    value = float(value)
    for size, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if value >= size:
            text = f"{value / size:.2f}"
            return f"${text[:-1] if text.endswith('0') else text}{unit}"
    return f"${value:,.0f}"


def describe_amount(amount: Amount | None) -> str:
    """An amount with its qualifier, in US dollars where known, else in its own currency.

    >>> from kg.model import Amount
    >>> describe_amount(Amount(Decimal(20_000_000_000), "USD", "up-to", Decimal(20_000_000_000)))
    'up to $20.0B'
    >>> describe_amount(Amount(Decimal(1_700_000_000), "EUR"))
    '1,700,000,000 EUR'
    """
    if amount is None:
        return "amount undisclosed"
    figure = format_usd(amount.usd) if amount.usd is not None else f"{amount.value:,f} {amount.currency}"
    return QUALIFIER_WORDS[amount.qualifier] + figure


def describe_quantity(quantity: Quantity, unit: str = "") -> str:
    """A quantity with its qualifier and unit.

    >>> from kg.model import Quantity
    >>> describe_quantity(Quantity(Decimal("3.5")), "GW"), describe_quantity(Quantity(Decimal(100000), "more-than"))
    ('3.5 GW', 'more than 100,000')
    """
    number = f"{quantity.value:,f}"
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    return f"{QUALIFIER_WORDS[quantity.qualifier]}{number}{' ' + unit if unit else ''}"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text safe to print on a terminal: control characters, which start escape sequences, shown as
    ``\\xNN`` (tabs and line breaks kept).

    >>> printable("Acme\\x1b]8;;https://evil.example\\x07 Corp")
    'Acme\\\\x1b]8;;https://evil.example\\\\x07 Corp'
    """
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
