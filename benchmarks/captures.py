"""Benchmark captures: what the capture tools write during a long, busy live stream, in every format a
livemoney plugin reads, at any size, seeded, streamed to disk in constant memory.

    python benchmarks/captures.py --events 100000                      # every format, benchmarks/data/
    python benchmarks/captures.py --events 1000000 --formats pytchat tiktoklive-v7

The record shapes are those of the plugins' own test fixtures (``plugins/*/tests/data/``: the real
records copied there and the ones written after the tools' documentation), with the fields that vary
(ids, users, times, gifts, amounts, text) drawn afresh. What a stream holds, by format:

- ``tiktok-live-connector`` (JSON Lines): TikTok-Live-Connector 1.x flattened records and 2.x records in
  ``{"event", "data"}`` envelopes (TikFinity), interleaved record by record so that one file takes both
  paths of the reader (a real capture holds one of the two): chats, joins, likes with a running total,
  follows and shares, viewer counts, subscriptions, gift streaks (a frame per tap with a rising
  ``repeatCount``, then an end frame; about 1 in 100 loses its end frame), gifts that do not streak (one
  frame), a few gifts to a guest, and on each reconnect the last 1 to 10 records written again.
- ``tiktoklive-v7`` (JSON Lines): the same room as TikTokLive 7's plain proto ``to_dict()`` records,
  trimmed as in ``tiktoklive_v7.jsonl`` (a real record, ``tiktoklive_v7_real_rose.jsonl``, carries
  about 8 KB of display data that would make the bare parse dearer and the ratio smaller).
- ``tiktoklive-web-ui`` (Server-Sent Events): what TikTokLive's web-ui example streams from that room: a
  connect, comments, likes, and each gift once its streak has ended.
- ``chat-downloader`` (JSON Lines): chat-downloader's YouTube items with the messages, superchat and
  tickers groups: text messages, paid messages and stickers (a ticker copy of most of them, under the
  same id), new members (with their ticker), milestones, gift purchases and their redemptions.
- ``pytchat`` (JSON Lines): pytchat's ``c.json()`` items of the same chat (no tickers; its milestones
  lose their header, and the reader counts them as not read).
- ``youtube-innertube`` (JSON Lines): ``get_live_chat`` responses, one a line, each with the 1 to 40
  actions of a poll (chat items and ticker items).
- ``youtube-data-api`` (JSON Lines): ``liveChatMessages.list`` responses, one a line, 1 to 150 items each.
- ``facebook-chat-downloader`` (one JSON array, as ``chat_downloader URL --output chat.json`` writes it,
  indented): comments, sticker comments, Stars as ``VideoTipJarPayment`` attachments and as chat-downloader renders them.
- ``facebook-live-reactions`` (Server-Sent Events): ``live_reactions`` running totals, with keep-alives.
- ``instagram-badges-csv``: the badge file a creator keeps (tiers, some paid amounts, some counts).
- ``instagram-graph-comments`` (JSON Lines): ``live_comments`` webhook payloads (some with two changes)
  and a few ``GET /{ig-media-id}/comments`` pages.

``--events N`` counts what the reader accounts for, one outcome each: a line of JSON Lines, a data line
of Server-Sent Events, an item of a JSON array, a row of CSV; for a response or page (innertube, Data
API, comments pages) each of its actions or items. The same arguments give the same bytes; a file
appears only when complete (written as ``.part``, then renamed), with ``FILE.meta.json`` beside it
(format, events, records in the file, seed, generator version) so that a stale file is made again.
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import hashlib
import io
import json
import os
import random
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from heapq import heappop, heappush
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import orjson

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
sys.path.insert(0, str(HERE))
from make_log import make_sample, size_label  # benchmarks/ is not a package

Picker = make_sample.Picker

VERSION = 1
"""Bumped whenever the bytes a seed gives change: files of another version are made again."""
FORMAT_VERSIONS = {"facebook-chat-downloader": 2}
"""A format's own version where only its bytes changed (`VERSION` otherwise): only its files are made again.
facebook-chat-downloader 2: its "Sent N Stars" items as chat-downloader writes them (a ``target`` of type
``video_tip_jar_payment``), not as text in the comment (which is what the viewer typed: no Stars)."""
DEFAULT_SEED = 12
START = dt.datetime(2026, 11, 1, 20, 0, tzinfo=dt.UTC)
START_MS = int(START.timestamp() * 1000)
RATE = 25.0
"""Records a second, on average, in a busy room (so 10^6 records are about 11 hours of stream)."""
VIEWERS = 20_000
BUFFER_BYTES = 1 << 20
"""Bytes written at a time (a Data API page is some 60 KB: buffering by record would hold hundreds of MB)."""

# --- viewers and text, shared by every format --------------------------------------------------

FIRST = (
    "Anna",
    "Bob",
    "Carla",
    "Dan",
    "Emi",
    "Femi",
    "Gina",
    "Hal",
    "Ivy",
    "Jack",
    "Kai",
    "Lena",
    "Mika",
    "Noor",
    "Omar",
    "Priya",
    "Quinn",
    "Ravi",
    "Sam",
    "Tom",
    "Uma",
    "Vic",
    "Wen",
    "Xavi",
    "Yuki",
    "Zoë",
)
ODD = ("山田太郎", "أحمد", "Ñandú_99", "Zoë 🌹", "👨‍👩‍👧 family")
CHAT = (
    "hi!",
    "hello from Lyon",
    "gg",
    "lol",
    "what game is this?",
    "first time here",
    "love this set",
    "the audio cuts out",
    "🔥🔥🔥",
    "❤️",
    "can you say hi to my sister?",
    "W",
    "so good",
    "haha",
    "where is this?",
    "nice one",
    "ありがとう",
    "¿de dónde eres?",
    "!uptime",
    "that was close",
)


class Viewer(NamedTuple):
    index: int
    user_id: str  # a TikTok user id (19 digits)
    handle: str  # @handle, uniqueId, displayId
    name: str  # display name
    channel: str  # a YouTube channel id (UC + 22)
    fb_id: str  # a Facebook user id


def viewer(index: int) -> Viewer:
    first = FIRST[index % len(FIRST)]
    name = ODD[index // 7 % len(ODD)] if index % 97 == 3 else f"{first} {chr(65 + index // len(FIRST) % 26)}."
    channel = "UC" + base64.urlsafe_b64encode(hashlib.md5(b"%d" % index).digest()).decode()[:22]
    return Viewer(
        index,
        str(6_800_000_000_000_000_000 + index * 7_919_777),
        f"{first.lower()}_{index:05d}",
        name,
        channel,
        str(100_000_000_000_000 + index * 31_337),
    )


class Audience:
    """``VIEWERS`` viewers, a few regulars and a long tail (the probability of rank r falls as 1/r)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cache: dict[int, Viewer] = {}
        self.picker = Picker(range(VIEWERS), [1 / rank for rank in range(1, VIEWERS + 1)])

    def pick(self) -> Viewer:
        index = self.picker.pick(self.rng)
        found = self.cache.get(index)
        if found is None:
            found = self.cache[index] = viewer(index)
        return found


class Clock:
    """Epoch milliseconds of a Poisson stream of ``RATE`` records a second."""

    def __init__(self, rng: random.Random, rate: float = RATE) -> None:
        self.rng, self.mean_ms, self.ms = rng, 1000.0 / rate, float(START_MS)

    def tick(self) -> int:
        self.ms += self.rng.expovariate(1.0 / self.mean_ms)
        return int(self.ms)


def iso_ms(ms: int, zone: str = "+00:00") -> str:
    """``2026-11-01T20:00:00.123+00:00`` (the Data API's ``publishedAt``)."""
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + zone


def chat_text(rng: random.Random) -> str:
    return CHAT[rng.randrange(len(CHAT))]


# --- sinks: how a capture frames its records ---------------------------------------------------


class Sink:
    """Writes records to a binary file in one layout and counts them (``records``)."""

    layout = "lines"
    option = 0
    """orjson's options for a record (compact, keys in the order given)."""

    def __init__(self, fp: BinaryIO) -> None:
        self.fp, self.records, self.buffer, self.buffered = fp, 0, [], 0

    def frame(self, body: bytes) -> bytes:
        return body + b"\n"

    def dump(self, record: Any) -> bytes:
        """Write one record; return its serialised body (to write it again, as a replay)."""
        body = orjson.dumps(record, option=self.option)
        self.write(body)
        return body

    def write(self, body: bytes) -> None:
        """Write one record, already serialised by `dump`."""
        framed = self.frame(body)
        self.buffer.append(framed)
        self.buffered += len(framed)
        self.records += 1
        if self.buffered >= BUFFER_BYTES:
            self.flush()

    def flush(self) -> None:
        self.fp.write(b"".join(self.buffer))
        self.buffer.clear()
        self.buffered = 0

    def close(self) -> None:
        self.flush()


class SseSink(Sink):
    """Server-Sent Events: ``data: {...}`` and a blank line; a ``: ok`` keep-alive now and then."""

    layout = "sse"

    def frame(self, body: bytes) -> bytes:
        return b"data: " + body + b"\n\n" + (b": ok\n" if self.records % 500 == 499 else b"")


class ArraySink(Sink):
    """One JSON array, an item every few lines (indented, keys sorted, as chat-downloader writes)."""

    layout = "array"
    option = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS

    def __init__(self, fp: BinaryIO) -> None:
        super().__init__(fp)
        fp.write(b"[\n")

    def frame(self, body: bytes) -> bytes:
        return (b",\n" if self.records else b"") + body

    def close(self) -> None:
        self.flush()
        self.fp.write(b"\n]\n")


class CsvSink(Sink):
    """CSV rows (``write`` takes a list of cells)."""

    layout = "csv"

    def __init__(self, fp: BinaryIO, header: list[str]) -> None:
        super().__init__(fp)
        self.text = io.StringIO()
        self.csv = csv.writer(self.text, lineterminator="\n")
        self.csv.writerow(header)
        self.flush_text()

    def row(self, cells: list[str]) -> None:
        self.csv.writerow(cells)
        self.records += 1
        if self.records % 4096 == 0:
            self.flush_text()

    def flush_text(self) -> None:
        self.fp.write(self.text.getvalue().encode())
        self.text.seek(0)
        self.text.truncate()

    def close(self) -> None:
        self.flush_text()


# --- TikTok LIVE: one room, written by three tools ---------------------------------------------

GIFTS = (  # (name, gift id in gift_ids.json, coins, weight): make_sample's mix, priced as the catalogue
    ("Rose", "5655", 1, 300),
    ("TikTok", "5269", 1, 60),
    ("GG", "6064", 1, 60),
    ("Ice Cream Cone", "5827", 1, 60),
    ("Heart Me", "7934", 1, 80),
    ("Finger Heart", "5487", 5, 60),
    ("Rosa", "7997", 10, 30),
    ("Perfume", "5658", 20, 25),
    ("Doughnut", "5879", 30, 20),
    ("Hand Hearts", "5660", 100, 12),
    ("Confetti", "5585", 100, 8),
    ("Corgi", "6267", 299, 4),
    ("Money Gun", "7168", 500, 3),
    ("Swan", "5897", 699, 2),
    ("Galaxy", "5886", 1000, 1.5),
    ("Fireworks", "6090", 1088, 1),
    ("Whale diving", "6820", 2150, 0.6),
    ("Sports Car", "6089", 7000, 0.4),
    ("Interstellar", "6149", 10000, 0.3),
    ("Lion", "6369", 29999, 0.2),
    ("TikTok Universe", "9072", 44999, 0.1),
)
STREAK_MAX_COINS = 30  # gifts up to this price streak (gift type 1), dearer ones arrive once (type 2)
KINDS = (("chat", 30), ("like", 25), ("member", 17), ("social", 4), ("roomUser", 1.5), ("subscribe", 0.3), ("gift", 7))
ROOM_ID = "7434000000000000099"
HOST_ID = "7300000000000000001"
GUEST_ID = "7300000000000000777"
GUEST_SHARE = 0.03
LOST_END_SHARE = 0.01
RECONNECT_EVERY = 20_000  # records, on average; a reconnect writes the last 1 to 10 records again


def tiktok_room(rng: random.Random) -> Iterator[dict[str, Any]]:
    """An endless TikTok LIVE room, in time order: each message a dict of what any tool would write
    (``kind``, ``t`` in ms, ``msg_id``, ``viewer``; a gift frame's ``gift``, ``count``, ``end``, ...)."""
    clock, audience = Clock(rng), Audience(rng)
    kinds = Picker([kind for kind, _ in KINDS], [weight for _, weight in KINDS])
    gifts = Picker(GIFTS, [gift[3] for gift in GIFTS])
    pending: list[tuple[int, int, dict[str, Any]]] = []  # streak frames still to come: (t, order, frame)
    order, msg_id, total_likes, viewers = 0, 7_434_100_000_000_000_000, 1000, 120
    while True:
        now = clock.tick()
        while pending and pending[0][0] <= now:
            t, _, frame = heappop(pending)
            msg_id += 1
            yield {**frame, "t": t, "msg_id": str(msg_id)}
        kind = kinds.pick(rng)
        who = audience.pick()
        message: dict[str, Any] = {"kind": kind, "viewer": who}
        if kind == "like":
            count = rng.randint(1, 15)
            total_likes += count
            message.update(count=count, total=total_likes)
        elif kind == "chat":
            message["text"] = chat_text(rng)
        elif kind == "roomUser":
            viewers = max(10, viewers + rng.randint(-20, 25))
            message["viewers"] = viewers
        elif kind == "subscribe":
            message["months"] = rng.randint(1, 24)
        elif kind == "gift":
            name, gift_id, coins, _ = gifts.pick(rng)
            gift = {
                "kind": "gift",
                "viewer": who,
                "name": name,
                "gift_id": gift_id,
                "coins": coins,
                "streakable": coins <= STREAK_MAX_COINS,
                "group": str(now),
                "guest": rng.random() < GUEST_SHARE,
            }
            if not gift["streakable"]:
                message = {**gift, "count": 1, "end": False}
            else:
                taps, t = make_sample._streak(rng), now
                for count in range(1, taps + 1):
                    order += 1
                    heappush(pending, (t, order, {**gift, "count": count, "end": False}))
                    t += rng.randint(250, 700)
                if rng.random() >= LOST_END_SHARE:
                    order += 1
                    heappush(pending, (t + rng.randint(2000, 3500), order, {**gift, "count": taps, "end": True}))
                continue
        msg_id += 1
        message.update(t=now, msg_id=str(msg_id))
        yield message


SEC_UID = "MS4wLjABAAAA"


def _sec_uid(who: Viewer) -> str:
    return SEC_UID + base64.urlsafe_b64encode(hashlib.sha256(who.user_id.encode()).digest()).decode()[:64]


CONNECTOR_LABELS = {  # 1.x: displayType and label of the records that carry them (2.x: of a follow)
    "gift": ("webcast_aweme_gift_send_message", "{0:user} sent {1:gift} {2:string}"),
    "like": ("pm_mt_msg_viewer", "{0:user} liked the LIVE"),
    "member": ("live_room_enter_toast", "{0:user} joined"),
    "social": ("pm_main_follow_message_viewer_2", "{0:user} followed the LIVE creator"),
    "subscribe": ("pm_mt_subinfo_user", "{0:user} just subscribed to the host"),
}
METHODS = {
    "chat": "WebcastChatMessage",
    "like": "WebcastLikeMessage",
    "member": "WebcastMemberMessage",
    "social": "WebcastSocialMessage",
    "roomUser": "WebcastRoomUserSeqMessage",
    "subscribe": "WebcastSubNotifyMessage",
    "gift": "WebcastGiftMessage",
}


def connector_v1(m: dict[str, Any]) -> dict[str, Any]:
    """A TikTok-Live-Connector 1.x record (``connector_v1.jsonl``): flattened camelCase, ids as strings."""
    who: Viewer = m["viewer"]
    kind = m["kind"]
    record: dict[str, Any] = {}
    if kind == "gift":
        end = m["end"] if m["streakable"] else False
        record = {"giftId": int(m["gift_id"]), "repeatCount": m["count"], "repeatEnd": end, "groupId": m["group"]}
    elif kind == "like":
        record = {"likeCount": m["count"], "totalLikeCount": m["total"]}
    elif kind == "chat":
        record = {"comment": m["text"]}
    elif kind == "member":
        record = {"actionId": 1}
    elif kind == "roomUser":
        return {"viewerCount": m["viewers"], "topViewers": [], "msgId": m["msg_id"], "createTime": str(m["t"])}
    elif kind == "subscribe":
        record = {"subMonth": m["months"], "oldSubscribeStatus": 2, "subscribingStatus": 1}
    record.update(
        userId=who.user_id,
        secUid=_sec_uid(who),
        uniqueId=who.handle,
        nickname=who.name,
        followRole=0,
        userBadges=[],
        isModerator=False,
        isNewGifter=False,
        isSubscriber=False,
        topGifterRank=None,
    )
    if kind in CONNECTOR_LABELS:
        record["displayType"], record["label"] = CONNECTOR_LABELS[kind]
    if kind == "gift":
        record.update(
            gift={
                "gift_id": int(m["gift_id"]),
                "repeat_count": m["count"],
                "repeat_end": int(record["repeatEnd"]),
                "gift_type": 1 if m["streakable"] else 2,
            },
            describe=f"Sent {m['name']}",
            giftType=1 if m["streakable"] else 2,
            diamondCount=m["coins"],
            giftName=m["name"],
            timestamp=m["t"],
            receiverUserId=GUEST_ID if m["guest"] else HOST_ID,
        )
    record.update(msgId=m["msg_id"], createTime=str(m["t"]))
    return record


def connector_v2(m: dict[str, Any]) -> dict[str, Any]:
    """A TikTok-Live-Connector 2.x record in its envelope (``tikfinity_envelopes.json``): protobuf-shaped."""
    who: Viewer = m["viewer"]
    kind = m["kind"]
    data: dict[str, Any] = {
        "common": {"method": METHODS[kind], "msgId": m["msg_id"], "roomId": ROOM_ID, "createTime": str(m["t"])}
    }
    if kind == "gift":
        data.update(giftId=int(m["gift_id"]), repeatCount=m["count"], repeatEnd=int(m["end"]), groupId=m["group"])
    elif kind == "like":
        data.update(likeCount=m["count"], totalLikeCount=m["total"])
    elif kind == "chat":
        data["comment"] = m["text"]
    elif kind == "member":
        data["actionId"] = 1
    elif kind == "roomUser":
        data["viewerCount"] = m["viewers"]
        return {"event": "roomUser", "data": data}
    elif kind == "social":
        data["displayType"] = CONNECTOR_LABELS["social"][0]
    elif kind == "subscribe":
        data["subMonth"] = m["months"]
    data["user"] = {"userId": who.user_id, "uniqueId": who.handle, "nickname": who.name}
    if kind == "gift":
        data["giftDetails"] = {
            "giftName": m["name"],
            "giftType": 1 if m["streakable"] else 2,
            "diamondCount": m["coins"],
            "describe": f"Sent {m['name']}",
        }
    return {"event": kind, "data": data}


def tiktoklive_v7(m: dict[str, Any]) -> dict[str, Any]:
    """A TikTokLive 7 proto ``to_dict()`` record (``tiktoklive_v7.jsonl``): 64-bit ints as strings,
    fields at their default left out (``repeatEnd`` on all but an end frame)."""
    who: Viewer = m["viewer"]
    kind = m["kind"]
    record: dict[str, Any] = {
        "common": {
            "method": METHODS[kind],
            "msgId": m["msg_id"],
            "roomId": ROOM_ID,
            "createTime": str(m["t"]),
            "isShowMsg": True,
        }
    }
    user = {"id": who.user_id, "nickname": who.name, "displayId": who.handle, "idStr": who.user_id}
    if kind == "gift":
        gift: dict[str, Any] = {"describe": f"Sent {m['name']}", "duration": 1000, "id": m["gift_id"]}
        if m["streakable"]:
            gift["combo"] = True
        gift.update(type=1 if m["streakable"] else 2, diamondCount=m["coins"], name=m["name"])
        record.update(
            giftId=m["gift_id"],
            fanTicketCount=m["coins"] * m["count"],
            groupCount=1,
            repeatCount=m["count"],
            comboCount=m["count"],
            user=user,
            groupId=m["group"],
        )
        if m["end"]:
            record["repeatEnd"] = 1
        record.update(
            gift=gift,
            logId=f"20261101{m['msg_id'][-12:]}",
            sendType="1",
            monitorInfo={"anchorId": HOST_ID, "toUserId": GUEST_ID if m["guest"] else HOST_ID},
        )
        if m["guest"]:
            record["toMemberId"] = GUEST_ID
    elif kind == "like":
        record.update(count=m["count"], total=str(m["total"]), user=user)
    elif kind == "chat":
        record.update(user=user, content=m["text"])
    elif kind == "member":
        record.update(user=user, memberCount=str(1000 + m["viewer"].index % 5000), action="1")
    elif kind == "social":
        record.update(user=user, action="1", shareType="0", followCount="1")
    elif kind == "roomUser":
        record.update(total=str(m["viewers"]), totalUser=str(m["viewers"] * 7))
    elif kind == "subscribe":
        record.update(user=user, subMonth=m["months"])
    return record


def web_ui(m: dict[str, Any]) -> dict[str, Any] | None:
    """What TikTokLive's ``examples/web-ui/service.py`` streams (``tiktoklive_webui.sse``): comments,
    likes, and a gift once its streak has ended (``None`` for what it leaves out)."""
    kind, ts, who = m["kind"], round(m["t"] / 1000, 3), m["viewer"]
    if kind == "chat":
        return {"type": "comment", "ts": ts, "user": who.name, "comment": m["text"]}
    if kind == "like":
        return {"type": "like", "ts": ts, "user": who.name, "count": m["count"], "total": m["total"]}
    if kind == "gift" and (m["end"] or not m["streakable"]):
        return {"type": "gift", "ts": ts, "user": who.name, "gift": m["name"], "count": m["count"]}
    return None


def write_tiktok(
    sink: Sink, events: int, rng: random.Random, render: Callable[[dict], dict | None], reconnects: bool = True
) -> None:
    """``events`` records of one room, each written by ``render`` (a record it leaves out is not
    counted); on each reconnect (about one in `RECONNECT_EVERY` records) the last 1 to 10 again."""
    recent: deque[bytes] = deque(maxlen=10)
    room, written = tiktok_room(rng), 0
    if render is web_ui:
        sink.dump({"type": "connect", "ts": START_MS / 1000, "username": "creator"})
        written += 1
    while written < events:
        if reconnects and recent and rng.random() < 1 / RECONNECT_EVERY:
            for body in list(recent)[-rng.randint(1, len(recent)) :][: events - written]:
                sink.write(body)
                written += 1
            continue
        record = render(next(room))
        if record is None:
            continue
        recent.append(sink.dump(record))
        written += 1


def write_connector(sink: Sink, events: int, rng: random.Random) -> None:
    write_tiktok(sink, events, rng, lambda m: connector_v1(m) if rng.random() < 0.5 else connector_v2(m))


def write_tiktoklive_v7(sink: Sink, events: int, rng: random.Random) -> None:
    write_tiktok(sink, events, rng, tiktoklive_v7)


def write_web_ui(sink: Sink, events: int, rng: random.Random) -> None:
    write_tiktok(sink, events, rng, web_ui, reconnects=False)


# --- YouTube: one chat, written by four tools --------------------------------------------------

CHANNEL = "Night Owl Radio"
LEVEL = "Night Owls"
LIVE_CHAT_ID = "KicKGFVDbmlnaHRvd2xyYWRpbzAwMDAwMDAwMBILbGl2ZTIwMjYxMTAx"
YT_KINDS = (
    ("text", 86),
    ("paid_message", 6),
    ("paid_sticker", 1.5),
    ("new_member", 1.5),
    ("milestone", 1),
    ("gift_purchase", 0.4),
)
CURRENCIES = {  # ISO code: (weight, how YouTube shows an amount in en-US, chat-downloader's symbol)
    "USD": (55, "${:,.2f}", "$"),
    "EUR": (12, "€{:,.2f}", "€"),
    "GBP": (9, "£{:,.2f}", "£"),
    "JPY": (10, "￥{:,.0f}", "￥"),
    "CAD": (5, "CA${:,.2f}", "CA$"),
    "INR": (5, "₹{:,.2f}", "₹"),
    "CHF": (4, "CHF\xa0{:,.2f}", "CHF"),
}
TIERS = {
    "JPY": (100, 200, 500, 800, 1000, 2000, 5000, 10000, 50000),
    "INR": (100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000),
}
TIER = Picker(range(len(make_sample.TIER_WEIGHTS)), make_sample.TIER_WEIGHTS)
STICKERS = ((0.99, 25), (2.00, 35), (4.99, 20), (10.00, 12), (20.00, 6), (49.99, 2))
STICKER = Picker([amount for amount, _ in STICKERS], [weight for _, weight in STICKERS])
GIFT_COUNTS = Picker((1, 5, 10, 20, 50), (40, 35, 15, 7, 3))
TICKER_MIN_TIER = 2  # Super Chats from the third tier up stay pinned in the ticker
YT_ID_PREFIX = "ChwKGkN"


def _yt_id(rng: random.Random) -> str:
    return YT_ID_PREFIX + base64.urlsafe_b64encode(rng.randbytes(24)).decode().rstrip("=")[:33]


def youtube_chat(rng: random.Random) -> Iterator[dict[str, Any]]:
    """An endless YouTube live chat, in time order: ``kind``, ``t`` (ms), ``id``, ``viewer``, and
    ``money`` ``(currency, amount, text)`` for paid items; ``ticker`` when YouTube also pins it (a ticker
    copy follows under the same id in the formats that capture tickers); a gift purchase is followed by
    a redemption for each membership given."""
    clock, audience = Clock(rng), Audience(rng)
    kinds = Picker([kind for kind, _ in YT_KINDS], [weight for _, weight in YT_KINDS])
    currencies = Picker(list(CURRENCIES), [weight for weight, _, _ in CURRENCIES.values()])
    redemptions: deque[tuple[str, int]] = deque()  # (gifter's name, memberships still to redeem)
    while True:
        t = clock.tick()
        if redemptions and rng.random() < 0.5:
            gifter, left = redemptions[0]
            if left == 1:
                redemptions.popleft()
            else:
                redemptions[0] = (gifter, left - 1)
            yield {"kind": "redemption", "t": t, "id": _yt_id(rng), "viewer": audience.pick(), "gifter": gifter}
            continue
        kind = kinds.pick(rng)
        item: dict[str, Any] = {"kind": kind, "t": t, "id": _yt_id(rng), "viewer": audience.pick()}
        if kind == "text":
            item["text"] = chat_text(rng)
        elif kind in ("paid_message", "paid_sticker"):
            currency = currencies.pick(rng) if kind == "paid_message" else "USD"
            _, shown, symbol = CURRENCIES[currency]
            tier = TIER.pick(rng)
            if kind == "paid_sticker":
                amount = STICKER.pick(rng)
            elif currency in TIERS:
                amount = TIERS[currency][tier]
            else:
                amount = float(make_sample.SUPER_CHAT["USD"][tier])
            item.update(
                money=(currency, amount, shown.format(amount), symbol),
                tier=tier + 1,
                ticker=tier >= TICKER_MIN_TIER,
                text=chat_text(rng) if kind == "paid_message" else None,
            )
        elif kind == "new_member":
            item["ticker"] = True
        elif kind == "milestone":
            item.update(months=rng.choice((2, 3, 6, 12, 18, 24, 36)), text=chat_text(rng))
        elif kind == "gift_purchase":
            item["count"] = GIFT_COUNTS.pick(rng)
            redemptions.append((item["viewer"].name, item["count"]))
        yield item
        if item.get("ticker"):
            yield {**item, "kind": f"ticker_{kind}"}


THUMBS = [
    {"url": "https://yt4.ggpht.com/a/s32.jpg", "width": 32, "height": 32},
    {"url": "https://yt4.ggpht.com/a/s64.jpg", "width": 64, "height": 64},
]
CONTEXT_MENU = {
    "commandMetadata": {"webCommandMetadata": {"ignoreNavigation": True}},
    "liveChatItemContextMenuEndpoint": {"params": "Q2g0S0dnb1lRMGxFY0hwdlQz"},
}
CONTEXT_LABEL = {"accessibilityData": {"label": "Chat actions"}}
MEMBER_BADGE = [
    {
        "liveChatAuthorBadgeRenderer": {
            "customThumbnail": {"thumbnails": [{"url": "https://yt3.ggpht.com/badge=s16-c-k"}]},
            "tooltip": "New member",
            "accessibility": {"accessibilityData": {"label": "New member"}},
        }
    }
]
CD_IMAGES = [
    {"id": "source", "url": "https://yt4.ggpht.com/a/s32.jpg"},
    {"height": 32, "id": "32x32", "url": "https://yt4.ggpht.com/a/s32.jpg", "width": 32},
    {"height": 64, "id": "64x64", "url": "https://yt4.ggpht.com/a/s64.jpg", "width": 64},
]
CD_BADGES = [
    {
        "icons": [
            {"id": "source", "url": "https://yt3.ggpht.com/badge"},
            {"height": 16, "id": "16x16", "url": "https://yt3.ggpht.com/badge=s16-c-k", "width": 16},
        ],
        "title": "New member",
    }
]
PAID_COLOURS = {
    "body_background_colour": "#1de9b6ff",
    "body_text_colour": "#000000ff",
    "header_background_colour": "#00bfa5ff",
    "header_text_colour": "#000000ff",
}


def _offset(t: int) -> tuple[int, str]:
    seconds = (t - START_MS) // 1000
    hours, rest = divmod(seconds, 3600)
    text = f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
    return seconds, text


def chat_downloader(item: dict[str, Any]) -> dict[str, Any]:
    """A chat-downloader 0.2.8 YouTube item (``chat_downloader_replay.json``, ``..._milestones.json``)."""
    kind, who = item["kind"], item["viewer"]
    seconds, text = _offset(item["t"])
    ticker = kind.startswith("ticker_")
    base = kind.removeprefix("ticker_")
    record: dict[str, Any] = {
        "action_type": "add_live_chat_ticker_item" if ticker else "add_chat_item",
        "author": {"id": who.channel, "images": CD_IMAGES, "name": who.name},
    }
    if base == "text":
        record.update(message=item["text"], message_type="text_message")
    elif base in ("paid_message", "paid_sticker"):
        currency, amount, shown, symbol = item["money"]
        record["money"] = {"amount": amount, "currency": currency, "currency_symbol": symbol, "text": shown}
        if base == "paid_message":
            record.update(PAID_COLOURS, message=item["text"])
        else:
            record.update(
                background_colour="#1565c0ff",
                message=None,
                money_chip_background_colour="#1e88e5ff",
                money_chip_text_colour="#ffffffff",
                sticker_images=[{"id": "source", "url": "https://lh3.googleusercontent.com/sticker"}],
            )
        record["message_type"] = f"ticker_{base}_item" if ticker else base
    elif base == "new_member":
        record["author"] = {**record["author"], "badges": CD_BADGES}
        record.update(
            header_secondary_text=f"Welcome to {CHANNEL}!",
            message=None,
            message_type="ticker_sponsor_item" if ticker else "membership_item",
        )
    elif base == "milestone":
        record["author"] = {**record["author"], "badges": [{"title": f"Member ({item['months']} months)"}]}
        record.update(
            header_primary_text=f"Member for {item['months']} months",
            header_secondary_text=f"{CHANNEL} member",
            message=item["text"],
            message_type="membership_item",
        )
    elif base == "gift_purchase":
        record.update(
            message=f"Sent {item['count']} {CHANNEL} gift memberships",
            message_type="sponsorships_gift_purchase_announcement",
        )
    elif base == "redemption":
        record.update(
            message=f"received a gift membership by {item['gifter']}",
            message_type="sponsorships_gift_redemption_announcement",
        )
    record["message_id"] = item["id"]
    if ticker:
        record["ticker_duration"] = 300
    record.update(time_in_seconds=seconds, time_text=text, timestamp=item["t"] * 1000)
    return record


PYTCHAT_AUTHOR = {
    "badgeUrl": "",
    "type": "",
    "isVerified": False,
    "isChatOwner": False,
    "isChatSponsor": False,
    "isChatModerator": False,
}
PYTCHAT_COLOURS = {
    "headerBackgroundColor": 4278239141,
    "headerTextColor": 4278190080,
    "bodyBackgroundColor": 4280150454,
    "bodyTextColor": 4278190080,
    "timestampColor": 2147483648,
    "authorNameTextColor": 2315255808,
}


def pytchat(item: dict[str, Any]) -> dict[str, Any] | None:
    """A pytchat 0.5.5 ``c.json()`` item (``pytchat_items.jsonl``); ``None`` for what pytchat does not
    read: tickers, and gift purchases and redemptions, which it has no renderer for."""
    kind, who = item["kind"], item["viewer"]
    if kind.startswith("ticker_") or kind in ("gift_purchase", "redemption"):
        return None
    author = {
        **PYTCHAT_AUTHOR,
        "channelId": who.channel,
        "channelUrl": f"http://www.youtube.com/channel/{who.channel}",
        "name": who.name,
        "imageUrl": "https://yt4.ggpht.com/a/s64.jpg",
    }
    if kind in ("new_member", "milestone"):
        author.update(badgeUrl="https://yt3.ggpht.com/badge=s16-c-k", type="MEMBER", isChatSponsor=True)
    _, elapsed = _offset(item["t"])
    record: dict[str, Any] = {
        "author": author,
        "type": "textMessage",
        "id": item["id"],
        "timestamp": item["t"],
        "elapsedTime": elapsed,
        # pytchat writes the local time; these files are made as if in UTC
        "datetime": dt.datetime.fromtimestamp(item["t"] // 1000, dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
    }
    message = ""
    if kind == "text":
        message = item["text"]
    elif kind in ("paid_message", "paid_sticker"):
        record["type"] = "superChat" if kind == "paid_message" else "superSticker"
        message = item["text"] or ""
    elif kind == "new_member":
        record["type"], message = "newSponsor", f"Welcome to {CHANNEL}!"
    elif kind == "milestone":
        record["type"], message = "newSponsor", "Welcome New Member!"  # pytchat loses a milestone's header
    record.update(message=message, messageEx=[message] if message else [])
    if kind in ("paid_message", "paid_sticker"):
        currency, amount, shown, _ = item["money"]
        record.update(amountValue=float(amount), amountString=shown, currency=currency, bgColor=4280150454)
        if kind == "paid_sticker":
            record["sticker"] = "https://lh3.googleusercontent.com/sticker=s40-rp"
        record["colors"] = PYTCHAT_COLOURS
    else:
        record.update(amountValue=0.0, amountString="", currency="", bgColor=0)
    return record


def _runs(text: str) -> dict[str, Any]:
    return {"runs": [{"text": text}]}


def innertube_action(item: dict[str, Any]) -> dict[str, Any]:
    """An action of a ``get_live_chat`` response (``youtube_replay.json``, without the replay wrapper)."""
    kind, who = item["kind"], item["viewer"]
    ticker = kind.startswith("ticker_")
    base = kind.removeprefix("ticker_")
    body: dict[str, Any] = {
        "id": item["id"],
        "timestampUsec": str(item["t"] * 1000),
        "authorName": {"simpleText": who.name},
        "authorPhoto": {"thumbnails": THUMBS},
        "authorExternalChannelId": who.channel,
        "contextMenuEndpoint": CONTEXT_MENU,
        "contextMenuAccessibility": CONTEXT_LABEL,
    }
    if base == "text":
        renderer = "liveChatTextMessageRenderer"
        body["message"] = _runs(item["text"])
    elif base == "paid_message":
        renderer = "liveChatPaidMessageRenderer"
        body.update(
            purchaseAmountText={"simpleText": item["money"][2]},
            message=_runs(item["text"]),
            headerBackgroundColor=4278239141,
            headerTextColor=4278190080,
            bodyBackgroundColor=4280150454,
            bodyTextColor=4278190080,
            authorNameTextColor=2315255808,
            timestampColor=2147483648,
        )
    elif base == "paid_sticker":
        renderer = "liveChatPaidStickerRenderer"
        body.update(
            sticker={
                "thumbnails": [{"url": "//lh3.googleusercontent.com/sticker=s40-rp", "width": 40, "height": 40}],
                "accessibility": {"accessibilityData": {"label": "Dancing owl"}},
            },
            moneyChipBackgroundColor=4280191205,
            moneyChipTextColor=4294967295,
            purchaseAmountText={"simpleText": item["money"][2]},
            stickerDisplayWidth=40,
            stickerDisplayHeight=40,
            backgroundColor=4279592384,
            authorNameTextColor=3019898879,
        )
    elif base == "new_member":
        renderer = "liveChatMembershipItemRenderer"
        body.update(
            authorBadges=MEMBER_BADGE,
            headerSubtext={"runs": [{"text": "Welcome to "}, {"text": CHANNEL}, {"text": "!"}]},
        )
    elif base == "milestone":
        renderer = "liveChatMembershipItemRenderer"
        body.update(
            authorBadges=MEMBER_BADGE,
            headerPrimaryText={"runs": [{"text": "Member for "}, {"text": str(item["months"])}, {"text": " months"}]},
            headerSubtext={"simpleText": f"{CHANNEL} member"},
            message=_runs(item["text"]),
        )
    elif base == "gift_purchase":
        renderer = "liveChatSponsorshipsGiftPurchaseAnnouncementRenderer"
        body = {
            "id": item["id"],
            "timestampUsec": body["timestampUsec"],
            "authorExternalChannelId": who.channel,
            "header": {
                "liveChatSponsorshipsHeaderRenderer": {
                    "authorName": {"simpleText": who.name},
                    "authorPhoto": {"thumbnails": THUMBS},
                    "primaryText": {
                        "runs": [
                            {"text": "Sent ", "bold": True},
                            {"text": str(item["count"]), "bold": True},
                            {"text": " ", "bold": True},
                            {"text": CHANNEL, "bold": True},
                            {"text": " gift memberships", "bold": True},
                        ]
                    },
                    "contextMenuEndpoint": CONTEXT_MENU,
                    "contextMenuAccessibility": CONTEXT_LABEL,
                }
            },
        }
    else:  # redemption
        renderer = "liveChatSponsorshipsGiftRedemptionAnnouncementRenderer"
        body["message"] = {
            "runs": [
                {"text": "received a gift membership by ", "italics": True},
                {"text": item["gifter"], "bold": True, "italics": True},
            ]
        }
    if not ticker:
        return {"addChatItemAction": {"item": {renderer: body}, "clientId": "CJ7x9pbV4oIDFSgK"}}
    if base == "new_member":
        shown = {
            "liveChatTickerSponsorItemRenderer": {
                "id": item["id"],
                "detailText": {"simpleText": "New member"},
                "detailTextColor": 4294967295,
                "sponsorPhoto": {"thumbnails": THUMBS},
                "durationSec": 300,
                "fullDurationSec": 300,
                "showItemEndpoint": {"showLiveChatItemEndpoint": {"renderer": {renderer: body}}},
                "authorExternalChannelId": who.channel,
            }
        }
    else:
        name = (
            "liveChatTickerPaidMessageItemRenderer"
            if base == "paid_message"
            else "liveChatTickerPaidStickerItemRenderer"
        )
        shown = {
            name: {
                "id": item["id"],
                "amount": {"simpleText": item["money"][2]},
                "amountTextColor": 4278190080,
                "startBackgroundColor": 4280150454,
                "endBackgroundColor": 4278239141,
                "authorPhoto": {"thumbnails": THUMBS},
                "durationSec": 300,
                "showItemEndpoint": {
                    "commandMetadata": {"webCommandMetadata": {"ignoreNavigation": True}},
                    "showLiveChatItemEndpoint": {"renderer": {renderer: body}},
                },
                "authorExternalChannelId": who.channel,
                "fullDurationSec": 300,
            }
        }
    return {"addLiveChatTickerItemAction": {"item": shown, "durationSec": "300"}}


def data_api_item(item: dict[str, Any]) -> dict[str, Any] | None:
    """A ``youtube#liveChatMessage`` (``data_api_live_chat.jsonl``, ``data_api_milestones.json``); the API
    has no tickers (``None``)."""
    kind, who = item["kind"], item["viewer"]
    if kind.startswith("ticker_"):
        return None
    snippet: dict[str, Any] = {
        "liveChatId": LIVE_CHAT_ID,
        "authorChannelId": who.channel,
        "publishedAt": iso_ms(item["t"]),
        "hasDisplayContent": True,
    }
    sponsor = kind in ("new_member", "milestone", "redemption")
    if kind == "text":
        snippet.update(
            type="textMessageEvent", displayMessage=item["text"], textMessageDetails={"messageText": item["text"]}
        )
    elif kind in ("paid_message", "paid_sticker"):
        currency, amount, shown, _ = item["money"]
        micros, tier = str(round(amount * 1_000_000)), item["tier"]
        if kind == "paid_message":
            snippet.update(
                type="superChatEvent",
                displayMessage=f'{shown} from {who.name}: "{item["text"]}"',
                superChatDetails={
                    "amountMicros": micros,
                    "currency": currency,
                    "amountDisplayString": shown,
                    "userComment": item["text"],
                    "tier": tier,
                },
            )
        else:
            snippet.update(
                type="superStickerEvent",
                displayMessage=f"Super Sticker from {who.name}: Dancing owl",
                superStickerDetails={
                    "superStickerMetadata": {
                        "stickerId": "owl_dance_001",
                        "altText": "Dancing owl",
                        "altTextLanguage": "en",
                    },
                    "amountMicros": micros,
                    "currency": currency,
                    "amountDisplayString": shown,
                    "tier": tier,
                },
            )
    elif kind == "new_member":
        snippet.update(
            type="newSponsorEvent",
            displayMessage=f"Welcome to {CHANNEL}!",
            newSponsorDetails={"memberLevelName": LEVEL, "isUpgrade": False},
        )
    elif kind == "milestone":
        snippet.update(
            type="memberMilestoneChatEvent",
            displayMessage=item["text"],
            memberMilestoneChatDetails={
                "userComment": item["text"],
                "memberMonth": item["months"],
                "memberLevelName": LEVEL,
            },
        )
    elif kind == "gift_purchase":
        snippet.update(
            type="membershipGiftingEvent",
            displayMessage=f"Gifted {item['count']} {LEVEL} memberships",
            membershipGiftingDetails={"giftMembershipsCount": item["count"], "giftMembershipsLevelName": LEVEL},
        )
    else:  # redemption
        snippet.update(
            type="giftMembershipReceivedEvent",
            displayMessage=f"Was gifted a membership by {item['gifter']}",
            giftMembershipReceivedDetails={
                "memberLevelName": LEVEL,
                "gifterChannelId": who.channel,
                "associatedMembershipGiftingMessageId": "LCC." + item["id"],
            },
        )
    return {
        "kind": "youtube#liveChatMessage",
        "etag": "x3tN0mPz1kQv8fYb2LcW9rJ4sAo",
        "id": "LCC." + item["id"],
        "snippet": snippet,
        "authorDetails": {
            "channelId": who.channel,
            "channelUrl": f"http://www.youtube.com/channel/{who.channel}",
            "displayName": who.name,
            "profileImageUrl": "https://yt3.ggpht.com/ytc/a/s88-c-k-c0x00ffffff-no-rj",
            "isVerified": False,
            "isChatOwner": False,
            "isChatSponsor": sponsor,
            "isChatModerator": False,
        },
    }


def write_items(sink: Sink, events: int, rng: random.Random, render: Callable[[dict], dict | None]) -> None:
    """``events`` items of the chat, one record each (an item ``render`` leaves out is not counted)."""
    chat, written = youtube_chat(rng), 0
    while written < events:
        record = render(next(chat))
        if record is not None:
            sink.dump(record)
            written += 1


def write_pages(
    sink: Sink,
    events: int,
    rng: random.Random,
    most: int,
    page: Callable[[list[dict], random.Random], dict],
    render: Callable[[dict], dict | None],
) -> None:
    """``events`` items of the chat in pages of 1 to ``most`` items, one page a record."""
    chat, written = youtube_chat(rng), 0
    while written < events:
        items: list[dict] = []
        size = min(rng.randint(1, most), events - written)
        while len(items) < size:
            record = render(next(chat))
            if record is not None:
                items.append(record)
        sink.dump(page(items, rng))
        written += size


def innertube_response(actions: list[dict], rng: random.Random) -> dict[str, Any]:
    token = base64.urlsafe_b64encode(rng.randbytes(24)).decode()
    return {
        "responseContext": {
            "serviceTrackingParams": [
                {
                    "service": "CSI",
                    "params": [
                        {"key": "c", "value": "WEB"},
                        {"key": "cver", "value": "2.20261030.01.00"},
                        {"key": "GetLiveChat_rid", "value": "0x" + rng.randbytes(8).hex()},
                    ],
                }
            ],
            "webResponseContextExtensionData": {"hasDecorated": True},
        },
        "continuationContents": {
            "liveChatContinuation": {
                "continuations": [
                    {
                        "invalidationContinuationData": {
                            "invalidationId": {
                                "objectSource": 1056,
                                "objectId": "Y2hhdH5UVnJ0UkFQWjN2VX4xNzk3",
                                "topic": "chat~TVrtRAPZ3vU~1797",
                                "subscribeToGcmTopics": True,
                            },
                            "timeoutMs": 10000,
                            "continuation": token,
                        }
                    }
                ],
                "actions": actions,
            }
        },
        "trackingParams": "CAEQl98BIhMI" + token[:20],
    }


def data_api_response(items: list[dict], rng: random.Random) -> dict[str, Any]:
    return {
        "kind": "youtube#liveChatMessageListResponse",
        "etag": "p9Qw2LmZ7tXc4VbN1sKd8FhJ3yA",
        "pollingIntervalMillis": 5000,
        "nextPageToken": base64.urlsafe_b64encode(rng.randbytes(18)).decode(),
        "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)},
        "items": items,
    }


def write_chat_downloader(sink: Sink, events: int, rng: random.Random) -> None:
    write_items(sink, events, rng, chat_downloader)


def write_pytchat(sink: Sink, events: int, rng: random.Random) -> None:
    write_items(sink, events, rng, pytchat)


def write_innertube(sink: Sink, events: int, rng: random.Random) -> None:
    write_pages(sink, events, rng, 40, innertube_response, innertube_action)


def write_data_api(sink: Sink, events: int, rng: random.Random) -> None:
    write_pages(sink, events, rng, 150, data_api_response, data_api_item)


# --- Facebook ----------------------------------------------------------------------------------

VIDEO_ID = "1044871276362391"
STAR_AMOUNTS = Picker([int(stars) for stars, _ in make_sample.STARS], [weight for _, weight in make_sample.STARS])
REACTIONS = (("LIKE", 60), ("LOVE", 25), ("CARE", 5), ("WOW", 4), ("HAHA", 5), ("SAD", 0.5), ("ANGRY", 0.5))


def write_facebook_chat(sink: Sink, events: int, rng: random.Random) -> None:
    """chat-downloader's Facebook items (``chat_downloader_stars.json``): comments (some with reactions,
    some stickers), Stars as GraphQL's attachment (3%) or as chat-downloader renders it (1%: a ``target`` of type
    ``video_tip_jar_payment`` with ``quantity`` and the text "Sent N Stars")."""
    clock, audience = Clock(rng, rate=10.0), Audience(rng)
    comment = 1_044_871_533_029_032
    for _ in range(events):
        t, who = clock.tick(), audience.pick()
        comment += rng.randint(1, 400_000)
        item: dict[str, Any] = {
            "message_id": f"{VIDEO_ID}_{comment}",
            "message": chat_text(rng),
            "timestamp": t * 1000,
            "time_in_seconds": (t - START_MS) // 1000,
            "author": {
                "id": who.fb_id,
                "name": who.name,
                "type": "User",
                "url": f"https://www.facebook.com/{who.fb_id}",
            },
        }
        draw = rng.random()
        if draw < 0.03:
            stars = STAR_AMOUNTS.pick(rng)
            item["message"] = None
            item["attachments"] = [
                {
                    "__typename": "VideoTipJarPayment",
                    "spark_quantity": stars,
                    "stars_image_on_star_quantity": {
                        "uri": f"https://static.xx.fbcdn.net/rsrc.php/v3/stars_{stars}.png"
                    },
                }
            ]
        elif draw < 0.04:  # as chat-downloader 0.2.8 renders a VideoTipJarPayment (`_parse_attachment_info`)
            stars = STAR_AMOUNTS.pick(rng)
            item["message"] = None
            item["attachments"] = [
                {"target": {"type": "video_tip_jar_payment", "id": str(comment), "quantity": stars, "text": f"Sent {stars} Stars"}}
            ]
        elif draw < 0.06:
            item["message_type"] = "text_message"
            item.pop("message")
            item["attachments"] = [
                {"media": {"type": "Sticker", "label": "Clapping hands", "pack": {"id": "1598215083761813"}}}
            ]
        elif draw < 0.20:
            likes = rng.randint(1, 9)
            item["reactions"] = {
                "reaction_types": [{"key": "LIKE", "id": "1635855486666999", "name": "Like", "count": likes}],
                "total_count": likes,
            }
        sink.dump(item)


def write_live_reactions(sink: Sink, events: int, rng: random.Random) -> None:
    """``live_reactions`` events (``live_reactions.sse``): running totals per type, every two seconds;
    about one in twenty brings no increase."""
    picker = Picker([key for key, _ in REACTIONS], [weight for _, weight in REACTIONS])
    totals: dict[str, int] = {"LIKE": 0}
    for _ in range(events):
        if rng.random() >= 0.05:
            for _ in range(rng.randint(1, 30)):
                key = picker.pick(rng)
                totals[key] = totals.get(key, 0) + 1
        sink.dump({"reaction_stream": [{"key": key, "value": value} for key, value in totals.items()]})


# --- Instagram ---------------------------------------------------------------------------------

BADGE_HEADER = ["date", "badge_tier", "amount", "currency", "viewer", "count"]
BADGE_YEAR = dt.date(2024, 1, 1)
IG_ACCOUNT = "17841405309211844"
IG_MEDIA = "17918195224117851"


def write_badges(sink: CsvSink, events: int, rng: random.Random) -> None:
    """The badge file (``badges.csv``): a row per badge, dated, over a year of streams (2024: the rules
    value every one); mostly a tier, some with what the viewer paid, some counting several badges."""
    audience = Audience(rng)
    for index in range(events):
        day = BADGE_YEAR + dt.timedelta(days=index * 366 // events)
        who = audience.pick()
        draw = rng.random()
        if draw < 0.1:
            sink.row([day.isoformat(), "", rng.choice(("0.99", "1.99", "4.99")), "USD", who.handle, ""])
        else:
            tier = rng.choice("1112223")
            sink.row([day.isoformat(), tier, "", "", who.handle, str(rng.randint(2, 5)) if draw > 0.95 else ""])


def _ig_comment(rng: random.Random, who: Viewer, serial: int) -> dict[str, Any]:
    return {
        "from": {"id": str(6_824_837_447_560_351 + who.index), "username": who.handle},
        "media": {"id": IG_MEDIA, "media_product_type": "LIVE"},
        "id": str(17_865_799_348_089_039 + serial),
        "text": chat_text(rng),
    }


def write_ig_comments(sink: Sink, events: int, rng: random.Random) -> None:
    """``live_comments`` webhook payloads (``live_comments_webhook.jsonl``), one or two changes each, and
    (2% of records) a ``GET /{ig-media-id}/comments`` page of 25 (``comments_page.json``)."""
    clock, audience = Clock(rng, rate=5.0), Audience(rng)
    written = serial = 0
    while written < events:
        t = clock.tick()
        left = events - written
        if rng.random() < 0.02 and left >= 25:
            data = []
            for _ in range(25):
                serial += 1
                who = audience.pick()
                data.append(
                    {
                        "timestamp": dt.datetime.fromtimestamp(t / 1000, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000"),
                        "text": chat_text(rng),
                        "id": str(17_870_913_679_156_914 + serial),
                        "username": who.handle,
                    }
                )
            sink.dump(
                {"data": data, "paging": {"cursors": {"before": "QVFIUnpnaGJ5X3Y3", "after": "QVFIUjRTSGQ0b1p0"}}}
            )
            written += 25
            continue
        changes = []
        for _ in range(min(left, 2 if rng.random() < 0.05 else 1)):
            serial += 1
            changes.append({"field": "live_comments", "value": _ig_comment(rng, audience.pick(), serial)})
        sink.dump({"object": "instagram", "entry": [{"id": IG_ACCOUNT, "time": t // 1000, "changes": changes}]})
        written += len(changes)


# --- the formats -------------------------------------------------------------------------------


class Capture(NamedTuple):
    """A capture format: the file it makes, the reader that must read it, how the bare parse reads it."""

    name: str
    reader: str
    suffix: str
    sink: Callable[[BinaryIO], Sink]
    write: Callable[[Sink, int, random.Random], None]


def _csv_sink(fp: BinaryIO) -> Sink:
    return CsvSink(fp, BADGE_HEADER)


FORMATS = {
    capture.name: capture
    for capture in (
        Capture("tiktok-live-connector", "tiktok-live-connector", "jsonl", Sink, write_connector),
        Capture("tiktoklive-v7", "tiktoklive", "jsonl", Sink, write_tiktoklive_v7),
        Capture("tiktoklive-web-ui", "tiktoklive", "sse", SseSink, write_web_ui),
        Capture("chat-downloader", "chat-downloader", "jsonl", Sink, write_chat_downloader),
        Capture("pytchat", "pytchat", "jsonl", Sink, write_pytchat),
        Capture("youtube-innertube", "youtube-innertube", "jsonl", Sink, write_innertube),
        Capture("youtube-data-api", "youtube-data-api", "jsonl", Sink, write_data_api),
        Capture("facebook-chat-downloader", "facebook-chat-downloader", "json", ArraySink, write_facebook_chat),
        Capture("facebook-live-reactions", "facebook-live-reactions", "sse", SseSink, write_live_reactions),
        Capture("instagram-badges-csv", "instagram-badges-csv", "csv", _csv_sink, write_badges),
        Capture("instagram-graph-comments", "instagram-graph-comments", "jsonl", Sink, write_ig_comments),
    )
}


def path_for(name: str, events: int) -> Path:
    """``benchmarks/data/pytchat-1e5.jsonl`` for 10^5 events, and so on."""
    return DATA / f"{name}-{size_label(events)}.{FORMATS[name].suffix}"


def meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


def read_meta(path: Path) -> dict[str, Any] | None:
    """What `make` wrote beside ``path`` (``None`` when missing)."""
    try:
        return json.loads(meta_path(path).read_text())
    except (OSError, ValueError):
        return None


def make(name: str, events: int, seed: int = DEFAULT_SEED, out: Path | None = None, quiet: bool = False) -> Path:
    """The capture ``name`` of ``events`` events, made unless an up-to-date one is there."""
    capture = FORMATS[name]
    out = out or path_for(name, events)
    wanted = {"format": name, "events": events, "seed": seed, "version": FORMAT_VERSIONS.get(name, VERSION)}
    meta = read_meta(out)
    if out.exists() and meta is not None and all(meta.get(key) == value for key, value in wanted.items()):
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    began = time.perf_counter()
    rng = random.Random(f"{seed}:{name}")
    with open(part, "wb") as fp:
        sink = capture.sink(fp)
        capture.write(sink, events, rng)
        sink.close()
    os.replace(part, out)
    meta_path(out).write_text(
        json.dumps({**wanted, "records": sink.records, "layout": sink.layout, "reader": capture.reader}) + "\n"
    )
    if not quiet:
        print(
            f"{out}: {events:,} events in {sink.records:,} records, {out.stat().st_size / 1e6:,.1f} MB "
            f"in {time.perf_counter() - began:.1f} s",
            file=sys.stderr,
        )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[100_000], help="sizes (events in each file)")
    parser.add_argument(
        "--formats",
        nargs="+",
        choices=list(FORMATS),
        default=list(FORMATS),
        metavar="FORMAT",
        help=f"formats to make (default: all: {', '.join(FORMATS)})",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, help="output file (one format, one size)")
    args = parser.parse_args(argv)
    if args.out and (len(args.formats) != 1 or len(args.events) != 1):
        parser.error("--out takes one format and one size")
    for events in args.events:
        for name in args.formats:
            make(name, events, args.seed, args.out)


if __name__ == "__main__":
    main()
