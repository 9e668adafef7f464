"""The hooks a livemoney plugin implements. This file is the API reference.

Every hook is called with keyword arguments; an implementation may accept only those it needs.
A platform plugin answers for its own platform key and returns ``None`` for any other platform.
Valuation hooks are pure: the same arguments give the same `Valuation`, so the engine may value each
distinct event once and reuse the result for identical events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import datetime as dt

    from livemoney.core.fx import FxRate
    from livemoney.core.models import (
        Context,
        Donation,
        DonationFeature,
        Event,
        Gift,
        Like,
        LikeOutcome,
        Platform,
        Reader,
        Sale,
        Setting,
        Sponsorship,
        Valuation,
    )

hookspec = pluggy.HookspecMarker("livemoney")
hookimpl = pluggy.HookimplMarker("livemoney")
"""Mark a plugin's hook implementations; plugin authors import it as ``from livemoney import hookimpl``."""


# --- conventions ----------------------------------------------------------------------------

PURCHASE_CHANNEL = "purchase_channel"
"""Where a platform's figures depend on where the viewer buys (in the app, with its app-store fee, or on
the web), the plugin declares the setting ``<platform>.purchase_channel``, with the `CHANNELS` as its
``choices``; ``livemoney compare --channel app|web`` (``lm.compare(channel=...)``) sets every such
setting at once, and a user's own ``--set <platform>.purchase_channel=...`` still wins."""

CHANNELS = ("app", "web")
"""The values of a ``<platform>.purchase_channel`` setting: bought in the app, or on the web."""


# --- describe the platform ------------------------------------------------------------------


@hookspec
def livemoney_platform() -> Platform | None:
    """Describe the platform this plugin knows.

    :return: a `Platform`: its key (the entry-point name), display name, units, whether likes pay, the
        seed-table wording for gifts and donations, and the sources of that wording. A plugin that adds
        no platform (an agency's commission) does not implement this hook.

    All results are collected.
    """


@hookspec
def livemoney_settings() -> list[Setting] | None:
    """Declare every figure the plugin reads, so that users can see and override it.

    :return: a list of `Setting`: key (``platform.name``), default, unit, description, `Source` with its
        as-of date, and dated history where the sources date the rule.

    All results are collected. ``Context.settings`` keys are checked against these declarations.
    """


@hookspec(firstresult=True)
def livemoney_donation_features(platform: str, context: Context) -> list[DonationFeature] | None:
    """List the ways viewers pay on ``platform`` (Super Chat, Stars, Badges ...).

    :param platform: the platform key asked about.
    :param context: the valuation context (currency, date, settings).
    :return: a list of `DonationFeature`, or ``None`` if this plugin does not know ``platform``.

    Stops at first non-None result.
    """


# --- value events ---------------------------------------------------------------------------


@hookspec(firstresult=True)
def livemoney_value_gift(platform: str, gift: Gift, context: Context) -> Valuation | None:
    """Value one gift event (``gift.count`` gifts of one kind).

    :param platform: the platform key of the event.
    :param gift: the `Gift`; ``gift.amount``, when set, is the price of ONE gift and wins over any
        catalogue.
    :param context: the valuation context.
    :return: a `Valuation` in ``context.currency``, or ``None`` if this plugin does not know ``platform``.

    Stops at first non-None result.
    """


@hookspec(firstresult=True)
def livemoney_value_donation(platform: str, donation: Donation, context: Context) -> Valuation | None:
    """Value one donation (Super Chat, Super Sticker, membership, badge, Stars, Jewels ...).

    :param platform: the platform key of the event.
    :param donation: the `Donation`; ``donation.feature`` is a `DonationFeature` key.
    :param context: the valuation context.
    :return: a `Valuation` in ``context.currency`` (``unknown=True`` with a reason where no figure is
        known), or ``None`` if this plugin does not know ``platform``.

    Stops at first non-None result.
    """


@hookspec(firstresult=True)
def livemoney_value_sponsorship(platform: str, sponsorship: Sponsorship, context: Context) -> Valuation | None:
    """Value a brand sponsorship of a stream.

    :param platform: the platform key of the event.
    :param sponsorship: the `Sponsorship`.
    :param context: the valuation context.
    :return: a `Valuation`. The host's default gives it all to the creator; a plugin implements this hook
        only to say otherwise.

    Stops at first non-None result.
    """


@hookspec(firstresult=True)
def livemoney_value_sale(platform: str, sale: Sale, context: Context) -> Valuation | None:
    """Value a product sold during a stream.

    :param platform: the platform key of the event.
    :param sale: the `Sale` (``role`` ``seller`` or ``affiliate``).
    :param context: the valuation context.
    :return: a `Valuation`, or ``None`` if this plugin does not know ``platform``.

    Stops at first non-None result.
    """


@hookspec(firstresult=True)
def livemoney_handle_like(platform: str, like: Like, context: Context) -> LikeOutcome | None:
    """Say what likes earn on ``platform`` (nothing, on all four built-in platforms) and what they do.

    :param platform: the platform key of the event.
    :param like: the `Like` (``count`` likes).
    :param context: the valuation context.
    :return: a `LikeOutcome`, or ``None`` if this plugin does not know ``platform``.

    Stops at first non-None result.
    """


@hookspec(firstresult=True)
def livemoney_value_event(platform: str, event: Event, context: Context) -> Valuation | None:
    """Value any event. The host's own implementation dispatches on the event's kind to the hooks above.

    Cross-cutting plugins (an agency's commission, a withholding tax) wrap this hook once with
    ``@hookimpl(wrapper=True)``, take the `Valuation` from ``yield`` and return a changed one, e.g.
    ``valuation.with_share("Agency", amount)``; net shrinks by that share.

    :param platform: the platform key of the event.
    :param event: a `Gift`, `Donation`, `Like`, `Sponsorship` or `Sale`.
    :param context: the valuation context.
    :return: a `Valuation` in ``context.currency``.

    Stops at first non-None result.
    """


# --- convert money ---------------------------------------------------------------------------


@hookspec(firstresult=True)
def livemoney_exchange_rate(base: str, quote: str, on: dt.date | None, context: Context) -> FxRate | None:
    """Give the rate of one ``base`` in ``quote``: a source of exchange rates (a central bank, a broker).

    :param base: the ISO-4217 code of the money to convert.
    :param quote: the ISO-4217 code to convert it to.
    :param on: the day of the money (the event's UTC date, else ``context.as_of``); ``None``: the latest.
    :param context: the valuation context.
    :return: an `FxRate` ``1 base = rate quote`` with its ``date`` (the latest day you have on or before
        ``on``), ``asked`` (``on``; for ``on`` ``None``, your latest day), ``source`` and ``origin``
        (whose rate it is, for ``explain``), or ``None`` if you have no rate of the pair. The host
        inverts a pair and crosses through USD or EUR, refuses a rate more than 7 days older than
        ``asked`` unless the user chose otherwise, and asks the user's own rates (``--rates``) first.
        The host's own implementation, which runs last, gives the ECB reference rates.

    Stops at first non-None result.
    """


# --- read formats ---------------------------------------------------------------------------


@hookspec
def livemoney_readers() -> list[Reader] | None:
    """Declare the input formats this plugin reads (TikTokLive JSON, chat-downloader JSON ...).

    :return: a list of `Reader`, each with a ``sniff(head: bytes) -> bool`` that recognises the format
        from a file's first bytes and a ``read(stream, source)`` that yields events and `Rejected`
        records; its ``samples``, the first bytes of real files of the format, let ``livemoney plugins
        --check`` prove that it recognises and reads them.

    All results are collected.
    """
