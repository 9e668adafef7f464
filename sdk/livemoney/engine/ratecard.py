"""The rate card: the distinct valuation keys of an input and their valuations, as an object and a table.

Valuation hooks are pure: an event's valuation depends only on its valuation key (`livemoney.core.schema.
event_key`: the event without its identity, its time as a UTC date) and the context. A log of 10^7 events
has a few thousand keys. A `RateCard` holds, per key, its `Valuation` (gross, each share, net, exact;
unknown with its reason) or why events with that key are rejected, with what it was valued in: the
report currency, the rules' date (``as_of``, else each key's day), the settings and the exchange rates.
Any engine can apply it: join its events to the card on the key's columns and sum (the Parquet path,
`livemoney.engine.columnar`, and Spark, `livemoney.engine.spark`, do).

    card = RateCard.for_events(lm.read_events("stream.jsonl"), lm.context("USD"))   # or RateCard.for_keys(keys, ...)
    card[key].valuation                          # key: a `schema.event_key` tuple; `card.keys` lists them
    eur = card.revalue(lm.context("EUR", settings={"tiktok.diamond_usd": "0.0045"}))   # the same keys, again
    eur.to_parquet("card-eur.parquet")           # or eur.to_arrow(): a pyarrow Table (pip install 'livemoney[parquet]')
    eur.report()                                 # rows and totals, when the card counts its events

Revaluing a stream's keys in another currency, rules' date or settings (a dashboard's currency switch)
never reads the log again: keep the card (or its keys) of the first run and call `RateCard.revalue` (or
`RateCard.for_keys` with the keys). Each key is valued once, through a fresh `livemoney.engine.valuer.Valuer`
(the same hooks, wrappers, unknowns and failures as valuing a log). A card made by an engine that counts
(`livemoney.engine.columnar`, `livemoney.engine.spark`) carries each key's number of valued events (the
creator's and the guests'), and keeps them when revalued, so `RateCard.report` gives the rows and totals of
the new context at once (per viewer and per minute sums need the events: the Parquet path computes them in
about the time of a bare JSON parse). `RateCard.from_valuer` takes the keys a `Valuer` valued.

The table (`RateCard.to_arrow`, `to_parquet`, `arrow_schema`), one row per key; its schema is stable:

- the key, `livemoney.core.schema.KEY_COLUMNS`: ``platform``, ``type``, ``day`` (date, the UTC date of the
  events' time; null: events without a time), then each type's value fields: ``gift``, ``count`` (int64),
  ``amount`` (decimal(38, 10)), ``currency``, ``recipient``, ``gift_id``, ``feature``, ``brand``, ``product``,
  ``role`` (strings); null where the field is not of the key's type;
- ``report_currency`` (the currency of the valuations), ``rules_date`` (the date whose rules apply: ``as_of``, else ``day``);
- ``rejected_field``, ``rejected_problem``: events with this key are rejected with this reason (both null
  when valued: no plugin values the kind, an amount too large to value exactly);
- ``unknown`` (bool), ``reason`` (string): a figure no source gives was needed;
- ``gross``, ``net`` (decimal(38, 10), exact, in the report currency; what ONE event of the key is worth),
  ``shares`` (list of ``{party, amount decimal(38, 10), source}``), ``residual`` (the party that takes the
  rest; null: the creator's net), ``units`` (list of ``{unit, amount}``, amounts as decimal text),
  ``explain`` (list of strings);
- ``events``, ``to_guests`` (int64): how many valued events have the key, the creator's and the gifts to
  guests (null when the card does not count).

The schema's metadata ``livemoney`` is JSON: ``{"version": 1, "currency", "as_of", "settings" (key →
value as text), "rates" (which exchange rates), "livemoney" (the version)}``. `RATE_CARD_VERSION` changes
when a column changes meaning.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import attrs

from livemoney.core.extras import extra
from livemoney.core.fx import Rates, ecb_rates
from livemoney.core.models import Context, Event, Valuation
from livemoney.core.money import plain
from livemoney.core.schema import KEY_COLUMNS, event_key, key_event, key_row
from livemoney.core.settings import setting_text
from livemoney.engine.readers import KnownPlatforms
from livemoney.engine.report import Report, Totals, original_amount
from livemoney.engine.valuer import Valuer
from livemoney.pluginsys.manager import PluginManager, default_manager

RATE_CARD_VERSION = 1
ARROW_INSTALL = "pip install 'livemoney[parquet]' (or 'livemoney[duckdb]', which values Parquet files too)"
_DECIMAL = (38, 10)
"""Money in the table: DECIMAL(38, 10), the exact amounts a valuation keeps (10 decimal places)."""


@attrs.frozen(slots=True, eq=False)
class CardEntry:
    """One key of a `RateCard`: its valuation (of ONE event with that key), or why its events are rejected.

    ``events`` and ``to_guests``: how many valued events have the key (the creator's, and gifts to guests),
    when the card was made by an engine that counts them; ``None`` otherwise.
    """

    key: tuple[Any, ...]
    valuation: Valuation | None
    rejected: tuple[str, str] | None = None
    """``(field, problem)``: the events with this key are rejected so (``valuation`` is then ``None``)."""
    events: int | None = None
    to_guests: int | None = None

    @property
    def event(self) -> Event:
        """An event with this key (its time the start of the key's day, UTC): `schema.key_event`."""
        return key_event(self.key)


@attrs.frozen(slots=True, eq=False)
class RateCard:
    """The distinct valuation keys of an input and their valuations in one context: see the module docstring."""

    context: Context
    rates: str
    """Which exchange rates the valuations used (`describe_rates`)."""
    entries: tuple[CardEntry, ...]

    # --- making one ---------------------------------------------------------------------------

    @classmethod
    def for_keys(
        cls,
        keys: Iterable[tuple[Any, ...]],
        context: Context,
        pm: PluginManager | None = None,
        counts: Mapping[tuple[Any, ...], tuple[int, int]] | None = None,
    ) -> RateCard:
        """The card of ``keys`` (`schema.event_key` tuples; each distinct one once, in first-met order),
        valued in ``context`` through the plugins of ``pm``, as valuing a log values them (a fresh
        `livemoney.engine.valuer.Valuer`: the same unknowns, failures and errors).

        :param counts: key → ``(events, to_guests)``, the valued events of each key, if known.
        """
        pm = pm or default_manager()
        known = KnownPlatforms(pm)
        valuer = Valuer(context, pm, known=known)
        entries = []
        for key in dict.fromkeys(keys):
            events, guests = counts.get(key, (0, 0)) if counts is not None else (None, None)
            problem = known.problem(key[0])
            if problem is not None:
                entries.append(CardEntry(key, None, ("platform", problem), events, guests))
                continue
            found = valuer.entry(key_event(key))
            if isinstance(found, tuple):
                entries.append(CardEntry(key, None, found, events, guests))
            else:
                entries.append(CardEntry(key, found.valuation, None, events, guests))
        return cls(context, describe_rates(context), tuple(entries))

    @classmethod
    def for_events(cls, events: Iterable[Any], context: Context, pm: PluginManager | None = None) -> RateCard:
        """The card of the distinct keys of ``events`` (other items, `Skipped` or `Rejected` records, are
        passed over); it does not count them (duplicates are a log's business: value the log for counts)."""
        return cls.for_keys((event_key(item) for item in events if isinstance(item, Event)), context, pm)

    @classmethod
    def from_valuer(cls, valuer: Valuer) -> RateCard:
        """The card of the keys ``valuer`` valued and holds (every key it met, unless it met more than
        `livemoney.engine.valuer.MAX_KEYS`), in its context, without counts."""
        held: dict[tuple[Any, ...], Any] = {**valuer._entries, **valuer._failed}
        entries = [
            CardEntry(key, None, found) if isinstance(found, tuple) else CardEntry(key, found.valuation)
            for key, found in held.items()
        ]
        return cls(valuer.context, describe_rates(valuer.context), tuple(entries))

    def revalue(self, context: Context, pm: PluginManager | None = None) -> RateCard:
        """The same keys (and counts) valued in another ``context``: another currency, rules' date, settings
        or rates. The log is not read again."""
        counts = {e.key: (e.events, e.to_guests or 0) for e in self.entries if e.events is not None}
        return RateCard.for_keys(self.keys, context, pm, counts if counts else None)

    # --- reading it ---------------------------------------------------------------------------

    @property
    def currency(self) -> str:
        return self.context.currency

    @property
    def as_of(self) -> dt.date | None:
        return self.context.as_of

    @property
    def settings(self) -> dict[str, Any]:
        return dict(self.context.settings)

    @property
    def keys(self) -> list[tuple[Any, ...]]:
        """The keys, in the card's order."""
        return [entry.key for entry in self.entries]

    @property
    def counted(self) -> bool:
        """Whether the card counts its keys' valued events (made by an engine that counts)."""
        return bool(self.entries) and all(entry.events is not None for entry in self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[CardEntry]:
        return iter(self.entries)

    def __getitem__(self, key: tuple[Any, ...]) -> CardEntry:
        found = self._by_key.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    @property
    def _by_key(self) -> dict[tuple[Any, ...], CardEntry]:
        return {entry.key: entry for entry in self.entries}

    def report(self) -> Report:
        """The rows and totals of the counted events (`Report`: per platform and kind, exact sums, each figure
        rounded once), without viewers, minutes, rejects or duplicates (a card has none of those).

        Raises `ValueError` for a card that does not count its events.
        """
        if not self.counted:
            raise ValueError("this rate card does not count its events (made for keys): value the input instead")
        totals = Totals(self.currency, self.as_of)
        for entry in self.entries:
            if entry.valuation is None:
                continue
            original = original_amount(entry.event)
            if entry.events:
                totals.add(entry.valuation, entry.events, original)
            if entry.to_guests:
                totals.add(entry.valuation, entry.to_guests, original, to_guests=True)
        totals.records = totals.valued
        return totals.report()

    def metadata(self) -> dict[str, Any]:
        """What the card was valued in, as the table's ``livemoney`` metadata says it."""
        try:
            release = version("livemoney")
        except PackageNotFoundError:
            release = None
        return {
            "version": RATE_CARD_VERSION,
            "currency": self.currency,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "settings": {key: setting_text(value) for key, value in sorted(self.context.settings.items())},
            "rates": self.rates,
            "livemoney": release,
        }

    def rows(self) -> list[dict[str, Any]]:
        """The card as plain rows, one per key, with the table's columns (`arrow_schema`)."""
        return [_row(entry, self.currency, self.as_of) for entry in self.entries]

    def to_arrow(self) -> Any:
        """The card as a pyarrow ``Table`` with the stable schema of the module docstring (needs pyarrow).

        Raises `ValueError` when an amount does not fit DECIMAL(38, 10) (more than 10 decimal places, or 28
        digits before the point) or a count does not fit int64.
        """
        pa = pyarrow()
        schema = arrow_schema().with_metadata({"livemoney": json.dumps(self.metadata())})
        try:
            return pa.Table.from_pylist(self.rows(), schema=schema)
        except (pa.ArrowInvalid, OverflowError) as error:
            raise ValueError(f"the rate card does not fit its table: {error}") from None

    def to_parquet(self, path: str | os.PathLike) -> None:
        """Write the card (`to_arrow`) to a Parquet file."""
        import pyarrow.parquet as pq

        pq.write_table(self.to_arrow(), path)

    def __repr__(self) -> str:
        rejected = sum(1 for entry in self.entries if entry.rejected is not None)
        return f"<RateCard {self.currency}: {len(self.entries)} keys ({rejected} rejected); {self.rates}>"


# --- the table ------------------------------------------------------------------------------------

def pyarrow() -> Any:
    """The pyarrow module, or `MissingExtra` that says how to install it."""
    return extra("pyarrow", f"Arrow and Parquet tables need pyarrow: {ARROW_INSTALL}")


def _arrow_type(json_kind: str) -> Any:
    pa = pyarrow()
    if json_kind == "count":
        return pa.int64()
    if json_kind == "money":
        return pa.decimal128(*_DECIMAL)
    if json_kind == "date":
        return pa.date32()
    if json_kind == "time":
        return pa.timestamp("us", tz="UTC")
    return pa.string()


def arrow_schema() -> Any:
    """The pyarrow schema of a card's table (its metadata aside)."""
    pa = pyarrow()
    money = pa.decimal128(*_DECIMAL)
    return pa.schema(
        [
            *(pa.field(column.name, _arrow_type(column.json)) for column in KEY_COLUMNS),
            pa.field("report_currency", pa.string()),
            pa.field("rules_date", pa.date32()),
            pa.field("rejected_field", pa.string()),
            pa.field("rejected_problem", pa.string()),
            pa.field("unknown", pa.bool_()),
            pa.field("reason", pa.string()),
            pa.field("gross", money),
            pa.field("net", money),
            pa.field(
                "shares",
                pa.list_(
                    pa.struct([pa.field("party", pa.string()), pa.field("amount", money), pa.field("source", pa.string())])
                ),
            ),
            pa.field("residual", pa.string()),
            pa.field("units", pa.list_(pa.struct([pa.field("unit", pa.string()), pa.field("amount", pa.string())]))),
            pa.field("explain", pa.list_(pa.string())),
            pa.field("events", pa.int64()),
            pa.field("to_guests", pa.int64()),
        ]
    )


def _row(entry: CardEntry, currency: str, as_of: dt.date | None) -> dict[str, Any]:
    row = key_row(entry.key)
    valuation = entry.valuation
    row.update(
        report_currency=currency,
        rules_date=as_of if as_of is not None else row["day"],
        rejected_field=entry.rejected[0] if entry.rejected else None,
        rejected_problem=entry.rejected[1] if entry.rejected else None,
        unknown=None if valuation is None else valuation.unknown,
        reason=None if valuation is None else valuation.reason,
        gross=None if valuation is None else valuation.gross.amount,
        net=None if valuation is None else valuation.net.amount,
        shares=None
        if valuation is None
        else [
            {"party": s.party, "amount": s.amount.amount, "source": s.source.cite() if s.source else None}
            for s in valuation.shares
        ],
        residual=None if valuation is None else valuation.residual,
        units=None
        if valuation is None
        else [{"unit": unit, "amount": plain(amount)} for unit, amount in valuation.units.items()],
        explain=None if valuation is None else list(valuation.explain),
        events=entry.events,
        to_guests=entry.to_guests,
    )
    return row


# --- what a card was valued in ----------------------------------------------------------------------


def describe_rates(context: Context) -> str:
    """Which exchange rates ``context`` values with: the user's table (first), the plugins' hook, the ECB's
    reference rates (last), and the fallback."""
    fx = context.fx
    ecb = f"the ECB's reference rates to {ecb_rates().last.isoformat()}"
    if fx is None:
        return ecb
    if not isinstance(fx, Rates):
        return f"the rates object {fx!r}"
    parts = []
    if fx.table is not None:
        parts.append(f"your rates from {fx.table.name} ({len(fx.table.rows)} rates) first")
    parts.append(f"the plugins' livemoney_exchange_rate hook, {ecb} last")
    parts.append(
        "a rate older than 7 days used as the latest (rate_fallback='latest')"
        if fx.fallback == "latest"
        else "none older than 7 days"
    )
    return "; ".join(parts)
