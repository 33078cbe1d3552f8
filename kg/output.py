"""Turn query rows and findings into tables, JSON or CSV for people and pipes."""

from __future__ import annotations

import csv
import io
import json
import shutil
import textwrap
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .namespaces import PREFIXES

FORMATS = ("table", "json", "csv")
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


def rows_to_table(
    columns: Sequence[str], rows: Sequence[Mapping[str, Any]], *, width: int | None = None,
    fixed: Sequence[str] = (),
) -> str:
    """A fixed-width text table that fits the terminal, wrapping long cells (never those of
    the ``fixed`` columns, such as IDs a user copies)."""
    if not rows:
        return "(no rows)"
    total = width or shutil.get_terminal_size((120, 24)).columns
    cells = [[display(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    budget = max(total - 3 * (len(columns) - 1), 6 * len(columns))
    movable = [i for i, c in enumerate(columns) if c not in fixed]
    while movable and sum(widths) > budget and max(widths[i] for i in movable) > 6:
        widest = max(movable, key=lambda i: widths[i])
        widths[widest] -= 1
    def line(values: Sequence[str]) -> list[str]:
        wrapped = [textwrap.wrap(v, w) or [""] for v, w in zip(values, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        return [
            " | ".join((w[i] if i < len(w) else "").ljust(width_)
                       for w, width_ in zip(wrapped, widths, strict=True)).rstrip()
            for i in range(height)
        ]
    out = line(list(columns))
    out.append("-+-".join("-" * w for w in widths))
    for row in cells:
        out.extend(line(row))
    return "\n".join(out)


def render_rows(columns: Sequence[str], rows: Sequence[Mapping[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return rows_to_json(columns, rows)
    if fmt == "csv":
        return rows_to_csv(columns, rows)
    return rows_to_table(columns, rows)
