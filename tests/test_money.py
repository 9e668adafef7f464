from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from livemoney import Money
from livemoney.core.money import minor_unit, to_decimal
from livemoney.errors import CurrencyMismatch


def test_amounts_are_exact_decimals():
    assert Money("0.1", "USD") + Money("0.2", "USD") == Money("0.3", "USD")
    assert Money(5, "coins").amount == Decimal(5)


def test_float_is_refused_with_the_field_named():
    with pytest.raises(TypeError, match="amount: 0.1 is a float"):
        Money(0.1, "USD")


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", "1e999999"])
def test_non_finite_or_garbage_amounts_are_refused(bad):
    with pytest.raises(ValueError, match="amount"):
        Money(bad, "USD")


def test_unknown_currency_is_refused():
    with pytest.raises(ValueError, match="currency: 'XYZ' is not an ISO-4217"):
        Money(1, "XYZ")


def test_arithmetic_across_currencies_raises():
    with pytest.raises(CurrencyMismatch):
        Money(1, "USD") + Money(1, "EUR")


def test_minor_units_come_from_iso_4217():
    assert minor_unit("USD") == Decimal("0.01")
    assert minor_unit("JPY") == Decimal(1)
    assert minor_unit("KWD") == Decimal("0.001")
    assert minor_unit("coins") == Decimal(1)


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [("1.005", "USD", "1.00"), ("1.015", "USD", "1.02"), ("2.5", "JPY", "2"), ("3.5", "JPY", "4")],
)
def test_rounding_is_half_even_to_the_minor_unit(amount, currency, expected):
    assert Money(amount, currency).rounded() == Money(expected, currency)


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**12), max_value=10**12, places=6))
def test_to_decimal_round_trips_its_text(value):
    assert to_decimal(str(value)) == value
