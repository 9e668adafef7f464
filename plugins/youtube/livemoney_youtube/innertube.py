"""Raw YouTube live chat: ``get_live_chat`` / ``get_live_chat_replay`` responses and their actions.

What every scraper parses (event-formats.md 2.1). A record is a whole response, a bare action, or a
``replayChatItemAction`` (replays wrap each action with its video offset). Paid renderers become
donations; ticker copies (``addLiveChatTickerItemAction``) count only when their chat item is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from typing import Any

from livemoney import Donation, Event, Reader
from livemoney.records import FieldError, get, read_with_decoder

from livemoney_youtube.currencies import parse_display
from livemoney_youtube.decoding import ChatDecoder, Found, need, runs_text, text_at, time_at
from livemoney_youtube.value import KEY
from livemoney_youtube.wording import donated_amount, require_gift_count

ACTIONS = ("addChatItemAction", "addLiveChatTickerItemAction", "replayChatItemAction")
CONTAINERS = ("continuationContents.liveChatContinuation", "contents.liveChatRenderer")
TICKERS = {
    "liveChatTickerPaidMessageItemRenderer": "super_chat",
    "liveChatTickerPaidStickerItemRenderer": "super_sticker",
    "liveChatTickerSponsorItemRenderer": "membership",
}
NOT_MONEY = {"liveChatSponsorshipsGiftRedemptionAnnouncementRenderer"}
"""A viewer receiving a gifted membership: the purchase announcement already counts it."""
MONEY_LIKE = re.compile(r"Paid|Purchase|Donation|Gift|Sponsor")


def accepts(record: Any) -> bool:
    """A ``get_live_chat`` response or one chat action."""
    if not isinstance(record, dict):
        return False
    return any(key in record for key in ACTIONS) or any(get(record, path) is not None for path in CONTAINERS)


def sniff(head: bytes) -> bool:
    markers = (b'"liveChatContinuation"', b'"liveChatRenderer"', b'"responseContext"') + tuple(
        f'"{action}"'.encode() for action in ACTIONS
    )
    return any(marker in head for marker in markers)


def split(record: Any) -> Iterator[tuple[str, Any]]:
    """Each action of a response (replay actions unwrapped), with its path."""
    for container in CONTAINERS:
        found = get(record, container)
        if isinstance(found, dict):
            for index, action in enumerate(found.get("actions") or ()):
                yield from _unwrap(action, f"{container}.actions[{index}].")
            return
    yield from _unwrap(record, "")


def _unwrap(action: Any, path: str) -> Iterator[tuple[str, Any]]:
    inner = get(action, "replayChatItemAction.actions")
    if isinstance(inner, list):
        for index, each in enumerate(inner):
            yield from _unwrap(each, f"{path}replayChatItemAction.actions[{index}].")
    else:
        yield path, action


def decode(action: Any) -> Found | None:
    """The paid item of one chat action; ``None`` for text messages and the other non-money actions."""
    if not isinstance(action, dict) or not action:
        raise FieldError("(action)", "not a YouTube live chat response or action")
    if "addChatItemAction" in action:
        name, body = _renderer(action, "addChatItemAction.item")
        return _chat_item(name, body, f"addChatItemAction.item.{name}.", ticker=False)
    if "addLiveChatTickerItemAction" in action:
        name, body = _renderer(action, "addLiveChatTickerItemAction.item")
        return _ticker(name, body, f"addLiveChatTickerItemAction.item.{name}.")
    if not any(key.endswith(("Action", "Command")) for key in action):
        raise FieldError("(action)", "not a YouTube live chat response or action")
    return None


def _renderer(action: dict, path: str) -> tuple[str, dict]:
    item = need(action, path)
    if not isinstance(item, dict) or len(item) != 1:
        raise FieldError(path, "expected one renderer")
    name, body = next(iter(item.items()))
    if not isinstance(body, dict):
        raise FieldError(f"{path}.{name}", "not an object")
    return name, body


def _chat_item(name: str, body: dict, prefix: str, ticker: bool) -> Found | None:
    builders = {
        "liveChatPaidMessageRenderer": partial(_paid, "super_chat", "purchaseAmountText"),
        "liveChatPaidStickerRenderer": partial(_paid, "super_sticker", "purchaseAmountText"),
        "liveChatMembershipItemRenderer": _membership,
        "liveChatSponsorshipsGiftPurchaseAnnouncementRenderer": _gifted,
        "liveChatDonationAnnouncementRenderer": _giving,
    }
    if name in builders:
        return Found(text_at(body, "id"), ticker, partial(builders[name], body, prefix))
    if name in NOT_MONEY or not MONEY_LIKE.search(name):
        return None
    raise FieldError(prefix.rstrip("."), f"{name} looks like a payment but livemoney has no rule to read it")


def _ticker(name: str, body: dict, prefix: str) -> Found:
    """A ticker copy: the full item it repeats when present, else the ticker's own fields."""
    if name not in TICKERS:
        raise FieldError(prefix.rstrip("."), f"unknown ticker {name}")
    if text_at(body, "id") is None:
        raise FieldError(f"{prefix}id", "missing: a ticker copy without an id cannot be matched to its chat item")
    path = "showItemEndpoint.showLiveChatItemEndpoint.renderer"
    shown = get(body, path)
    if isinstance(shown, dict) and len(shown) == 1:
        inner_name, inner = next(iter(shown.items()))
        found = _chat_item(inner_name, inner, f"{prefix}{path}.{inner_name}.", ticker=True)
        if found is not None:
            return found._replace(id=text_at(body, "id"))
    if TICKERS[name] == "membership":
        return Found(text_at(body, "id"), True, partial(_membership, body, prefix))
    return Found(text_at(body, "id"), True, partial(_paid, TICKERS[name], "amount", body, prefix))


def _common(body: dict, prefix: str, viewer_path: str = "authorName.simpleText") -> dict[str, Any]:
    return {
        "platform": KEY,
        "id": text_at(body, "id"),
        "viewer": text_at(body, viewer_path),
        "ts": time_at(body, "timestampUsec", "us", prefix),
    }


def _paid(feature: str, amount_field: str, body: dict, prefix: str) -> Event:
    path = f"{amount_field}.simpleText"
    amount = parse_display(need(body, path, prefix), prefix + path)
    return Donation(feature=feature, amount=amount, **_common(body, prefix))


def _membership(body: dict, prefix: str) -> Event:
    return Donation(feature="membership", **_common(body, prefix))


def _gifted(body: dict, prefix: str) -> Event:
    header = "header.liveChatSponsorshipsHeaderRenderer"
    text = runs_text(get(body, f"{header}.primaryText"))
    count = require_gift_count(text, f"{prefix}{header}.primaryText")
    return Donation(feature="membership", count=count, **_common(body, prefix, f"{header}.authorName.simpleText"))


def _giving(body: dict, prefix: str) -> Event:
    amount = donated_amount(runs_text(body.get("text")), f"{prefix}text")
    return Donation(feature="giving", amount=amount, **_common(body, prefix))


def make_decoder(source: str) -> ChatDecoder:
    return ChatDecoder(source, split, decode)


READER = Reader(
    name="youtube-innertube",
    platform=KEY,
    description="YouTube live chat as YouTube sends it: get_live_chat(_replay) responses or their actions",
    sniff=sniff,
    read=read_with_decoder(make_decoder),
    decoder=make_decoder,
    accepts=accepts,
)
