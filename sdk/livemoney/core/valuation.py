"""Building one `Valuation`: convert to the report currency, keep exact amounts, keep the invariant.

Plugins compute exact amounts in whatever currency their rule speaks (USD per diamond, the viewer's
yen) and hand them to `valuation`; it converts each to ``context.currency`` with the context's
exchange rates on the event's date and keeps it to `livemoney.core.money.EXACT_PLACES` decimal places
(half-even): gross, the running total of the shares (each share is its running total less the one
before), and a fixed net. Nothing is rounded to the minor unit here: a report sums exact amounts and
rounds each figure once, where it is shown (a single Rose earns the creator 0.005 USD, and 10,000 of
them 50.00 USD). The residual party (the creator's net by default) takes what is left, so that
``gross == sum(shares) + net`` holds exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from livemoney.core.models import Context, Event, Share, Source, Valuation, summary_line, utc_date
from livemoney.core.money import EXACT_PLACES, SUMS, Money, add_all, exact, is_currency
from livemoney.core.untrusted import shown_answer


def valuation(
    *,
    platform: str,
    kind: str,
    event: Event | None,
    context: Context,
    gross: Money,
    shares: Iterable[tuple[str, Money, Source | None]] = (),
    net: Money | None = None,
    residual: str | None = None,
    units: Mapping[str, Decimal] | None = None,
    explain: Iterable[str] = (),
    unknown: bool = False,
    reason: str | None = None,
) -> Valuation:
    """A `Valuation` in ``context.currency`` from exact amounts.

    :param gross: what the viewer paid, in money (not platform units).
    :param shares: ``(party, amount, source)`` for each party that takes a cut.
    :param net: what the creator keeps, when the rule fixes it (TikTok pays per diamond); then the
        ``residual`` party takes ``gross - shares - net`` and any rounding. Without ``net``, the
        creator keeps the rest and any rounding.

    Amounts in another currency are converted with the rate of the event's own date (else
    ``context.as_of``, else the latest rate).
    """
    lines = list(explain)
    on = rate_date(event, context)
    rates = context.rates()
    used: dict[str, None] = {}

    def convert(money: Money) -> Money:
        converted, rate = rates.convert(money, context.currency, on)
        if rate is not None:
            used[rate.describe()] = None
        return converted

    currency = context.currency
    gross_x = exact(convert(gross).amount, currency)
    # Each share is the running total (to EXACT_PLACES) less the total before it, so the shares add up
    # to the sum of the exact shares and net never drifts.
    shares_x = []
    running = Decimal(0)
    taken = Decimal(0)
    for party, amount, source in shares:
        running = SUMS.add(running, convert(amount).amount)
        upto = exact(running, currency)
        shares_x.append(Share(party, Money(exact(SUMS.subtract(upto, taken), currency), currency), source))
        taken = upto
    if net is None:
        net_x = Money(exact(SUMS.subtract(gross_x, taken), currency), currency)
    else:
        if residual is None:
            raise ValueError("valuation: a fixed net needs a residual party to take the rest")
        net_x = Money(exact(convert(net).amount, currency), context.currency)
        rest = Money(exact(SUMS.subtract(SUMS.subtract(gross_x, taken), net_x.amount), currency), currency)
        shares_x.append(Share(residual, rest, None))
    lines.extend(f"exchange: {line}" for line in used)
    gross_m = Money(gross_x, context.currency)
    lines.append(summary_line(gross_m, tuple(shares_x), net_x, residual if net is not None else None))
    return Valuation(
        platform=platform,
        kind=kind,
        gross=gross_m,
        shares=tuple(shares_x),
        net=net_x,
        units=dict(units or {}),
        explain=tuple(lines),
        event=event,
        unknown=unknown,
        reason=reason,
        residual=residual if net is not None else None,
    )


def rate_date(event: Event | None, context: Context) -> dt.date | None:
    """The date whose exchange rate converts ``event``'s money: its own date, else ``context.as_of``."""
    own = utc_date(event.ts) if event is not None else None
    return own if own is not None else context.as_of


def unknown_valuation(
    *,
    platform: str,
    kind: str,
    event: Event | None,
    context: Context,
    reason: str,
    units: Mapping[str, Decimal] | None = None,
    explain: Iterable[str] = (),
) -> Valuation:
    """A `Valuation` that says no source gives the figure needed: zero amounts, ``unknown=True``."""
    zero = Money.zero(context.currency)
    return Valuation(
        platform=platform,
        kind=kind,
        gross=zero,
        shares=(),
        net=zero,
        units=dict(units or {}),
        explain=(*explain, f"unknown: {reason}"),
        event=event,
        unknown=True,
        reason=reason,
    )


# --- checking a valuation -------------------------------------------------------------------


def decimal_places(value: Decimal) -> int:
    """How many decimal places ``value`` needs (``1.50`` needs 1, ``100`` none); never rounds or raises."""
    _sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0") or "0")
    return max(0, -exponent - trailing)


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


def valuation_problems(
    valuation: Valuation, currency: str | None = None, *, platform: str | None = None, kind: str | None = None
) -> list[str]:
    """What breaks the invariants of a `Valuation` (empty when none does): the one check of a valuation,
    made where a plugin's valuation comes back to the engine and by ``livemoney plugins --check``.

    - it is of ``platform`` and ``kind`` when given (the event's: what was asked for);
    - every amount is money (an ISO code, not a platform unit), in ``currency`` when given (else in one
      currency), exact to `livemoney.core.money.EXACT_PLACES` decimal places at most;
    - ``gross == sum(shares) + net``; gross and each share are not negative, and the shares together
      are not above gross (net is not negative);
    - no float anywhere in the valuation or its event (attrs fields, mappings and sequences walked);
    - an unknown valuation says why (``reason``).
    """
    problems = []
    if platform is not None and valuation.platform != platform:
        problems.append(f"it is booked under platform {valuation.platform!r}, not {platform!r} (the event's)")
    if kind is not None and valuation.kind != kind:
        problems.append(f"it values a {valuation.kind!r}, not the {kind!r} asked for")
    expected = currency or valuation.gross.currency
    body = _body(valuation, expected)
    found: list[str] = []
    sound = _SOUND.get(body) if body is not None else None
    if sound is not None and _immutable(valuation) and sound[1] == _amounts(valuation):
        # Its amounts and explanation passed before, and are still what they were: only the rest is walked.
        for name in _REST:
            item = getattr(valuation, name)
            if type(item) not in _LEAVES:
                _walk(item, f"valuation.{name}", found)
    else:
        problems.extend(_amount_problems(valuation, expected))
        _walk(valuation, "valuation", found)
    problems.extend(f"{path} is a float" for path in found)
    if valuation.unknown and not (valuation.reason or "").strip():
        problems.append("it is unknown but gives no reason")
    if body is not None and not problems and sound is None and _immutable(valuation):
        if len(_SOUND) >= SOUND_KEPT:
            _SOUND.clear()
        _SOUND[body] = (valuation, _amounts(valuation))
    return problems


def _amount_problems(valuation: Valuation, expected: str) -> list[str]:
    """What breaks `valuation_problems`'s rules on a valuation's amounts (in ``expected``, the currency)."""
    problems = []
    parts = valuation.shares
    if type(parts) is not tuple or not all(type(share) is Share for share in parts):
        return [f"its shares are {shown_answer(parts)}, not a tuple of Share"]
    money = [("gross", valuation.gross), ("net", valuation.net)]
    money += [(f"share of {share.party}", share.amount) for share in parts]
    sound = True
    for label, amount in money:
        if type(amount) is not Money or type(amount.amount) is not Decimal or type(amount.currency) is not str:
            # Only a class changed behind its validators (``object.__setattr__``) gets here: said, never raised.
            problems.append(f"{label} is {shown_answer(amount)}, not a Money of a Decimal")
        elif amount.currency != expected:
            problems.append(f"{label} is in {amount.currency}, not {expected}")
        elif not is_currency(amount.currency):
            problems.append(f"{label} is in {amount.currency}, a platform unit, not money")
        elif _exponent(amount.amount) < -EXACT_PLACES and decimal_places(amount.amount) > EXACT_PLACES:
            problems.append(f"{label} {amount} has more than {EXACT_PLACES} decimal places")
        else:
            continue
        sound = False
    if sound:
        shares = add_all(share.amount.amount for share in valuation.shares)
        if valuation.gross.amount != SUMS.add(shares, valuation.net.amount):
            problems.append(f"gross {valuation.gross} != shares {shares} + net {valuation.net}")
        if valuation.gross.amount < 0:
            problems.append(f"gross {valuation.gross} is negative")
        problems.extend(
            f"share of {share.party} {share.amount} is negative"
            for share in valuation.shares
            if share.amount.amount < 0
        )
        if shares > valuation.gross.amount:
            problems.append(
                f"the shares ({Money(shares, expected)}) are above gross ({valuation.gross}): net {valuation.net} < 0"
            )
    return problems


SOUND_KEPT = 1024
"""How many sound valuation bodies `valuation_problems` keeps (`_SOUND`); more clears them and starts again."""

_SOUND: dict[tuple[int, int, int, int, str], tuple[Valuation, tuple[Any, ...]]] = {}
"""Valuations that passed `valuation_problems` with nothing wrong, by `_body`: the identities of their amounts
(gross, net, the shares) and explanation, and the currency they were checked in; with each, its `_amounts`.
A plugin that copies a checked valuation for another event (its own event and units, the same amounts:
Instagram's Badges of one price) gives the same objects again; their checks (money, exactness, the invariant,
no float) hold for them still when they are still `_immutable` values and their `_amounts` the same (frozen
classes can still be changed with ``object.__setattr__``: a breaker's plugin did, and is checked in full). The
valuation is kept with them, so that the objects stay alive and no other object can take their identities
while they are here."""

_REST = tuple(
    field.name for field in attrs.fields(Valuation) if field.name not in ("gross", "net", "shares", "explain")
)
"""The fields of a `Valuation` walked for floats again when its body is in `_SOUND` (the event, the units...)."""


def _body(valuation: Valuation, currency: str) -> tuple[int, int, int, int, str] | None:
    """The key of ``valuation``'s amounts and explanation in `_SOUND` (``None``: not a `Valuation` exactly)."""
    if type(valuation) is not Valuation:
        return None
    return (id(valuation.gross), id(valuation.net), id(valuation.shares), id(valuation.explain), currency)


def _amounts(valuation: Valuation) -> tuple[Any, ...]:
    """What `valuation_problems` checked of ``valuation``'s amounts, as values: compared on each use of `_SOUND`."""
    return (
        valuation.gross.amount,
        valuation.gross.currency,
        valuation.net.amount,
        valuation.net.currency,
        tuple((share.party, share.amount.amount, share.amount.currency, share.source) for share in valuation.shares),
    )


def _immutable(valuation: Valuation) -> bool:
    """Whether ``valuation``'s amounts and explanation cannot change: `Money` of a `Decimal` and a text,
    a tuple of `Share` (a text, such `Money`, no `Source` or one of texts), a tuple of texts."""
    if not (_fixed_money(valuation.gross) and _fixed_money(valuation.net)):
        return False
    if type(valuation.shares) is not tuple or type(valuation.explain) is not tuple:
        return False
    for share in valuation.shares:
        if type(share) is not Share or type(share.party) is not str or not _fixed_money(share.amount):
            return False
        source = share.source
        if source is not None and not (
            type(source) is Source and all(type(getattr(source, f.name)) in _TEXT for f in attrs.fields(Source))
        ):
            return False
    return all(type(line) is str for line in valuation.explain)


_TEXT = frozenset({str, type(None)})


def _fixed_money(money: Any) -> bool:
    return type(money) is Money and type(money.amount) is Decimal and type(money.currency) is str


def floats(value: Any, path: str) -> list[str]:
    """The path of every float in ``value``, walking attrs fields, mappings and sequences."""
    found: list[str] = []
    _walk(value, path, found)
    return found


_LEAVES = frozenset({str, int, bool, Decimal, type(None), dt.datetime, dt.date})
"""Types that hold no float: not walked (most of a valuation's fields, an event's time), so a check stays
cheap. (A time's parts are whole numbers; the walk never looked inside one.)"""

_ATTRS_FIELDS: dict[type, tuple[str, ...] | None] = {}
"""The names of the attrs fields of each class met by `_walk` (``None``: not an attrs class), found once."""

_UNSEEN: tuple[str, ...] = ("(not yet met)",)


def _walk(value: Any, path: str, found: list[str]) -> None:
    kind = type(value)
    if kind in _LEAVES:
        return
    names = _ATTRS_FIELDS.get(kind, _UNSEEN)
    if names is _UNSEEN:
        names = _ATTRS_FIELDS[kind] = tuple(field.name for field in attrs.fields(kind)) if attrs.has(kind) else None
    if isinstance(value, float):
        found.append(path)
    elif names is not None:
        for name in names:
            item = getattr(value, name)
            if type(item) not in _LEAVES:
                _walk(item, f"{path}.{name}", found)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if type(key) not in _LEAVES:
                _walk(key, f"{path} key {key!r}", found)
            if type(item) not in _LEAVES:
                _walk(item, f"{path}[{key!r}]", found)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for index, item in enumerate(value):
            if type(item) not in _LEAVES:
                _walk(item, f"{path}[{index}]", found)
