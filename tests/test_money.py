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


# --- the total row: its parts fitted to the rows' figures ------------------------------------------------------


def test_a_total_s_parts_are_the_rows_figures_added_up_when_they_add_up_to_its_gross():
    from livemoney.core.money import fitted_parts

    D = Decimal
    # `make demo`'s total: App store 356.7525 and TikTok 412.0049 (one row each) show their rows' 356.75 and
    # 412.00, the net its rows' 2652.77: 356.75 + 412.00 + 2652.77 = 3421.52, the rounded gross
    exact, near = [D("356.7525"), D("412.0049"), D("2652.7650")], [D("356.75"), D("412.00"), D("2652.77")]
    assert fitted_parts(D("3421.52"), exact, near, "USD") == [
        D("356.75"),
        D("412.00"),
        D("2652.77"),
    ]
    # three rows' thirds: 0.33 each adds up to 0.99, the gross is 1.00: the cent goes to the part furthest below
    # its exact sum (0.334 - 0.33 = 0.004 against 0.003)
    exact, near = [D("0.333"), D("0.333"), D("0.334")], [D("0.33"), D("0.33"), D("0.33")]
    assert fitted_parts(D("1.00"), exact, near, "USD") == [
        D("0.33"),
        D("0.33"),
        D("0.34"),
    ]
    # a sum more than a cent from its exact amount (many rows' roundings added up) starts from that amount
    # rounded once: 0.32 and 0.68 for 0.333 and 0.667 become 0.33 and 0.67
    assert fitted_parts(D("1.00"), [D("0.333"), D("0.667")], [D("0.32"), D("0.68")], "USD") == [D("0.33"), D("0.67")]
    # 3 cents to add, and no part can take more than one without going over a cent from its exact sum: none
    assert fitted_parts(D("1.00"), [D("0.33"), D("0.64")], [D("0.33"), D("0.64")], "USD") is None
    # a trial's three events (a Super Chat of 0.75, sponsorships of 0.015 and 0.01 USD): the rows' nets add up
    # to 0.56, a cent from the exact 0.55, which is allowed, as on a row; YouTube stays at its one row's 0.22
    assert fitted_parts(D("0.78"), [D("0.225"), D("0.550")], [D("0.22"), D("0.56")], "USD", [True, False]) == [
        D("0.22"),
        D("0.56"),
    ]
    # a part that stands on one row (settled) moves only when no other can: the net takes the cent, though the
    # first part is further from its exact sum (0.009 against 0.001)
    assert fitted_parts(
        D("1.06"), [D("0.009"), D("0.3150"), D("0.7310")], [D("0.00"), D("0.32"), D("0.73")], "USD", [True, True, False]
    ) == [
        D("0.00"),
        D("0.32"),
        D("0.74"),
    ]
    # yen have no minor digits: whole yen
    assert fitted_parts(D("100"), [D("30.4"), D("69.6")], [D("30"), D("69")], "JPY") == [D("30"), D("70")]
    # no rows (the guests' total of a log without guests): the rows' sums are a bare 0, written to minor units
    assert list(map(str, fitted_parts(D("0.00"), [D(0), D(0)], [D(0), D(0)], "USD"))) == ["0.00", "0.00"]
    assert list(map(str, fitted_parts(D("0"), [D(0)], [D(0)], "JPY"))) == ["0"]


@given(
    st.lists(
        st.tuples(st.integers(0, 10**7), st.integers(0, 10**7), st.integers(0, 10**7)).filter(lambda row: sum(row) > 0),
        min_size=1,
        max_size=12,
    )
)
def test_a_fitted_total_adds_up_and_stays_within_a_cent_of_every_exact_sum(rows):
    """Rows of two shares and a net in ten-thousandths of a cent, each shown by running totals as a report
    shows a row: the total's parts (when they fit) add up to its gross rounded once, each within a cent of its
    exact sum (at most: as a row's); a total of one row is that row."""
    from livemoney.core.money import SUMS, fitted_parts, show, split_shown

    scale = Decimal("0.000001")
    exact_rows = [[Decimal(part) * scale for part in row] for row in rows]
    shown_rows = []
    for first, second, net in exact_rows:
        gross = SUMS.add(SUMS.add(first, second), net)
        _, shown_net, shares = split_shown(gross, net, [first, second], "USD")
        shown_rows.append([*shares, shown_net])
    exact = [sum((row[index] for row in exact_rows), Decimal(0)) for index in range(3)]
    near = [sum((row[index] for row in shown_rows), Decimal(0)) for index in range(3)]
    gross = show(sum(exact, Decimal(0)), "USD")
    fitted = fitted_parts(gross, exact, near, "USD")
    if len(rows) == 1:
        assert fitted == shown_rows[0]  # one row: the total is that row, figure for figure
    if fitted is not None:
        assert sum(fitted, Decimal(0)) == gross
        assert all(abs(part - amount) <= Decimal("0.01") for part, amount in zip(fitted, exact))
