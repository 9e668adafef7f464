"""The plugin kit: everything a livemoney plugin needs, and nothing else of the host.

    from livemoney.kit import Gift, Money, Setting, SettingTable, hookimpl, valuation

A plugin imports only `livemoney` (whose names include these) and `livemoney.kit`; every other module
of livemoney may change between releases. Beside the re-exported models, settings, records, exchange
rates, valuation helpers and errors, the kit holds the rules that more than one platform shares, each
once: `PlatformPlugin` (a platform plugin's hook implementations), `UnitsInPacks` (Stars: units bought
in packs), `likes_earn_nothing`, `sale_fee_unknown`, `feature_unknown`, `valued_or_unknown`,
`exact_amount` and `equals_exact` (receipt lines) and `commission`. docs/kit.md lists every name with
one line.
"""

from livemoney.core.fx import FxRate, ecb_rates
from livemoney.core.models import (
    EVENT_TYPES,
    NO_MONEY,
    NOT_READ,
    REPEAT,
    UNKNOWN,
    Context,
    Copies,
    Decoder,
    Donation,
    DonationFeature,
    Event,
    Gift,
    Like,
    LikeOutcome,
    Platform,
    Reader,
    Rejected,
    Rule,
    Sale,
    Setting,
    Share,
    Skipped,
    Source,
    Sponsorship,
    Valuation,
    WithCopies,
    event_date,
    skipped,
    to_guest,
    unchecked,
    utc_date,
)
from livemoney.core.money import Money, exact_text, is_currency, minor_unit, plain, to_decimal
from livemoney.core.records import (
    UNACCOUNTED,
    Accounting,
    decoder_reader,
    first_char,
    first_record,
    get,
    is_sse,
    iter_lines,
    iter_records,
    line_of,
    loads,
    raw_text,
    read_with_decoder,
    require,
    split_prefix,
    timestamp,
)
from livemoney.core.settings import Resolved, SettingTable, parse_value, resolve
from livemoney.core.untrusted import MAX_AMOUNT, MAX_COUNT, TooLong, length_problem
from livemoney.core.untrusted import lines as line_chunks
from livemoney.core.valuation import rate_date, unknown_valuation, valuation
from livemoney.errors import CurrencyMismatch, FieldError, FxError, LivemoneyError, PluginError, SettingError
from livemoney.kit.commission import commission
from livemoney.kit.decoders import RecordDecoder
from livemoney.kit.defaults import feature_unknown, likes_earn_nothing, sale_fee_unknown, valued_or_unknown
from livemoney.kit.packs import UnitsInPacks
from livemoney.kit.platform import PlatformPlugin, Valuations
from livemoney.kit.receipts import equals_exact, exact_amount
from livemoney.kit.recent import RECENT_MESSAGES, Recent
from livemoney.pluginsys.hookspecs import CHANNELS, PURCHASE_CHANNEL, hookimpl

__all__ = [
    "CHANNELS",
    "EVENT_TYPES",
    "MAX_AMOUNT",
    "MAX_COUNT",
    "NOT_READ",
    "NO_MONEY",
    "PURCHASE_CHANNEL",
    "RECENT_MESSAGES",
    "REPEAT",
    "UNACCOUNTED",
    "UNKNOWN",
    "Accounting",
    "Context",
    "Copies",
    "CurrencyMismatch",
    "Decoder",
    "Donation",
    "DonationFeature",
    "Event",
    "FieldError",
    "FxError",
    "FxRate",
    "Gift",
    "Like",
    "LikeOutcome",
    "LivemoneyError",
    "Money",
    "Platform",
    "PlatformPlugin",
    "PluginError",
    "Reader",
    "Recent",
    "RecordDecoder",
    "Rejected",
    "Resolved",
    "Rule",
    "Sale",
    "Setting",
    "SettingError",
    "SettingTable",
    "Share",
    "Skipped",
    "Source",
    "Sponsorship",
    "TooLong",
    "UnitsInPacks",
    "Valuation",
    "Valuations",
    "WithCopies",
    "commission",
    "decoder_reader",
    "ecb_rates",
    "equals_exact",
    "event_date",
    "exact_amount",
    "exact_text",
    "feature_unknown",
    "first_char",
    "first_record",
    "get",
    "hookimpl",
    "is_currency",
    "is_sse",
    "iter_lines",
    "iter_records",
    "length_problem",
    "likes_earn_nothing",
    "line_chunks",
    "line_of",
    "loads",
    "minor_unit",
    "parse_value",
    "plain",
    "rate_date",
    "raw_text",
    "read_with_decoder",
    "require",
    "resolve",
    "sale_fee_unknown",
    "skipped",
    "split_prefix",
    "timestamp",
    "to_decimal",
    "to_guest",
    "unchecked",
    "unknown_valuation",
    "utc_date",
    "valuation",
    "valued_or_unknown",
]
