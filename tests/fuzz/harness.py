"""Running one generated input through each way into livemoney, and checking what issue 11 asks of each.

The ways (`WAYS`):

- ``value``: ``lm.value(path, on_error="skip", rejects=...)``, the fast path for canonical logs;
- ``ledger``: the same with ``ledger=...``, through the full path (every event through ``add``, one row each;
  `general_path`: a canonical log valued into a ledger takes the fast path otherwise);
- ``read_events``: ``lm.read_events(path)``, every item;
- ``fail``: ``lm.value(path, on_error="fail")``;
- ``tally``: the file's records fed one at a time to ``lm.LiveTally``, then ``flush()``;
- ``cli``: ``livemoney value FILE --on-error skip --rejects R --format json`` in-process, as a user runs it.

What must hold (`Violation` names what did not):

- no exception escapes but the documented ones: `InvalidInput` in fail mode, and a `ReaderError` for a file no
  reader recognises (a canonical log with valid lines after a bad first one is recognisable: issue 11, item 3);
  the command line exits 0 or 1 without a traceback;
- no hang: each way gets `LIMIT` seconds (SIGALRM raises `Hang`);
- the counts add up: ``records == events + without money + not read + rejected`` and ``events == valued +
  duplicates``; a canonical log's records are its non-blank lines; a live tally accounts for every record fed;
- the rejects file holds one line per rejected record, each with the record verbatim (for inputs with one record
  a line: equal to that line of the file, bytes that are not UTF-8 shown as ``\\xNN``);
- every shown figure is the rounding of its exact sum, and the exact sums (total, per viewer, per minute) are those
  of the events' own valuations (``lm.value_event`` over ``lm.read_events``);
- the paths agree: ``value``, ``ledger`` and the events' own valuations give the same counts and exact totals.

With the environment variable ``FUZZ_LOG`` set (``make fuzz``), failures are collected instead of raised (each
with its kind, its way and reader, and the smallest single line or record that reproduces it), so that one run
counts how many inputs hit each kind; `Collector` keeps them and the conftest writes the summary.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import decimal
import io
import json
import os
import signal
import tempfile
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import livemoney as lm
from hypothesis import HealthCheck, Phase, settings
from livemoney.core.models import Rejected, Skipped, to_guest
from livemoney.core.money import minor_unit, show
from livemoney.core.records import EPOCH
from livemoney.core.schema import event_key
from livemoney.core.valuation import unknown_valuation
from livemoney.errors import FxError, InvalidInput, ReaderError
from livemoney.html import report_html
from livemoney.pluginsys.manager import get_plugin_manager
from strategies import NO_RECORD, FuzzFile, dump

# --- settings -------------------------------------------------------------------------------

_HEALTH = list(HealthCheck)
settings.register_profile(
    "fuzz-bounded",
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=_HEALTH,
    print_blob=False,
    # A failure is reported as found, not shrunk (shrinking a hostile file through every way takes minutes);
    # make fuzz gives the smallest line of each kind (`_minimal`).
    phases=(Phase.explicit, Phase.generate),
    report_multiple_bugs=False,
)
settings.register_profile(
    "fuzz",
    max_examples=400,
    deadline=None,
    suppress_health_check=_HEALTH,
    database=None,
    print_blob=True,
)
PROFILE = "fuzz" if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else "fuzz-bounded"
"""``fuzz-bounded`` (the default, in ``make test``: few examples, derandomized, so the suite is stable and quick),
or ``fuzz`` (``HYPOTHESIS_PROFILE=fuzz``, ``make fuzz``: many random examples)."""
LONG = PROFILE == "fuzz"
LIMIT = float(os.environ.get("FUZZ_TIME_LIMIT", "30" if LONG else "20"))
"""Seconds one way may take on one input before it counts as a hang."""


SCALE = float(os.environ.get("FUZZ_SCALE", "1"))
"""Under ``make fuzz``: a factor on every test's example count (``FUZZ_SCALE=0.1`` for a quick look)."""


def fuzz_settings(examples: int, long_examples: int) -> settings:
    """The profile's settings with ``examples`` examples (``long_examples`` times `SCALE` under ``make fuzz``)."""
    return settings(
        settings.get_profile(PROFILE), max_examples=max(1, round(long_examples * SCALE)) if LONG else examples
    )


# --- the plugin manager and the context --------------------------------------------------------

_PM = None


@contextlib.contextmanager
def general_path() -> Iterator[None]:
    """Canonical logs valued through the general path (the canonical reader and ``Valuer.add``), not the fast
    path (``livemoney.engine.valuer.FAST_PATH``)."""
    from livemoney.engine import valuer

    before, valuer.FAST_PATH = valuer.FAST_PATH, False
    try:
        yield
    finally:
        valuer.FAST_PATH = before


def pm() -> Any:
    """Every installed plugin (the four platforms), loaded once for the whole suite."""
    global _PM
    if _PM is None:
        _PM = get_plugin_manager()
    return _PM


# --- failures --------------------------------------------------------------------------------


class Violation(AssertionError):
    """A property of issue 11 that does not hold; ``kind`` names it (one line), ``detail`` shows the case."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail


class Hang(BaseException):
    """A way took longer than `LIMIT` seconds (a BaseException, so that no ``except Exception`` swallows it)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `Hang` in the block after ``seconds`` (SIGALRM: the main thread, as pytest runs tests)."""

    def alarm(signum: int, frame: Any) -> None:
        raise Hang(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_OURS = ("/sdk/livemoney/", "/livemoney_")


def where(error: BaseException) -> tuple[str, str]:
    """``(deepest livemoney or plugin frame, frame that raised)`` of ``error``, as ``file:function``."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if any(part in frame.filename for part in _OURS)]

    def name(frame: traceback.FrameSummary) -> str:
        path = frame.filename
        for marker in ("/sdk/", "/plugins/tiktok/", "/plugins/youtube/", "/plugins/instagram/", "/plugins/facebook/"):
            if marker in path:
                path = path.split(marker, 1)[1]
                break
        else:
            path = "/".join(path.split("/")[-2:])
        return f"{path}:{frame.name}"

    return (name(ours[-1]) if ours else "(outside livemoney)", name(frames[-1]) if frames else "?")


def kind_of(error: BaseException) -> str:
    """One line naming a failure: a `Violation`'s kind, else the exception type and the livemoney frame that
    raised it (or let it through)."""
    if isinstance(error, Violation):
        return error.kind
    if isinstance(error, Hang):
        return f"hang (more than {LIMIT:g} s)"
    ours, _ = where(error)
    return f"{type(error).__name__} in {ours}"


class Collector:
    """Failures found under ``FUZZ_LOG``: how many inputs hit each kind, on which ways and readers, with the
    smallest reproduction found; and how much was generated."""

    def __init__(self) -> None:
        self.kinds: dict[str, dict[str, Any]] = {}
        self.generated: Counter = Counter()
        self.lines: Counter = Counter()
        """kind → how many single canonical lines fail that way (`_census`)."""

    def add(self, kind: str, way: str, file: FuzzFile, error: BaseException, minimal: bytes | None) -> None:
        found = self.kinds.setdefault(
            kind, {"count": 0, "ways": Counter(), "readers": Counter(), "minimal": None, "message": "", "raised": ""}
        )
        found["count"] += 1
        found["ways"][way] += 1
        found["readers"][file.reader] += 1
        if minimal is not None and (found["minimal"] is None or len(minimal) < len(found["minimal"])):
            found["minimal"] = minimal
            found["message"] = str(error)[:400]
            found["raised"] = where(error)[1]
            found["origin"] = file.origin
        if not found["message"]:
            found["message"] = str(error)[:400]
            found["raised"] = where(error)[1]
            found["origin"] = file.origin
            found["sample"] = file.data[:600]
        log = os.environ.get("FUZZ_LOG")
        if log:
            with open(log, "a", encoding="utf-8") as out:
                record = {
                    "kind": kind,
                    "way": way,
                    "reader": file.reader,
                    "origin": file.origin,
                    "message": str(error)[:300],
                    "raised": where(error)[1],
                    "minimal": minimal.decode("utf-8", "backslashreplace")[:2000] if minimal else None,
                    "input": file.data[:3000].decode("utf-8", "backslashreplace"),
                }
                out.write(json.dumps(record, ensure_ascii=True) + "\n")


COLLECTOR = Collector()
COLLECTING = bool(os.environ.get("FUZZ_LOG"))


# --- checks ----------------------------------------------------------------------------------


def check_counts(report: Any, where_: str) -> None:
    """``records == events + without money + not read + rejected``; ``events == valued + duplicates``."""
    without, unread = sum(report.without_money.values()), sum(report.not_read.values())
    if report.records != report.events + without + unread + report.rejected:
        raise Violation(f"{where_}: counts do not add up", report.counts_line())
    if report.events != report.valued + report.duplicates or min(report.valued, report.rejected, report.records) < 0:
        raise Violation(f"{where_}: events != valued + duplicates", report.counts_line())


def nonblank_lines(file: FuzzFile) -> list[tuple[int, bytes]]:
    """The lines of a file a canonical reader must account for: all but blank ones (JSON white space only:
    spaces, tabs, CR, and a BOM at the start of the file; a form feed or a no-break space is a record, and
    is rejected, never dropped: docs/contract.md, "Event logs")."""
    lines = []
    for number, line in enumerate(io.BytesIO(file.data), start=1):
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if line.strip(b" \t\r\n"):
            lines.append((number, line))
    return lines


def verbatim(line: bytes) -> str:
    """A file's line as a rejects file must keep it: text (bytes that are not UTF-8 as ``\\xNN``), without
    its line ending."""
    return line.decode("utf-8", "backslashreplace").rstrip("\r\n")


def numbered_lines(data: bytes) -> dict[int, bytes]:
    """A file's lines by number, as its records are: a BOM at the start of the file is the file's mark of
    UTF-8, not part of its first record (docs/contract.md, "Event logs"), so line 1 is without it."""
    lines = {number: line for number, line in enumerate(io.BytesIO(data), start=1)}
    if 1 in lines:
        lines[1] = lines[1].removeprefix(b"\xef\xbb\xbf")
    return lines


def check_rejects(file: FuzzFile, rejects: Path, report: Any, where_: str) -> None:
    """One rejects-file line per rejected record, valid JSON in UTF-8, each record verbatim."""
    data = rejects.read_bytes() if rejects.exists() else b""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Violation(f"{where_}: the rejects file is not UTF-8", str(error)) from None
    try:
        kept = [json.loads(line) for line in text.split("\n") if line.strip()]
    except ValueError as error:
        raise Violation(f"{where_}: a line of the rejects file is not JSON", str(error)) from None
    if len(kept) != report.rejected:
        raise Violation(
            f"{where_}: the rejects file holds {'fewer' if len(kept) < report.rejected else 'more'} "
            "records than were rejected",
            f"{len(kept)} kept, {report.rejected} rejected",
        )
    if not file.line_records:
        return
    lines = numbered_lines(file.data)
    for record in kept:
        line = lines.get(record["line"])
        if line is None:
            raise Violation(
                f"{where_}: a rejected record names a line the file does not have",
                f"line {record['line']} of {len(lines)}",
            )
        if record["raw"] != verbatim(line):
            raise Violation(
                f"{where_}: a rejected record is not kept verbatim",
                f"line {record['line']}: kept {record['raw'][:120]!r}, the file has {verbatim(line)[:120]!r}",
            )


def check_shown(report: Any, where_: str) -> None:
    """Every shown figure follows docs/contract.md ("Rounding, once, where a figure is shown"): a row's and the
    total's gross, each viewer's and each minute's gross and net are their exact sums rounded once; a shown
    row's parties (rounded by running totals) add up to its gross, each within one minor unit of its exact sum."""
    currency = report.currency
    unit = minor_unit(currency)
    exactly = decimal.Context(prec=400)  # the checks' own sums: Python's default context keeps only 28 digits

    def parties_add_up(shown: Any, exact: Any, what: str) -> None:
        if shown.gross.amount != show(exact.gross.amount, currency):
            raise Violation(f"{where_}: {what} gross is not its exact sum rounded once", f"{shown.gross} {exact}")
        parts = Decimal(0)
        for money in (shown.net, *shown.shares.values()):
            parts = exactly.add(parts, money.amount)
        if shown.gross.amount != parts:
            raise Violation(
                f"{where_}: {what} shown figures do not add up", f"{shown.gross} {shown.shares} {shown.net}"
            )
        pairs = [(shown.net, exact.net)] + [(shown.shares[p], exact.shares[p]) for p in exact.shares]
        if any(exactly.abs(exactly.subtract(a.amount, b.amount)) > unit for a, b in pairs):
            raise Violation(f"{where_}: {what} shown party is more than one minor unit off its exact sum", str(exact))

    for row in report.rows:
        if row.exact is not None:
            parties_add_up(row, row.exact, "a row's")
    parties_add_up(report.total(), report.exact, "the total's")
    for viewer, gross, net, _ in report.top_viewers(len(report.viewers)):
        exact_gross, exact_net, _ = report.viewers[viewer]
        if (gross.amount, net.amount) != (show(exact_gross, currency), show(exact_net, currency)):
            raise Violation(f"{where_}: a viewer's shown figure is not its exact sum rounded once", viewer)
    minutes = {start: (g, n) for start, (g, n, _) in report.bins.items()}
    for start, gross, net in report.timeline("1min"):
        exact_gross, exact_net = minutes[start]
        if (gross.amount, net.amount) != (show(exact_gross, currency), show(exact_net, currency)):
            raise Violation(f"{where_}: a minute's shown figure is not its exact sum rounded once", str(start))


def printable(text: str, kind: str) -> None:
    """``text`` must go to a UTF-8 terminal or file: a lone surrogate (from a ``\\udc80`` escape) cannot."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise Violation(kind, f"{error}: {text[max(0, error.start - 40) : error.end + 40]!r}") from None


def check_views(report: Any) -> None:
    """Every view of a report renders, as UTF-8 text a terminal or a file can take."""
    for text in (
        report.render("table"),
        report.render("json"),
        report.render("csv"),
        report_html(report),
        report.counts_line(),
        "\n".join(report.notes()),
        repr(report),
    ):
        printable(text, "a report's text cannot be printed or saved (not encodable as UTF-8)")
    report.timeline("1h")
    report.top_viewers(5)


def oracle(path: Path, input_format: str, host: str | None = None) -> dict[str, Any] | None:
    """What a report must say, from the events themselves: each event of ``lm.read_events`` valued alone with
    ``lm.value_event`` (duplicates: same platform, id and content), summed exactly: counts, totals, per viewer
    and per minute. ``None`` when the events cannot be read (the ``read_events`` way reports that).

    Money without an exchange rate is valued as unknown, as the engine does (``lm.value_event`` raises instead).
    """
    try:
        items = list(lm.read_events(path, format=input_format, pm=pm()))
    except Exception:  # noqa: BLE001
        return None
    context = lm.context(pm=pm())
    seen: dict[tuple, list] = {}
    out: dict[str, Any] = {
        "valued": 0,
        "duplicates": 0,
        "rejected": 0,
        "records": 0,
        "gross": Decimal(0),
        "net": Decimal(0),
        "viewers": {},
        "minutes": {},
    }
    exact = decimal.Context(prec=400)  # for the sums only: plugins value in the caller's own context
    for item in items:
        if isinstance(item, Rejected):
            out["rejected"] += 1
            out["records"] += 1
            continue
        if isinstance(item, Skipped):
            out["records"] += item.count
            if item.why == "repeat":
                out["duplicates"] += item.count
            continue
        out["records"] += 1
        try:
            one = lm.value_event(item, context, pm())
            gross, net = one.gross.amount, one.net.amount
        except FxError as error:  # the engine values money without a rate as unknown, with the reason
            one = unknown_valuation(
                platform=item.platform, kind=item.kind, event=item, context=context, reason=str(error)
            )
            gross, net = one.gross.amount, one.net.amount
        except Exception:  # noqa: BLE001 (the engine rejects an event it cannot value)
            out["rejected"] += 1
            continue
        if item.id:
            # A duplicate: the same platform and id, the same valuation key (the event without viewer, id,
            # stream, source and host), viewer and time to the millisecond (engine.fingerprint, c714388).
            when = None if item.ts is None else (item.ts - EPOCH) // dt.timedelta(milliseconds=1)
            print_ = (event_key(item), item.viewer, when)
            earlier = seen.setdefault((item.platform, item.id), [])
            if print_ in earlier:
                out["duplicates"] += 1
                continue
            earlier.append(print_)
        out["valued"] += 1
        if to_guest(item, host):
            continue
        if not one.unknown:
            out["gross"] = exact.add(out["gross"], gross)
            out["net"] = exact.add(out["net"], net)
        places = []
        if item.viewer is not None:
            places.append(out["viewers"].setdefault(item.viewer, [Decimal(0), Decimal(0)]))
        if item.ts is not None:
            try:
                minute = item.ts.astimezone(dt.UTC).replace(second=0, microsecond=0)
            except OverflowError:  # the read_events and value ways report such times
                return None
            places.append(out["minutes"].setdefault(minute, [Decimal(0), Decimal(0)]))
        for sums in places:
            sums[0] = exact.add(sums[0], gross)
            sums[1] = exact.add(sums[1], net)
    return out


def check_oracle(report: Any, expected: dict[str, Any] | None, where_: str) -> None:
    """The report agrees with the events' own valuations (`oracle`): counts, exact totals, each viewer, each minute."""
    if expected is None:
        return
    got = (report.records, report.valued, report.duplicates, report.rejected)
    want = (expected["records"], expected["valued"], expected["duplicates"], expected["rejected"])
    if got != want:
        raise Violation(
            f"paths disagree: {where_} counts differ from the events' own",
            f"records, valued, duplicates, rejected: {got} vs read_events + value_event {want}",
        )
    if (report.exact.gross.amount, report.exact.net.amount) != (expected["gross"], expected["net"]):
        raise Violation(
            f"{where_}: the exact total is not the sum of the events' valuations",
            f"{report.exact.gross} vs {expected['gross']}",
        )
    viewers = {viewer: [g, n] for viewer, (g, n, _) in report.viewers.items()}
    if viewers != expected["viewers"]:
        wrong = next(v for v in {*viewers, *expected["viewers"]} if viewers.get(v) != expected["viewers"].get(v))
        raise Violation(
            f"{where_}: a viewer's exact total is not the sum of their events' valuations",
            f"{wrong!r}: {viewers.get(wrong)} vs {expected['viewers'].get(wrong)}",
        )
    minutes = {start: [g, n] for start, (g, n, _) in report.bins.items()}
    if minutes != expected["minutes"]:
        wrong = next(m for m in {*minutes, *expected["minutes"]} if minutes.get(m) != expected["minutes"].get(m))
        raise Violation(
            f"{where_}: a minute's exact total is not the sum of its events' valuations",
            f"{wrong}: {minutes.get(wrong)} vs {expected['minutes'].get(wrong)}",
        )


def recognisable(file: FuzzFile) -> bool:
    """Whether a reader must recognise the file: a canonical log with at least one valid event."""
    return file.reader == "jsonl" and file.good > 0


def _detected(error: ReaderError, file: FuzzFile, input_format: str) -> None:
    """A `ReaderError` is allowed for a file no reader recognises (format detection), never for a named
    format nor for a canonical log with valid events."""
    if input_format != "auto" or "no reader recognises" not in str(error):
        raise error
    if recognisable(file):
        raise Violation(
            "detection: a canonical log with valid events is not recognised (a bad first record)", str(error)
        ) from None


# --- the ways ---------------------------------------------------------------------------------


def way_value(file: FuzzFile, path: Path, input_format: str, live_format: str | None) -> None:
    rejects = path.with_name("rejects.jsonl")
    try:
        report = lm.value(path, on_error="skip", rejects=rejects, input_format=input_format, pm=pm(), progress=False)
    except ReaderError as error:
        _detected(error, file, input_format)
        return
    check_counts(report, "value")
    if file.reader == "jsonl" and report.records != len(nonblank_lines(file)):
        raise Violation(
            "value: a canonical log's records are not its non-blank lines",
            f"{report.records} records, {len(nonblank_lines(file))} lines",
        )
    check_rejects(file, rejects, report, "value")
    check_shown(report, "value")
    check_views(report)
    check_oracle(report, oracle(path, input_format), "value")


def way_ledger(file: FuzzFile, path: Path, input_format: str, live_format: str | None) -> None:
    rejects = path.with_name("rejects.jsonl")
    ledger = path.with_name("ledger.sqlite")
    try:
        with general_path():
            report = lm.value(
                path, on_error="skip", rejects=rejects, ledger=ledger, input_format=input_format, pm=pm(), progress=False
            )
    except ReaderError as error:
        _detected(error, file, input_format)
        return
    check_counts(report, "ledger")
    if file.reader == "jsonl" and report.records != len(nonblank_lines(file)):
        raise Violation(
            "ledger: a canonical log's records are not its non-blank lines",
            f"{report.records} records, {len(nonblank_lines(file))} lines",
        )
    check_rejects(file, rejects, report, "ledger")
    check_shown(report, "ledger")
    check_oracle(report, oracle(path, input_format), "ledger")
    back = lm.value(ledger=ledger)
    if (back.exact.gross, back.exact.net, back.valued) != (report.exact.gross, report.exact.net, report.valued):
        raise Violation(
            "ledger: the ledger read back differs from the report that wrote it",
            f"{back.exact.gross} / {back.valued} events vs {report.exact.gross} / {report.valued}",
        )
    try:
        fast = lm.value(path, on_error="skip", input_format=input_format, pm=pm(), progress=False)
    except Exception:  # noqa: BLE001 (the value way reports it)
        return
    got = (report.records, report.valued, report.rejected, report.duplicates, report.exact.gross, report.exact.net)
    want = (fast.records, fast.valued, fast.rejected, fast.duplicates, fast.exact.gross, fast.exact.net)
    if got != want:
        raise Violation(
            "paths disagree: value with and without a ledger",
            f"records, valued, rejected, duplicates, gross, net: {got} vs {want}",
        )


def way_read_events(file: FuzzFile, path: Path, input_format: str, live_format: str | None) -> None:
    try:
        items = list(lm.read_events(path, format=input_format, pm=pm()))
    except ReaderError as error:
        _detected(error, file, input_format)
        return
    if file.reader == "jsonl" and len(items) != len(nonblank_lines(file)):
        raise Violation(
            "read_events: a canonical log's items are not its non-blank lines",
            f"{len(items)} items, {len(nonblank_lines(file))} lines",
        )
    if file.line_records:
        lines = numbered_lines(file.data)
        for item in items:
            if isinstance(item, Rejected) and item.line in lines and item.raw != verbatim(lines[item.line]):
                raise Violation(
                    "read_events: a rejected record is not kept verbatim",
                    f"line {item.line}: {item.raw[:120]!r} vs {verbatim(lines[item.line])[:120]!r}",
                )
    for item in items:
        str(item)
        repr(item)


def way_fail(file: FuzzFile, path: Path, input_format: str, live_format: str | None) -> None:
    try:
        report = lm.value(path, on_error="fail", input_format=input_format, pm=pm(), progress=False)
    except InvalidInput as error:
        printable(str(error), "fail: the error message cannot be printed (not encodable as UTF-8)")
        return
    except ReaderError as error:
        _detected(error, file, input_format)
        return
    check_counts(report, "fail")
    if report.rejected:
        raise Violation("fail: a record was rejected and the run went on", report.counts_line())


def way_tally(file: FuzzFile, path: Path, input_format: str, live_format: str | None) -> None:
    tally = lm.LiveTally(pm=pm(), format=live_format)
    fed = 0
    for record in file.records:
        if record is NO_RECORD:
            continue
        fed += 1
        for result in tally.add(record):
            if isinstance(result, Rejected):
                str(result)
    tally.flush()
    report = tally.report()
    check_counts(report, "tally")
    if report.records < fed:
        raise Violation("tally: a record fed gave no account of itself", f"{fed} fed, {report.counts_line()}")
    if file.reader == "jsonl" and live_format == "jsonl" and report.records != fed:
        raise Violation(
            "tally: canonical records fed are not the records counted", f"{fed} fed, {report.counts_line()}"
        )
    check_shown(report, "tally")
    check_views(report)
    repr(tally)


def way_cli(file: FuzzFile, path: Path, input_format: str, live_format: str | None) -> None:
    from click.testing import CliRunner
    from livemoney.cli import main

    rejects = path.with_name("cli-rejects.jsonl")
    args = [
        "value",
        str(path),
        "--on-error",
        "skip",
        "--rejects",
        str(rejects),
        "--format",
        "json",
        "--input-format",
        input_format,
    ]
    result = CliRunner().invoke(main, args, obj=pm())
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception.with_traceback(result.exc_info[2])
    output = result.output
    if "Traceback" in output:
        raise Violation("cli: a traceback is printed", output[-300:])
    if result.exit_code not in (0, 1):
        raise Violation(f"cli: exit {result.exit_code} on input data", output[-300:])
    if result.exit_code == 1 and recognisable(file) and input_format == "auto" and "no reader recognises" in output:
        raise Violation(
            "detection: a canonical log with valid events is not recognised (a bad first record)", output[-300:]
        )


WAYS: dict[str, Callable[[FuzzFile, Path, str, str | None], None]] = {
    "value": way_value,
    "ledger": way_ledger,
    "read_events": way_read_events,
    "fail": way_fail,
    "tally": way_tally,
    "cli": way_cli,
}


# --- running ----------------------------------------------------------------------------------


def run(way: str, file: FuzzFile, input_format: str = "auto", live_format: str | None = None) -> None:
    """Run ``file`` through ``way`` within `LIMIT` seconds; raise what breaks (or, under ``FUZZ_LOG``, collect it)."""
    COLLECTOR.generated[f"{way} inputs"] += 1
    COLLECTOR.generated[f"{way} lines"] += file.line_count
    COLLECTOR.generated[f"{way} records"] += len(file.records) if way == "tally" else 0
    COLLECTOR.generated[f"lines of {file.reader}"] += file.line_count
    try:
        _run_once(way, file, input_format, live_format)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:
        if not COLLECTING:
            raise
        kind = kind_of(error)
        COLLECTOR.add(kind, way, file, error, _minimal(kind, way, file, input_format, live_format))
    if COLLECTING and way == "value" and file.reader == "jsonl":
        _census(file, input_format)


def _census(file: FuzzFile, input_format: str) -> None:
    """Under ``FUZZ_LOG``: each line of a canonical file that is not a good event, alone between two good lines
    (so that detection sees a canonical log), through the ``value`` way: how many single lines fail, by kind
    (`Collector.lines`)."""
    for line, good in dict.fromkeys(zip(file.lines, file.good_lines)):
        if good:
            continue
        COLLECTOR.generated["census lines"] += 1
        data = GOOD_LINE + (line if line.endswith(b"\n") else line + b"\n") + GOOD_LINE
        try:
            _run_once("value", dataclasses.replace(file, data=data, good=1, records=()), input_format, None)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # noqa: BLE001 (every failure is classified)
            COLLECTOR.lines[kind_of(error)] += 1


def _run_once(way: str, file: FuzzFile, input_format: str, live_format: str | None) -> None:
    suffix = {"jsonl": ".jsonl"}.get(file.reader, Path(file.origin.split(" ")[0]).suffix or ".json")
    with tempfile.TemporaryDirectory(prefix="livemoney-fuzz-") as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(file.data)
        with time_limit(LIMIT):
            WAYS[way](file, path, input_format, live_format)


_MINIMISED: Counter = Counter()
GOOD_LINE = b'{"type": "like", "platform": "tiktok", "count": 1}\n'


def _minimal(kind: str, way: str, file: FuzzFile, input_format: str, live_format: str | None) -> bytes | None:
    """The shortest single line (for the live way: record) of ``file`` that fails the same way on its own, or
    followed by a valid line (a first-line failure needs one); tried for the first few inputs of each kind."""
    if _MINIMISED[kind] >= 3:
        return None
    _MINIMISED[kind] += 1
    best: bytes | None = None
    if way == "tally":
        for record in [record for record in file.records if record is not NO_RECORD][:80]:
            one = dataclasses.replace(file, records=(record,), data=b"")
            if _same(kind, way, one, input_format, live_format):
                text = shown(record)
                if best is None or len(text) < len(best):
                    best = text
        return best
    if not file.line_records:
        return None
    lines = list(dict.fromkeys(line for line in io.BytesIO(file.data) if line.strip()))[:80]
    for line in lines:
        line = line if line.endswith(b"\n") else line + b"\n"
        for data in (line, line + GOOD_LINE):
            one = dataclasses.replace(file, data=data, good=int(data.endswith(GOOD_LINE)), records=())
            if _same(kind, way, one, input_format, live_format):
                if best is None or len(data) < len(best):
                    best = data
                break
    return best


def depth(value: Any) -> int:
    """How deep lists and dicts nest in ``value`` (without recursion)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, (list, dict)):
            deepest = max(deepest, level + 1)
            stack.extend((child, level + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def shown(record: Any, limit: int = 12) -> bytes:
    """A record as JSON-like text for the catalogue; what nests deeper than ``limit`` is shown as a note."""

    def text(value: Any, level: int) -> str:
        if isinstance(value, (list, dict)) and level >= limit:
            return f"<{depth(value)} more levels>"
        if isinstance(value, dict):
            return "{" + ", ".join(f"{json.dumps(str(k))}: {text(v, level + 1)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(text(v, level + 1) for v in value) + "]"
        try:
            return dump(value)
        except (TypeError, ValueError):
            return repr(value)

    return text(record, 0)[:3000].encode("utf-8", "backslashreplace")


def _same(kind: str, way: str, file: FuzzFile, input_format: str, live_format: str | None) -> bool:
    try:
        _run_once(way, file, input_format, live_format)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001
        return kind_of(error) == kind
    return False
