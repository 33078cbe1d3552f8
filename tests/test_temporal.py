"""Partial dates and interval logic (kg.temporal)."""

from __future__ import annotations

from datetime import date

import pytest

from kg.errors import KGError
from kg.temporal import (
    Interval,
    compare,
    describe_partial,
    format_partial,
    parse_partial,
    period_bounds,
    precision_name,
    relate,
    status_as_of,
)

WINDOW = 365


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2014", False, (date(2014, 1, 1), "year")),
        ("2014", True, (date(2014, 12, 31), "year")),
        ("2014-12", False, (date(2014, 12, 1), "month")),
        ("2014-12", True, (date(2014, 12, 31), "month")),
        ("2016-02", True, (date(2016, 2, 29), "month")),
        ("2014-12-22", False, (date(2014, 12, 22), "day")),
        ("2014-12-22", True, (date(2014, 12, 22), "day")),
    ],
)
def test_parse_partial(text: str, end: bool, expected: tuple[date, str]) -> None:
    assert parse_partial(text, end=end) == expected


@pytest.mark.parametrize("text", ["14", "2014-13", "2014-02-30", "Dec 2014", ""])
def test_parse_partial_rejects(text: str) -> None:
    with pytest.raises(KGError):
        parse_partial(text)


@pytest.mark.parametrize("text", ["2014", "2014-12", "2014-12-22"])
def test_format_round_trip(text: str) -> None:
    assert format_partial(*parse_partial(text)) == text
    assert format_partial(*parse_partial(text, end=True)) == text


def test_describe_and_precision_names() -> None:
    assert describe_partial(date(2014, 12, 1), "month") == "Dec 2014"
    assert describe_partial(date(2014, 1, 1), "year") == "2014"
    assert precision_name("https://w3id.org/kg/ontology#MonthPrecision") == "month"
    assert precision_name(None) == "day"
    assert period_bounds(date(2014, 5, 9), "month") == (date(2014, 5, 1), date(2014, 5, 31))


def test_status_no_end_date_is_unknown_after_last_confirmation() -> None:
    iv = Interval(date(2012, 1, 1), start_precision="year", last_confirmed=date(2014, 6, 30))
    assert status_as_of(iv, date(2011, 12, 31)) == "not started"
    assert status_as_of(iv, date(2012, 6, 1)) == "unknown"      # inside the start year
    assert status_as_of(iv, date(2013, 1, 1)) == "active"
    assert status_as_of(iv, date(2014, 6, 30)) == "active"
    assert status_as_of(iv, date(2014, 7, 1)) == "unknown"      # end unknown, not "active"


def test_status_ongoing_and_future_end() -> None:
    ongoing = Interval(date(2014, 12, 1), start_precision="month", end_status="ongoing")
    assert status_as_of(ongoing, date(2014, 12, 15)) == "unknown"
    assert status_as_of(ongoing, date(2014, 12, 31)) == "active"
    assert status_as_of(ongoing, date(2030, 1, 1)) == "active"
    future = Interval(date(2014, 1, 1), date(2099, 12, 31), end_status="ended")
    assert status_as_of(future, date(2026, 1, 1)) == "active"
    assert status_as_of(future, date(2100, 1, 1)) == "ended"


def test_status_partial_end() -> None:
    iv = Interval(date(2012, 1, 1), date(2014, 12, 31), end_precision="year")
    assert status_as_of(iv, date(2013, 12, 31)) == "active"
    assert status_as_of(iv, date(2014, 6, 1)) == "unknown"
    assert status_as_of(iv, date(2015, 1, 1)) == "ended"


def test_relate_founding_case_is_recent() -> None:
    member = Interval(date(2014, 12, 1), start_precision="month", end_status="ongoing")
    suit = Interval(date(2012, 5, 29), date(2014, 7, 28))
    assert relate(member, suit, WINDOW) == ("recent", 126)
    result = compare(member, suit, WINDOW)
    assert (result.max_gap_days, result.a_first) == (156, False)
    assert relate(member, suit, 100) == ("historical", 126)


def test_relate_membership_ended_the_day_before_filing_is_not_active() -> None:
    member = Interval(date(2012, 9, 1), date(2013, 5, 31))
    suit = Interval(date(2013, 6, 1), date(2013, 12, 31))
    assert relate(member, suit, WINDOW) == ("recent", 1)
    assert compare(member, suit, WINDOW).a_first is True


def test_relate_overlap_and_same_day() -> None:
    member = Interval(date(2013, 1, 1), end_status="ongoing")
    suit = Interval(date(2014, 3, 10), date(2015, 1, 20))
    assert relate(member, suit, WINDOW) == ("active", 0)
    ends_on_filing = Interval(date(2012, 1, 1), date(2014, 3, 10))
    assert relate(ends_on_filing, suit, WINDOW) == ("active", 0)


def test_relate_year_only_date_straddling_the_other_interval_is_unknown() -> None:
    member = Interval(date(2014, 1, 1), start_precision="year", end_status="ongoing")
    suit = Interval(date(2014, 6, 1), date(2014, 9, 30))
    result = compare(member, suit, WINDOW)
    assert (result.status, result.gap_days) == ("unknown", None)
    assert "possible overlap" in result.note
    # the same year-only date against a suit that starts after the year: certain overlap
    later = Interval(date(2015, 2, 1), date(2015, 3, 1))
    assert relate(member, later, WINDOW) == ("active", 0)


def test_relate_year_only_end_compared_with_full_date() -> None:
    member = Interval(date(2010, 1, 1), date(2012, 12, 31), end_precision="year")
    suit = Interval(date(2013, 1, 2), date(2013, 5, 1))
    assert relate(member, suit, WINDOW) == ("recent", 2)
    assert compare(member, suit, WINDOW).max_gap_days == 367


def test_relate_end_unknown_may_overlap() -> None:
    member = Interval(date(2012, 1, 1), start_precision="year", end_status="unknown")
    suit = Interval(date(2016, 6, 1), date(2017, 1, 1))
    assert relate(member, suit, WINDOW) == ("unknown", None)
    early = Interval(date(2012, 5, 29), date(2014, 7, 28))
    assert relate(member, early, WINDOW) == ("active", 0)


def test_relate_missing_start_is_unknown() -> None:
    assert relate(Interval(None), Interval(date(2014, 1, 1)), WINDOW) == ("unknown", None)


def test_relate_historical() -> None:
    member = Interval(date(2008, 1, 1), date(2009, 1, 1))
    suit = Interval(date(2014, 1, 1), date(2014, 2, 1))
    assert relate(member, suit, WINDOW) == ("historical", 1826)


def test_clip() -> None:
    iv = Interval(date(2012, 1, 1), date(2016, 1, 1))
    assert iv.clip(date(2011, 1, 1)) is None
    clipped = iv.clip(date(2014, 1, 1))
    assert clipped is not None and clipped.end is None and clipped.status_of_end == "ongoing"
    assert iv.clip(date(2017, 1, 1)) == iv
