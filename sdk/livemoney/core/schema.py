"""The canonical event schema, derived from one declaration: the attrs fields of the events.

Each event field of `livemoney.core.models` carries ``metadata`` (`livemoney.core.models.schema`): how the
canonical log writes it (``json``: text, id, count, money, time, choice ...), whether it is *identity*
(who, when, which message: not what was paid for) and whether it is part of the *fingerprint* that tells
apart two different events sharing an id. Everything that depends on the fields is derived here, once:

- `fields`: an event type's fields, with their metadata, in declaration order; `read_order` the order
  the reader checks them in (so that a record with two problems reports the same one every time);
- `event_key`: what a valuation depends on (the event without its identity, its time as a UTC date);
- `fingerprint` and `millis`: what makes two events with one id the same event;
- `line_decoder` and `RAW_KEYS`: the fast path's typed decoder of a canonical line and, per type, the
  tuple of raw values that stands for a line's valuation key. The fingerprint and the raw keys are
  small functions written from the fields and compiled once (`compiled`), as attrs writes ``__init__``;
- `EVENT_COLUMNS` and `KEY_COLUMNS`: an event and its valuation key as the columns of a table (Parquet,
  DuckDB, Spark, the rate card: `livemoney.engine.ratecard`), `key_row` and `key_event` a key's columns
  and an event that has it.

The canonical reader and writer (`livemoney.core.canonical`) read and write by `fields` too.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import types
import typing
from collections.abc import Callable, Iterable
from typing import Any, Literal, TypeVar

import attrs
import msgspec

from livemoney.core.models import EVENT_TYPES, Event, utc_date
from livemoney.core.money import Money
from livemoney.core.records import EPOCH

T = TypeVar("T")


@attrs.frozen(slots=True)
class Field:
    """One event field as the canonical format sees it (see `livemoney.core.models.schema`)."""

    name: str
    json: str
    identity: bool
    fingerprint: bool
    choices: tuple[str, ...]
    default: Any
    """The attrs default (`attrs.NOTHING` for a field a record must give)."""

    @property
    def required(self) -> bool:
        """Whether a record must give the field (it has no default)."""
        return self.default is attrs.NOTHING


def per_class(compute: Callable[[type[Event]], T]) -> Callable[[type[Event]], T]:
    """``compute``, computed once per event class (classes are few, and fixed once imported)."""
    found: dict[type[Event], T] = {}

    def cached(cls: type[Event]) -> T:
        try:
            return found[cls]
        except KeyError:
            result = found[cls] = compute(cls)
            return result

    return functools.wraps(compute)(cached)


@per_class
def fields(cls: type[Event]) -> tuple[Field, ...]:
    """The fields of the event type ``cls`` (or of `Event`, the fields every event has), in declaration order."""
    return tuple(
        Field(
            name=field.name,
            json=field.metadata["json"],
            identity=field.metadata["identity"],
            fingerprint=field.metadata["fingerprint"],
            choices=field.metadata["choices"],
            default=field.default,
        )
        for field in attrs.fields(cls)
    )


KINDS = tuple(EVENT_TYPES)
"""The event types a canonical record names in ``type``: ``gift``, ``donation``, ``like`` ..."""
COMMON = fields(Event)
"""The fields every event has (platform, viewer, time, stream, id, source)."""
PLATFORM = next(field.name for field in COMMON if field.json == "platform")
TIME = next(field.name for field in COMMON if field.json == "time")
CURRENCY = "currency"
"""The canonical record writes a ``money`` field ``name`` as ``name`` (the amount) and ``currency``."""


@per_class
def own_fields(cls: type[Event]) -> tuple[Field, ...]:
    """The fields of the event type ``cls`` beyond the common ones (``gift``, ``count``, ``amount`` ...)."""
    common = {field.name for field in COMMON}
    return tuple(field for field in fields(cls) if field.name not in common)


def _rank(field: Field) -> int:
    """What the reader checks first among a type's own fields: what was paid for, how many, how much."""
    if field.json == "text" and field.required:
        return 0
    return {"count": 1, "money": 2}.get(field.json, 3)


@per_class
def read_order(cls: type[Event]) -> tuple[Field, ...]:
    """The order in which the reader checks a record of type ``cls``: the common fields, then the own ones
    by `_rank` (a record with several problems is rejected for the first)."""
    return (*COMMON, *sorted(own_fields(cls), key=_rank))


# --- what a valuation depends on ------------------------------------------------------------------


@per_class
def value_fields(cls: type[Event]) -> tuple[str, ...]:
    """The names of the fields of ``cls`` that are not identity: those a valuation may depend on."""
    return tuple(field.name for field in fields(cls) if not field.identity)


def event_key(event: Event) -> tuple[Any, ...]:
    """What a valuation depends on: the event without its identity, its time reduced to the UTC date."""
    return (
        getattr(event, PLATFORM),
        event.kind,
        utc_date(getattr(event, TIME)),
        *(getattr(event, name) for name in value_fields(type(event))),
    )


def millis(moment: dt.datetime | None) -> int | None:
    """An aware time as whole milliseconds since 1970 (``None`` for none): how a fingerprint sees time.

    Milliseconds, the coarsest precision capture tools keep (pytchat keeps YouTube's microseconds as
    milliseconds), so the same message captured by two tools has one fingerprint.
    """
    return None if moment is None else (moment - EPOCH) // dt.timedelta(milliseconds=1)


def compiled(name: str, arguments: str, expression: str) -> Callable[..., Any]:
    """The function ``name(arguments)`` that returns ``expression``, written from the fields and compiled
    once, the way attrs writes ``__init__``: the fast path reads a line's fields by attribute loads, which
    Python specialises, rather than through a generic getter (a third of the time of a line's key)."""
    namespace: dict[str, Any] = {}
    source = f"def {name}({arguments}):\n    return {expression}\n"
    exec(compile(source, f"<livemoney.core.schema: {name}>", "exec"), namespace)  # noqa: S102 - our own fields
    return namespace[name]


def _loads(item: str, names: Iterable[str]) -> str:
    """``item.a, item.b`` for ``names`` (each checked to be a field name, not code)."""
    checked = [name for name in names if name.isidentifier()]
    if len(checked) != len(names := tuple(names)):
        raise ValueError(f"not field names: {names}")
    return ", ".join(f"{item}.{name}" for name in checked)


FINGERPRINT = tuple(f.name for f in COMMON if f.fingerprint and f.json != "time")
"""The fingerprint fields but the time: ``viewer`` (not the stream (room) id, which some tools leave out)."""

fingerprint: Callable[[int, int | None, Any], int] = compiled(
    "fingerprint", "key_hash, moment, item", f"hash((key_hash, moment, {_loads('item', FINGERPRINT)}))"
)
"""``fingerprint(key_hash, moment, item)``: what makes two events with one id the same event, the hash of
their valuation key (``key_hash``), their time (in `millis`) and their other `FINGERPRINT` fields, read
from ``item``: an `Event`, or a line of the fast path (`line_decoder`), whose fields have the same names."""


# --- the fast path --------------------------------------------------------------------------------

_LINE_TYPES: dict[str, Any] = {
    "text": str | None,
    "id": str | None,
    "count": int | None,
    "time": str | int | None,
    "choice": str | None,
}


def _line_fields() -> list[tuple[str, Any, None]]:
    """The typed fields of a canonical line, in the order the writer writes them (``type``, ``platform``
    and the ``platform`` literal aside): every type's own fields, then the common ones."""
    found: dict[str, Any] = {}
    for field in (*(f for cls in EVENT_TYPES.values() for f in own_fields(cls)), *COMMON):
        if field.json == "money":
            found.setdefault(field.name, str | int | None)
            found.setdefault(CURRENCY, str | None)
        elif field.json in _LINE_TYPES:
            found.setdefault(field.name, _LINE_TYPES[field.json])
    return [(name, kind, None) for name, kind in found.items()]


@functools.cache
def line_decoder(platforms: frozenset[str], nulls: bool = True) -> msgspec.json.Decoder:
    """A decoder of canonical records whose fields have their usual JSON types, ``platform`` one of ``platforms``.

    It refuses any other record, which then takes the full path of `livemoney.core.canonical.decode_line`;
    with ``nulls=False`` also any record with a field written as ``null`` (else read as a field left out,
    which a choice may not be: the valuer's fast path lets the decoder refuse them rather than look for
    ``null`` in every line).
    ``type`` and ``platform`` are literals, so each comes back as one shared string (hashed once, compared
    by identity). A ``money`` amount is kept as its decimal string (or whole number), never a Decimal
    (hashing one is slow) nor a float: a fraction written as a JSON number takes the full path, which reads
    it exactly. An ``id`` field is a string (a whole number takes the full path, which reads its digits).
    Each line is checked when the reader reads the first line of its key (`RAW_KEYS`).

    The line's first fields are `RAW_FIELDS`, in that order (the identity fields after them): the first
    ``len(RAW_FIELDS)`` values of ``msgspec.structs.astuple(line)`` are its raw values, which the valuer's
    chunk path takes a slice of (a quarter quicker than an attribute load each).
    """
    platform_type = Literal[tuple(sorted(platforms))] | None if platforms else None
    by_name = {name: (name, kind, None) for name, kind, _ in _line_fields()}
    by_name["type"], by_name[PLATFORM] = ("type", Literal[KINDS] | None, None), (PLATFORM, platform_type, None)
    fields = [by_name.pop(name) for name in RAW_FIELDS] + list(by_name.values())
    if not nulls:  # a field's type without None: msgspec refuses a null, and still defaults a field left out
        fields = [(name, _without_none(kind), default) for name, kind, default in fields]
    line = msgspec.defstruct("Line", fields, gc=False)
    return msgspec.json.Decoder(line)


def _without_none(kind: Any) -> Any:
    """``kind``, a type or a union of types with None, that refuses a null: the union without None; None
    alone (the platform's when no platform is known) becomes ``msgspec.UnsetType``, which refuses any value."""
    if kind is None:
        return msgspec.UnsetType
    if typing.get_origin(kind) not in (typing.Union, types.UnionType):
        return kind
    return functools.reduce(operator.or_, [each for each in typing.get_args(kind) if each is not type(None)])


def _raw_names(cls: type[Event]) -> tuple[str, ...]:
    names: list[str] = []
    for field in fields(cls):
        if not field.identity:
            names.extend((field.name, CURRENCY) if field.json == "money" else (field.name,))
    return tuple(names)


RAW_KEYS: dict[str, Callable[[Any], tuple[Any, ...]]] = {
    kind: compiled(f"raw_key_{kind}", "line", f"({_loads('line', ('type', PLATFORM, *_raw_names(cls)))},)")
    for kind, cls in EVENT_TYPES.items()
}
"""Per type, the raw values of a decoded line (`line_decoder`) that decide its valuation, ``type`` and
``platform`` (as written, maybe none) first: with the line's UTC date and the reader's default platform,
they stand for its `event_key` (equal raw values read as equal events)."""

RAW_FIELDS: tuple[str, ...] = tuple(
    dict.fromkeys(("type", PLATFORM, *(name for cls in EVENT_TYPES.values() for name in _raw_names(cls))))
)
"""Every field the raw key of any type reads (`RAW_KEYS`), ``type`` and ``platform`` first: two lines with
equal values of all of them have equal raw keys, whatever their type. The fast path reads a chunk of lines'
`RAW_FIELDS` at once (a slice of ``msgspec.structs.astuple``: they are a `line_decoder` line's first fields, in
C) and maps each distinct tuple to the raw key of its first line; such a tuple is longer than any type's raw key, so the two never compare equal."""

if len(RAW_FIELDS) <= max(len(_raw_names(cls)) + 2 for cls in EVENT_TYPES.values()):  # pragma: no cover
    raise AssertionError("RAW_FIELDS must be longer than every raw key (the fast path keeps both in one dict)")


# --- the event and its valuation key as table columns (Parquet, DuckDB, Spark, the rate card) ---------

DAY = "day"
"""The key's column of the UTC date of an event's time (``None`` for an event without one)."""


@attrs.frozen(slots=True)
class Column:
    """One column of a table of events or of valuation keys, derived from the fields.

    ``json`` is how the canonical log writes it (`livemoney.core.models.JSON_KINDS`), or ``"type"`` (the
    event type), ``"currency"`` (the currency of the ``money`` fields), ``"date"`` (the key's `DAY`).
    ``kinds`` are the event types that read it (a column of another type's field is ignored, as the
    canonical reader ignores fields a type does not have).
    """

    name: str
    json: str
    kinds: tuple[str, ...]


def _columns(names_of: Callable[[type[Event]], Iterable[Field]]) -> tuple[Column, ...]:
    """The columns of the fields ``names_of`` gives per event type, each once, in first-met order; a
    ``money`` field as its amount and `CURRENCY`."""
    found: dict[str, tuple[str, list[str]]] = {}
    for kind, cls in EVENT_TYPES.items():
        for field in names_of(cls):
            found.setdefault(field.name, (field.json, []))[1].append(kind)
            if field.json == "money":
                found.setdefault(CURRENCY, ("currency", []))[1].append(kind)
    return tuple(Column(name, json, tuple(dict.fromkeys(kinds))) for name, (json, kinds) in found.items())


def _value_fields_of(cls: type[Event]) -> tuple[Field, ...]:
    return tuple(field for field in fields(cls) if not field.identity)


_PLATFORM_COLUMN = Column(PLATFORM, "platform", KINDS)

EVENT_COLUMNS: tuple[Column, ...] = (
    Column("type", "type", KINDS),
    _PLATFORM_COLUMN,
    *_columns(own_fields),
    *(Column(field.name, field.json, KINDS) for field in COMMON if field.json not in ("platform", "position")),
)
"""A canonical event as a table row: ``type``, ``platform``, every type's own fields (a ``money`` field as
``amount`` and ``currency``), then the common ones (``viewer``, ``ts``, ``stream``, ``id``), in the order the
canonical log writes them; the ``source`` (a position, not part of the event) is no column."""

KEY_COLUMNS: tuple[Column, ...] = (
    _PLATFORM_COLUMN,
    Column("type", "type", KINDS),
    Column(DAY, "date", KINDS),
    *_columns(_value_fields_of),
)
"""The valuation key (`event_key`) as columns: ``platform``, ``type``, `DAY` (the UTC date of the event's
time), then each type's fields that are not identity (``gift``, ``count``, ``amount``, ``currency`` ...);
a column that is not of the key's type is ``None``."""


def key_row(key: tuple[Any, ...]) -> dict[str, Any]:
    """A valuation key (`event_key`) as its `KEY_COLUMNS`: ``{"platform": ..., "type": ..., "day": ...,
    "gift": ..., "amount": Decimal | None, "currency": ...}``, ``None`` in the columns of other types."""
    platform, kind, day, *values = key
    row: dict[str, Any] = dict.fromkeys(column.name for column in KEY_COLUMNS)
    row.update({PLATFORM: platform, "type": kind, DAY: day})
    for name, value in zip(value_fields(EVENT_TYPES[kind]), values):
        if isinstance(value, Money):
            row[name], row[CURRENCY] = value.amount, value.currency
        else:
            row[name] = value
    return row


def key_event(key: tuple[Any, ...]) -> Event:
    """An event whose valuation key (`event_key`) is ``key``: its time the start (UTC) of the key's day.

    Valuations depend on the key only (hooks are pure), so this event stands for every event of the key.
    """
    platform, kind, day, *values = key
    cls = EVENT_TYPES[kind]
    ts = None if day is None else dt.datetime.combine(day, dt.time(), dt.UTC)
    return cls(**{PLATFORM: platform, TIME: ts}, **dict(zip(value_fields(cls), values)))
