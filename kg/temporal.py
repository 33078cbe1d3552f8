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
from functools import lru_cache

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


_EDTF_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
_EDTF = re.compile(
    rf"^(?:(?P<plain>{_EDTF_DATE})(?P<qual>[~?%])?"
    rf"|(?P<lo>{_EDTF_DATE})/(?P<hi>{_EDTF_DATE})"
    rf"|\.\./?(?P<before>{_EDTF_DATE})"
    rf"|(?P<after>{_EDTF_DATE})/\.\."
    r"|(?P<unknown>\.\.))$"
)
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


@dataclass(frozen=True)
class EDTFDate:
    """A date as written in the EDTF subset kg reads, with the bounds it allows.

    ``earliest`` / ``latest`` are the first and last day the date may be (``None``: no bound
    on that side); ``precision`` is the precision of a plain (or qualified) date, ``None`` for
    a range or an open bound; ``qualifier`` is ``~`` (approximate), ``?`` (uncertain), ``%``
    (both) or ``""``; ``plain`` is true for ``YYYY``, ``YYYY-MM`` and ``YYYY-MM-DD`` (stored
    exactly as before, with no EDTF text).

    >>> parse_edtf("..2014-12").latest
    datetime.date(2014, 12, 31)
    >>> parse_edtf("2010-08-12/2010-08-13").describe()
    '12 or 13 August 2010'
    """

    text: str
    earliest: date | None
    latest: date | None
    precision: str | None = None
    qualifier: str = ""
    plain: bool = False

    @property
    def unknown(self) -> bool:
        return self.earliest is None and self.latest is None

    @property
    def is_range(self) -> bool:
        """Bounds rather than a period: ``A/B``, ``..B``, ``A/..`` or ``..``."""
        return self.precision is None

    def describe(self) -> str:
        """The date in words (:func:`describe_edtf`)."""
        return describe_edtf(self.text)


def _period(text: str) -> tuple[date, date, str]:
    first, precision = parse_partial(text)
    last, _ = parse_partial(text, end=True)
    return first, last, precision


@lru_cache(maxsize=4096)
def parse_edtf(text: str) -> EDTFDate:
    """The EDTF subset kg reads, as strict bounds (never an invented day):

    ``YYYY[-MM[-DD]]`` (the period), the same with ``~`` (approximate), ``?`` (uncertain) or
    ``%`` (both) after it (the period's bounds, the qualifier kept), ``A/B`` (some day from
    A's first to B's last day; A must not be after B), ``..B`` or ``../B`` (no later than B),
    ``A/..`` (no earlier than A) and ``..`` (unknown).

    >>> d = parse_edtf("2010-12/..")
    >>> d.earliest, d.latest, d.is_range
    (datetime.date(2010, 12, 1), None, True)
    """
    raw = text.strip()
    match = _EDTF.match(raw)
    if not match:
        raise KGError(
            f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, or EDTF such as "
            "2014~, 2014-12?, 2010-08-12/2010-08-13, ..2014-12, 2010-12/.. or .."
        )
    if match["plain"]:
        first, last, precision = _period(match["plain"])
        qual = match["qual"] or ""
        return EDTFDate(raw, first, last, precision, qual, plain=not qual)
    if match["lo"]:
        first, _, _ = _period(match["lo"])
        _, last, _ = _period(match["hi"])
        if first > last:
            raise KGError(f"{text!r} is not a date range: {match['lo']} is after {match['hi']}")
        return EDTFDate(raw, first, last)
    if match["before"]:
        return EDTFDate(raw, None, _period(match["before"])[1])
    if match["after"]:
        return EDTFDate(raw, _period(match["after"])[0], None)
    return EDTFDate(raw, None, None)


def _words(text: str) -> str:
    """``2014`` → ``2014``, ``2014-12`` → ``December 2014``, ``2010-08-12`` → ``12 August 2010``."""
    first, precision = parse_partial(text)
    if precision == "year":
        return str(first.year)
    if precision == "month":
        return f"{_MONTH_NAMES[first.month - 1]} {first.year}"
    return f"{first.day} {_MONTH_NAMES[first.month - 1]} {first.year}"


def _range_words(lo: str, hi: str) -> str:
    a, b = parse_partial(lo), parse_partial(hi)
    if a[1] == b[1] == "day" and (a[0].year, a[0].month) == (b[0].year, b[0].month):
        joint = "or" if (b[0] - a[0]).days == 1 else "to"
        return f"{a[0].day} {joint} {b[0].day} {_MONTH_NAMES[a[0].month - 1]} {a[0].year}"
    return f"between {_words(lo)} and {_words(hi)}"


def describe_edtf(text: str) -> str:
    """An EDTF date in words, the one place they are made: ``by December 2014`` (``..2014-12``),
    ``no earlier than December 2010`` (``2010-12/..``), ``12 or 13 August 2010``, ``about 1991``
    (``1991~``), ``possibly December 2014`` (``2014-12?``), ``unknown`` (``..``).

    >>> describe_edtf("..2014-12"), describe_edtf("2010-12/.."), describe_edtf("1991~")
    ('by December 2014', 'no earlier than December 2010', 'about 1991')
    """
    value = parse_edtf(text)
    match = _EDTF.match(value.text)
    assert match is not None
    if match["plain"]:
        words = _words(match["plain"])
        return {"": words, "~": f"about {words}", "?": f"possibly {words}",
                "%": f"possibly about {words}"}[value.qualifier]
    if match["lo"]:
        return _range_words(match["lo"], match["hi"])
    if match["before"]:
        return f"by {_words(match['before'])}"
    if match["after"]:
        return f"no earlier than {_words(match['after'])}"
    return "unknown"


def _is_range(text: str | None) -> bool:
    """EDTF text that gives bounds, not a period (text kg cannot read counts as none)."""
    if text is None:
        return False
    try:
        return parse_edtf(text).is_range
    except KGError:
        return False


def edtf_words(text: str) -> str:
    """:func:`describe_edtf`, or the text as written when it is not EDTF kg reads (a graph
    written by hand may hold anything; the shapes flag it)."""
    try:
        return describe_edtf(text)
    except KGError:
        return text


def edtf_of(earliest: date | None, latest: date | None) -> str:
    """The EDTF text for bounds given as days (``None``: open): ``2010-08-12/2010-08-13``,
    ``..2014-12-31``, ``2010-12-01/..`` or ``..`` — for graphs that carry bounds but no text."""
    if earliest is not None and latest is not None:
        return earliest.isoformat() if earliest == latest else \
            f"{earliest.isoformat()}/{latest.isoformat()}"
    if latest is not None:
        return f"..{latest.isoformat()}"
    if earliest is not None:
        return f"{earliest.isoformat()}/.."
    return ".."


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


def date_text(value: date | None, precision: str = "day", edtf: str | None = None) -> str:
    """A date as written in a cell: its EDTF text when it has one (``..2014-12``), else
    ``2014``, ``2014-12`` or ``2014-12-22``; ``""`` when there is neither."""
    if edtf:
        return edtf
    return "" if value is None else format_partial(value, precision)


def date_words(value: date | None, precision: str = "day", edtf: str | None = None) -> str:
    """A date for a sentence: an EDTF date in words (``by December 2014``, see
    :func:`describe_edtf`), else :func:`describe_partial`; ``""`` when there is neither."""
    if edtf:
        return edtf_words(edtf)
    return "" if value is None else describe_partial(value, precision)


def date_label(value: date | None, precision: str = "day", edtf: str | None = None) -> str:
    """A date in a table: ``2014-12`` as written, an EDTF date in words (``by December 2014``)."""
    return edtf_words(edtf) if edtf else date_text(value, precision)


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

    A start or end written in EDTF as bounds (``..2014-12``, ``2010-12/..``,
    ``2010-08-12/2010-08-13``) is a *range*: ``start`` is then the earliest possible start
    (``None``: no lower bound) and ``start_latest`` the latest (``None``: no upper bound);
    ``end`` the latest possible end and ``end_earliest`` the earliest. ``start_edtf`` /
    ``end_edtf`` keep the text as written (for the words, and to tell ``A/..`` from ``A``).
    """

    start: date | None
    end: date | None = None
    start_precision: str = "day"
    end_precision: str = "day"
    end_status: str | None = None
    last_confirmed: date | None = None
    start_latest: date | None = None   # kg:startLatest: the start is no later than this
    end_earliest: date | None = None   # kg:endEarliest: the end is no earlier than this
    start_edtf: str | None = None      # kg:startEDTF, the text as written
    end_edtf: str | None = None        # kg:endEDTF

    def __post_init__(self) -> None:
        _check_precision(self.start_precision)
        _check_precision(self.end_precision)
        if self.end_status is not None and self.end_status not in END_STATUSES:
            raise KGError(f"unknown end status {self.end_status!r}")

    @property
    def start_range(self) -> bool:
        """The start is known only as bounds (not as a day, month or year)."""
        return self.start_latest is not None or _is_range(self.start_edtf)

    @property
    def end_range(self) -> bool:
        """The end is known only as bounds."""
        return self.end_earliest is not None or _is_range(self.end_edtf)

    @property
    def status_of_end(self) -> str:
        """``ended``, ``ongoing`` or ``unknown`` (an end date always means ``ended``)."""
        if self.end is not None or (self.end_range and self.end_earliest is not None):
            return "ended"
        return "ongoing" if self.end_status == "ongoing" else "unknown"

    @property
    def has_start(self) -> bool:
        """A start is known at least as a bound (``..2014-12`` has no earliest start)."""
        return self.start is not None or self.start_latest is not None

    @property
    def earliest_start(self) -> date | None:
        if self.start is None or self.start_range:
            return self.start
        return period_bounds(self.start, self.start_precision)[0]

    @property
    def latest_start(self) -> date | None:
        if self.start_range:
            return self.start_latest
        return None if self.start is None else period_bounds(self.start, self.start_precision)[1]

    @property
    def possible_until(self) -> date | None:
        """The last day it may have held; ``None`` when it may still hold."""
        return self.end

    @property
    def earliest_end(self) -> date | None:
        """The first day the end may be (``None``: not bounded, or no end)."""
        if self.end_range:
            return self.end_earliest if self.end_earliest is not None else self.earliest_start
        return None if self.end is None else period_bounds(self.end, self.end_precision)[0]

    @property
    def certain_until(self) -> date | None:
        """The last day it certainly held (``None``: it still holds)."""
        if self.end_range:
            known = [d for d in (self.end_earliest, self.latest_start, self.last_confirmed)
                     if d is not None]
            if not known:
                return None  # callers check latest_start first: nothing is certain then
            return max(known) if self.end is None else min(max(known), self.end)
        if self.end is not None:
            return period_bounds(self.end, self.end_precision)[0]
        if self.status_of_end == "ongoing":
            return None
        known = [d for d in (self.latest_start, self.last_confirmed) if d is not None]
        return max(known) if known else None

    def clip(self, as_of: date) -> Interval | None:
        """The interval as it was known on ``as_of``: ``None`` if it had not begun (its
        earliest possible start is after ``as_of``), and an end certainly after ``as_of``
        becomes ``ongoing``. A start known only as ``..B`` may have been before ``as_of``,
        so the interval is kept (it *may* have held); so is an end that may have come by then.
        """
        if not self.has_start:
            return None
        if self.earliest_start is not None and self.earliest_start > as_of:
            return None
        first_end = self.earliest_end
        ended_later = (self.end is not None and self.end > as_of) if not self.end_range else \
            (self.end_earliest is not None and self.end_earliest > as_of)
        if ended_later and (first_end is None or first_end > as_of or not self.end_range):
            return replace(self, end=None, end_precision="day", end_status="ongoing",
                           end_earliest=None, end_edtf=None)
        if self.last_confirmed is not None and self.last_confirmed > as_of:
            return replace(self, last_confirmed=as_of)
        return self


def status_as_of(interval: Interval, day: date) -> str:
    """``active``, ``ended``, ``not started`` or ``unknown`` on ``day``.

    ``unknown`` also when the bounds allow both (it *may* hold): a start known only as
    ``..2014-12`` is unknown on every day up to 31 December 2014 and after it depends on
    the end.
    """
    if not interval.has_start:
        return "unknown"
    earliest, latest = interval.earliest_start, interval.latest_start
    if earliest is not None and day < earliest:
        return "not started"
    possible = interval.possible_until
    if possible is not None and day > possible:
        return "ended"
    if latest is None or day < latest:
        return "unknown"  # it may have begun: only "may" hold
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


def _gap(earlier: Interval, later: Interval) -> tuple[int, int | None] | None:
    """Smallest and largest gap when ``earlier`` certainly ends before ``later`` begins
    (the largest is ``None`` when a bound is open)."""
    end = earlier.possible_until
    start = later.earliest_start
    if end is None or start is None or end >= start:
        return None
    first_end = earlier.earliest_end
    if later.latest_start is None or first_end is None:
        return (start - end).days, None
    return (start - end).days, (later.latest_start - first_end).days


def bound_note(interval: Interval) -> str | None:
    """Why an interval's dates are only bounds, in words: ``the start is known only as a
    bound (by December 2014)``; ``None`` when its dates are periods."""
    parts = []
    if interval.start_range:
        words = edtf_words(interval.start_edtf or edtf_of(interval.start, interval.start_latest))
        parts.append(f"the start is known only as a bound ({words})")
    if interval.end_range:
        words = edtf_words(interval.end_edtf or edtf_of(interval.end_earliest, interval.end))
        parts.append(f"the end is known only as a bound ({words})")
    return "; ".join(parts) or None


def compare(a: Interval, b: Interval, window_days: int) -> Comparison:
    """Relate interval ``a`` (e.g. a membership) to ``b`` (e.g. a suit's filed–closed span)."""
    if not a.has_start or not b.has_start:
        return Comparison("unknown", None, None, "a start date is missing")
    if _certain_overlap(a, b):
        return Comparison("active", 0, 0, "the intervals overlap")
    for earlier, later, a_first in ((a, b, True), (b, a, False)):
        gap = _gap(earlier, later)
        if gap is not None:
            status = "recent" if gap[0] <= window_days else "historical"
            return Comparison(status, gap[0], gap[1], f"{gap[0]} days apart", a_first)
    bounds = [n for n in (bound_note(a), bound_note(b)) if n]
    if bounds:
        return Comparison("unknown", None, None, f"possible overlap: {'; '.join(bounds)}")
    # name the cause: an end that no source gives decides more often than a vague date
    open_ended = [i for i in (a, b) if i.status_of_end == "unknown"]
    vague = [i for i in (a, b) if "year" in (i.start_precision, i.end_precision)
             or "month" in (i.start_precision, i.end_precision)]
    why = ("an end is unknown" if open_ended or not vague
           else "a partial date's period straddles the other interval")
    return Comparison("unknown", None, None, f"possible overlap: {why}")


def relate(a: Interval, b: Interval, window_days: int) -> tuple[str, int | None]:
    """(temporal status, gap in days): see :func:`compare` for the explanation too."""
    result = compare(a, b, window_days)
    return result.status, result.gap_days


__all__ = [
    "Comparison", "EDTFDate", "Interval", "bound_note", "compare", "date_label", "date_text",
    "date_words",
    "describe_edtf",
    "describe_partial", "edtf_of", "edtf_words", "format_partial", "parse_edtf", "parse_partial",
    "period_bounds", "precision_name", "relate", "status_as_of",
]
