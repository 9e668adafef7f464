"""Reading event logs in any installed format: the plugins' readers, format detection, known platforms.

    for item in lm.read_events("stream.jsonl"):      # Event objects, Skipped and Rejected records
        ...

The canonical format's reader is `livemoney.core.canonical.CANONICAL_READER`; every other format comes
from a plugin's `livemoney_readers` hook. A reader never raises for a bad record: each problem is a
`Rejected` whose ``str()`` is ``FILE:LINE: field: problem``.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import io
import os
import select
import stat
from collections.abc import Callable, Container, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import attrs

from livemoney.core.canonical import CANONICAL, CANONICAL_READER, is_canonical, read_canonical, sniff_canonical
from livemoney.core.models import Copies, Decoder, Event, Reader, Rejected, Skipped, WithCopies
from livemoney.core.records import Batches, DecoderRead, DecoderSession, line_of
from livemoney.core.untrusted import shown_answer
from livemoney.engine.api import platform_failure, platforms
from livemoney.errors import FieldError, FxError, ReaderError
from livemoney.pluginsys.manager import HOST_NAME, TOO_LARGE, PluginManager, default_manager, raised

HEAD_BYTES = 64 * 1024
"""How much of a file the readers' ``sniff`` functions see."""
FIFO_WAIT = 1.0
"""Seconds a named pipe (FIFO) may keep livemoney waiting for its first bytes (``LIVEMONEY_FIFO_WAIT``)."""


# --- opening an input, once ------------------------------------------------------------------


class _Replay(io.RawIOBase):
    """A pipe's bytes read ahead (its head, for detection) and then the rest of the pipe: read once."""

    def __init__(self, head: bytes, raw: Any) -> None:
        self._head = head
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _fifo_wait() -> float:
    text = os.environ.get("LIVEMONEY_FIFO_WAIT", "").strip()
    try:
        seconds = float(text) if text else FIFO_WAIT
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86_400:  # NaN too: a wait that ends, and that poll takes in milliseconds
        raise ReaderError(f"LIVEMONEY_FIFO_WAIT: {text!r} is not a number of seconds from 0 to 86400") from None
    return seconds


def _anonymous_pipe(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a shell's pipe (``<(...)``, ``/dev/stdin``: ``/dev/fd/N``), not a named FIFO."""
    try:
        return os.readlink(os.fspath(path)).startswith("pipe:")
    except OSError:
        return False


def open_input(path: str | os.PathLike) -> tuple[BinaryIO, bytes]:
    """An input opened once: ``(stream from its first byte, its first `HEAD_BYTES`)``.

    A regular file is read twice from disk (its head, then from the start); a pipe (``<(...)``, a FIFO) is
    read once, its head kept to be read again. A FIFO that no program writes to is refused after
    `FIFO_WAIT` seconds; a device or a folder is refused at once (`ReaderError`, a clear message).
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        raise ReaderError(f"{path}: {error.strerror or error}") from None
    if stat.S_ISREG(mode):
        stream = open(path, "rb")  # noqa: SIM115 - the caller closes it
        head = stream.read(HEAD_BYTES)
        stream.seek(0)
        return stream, head
    if not stat.S_ISFIFO(mode):
        kind = (
            "a folder" if stat.S_ISDIR(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "no file"
        )
        raise ReaderError(f"{path}: {kind}, not a file of records: give a regular file or a pipe")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not _anonymous_pipe(path):
            wait = _fifo_wait()
            poll = select.poll()
            poll.register(fd, select.POLLIN | select.POLLHUP)
            if not poll.poll(wait * 1000):
                raise ReaderError(
                    f"{path}: a named pipe (FIFO) that nothing wrote to within {wait:g} s: start the program that "
                    "writes it first (or set LIVEMONEY_FIFO_WAIT), or give a file"
                )
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
    except BaseException:
        os.close(fd)
        raise
    raw = io.FileIO(fd, "rb", closefd=True)
    parts = []
    size = 0
    while size < HEAD_BYTES:
        chunk = raw.read(HEAD_BYTES - size)
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    head = b"".join(parts)
    return io.BufferedReader(_Replay(head, raw)), head


class KnownPlatforms:
    """The platform keys of the loaded plugins. A record of another platform is rejected with `problem`,
    which names the plugin when the platform's plugin failed (to load, or to describe its platform): the
    records of the other platforms are still read."""

    def __init__(self, pm: PluginManager) -> None:
        self._pm = pm
        self.keys = frozenset(platform.key for platform in platforms(pm))

    def __contains__(self, key: object) -> bool:
        return key in self.keys

    def problem(self, key: str) -> str | None:
        """``None`` for a known platform, else why it is not (its plugin's failure, when it failed)."""
        if key in self.keys:
            return None
        dead = platform_failure(self._pm, key)
        if dead is not None:
            return str(dead)
        return f"unknown platform {key!r} (known: {', '.join(sorted(self.keys)) or 'none installed'})"

    def require(self, key: str) -> None:
        """Raise unless ``key`` is known: `PluginError` when its plugin failed, else `ReaderError`."""
        if key in self.keys:
            return
        dead = platform_failure(self._pm, key)
        if dead is not None:
            raise dead
        raise ReaderError(f"platform: {self.problem(key)}")


# --- choosing a reader ----------------------------------------------------------------------


def available_readers(pm: PluginManager | None = None) -> list[Reader]:
    """The canonical reader first, then every plugin's readers (from `livemoney_readers`).

    A plugin whose `livemoney_readers` raises or answers something other than a list of `Reader` is left
    out (its fault recorded in ``pm.faults``). The engine uses each plugin reader `guarded`.
    """
    pm = pm or default_manager()
    hook = "livemoney_readers"
    found: list[Reader] = []
    for answer in pm.call(hook).answers:
        if answer.hook != hook:
            continue
        group = answer.result
        if not isinstance(group, (list, tuple)):
            pm.fault(answer.plugin, hook, f"{hook} answered {shown_answer(group)}, not a list of Reader")
            continue
        for reader in group:
            if not isinstance(reader, Reader):
                pm.fault(answer.plugin, hook, f"{hook} answered {shown_answer(reader)} in its list, not a Reader")
            elif reader.name != CANONICAL:
                pm.note_origin(reader, answer.plugin)
                found.append(reader)
    return [CANONICAL_READER, *sorted(found, key=lambda reader: reader.name)]


def guarded(pm: PluginManager, reader: Reader) -> Reader:
    """``reader`` as the engine uses it: guarded (`guarded_reader`) when a plugin gave it (`available_readers`)."""
    plugin = pm.origin_of(reader)
    return reader if plugin is None or plugin == HOST_NAME else guarded_reader(pm, plugin, reader)


def guarded_reader(pm: PluginManager, plugin: str, reader: Reader) -> Reader:
    """``reader`` of ``plugin``, whose failures are the plugin's faults (in ``pm.faults``), not crashes:
    a ``sniff`` or ``accepts`` that raises or answers no bool says ``False``; a ``read`` (or a decoder's
    ``feed`` or ``flush``) that raises, or yields what is no `Event`, `Skipped` or `Rejected`, ends with
    one `Rejected` record naming the plugin (``field`` ``(reader)``); nothing more of that file is read.
    A ``read`` that returns a `WithCopies` is guarded so too, and its `Copies` handed on as they are (a `Copies`
    outside a `WithCopies` is a fault: whoever iterates a reader's items expects events).
    `livemoney.errors.FxError` and `TOO_LARGE` pass through, as from a hook; so does a `FieldError`
    from a decoder's ``feed`` or ``flush``: a value beyond livemoney's bounds met where the decoder builds an
    event (a sum of reactions beyond the maximum count) is the input's problem, and the host rejects the
    record (`livemoney.core.records.DecoderSession`, `LiveTally`), not the plugin's."""
    label = f"reader {reader.name}"

    def fault(what: str, error: BaseException | str) -> str:
        problem = raised(f"{label}: {what}", error) if isinstance(error, BaseException) else f"{label}: {error}"
        return str(pm.fault(plugin, "livemoney_readers", problem))

    def answer(what: str, function: Any, *args: Any) -> bool:
        try:
            said = function(*args)
        except _PASS:
            raise
        except Exception as error:  # noqa: BLE001 - what a plugin's reader raises is its fault
            fault(what, error)
            return False
        if not isinstance(said, bool):
            fault(what, f"{what} answered {shown_answer(said)}, not True or False")
            return False
        return said

    def items(
        made: Any,
        source: str,
        line: int,
        what: str,
        after: bool,
        passes: tuple[type[BaseException], ...] = _PASS,
        kinds: tuple[type, ...] = (Event, Skipped, Rejected),
    ) -> Iterator[Any]:
        """The items of ``made()`` (an iterable), guarded: each one of ``kinds``. A failure is told at ``line``, or
        with ``after`` at the line after the last item's; what ``passes`` is raised."""
        rest = "; the rest of the file is not read" if after else ""
        last: Any = None  # the last item given (an Event, Skipped, Rejected or Copies)
        try:
            for item in made():
                if not isinstance(item, kinds):
                    problem = fault(what, f"{what} yielded {shown_answer(item)}, not an Event, Skipped or Rejected")
                    if isinstance(item, Copies):
                        problem += " (a Copies is read only inside a WithCopies)"
                    yield Rejected(source, _after(last, line, after), "(reader)", problem + rest, "")
                    return
                last = item
                yield item
        except passes:
            raise
        except Exception as error:  # noqa: BLE001 - what a plugin's reader raises is its fault
            yield Rejected(source, _after(last, line, after), "(reader)", fault(what, error) + rest, "")

    def read(stream: BinaryIO, source: str) -> Iterator[Event | Skipped | Rejected]:
        made: Any = None
        try:
            made = reader.read(stream, source)
        except _PASS:
            raise
        except Exception as error:  # noqa: BLE001 - told as `items` tells it, where the reader's items would be
            made = _raising(error)
        if isinstance(made, WithCopies):  # the items as they are, `Copies` and all, for the valuer
            return WithCopies(items(lambda: made.items, source, 1, "read", True, kinds=_WITH_COPIES))
        return items(lambda: made, source, 1, "read", True)

    class _Decoder:
        def __init__(self, source: str) -> None:
            self.source = source
            self.inner: Decoder | None = None
            self.problem = ""
            try:
                self.inner = reader.decoder(source) if reader.decoder is not None else None
            except _PASS:
                raise
            except Exception as error:  # noqa: BLE001 - what a plugin's reader raises is its fault
                self.problem = fault("decoder", error)
            self.unchecked_feed: Callable[[Any, int], Iterable[Any]] | None = None
            """The plugin's own ``feed``, for a caller that checks each record's items itself, in a loop of its own
            (`livemoney.core.records.DecoderSession`): it takes an answer as it is when every item in it is an
            event or a `Skipped` (as `feed` would), else passes it to `checked`, and what it raises, but for a
            `FieldError`, to `failed` (the same items, the same faults, one call a record less)."""
            if self.inner is not None:
                self.unchecked_feed = self.inner.feed

        def feed(self, record: Any, line: int) -> Iterable[Event | Skipped | Rejected]:
            """What `items` gives of ``inner.feed`` (one call a record: written out, the per-record path)."""
            inner = self.inner
            if inner is None:
                return [Rejected(self.source, line, "(reader)", self.problem, _shown(record))]
            try:
                made = inner.feed(record, line)
                if made.__class__ is list:  # the common answer: given back as it is when every item is of a known class
                    for item in made:
                        if item.__class__ not in _KNOWN:
                            break
                    else:
                        return made
            except _DECODED:
                raise
            except Exception as error:  # noqa: BLE001 - what a plugin's reader raises is its fault
                return [Rejected(self.source, line, "(reader)", fault("feed", error), "")]
            return self.checked(made, line)

        def checked(self, made: Iterable[Any], line: int) -> list[Event | Skipped | Rejected]:
            """What ``inner.feed`` answered for the record of ``line`` (an iterable), as `feed` gives it: a list of
            events, `Skipped` and `Rejected` records; anything else, or a failure while iterating, ends it with a
            `Rejected` naming the plugin."""
            out: list[Event | Skipped | Rejected] = []
            try:
                for item in made:
                    if item.__class__ not in _KNOWN:
                        if not isinstance(item, (Event, Skipped, Rejected)):
                            problem = fault(
                                "feed", f"feed yielded {shown_answer(item)}, not an Event, Skipped or Rejected"
                            )
                            out.append(Rejected(self.source, line, "(reader)", problem, ""))
                            return out
                        _KNOWN.add(item.__class__)
                    out.append(item)
            except _DECODED:
                raise
            except Exception as error:  # noqa: BLE001 - what a plugin's reader raises is its fault
                out.append(Rejected(self.source, line, "(reader)", fault("feed", error), ""))
            return out

        def failed(self, error: Exception, line: int) -> list[Rejected]:
            """What `feed` gives for the record of ``line`` when ``inner.feed`` raised ``error``: the plugin's fault,
            a `Rejected`; an `FxError`, a record too large or a `FieldError` is raised again (the host's to tell)."""
            if isinstance(error, _DECODED):
                raise error
            return [Rejected(self.source, line, "(reader)", fault("feed", error), "")]

        def flush(self, now: dt.datetime | None = None) -> Iterable[Event | Skipped | Rejected]:
            inner = self.inner
            if inner is None:
                return []
            return list(items(lambda: inner.flush(now), self.source, 0, "flush", False, _DECODED))

    return attrs.evolve(
        reader,
        sniff=lambda head: answer("sniff", reader.sniff, head),
        read=read,
        decoder=None if reader.decoder is None else _Decoder,
        accepts=None if reader.accepts is None else (lambda record: answer("accepts", reader.accepts, record)),
    )


_PASS = (FxError, *TOO_LARGE)
_WITH_COPIES = (Event, Skipped, Rejected, Copies)
_KNOWN: set[type] = {Skipped, Rejected}
"""The item classes `guarded_reader` takes without an isinstance check: `Skipped`, `Rejected` and the classes of
events met so far (an event is one of the subclasses of `Event`)."""
_DECODED = (*_PASS, FieldError)


def _after(last: Event | Skipped | Rejected | Copies | None, line: int, after: bool) -> int:
    """Where a reader's failure is told: ``line``, or with ``after`` the line after its last item's."""
    if not after or last is None:
        return line
    return (last.lines[-1] if isinstance(last, Copies) else line_of(last) or line) + 1


def _raising(error: Exception) -> Iterator[Any]:
    """What a reader's ``read`` that raised at once gives `guarded_reader`'s ``items``: the same error."""
    raise error
    yield  # a generator: raises when iterated


def _shown(record: Any) -> str:
    try:
        return repr(record)[:1000]
    except Exception:  # noqa: BLE001 (a record that cannot be shown is kept without its raw)
        return ""


def _by_name(name: str, readers: list[Reader]) -> Reader:
    for reader in readers:
        if reader.name == name:
            return reader
    known = ", ".join(reader.name for reader in readers)
    raise ReaderError(f"unknown input format {name!r} (known: {known}, or auto)")


def detect(path: str | os.PathLike, pm: PluginManager | None = None, input_format: str = "auto") -> Reader:
    """The reader of ``path``: the one named ``input_format``, or the one that recognises its first 64 KiB
    (`detect_head`). Reads the file's head: for a pipe, open it with `open_input` and use `detect_head`."""
    pm = pm or default_manager()
    readers = available_readers(pm)
    if input_format != "auto":
        return _by_name(input_format, readers)
    stream, head = open_input(path)
    stream.close()
    return detect_head(head, path, pm, input_format, readers)


def detect_head(
    head: bytes,
    path: str | os.PathLike,
    pm: PluginManager | None = None,
    input_format: str = "auto",
    readers: list[Reader] | None = None,
) -> Reader:
    """The reader of the file at ``path`` whose first bytes are ``head``: the one named ``input_format``,
    or the one that recognises ``head``.

    A file whose first object is a valid canonical event naming its platform is canonical; else the first
    plugin reader whose ``sniff`` accepts the head (a TikTokLive web-ui log looks canonical but names no
    platform); else, if it looks like canonical JSON Lines, the canonical reader. Leading records that are
    no object (``null``, a broken line) are passed over, as the readers reject them. Raises `ReaderError`
    when none fits.
    """
    pm = pm or default_manager()
    readers = readers if readers is not None else available_readers(pm)
    if input_format != "auto":
        return _by_name(input_format, readers)
    if is_canonical(head, naming_platform=True):
        return CANONICAL_READER
    for reader in readers[1:]:
        if guarded(pm, reader).sniff(head):
            return reader
    if is_canonical(head) or sniff_canonical(head):
        return CANONICAL_READER
    if head.startswith(b"PAR1"):
        raise ReaderError(
            f"{path}: a Parquet file: `livemoney value` reads Parquet files of events (pip install "
            "'livemoney[duckdb]'); the other commands read logs"
        )
    if head.startswith(b"\x1f\x8b"):
        raise ReaderError(f"{path}: a gzip-compressed file: decompress it first (gunzip -c FILE | livemoney value -)")
    known = ", ".join(reader.name for reader in readers)
    raise ReaderError(f"{path}: no reader recognises this file (formats: {known}); name one with --input-format")


def _prepared(
    pm: PluginManager | None, format: str, platform: str | None
) -> tuple[PluginManager, list[Reader], KnownPlatforms]:
    """The manager, its readers and its platforms for a read: ``format`` must name a reader (or be
    ``"auto"``) and ``platform`` a loaded plugin's (`ReaderError`, or `PluginError` when its plugin failed)."""
    pm = pm or default_manager()
    readers = available_readers(pm)
    if format != "auto":
        _by_name(format, readers)
    known = KnownPlatforms(pm)
    if platform is not None:
        known.require(platform)
    return pm, readers, known


def _opened(path: str | os.PathLike, pm: PluginManager, format: str, readers: list[Reader]) -> tuple[BinaryIO, Reader]:
    """The input at ``path`` opened once (`open_input`) and its reader (`detect_head`); closed if none fits."""
    stream, head = open_input(path)
    try:
        return stream, detect_head(head, path, pm, format, readers)
    except BaseException:
        stream.close()
        raise


def read_events(
    path: str | os.PathLike,
    format: str = "auto",
    platform: str | None = None,
    pm: PluginManager | None = None,
) -> Iterator[Event | Skipped | Rejected]:
    """The events of the log at ``path``, in file order, with a `Skipped` record for each record that is
    no event (a chat message, a join, a kind the reader does not know) and a `Rejected` one for each bad
    record.

    :param format: a reader name (see `available_readers`) or ``"auto"`` to detect it.
    :param platform: the platform of canonical records that leave it out.

    Detection happens at once (`ReaderError`); a ``platform`` whose plugin failed raises `PluginError`.
    Other problems are `Rejected` items, never exceptions: a record of a platform whose plugin failed
    names the plugin (see `KnownPlatforms`), and a plugin reader that breaks is `guarded`.
    """
    pm, readers, known = _prepared(pm, format, platform)
    stream, reader = _opened(path, pm, format, readers)
    return _read(stream, Path(path), guarded(pm, reader), platform, known)


class SharedDecoders:
    """The decoders of one run over several files of one stream: the files a reader built on a `Decoder`
    reads (`livemoney.core.records.read_with_decoder`) share one decoder, so that a gift streak or a Jewels
    combo split across two files, or the same records in two captures, count once. `read` each file in
    turn, then `finish` (what the decoders still hold, after the last file)."""

    def __init__(self, pm: PluginManager, platforms: Container[str] | None = None) -> None:
        self._pm = pm
        self._platforms = platforms
        """The platforms whose events the run takes (a session's list ends at another's: `DecoderSession`)."""
        self._sessions: dict[str, tuple[DecoderSession, str]] = {}

    def read(self, reader: Reader, stream: BinaryIO, source: str) -> Iterator[Event | Skipped | Rejected]:
        """The items of ``stream`` read by ``reader`` (a plugin's reader `guarded`)."""
        used = guarded(self._pm, reader)
        if isinstance(reader.read, DecoderRead) and reader.decoder is reader.read.make_decoder and used.decoder:
            if reader.name not in self._sessions:
                self._sessions[reader.name] = (DecoderSession(used.decoder, self._platforms), source)
            return self._sessions[reader.name][0].read(stream, source)
        return used.read(stream, source)

    def finish(self) -> Iterator[tuple[str, Iterator[Event | Skipped | Rejected]]]:
        """For each shared decoder: the first file it read and what it still holds."""
        for session, first in self._sessions.values():
            yield first, session.finish()


def read_logs(
    paths: Iterable[str | os.PathLike],
    format: str = "auto",
    platform: str | None = None,
    pm: PluginManager | None = None,
) -> Iterator[Event | Skipped | Rejected]:
    """The items of several logs of one stream, file after file, as `read_events` gives them for each, but
    with the decoders shared across the files (`SharedDecoders`): what ``livemoney value`` reads of them.
    Each input is opened once and its format detected before the first item (`ReaderError`)."""
    pm, readers, known = _prepared(pm, format, platform)
    inputs: list[tuple[Path, BinaryIO, Reader]] = []
    try:
        for path in paths:
            inputs.append((Path(path), *_opened(path, pm, format, readers)))
    except BaseException:
        for _, stream, _ in inputs:
            stream.close()
        raise
    return _read_all(inputs, platform, known, SharedDecoders(pm))


def _read_all(
    inputs: list[tuple[Path, BinaryIO, Reader]], platform: str | None, known: KnownPlatforms, shared: SharedDecoders
) -> Iterator[Event | Skipped | Rejected]:
    try:
        for path, stream, reader in inputs:
            source = str(path)
            if reader is CANONICAL_READER:
                yield from read_canonical(stream, source, platform, known)
            else:
                yield from checked(shared.read(reader, stream, source), source, known)
        for first, held in shared.finish():
            yield from checked(held, first, known)
    finally:
        for _, stream, _ in inputs:
            stream.close()


def _read(
    stream: BinaryIO, path: Path, reader: Reader, platform: str | None, known: KnownPlatforms
) -> Iterator[Event | Skipped | Rejected]:
    source = str(path)
    with stream:
        if reader is CANONICAL_READER:
            yield from read_canonical(stream, source, platform, known)
            return
        yield from checked(reader.read(stream, source), source, known)


def checked(
    items: Iterator[Event | Skipped | Rejected], source: str, known: KnownPlatforms
) -> Iterator[Event | Skipped | Rejected]:
    """A plugin reader's items, with events of a platform no loaded plugin knows turned into `Rejected`. Items
    made a list at a time (`Batches`, a decoder's) are checked so, and handed on so; a reader's `WithCopies` is
    handed on as a `WithCopies` (its `Copies` checked as the events they stand for), so that the valuer counts
    the copies at once and any other consumer iterates events."""
    if isinstance(items, Batches):
        return Batches(_checked_lists(items.lists, source, known, items.platforms))
    if isinstance(items, WithCopies):
        return WithCopies(_checked_copies(items.items, source, known))
    return _checked_items(items, source, known)


def _checked_items(
    items: Iterator[Event | Skipped | Rejected], source: str, known: KnownPlatforms, first: int = 1
) -> Iterator[Event | Skipped | Rejected]:
    keys = known.keys
    for number, item in enumerate(items, start=first):
        if item.__class__ is not Skipped and isinstance(item, Event) and item.platform not in keys:
            yield _platform_rejected(item, source, known, number)
        else:
            yield item


def _checked_lists(
    lists: Iterator[list[Event | Skipped | Rejected]],
    source: str,
    known: KnownPlatforms,
    vouched: Container[str] | None = None,
) -> Iterator[list[Event | Skipped | Rejected]]:
    """`_checked_items` a list at a time: each list handed on as it is when every event in it is of a known
    platform (the rule), else a copy with those rejected. ``number``: the ordinal of the list's first item.
    ``vouched``: the platforms the lists' maker vouches for (`Batches.platforms`); when each of them is known, a plain
    ``list`` is handed on without a look at its events (one step a list, not one an item)."""
    keys = known.keys
    unlooked = vouched is not None and (vouched is keys or (isinstance(vouched, (set, frozenset)) and vouched <= keys))
    number = 1
    for items in lists:
        if unlooked and items.__class__ is list:
            number += len(items)
            yield items
            continue
        out = items
        for index, item in enumerate(items):
            if item.__class__ is not Skipped and isinstance(item, Event) and item.platform not in keys:
                if out is items:
                    out = list(items)
                out[index] = _platform_rejected(item, source, known, number + index)
        number += len(items)
        yield out


def _checked_copies(
    items: Iterator[Event | Skipped | Rejected | Copies], source: str, known: KnownPlatforms
) -> Iterator[Event | Skipped | Rejected | Copies]:
    """`_checked_items` of a `WithCopies`' items: a `Copies` whose events are all of known platforms handed on as
    it is, else its rows one by one (those of an unknown platform rejected, each with its own line).
    ``number``: the ordinal of the next row, as if each row were an item."""
    keys = known.keys
    number = 1
    for item in items:
        if isinstance(item, Copies):
            if any(event.platform not in keys for event in item.events):
                yield from _checked_items(iter(item.each()), source, known, number)
            else:
                yield item
            number += len(item)
            continue
        if item.__class__ is not Skipped and isinstance(item, Event) and item.platform not in keys:
            yield _platform_rejected(item, source, known, number)
        else:
            yield item
        number += 1


def _platform_rejected(event: Event, source: str, known: KnownPlatforms, ordinal: int) -> Rejected:
    """``event``, of a platform no loaded plugin knows, as the `Rejected` record of its line (else of its
    ``ordinal`` among the reader's items) that `checked` gives instead."""
    line = _line_of(event, ordinal)
    return Rejected(source, line, "platform", known.problem(event.platform) or "", repr(event))


def _line_of(event: Event, ordinal: int) -> int:
    where = (event.source or "").rpartition(":")[2]
    return int(where) if where.isdigit() else ordinal
