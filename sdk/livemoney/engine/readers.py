"""Reading event logs in any installed format: the plugins' readers, format detection, known platforms.

    for item in lm.read_events("stream.jsonl"):      # Event objects, Skipped and Rejected records
        ...

The canonical format's reader is `livemoney.core.canonical.CANONICAL_READER`; every other format comes
from a plugin's `livemoney_readers` hook. A reader never raises for a bad record: each problem is a
`Rejected` whose ``str()`` is ``FILE:LINE: field: problem``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from livemoney.core.canonical import CANONICAL, CANONICAL_READER, is_canonical, read_canonical, sniff_canonical
from livemoney.core.models import Event, Reader, Rejected, Skipped
from livemoney.engine.api import platforms
from livemoney.errors import PluginError, ReaderError
from livemoney.pluginsys.manager import PluginManager, default_manager

HEAD_BYTES = 64 * 1024
"""How much of a file the readers' ``sniff`` functions see."""


class KnownPlatforms:
    """The platform keys of the loaded plugins; a key whose plugin failed to load raises `PluginError`."""

    def __init__(self, pm: PluginManager) -> None:
        self._pm = pm
        self.keys = frozenset(platform.key for platform in platforms(pm))

    def __contains__(self, key: object) -> bool:
        return key in self.keys

    def problem(self, key: str) -> str | None:
        """``None`` for a known platform, else why it is not (raising if its plugin failed to load)."""
        if key in self.keys:
            return None
        failure = self._pm.failure_for(key)
        if failure is not None:
            raise PluginError(str(failure))
        return f"unknown platform {key!r} (known: {', '.join(sorted(self.keys)) or 'none installed'})"



# --- choosing a reader ----------------------------------------------------------------------


def available_readers(pm: PluginManager | None = None) -> list[Reader]:
    """The canonical reader first, then every plugin's readers (from `livemoney_readers`)."""
    pm = pm or default_manager()
    found = [reader for group in pm.hook.livemoney_readers() if group for reader in group]
    others = sorted((reader for reader in found if reader.name != CANONICAL), key=lambda reader: reader.name)
    return [CANONICAL_READER, *others]


def _by_name(name: str, readers: list[Reader]) -> Reader:
    for reader in readers:
        if reader.name == name:
            return reader
    known = ", ".join(reader.name for reader in readers)
    raise ReaderError(f"unknown input format {name!r} (known: {known}, or auto)")


def detect(path: str | os.PathLike, pm: PluginManager | None = None, input_format: str = "auto") -> Reader:
    """The reader of ``path``: the one named ``input_format``, or the one that recognises its first 64 KiB.

    A file whose first record is a valid canonical event naming its platform is canonical; else the first
    plugin reader whose ``sniff`` accepts the head (a TikTokLive web-ui log looks canonical but names no
    platform); else, if it looks like canonical JSON Lines, the canonical reader. Raises `ReaderError`
    when none fits.
    """
    readers = available_readers(pm)
    if input_format != "auto":
        return _by_name(input_format, readers)
    with open(path, "rb") as stream:
        head = stream.read(HEAD_BYTES)
    if is_canonical(head, naming_platform=True):
        return CANONICAL_READER
    for reader in readers[1:]:
        if reader.sniff(head):
            return reader
    if is_canonical(head) or sniff_canonical(head):
        return CANONICAL_READER
    known = ", ".join(reader.name for reader in readers)
    raise ReaderError(f"{path}: no reader recognises this file (formats: {known}); name one with --input-format")


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

    Detection happens at once (`ReaderError`); a record naming a platform whose plugin failed to load
    raises `PluginError`; other problems are `Rejected` items, never exceptions.
    """
    pm = pm or default_manager()
    reader = detect(path, pm, format)
    known = KnownPlatforms(pm)
    if platform is not None and platform not in known:
        problem = known.problem(platform)
        raise ReaderError(f"platform: {problem}")
    return _read(Path(path), reader, platform, known)


def _read(
    path: Path, reader: Reader, platform: str | None, known: KnownPlatforms
) -> Iterator[Event | Skipped | Rejected]:
    source = str(path)
    with open(path, "rb") as stream:
        if reader is CANONICAL_READER:
            yield from read_canonical(stream, source, platform, known)
            return
        yield from checked(reader.read(stream, source), source, known)


def checked(
    items: Iterator[Event | Skipped | Rejected], source: str, known: KnownPlatforms
) -> Iterator[Event | Skipped | Rejected]:
    """A plugin reader's items, with events of a platform no loaded plugin knows turned into `Rejected`."""
    for number, item in enumerate(items, start=1):
        if isinstance(item, Event) and item.platform not in known:
            line = _line_of(item, number)
            yield Rejected(source, line, "platform", known.problem(item.platform) or "", repr(item))
        else:
            yield item


def _line_of(event: Event, ordinal: int) -> int:
    where = (event.source or "").rpartition(":")[2]
    return int(where) if where.isdigit() else ordinal
