import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from livemoney import Context, Donation, Gift, Like, Money, Share, Valuation, valuation
from livemoney.core.models import event_date
from livemoney.kit import NO_MONEY, NOT_READ, REPEAT, Skipped, skipped, unchecked

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


def test_a_valuation_keeps_exact_amounts_and_shows_them_rounded_once():
    # 10.00 USD at a 1/3 cut: the cut is 3.3333333333 (10 places), the creator keeps 6.6666666667.
    result = valuation(
        platform="x",
        kind="donation",
        event=None,
        context=Context(),
        gross=Money("10.00", "USD"),
        shares=[("Platform", Money(Decimal(10) / 3, "USD"), None)],
    )
    assert result.share("Platform") == Money("3.3333333333", "USD") and result.net == Money("6.6666666667", "USD")
    # Shown: gross 10.00, net 6.67 (6.666… rounded once), the platform the rest of the rounded gross: 3.33.
    shown = result.shown()
    assert (shown.gross, shown.share("Platform"), shown.net) == (
        Money("10.00", "USD"),
        Money("3.33", "USD"),
        Money("6.67", "USD"),
    )
    assert result.explain[-1] == (
        "exact: gross 10.00 = Platform 3.3333333333 + net 6.6666666667 USD; "
        "shown rounded once (half-even): gross 10.00 = Platform 3.33 + net 6.67 USD"
    )
    # A 15% agency commission of 6.6666666667 = 1.000000000005 → 1.0000000000 (half-even at 10 places).
    after = result.with_share("Agency", result.net.amount * Decimal("0.15"))
    assert after.share("Agency") == Money("1.00", "USD") and after.net == Money("5.6666666667", "USD")
    assert after.explain[-1].startswith("exact: gross 10.00 = Platform 3.3333333333 + Agency 1.00 + net 5.6666666667")
    assert sum(line.startswith("exact: ") for line in after.explain) == 1


def test_one_rose_keeps_half_a_cent_and_ten_thousand_are_fifty_dollars():
    # The creator earns 1 diamond x 0.005 USD: exactly 0.005, shown 0.00 (half-even), never lost in sums.
    rose = valuation(
        platform="x",
        kind="gift",
        event=None,
        context=Context(),
        gross=Money("0.0141428571", "USD"),
        net=Money("0.005", "USD"),
        residual="Platform",
    )
    assert rose.net == Money("0.005", "USD") and rose.shown().net == Money("0.00", "USD")
    assert rose.scaled(10_000).net == Money("50.00", "USD")


def test_a_fixed_net_puts_the_rest_into_the_residual_party():
    # gross 100 x 0.99 / 70 = 1.4142857143 (10 places); app store 30% = 0.4242857143; creator fixed at
    # 0.50; the platform takes 1.4142857143 - 0.4242857143 - 0.50 = 0.49.
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
        Money("1.4142857143", "USD"),
        Money("0.4242857143", "USD"),
        Money("0.49", "USD"),
        Money("0.50", "USD"),
    )
    # Shown: gross 1.41, net 0.50; running totals 0.50, 0.92 (0.9242857143), 1.41: App store 0.42, Platform 0.49.
    shown = result.shown()
    assert (shown.gross, shown.share("App store"), shown.share("Platform"), shown.net) == (
        Money("1.41", "USD"),
        Money("0.42", "USD"),
        Money("0.49", "USD"),
        Money("0.50", "USD"),
    )


@given(
    st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False),
    st.lists(st.decimals(min_value=0, max_value=Decimal("0.25"), places=3, allow_nan=False), max_size=4),
    st.sampled_from(["USD", "JPY", "KWD", "EUR"]),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=Decimal("0.5"), places=4, allow_nan=False)),
)
def test_gross_equals_shares_plus_net_for_any_split(amount, rates, currency, fixed):
    gross = Money(amount, currency)
    net = None if fixed is None else gross * fixed
    result = valuation(
        platform="x",
        kind="donation",
        event=None,
        context=Context(currency=currency),
        gross=gross,
        shares=[(f"P{i}", gross * rate, None) for i, rate in enumerate(rates)],
        net=net,
        residual=None if net is None else "Rest",
    )
    parties = [*(s.amount.amount for s in result.shares)]
    assert result.gross.amount == sum(parties) + result.net.amount
    assert all(part == part.quantize(Decimal("1E-10")) for part in [*parties, result.net.amount])
    shown = result.shown()
    assert shown.gross.amount == sum(s.amount.amount for s in shown.shares) + shown.net.amount
    # Gross is rounded once; the parties by running totals, the one that takes the rest last: a fixed net
    # first (its own amount rounded once), then the shares, each running total the exact one rounded once.
    assert shown.gross == result.gross.rounded()
    order = [result.net, *(s.amount for s in result.shares)] if net is not None else [s.amount for s in result.shares]
    shown_order = (
        [shown.net, *(s.amount for s in shown.shares)] if net is not None else [s.amount for s in shown.shares]
    )
    running = shown_running = Decimal(0)
    for exact, rounded in zip(order[:-1] if net is not None else order, shown_order):
        running += exact.amount
        shown_running += rounded.amount
        assert shown_running == Money(running, currency).rounded().amount
    # Every shown part is within one minor unit of its exact amount.
    unit = Decimal(1).scaleb(Money(1, currency).rounded().amount.as_tuple().exponent)
    pairs = [(shown.net, result.net), *((a.amount, b.amount) for a, b in zip(shown.shares, result.shares))]
    assert all(abs(a.amount - b.amount) <= unit for a, b in pairs)


# --- makers without the checks (the kit's `skipped` and `unchecked`) --------------------------------------------


@given(
    st.one_of(st.none(), st.integers(), st.text(max_size=8), st.sampled_from(["chat", " ", "", "\u2003"])),
    st.sampled_from([NO_MONEY, NOT_READ, REPEAT, "other"]),
    st.integers(min_value=-2, max_value=10**6),
)
def test_skipped_makes_what_skipped_makes_or_refuses_as_it_does(kind, why, line):
    """`skipped` sets the fields itself only when they hold what `Skipped` checks: field for field the same record,
    and whatever `Skipped` refuses it refuses alike."""
    try:
        expected = Skipped("chat.jsonl", line, kind, why)
    except (TypeError, ValueError) as error:
        with pytest.raises(type(error)):
            skipped("chat.jsonl", line, kind, why)
        return
    made = skipped("chat.jsonl", line, kind, why)
    assert made == expected and type(made) is Skipped
    assert attrs.astuple(made) == attrs.astuple(expected)


def test_unchecked_makes_and_copies_a_model_without_its_checks():
    like = unchecked(Like)(platform="starcast", count=3, source="log:1")
    assert like == Like(platform="starcast", count=3, source="log:1")  # the defaults filled in as attrs does
    template = Donation(platform="starcast", feature="stars", amount=Money("500", "stars"), viewer="ann", source="a:1")
    copy = unchecked(Donation, "viewer", "source")(template, viewer="bob", source="a:2")
    assert copy == attrs.evolve(template, viewer="bob", source="a:2") and template.viewer == "ann"
    assert unchecked(Donation, "viewer", "source") is unchecked(Donation, "viewer", "source")  # made once
    # the caller answers for the values: none is checked (a count of 0 is refused by Like, not by the maker)
    assert unchecked(Like)(platform="starcast", count=0).count == 0
    with pytest.raises(ValueError):
        Like(platform="starcast", count=0)
    # a field it is not given and that has no default: a TypeError at once, never a half-made instance
    with pytest.raises(TypeError):
        unchecked(Like)(count=3)
    # a copied name the class does not have is refused (a breaker's trial: "viewr" was ignored, and a name was
    # pasted into generated code as it was)
    for names in (("viewr",), ("viewer=print('x') or 'y'",), ("viewer", "viewer")):
        with pytest.raises(ValueError, match="not a field, or twice"):
            unchecked(Donation, *names)
