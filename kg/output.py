"""Turn query rows and findings into tables, JSON or CSV for people and pipes."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .namespaces import PREFIXES

FORMATS = ("table", "json", "csv")
MIN_WRAPPED = 6  # the narrowest a wrapped column gets…
MAX_HEADER = 16  # …or than its header, up to this many characters…
MAX_WORD = 12  # …or than its longest word, up to this many
PIPED_WIDTH = 100  # columns of a table when stdout is not a terminal and $COLUMNS is unset
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def shorten(iri: str) -> str:
    """``https://w3id.org/kg/id/symantec`` → ``kgd:symantec``."""
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def plain(term: Node | None) -> Any:
    """An RDF term as plain JSON-able data: IRIs as strings, numbers as numbers, dates ISO."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool | int):
            return value
        if isinstance(value, float):
            return value
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        if isinstance(value, date | datetime):
            return value.isoformat()
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def display(term: Any) -> str:
    """A short human form for a table cell."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return shorten(str(term))
    if isinstance(term, Literal):
        return str(plain(term))
    return str(term)


def rows_to_json(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
    """A list of objects whose keys are the column names."""
    return json.dumps(
        [{c: plain(r.get(c)) if isinstance(r.get(c), Node) else r.get(c) for c in columns}
         for r in rows],
        indent=2, ensure_ascii=False, default=str,
    )


def rows_to_csv(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        values = [plain(v) if isinstance(v, Node) else v for v in (r.get(c) for c in columns)]
        writer.writerow(["" if v is None else v for v in values])
    return buffer.getvalue()


def table_width(stream: TextIO | None = None) -> int:
    """How wide a table may be: the terminal's width on a TTY; when piped, ``$COLUMNS`` if set,
    else :data:`PIPED_WIDTH`, so that piped output (tests, README examples) is the same anywhere."""
    stream = sys.stdout if stream is None else stream
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):  # not a real stream, or closed
        pass
    try:
        return max(20, int(os.environ["COLUMNS"]))
    except (KeyError, ValueError):
        return PIPED_WIDTH


def _is_code(value: Any, *, iris: bool = True) -> bool:
    """True for what a user copies whole: IRIs, dates, numbers, booleans."""
    if isinstance(value, URIRef):
        return iris
    if isinstance(value, Literal):
        return isinstance(value.toPython(), bool | int | float | Decimal | date | datetime)
    return isinstance(value, int | float | Decimal | date | datetime)


def _unwrapped(columns: Sequence[str], rows: Sequence[Mapping[str, Any]], natural: Sequence[int],
               floors: Sequence[int], budget: int, *, fixed: Sequence[str],
               iris: bool = True) -> set[int]:
    """The columns that never wrap: those named in ``fixed``, then, narrowest first, those
    holding only dates, numbers (or ``iris``), as long as the other columns still fit at their
    ``floors``."""
    chosen = {i for i, c in enumerate(columns) if c in fixed}
    codes = [i for i, c in enumerate(columns) if i not in chosen and
             any(r.get(c) is not None for r in rows) and
             all(_is_code(r.get(c), iris=iris) for r in rows if r.get(c) is not None)]
    for i in sorted(codes, key=lambda i: natural[i]):
        rest = sum(floors[j] for j in range(len(columns)) if j not in chosen and j != i)
        if sum(natural[j] for j in chosen) + natural[i] + rest > budget:
            break
        chosen.add(i)
    return chosen


def _column_widths(natural: Sequence[int], floors: Sequence[int], unwrapped: set[int],
                   budget: int) -> list[int]:
    """Narrow the widest wrapping column, one character at a time, until the table fits."""
    widths = list(natural)
    movable = [i for i in range(len(widths)) if i not in unwrapped]
    while movable and sum(widths) > budget:
        widest = max(movable, key=lambda i: widths[i] - floors[i])
        if widths[widest] <= floors[widest]:
            break
        widths[widest] -= 1
    return widths


def rows_to_table(
    columns: Sequence[str], rows: Sequence[Mapping[str, Any]], *, width: int | None = None,
    fixed: Sequence[str] = (),
) -> str:
    """A plain-text table (rich, ``box.SIMPLE_HEAD``) no wider than ``width`` (default
    :func:`table_width`). Long cells wrap at spaces; IRIs, dates, numbers and the ``fixed``
    columns (IDs a user copies) never do, so when they alone are too wide the table grows past
    ``width`` rather than cut a cell. Lines carry no trailing blanks and no colour."""
    if not rows:
        return "(no rows)"
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    total = width or table_width()
    cells = [[display(r.get(c)) for c in columns] for r in rows]
    natural = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    floors = [min(natural[i], max(MIN_WRAPPED, min(len(c), MAX_HEADER),
                                  min(MAX_WORD, max(len(w) for row in cells
                                                    for w in row[i].split() or [""]))))
              for i, c in enumerate(columns)]
    budget = total - 2 * len(columns) + 1
    tight = [min(MIN_WRAPPED, n) for n in natural]
    # keep words whole and IRIs, dates and numbers unwrapped; if that cannot fit, fold long
    # words; if it still cannot, wrap IRIs too
    for least, iris in ((floors, True), (tight, True), (tight, False)):
        unwrapped = _unwrapped(columns, rows, natural, least, budget, fixed=fixed, iris=iris)
        widths = _column_widths(natural, least, unwrapped, budget)
        if sum(widths) <= budget:
            break
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 1, 0, 0), header_style="")
    for i, name in enumerate(columns):
        table.add_column(name, width=widths[i], no_wrap=i in unwrapped, overflow="fold")
    for row in cells:
        table.add_row(*(Text(v) for v in row))
    buffer = io.StringIO()
    Console(file=buffer, width=sum(widths) + 2 * len(columns), color_system=None,
            highlight=False, emoji=False, markup=False).print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().rstrip("\n").splitlines())


def render_rows(columns: Sequence[str], rows: Sequence[Mapping[str, Any]], fmt: str, *,
                fixed: Sequence[str] = ()) -> str:
    if fmt == "json":
        return rows_to_json(columns, rows)
    if fmt == "csv":
        return rows_to_csv(columns, rows)
    return rows_to_table(columns, rows, fixed=fixed)
