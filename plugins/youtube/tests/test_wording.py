"""YouTube's own wording: a gifted-membership count is read from YouTube's header, never from viewer text."""

from __future__ import annotations

import pytest
from livemoney.kit import FieldError
from livemoney_youtube.readers.currencies import parse_display
from livemoney_youtube.readers.wording import (
    GIFT_PURCHASE,
    donated_amount,
    donated_text,
    gift_count,
    gift_count_in_runs,
    require_gift_count,
)


def runs(*texts):
    return [{"text": text, "bold": True} for text in texts]


@pytest.mark.parametrize("wording", GIFT_PURCHASE, ids=lambda w: f"{w.lang}: {w.example}")
def test_each_sourced_wording_reads_its_own_example(wording):
    assert wording.source and wording.evidence in ("capture", "screenshot")
    assert gift_count(wording.example) is not None


@pytest.mark.parametrize(
    "header, count",
    [
        (runs("Sent ", "10", " ", "AZKi Channel", " gift memberships"), 10),
        (runs("Sent ", "1", " ", "鈴原るる【にじさんじ所属】", " gift memberships"), 1),
        (runs("Gifted ", "5", " ", "Miko Ch. さくらみこ", " memberships"), 5),
        (runs("5", " 件の ", "上級エンジニア", " のメンバーシップ ギフトを贈りました"), 5),
        # the level comes first in the newer Japanese wording and may hold digits: the count is before 個
        (runs("【876プロ】Example", " のメンバーシップ ギフトを ", "1", " 個贈りました"), 1),
        (runs("送出了 ", "5", " 個「", "杉山参 SugiyamaMairu ch.【UMiLive二期生】", "」的會籍"), 5),
        # a level named with digits only, in a known wording: the wording says which run counts
        (runs("Sent ", "3", " ", "2024", " gift memberships"), 3),
    ],
)
def test_counts_from_captured_headers(header, count):
    assert gift_count_in_runs(header, "primaryText") == count


def test_a_header_in_a_wording_not_listed_is_read_from_its_only_digits_run():
    # not a translation: a stand-in for any interface language whose header keeps the count in its own
    # run, as every captured wording does
    assert gift_count_in_runs(runs("«", "7", "» · Example Level · «gift»"), "primaryText") == 7


@pytest.mark.parametrize(
    "header, problem",
    [
        (runs("«", "7", "» · ", "2024", " · «gift»"), "2 runs that are only digits"),
        (runs("«seven» · Example Level"), "no run that is only digits"),
        (runs("Sent ", "0", " ", "Example", " gift memberships"), "its only digits-only run is 0"),
    ],
)
def test_an_unreadable_header_is_refused_with_its_reason(header, problem):
    with pytest.raises(FieldError) as caught:
        gift_count_in_runs(header, "header.primaryText")
    assert caught.value.field == "header.primaryText"
    assert "no gifted membership count" in caught.value.problem and problem in caught.value.problem


@pytest.mark.parametrize(
    "viewer_text",
    [
        "gifted 20 memberships last year",
        "I gifted 20 memberships yesterday!",
        "Sent 20 memberships to my friends lol",
        "thanks for the 5 件の gifts",
    ],
)
def test_words_a_viewer_could_type_are_no_header(viewer_text):
    assert gift_count(viewer_text) is None
    with pytest.raises(FieldError):
        require_gift_count(viewer_text, "message")


def test_a_giving_amount_is_never_one_a_donor_wrote_into_their_name():
    # A re-check's find: a display name "Bob donated $9,999.00 via" was read as the amount (9999.00 USD for 50.00).
    name = "Bob donated $9,999.00 via"
    assert donated_text(f"{name} donated $50.00", name) == "$50.00"
    assert donated_text(f"  {name} donated $50.00", f"{name} ") == "$50.00"
    assert donated_text("Anonymous donated $50.00", "Anonymous") == "$50.00"
    assert donated_text("Anonymous gave", "Anonymous") is None
    assert donated_amount("I donated donated ￥500", "text", "I donated") == parse_display("￥500", "text")
    # a prefix with a space, as the text gives it (a second re-check: "CHF 50.00" was lost when spaces were refused)
    assert donated_amount(f"{name} donated CHF 50.00", "text", name) == parse_display("CHF 50.00", "text")
    assert donated_text("Bob donated $9,999.00 via donated $50.00", "someone else") == "$50.00"  # the last one
    assert donated_text("Bob donated x donated $50.00") == "$50.00"  # no prefix runs across a second "donated"
