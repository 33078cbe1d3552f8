"""Cell text ⇄ RDF terms, one column type at a time.

Partial dates follow the vocabulary contract: ``2014`` as a start is 2014-01-01 with year
precision, as an end it is 2014-12-31 (the *last* day of the period).

>>> parse_partial_date("2014", bound="last")
PartialDate(day=datetime.date(2014, 12, 31), precision='year', other=None, edtf=None)
>>> format_partial_date(date(2014, 2, 28), "month")
'2014-02'
>>> split_list(r"Acme\\; Sons;Acme Inc.")
['Acme; Sons', 'Acme Inc.']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ..errors import KGError
from ..namespaces import KGD
from ..temporal import format_partial, parse_edtf, parse_partial

SLUG_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
URL_RE = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
DATE_FORMS = {
    "year": re.compile(r"(\d{4})"),
    "month": re.compile(r"(\d{4})-(\d{2})"),
    "day": re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
}
TRUE_WORDS, FALSE_WORDS = ("true", "yes", "1"), ("false", "no", "0")


class ValueProblem(ValueError):
    """A cell's text cannot be read as its column's type (the message says why)."""


@dataclass(frozen=True)
class PartialDate:
    """A date as stored (first or last day of the period) and how precise it is.

    An EDTF cell also has ``edtf`` (the text as written) and, for bounds, ``other`` (the
    bound the main property does not hold: a start's latest, an end's earliest); ``day`` is
    ``None`` when that side is open (``..2014-12`` as a start, ``2010-12/..`` as an end).
    """

    day: date | None
    precision: str  # "year" | "month" | "day"
    other: date | None = None
    edtf: str | None = None

    @property
    def text(self) -> str:
        """The cell as written."""
        if self.edtf is not None:
            return self.edtf
        assert self.day is not None
        return format_partial(self.day, self.precision)

    @property
    def unknown(self) -> bool:
        """``..``: nothing is known (treated as an empty cell by the rules)."""
        return self.day is None and self.other is None


def split_list(text: str) -> list[str]:
    """Split a ``;``-separated cell; ``\\;`` is a literal semicolon, ``\\\\`` a backslash."""
    items, current, chars = [], [], iter(text)
    for ch in chars:
        if ch == "\\":
            current.append(next(chars, "\\"))
        elif ch == ";":
            items.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    items.append("".join(current).strip())
    return [item for item in items if item]


def join_list(items: list[str], *, escape: bool) -> str:
    """The inverse of :func:`split_list` (ids never need escaping)."""
    if escape:
        items = [i.replace("\\", "\\\\").replace(";", "\\;") for i in items]
    return ";".join(items)


def parse_id(text: str) -> URIRef:
    """A slug (``acme``, ``US6738799``, ``apache-2.0``) or ``kgd:slug`` → ``kgd:`` IRI."""
    slug = text.removeprefix("kgd:")
    if not SLUG_RE.fullmatch(slug):
        raise ValueProblem(
            f"{text!r} is not an id: use letters, digits, '-', '_' and '.', "
            "starting and ending with a letter or digit (e.g. acme-corp)"
        )
    return KGD[slug]


def slug_of(node: URIRef) -> str | None:
    """The id of a ``kgd:`` IRI, or None when the IRI is not one kg could have minted."""
    text = str(node)
    if not text.startswith(str(KGD)):
        return None
    slug = text[len(str(KGD)):]
    return slug if SLUG_RE.fullmatch(slug) else None


def make_slug(template: str, cells: dict[str, str]) -> str:
    """An id made of other cells by a template such as ``{member}-{tier}-{start}``: characters
    an id cannot hold become '-', runs of '-' collapse, and empty cells leave no trace.

    >>> make_slug("{suit}-accuses-{component}-{technology}", {"suit": "a", "technology": "HDFS"})
    'a-accuses-HDFS'
    """
    def cell(match: re.Match[str]) -> str:
        return cells.get(match[1], "").removeprefix("kgd:")

    text = re.sub(r"\{(\w+)\}", cell, template)
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text)
    return re.sub(r"-{2,}", "-", text).strip("-._")


def parse_full_date(text: str) -> date:
    match = DATE_FORMS["day"].fullmatch(text)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise ValueProblem(f"{text!r} is not a date: {exc}") from exc
    raise ValueProblem(f"{text!r} is not a date: write YYYY-MM-DD (e.g. 2014-12-22)")


def parse_partial_date(text: str, *, bound: str, edtf: bool = False) -> PartialDate:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, stored as the first or last day of the period;
    with ``edtf`` also the EDTF forms of :func:`kg.temporal.parse_edtf`.

    >>> parse_partial_date("..2014-12", bound="first", edtf=True)
    PartialDate(day=None, precision='day', other=datetime.date(2014, 12, 31), edtf='..2014-12')
    """
    try:
        day, precision = parse_partial(text, end=bound != "first")
    except KGError:
        if DATE_FORMS["day"].fullmatch(text):
            parse_full_date(text)  # says which part of a full date is wrong
        if not edtf or any(f.fullmatch(text) for f in DATE_FORMS.values()):
            raise ValueProblem(
                f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"
            ) from None
    else:
        return PartialDate(day, precision)
    try:
        value = parse_edtf(text)
    except KGError as exc:
        raise ValueProblem(str(exc)) from None
    first = bound == "first"
    if not value.is_range:
        assert value.precision is not None
        main = value.earliest if first else value.latest
        return PartialDate(main, value.precision, None, value.text)
    main, other = (value.earliest, value.latest) if first else (value.latest, value.earliest)
    return PartialDate(main, "day", other, value.text)


format_partial_date = format_partial


def _url(text: str) -> Literal:
    if not URL_RE.fullmatch(text):
        raise ValueProblem(f"{text!r} is not a URL: write http:// or https:// and no spaces")
    return Literal(text, datatype=XSD.anyURI)


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _integer(text: str) -> Literal:
    if not re.fullmatch(r"[+-]?[0-9]{1,30}", text):
        raise ValueProblem(f"{_shown(text)} is not a whole number (digits, at most 30)")
    return Literal(int(text), datatype=XSD.integer)


def _decimal(text: str) -> Literal:
    if not re.fullmatch(r"[+-]?[0-9]{1,30}(\.[0-9]{1,30})?", text):
        raise ValueProblem(f"{text!r} is not a number: write digits and a '.' (e.g. 50000.00)")
    canonical = format(Decimal(text).normalize(), "f")  # as Turtle writes it back
    return Literal(canonical if "." in canonical else canonical + ".0", datatype=XSD.decimal)


def _boolean(text: str) -> Literal:
    if text.lower() not in TRUE_WORDS + FALSE_WORDS:
        raise ValueProblem(f"{text!r} is not true or false")
    return Literal(text.lower() in TRUE_WORDS, datatype=XSD.boolean)


LITERAL_PARSERS: dict[str, Callable[[str], Literal]] = {
    "text": Literal,
    "url": _url,
    "date": lambda text: Literal(parse_full_date(text), datatype=XSD.date),
    "integer": _integer,
    "decimal": _decimal,
    "boolean": _boolean,
}


def parse_literal(text: str, kind: str) -> Literal:
    """A cell of a literal column type → a typed literal (text stays exactly as written)."""
    try:
        parser = LITERAL_PARSERS[kind]
    except KeyError:
        raise ValueProblem(f"column type {kind!r} has no literal form") from None
    return parser(text)


FORMULA = re.compile(r"'*[=+\-@\t\r]")


def neutralise_cell(text: str) -> str:
    """A cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first)
    gets a ``'`` in front; so does one that already starts with ``'``s and such a character,
    so that :func:`restore_cell` gives every text back exactly.

    >>> neutralise_cell("=cmd|' /C calc'!A0"), neutralise_cell("-5"), neutralise_cell("ok")
    ("'=cmd|' /C calc'!A0", "'-5", 'ok')
    >>> all(restore_cell(neutralise_cell(t)) == t for t in ["'=x", "''-1", "'a", "@", ""])
    True
    """
    return "'" + text if FORMULA.match(text) else text


def restore_cell(text: str) -> str:
    """The text :func:`neutralise_cell` was given."""
    return text[1:] if text.startswith("'") and FORMULA.match(text, 1) else text


def format_literal(term: Literal) -> str:
    """A literal back to cell text."""
    value = term.toPython()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(term)
    return str(term)
