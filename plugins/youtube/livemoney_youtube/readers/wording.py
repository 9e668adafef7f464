"""Figures that YouTube gives only in its own interface text, read in every wording we could source.

A gifted-membership purchase (``liveChatSponsorshipsGiftPurchaseAnnouncementRenderer``) carries its
count only in the header YouTube writes, in the viewer's interface language (innertube has no count
field; the Data API has ``giftMembershipsCount``). `GIFT_PURCHASE` lists each wording found in a
public capture, with its source; the count is never read from anything a viewer typed (a message, a
milestone's comment). Where the header comes as runs, a wording not listed is still read when exactly
one run is nothing but digits: in every captured wording the count is a run of its own (at position
0, 1 or 2), and the level name, the only other free text, is the creator's, not a viewer's.

A YouTube Giving announcement carries its amount in its text ("Anonymous donated $50.00", en-US).
"""

from __future__ import annotations

import re
from typing import Any

import attrs
from livemoney import Money
from livemoney.kit import FieldError

from livemoney_youtube.readers.currencies import parse_display


@attrs.frozen
class Wording:
    """One interface language's header for a gifted-membership purchase: ``pattern`` matches the whole
    header text, its group ``n`` is the count. ``evidence``: ``capture`` (raw JSON from YouTube) or
    ``screenshot`` (text transcribed from YouTube's page)."""

    lang: str
    example: str
    pattern: re.Pattern[str] = attrs.field(converter=lambda text: re.compile(text, re.DOTALL))
    evidence: str
    source: str


_N = r"\s*(?P<n>\d[\d,]*)\s*"

GIFT_PURCHASE: tuple[Wording, ...] = (
    Wording(
        "en",
        "Sent 10 AZKi Channel gift memberships",
        rf"Sent{_N}.*?\s*gift memberships?",
        "capture",
        "Agash/YTLiveChat@c014ebe0 YTLiveChat.Tests/TestData/RawActionLog9To15TestData.cs (a raw log of 2026) and "
        "MembershipTestData.cs; a zh-TW project's note of a real capture of 2026-08-14 (runs 'Sent ','1',' ',LEVEL,"
        "' gift memberships'; code index file 63117775830)",
    ),
    Wording(
        "en",
        "Gifted 5 Miko Ch. memberships",
        rf"Gifted{_N}.*?\s*memberships?",
        "capture",
        "LuanRT/YouTube.js PR #793 (a capture of 2024-10-19); sigvt/masterchat@02d62405 src/interfaces/yt/chat.ts "
        "(runs 'Gifted ','5',' ',LEVEL,' memberships'); a capture of 2023-08-25 (code index file 24695285611)",
    ),
    Wording(
        "ja",
        "5 件の Example Level のメンバーシップ ギフトを贈りました",
        rf"{_N}件の\s*.*?\s*のメンバーシップ\s*ギフトを贈りました",
        "capture",
        "LinaTsukusu/youtube-chat PR #78 (capture of 2022-06-04; the shape of livemoney's case 07)",
    ),
    Wording(
        "ja",
        "Mori Calliope Ch. hololive-EN のメンバーシップ ギフトを 1 個贈りました",
        rf".*?\s*のメンバーシップ\s*ギフトを{_N}個贈りました",
        "capture",
        "a Rust comment viewer's test of a captured action (timestampUsec 1772411842949749, 2026-03-02; code "
        "index file 69383086981); two tools note that taking the first number misread '【876プロ】… ギフトを "
        "1 個贈りました' as 876: the count is the one before 個 (code index files 62560821482, 62462031314)",
    ),
    Wording(
        "zh-TW",
        "送出了 5 個「杉山参 SugiyamaMairu ch.【UMiLive二期生】」的會籍",
        rf"送出了{_N}個「.*」的會籍",
        "capture",
        "MurabitoB/VTSYoutubeDropper@caeab5a1 mock-server/mock-home/data/live_chat/gift.ts (client 2.20230531)",
    ),
    Wording(
        "zh-TW",
        "贈送了 1 個『鈴原るる【にじさんじ所属】』會籍",
        rf"贈送了{_N}個『.*』會籍",
        "screenshot",
        "a zh-TW project's note of 2026-08-15 transcribing a screenshot of YouTube's page (code index file "
        "63117775830); the run split is not captured",
    ),
)
"""The gifted-membership headers found in public captures, newest wording of each language first."""

_DIGITS = re.compile(r"\d+")
_DONATED = re.compile(r"\bdonated\s+((?:(?!donated)\D)*?\d[\d,]*(?:\.\d+)?)", re.IGNORECASE)
"""``donated`` and the amount after it: a prefix that holds no second ``donated`` (a name's "x donated $50.00"
would make "x donated $" a prefix), then a number."""


def _count(text: str) -> int:
    return int(text.replace(",", ""))


def gift_count(text: str) -> int | None:
    """The count of a gifted-membership header in one of the `GIFT_PURCHASE` wordings, else ``None``."""
    stripped = " ".join(text.split())
    for wording in GIFT_PURCHASE:
        match = wording.pattern.fullmatch(stripped)
        if match is not None and _count(match["n"]):
            return _count(match["n"])
    return None


def require_gift_count(text: str, field: str) -> int:
    """`gift_count`, or `FieldError` naming ``field`` when the header is in no wording we know."""
    count = gift_count(text)
    if count is None:
        raise FieldError(field, f"no gifted membership count in {text!r} (not a wording livemoney knows)")
    return count


def gift_count_in_runs(runs: Any, field: str) -> int:
    """The count of a header given as runs: a known wording, else its only digits-only run."""
    texts = [run["text"] for run in runs if isinstance(run, dict) and isinstance(run.get("text"), str)]
    count = gift_count("".join(texts))
    if count is not None:
        return count
    digits = [text.strip() for text in texts if _DIGITS.fullmatch(text.strip())]
    if len(digits) == 1 and _count(digits[0]):
        return _count(digits[0])
    shown = "".join(texts)
    problem = {0: "no run that is only digits", 1: "its only digits-only run is 0"}.get(
        len(digits), f"{len(digits)} runs that are only digits"
    )
    raise FieldError(field, f"no gifted membership count in {shown!r}: not a known wording, and {problem}")


def donated_text(text: str, donor: str | None = None) -> str | None:
    """The amount's text of "DONOR donated $50.00" ("$50.00"), or ``None`` when the text gives none: the last
    "donated <amount>" of the text, once the donor's name (``donor``, the item's author) is left out where the text
    starts with it. A name is the viewer's to write: "Bob donated $9,999.00 via" gave its own amount (a re-check's
    find: valued 9999.00 for 50.00)."""
    if donor and donor.strip() and text.lstrip().startswith(donor.strip()):
        text = text.lstrip()[len(donor.strip()) :]
    found = _DONATED.findall(text)  # the last: the name comes first, the amount ends the text
    return found[-1] if found else None


def donated_amount(text: str, field: str, donor: str | None = None) -> Money | None:
    """The amount of "DONOR donated $50.00" (`donated_text`), or ``None`` when the text gives none (an unknown
    prefix raises)."""
    shown = donated_text(text, donor)
    return None if shown is None else parse_display(shown, field)
