"""Dates and intervals in words, as precise as they are known."""

from __future__ import annotations

from datetime import date

from ..temporal import edtf_words

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(value: date | None, precision: str = "day") -> str:
    """A date as precise as it is known: ``2012``, ``Dec 2014`` or ``2014-07-28``.

    ``precision`` is the key (``skos:notation``) of a date precision: day, month or year.

    >>> format_date(date(2014, 12, 1), "month"), format_date(date(2012, 1, 1), "year")
    ('Dec 2014', '2012')
    """
    if value is None:
        return "?"
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{_MONTHS[value.month - 1]} {value.year}"
    return value.isoformat()


def format_interval(
    start: date | None,
    end: date | None,
    *,
    start_precision: str = "day",
    end_precision: str = "day",
    end_status: str | None = None,
    start_edtf: str | None = None,
    end_edtf: str | None = None,
) -> str:
    """An interval in words: ``since Dec 2014`` (ongoing), ``2012 – ?`` (end unknown) or
    ``2012 – 2015`` (ended).

    A date known only as EDTF bounds is said in words (:func:`kg.temporal.edtf_words`):

    >>> format_interval(date(2014, 12, 1), None, start_precision="month", end_status="ongoing")
    'since Dec 2014'
    >>> format_interval(None, None, end_status="unknown", start_edtf="..2014-12")
    'by December 2014 – ?'
    """
    if start is None and end is None and not start_edtf and not end_edtf:
        return ""
    first = edtf_words(start_edtf) if start_edtf else format_date(start, start_precision)
    if end is not None or end_edtf:
        last = edtf_words(end_edtf) if end_edtf else format_date(end, end_precision)
        return first if last == first else f"{first} – {last}"
    if end_status == "ongoing":
        return f"since {first}"
    return f"{first} – ?"


def join(words: str, when: str) -> str:
    """``sued · 2012-05-29``: the words, then the dates when there are some."""
    return f"{words} · {when}" if when else words
