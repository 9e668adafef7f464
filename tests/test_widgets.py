"""The dashboards without a front end: set a control's value or click a button, then check the model and
the HTML it renders, to the cent."""

import datetime as dt
import importlib.util
import json
import math
import re
from decimal import Decimal
from pathlib import Path

import livemoney_facebook
import livemoney_instagram
import livemoney_youtube
import pytest
from livemoney import Donation, Like, LikeOutcome, LiveTally, Money, Platform, Setting, Source, hookimpl, valuation
from livemoney.core.canonical import canonical_line
from livemoney.core.settings import SettingTable
from livemoney.engine.api import context
from livemoney.engine.valuer import value
from livemoney.testing import plugin_manager
from livemoney.widgets import CompareDashboard, LiveDashboard, StreamDashboard
from livemoney.widgets.compare import AGENCY, Audience, parse_mix

ATTACK = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
TEST = Source("test figures", as_of="test")


def at(clock: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"2026-11-01T{clock}+00:00")


def cells(html: str, cls: str) -> list[str]:
    """The text of every ``<td>`` whose classes include ``cls``."""
    return [
        text
        for classes, text in re.findall(r'<td class="([^"]*)">(.*?)</td>', html, flags=re.DOTALL)
        if cls in classes.split()
    ]


def row_html(html: str, platform: str, feature: str) -> str:
    found = re.search(rf'<tr data-platform="{platform}" data-feature="{feature}">(.*?)</tr>', html, flags=re.DOTALL)
    assert found, f"no row {platform}/{feature}"
    return found.group(1)


def svg_texts(svg: str) -> list[str]:
    return [text.strip() for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def row(comparison, platform, feature):
    return next(r.valuation for r in comparison.rows if r.platform.key == platform and r.feature == feature)


class Shop:
    """A test platform where the app store takes 30% when bought in the app; the creator keeps 50% of the rest."""

    settings = SettingTable(
        Setting("shop.purchase_channel", "app", "channel", "where viewers buy", TEST, choices=("app", "web")),
    )

    @hookimpl
    def livemoney_platform(self):
        return Platform("shop", "Shop Live", (), False, "Yes", (TEST,))

    @hookimpl
    def livemoney_settings(self):
        return self.settings.declared()

    @hookimpl
    def livemoney_donation_features(self, platform, context):
        from livemoney import DonationFeature

        return [DonationFeature("tip", "Tip", "donation", "yes", Decimal("0.5"))] if platform == "shop" else None

    @hookimpl
    def livemoney_handle_like(self, platform, like, context):
        if platform != "shop":
            return None
        return LikeOutcome("shop", like.count, Money("0.00", context.currency), "likes earn nothing here", TEST)

    @hookimpl
    def livemoney_value_donation(self, platform, donation, context):
        if platform != "shop":
            return None
        gross = donation.amount
        store = (
            gross * Decimal("0.30") if self.settings("shop.purchase_channel", context, None).value == "app" else None
        )
        rest = gross - store if store else gross
        shares = [("App store", store, TEST)] if store else []
        shares.append(("Shop", rest * Decimal("0.5"), TEST))
        return valuation(platform="shop", kind="donation", event=donation, context=context, gross=gross, shares=shares)


@pytest.fixture(scope="module")
def pm():
    return plugin_manager(livemoney_youtube, livemoney_facebook.PLUGIN, livemoney_instagram.PLUGIN)


# --- CompareDashboard --------------------------------------------------------------------------


def test_typing_a_spend_updates_model_table_and_chart(pm):
    dash = CompareDashboard(pm=pm)
    assert row(dash.comparison, "youtube", "super_chat").net == Money("70.00", "USD")  # 100 × 0.70

    dash.spend.value = "250"

    # YouTube keeps 30%: 250 × 0.70 = 175.00
    assert row(dash.comparison, "youtube", "super_chat").net == Money("175.00", "USD")
    # Facebook: 250 USD / 1.40 × 100 = 17,857.142… Stars × 0.01 USD = 178.5714285714, shown 178.57
    assert row(dash.comparison, "facebook", "stars").net == Money("178.5714285714", "USD")
    assert cells(row_html(dash.table.value, "youtube", "super_chat"), "lm-net") == ["175.00"]
    assert cells(row_html(dash.table.value, "facebook", "stars"), "lm-net") == ["178.57"]
    assert cells(row_html(dash.table.value, "facebook", "stars"), "lm-gross") == ["250.00"]
    assert "What the creator keeps of 250 USD spent by a viewer" in dash.table.value
    labels = svg_texts(dash.chart.value)
    assert "175.00" in labels and "178.57" in labels and "70.00" not in labels
    assert "Creator keeps of 250 USD" in labels


def test_agency_takes_its_share_of_the_creators_net(pm):
    dash = CompareDashboard(pm=pm)
    dash.agency.value = "20"

    youtube = row(dash.comparison, "youtube", "super_chat")
    # 20% of the creator's 70.00 = 14.00; the creator keeps 56.00
    assert youtube.share(AGENCY) == Money("14.00", "USD") and youtube.net == Money("56.00", "USD")
    facebook = row(dash.comparison, "facebook", "stars")
    # 20% of 71.4285714286 = 14.2857142857; the creator keeps 57.1428571429 (shown 57.14, the agency 14.29)
    assert facebook.share(AGENCY) == Money("14.2857142857", "USD") and facebook.net == Money("57.1428571429", "USD")
    assert facebook.gross.amount == sum(s.amount.amount for s in facebook.shares) + facebook.net.amount
    # nothing to take from likes, nor from a valuation that is unknown
    assert row(dash.comparison, "facebook", "likes").shares == ()
    assert row(dash.comparison, "youtube", "jewels").unknown and not row(dash.comparison, "youtube", "jewels").shares
    html = row_html(dash.table.value, "facebook", "stars")
    assert 'data-party="Agency"' in html and "Agency 14.29" in html and cells(html, "lm-net") == ["57.14"]
    assert "Agency" in svg_texts(dash.chart.value)

    dash.agency.value = "0"
    assert row(dash.comparison, "facebook", "stars").net == Money("71.4285714286", "USD")


def test_currency_and_channel(pm):
    shop = plugin_manager(Shop())
    dash = CompareDashboard(pm=shop)
    # in the app: the store takes 30.00, the platform half of the 70.00 left: 35.00
    assert row(dash.comparison, "shop", "tip").net == Money("35.00", "USD")
    dash.channel.value = "web"
    # on the web: no store fee, half of 100.00
    assert row(dash.comparison, "shop", "tip").net == Money("50.00", "USD")
    assert dash.comparison.channel == "web"
    dash.currency.value = "EUR"
    assert row(dash.comparison, "shop", "tip").net == Money("50.00", "EUR")
    assert "Creator keeps (EUR)" in dash.table.value
    dash.channel.value = "default"
    assert row(dash.comparison, "shop", "tip").net == Money("35.00", "EUR")


def test_bad_input_is_said_and_the_last_result_stays(pm):
    dash = CompareDashboard(pm=pm)
    dash.spend.value = "<b>ten</b>"
    assert dash.error == "spend: '<b>ten</b>' is not a decimal number"
    assert "&lt;b&gt;ten&lt;/b&gt;" in dash.message.value and "<b>ten" not in dash.message.value
    assert row(dash.comparison, "youtube", "super_chat").net == Money("70.00", "USD")
    dash.spend.value = "100"
    dash.agency.value = "150"
    assert dash.error == "agency commission: 150% must be between 0 and 100"
    dash.agency.value = "10"
    dash.spend.value = "-5"
    assert dash.error == "spend: -5 must not be negative"
    dash.spend.value = "10"
    assert dash.error is None and dash.message.value == ""
    # 10 × 0.70 = 7.00, less the agency's 10%: 6.30
    assert row(dash.comparison, "youtube", "super_chat").net == Money("6.30", "USD")


def test_audience_estimate_with_a_mix(pm):
    dash = CompareDashboard(pm=pm)
    dash.viewers.value = 200
    dash.minutes.value = 90
    dash.rate.value = "0.05"
    # 200 viewers × 1.5 h × 0.05 payments per viewer per hour = 15 payments of 100 USD
    estimates = {found.platform.key: found for found in dash.estimates}
    assert estimates["youtube"].payments == 15
    assert estimates["youtube"].gross == Money("1500.00", "USD")
    # Super Chat, Sticker, membership all 70.00; Jewels unknown: left out
    assert estimates["youtube"].net == Money("1050.00", "USD")
    assert estimates["youtube"].left_out == ("Jewels (gifts on vertical live streams, US)",)

    dash.mix.value = "badge=3, facebook.stars=0"
    estimates = {found.platform.key: found for found in dash.estimates}
    # Instagram: Badges 70.00 weigh 3, Stars 100/0.99 × 45 × 0.01 = 45.4545454545 weigh 1:
    # (3 × 70.00 + 45.4545454545) / 4 = 63.8636363636… a payment, × 15 = 957.9545… → 957.95 (rounded once)
    assert estimates["instagram"].net == Money("957.95", "USD")
    assert estimates["facebook"].net is None and estimates["facebook"].features == ()
    html = dash.estimate_table.value
    assert cells(re.search(r'data-platform="instagram">(.*?)</tr>', html).group(1), "lm-net") == ["957.95"]
    assert "none known" in html and "15 payments" not in html
    assert "A stream of 200 average viewers for 90 minutes, 0.05 payments per viewer per hour (1.5 h)" in html

    dash.mix.value = "badge"
    assert dash.error == "mix: 'badge' is not FEATURE=WEIGHT (e.g. super_chat=2)"
    assert estimates["instagram"].net == {f.platform.key: f for f in dash.estimates}["instagram"].net


def test_parse_mix_and_audience():
    assert parse_mix(" super_chat = 2; stars=0.5 ,") == {"super_chat": Decimal(2), "stars": Decimal("0.5")}
    with pytest.raises(ValueError, match="must not be negative"):
        parse_mix("stars=-1")
    audience = Audience(viewers=30, minutes=20, per_viewer_hour=Decimal("0.3"), mix={"stars": Decimal(2)})
    assert audience.payments == 3  # 30 × 20/60 × 0.3
    assert audience.weight("facebook", "stars") == 2 and audience.weight("facebook", "other") == 1


# --- StreamDashboard ---------------------------------------------------------------------------

EVENTS = [
    Donation(
        platform="youtube",
        feature="super_chat",
        amount=Money("10.00", "USD"),
        viewer=ATTACK,
        ts=at("20:00:05"),
        id="y1",
    ),
    Donation(
        platform="youtube", feature="super_chat", amount=Money("5.00", "USD"), viewer="bob", ts=at("20:00:30"), id="y2"
    ),
    Like(platform="youtube", count=50, viewer="ana", ts=at("20:00:40"), id="y3"),
    Donation(
        platform="facebook", feature="stars", amount=Money("500", "stars"), viewer="bob", ts=at("20:01:10"), id="f1"
    ),
    Donation(
        platform="facebook", feature="stars", amount=Money("100", "stars"), viewer="ana", ts=at("20:06:00"), id="f2"
    ),
]
# YouTube keeps 30%: 10.00 → 7.00, 5.00 → 3.50. Facebook: 100 Stars cost 1.40 USD, the creator gets 0.01
# USD a Star: 500 Stars → gross 7.00, net 5.00; 100 Stars → gross 1.40, net 1.00.


def test_stream_totals_timeline_viewers_and_mix(pm):
    dash = StreamDashboard(EVENTS, pm=pm)
    report = dash.report
    assert report.gross == Money("23.40", "USD")  # 10.00 + 5.00 + 7.00 + 1.40
    assert report.net == Money("16.50", "USD")  # 7.00 + 3.50 + 5.00 + 1.00
    assert dash.leaderboard() == [
        ("bob", Money("12.00", "USD"), Money("8.50", "USD"), 2),
        (ATTACK, Money("10.00", "USD"), Money("7.00", "USD"), 1),
        ("ana", Money("1.40", "USD"), Money("1.00", "USD"), 2),
    ]
    assert cells(dash.viewers.value, "lm-viewer") == ["bob", ESCAPED, "ana"]
    assert ATTACK not in dash.viewers.value
    mix = {(line.platform, line.name): line for line in dash.mix}
    assert mix[("youtube", "super_chat")].net == Money("10.50", "USD") and mix[("youtube", "super_chat")].events == 2
    assert mix[("facebook", "stars")].gross == Money("8.40", "USD")
    assert mix[("youtube", "likes")].items == 50 and mix[("youtube", "likes")].net == Money("0.00", "USD")
    assert [line.name for line in dash.mix][:2] == ["super_chat", "stars"]  # by net: 10.50, 6.00
    assert "10.50" in svg_texts(dash.mix_chart.value)
    assert cells(dash.totals.value, "lm-net")[-1] == "16.50"
    # per minute: 20:00 has 15.00 gross; 5-minute bins: 20:00–20:05 22.00 / 15.50, 20:05– 1.40 / 1.00
    assert [(start.strftime("%H:%M"), gross.amount) for start, gross, _ in report.timeline("1min")] == [
        ("20:00", Decimal("15.00")),
        ("20:01", Decimal("7.00")),
        ("20:06", Decimal("1.40")),
    ]
    dash.freq.value = "5min"
    title = next(text for text in svg_texts(dash.timeline.value) if text.startswith("Per 5min"))
    assert title == "Per 5min (UTC): gross 23.40, net 16.50 USD"


def test_stream_platform_filter_applies_to_every_view(pm):
    dash = StreamDashboard(EVENTS, pm=pm, top=1)
    assert [key for _, key in dash.platform.options] == ["all", "youtube", "facebook"]
    dash.platform.value = "facebook"
    assert dash.report.net == Money("6.00", "USD")  # 5.00 + 1.00
    assert dash.leaderboard() == [("bob", Money("7.00", "USD"), Money("5.00", "USD"), 1)]
    assert {line.platform for line in dash.mix} == {"facebook"}
    assert set(re.findall(r'data-platform="(\w+)"', dash.totals.value)) == {"facebook"}
    assert "facebook: viewers paid 8.40 USD, the creator keeps 6.00 USD" in dash.summary.value
    dash.top.value = 5
    assert [viewer for viewer, *_ in dash.leaderboard()] == ["bob", "ana"]


def test_stream_currency_revalues(pm, tmp_path):
    log = tmp_path / "stream.jsonl"
    log.write_text("".join(canonical_line(event) + "\n" for event in EVENTS), encoding="utf-8")
    dash = StreamDashboard(log, pm=pm)
    assert dash.report.net == Money("16.50", "USD")
    dash.platform.value = "youtube"
    dash.currency.value = "EUR"
    assert dash.platform.value == "youtube"
    assert dash.report.currency == "EUR"
    assert (
        dash.report.net
        == value(log, currency="EUR", platform=None, pm=pm, progress=False).row("youtube", "donation").net
    )
    assert "net (EUR)" in dash.totals.value


def test_stream_from_a_report_alone(pm):
    report = value(EVENTS, currency="USD", pm=pm, progress=False)
    dash = StreamDashboard(report, pm=pm)
    assert dash.currency.options == ("USD",) and dash.currency.disabled
    dash.platform.value = "youtube"
    assert not dash.per_platform and dash.mix == []
    assert set(re.findall(r'data-platform="(\w+)"', dash.totals.value)) == {"youtube"}
    assert cells(dash.totals.value, "lm-net")[-1] == "10.50"  # 7.00 + 3.50 + 0.00
    assert "a report keeps no gift names" in dash.mix_table.value


# --- LiveDashboard -----------------------------------------------------------------------------


def test_live_replay_by_step_advance_and_buttons(pm):
    dash = LiveDashboard(LiveTally(context("USD", pm=pm), pm=pm), replay=EVENTS, speed=60)
    assert dash.step(1) == 1
    assert dash.tally.report().net == Money("7.00", "USD")
    assert '<span class="lm-net">7.00</span>' in dash.status.value
    assert cells(dash.recent.value, "lm-viewer") == [ESCAPED]
    # one second at 60× = a minute of stream after 20:00:05: up to 20:01:05, so y2 and the like, not f1
    assert dash.advance(1) == 2
    assert dash.tally.report().net == Money("10.50", "USD")
    assert "replay 0:01:00 into the stream" in dash.status.value  # 20:00:05 + 60 s of stream
    dash.step_button.click()  # the next 10 (2 are left)
    assert dash.tally.report().read == 5 and dash.replay.done
    assert dash.tally.report().net == Money("16.50", "USD")
    assert "replay finished" in dash.status.value
    assert cells(dash.totals.value, "lm-net")[-1] == "16.50"


def test_live_play_at_max_speed_finishes_at_once(pm):
    dash = LiveDashboard(LiveTally(context("USD", pm=pm), pm=pm), replay=EVENTS, speed=60)
    dash.speed.value = math.inf
    dash.play_button.click()
    final = dash.tally.report()
    expected = value(EVENTS, currency="USD", pm=pm, progress=False)
    assert (final.read, final.gross, final.net, final.shares) == (5, expected.gross, expected.net, expected.shares)
    assert dash._thread is None and "replay finished" in dash.status.value
    assert dash.replay.clock == dt.timedelta(minutes=5, seconds=55)  # 20:00:05 to 20:06:00
    mix = {(line.platform, line.name): line.net for line in dash.mix.lines()}
    assert mix[("facebook", "stars")] == Money("6.00", "USD")


def test_live_play_in_the_background_then_pause(pm):
    dash = LiveDashboard(LiveTally(context("USD", pm=pm), pm=pm), replay=EVENTS, speed=6000, tick=0.01)
    dash.play()
    dash._thread.join(timeout=10)  # the whole replay is 6 minutes of stream: 0.06 s at 6000×
    assert dash.replay.done and dash.tally.report().net == Money("16.50", "USD")
    dash.pause()
    assert dash._thread is None


def test_live_without_replay_takes_events_and_raw_records(pm):
    dash = LiveDashboard(LiveTally(context("USD", pm=pm), pm=pm))
    dash.add(EVENTS[0])
    dash.add(EVENTS[0])  # the same id again: counted once
    dash.add(json.loads(canonical_line(EVENTS[3])))  # a raw canonical record: 500 Stars
    report = dash.tally.report()
    assert report.duplicates == 1 and report.net == Money("12.00", "USD")  # 7.00 + 5.00
    with pytest.raises(ValueError, match="no replay"):
        dash.step()


def test_gift_mix_names_are_escaped(pm):
    from livemoney import Sponsorship

    sponsored = Sponsorship(platform="youtube", amount=Money("250.00", "USD"), brand=ATTACK, viewer="acme")
    dash = StreamDashboard([sponsored], pm=pm)
    (line,) = dash.mix
    assert (line.kind, line.name, line.net) == ("sponsorship", ATTACK, Money("250.00", "USD"))  # all to the creator
    assert cells(dash.mix_table.value, "lm-gift") == [ESCAPED]
    assert ATTACK not in dash.mix_table.value and ATTACK not in dash.mix_chart.value
    assert "youtube · " + ESCAPED in svg_texts(dash.mix_chart.value)


def test_notebooks_are_stored_without_outputs():
    notebooks = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
    assert [path.name for path in notebooks] == [
        "01-compare-platforms.ipynb",
        "02-value-a-stream.ipynb",
        "03-write-a-plugin.ipynb",
        "04-live-tally.ipynb",
    ]
    for path in notebooks:
        code = [cell for cell in json.loads(path.read_text(encoding="utf-8"))["cells"] if cell["cell_type"] == "code"]
        assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code), path.name
        assert any("assert " in "".join(cell["source"]) for cell in code), path.name


def test_the_live_feed_marks_gifts_to_guests_and_keeps_them_out_of_the_gift_mix(tmp_path):
    import livemoney as lm
    from livemoney.widgets import LiveDashboard

    spec = importlib.util.spec_from_file_location("testcast", Path(__file__).parent / "data" / "testcast.py")
    testcast = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(testcast)
    pm = testcast.manager()
    log = tmp_path / "guests.jsonl"
    log.write_text(
        '{"type": "gift", "platform": "testcast", "gift": "Rose", "amount": "100", "currency": "coins", '
        '"recipient": "host-1", "viewer": "a", "ts": "2026-10-01T20:00:00Z"}\n'
        '{"type": "gift", "platform": "testcast", "gift": "Galaxy", "amount": "100", "currency": "coins", '
        '"recipient": "guest-2", "viewer": "b", "ts": "2026-10-01T20:00:01Z"}\n'
    )
    dash = LiveDashboard(lm.LiveTally(lm.context(pm=pm), pm=pm, host="host-1"), replay=log)
    dash.finish()
    dash.refresh()
    assert [line.name for line in dash.mix.lines()] == ["Rose"]
    assert "Galaxy (to a guest)" in dash.recent.value and "Rose (to a guest)" not in dash.recent.value
    # the creator keeps 80% of 1.00 USD: the guest's Galaxy is a row of its own
    assert dash.tally.report().net == Money("0.80", "USD")
