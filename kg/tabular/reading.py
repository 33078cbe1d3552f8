"""Read a CSV file into rows that remember their line number (the header is line 1).

Files are UTF-8 (a byte-order mark, as spreadsheets write it, is fine). Values are stripped of
surrounding spaces, and a ``'`` that protects a formula-like cell is taken off (see
:func:`~kg.tabular.values.restore_cell`); blank rows are skipped; a quoted cell may span lines,
and its row is named by the line it starts on. Control characters are refused.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..parsing import read_bytes
from .schema import RecordType
from .values import restore_cell

_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Row:
    """One data row: its 1-based line number and its cells by column name (empty cells omitted)."""

    line: int
    cells: dict[str, str]


def _text(path: Path) -> str:
    data = read_bytes(path)  # refuses FIFOs, devices, folders without blocking
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path, f"not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8", row=line
        ) from exc
    bad = _NOT_TEXT.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError(path, f"control character U+{ord(bad.group()):04X}: not text",
                         row=line)
    return text


def _records(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(path, f"not valid CSV: {exc}", row=start) from exc
        yield start, cells


def _header(path: Path, cells: list[str], record_type: RecordType) -> list[str]:
    names = [c.strip() for c in cells]
    for number, name in enumerate(names, 1):
        if not name:
            raise InputError(path, f"column {number} has no name in the header (name it or "
                                   "delete the column)", row=1)
    known = record_type.column_names
    for name in names:
        if name and name not in known:
            raise InputError(
                path, f"unknown column for {record_type.name} (columns: {', '.join(known)})",
                row=1, field=name,
            )
    for name in names:
        if names.count(name) > 1 and name:
            raise InputError(path, "column appears twice in the header", row=1, field=name)
    for column in record_type.columns:
        if column.required and column.name not in names and column.name != "id":
            raise InputError(path, "required column is missing from the header", row=1,
                             field=column.name)
    if "id" not in names and not record_type.id_template:
        raise InputError(path, "required column is missing from the header", row=1, field="id")
    return names


def read_rows(path: Path, record_type: RecordType) -> list[Row]:
    """The data rows of a CSV file of ``record_type``; a malformed file raises InputError."""
    records = _records(path, _text(path))
    first = next(records, None)
    if first is None or not any(c.strip() for c in first[1]):
        raise InputError(path, "the first line must be the header (column names)", row=1)
    names = _header(path, first[1], record_type)
    rows = []
    for line, cells in records:
        values = [restore_cell(c.strip()) for c in cells]
        if not any(values):
            continue
        if len(values) > len(names) and any(values[len(names):]):
            raise InputError(path, f"row has {len(values)} values but the header has "
                             f"{len(names)} columns (a ',' too many, or quote the cell)", row=line)
        if len(values) < len(names):
            raise InputError(path, f"row has {len(values)} values but the header has "
                             f"{len(names)} columns (a ',' missing?)", row=line)
        rows.append(Row(line, {n: v for n, v in zip(names, values, strict=False) if n and v}))
    return rows
