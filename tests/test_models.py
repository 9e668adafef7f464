import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from livemoney import Context, Donation, Gift, Like, Money, Share, Valuation, valuation
from livemoney.models import event_date

UTC = dt.UTC


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Gift(platform="tiktok", gift="Rose", count=-1), "Gift.count: -1"),
        (lambda: Gift(platform="tiktok", gift="", count=1), "Gift.gift"),
        (lambda: Gift(platform="tiktok", gift="Rose", ts=dt.datetime(2026, 1, 1)), "Gift.ts: .* timezone-aware"),
        (lambda: Donation(platform="youtube", feature="super_chat", amount=Money("-1", "USD")), "must not be negative"),
        (lambda: Donation(platform="youtube", feature="super_chat", amount="5"), "Donation.amount: '5' must be Money"),
        (lambda: Like(platform="", count=1), "Like.platform"),
        (lambda: Context(currency="coins"), "Context.currency"),
        (lambda: Context(as_of="yesterday"), "as_of: 'yesterday' is not a date"),
    ],
)
def test_bad_values_fail_where_they_enter_naming_the_field(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make()


def test_the_rules_date_is_as_of_else_the_events_own_utc_date():
    gift = Gift(
        platform="tiktok", gift="Rose", ts=dt.datetime(2026, 1, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    )
    assert event_date(gift, None) == dt.date(2026, 1, 2)
    assert event_date(gift, dt.date(2024, 6, 1)) == dt.date(2024, 6, 1)
    assert event_date(Gift(platform="tiktok", gift="Rose"), None) is None


def test_a_valuation_that_breaks_the_invariant_cannot_be_built():
    with pytest.raises(ValueError, match="gross 10.00 USD != shares \\+ net"):
        Valuation("x", "donation", Money("10.00", "USD"), (Share("P", Money("3.00", "USD")),), Money("6.00", "USD"))


def test_rounding_goes_to_net_and_with_share_takes_from_net():
    # 10.00 USD at a 1/3 cut: the cut 3.333… rounds to 3.33, the creator keeps 10.00 − 3.33 = 6.67.
    result = valuation(
        platform="x",
        kind="donation",
        event=None,
        context=Context(),
        gross=Money("10.00", "USD"),
        shares=[("Platform", Money(Decimal(10) / 3, "USD"), None)],
    )
    assert result.share("Platform") == Money("3.33", "USD") and result.net == Money("6.67", "USD")
    # A 15% agency commission of 6.67 = 1.0005 → 1.00 (half-even); net 5.67.
    after = result.with_share("Agency", result.net.amount * Decimal("0.15"))
    assert after.share("Agency") == Money("1.00", "USD") and after.net == Money("5.67", "USD")


def test_a_fixed_net_puts_the_rounding_into_the_residual_party():
    # gross 1.4142857… → 1.41; app store 0.4242857… → 0.42; creator fixed at 0.50; platform 1.41−0.42−0.50.
    gross = Money(Decimal(100) * Decimal("0.99") / 70, "USD")
    result = valuation(
        platform="x",
        kind="gift",
        event=None,
        context=Context(),
        gross=gross,
        shares=[("App store", gross * Decimal("0.30"), None)],
        net=Money("0.50", "USD"),
        residual="Platform",
    )
    assert (result.gross, result.share("App store"), result.share("Platform"), result.net) == (
        Money("1.41", "USD"),
        Money("0.42", "USD"),
        Money("0.49", "USD"),
        Money("0.50", "USD"),
    )


@given(
    st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False),
    st.lists(st.decimals(min_value=0, max_value=1, places=3, allow_nan=False), max_size=4),
    st.sampled_from(["USD", "JPY", "KWD", "EUR"]),
)
def test_gross_equals_shares_plus_net_for_any_split(amount, rates, currency):
    gross = Money(amount, currency)
    result = valuation(
        platform="x",
        kind="donation",
        event=None,
        context=Context(currency=currency),
        gross=gross,
        shares=[(f"P{i}", gross * rate, None) for i, rate in enumerate(rates)],
    )
    assert result.gross.amount == sum(s.amount.amount for s in result.shares) + result.net.amount
    assert all(s.amount == s.amount.rounded() for s in result.shares) and result.gross == result.gross.rounded()
