"""Amounts as YouTube displays them ("￥6,000", "CA$5.00", "CHF\xa010.00") turned into exact `Money`.

The symbols are those of chat-downloader's and pytchat's tables. YouTube formats the text for the
viewer's language; capture tools ask for en-US, where "$" alone is the US dollar and numbers group
thousands with commas. Any other prefix is refused, never guessed. (The innertube reader also refuses "$"
alone from a page it can tell is in another language: `innertube.ENGLISH_LABELS`.)
"""

from __future__ import annotations

import re
from decimal import Decimal

from livemoney import Money
from livemoney.kit import FieldError, is_currency, minor_unit

SYMBOLS = {
    "$": "USD",
    "US$": "USD",  # the US dollar's symbol where "$" alone is another dollar (CLDR: zh-TW, en-CA, es-MX...)
    "A$": "AUD",
    "CA$": "CAD",
    "HK$": "HKD",
    "MX$": "MXN",
    "NT$": "TWD",
    "NZ$": "NZD",
    "R$": "BRL",
    "£": "GBP",
    "€": "EUR",
    "₹": "INR",
    "₪": "ILS",
    "₱": "PHP",
    "₩": "KRW",
    "￦": "KRW",
    "¥": "JPY",
    "￥": "JPY",
}
"""Display prefixes that are not ISO codes; ISO codes ("CHF", "PHP"), followed by a no-break space, read as such."""

_DISPLAY = re.compile(r"(?P<prefix>\D*?)(?P<number>\d[\d,]*(?:\.\d+)?)")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})*|\d+")
_ISO = re.compile(r"[A-Z]{3}")


def prefix_of(text: object) -> str | None:
    """The display prefix of an amount's text, stripped ("$" of "$30.00", "US$" of "US$5.00"); ``None`` when the
    text is not an amount."""
    match = _DISPLAY.fullmatch(text.strip()) if isinstance(text, str) else None
    return None if match is None else match["prefix"].strip()


def currency_of(prefix: str, text: str, field: str) -> str:
    """The ISO code of a display prefix ("￥" → "JPY", "CHF\xa0" → "CHF"); unknown → `FieldError`."""
    symbol = prefix.strip()
    if symbol in SYMBOLS:
        return SYMBOLS[symbol]
    if _ISO.fullmatch(symbol) and is_currency(symbol):
        return symbol
    shown = symbol or "(none)"
    raise FieldError(field, f"unknown currency prefix {shown!r} in {text!r}; not guessed")


PARSED_KEPT = 4096
"""How many distinct amount texts `parse_display` keeps the `Money` of (a stream shows a few hundred)."""
_parsed: dict[str, Money] = {}


def parse_display(text: object, field: str) -> Money:
    """``"￥6,000"`` → ``Money(6000, "JPY")``; text in any other shape raises `FieldError` naming ``field``.

    Each distinct text is read once (`PARSED_KEPT`): a `Money` is immutable, so the same one serves again."""
    if not isinstance(text, str):
        return _parse(text, field)
    found = _parsed.get(text)
    if found is None:
        found = _parse(text, field)
        if len(_parsed) < PARSED_KEPT:
            _parsed[text] = found
    return found


def _parse(text: object, field: str) -> Money:
    if not isinstance(text, str) or not text.strip():
        raise FieldError(field, f"{text!r} is not an amount")
    stripped = text.strip()
    match = _DISPLAY.fullmatch(stripped)
    if match is None:
        raise FieldError(field, f"{text!r} is not an amount (a currency symbol or code, then a number)")
    whole, _, _ = match["number"].partition(".")
    if not _GROUPED.fullmatch(whole):
        raise FieldError(field, f"{text!r}: {match['number']!r} is not a number grouped with commas (en-US)")
    currency = currency_of(match["prefix"], text, field)
    amount = Decimal(match["number"].replace(",", ""))
    if amount.as_tuple().exponent < minor_unit(currency).as_tuple().exponent:  # type: ignore[operator]
        # "IDR 100.000", "₩10.000", "€1.000": a point grouping thousands (another language's display), which
        # read as en-US would be a thousandth of the amount
        raise FieldError(
            field, f"{text!r}: more decimals than {currency} has: a point grouping thousands? (en-US displays only)"
        )
    return Money(amount, currency)
