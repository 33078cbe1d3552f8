"""Partial dates and intervals with precision and end status (the vocabulary's date rules).

A partial date is stored as one ``xsd:date`` plus a precision (``day``, ``month``, ``year``):
a *start* (or any plain date) is the **first** day of its period, an *end* the **last** day
("ended in 2014" is 2014-12-31). An interval knows, besides its dates, whether a missing end
means "still holds" (``ongoing``) or "nobody says" (``unknown``); a missing end with no status
is read as ``unknown``, never silently as either.

Two questions are answered here, both without guessing:

- :func:`status_as_of`: does the interval hold on a day? ``active``, ``ended``,
  ``not started``, or ``unknown`` when the precision or a missing end leaves it open.
- :func:`relate` / :func:`compare`: how do two intervals stand to each other? ``active`` when
  they certainly overlap, ``recent`` when they certainly do not and the gap is within the
  window, ``historical`` when the gap is larger, ``unknown`` when a start is missing or they
  only *may* overlap (a year-precision date whose period straddles the other interval).

>>> parse_partial("2014-12")
(datetime.date(2014, 12, 1), 'month')
>>> parse_partial("2014", end=True)
(datetime.date(2014, 12, 31), 'year')
>>> member = Interval(date(2014, 12, 1), start_precision="month", end_status="ongoing")
>>> suit = Interval(date(2012, 5, 29), date(2014, 7, 28))
>>> relate(member, suit, 365)
('recent', 126)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date

from .errors import KGError

PRECISIONS = ("day", "month", "year")
END_STATUSES = ("ended", "ongoing", "unknown")
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _check_precision(precision: str) -> None:
    if precision not in PRECISIONS:
        raise KGError(f"unknown date precision {precision!r} (use {', '.join(PRECISIONS)})")


def period_bounds(value: date, precision: str = "day") -> tuple[date, date]:
    """The first and last day of the period (day, month or year) that contains ``value``."""
    _check_precision(precision)
    if precision == "year":
        return date(value.year, 1, 1), date(value.year, 12, 31)
    if precision == "month":
        last = calendar.monthrange(value.year, value.month)[1]
        return date(value.year, value.month, 1), date(value.year, value.month, last)
    return value, value


def parse_partial(text: str, *, end: bool = False) -> tuple[date, str]:
    """``"2014"``, ``"2014-12"`` or ``"2014-12-22"`` as (stored date, precision).

    The stored date is the first day of the period, or the last day when ``end`` is true.
    """
    match = _PARTIAL.match(text.strip())
    if not match:
        raise KGError(f"{text!r} is not a partial date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = match.groups()
    try:
        if day is not None:
            return date(int(year), int(month), int(day)), "day"
        precision = "month" if month is not None else "year"
        first, last = period_bounds(date(int(year), int(month or 1), 1), precision)
    except ValueError as exc:
        raise KGError(f"{text!r} is not a valid date: {exc}") from exc
    return (last if end else first), precision


def format_partial(value: date, precision: str = "day") -> str:
    """The ISO form a partial date was written in: ``2014``, ``2014-12`` or ``2014-12-22``."""
    _check_precision(precision)
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def describe_partial(value: date, precision: str = "day") -> str:
    """A partial date for a sentence: ``2014``, ``Dec 2014`` or ``2014-12-22``."""
    _check_precision(precision)
    if precision == "month":
        return f"{_MONTHS[value.month - 1]} {value.year}"
    return format_partial(value, precision)


def precision_name(term: object | None) -> str:
    """``kg:MonthPrecision`` (an IRI or its text) → ``"month"``; absent → ``"day"``."""
    if term is None:
        return "day"
    local = re.split(r"[#/]", str(term))[-1]
    name = local.removesuffix("Precision").lower()
    return name if name in PRECISIONS else "day"


@dataclass(frozen=True)
class Interval:
    """A validity interval: start and end as stored (first / last day of their periods).

    ``end_status`` is ``"ended"`` (an end date is given), ``"ongoing"`` (known to still
    hold) or ``"unknown"``; with no end date and no status the end is ``unknown``.
    ``last_confirmed`` is the latest day a source shows the interval still held.
    """

    start: date | None
    end: date | None = None
    start_precision: str = "day"
    end_precision: str = "day"
    end_status: str | None = None
    last_confirmed: date | None = None

    def __post_init__(self) -> None:
        _check_precision(self.start_precision)
        _check_precision(self.end_precision)
        if self.end_status is not None and self.end_status not in END_STATUSES:
            raise KGError(f"unknown end status {self.end_status!r}")

    @property
    def status_of_end(self) -> str:
        """``ended``, ``ongoing`` or ``unknown`` (an end date always means ``ended``)."""
        if self.end is not None:
            return "ended"
        return "ongoing" if self.end_status == "ongoing" else "unknown"

    @property
    def earliest_start(self) -> date | None:
        return None if self.start is None else period_bounds(self.start, self.start_precision)[0]

    @property
    def latest_start(self) -> date | None:
        return None if self.start is None else period_bounds(self.start, self.start_precision)[1]

    @property
    def possible_until(self) -> date | None:
        """The last day it may have held; ``None`` when it may still hold."""
        return self.end

    @property
    def certain_until(self) -> date | None:
        """The last day it certainly held (``None``: it still holds)."""
        if self.end is not None:
            return period_bounds(self.end, self.end_precision)[0]
        if self.status_of_end == "ongoing":
            return None
        known = [d for d in (self.latest_start, self.last_confirmed) if d is not None]
        return max(known) if known else None

    def clip(self, as_of: date) -> Interval | None:
        """The interval as it was known on ``as_of``: ``None`` if it had not begun, and an
        end after ``as_of`` becomes ``ongoing``."""
        if self.start is None or (self.earliest_start or self.start) > as_of:
            return None
        if self.end is not None and self.end > as_of:
            return replace(self, end=None, end_precision="day", end_status="ongoing")
        if self.last_confirmed is not None and self.last_confirmed > as_of:
            return replace(self, last_confirmed=as_of)
        return self


def status_as_of(interval: Interval, day: date) -> str:
    """``active``, ``ended``, ``not started`` or ``unknown`` on ``day``."""
    if interval.start is None:
        return "unknown"
    earliest, latest = period_bounds(interval.start, interval.start_precision)
    if day < earliest:
        return "not started"
    if day < latest:
        return "unknown"
    possible = interval.possible_until
    if possible is not None and day > possible:
        return "ended"
    if interval.status_of_end == "ongoing":
        return "active"
    certain = interval.certain_until
    return "active" if certain is not None and day <= certain else "unknown"


@dataclass(frozen=True)
class Comparison:
    """How two intervals stand: a status, the smallest and largest possible gap, a note."""

    status: str                 # "active" | "recent" | "historical" | "unknown"
    gap_days: int | None        # 0 when they overlap; the smallest possible gap otherwise
    max_gap_days: int | None    # the largest possible gap (differs under partial dates)
    note: str
    a_first: bool | None = None  # True when ``a`` lies before ``b`` (only for gaps)


def _min_date(a: date | None, b: date | None) -> date | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _certain_overlap(a: Interval, b: Interval) -> bool:
    """True when some day certainly lies in both (``certain_until`` ``None`` = still holds)."""
    if a.latest_start is None or b.latest_start is None:
        return False
    lo = max(a.latest_start, b.latest_start)
    hi = _min_date(a.certain_until, b.certain_until)
    return hi is None or lo <= hi


def _gap(earlier: Interval, later: Interval) -> tuple[int, int] | None:
    """Smallest and largest gap when ``earlier`` certainly ends before ``later`` begins."""
    end = earlier.possible_until
    start = later.earliest_start
    if end is None or start is None or later.latest_start is None or end >= start:
        return None
    first_end = period_bounds(end, earlier.end_precision)[0]
    return (start - end).days, (later.latest_start - first_end).days


def compare(a: Interval, b: Interval, window_days: int) -> Comparison:
    """Relate interval ``a`` (e.g. a membership) to ``b`` (e.g. a suit's filed–closed span)."""
    if a.start is None or b.start is None:
        return Comparison("unknown", None, None, "a start date is missing")
    if _certain_overlap(a, b):
        return Comparison("active", 0, 0, "the intervals overlap")
    for earlier, later, a_first in ((a, b, True), (b, a, False)):
        gap = _gap(earlier, later)
        if gap is not None:
            status = "recent" if gap[0] <= window_days else "historical"
            return Comparison(status, gap[0], gap[1], f"{gap[0]} days apart", a_first)
    vague = [i for i in (a, b) if "year" in (i.start_precision, i.end_precision)
             or "month" in (i.start_precision, i.end_precision)]
    why = ("a partial date's period straddles the other interval" if vague
           else "an end is unknown")
    return Comparison("unknown", None, None, f"possible overlap: {why}")


def relate(a: Interval, b: Interval, window_days: int) -> tuple[str, int | None]:
    """(temporal status, gap in days): see :func:`compare` for the explanation too."""
    result = compare(a, b, window_days)
    return result.status, result.gap_days


__all__ = [
    "Comparison", "Interval", "compare", "describe_partial", "format_partial", "parse_partial",
    "period_bounds", "precision_name", "relate", "status_as_of",
]
