"""Raw YouTube live chat: ``get_live_chat`` / ``get_live_chat_replay`` responses and their actions.

What every scraper parses (event-formats.md 2.1). A record is a whole response, a bare action, or a
``replayChatItemAction`` (replays wrap each action with its video offset); each action comes out once.
Paid renderers become donations; a membership item is a purchase unless it is a milestone (it has a
``headerPrimaryText``: "Member for 27 months"); ticker copies (``addLiveChatTickerItemAction``) count
only when their chat item is missing. The renderers and actions known to carry no money are those of
chat-downloader 0.2.8 (``sites/youtube.py``) and YouTube.js (``src/parser/classes/livechat``); any
other is counted as not read, under its name.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import partial
from typing import Any

from livemoney import Event, Gift, Money
from livemoney.kit import NOT_READ, FieldError, decoder_reader, get, timestamp

from livemoney_youtube.readers.currencies import parse_display, prefix_of
from livemoney_youtube.readers.decoding import (
    ChatDecoder,
    Found,
    Page,
    Skip,
    donation,
    need,
    raw_at,
    runs_text,
    text_at,
    time_at,
)
from livemoney_youtube.readers.wording import donated_text, gift_count_in_runs
from livemoney_youtube.rules import KEY

ACTIONS = ("addChatItemAction", "addLiveChatTickerItemAction", "replayChatItemAction")
CONTAINERS = ("continuationContents.liveChatContinuation", "contents.liveChatRenderer")
PAID = {
    "liveChatPaidMessageRenderer": ("super_chat", "purchaseAmountText"),
    "liveChatPaidStickerRenderer": ("super_sticker", "purchaseAmountText"),
}
TICKERS = {
    "liveChatTickerPaidMessageItemRenderer": "super_chat",
    "liveChatTickerPaidStickerItemRenderer": "super_sticker",
    "liveChatTickerSponsorItemRenderer": "membership",
}
MEMBERSHIP = "liveChatMembershipItemRenderer"
GIFT_PURCHASE = "liveChatSponsorshipsGiftPurchaseAnnouncementRenderer"
NO_MONEY_ITEMS = frozenset(
    {
        "liveChatTextMessageRenderer",
        "liveChatViewerEngagementMessageRenderer",
        "liveChatModeChangeMessageRenderer",
        "liveChatPlaceholderItemRenderer",
        "liveChatAutoModMessageRenderer",
        "liveChatModerationMessageRenderer",
        "liveChatRestrictedParticipationRenderer",
        "liveChatSponsorshipsHeaderRenderer",
        # a product shelf shows a price; nothing was bought
        "liveChatProductItemRenderer",
        # a viewer receiving a gifted membership: the gifter's purchase counts it
        "liveChatSponsorshipsGiftRedemptionAnnouncementRenderer",
    }
)
"""Chat items that carry no money: messages, notices, placeholders, redemptions."""
NO_MONEY_ACTIONS = frozenset(
    {
        "markChatItemAsDeletedAction",
        "markChatItemsByAuthorAsDeletedAction",
        "removeChatItemAction",
        "removeChatItemByAuthorAction",
        "addBannerToLiveChatCommand",
        "removeBannerForLiveChatCommand",
        "showLiveChatTooltipCommand",
        "showLiveChatActionPanelAction",
        "updateLiveChatPollAction",
        "closeLiveChatActionPanelAction",
        "showLiveChatDialogAction",
        "dimChatItemAction",
        "replaceLiveChatAction",
        "liveChatReportModerationStateCommand",
        "updateViewershipAction",
        "updateTitleAction",
        "updateDescriptionAction",
        "updateDateTextAction",
        "updateToggleButtonTextAction",
        "signalAction",
        "showFanzoneTickerChipCommand",
        "removeFanzoneTickerChipCommand",
        # the animation of a Jewel gift; the gift itself is a giftMessageViewModel item
        "addInteractivityWidgetAction",
        "updateOrAddInteractivityWidgetAction",
    }
)
"""Actions that carry no money: deletions, bans, banners, polls, panels, tooltips, page updates."""
_SKIP_ITEMS = {name: Skip(name) for name in NO_MONEY_ITEMS}
_JEWELS = re.compile(r"sent (?P<gift>.+?)(?: for (?P<jewels>\d[\d,]*) Jewels?)?", re.IGNORECASE | re.DOTALL)
"""A Jewel gift's text, en-US: "sent Gold coin for 10 Jewels", "sent Sparkles" (Agash/YTLiveChat tests)."""


def accepts(record: Any) -> bool:
    """A ``get_live_chat`` response or one chat action (a known one, or an object whose keys are all
    actions or commands, beside ``clickTrackingParams``)."""
    if not isinstance(record, dict):
        return False
    known = (*ACTIONS, "replaceChatItemAction", *NO_MONEY_ACTIONS)
    if any(key in record for key in known) or any(get(record, path) is not None for path in CONTAINERS):
        return True
    keys = [key for key in record if key != "clickTrackingParams"]
    return bool(keys) and all(isinstance(key, str) and key.endswith(("Action", "Command")) for key in keys)


def sniff(head: bytes) -> bool:
    markers = (b'"liveChatContinuation"', b'"liveChatRenderer"', b'"responseContext"') + tuple(
        f'"{action}"'.encode() for action in ACTIONS
    )
    return any(marker in head for marker in markers)


def split(record: Any) -> list[tuple[str, Any]] | Page | Skip:
    """Each action of a response (replay actions unwrapped), with its path (a live response's actions: the
    `Page` they are the elements of)."""
    for container in CONTAINERS:
        found = get(record, container)
        if isinstance(found, dict):
            actions = found.get("actions")
            if actions is not None and not isinstance(actions, list):
                raise FieldError(f"{container}.actions", f"{actions!r} is not a list of actions")
            if not actions:
                return Skip(f"{container.rpartition('.')[2]} (no actions)")
            for action in actions:  # a loop, not all(...) over a generator: one response holds ~20 actions
                if action.__class__ is not dict or "replayChatItemAction" in action:
                    break
            else:
                return Page(f"{container}.actions", actions)  # a live response: no replay action to unwrap
            out: list[tuple[str, Any]] = []
            for index, action in enumerate(actions):
                out.extend(_unwrap(action, f"{container}.actions[{index}]."))
            return out
    if isinstance(record, dict) and "responseContext" in record and not any(key in record for key in ACTIONS):
        return Skip("response without live chat (no liveChatContinuation)")
    return _unwrap(record, "")


def _unwrap(action: Any, path: str) -> list[tuple[str, Any]]:
    if action.__class__ is dict and "replayChatItemAction" not in action:  # most actions: not a replay's
        return [(path, action)]
    inner = get(action, "replayChatItemAction.actions")
    if not isinstance(inner, list) or not inner:
        return [(path, action)]
    out = []
    for index, each in enumerate(inner):
        out.extend(_unwrap(each, f"{path}replayChatItemAction.actions[{index}]."))
    return out


def decode(action: Any) -> Found | Skip:
    """What one chat action is: a paid item, a ticker copy, or an action without money."""
    if action.__class__ is dict:  # most actions: a chat message, told at once (`_renderer` inline)
        wrapper = action.get("addChatItemAction")
        if wrapper.__class__ is dict:
            item = wrapper.get("item")
            if item.__class__ is dict and len(item) == 1:
                for name in item:
                    body = item[name]
                    if body.__class__ is dict:  # a paid item too: `_chat_item` at once
                        skip = _SKIP_ITEMS.get(name)
                        return skip if skip is not None else _chat_item(name, body, f"addChatItemAction.item.{name}.")
    if not isinstance(action, dict) or not action:
        raise FieldError("(action)", "not a YouTube live chat response or action")
    if "addChatItemAction" in action:
        name, body = _renderer(action, "addChatItemAction.item")
        skip = _SKIP_ITEMS.get(name)
        if skip is not None:  # most actions: a chat message
            return skip
        return _chat_item(name, body, f"addChatItemAction.item.{name}.")
    if "addLiveChatTickerItemAction" in action:
        name, body = _renderer(action, "addLiveChatTickerItemAction.item")
        return _ticker(name, body, f"addLiveChatTickerItemAction.item.{name}.")
    if "replaceChatItemAction" in action:
        name, body = _renderer(action, "replaceChatItemAction.replacementItem")
        return _chat_item(name, body, f"replaceChatItemAction.replacementItem.{name}.")
    if "replayChatItemAction" in action:
        inner = get(action, "replayChatItemAction.actions")
        if inner is not None and not isinstance(inner, list):
            raise FieldError("replayChatItemAction.actions", f"{inner!r} is not a list of actions")
        return Skip("replayChatItemAction (no actions)")
    names = [key for key in action if key.endswith(("Action", "Command"))]
    if not names:
        raise FieldError("(action)", "not a YouTube live chat response or action")
    return Skip(names[0]) if names[0] in NO_MONEY_ACTIONS else Skip(names[0], NOT_READ)


def _renderer(action: dict, path: str) -> tuple[str, dict]:
    outer, _, inner = path.partition(".")
    wrapper = action.get(outer)
    item = wrapper.get(inner) if wrapper.__class__ is dict else None
    if item.__class__ is dict and len(item) == 1:  # what YouTube sends: read at once
        name, body = next(iter(item.items()))
        if body.__class__ is dict:
            return name, body
    item = need(action, path)
    if not isinstance(item, dict) or len(item) != 1:
        raise FieldError(path, "expected one renderer")
    name, body = next(iter(item.items()))
    if not isinstance(body, dict):
        raise FieldError(f"{path}.{name}", "not an object")
    return name, body


def _chat_item(name: str, body: dict, prefix: str, ticker: bool = False) -> Found | Skip:
    def found(build: Any, viewer_path: str = "authorName.simpleText") -> Found:
        if body.__class__ is dict:  # what YouTube sends: `text_at` and `raw_at` of one-step paths inline
            message_id, sent = body.get("id"), body.get("timestampUsec")
            if not isinstance(message_id, str) or not message_id.strip():
                message_id = None
            when = None if sent is None or isinstance(sent, (dict, list)) else str(sent)
        else:
            message_id, when = text_at(body, "id"), raw_at(body, "timestampUsec")
        viewer = text_at(body, viewer_path)
        return Found(name, message_id, partial(build, body, prefix, message_id, viewer), ticker, (viewer, when))

    if name in PAID:
        return found(partial(_paid, *PAID[name]))
    if name == MEMBERSHIP:
        # a milestone ("Member for 27 months") has a primary header; a new member or an upgrade has not
        return Skip(f"{name} (milestone)") if runs_text(body.get("headerPrimaryText")).strip() else found(_member)
    if name == GIFT_PURCHASE:
        return found(_gifted, f"{_HEADER}.authorName.simpleText")
    if name == "liveChatDonationAnnouncementRenderer":
        return found(_giving)
    if name == "liveChatLegacyPaidMessageRenderer":
        # before 2019 a new member came in this renderer (pytchat's fixture newSponsor_lagacy.json)
        return found(_member)
    if name == "giftMessageViewModel":
        return found(_jewels, "authorName.content")
    return Skip(name) if name in NO_MONEY_ITEMS else Skip(name, NOT_READ)


def _ticker(name: str, body: dict, prefix: str) -> Found | Skip:
    """A ticker copy: the full item it repeats when present, else the ticker's own fields."""
    if name not in TICKERS:
        return Skip(name, NOT_READ)
    message_id = text_at(body, "id")
    if message_id is None:
        raise FieldError(f"{prefix}id", "missing: a ticker copy without an id cannot be matched to its chat item")
    path = "showItemEndpoint.showLiveChatItemEndpoint.renderer"
    shown = get(body, path)
    if isinstance(shown, dict) and len(shown) == 1 and isinstance(next(iter(shown.values())), dict):
        inner_name, inner = next(iter(shown.items()))
        found = _chat_item(inner_name, inner, f"{prefix}{path}.{inner_name}.", ticker=True)
        if isinstance(found, Skip):
            what = "milestone" if found.kind == f"{MEMBERSHIP} (milestone)" else f"showing {found.kind}"
            return Skip(f"{name} ({what})", found.why)
        return Found(name, message_id, found.build, found.ticker, found.who, found.combo)  # `_replace`, quicker
    if TICKERS[name] == "membership":
        # "7 mths", "20", "Member", "5": a milestone, a new member or a gift cannot be told apart
        return Found(name, message_id, lambda: Skip(f"{name} (no item shown)", NOT_READ), ticker=True)
    build = partial(_paid, TICKERS[name], "amount", body, prefix, message_id, text_at(body, "authorName.simpleText"))
    return Found(name, message_id, build, ticker=True)


def _ts(body: dict, prefix: str) -> dt.datetime | None:
    if body.__class__ is not dict:
        return time_at(body, "timestampUsec", "us", prefix)
    value = body.get("timestampUsec")  # `time_at` inline
    return None if value is None else timestamp(value, prefix + "timestampUsec", "us")


def _paid(
    feature: str, amount_field: str, body: dict, prefix: str, message_id: str | None, viewer: str | None
) -> Event:
    path = f"{amount_field}.simpleText"
    text = need(body, path, prefix)
    amount = parse_display(text, prefix + path)
    if amount.currency == "USD":
        _english_dollar(text, body, prefix + path)
    return donation(feature, message_id, viewer, _ts(body, prefix), amount)


ENGLISH_LABELS = frozenset({"chat actions", "comment actions"})
"""The label of a chat item's menu (``contextMenuAccessibility.accessibilityData.label``) where YouTube shows
its page in English, case and spaces aside: the one sign of the page's language on every item of a raw response."""


def _english_dollar(text: object, body: dict, field: str) -> None:
    """Refuse an amount shown in "$" alone, ``text`` (`currencies.SYMBOLS` reads it as the US dollar: en-US, what
    capture tools ask for; "US$" is the US dollar in any language), when the item's menu label is not an English
    page's (`ENGLISH_LABELS`): on a page in another language "$" alone is that country's dollar (zh-TW: "$30.00"
    is NT$30, and the US dollar is "US$"). `FieldError`, never guessed; an item without a label is read as en-US's."""
    if prefix_of(text) != "$":  # "USD 5.00", "US$5.00": the US dollar in any language
        return
    menu = body.get("contextMenuAccessibility")
    data = menu.get("accessibilityData") if menu.__class__ is dict else None
    label = data.get("label") if data.__class__ is dict else None
    if isinstance(label, str) and label.strip() and " ".join(label.split()).casefold() not in ENGLISH_LABELS:
        raise FieldError(
            field,
            f"{text!r}: '$' alone is the US dollar where YouTube shows its page in English (en-US); this capture's "
            f"chat menu is labelled {label.strip()!r}, not as on an English page ('Chat actions'), and on a page in "
            "another language '$' alone is the local dollar (NT$ in zh-TW, CA$ in fr-CA, MX$ in es-MX): not "
            "guessed; capture with the page in English (hl=en, as pytchat and chat-downloader do)",
        )


def _member(body: dict, prefix: str, message_id: str | None, viewer: str | None) -> Event:
    return donation("membership", message_id, viewer, _ts(body, prefix))


_HEADER = "header.liveChatSponsorshipsHeaderRenderer"


def _gifted(body: dict, prefix: str, message_id: str | None, viewer: str | None) -> Event:
    """A gifted-membership purchase: the count from YouTube's header, in any wording we know."""
    field = f"{_HEADER}.primaryText"
    header = need(body, field, prefix)
    runs = header.get("runs") if isinstance(header, dict) else None
    if isinstance(runs, list):
        count = gift_count_in_runs(runs, prefix + field)
    else:
        count = gift_count_in_runs([{"text": runs_text(header)}], prefix + field)
    return donation("membership", message_id, viewer, _ts(body, prefix), count=count)


def _giving(body: dict, prefix: str, message_id: str | None, viewer: str | None) -> Event:
    shown = _donated_run(body.get("text"), viewer)
    amount = None if shown is None else parse_display(shown, f"{prefix}text")
    if amount is not None and amount.currency == "USD":
        _english_dollar(shown, body, f"{prefix}text")
    return donation("giving", message_id, viewer, _ts(body, prefix), amount)


def _donated_run(text: Any, donor: str | None) -> str | None:
    """The amount's text of a Giving announcement, whose runs YouTube writes NAME, " donated ", AMOUNT: the run after
    the one that is "donated" alone (a name, which is the viewer's to write, is a run of its own); failing that, the
    last "donated <amount>" of the runs after the first (the name's: "Bob donated $9,999.00 via" gave its own
    amount, a re-check's find), or of a plain text after the donor's name (`wording.donated_text`)."""
    runs = text.get("runs") if text.__class__ is dict else None
    if runs.__class__ is not list or not runs:
        return donated_text(runs_text(text), donor)
    texts = [run["text"] if run.__class__ is dict and run.get("text").__class__ is str else "" for run in runs]
    for index in range(len(texts) - 1, 0, -1):  # the last such run, past the name's first run (a name "donated")
        if texts[index].strip().casefold() == "donated":
            after = [each.strip() for each in texts[index + 1 :] if each.strip()]  # past an emoji's empty run
            return after[0] if after else None
    return donated_text("".join(texts[1:]))


def _jewels(body: dict, prefix: str, message_id: str | None, viewer: str | None) -> Event | Skip:
    """A Jewel gift: "sent Gold coin for 10 Jewels" (the Jewels of one gift), or "sent Sparkles" (none said)."""
    text = text_at(body, "text.content")
    match = None if text is None else _JEWELS.fullmatch(" ".join(text.split()))
    if match is None:
        return Skip("giftMessageViewModel (text not in a wording livemoney knows)", NOT_READ)
    jewels = match["jewels"]
    amount = None if jewels is None else Money(Decimal(jewels.replace(",", "")), "jewels")
    return Gift(
        gift=match["gift"],
        amount=amount,
        platform=KEY,
        id=message_id,
        viewer=viewer.strip() if viewer else None,
        ts=_ts(body, prefix),
    )


def make_decoder(source: str) -> ChatDecoder:
    return ChatDecoder(source, split, decode)


READER = decoder_reader(
    name="youtube-innertube",
    platform=KEY,
    description="YouTube live chat as YouTube sends it: get_live_chat(_replay) responses or their actions",
    sniff=sniff,
    decoder=make_decoder,
    accepts=accepts,
)
