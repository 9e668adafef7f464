"""Keyed re-valuation: a log read once, valued again in another currency, rules' date or settings by valuing
each DISTINCT event once, without reading the log again (a rate card: distinct keys → valuations).

    rows = EventRows()
    report = lm.value("stream.jsonl", currency="USD", rows=rows, on_error="skip")
    again = revalue(rows, report, lm.context("EUR"), pm)       # None: value the log again instead
    if again is not None:
        rows_eur, report_eur = again                              # equal to lm.value(..., currency="EUR")

Valuation hooks are pure (`livemoney.pluginsys.hookspecs`): an event's valuation depends only on its
valuation key (the event without its identity, its time reduced to the UTC date) and the context. The
per-event rows (`livemoney.engine.rows.EventRows`) keep, per valued event, which distinct valuation it has,
its viewer, stream, time and guest flag; the distinct valuations keep the event they were valued from.
So valuing those events again in a new context, through a fresh `livemoney.engine.valuer.Valuer` (the same
errors, the same unknowns), and summing the same rows gives the report that valuing the log again would:
the same rows, viewers, minutes and shares, each figure rounded once. What does not depend on the
context is taken from the first report: records, events, duplicates, id conflicts, records without money,
rejected lines.

`revalue` answers ``None`` (then value the log again) when that would not be exact: when the first
report rejected a line for its value (an amount too large to value exactly, no plugin valuing it: another
context might value it), when it rejected more lines than it keeps, when a valuation kept no event, or
when an event cannot be valued in the new context.

`report_of_rows` sums rows into a `Report` (`Counted` counts them once, for every context);
`subset` keeps the events of some distinct valuations (one platform's).

This is the rate card of `livemoney.engine.ratecard.RateCard` (distinct keys → valuations, each valued once
through `Valuer.entry`) applied to per-event rows, with one difference: each key is valued from the first
real event that has it, as the log's valuer did, not from the event `RateCard.for_keys` makes of the key
alone (`schema.key_event`, without identity). A plugin's explain may name an identity field (TikTok's
"sent to user host (the host)"), so only the real event gives the report that valuing the log again gives,
explain included.
"""

from __future__ import annotations

import collections
import itertools
import operator
from collections.abc import Callable
from typing import Any

import attrs

from livemoney.core.models import Context
from livemoney.engine.report import Report, Totals
from livemoney.engine.rows import NO_TIME, EventRows, Valued, from_millis
from livemoney.engine.valuer import Valuer
from livemoney.pluginsys.manager import PluginManager

VALUE_PROBLEMS = ("too large to value exactly", "no installed plugin values")
"""How the valuer words a line rejected for its value (`Valuer.entry`), not for its form."""
_COUNTS = (
    "records",
    "rejected",
    "duplicates",
    "without_money",
    "not_read",
    "conflicts",
    "conflicts_named",
    "hostless_gifts",
    "recipients",
    "host_differs",
    "without_id",
    "inputs",
    "rejects",
    "host",
    "rejects_file",
)
"""What a `Report` counts, and says of its run (the host given, where the rejects went), that does not depend on
the context (nor on the valuations)."""
_MINUTE = 60_000
_NOT = bytes([1, 0]) + bytes(254)
"""``bytes.translate`` table of a guest flag to a creator flag."""


def revaluable(report: Report) -> bool:
    """Whether every line ``report`` rejected is known, and none was rejected for its value."""
    if report.rejected > len(report.rejects):
        return False
    return not any(rejected.problem.startswith(VALUE_PROBLEMS) for rejected in report.rejects)


def revalue(
    rows: EventRows,
    report: Report,
    context: Context,
    pm: PluginManager,
    counted: Counted | None = None,
) -> tuple[EventRows, Report] | None:
    """The events of ``rows`` (and ``report``, what valuing them gave) valued in ``context``: each distinct
    valuation's event valued once. ``None`` when that would not be exact (see the module docstring).
    ``counted``: `Counted` of ``rows``, kept by a caller that re-values them often."""
    if not revaluable(report):
        return None
    valuer = Valuer(context, pm, on_error="skip")
    again = EventRows()
    for valued in rows.valuations:
        event = valued.valuation.event
        if event is None:
            return None
        found = valuer.entry(event)
        if isinstance(found, tuple):  # it cannot be valued in this context: the log's lines must say why
            return None
        again.valued(found.valuation, valued.items, found.packed, found.original)
    _share_events(rows, again)
    return again, report_of_rows(again, context.currency, context.as_of, counts=report, counted=counted)


def _share_events(rows: EventRows, into: EventRows) -> None:
    """``into`` holds the same events (columns shared, never copied: neither changes them again)."""
    into.strings = rows.strings
    into.entry = rows.entry
    into.viewer = rows.viewer
    into.stream = rows.stream
    into.ts = rows.ts
    into.guest = rows.guest
    into.skipped_kind = rows.skipped_kind
    into.skipped_ts = rows.skipped_ts
    into.skipped_count = rows.skipped_count


def subset(
    rows: EventRows,
    keep: Callable[[Valued], bool] | None = None,
    *,
    since: int | None = None,
    until: int | None = None,
    stream: str | None = None,
    span: tuple[int, int] | None = None,
) -> EventRows:
    """The events of ``rows`` whose distinct valuation ``keep`` keeps (e.g. one platform's), with the same
    valuations (indexes unchanged) and no records without money.

    ``since`` and ``until`` (milliseconds since 1970, UTC): only events at ``since <= ts < until`` (events
    without a time are left out when either is given). ``stream``: only the events with that stream id;
    ``span`` (first, last ms): only events without a stream id from ``first`` to ``last`` (a session of
    `livemoney.engine.analytics`, which is the stream-less events of its span).
    """
    kept = {index for index, valued in enumerate(rows.valuations) if keep is None or keep(valued)}
    timed = since is not None or until is not None
    low = since if since is not None else NO_TIME + 1
    high = until if until is not None else 1 << 62
    wanted = None if stream is None else rows.strings.index(stream) if stream in rows.strings else -1
    found = EventRows()
    found.valuations = rows.valuations
    found.strings = rows.strings
    for index, viewer, stream_at, ts, guest in zip(rows.entry, rows.viewer, rows.stream, rows.ts, rows.guest):
        if index not in kept:
            continue
        if timed and not low <= ts < high:
            continue
        if wanted is not None and stream_at != wanted:
            continue
        if span is not None and (stream_at != 0 or not span[0] <= ts <= span[1]):
            continue
        found.entry.append(index)
        found.viewer.append(viewer)
        found.stream.append(stream_at)
        found.ts.append(ts)
        found.guest.append(guest)
    return found


class Counted:
    """How many of the creator's events each distinct valuation of some rows has, in all, per viewer and
    per UTC minute, and how many gifts to guests: what a report of the rows sums, whatever the context.
    Counted once (at C speed), it makes each re-valuation's sums a loop over distinct pairs, not events."""

    def __init__(self, rows: EventRows) -> None:
        creator = rows.guest.translate(_NOT)
        self.times = collections.Counter(itertools.compress(rows.entry, creator))
        self.guests = collections.Counter(itertools.compress(rows.entry, rows.guest))
        self.viewers = collections.Counter(itertools.compress(zip(rows.viewer, rows.entry), creator))
        minutes = map(operator.floordiv, rows.ts, itertools.repeat(_MINUTE))
        self.minutes = collections.Counter(itertools.compress(zip(minutes, rows.entry), creator))
        self.strings = rows.strings
        for pair in [pair for pair in self.viewers if pair[0] == 0]:  # no viewer (string 0 is None)
            del self.viewers[pair]
        no_time = NO_TIME // _MINUTE
        for pair in [pair for pair in self.minutes if pair[0] == no_time]:
            del self.minutes[pair]


def report_of_rows(
    rows: EventRows, currency: str, as_of: Any, counts: Report | None = None, counted: Counted | None = None
) -> Report:
    """The `Report` of the events of ``rows``: rows per platform and kind, viewers and minutes, exact.

    ``counts``: the report whose counts (records, duplicates, rejects ...) hold for these events (the
    log's, when ``rows`` are all its events); without it, the records are the events (a subset).
    ``counted``: `Counted` of these rows' events, when the caller keeps it for several contexts.
    """
    counted = counted or Counted(rows)
    totals = Totals(currency, as_of)
    valuations = rows.valuations
    packs = [valued.packed for valued in valuations]
    for index, valued in enumerate(valuations):
        if counted.times[index]:
            totals.add(valued.valuation, counted.times[index], valued.original)
        if counted.guests[index]:
            totals.add(valued.valuation, counted.guests[index], valued.original, to_guests=True)
    viewers: dict[int, int] = {}
    for (viewer, index), times in counted.viewers.items():
        viewers[viewer] = viewers.get(viewer, 0) + packs[index] * times
    bins: dict[int, int] = {}
    for (minute, index), times in counted.minutes.items():
        bins[minute] = bins.get(minute, 0) + packs[index] * times
    strings = counted.strings
    totals.viewers = {strings[viewer] or "": packed for viewer, packed in viewers.items()}
    totals.bins = {from_millis(minute * _MINUTE).strftime("%Y-%m-%dT%H:%M"): packed for minute, packed in bins.items()}
    found = totals.report()
    if counts is None:
        return attrs.evolve(found, records=found.valued)
    return attrs.evolve(found, **{name: getattr(counts, name) for name in _COUNTS})
