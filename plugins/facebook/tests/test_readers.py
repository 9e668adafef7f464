"""Facebook readers on hand-written logs in data/, shaped like the formats of event-formats.md section 3
(chat-downloader items, live_reactions and live_comments events, Graph API comment pages); ids and names
are invented. Every total is worked out by hand in the test, and every record of every file is
accounted for: an event, a record without money, a kind not read, or a rejected record."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import livemoney as lm
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from livemoney import Context, Donation, Event, Like, Money, Rejected, value_event
from livemoney.kit import NO_MONEY, NOT_READ, Skipped, line_of
from livemoney_facebook.readers import READERS
from livemoney_facebook.readers.graph_comments import CommentsDecoder
from livemoney_facebook.readers.live_reactions import ReactionTotalsDecoder
from livemoney_facebook.rules import KEY

DATA = Path(__file__).parent / "data"
UTC = dt.UTC
READER = {reader.name: reader for reader in READERS}


def read(name, file):
    path = DATA / file
    with path.open("rb") as stream:
        return list(READER[name].read(stream, path.name))


def events(found):
    return [item for item in found if isinstance(item, Event)]


def rejects(found):
    return [(item.line, item.field) for item in found if isinstance(item, Rejected)]


def skipped(found):
    return [(item.line, item.kind, item.why) for item in found if isinstance(item, Skipped)]


def value_file(pm, file, **options):
    """The report of ``lm.value`` on a file of data/, its bad records skipped; its counts must add up."""
    report = lm.value(DATA / file, pm=pm, on_error="skip", progress=False, **options)
    without, unread = sum(report.without_money.values()), sum(report.not_read.values())
    assert report.records == report.events + without + unread + report.rejected
    return report


def test_the_plugin_declares_its_readers(pm):
    names = [reader.name for group in pm.hook.livemoney_readers() for reader in group if reader.platform == KEY]
    assert names == ["facebook-chat-downloader", "facebook-live-reactions", "facebook-graph-comments"]


@pytest.mark.parametrize(
    ("file", "reader"),
    [
        ("chat_downloader_stars.json", "facebook-chat-downloader"),
        ("chat_downloader_bad.jsonl", "facebook-chat-downloader"),
        ("live_reactions.sse", "facebook-live-reactions"),
        ("live_reactions.jsonl", "facebook-live-reactions"),
        ("graph_comments.json", "facebook-graph-comments"),
        ("live_comments.sse", "facebook-graph-comments"),
    ],
)
def test_each_file_is_recognised_by_its_reader_only(file, reader):
    head = (DATA / file).read_bytes()  # the host shows readers a file's first 64 KiB
    assert [r.name for r in READERS if r.sniff(head)] == [reader]


def test_a_long_chat_downloader_file_is_recognised_from_its_first_item():
    head = (DATA / "chat_downloader_stars.json").read_bytes()[:700]  # cut in the second item
    assert [r.name for r in READERS if r.sniff(head)] == ["facebook-chat-downloader"]


@pytest.mark.parametrize(
    "head",
    [
        b'{"type": "donation", "platform": "facebook", "feature": "stars", "amount": "500", "currency": "stars"}\n',
        b'[{"action_type": "add_chat_item", "message_id": "ChwKGk", "message": "hi", "timestamp": 1595761124656184}]',
        b"date,badge_tier,amount,currency,viewer\n",
        # Instagram: a live_comments webhook, one comment, and an OAuth error further down
        (
            b'{"object": "instagram", "entry": [{"changes": [{"field": "live_comments", "value": {"from": {"id": "6"}, '
            b'"id": "17865", "text": "hi"}}]}]}\n{"error": {"message": "Invalid OAuth access token"}}\n'
        ),
        b'{"id": "17865799348089039", "text": "hi", "from": {"id": "6", "username": "maya.draws"}}\n',
        b'{\n  "data": [\n    {"message": "cut',
        b"",
    ],
)
def test_other_formats_are_not_taken(head):
    assert not [r.name for r in READERS if r.sniff(head)]


# --- chat-downloader: Stars ------------------------------------------------------------------


def test_stars_from_chat_downloader_items():
    found = read("facebook-chat-downloader", "chat_downloader_stars.json")
    assert rejects(found) == []
    maria, tom = events(found)
    assert maria == Donation(
        platform="facebook",
        feature="stars",
        amount=Money(100, "stars"),
        viewer="Maria K.",
        ts=dt.datetime(2024, 5, 18, 19, 0, 45, tzinfo=UTC),  # 1716058845000000 µs
        id="1044871276362391_1044871796362339",
    )
    assert maria.source == "chat_downloader_stars.json:10"  # the line where her item starts
    # chat-downloader's rendering of Tom's 1000 Stars (0.2.8: a `target` of type "video_tip_jar_payment" with
    # `quantity` and the text "Sent 1000 Stars"); "I sent 50 Stars last week" is a comment, not Stars
    assert (tom.viewer, tom.amount) == ("Tom B.", Money(1000, "stars"))


def test_every_chat_downloader_item_is_accounted_for():
    found = read("facebook-chat-downloader", "chat_downloader_stars.json")
    # one outcome an item, on the line where the item starts
    assert [(item.line, item.kind, item.why) if isinstance(item, Skipped) else item.source for item in found] == [
        (2, "comment", NO_MONEY),  # "Hi from Lyon!"
        "chat_downloader_stars.json:10",  # Maria's 100 Stars
        (24, "comment", NO_MONEY),  # "I sent 50 Stars last week": text, not Stars
        "chat_downloader_stars.json:32",  # Tom's 1000 Stars, as chat-downloader renders them
        (39, "comment", NO_MONEY),  # "The sound is back"
        (46, "comment", NO_MONEY),  # a sticker: an attachment without money
        # a fundraiser donation: money to a cause, which no rule of this version values
        (54, "FundraiserForStoryDonationAttachmentStyleInfo", NOT_READ),
        # A breaker's find: "Sent 5000 Stars" typed by a viewer (chat-downloader's `message` is only what the
        # viewer typed) was counted as 5000 Stars, 71.41 USD. A comment; its link attachment (0.2.8's snake_case
        # type "generic_attachment_media") is one chat-downloader knows, without money.
        (67, "comment", NO_MONEY),
    ]


def test_the_stars_of_a_stream_are_valued_by_the_plugin(pm):
    found = events(read("facebook-chat-downloader", "chat_downloader_stars.json"))
    results = [value_event(event, Context(), pm) for event in found]
    # 1,100 Stars: the viewers paid 1100 * 1.40 / 100 = 15.40 USD; the creator earns 1100 * 0.01 = 11.00
    assert sum(r.gross.amount for r in results) == Decimal("15.40")
    assert sum(r.net.amount for r in results) == Decimal("11.00")
    assert sum(r.share("Meta").amount for r in results) == Decimal("4.40")


def test_the_report_of_a_chat_downloader_file_counts_every_item(pm):
    report = value_file(pm, "chat_downloader_stars.json")
    # 8 items: 2 with Stars, 5 comments (one typing "Sent 5000 Stars"), 1 fundraiser donation not read
    assert report.counts_line() == (
        "records 8 = events 2 + without money 5 + not read 1 + rejected 0; events 2 = valued 2 + duplicates 0"
    )
    assert report.without_money == {"comment": 5}
    assert report.not_read == {"FundraiserForStoryDonationAttachmentStyleInfo": 1}
    assert (
        "not read: FundraiserForStoryDonationAttachmentStyleInfo: 1 record, not read by this version" in report.notes()
    )
    assert (report.gross, report.shares, report.net) == (
        Money("15.40", "USD"),
        {"Meta": Money("4.40", "USD")},
        Money("11.00", "USD"),
    )


def test_bad_items_are_rejected_with_line_and_field():
    found = read("facebook-chat-downloader", "chat_downloader_bad.jsonl")
    assert rejects(found) == [
        (3, "attachments[0].spark_quantity"),  # "many"
        (4, "(line)"),  # cut-off JSON
        (5, "timestamp"),  # "yesterday"
        (6, "attachments[0].spark_quantity"),  # a VideoTipJarPayment without it
        (8, "attachments[0].spark_quantity"),  # 0 Stars
    ]
    problems = [item.problem for item in found if isinstance(item, Rejected)]
    assert "'many' is not a whole number of at least 1" in problems[0]
    assert problems[3] == "missing in a VideoTipJarPayment"
    # line 1: "Sent 25 Stars" (chat-downloader's text, its quantity left out), line 9: 50 Stars; line 2 is a comment
    assert [(e.source, e.viewer, e.amount) for e in events(found)] == [
        ("chat_downloader_bad.jsonl:1", "Ana P.", Money(25, "stars")),
        ("chat_downloader_bad.jsonl:9", "Ana P.", Money(50, "stars")),
    ]
    assert skipped(found) == [(2, "comment", NO_MONEY)]
    assert str(found[2]).startswith("chat_downloader_bad.jsonl:3: attachments[0].spark_quantity: ")


def test_the_report_of_a_file_with_bad_items(pm):
    report = value_file(pm, "chat_downloader_bad.jsonl")
    # 8 records on 9 lines (line 7 is blank): 2 with Stars, 1 comment, 5 rejected
    assert report.counts_line() == (
        "records 8 = events 2 + without money 1 + rejected 5; events 2 = valued 2 + duplicates 0"
    )
    assert (report.not_read, report.without_money) == ({}, {"comment": 1})
    # 75 Stars: 75 * 0.014 = 1.05 paid, 75 * 0.01 = 0.75 to the creator, Meta 0.30
    assert (report.gross, report.net) == (Money("1.05", "USD"), Money("0.75", "USD"))


def test_two_stars_payments_in_one_item_are_rejected_and_a_fundraiser_in_chat_downloaders_shape_is_not_read():
    # A breaker's finds: of two Stars targets (100 and 200) only the first was counted, in silence; and a fundraiser
    # donation as chat-downloader writes it (its `style_infos` the donor's entity with the donation's text) was a
    # comment once attachment types were compared folded ("user" is the known type "User").
    decoder = READER["facebook-chat-downloader"].decoder("live")
    stars = [{"target": {"type": "video_tip_jar_payment", "quantity": n}} for n in (100, 200)]
    (rejected,) = decoder.feed({"message_id": "9_17", "attachments": stars}, 1)
    assert isinstance(rejected, Rejected) and rejected.field == "attachments[1].target"
    assert rejected.problem == "a second Stars payment in one comment (the first at attachments[0].target): not guessed"
    style = {"id": "100031415926535", "type": "user", "text": "Lea M. donated $10.00 to Ocean Cleanup"}
    fundraiser = {"message_id": "9_50", "attachments": [{"type": "StoryAttachment", "style_infos": style}]}
    assert list(decoder.feed(fundraiser, 2)) == [
        Skipped("live", 2, "FundraiserForStoryDonationAttachmentStyleInfo", NOT_READ)
    ]
    one = {"message_id": "9_18", "attachments": stars[:1]}
    (donation,) = decoder.feed(one, 3)
    assert donation.amount == Money(100, "stars")
    # One payment shown in two parts of its attachment (its target and its style) is one payment (a re-check's
    # worry: were chat-downloader to write it so, every Stars comment would be rejected); another quantity is not.
    target = {"type": "video_tip_jar_payment", "quantity": 100}
    both = {"message_id": "9_19", "attachments": [{"target": target, "style_infos": {**target, "text": "Sent 100 Stars"}}]}
    (donation,) = decoder.feed(both, 4)
    assert donation.amount == Money(100, "stars")
    both["attachments"][0]["style_infos"]["quantity"] = "100"  # one number, written as text (a re-check's find)
    (donation,) = decoder.feed(both, 4)
    assert donation.amount == Money(100, "stars")
    both["attachments"][0]["style_infos"]["quantity"] = 0  # not a quantity: its own problem, not "a second payment"
    (rejected,) = decoder.feed(both, 4)
    assert (rejected.field, rejected.problem) == ("attachments[0].style_infos.quantity", "0 is not a whole number of at least 1")
    both["attachments"][0]["style_infos"]["quantity"] = 200
    (rejected,) = decoder.feed(both, 5)
    assert isinstance(rejected, Rejected) and rejected.field == "attachments[0].style_infos"
    # A quantity past livemoney's bounds, or in digits other than ASCII's, is rejected naming its own field.
    for line, quantity in enumerate((10**30, "١٢"), start=6):
        odd = {"message_id": f"9_{line}", "attachments": [{"target": {"type": "video_tip_jar_payment", "quantity": quantity}}]}
        (rejected,) = decoder.feed(odd, line)
        assert isinstance(rejected, Rejected) and rejected.field == "attachments[0].target.quantity", rejected


def test_an_item_of_a_kind_chat_downloader_does_not_write_for_facebook_is_not_read():
    decoder = READER["facebook-chat-downloader"].decoder("live")
    item = {"message_id": "1_9", "message_type": "paid_message", "message": "hi", "attachments": []}
    assert list(decoder.feed(item, 1)) == [Skipped("live", 1, "paid_message", NOT_READ)]
    unknown = {"message_id": "1_10", "attachments": [{"media": {"type": "Gift Card Attachment", "id": "5"}}]}
    assert list(decoder.feed(unknown, 2)) == [Skipped("live", 2, "GiftCardAttachment", NOT_READ)]
    photo = {"message_id": "1_11", "attachments": [{"__typename": "Photo", "id": "6"}]}
    assert list(decoder.feed(photo, 3)) == [Skipped("live", 3, "comment", NO_MONEY)]


def test_accepts_tells_facebook_items_from_youtube_ones():
    accepts = READER["facebook-chat-downloader"].accepts
    assert accepts({"message_id": "1_2", "message": "Sent 5 Stars", "author": {"url": "https://www.facebook.com/x"}})
    assert accepts({"message_id": "1_2", "attachments": []})
    assert not accepts({"message_id": "Chw", "action_type": "add_chat_item", "message": "hi"})
    assert not accepts({"reaction_stream": []})


# --- live_reactions: running totals ----------------------------------------------------------


def test_reaction_totals_become_likes_of_the_increases_across_a_reconnect():
    found = read("facebook-live-reactions", "live_reactions.sse")
    assert rejects(found) == [(8, "reaction_stream[0].value")]  # a total of -5
    assert skipped(found) == [
        (6, "reaction totals with no increase", NO_MONEY),  # the same totals again
        (15, "live_views", NOT_READ),  # a Graph API object of another kind
    ]
    likes = events(found)
    assert all(isinstance(like, Like) and like.platform == "facebook" for like in likes)
    assert [(like.source, like.count) for like in likes] == [
        ("live_reactions.sse:2", 40094 + 1203),  # the first totals count from 0
        ("live_reactions.sse:4", (40120 - 40094) + (1210 - 1203) + 3),  # 26 + 7 + 3 (WOW new)
        # line 6 repeats the totals: nothing; line 8 is rejected and changes nothing
        ("live_reactions.sse:11", 15 + 1),  # reconnect: LIKE and LOVE restart lower, new counters; WOW unchanged
        ("live_reactions.sse:13", (40 - 15) + (5 - 3) + 2),  # 25 + 2 + 2 (HAHA new)
    ]
    assert sum(like.count for like in likes) == 41378


def test_the_report_of_reaction_totals_counts_every_event(pm):
    report = value_file(pm, "live_reactions.sse")
    # 7 events (lines 2, 4, 6, 8, 11, 13, 15): 4 increases, 1 repeat of the totals, 1 rejected, 1 not read
    assert report.counts_line() == (
        "records 7 = events 4 + without money 1 + not read 1 + rejected 1; events 4 = valued 4 + duplicates 0"
    )
    assert report.without_money == {"reaction totals with no increase": 1}
    assert report.not_read == {"live_views": 1}
    assert report.row("facebook", "like").units == {"likes": Decimal(41378)}
    assert report.net == Money("0.00", "USD")


def test_reaction_totals_as_json_lines():
    found = read("facebook-live-reactions", "live_reactions.jsonl")
    assert rejects(found) == [(4, "reaction_stream")]  # an object, not the list of {key, value}
    # 124; +60; +5 ("185" as text) +2; then LIKE 20 and CARE 1 are lower: new counters, +21
    assert [like.count for like in events(found)] == [124, 60, 7, 21]


def test_likes_from_reactions_earn_nothing(pm):
    likes = events(read("facebook-live-reactions", "live_reactions.jsonl"))
    results = [value_event(like, Context(currency="EUR"), pm) for like in likes]
    assert sum(r.units["likes"] for r in results) == 212
    assert all(r.net == Money(0, "EUR") for r in results)


def test_a_live_decoder_starts_new_counters_after_a_disconnect():
    decoder = ReactionTotalsDecoder("live")
    assert [like.count for like in decoder.feed({"reaction_stream": [{"key": "LIKE", "value": 50}]}, 1)] == [50]
    no_increase = Skipped("live", 2, "reaction totals with no increase", NO_MONEY)
    assert list(decoder.feed({"reaction_stream": [{"key": "LIKE", "value": 50}]}, 2)) == [no_increase]
    assert list(decoder.flush(dt.datetime(2024, 5, 18, tzinfo=UTC))) == []  # a timeout check keeps the counters
    assert [like.count for like in decoder.feed({"reaction_stream": [{"key": "LIKE", "value": 60}]}, 3)] == [10]
    assert list(decoder.flush(None)) == []  # disconnected: the next connection counts from 0
    # 70 is higher than 60, yet it is a new counter: all 70 are new
    assert [like.count for like in decoder.feed({"reaction_stream": [{"key": "LIKE", "value": 70}]}, 4)] == [70]
    assert READER["facebook-live-reactions"].accepts({"reaction_stream": []})


def test_totals_read_past_a_plain_entry_count_from_the_last_totals():
    decoder = ReactionTotalsDecoder("live")
    (first,) = decoder.feed({"reaction_stream": [{"key": "LIKE", "value": 10}, {"key": "LOVE", "value": 5}]}, 1)
    assert first.count == 15
    # LIKE is plain, LOVE a digit string with a comma: the whole record is read by the checks, from 10 and 5
    stream = [{"key": "LIKE", "value": 15}, {"key": "LOVE", "value": "1,005"}]
    (second,) = decoder.feed({"reaction_stream": stream}, 2)
    assert second.count == (15 - 10) + (1005 - 5)
    # a rejected record keeps no total: LIKE went from 15 to 20 once, in the record after it
    (bad,) = decoder.feed({"reaction_stream": [{"key": "LIKE", "value": 20}, {"key": "", "value": 1}]}, 3)
    assert (bad.line, bad.field) == (3, "reaction_stream[1].key")
    (third,) = decoder.feed({"reaction_stream": [{"key": "LIKE", "value": 20}]}, 4)
    assert third.count == 20 - 15


def test_the_reaction_decoder_gives_back_every_record():
    decoder = ReactionTotalsDecoder("live")
    comment = {"id": "1_2", "message": "hi", "from": {"id": "3", "name": "A"}}
    assert list(decoder.feed(comment, 1)) == [Skipped("live", 1, "comment", NO_MONEY)]
    (error,) = decoder.feed({"error": {"message": "(#100) Unsupported get request"}}, 2)
    assert (error.line, error.field) == (2, "error")
    (stranger,) = decoder.feed({"hello": "world"}, 3)  # no Graph API object: no id
    assert (stranger.line, stranger.field, stranger.problem) == (3, "reaction_stream", "missing")


# --- Graph API comments: no money --------------------------------------------------------------


def test_a_comments_page_gives_a_comment_without_money_for_each_comment(pm):
    # "Sent 100 Stars" typed in a comment is text, not Stars: the Graph API has no Stars
    found = read("facebook-graph-comments", "graph_comments.json")
    assert found == [Skipped("graph_comments.json", 1, "comment", NO_MONEY)] * 3
    report = value_file(pm, "graph_comments.json")
    assert report.counts_line() == (
        "records 3 = events 0 + without money 3 + rejected 0; events 0 = valued 0 + duplicates 0"
    )


def test_live_comments_are_without_money_errors_rejected_and_other_objects_not_read(pm):
    found = read("facebook-graph-comments", "live_comments.sse")
    assert rejects(found) == [(5, "error"), (7, "(record)")]  # an OAuth error; an object with no id
    assert skipped(found) == [(1, "comment", NO_MONEY), (3, "comment", NO_MONEY), (9, "live_views", NOT_READ)]
    assert found[2].problem == "the Graph API answered an error: (#200) Permissions error"
    report = value_file(pm, "live_comments.sse")
    assert report.counts_line() == (
        "records 5 = events 0 + without money 2 + not read 1 + rejected 2; events 0 = valued 0 + duplicates 0"
    )
    assert (report.without_money, report.not_read) == ({"comment": 2}, {"live_views": 1})


def test_a_page_gives_one_outcome_an_item():
    decoder = CommentsDecoder("live")
    page = {
        "data": [
            {"id": "1_2", "message": "hi"},
            {"id": "552524095105158", "name": "Steph C.", "type": "LOVE"},  # an item of GET /{id}/reactions
            {"message": "no id"},
        ]
    }
    comment, reaction, bad = decoder.feed(page, 4)
    assert (comment, reaction) == (Skipped("live", 4, "comment", NO_MONEY), Skipped("live", 4, "reaction", NOT_READ))
    assert (bad.line, bad.field) == (4, "data[2]")
    assert list(decoder.feed({"data": [], "paging": {}}, 5)) == [Skipped("live", 5, "empty page", NO_MONEY)]


def test_comments_accepts():
    accepts = READER["facebook-graph-comments"].accepts
    assert accepts({"id": "1_2", "message": "hi", "from": {"id": "3", "name": "A"}})
    assert accepts({"data": [{"id": "1_2", "message": "hi"}], "paging": {}})
    assert not accepts({"message_id": "1_2", "message": "hi", "attachments": []})
    assert not accepts({"reaction_stream": []})


def test_a_file_of_only_blank_lines_reads_as_nothing():
    for reader in READERS:
        assert list(reader.read(io.BytesIO(b"\n\n"), "empty.json")) == []


totals = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=20).map(sorted)


@given(st.dictionaries(st.sampled_from(["LIKE", "LOVE", "WOW", "HAHA", "CARE"]), totals, min_size=1))
def test_rising_totals_add_up_to_the_last_totals(series):
    decoder = ReactionTotalsDecoder("live")
    length = max(len(values) for values in series.values())
    found = []
    for index in range(length):
        stream = [{"key": key, "value": values[index]} for key, values in series.items() if index < len(values)]
        found.extend(decoder.feed({"reaction_stream": stream}, index + 1))
    assert [line_of(item) for item in found] == list(range(1, length + 1))  # each event once, in order
    likes = [item for item in found if isinstance(item, Like)]
    assert all(like.count >= 1 for like in likes)
    assert sum(like.count for like in likes) == sum(values[-1] for values in series.values())
    assert all(item.kind == "reaction totals with no increase" for item in found if isinstance(item, Skipped))


# Any JSON, built from the formats' own field names among others: a decoder must never drop a record.
KEYS = st.sampled_from(
    [
        "message_id",
        "message",
        "message_type",
        "attachments",
        "__typename",
        "type",
        "media",
        "spark_quantity",
        "author",
        "timestamp",
        "reaction_stream",
        "key",
        "value",
        "id",
        "data",
        "error",
        "from",
        "live_views",
    ]
)
records = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.text(max_size=12) | st.just("Sent 5 Stars"),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS | st.text(max_size=6), children, max_size=5),
    max_leaves=20,
)


@given(st.sampled_from([reader.name for reader in READERS]), st.lists(records, max_size=6))
def test_every_record_fed_comes_back_on_its_line(name, fed):
    decoder = READER[name].decoder("live")
    for line, record in enumerate(fed, start=1):
        items = list(decoder.feed(record, line))
        assert items, f"record {line} gave no account of itself: {record!r}"
        assert {line_of(item) for item in items} == {line}
    assert list(decoder.flush(None)) == []


class CheckedOnly(ReactionTotalsDecoder):
    """The reactions decoder with every record read the careful way (`_checked`), never the quick one."""

    def feed(self, record, line):
        return [self._checked(record, line)]


plain_entries = st.builds(
    lambda key, value: {"key": key, "value": value}, st.sampled_from(["LIKE", "LOVE", "WOW"]), st.integers(0, 9)
)
odd_types = st.sampled_from(["LIKE", ""]) | st.just(7) | st.just(["LIKE"]) | st.just(True)
odd_values = st.integers(-2, 6) | st.sampled_from([True, 2.0, "3", None, 10**12 + 1])
odd_entries = st.dictionaries(st.sampled_from(["key", "value", "other"]), odd_types | odd_values, max_size=3) | (
    st.builds(lambda key, value: {"key": key, "value": value}, odd_types, odd_values)
)
reaction_stream = st.lists(st.one_of(plain_entries, plain_entries, plain_entries, odd_entries), max_size=5)
reaction_records = st.one_of(*[st.builds(lambda stream: {"reaction_stream": stream}, reaction_stream)] * 3, records)


@given(st.lists(reaction_records, max_size=12))
@example([{"reaction_stream": [{"key": "LIKE", "value": 1}]}, {"reaction_stream": [{"key": "LIKE", "value": True}]}])
@example([{"reaction_stream": [{"key": "LIKE", "value": 1}]}, {"reaction_stream": [{"key": "LIKE", "value": -1}]}])
@example([{"reaction_stream": [{"key": "LIKE", "value": 1}]}, {"reaction_stream": [{"key": ["LIKE"], "value": 2}]}])
def test_the_quick_reading_of_reaction_totals_is_the_careful_one(fed):
    # Plain totals (the Graph API's) are read at once, a type looked up as it is; every record, odd entries among
    # them (a key that is no text, blank or unhashable, a value that is no whole number, a count beyond the
    # maximum), gives the same items and leaves the same last totals as read by `_checked` alone.
    quick, careful = ReactionTotalsDecoder("live"), CheckedOnly("live")
    for line, record in enumerate(fed, start=1):
        assert _outcome(quick, record, line) == _outcome(careful, record, line)
        assert quick._last == careful._last


def _outcome(decoder, record, line):
    try:
        return list(decoder.feed(record, line))
    except Exception as error:  # noqa: BLE001 - a count beyond the maximum: the same error either way
        return repr(error)
