"""The ``instagram-badges-csv`` reader: the badge file a creator fills in.

No API reports Badges, so the creator copies them from the app's dashboard into a CSV file whose header
names at least ``date`` and ``badge_tier`` (README). A row gives a tier (1, 2 or 3 hearts, priced with
``instagram.badge_prices`` in force on the row's date) or what the viewer paid (``amount`` and
``currency``, which win over the tier). Every row comes out once, as an event or a `Rejected` one.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import deque
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from livemoney.kit import (
    Context,
    Copies,
    Donation,
    FieldError,
    Money,
    Reader,
    Rejected,
    TooLong,
    WithCopies,
    is_currency,
    length_problem,
    line_chunks,
    raw_text,
    timestamp,
    to_decimal,
)

from livemoney_instagram.rules import KEY, SETTINGS

REQUIRED = ("date", "badge_tier")
COLUMNS = (*REQUIRED, "amount", "currency", "viewer", "count")
TIERS = {"1": 0, "2": 1, "3": 2}


def _header(line: str) -> list[str]:
    return [name.strip().lower() for name in next(csv.reader([line]), [])]


def _sniff_badges(head: bytes) -> bool:
    text = head.decode("utf-8-sig", errors="replace").lstrip("\r\n \t")
    first = text.splitlines()[0] if text else ""
    try:
        return all(name in _header(first) for name in REQUIRED)
    except csv.Error:  # a header cell longer than the csv module takes
        return False


def _when(value: str) -> dt.datetime:
    """A date (that day, 00:00 UTC, so its rules and rates apply) or a time with its offset."""
    if not value:
        raise FieldError("date", "missing")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), dt.UTC)
        except ValueError:
            pass
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].+", value):
        return timestamp(value, "date")
    raise FieldError("date", f"{value!r} is not a date (YYYY-MM-DD) nor a time with its offset")


def _paid(row: dict[str, str], ts: dt.datetime) -> Money:
    amount, currency, tier = row.get("amount", ""), row.get("currency", "").upper(), row.get("badge_tier", "")
    if amount:
        if not currency:
            raise FieldError("currency", "missing: give the currency of the amount (e.g. USD)")
        if not is_currency(currency):
            raise FieldError("currency", f"{currency!r} is not an ISO-4217 currency code")
        try:
            value = to_decimal(amount, "amount")
        except (TypeError, ValueError):
            raise FieldError("amount", f"{amount!r} is not a decimal number (write 4.99, no symbol)") from None
        if value < 0:
            raise FieldError("amount", f"{amount!r} is negative")
        return Money(value, currency)
    if not tier:
        raise FieldError("badge_tier", "missing: give badge_tier (1, 2 or 3 hearts) or amount and currency")
    if tier not in TIERS:
        raise FieldError("badge_tier", f"{tier!r} is not 1, 2 or 3 (hearts)")
    if currency not in ("", "USD"):
        raise FieldError("amount", f"missing: badge_tier prices are in USD; give the amount paid in {currency}")
    prices = SETTINGS("instagram.badge_prices", Context(), ts.date()).value
    return Money(prices[TIERS[tier]], "USD")


def _count(value: str) -> int:
    if not value:
        return 1
    if not value.isdecimal() or int(value) < 1:
        raise FieldError("count", f"{value!r} is not a whole number of at least 1")
    return int(value)


def _badge(row: dict[str, str], source: str | None, line: int) -> Donation:
    ts = _when(row.get("date", ""))
    return Donation(
        platform=KEY,
        feature="badge",
        amount=_paid(row, ts),
        count=_count(row.get("count", "")),
        viewer=row.get("viewer") or None,
        ts=ts,
        source=None if source is None else f"{source}:{line}",
    )


CONTINUED = 100
"""How many lines a quoted cell may go on over (a line break inside a cell: a record of several lines, as
`csv` reads it); a quote left open longer rejects its first line alone, and the lines after it are read as
rows again."""

CACHED = 4096
"""How many distinct rows (all but the viewer) `read_badges` keeps the checked `Donation` of; a file of more
clears them and starts again (memory does not grow with the file)."""

def read_badges(stream: BinaryIO, source: str) -> WithCopies:
    """Badge donations from a badge file, one a row, read a chunk of lines at a time (`_Lines`: memory does not
    grow with the file); a bad row is a `Rejected` naming its line and column, with the row verbatim (bytes
    that are not UTF-8 shown as ``\\xNN``). Under a bad header the header and every row are rejected: no row
    can be read.

    A row without a double quote, NUL or carriage return is split at its commas (what `csv.reader` makes of
    it); any other goes through `csv.reader`. Rows that differ only by their viewer share one checked
    `Donation` (its date, price and count worked out once, `CACHED`): the good rows come as `Copies` of those
    (a chunk of lines each), in a `WithCopies`, which the valuer counts a distinct donation at a time
    and which gives every other consumer a `Donation` a row."""
    return WithCopies(_badges(stream, source))


def _badges(stream: BinaryIO, source: str) -> Iterator[Copies | Rejected]:
    """`read_badges`' items: `Copies` of the good rows, a `Rejected` for each bad line, in the file's order."""
    lines = _Lines(stream, source)
    names: list[str] | None = None
    header_line = 0
    for item in lines.one_by_one():
        if isinstance(item, Rejected):
            yield item
            continue
        number, data = item
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and not text.strip():
            continue
        header_line = number
        problem = "not valid UTF-8" if text is None else None
        if text is not None:
            try:
                names = _header(text)
            except csv.Error as error:
                problem = f"not a CSV header: {error}"
        if problem is None and names is not None:
            missing = [name for name in REQUIRED if name not in names]
            if missing or len(set(names)) != len(names):
                problem = f"the header lacks {', '.join(missing)}" if missing else "a column is named twice"
                problem += f"; expected columns {','.join(COLUMNS)}"
        if problem is not None:
            names = None
            yield Rejected(source, number, "(header)", problem, raw_text(data))
        break
    if names is None:
        yield from _unread(lines.one_by_one(), source, header_line)
    else:
        yield from _rows(lines, source, names)


class _Lines:
    """The lines of a badge file as `livemoney.kit.iter_lines` gives them (numbered from 1; the BOM and each
    line's last ``\\r`` left out; a line past the limit a `Rejected`), read a chunk at a time (`line_chunks`,
    about 256 KiB): one by one (`one_by_one`), or a chunk whole (`chunk`), which `_plain_chunk` may check and
    decode at once. ``pending``: the lines of a chunk begun one by one and not taken yet, each an `iter_lines`
    item: a reader takes them before the next chunk."""

    def __init__(self, stream: BinaryIO, source: str) -> None:
        self.source = source
        self.pending: deque[tuple[int, bytes] | Rejected] = deque()
        self._chunks = line_chunks(stream)
        self._first = 1
        """The number of the first line of the next chunk."""

    def chunk(self) -> tuple[int, list[bytes | TooLong]] | None:
        """The next chunk of lines and the number of its first, or ``None`` at the end (take ``pending`` first)."""
        lines = next(self._chunks, None)
        if lines is None:
            return None
        first = self._first
        self._first += len(lines)
        if first == 1 and isinstance(lines[0], bytes):
            lines[0] = lines[0].removeprefix(b"\xef\xbb\xbf")
        return first, lines

    def numbered(self, first: int, lines: list[bytes | TooLong]) -> list[tuple[int, bytes] | Rejected]:
        """The `iter_lines` items of a chunk of ``lines`` whose first is line ``first``."""
        source = self.source
        return [
            (number, data.removesuffix(b"\r"))
            if isinstance(data, bytes)
            else Rejected(source, number, "(line)", length_problem(data.size), data.rejected_raw())
            for number, data in enumerate(lines, first)
        ]

    def one_by_one(self) -> Iterator[tuple[int, bytes] | Rejected]:
        """The lines left, one at a time: those ``pending``, then each chunk's (a line not taken yet stays
        ``pending``, so that whoever reads on after this iterator is left reads it)."""
        pending = self.pending
        while True:
            while pending:
                yield pending.popleft()
            got = self.chunk()
            if got is None:
                return
            pending.extend(self.numbered(*got))


def _unread(lines: Iterator[tuple[int, bytes] | Rejected], source: str, header_line: int) -> Iterator[Rejected]:
    """Every line after a bad header (`read_badges`), rejected: none can be read (blank lines are left out)."""
    problem = f"not read: the header on line {header_line} is bad"
    for item in lines:
        if isinstance(item, Rejected):
            yield item
            continue
        number, data = item
        try:
            if not data.decode("utf-8").strip():
                continue
        except UnicodeDecodeError:
            pass
        yield Rejected(source, number, "(header)", problem, raw_text(data))


def _rows(lines: _Lines, source: str, names: list[str]) -> Iterator[Copies | Rejected]:
    """The rows under a good header (`read_badges`): the good ones as `Copies`, the others each a `Rejected`
    one, in the file's order (the good rows met so far are given before a `Rejected`).

    The lines come a chunk at a time (`_Lines`). Lines without a double quote, NUL, carriage return or cell longer
    than `csv` takes, all UTF-8, are decoded together and each split at its commas (what `csv.reader` makes of
    them); any other batch is read line by line (`_line_by_line`). What a row comes to is worked out once for
    the cells it holds but the viewer (``made``, at most `CACHED` of them): a checked `Donation`, which the row's
    viewer and line make its own, or the column and problem that reject it (a `FieldError`'s, or ``(row)`` for
    more cells than the header names), told with the row's own line and text. A row's cells give its count of
    cells, so that check is made once too."""
    rows = _Rows(source, names)
    while True:
        if lines.pending:  # the rest of a chunk begun one by one
            batch = list(lines.pending)
            lines.pending.clear()
            plain = _plain(batch, rows.longest)
        else:
            got = lines.chunk()
            if got is None:
                break
            first, chunk = got
            plain = _plain_chunk(first, chunk, rows.longest)
            batch = lines.numbered(first, chunk) if plain is None else []
        if plain is None:
            yield from _line_by_line(batch, lines.one_by_one(), rows)
            continue
        # `_Rows.row` of each line, written out (a call a row would cost a third of the loop's time). The lines
        # are consecutive: those held since ``start`` are rows, their numbers put in `_Rows.numbers` at once.
        viewer_at, made, slots = rows.viewer_at, rows.made, rows.slots
        which, viewers, numbers = rows.which.append, rows.viewers.append, rows.numbers.extend
        numbered, texts = plain
        start = numbered[0]
        for number, text in zip(numbered, texts):
            cells = text.split(",")
            count = len(cells)
            if count == 1 and not text.strip():  # a blank line (white space only, so no comma): no row
                numbers(range(start, number))
                start = number + 1
                continue
            viewer = None
            if -1 < viewer_at < count:
                viewer = cells[viewer_at].strip() or None
                cells[viewer_at] = ""
            key = ",".join(cells)  # no cell of a plain line holds a comma: one text (hashed once) tells the cells
            slot = slots.get(key)
            if slot is None:  # the first row of its cells among those held: what they come to, perhaps known
                template = made.get(key)
                if template is None:
                    template = rows.made_of(cells, key, number)
                if isinstance(template, tuple):
                    numbers(range(start, number))
                    start = number + 1
                    yield from rows.given()
                    yield Rejected(source, number, *template, text)
                    continue
                slot = rows.hold(key, template)
            which(slot)
            viewers(viewer)
        numbers(range(start, numbered[-1] + 1))
        yield from rows.given()


def _plain_chunk(first: int, lines: list[bytes | TooLong], longest: int) -> tuple[Sequence[int], list[str]] | None:
    """`_plain` of a chunk of ``lines`` whose first is line ``first``, as `line_chunks` gives it (each line's
    last carriage return is not a character of the row, as `iter_lines` reads it)."""
    try:
        data = b"\n".join(lines)  # type: ignore[arg-type]  # a TypeError when a line is a TooLong
    except TypeError:
        return None
    if b"\r" in data:  # the carriage returns that end lines left out; any other makes the chunk no plain one
        data = (data + b"\n").replace(b"\r\n", b"\n")[:-1]
        if b"\r" in data:
            return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if '"' in text or "\x00" in text:
        return None
    texts = text.split("\n")
    if len(text) > longest and max(map(len, texts)) > longest:
        return None
    return range(first, first + len(texts)), texts


def _plain(batch: list[tuple[int, bytes] | Rejected], longest: int) -> tuple[Sequence[int], list[str]] | None:
    """The line numbers and texts of ``batch`` when each is a line (no `Rejected`), they are consecutive lines, all
    UTF-8, and none holds a double quote, NUL, carriage return or more characters than ``longest`` (what
    `csv.reader` splits at its commas alone), else ``None``. Checked for all the lines at once: one join, one
    decode, one search each."""
    if set(map(type, batch)) != {tuple}:
        return None
    numbered: list[tuple[int, bytes]] = batch  # type: ignore[assignment]  # each a (line, bytes): checked above
    try:
        text = b"\n".join([data for _, data in numbered]).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if '"' in text or "\x00" in text or "\r" in text:
        return None
    texts = text.split("\n")
    if len(text) > longest and max(map(len, texts)) > longest:
        return None
    first, last = numbered[0][0], numbered[-1][0]
    return (range(first, last + 1), texts) if last - first + 1 == len(texts) else None  # consecutive lines


class _Rows:
    """The good rows of a badge file not given yet (`_rows`), as `Copies` holds them, and what each distinct row
    comes to (``made``).

    ``donations``: the distinct donations of the rows held, in the order of their first rows, ``slots`` each
    one's index there by its cells; ``which``, ``viewers``, ``numbers``: each row's donation (its index), viewer
    and line. Cells (the viewer's left blank) are told by their text, commas between, when the row was a plain
    line (no cell holds a comma), else by the tuple of them: a row read both ways is worked out once each."""

    def __init__(self, source: str, names: list[str]) -> None:
        self.source = source
        self.names = names
        self.viewer_at = names.index("viewer") if "viewer" in names else -1
        self.longest = csv.field_size_limit()
        self.made: dict[str | tuple[str, ...], Donation | tuple[str, str]] = {}
        self.donations: list[Donation] = []
        self.slots: dict[str | tuple[str, ...], int] = {}
        self.which: list[int] = []
        self.viewers: list[str | None] = []
        self.numbers: list[int] = []

    def row(self, cells: list[str], number: int, text: str) -> Rejected | None:
        """Hold the row of ``cells`` on line ``number`` (``text``), or answer its `Rejected`."""
        viewer = None
        viewer_at = self.viewer_at
        if -1 < viewer_at < len(cells):
            viewer = cells[viewer_at].strip() or None
            cells[viewer_at] = ""
        key = tuple(cells)
        slot = self.slots.get(key)
        if slot is None:
            template = self.made.get(key)
            if template is None:
                template = self.made_of(cells, key, number)
            if isinstance(template, tuple):
                return Rejected(self.source, number, *template, text)
            slot = self.hold(key, template)
        self.which.append(slot)
        self.viewers.append(viewer)
        self.numbers.append(number)
        return None

    def made_of(self, cells: list[str], key: str | tuple[str, ...], number: int) -> Donation | tuple[str, str]:
        """What a row of ``cells`` (its viewer's left blank; ``key``: them as a tuple) comes to (`_checked`),
        remembered (at most `CACHED` of them)."""
        made = self.made
        template = _checked(cells, self.names, len(self.names), number)
        if len(made) >= CACHED:
            made.clear()
        made[key] = template
        return template

    def hold(self, key: str | tuple[str, ...], donation: Donation) -> int:
        """The index of ``donation`` (that of the rows of cells ``key``) among the donations held, now held."""
        slot = self.slots[key] = len(self.donations)
        self.donations.append(donation)
        return slot

    def given(self) -> Iterator[Copies]:
        """The rows held, as one `Copies` (none when none are held); then none are held."""
        if self.which:
            yield Copies(self.source, self.donations, self.which, self.viewers, self.numbers)  # copied: emptied next
            for held in (self.donations, self.slots, self.which, self.viewers, self.numbers):
                held.clear()


def _line_by_line(
    batch: list[tuple[int, bytes] | Rejected], lines: Iterator[tuple[int, bytes] | Rejected], rows: _Rows
) -> Iterator[Copies | Rejected]:
    """The rows of the lines of ``batch`` (`_rows`), each line on its own: a line that is not UTF-8 is rejected;
    one with a double quote, NUL, carriage return or a long cell is read by `csv.reader`.

    A row that ends inside a quoted cell (`_ends_quoted`: a cell that starts with a double quote, as
    `csv.reader` reads it; a quote inside an unquoted cell is a character) goes on over the next lines (a
    line break inside a cell; those of ``batch``, then of ``lines``): its record is its lines joined, read as
    `csv.reader` reads it, named by its first line (up to `CONTINUED` lines; a quote left open longer rejects
    that first line alone, and the lines after it are read again, first: one queue, so that memory and time do
    not grow however many quotes are left open)."""
    source, longest = rows.source, rows.longest
    queue = deque(batch)

    def following() -> Iterator[tuple[int, bytes] | Rejected]:
        """The lines after the one read: those queued, then the file's."""
        while queue:
            yield queue.popleft()
        yield from lines

    while queue:
        item = queue.popleft()
        if not isinstance(item, tuple):  # a Rejected: a line longer than the limit
            yield from rows.given()
            yield item
            continue
        number, data = item
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            yield from rows.given()
            yield Rejected(source, number, "(row)", "not valid UTF-8", raw_text(data))
            continue
        if '"' in text or "\x00" in text or "\r" in text or len(text) > longest:
            if not text.strip():
                continue
            if _ends_quoted(text):
                text, after = _continued(text, following(), longest)
                if after is not None:  # the quote never closes: this line alone is rejected
                    yield from rows.given()
                    yield Rejected(source, number, "(row)", _OPEN_QUOTE, raw_text(data))
                    queue.extendleft(reversed(after))  # read again, first
                    continue
            try:
                cells = next(csv.reader([text]))
            except csv.Error as error:
                yield from rows.given()
                yield Rejected(source, number, "(row)", f"not a CSV row: {error}", text)
                continue
        else:
            cells = text.split(",")
        if len(cells) == 1 and not text.strip():  # a blank line (white space only, so no comma): no row
            continue
        rejected = rows.row(cells, number, text)
        if rejected is not None:
            yield from rows.given()
            yield rejected
    yield from rows.given()


_OPEN_QUOTE = f"a double quote opens a cell that no line closes (within {CONTINUED} lines)"


def _ends_quoted(text: str, quoted: bool = False) -> bool:
    """Whether a CSV row that starts inside a quoted cell if ``quoted`` ends inside one after ``text``, as
    `csv.reader` reads it (comma, double quote, quotes doubled inside a quoted cell): a quote opens a cell
    only as its first character; one inside an unquoted cell, or after a quoted cell's closing quote, is a
    character of the cell."""
    at = 0
    if not quoted:  # the row's first cell
        quoted = text.startswith('"')
        at = int(quoted)
    while True:
        if quoted:  # inside a quoted cell: up to its closing quote (a doubled one is a quote in the cell)
            end = text.find('"', at)
            if end < 0:
                return True
            if text.startswith('"', end + 1):
                at = end + 2
                continue
            quoted, at = False, end + 1
        # an unquoted cell, or what follows a closing quote: up to the next comma
        comma = text.find(",", at)
        if comma < 0:
            return False
        at = comma + 1
        quoted = text.startswith('"', at)
        at += quoted


def _continued(
    text: str, lines: Iterator[tuple[int, bytes] | Rejected], longest: int
) -> tuple[str, list[tuple[int, bytes] | Rejected] | None]:
    """A row whose quoted cell goes on over the next lines of ``lines``: its lines joined by line breaks, and
    ``None``; or, when no line within `CONTINUED` (or the longest cell `csv` takes) closes it, ``text`` and
    the lines taken from ``lines``, to be read again as rows."""
    taken: list[tuple[int, bytes] | Rejected] = []
    parts, size = [text], len(text)
    for item in lines:
        taken.append(item)
        if not isinstance(item, tuple):
            break
        try:
            part = item[1].decode("utf-8")
        except UnicodeDecodeError:
            break
        parts.append(part)
        size += len(part) + 1
        if size > longest:
            break
        if not _ends_quoted(part, quoted=True):
            return "\n".join(parts), None
        if len(taken) >= CONTINUED:
            break
    return text, taken


def _checked(cells: list[str], names: list[str], width: int, line: int) -> Donation | tuple[str, str]:
    """What a row of ``cells`` (its viewer's left blank) comes to: its checked `Donation` (no source: each row
    gets its own), or ``(column, problem)`` when it is rejected."""
    if len(cells) > width:
        return "(row)", f"{len(cells)} cells, the header has {width}"
    try:
        return _badge({name: cell.strip() for name, cell in zip(names, cells)}, None, line)
    except FieldError as error:
        return error.field, error.problem


READER = Reader(
    name="instagram-badges-csv",
    platform=KEY,
    description="the badge file a creator fills from the Instagram dashboard (CSV: date, badge_tier, "
    "amount, currency, viewer, count)",
    sniff=_sniff_badges,
    read=read_badges,
)
