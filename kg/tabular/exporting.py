"""Triples → rows: write a graph back in the tabular format that ``ingest_files`` reads.

Each record type becomes ``<out_dir>/<prefix><file>.csv`` with every column of the format in the
header. A node is exported when it is a ``kgd:`` resource with one of the record type's classes.
What the format has no column for (a language tag, a second value in a one-value column, a
property the format does not know) is left out and counted in :attr:`ExportResult.dropped`;
for graphs made by ``ingest_files`` nothing is dropped, so export → ingest gives the same graph.
A cell a spreadsheet would run as a formula is written with a ``'`` in front
(:func:`~kg.tabular.values.neutralise_cell`), which ingest takes off again.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ..temporal import edtf_of
from .schema import Column, RecordType, Schema, load_schema
from .values import format_literal, format_partial_date, join_list, neutralise_cell, slug_of

TEXT_TYPES = ("text", "url")


@dataclass(frozen=True)
class ExportResult:
    """The files written, their row counts and how many values had no place in the format."""

    files: dict[str, Path]
    rows: dict[str, int]
    dropped: int = 0


def _flat(graph: Graph) -> Graph:
    if isinstance(graph, Dataset):
        flat = Graph()
        for s, p, o, _g in graph.quads((None, None, None, None)):
            flat.add((s, p, o))
        return flat
    return graph


def _cell_values(schema: Schema, graph: Graph, node: Node, column: Column) -> list[str]:
    objects = list(graph.objects(node, column.property))
    if column.type == "partial-date":
        return _date_cells(schema, graph, node, column, objects)
    if column.type in ("ref", "id"):
        return [s for o in objects if isinstance(o, URIRef) and (s := slug_of(o))]
    if column.type in ("enum", "class"):
        return [k for o in objects if isinstance(o, URIRef)
                and (k := schema.enum_key(column.enum or "", o)) is not None]
    literals = [o for o in objects if isinstance(o, Literal)]
    return [format_literal(o) for o in literals]


def _days(graph: Graph, node: Node, prop: URIRef | None) -> list[date]:
    if prop is None:
        return []
    return [v for o in graph.objects(node, prop) if isinstance(o, Literal)
            and isinstance(v := o.toPython(), date)]


def _date_cells(schema: Schema, graph: Graph, node: Node, column: Column,
                objects: list[Node]) -> list[str]:
    """A partial date's cell: the EDTF text when the graph keeps one (so an EDTF date exports
    back to the text it was ingested from), else the date at its precision, or for bounds
    without text their EDTF form."""
    if column.edtf is not None:
        texts = [str(o) for o in graph.objects(node, column.edtf) if isinstance(o, Literal)]
        if texts:
            return texts
    days = [o.toPython() for o in objects if isinstance(o, Literal)
            and hasattr(o.toPython(), "isoformat")]
    others = _days(graph, node, column.other_bound)
    if others:
        main = days[0] if days else None
        first, last = (main, others[0]) if column.bound == "first" else (others[0], main)
        return [edtf_of(first, last)]
    precision = graph.value(node, column.precision) if column.precision else None
    level = next((k for k, v in schema.precisions.items() if v == precision), "day")
    return [format_partial_date(d, level) for d in days]


def _row(schema: Schema, graph: Graph, rt: RecordType, node: URIRef) -> tuple[list[str], int]:
    cells: list[str] = []
    covered = {RDF.type} | {p for c in rt.columns for p in c.properties}
    dropped = sum(1 for p in graph.predicates(node, None) if p not in covered)
    for column in rt.columns:
        if column.name == "id":
            cells.append(slug_of(node) or "")
            continue
        values = sorted(_cell_values(schema, graph, node, column))
        if not column.many and len(values) > 1:
            dropped += len(values) - 1
            values = values[:1]
        cells.append(join_list(values, escape=column.many and column.type in TEXT_TYPES))
    return cells, dropped


def table_rows(graph: Graph, record_type: str, *,
               only: Collection[Node] | None = None) -> tuple[list[str], list[list[str]], int]:
    """(header, rows sorted by id, values dropped) of one record type."""
    schema = load_schema()
    rt = schema.types[record_type]
    flat = _flat(graph)
    nodes = {
        s for cls in schema.classes_of(rt) for s in flat.subjects(RDF.type, cls)
        if isinstance(s, URIRef) and slug_of(s) and (only is None or s in only)
    }
    rows, dropped = [], 0
    for node in sorted(nodes, key=str):
        cells, lost = _row(schema, flat, rt, node)
        rows.append(cells)
        dropped += lost
    return list(rt.column_names), rows, dropped


def export_tables(graph: Graph, out_dir: str | Path, *, only: Iterable[Node] | None = None,
                  record_types: Iterable[str] | None = None, prefix: str = "") -> ExportResult:
    """Write one CSV per record type that has rows; ``only`` limits the export to these nodes."""
    schema = load_schema()
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    chosen = list(record_types) if record_types is not None else list(schema.types)
    wanted = set(only) if only is not None else None
    files, counts, dropped = {}, {}, 0
    flat = _flat(graph)
    for name in chosen:
        header, rows, lost = table_rows(flat, name, only=wanted)
        dropped += lost
        if not rows:
            continue
        path = folder / f"{prefix}{schema.types[name].file}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(header)
            writer.writerows([neutralise_cell(c) for c in row] for row in rows)
        files[name], counts[name] = path, len(rows)
    return ExportResult(files, counts, dropped)
