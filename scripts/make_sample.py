"""A seeded, realistic multi-platform live-stream log in livemoney's canonical JSON Lines format.

    python scripts/make_sample.py --events 2000 --seed 7 --start 2026-11-01T20:00:00Z --out sample.jsonl

Events arrive as a Poisson process whose rate jumps at stream start and after every whale gift, then
decays back. Amounts are heavy-tailed: most TikTok gifts are 1-coin Roses in streaks, a few are Lions.
The same arguments always give the same bytes. Standard library only (orjson is used when installed:
its output is byte-identical to the `json` fallback's).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import sys
from bisect import bisect
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, BinaryIO

try:
    import orjson
except ImportError:  # pragma: no cover - depends on the environment
    orjson = None

PLATFORMS = ("tiktok", "youtube", "facebook", "instagram")
ID_PREFIX = {"tiktok": "tt", "youtube": "yt", "facebook": "fb", "instagram": "ig"}
DEFAULT_START = "2026-11-01T20:00:00Z"

# The stream: about 2 hours at the sample's size, at most MAX_RATE events a second for big logs.
STREAM_SECONDS = 7200
MAX_RATE = 25.0
# Bursts: an extra rate on top of the base rate, decaying exponentially with BURST_SECONDS. The stream
# opens at (1 + START_BOOST) times the base rate; each whale gift (WHALE_COINS or more) brings about
# WHALE_EVENTS more events, whatever the base rate (so a big stream does not snowball).
BURST_SECONDS = 60.0
START_BOOST = 3.0
WHALE_COINS = 1000
WHALE_EVENTS = 40
BURST_SHARE = 0.1  # about the share of events bursts bring: left out of the base rate

# (name, coins, relative frequency): the community gift catalogue; the frequency falls with the price.
GIFTS = (
    ("Rose", 1, 300),
    ("TikTok", 1, 60),
    ("GG", 1, 60),
    ("Ice Cream Cone", 1, 60),
    ("Heart Me", 1, 80),
    ("Finger Heart", 5, 60),
    ("Rosa", 10, 30),
    ("Perfume", 20, 25),
    ("Doughnut", 30, 20),
    ("Hand Hearts", 100, 12),
    ("Confetti", 100, 8),
    ("Corgi", 299, 4),
    ("Money Gun", 500, 3),
    ("Swan", 699, 2),
    ("Galaxy", 1000, 1.5),
    ("Fireworks", 1088, 1),
    ("Whale diving", 2150, 0.6),
    ("Sports Car", 7000, 0.4),
    ("Interstellar", 10000, 0.3),
    ("Lion", 29999, 0.2),
    ("TikTok Universe", 44999, 0.1),
)
STREAK_MAX_COINS = 30  # gifts up to this price come in streaks of 1..20; dearer ones one at a time
MYSTERY_SHARE = 0.01
MYSTERY_COINS = ("5", "15", "50", "150", "450", "1500")

# Super Chat tiers per currency, cheapest first; TIER_WEIGHTS favours the small ones.
SUPER_CHAT = {
    "USD": ("1.00", "2.00", "5.00", "10.00", "20.00", "50.00", "100.00", "200.00", "500.00"),
    "EUR": ("1.00", "2.00", "5.00", "10.00", "20.00", "50.00", "100.00", "200.00", "400.00"),
    "GBP": ("1.00", "2.00", "5.00", "10.00", "20.00", "50.00", "100.00", "200.00", "300.00"),
    "JPY": ("100", "200", "500", "800", "1000", "2000", "5000", "10000", "50000"),
}
TIER_WEIGHTS = (20, 28, 24, 13, 7, 4, 2, 1, 0.5)
CURRENCY_WEIGHTS = {"USD": 60, "EUR": 15, "GBP": 12, "JPY": 13}
SUPER_STICKERS = (("0.99", 25), ("2.00", 35), ("4.99", 20), ("10.00", 12), ("20.00", 6), ("49.99", 2))
STARS = (("10", 30), ("50", 25), ("100", 25), ("500", 12), ("1000", 6), ("5000", 2))
BADGES = (("0.99", 50), ("1.99", 30), ("4.99", 20))
PRODUCTS = (
    ("Sticker pack", "4.99", 30),
    ("Phone case", "14.99", 25),
    ("T-shirt", "25.00", 25),
    ("Hoodie", "49.00", 12),
    ("Ring light", "39.99", 8),
)
BRANDS = ("Acme", "Globex", "Initech", "Umbrella Energy", "Hooli")
SPONSOR_AMOUNTS = ("250.00", "500.00", "1000.00", "1500.00")

# Odd but harmless viewer names (every log) and names that attack a careless renderer (--hostile-names).
ODD_NAMES = ("Zoë 🌹", "山田太郎", "أحمد", "Ñandú_99", "👨‍👩‍👧 family")
HOSTILE_NAMES = ("<img src=x onerror=alert(1)>", '=HYPERLINK("http://x")', 'Smith, "Jr."')
ODD_RANKS = (2, 5, 9, 14, 20, 27, 35, 44)  # pool positions of these names: active enough to show up


class Picker:
    """Draws one of ``items`` with probability proportional to its weight."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


def viewer_pool(size: int, hostile_names: bool) -> list[str]:
    """``viewer0001``... with the odd (and, if asked, hostile) names at fixed, fairly active ranks."""
    width = max(4, len(str(size)))
    pool = [f"viewer{number:0{width}d}" for number in range(1, size + 1)]
    odd = ODD_NAMES + (HOSTILE_NAMES if hostile_names else ())
    for rank, name in zip(ODD_RANKS, odd):
        if rank < size:
            pool[rank] = name
    return pool


def parse_start(text: str) -> dt.datetime:
    """An ISO-8601 time with a zone (``Z`` allowed), as UTC."""
    start = dt.datetime.fromisoformat(text)
    if start.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone (add Z)")
    return start.astimezone(dt.UTC)


def _tiktok_gift(rng: random.Random) -> dict[str, Any]:
    if rng.random() < MYSTERY_SHARE:
        coins = MYSTERY_COINS[rng.randrange(len(MYSTERY_COINS))]
        count = rng.randint(1, 3)
        return {
            "type": "gift",
            "platform": "tiktok",
            "gift": "Mystery Box",
            "count": count,
            "amount": coins,
            "currency": "coins",
        }
    name, coins, _ = _GIFT.pick(rng)
    count = _streak(rng) if coins <= STREAK_MAX_COINS else 1
    return {"type": "gift", "platform": "tiktok", "gift": name, "count": count}


def _streak(rng: random.Random) -> int:
    """A streak of 1..20, mostly short (geometric, mean about 3)."""
    return min(20, 1 + int(rng.expovariate(1 / 2.5)))


def _like(platform: str):
    def make(rng: random.Random) -> dict[str, Any]:
        return {"type": "like", "platform": platform, "count": rng.randint(1, 15)}

    return make


def _tiktok_sale(rng: random.Random) -> dict[str, Any]:
    product, price = _PRODUCT.pick(rng)
    return {"type": "sale", "platform": "tiktok", "amount": price, "currency": "USD", "product": product}


def _super_chat(rng: random.Random) -> dict[str, Any]:
    currency = _CURRENCY.pick(rng)
    amount = SUPER_CHAT[currency][_TIER.pick(rng)]
    return {"type": "donation", "platform": "youtube", "feature": "super_chat", "amount": amount, "currency": currency}


def _super_sticker(rng: random.Random) -> dict[str, Any]:
    return {
        "type": "donation",
        "platform": "youtube",
        "feature": "super_sticker",
        "amount": _STICKER.pick(rng),
        "currency": "USD",
    }


def _membership(rng: random.Random) -> dict[str, Any]:
    return {"type": "donation", "platform": "youtube", "feature": "membership"}


def _stars(rng: random.Random) -> dict[str, Any]:
    return {
        "type": "donation",
        "platform": "facebook",
        "feature": "stars",
        "amount": _STAR.pick(rng),
        "currency": "stars",
    }


def _badge(rng: random.Random) -> dict[str, Any]:
    return {
        "type": "donation",
        "platform": "instagram",
        "feature": "badge",
        "amount": _BADGE.pick(rng),
        "currency": "USD",
    }


_GIFT = Picker(GIFTS, [weight for _, _, weight in GIFTS])
_TIER = Picker(range(len(TIER_WEIGHTS)), TIER_WEIGHTS)
_CURRENCY = Picker(list(CURRENCY_WEIGHTS), list(CURRENCY_WEIGHTS.values()))
_STICKER = Picker(*zip(*SUPER_STICKERS))
_STAR = Picker(*zip(*STARS))
_BADGE = Picker(*zip(*BADGES))
_PRODUCT = Picker([(name, price) for name, price, _ in PRODUCTS], [weight for _, _, weight in PRODUCTS])
WHALES = frozenset(name for name, coins, _ in GIFTS if coins >= WHALE_COINS)

# (platform, event maker, percent of events).
MIX = (
    ("tiktok", _tiktok_gift, 33),
    ("tiktok", _like("tiktok"), 30),
    ("tiktok", _tiktok_sale, 1),
    ("youtube", _super_chat, 7),
    ("youtube", _super_sticker, 2.5),
    ("youtube", _membership, 1.5),
    ("youtube", _like("youtube"), 3),
    ("facebook", _stars, 6),
    ("facebook", _like("facebook"), 3),
    ("instagram", _badge, 5),
    ("instagram", _like("instagram"), 3),
)


def generate(
    n: int,
    seed: int = 7,
    start: str = DEFAULT_START,
    hostile_names: bool = True,
    platforms: Iterable[str] = PLATFORMS,
    viewers: int = 300,
) -> Iterator[dict[str, Any]]:
    """``n`` canonical event records (dicts), in time order, the same for the same arguments."""
    platforms = [platform for platform in PLATFORMS if platform in set(platforms)]
    if not platforms:
        raise ValueError(f"no platform to generate (choose among {', '.join(PLATFORMS)})")
    rng = random.Random(seed)
    origin = parse_start(start)
    mix = [(maker, percent) for platform, maker, percent in MIX if platform in platforms]
    kind = Picker([maker for maker, _ in mix], [percent for _, percent in mix])
    pool = viewer_pool(viewers, hostile_names)
    audience = Picker(pool, [1 / rank for rank in range(1, viewers + 1)])  # a few regulars, a long tail
    brands = rng.sample(BRANDS, rng.randint(1, 3))
    sponsored = dict(zip(sorted(rng.sample(range(n), min(n, len(brands)))), brands))
    width = max(6, len(str(n - 1)))
    rate = min(n * (1 - BURST_SHARE) / STREAM_SECONDS, MAX_RATE)
    clock, extra = 0.0, START_BOOST * rate
    second, stamp = -1, ""
    for index in range(n):
        gap = rng.expovariate(rate + extra)
        clock += gap
        extra *= math.exp(-gap / BURST_SECONDS)
        if index in sponsored:
            platform = platforms[rng.randrange(len(platforms))]
            record = {
                "type": "sponsorship",
                "platform": platform,
                "amount": SPONSOR_AMOUNTS[rng.randrange(len(SPONSOR_AMOUNTS))],
                "currency": "USD",
                "brand": sponsored[index],
            }
        else:
            record = kind.pick(rng)(rng)
            record["viewer"] = audience.pick(rng)
            if record.get("gift") in WHALES:
                extra += WHALE_EVENTS / BURST_SECONDS
        if int(clock) != second:
            second = int(clock)
            stamp = (origin + dt.timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%SZ")
        record["ts"] = stamp
        record["id"] = f"{ID_PREFIX[record['platform']]}-{index:0{width}d}"
        yield record


def _dumps(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_jsonl(events: Iterable[dict[str, Any]], fp: BinaryIO) -> int:
    """Write ``events`` to the binary file ``fp``, one compact JSON object a line; return how many."""
    dumps = orjson.dumps if orjson is not None else _dumps
    count = 0
    buffer: list[bytes] = []
    for record in events:
        buffer.append(dumps(record))
        count += 1
        if len(buffer) == 10_000:
            fp.write(b"\n".join(buffer) + b"\n")
            buffer.clear()
    if buffer:
        fp.write(b"\n".join(buffer) + b"\n")
    return count


def start_text(text: str) -> str:
    """``text`` once checked to be an ISO-8601 time with a zone."""
    try:
        parse_start(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def platform_list(text: str) -> list[str]:
    """``tiktok,youtube`` → ``["tiktok", "youtube"]``, each checked."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in PLATFORMS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"choose among {', '.join(PLATFORMS)} (got {text!r})")
    return names


def at_least(low: int):
    """An argparse type: a whole number of at least ``low``."""

    def number(text: str) -> int:
        value = int(text)
        if value < low:
            raise argparse.ArgumentTypeError(f"{value} is less than {low}")
        return value

    return number


def arguments(description: str, events: int, viewers: int, hostile_names: bool) -> argparse.ArgumentParser:
    """The options both generators share (all but ``--out``), with their own defaults."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--events", type=at_least(0), default=events, help=f"how many events (default {events})")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument(
        "--start", type=start_text, default=DEFAULT_START, help=f"stream start, ISO-8601 UTC (default {DEFAULT_START})"
    )
    parser.add_argument(
        "--platforms",
        type=platform_list,
        default=list(PLATFORMS),
        help="comma-separated platforms to include (default all: tiktok,youtube,facebook,instagram)",
    )
    parser.add_argument(
        "--viewers", type=at_least(1), default=viewers, help=f"size of the viewer pool (default {viewers})"
    )
    parser.add_argument(
        "--hostile-names",
        action=argparse.BooleanOptionalAction,
        default=hostile_names,
        help="include viewer names that attack renderers: HTML, a spreadsheet formula, CSV quoting",
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    parser = arguments(__doc__.splitlines()[0], events=2000, viewers=300, hostile_names=True)
    parser.add_argument("--out", help="output file (default: standard output)")
    args = parser.parse_args(argv)
    events = generate(args.events, args.seed, args.start, args.hostile_names, args.platforms, args.viewers)
    if args.out is None:
        try:
            write_jsonl(events, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        except BrokenPipeError:  # the reader stopped early (| head): quiet, as the Python docs advise
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
    else:
        with open(args.out, "wb") as fp:
            write_jsonl(events, fp)


if __name__ == "__main__":
    main()
