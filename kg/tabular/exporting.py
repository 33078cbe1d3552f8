"""Triples → rows: write a graph back in the tabular format that ``ingest_files`` reads.

Each record type becomes ``<out_dir>/<prefix><file>.csv`` with every column of the format in the
header. A node is exported when it is a ``kgd:`` resource with one of the record type's classes.

Every row written is read back as ``kg ingest`` would read it, and each triple of the graph
that the rows do not give back (a language tag, a second value in a one-value column, a
property the format has no column for, a node of no record type) is counted by predicate in
:attr:`ExportResult.unexported`, never dropped silently. For graphs made by ``ingest_files``
and for the curated data nothing is left out, so export → ingest gives the same graph.
A cell a spreadsheet would run as a formula is written with a ``'`` in front
(:func:`~kg.tabular.values.neutralise_cell`), which ingest takes off again.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from ..temporal import edtf_of
from .converting import Triple, iter_triples, read_record
from .reading import Row
from .schema import Column, RecordType, Schema, compact, load_schema
from .values import format_literal, format_partial_date, join_list, neutralise_cell, slug_of

TEXT_TYPES = ("text", "url")
NUMBER_TYPES = frozenset(XSD[name] for name in (  # decimals and the integer types below them
    "integer", "decimal", "nonNegativeInteger", "positiveInteger", "negativeInteger",
    "nonPositiveInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte"))


@dataclass(frozen=True)
class ExportResult:
    """The files written, their row counts, and the triples the format could not hold
    (counted by predicate)."""

    files: dict[str, Path]
    rows: dict[str, int]
    unexported: dict[URIRef, int] = field(default_factory=dict)

    @property
    def dropped(self) -> int:
        """How many triples of the graph the files do not give back."""
        return sum(self.unexported.values())

    def describe_unexported(self) -> str:
        """One line naming what was left out (``""`` when nothing was)::

            2 triple(s) have no place in the tabular format: 1 kg:unknownProperty, 1 rdfs:label
        """
        if not self.unexported:
            return ""
        counts = sorted((-n, compact(p)) for p, n in self.unexported.items())
        parts = ", ".join(f"{-n} {name}" for n, name in counts)
        return f"{self.dropped} triple(s) have no place in the tabular format: {parts}"


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


def _cells(schema: Schema, graph: Graph, rt: RecordType, node: URIRef) -> list[str]:
    cells: list[str] = []
    for column in rt.columns:
        if column.name == "id":
            cells.append(slug_of(node) or "")
            continue
        values = sorted(_cell_values(schema, graph, node, column))
        if not column.many:
            values = values[:1]  # the others are not read back, so they are counted as left out
        cells.append(join_list(values, escape=column.many and column.type in TEXT_TYPES))
    return cells


def _read_back(schema: Schema, rt: RecordType, cells: list[str]) -> set[Triple]:
    """The triples ``kg ingest`` makes of a row (cells are stripped as the reader strips them)."""
    row = Row(0, {n: c.strip() for n, c in zip(rt.column_names, cells, strict=True) if c.strip()})
    record, _problems = read_record(schema, rt, Path(f"{rt.file}.csv"), row)
    return set(iter_triples(schema, record)) if record is not None else set()


def _table(schema: Schema, flat: Graph, rt: RecordType, only: Collection[Node] | None
           ) -> tuple[list[list[str]], dict[Node, set[Triple]]]:
    """The rows of one record type sorted by id, and the triples each node's row gives back."""
    nodes = {
        s for cls in schema.classes_of(rt) for s in flat.subjects(RDF.type, cls)
        if isinstance(s, URIRef) and slug_of(s) and (only is None or s in only)
    }
    rows: list[list[str]] = []
    written: dict[Node, set[Triple]] = {}
    for node in sorted(nodes, key=str):
        cells = _cells(schema, flat, rt, node)
        rows.append(cells)
        written[node] = _read_back(schema, rt, cells)
    return rows, written


def _same_value(term: Node) -> object:
    """A number by its value: Oxigraph stores ``"1"^^xsd:nonNegativeInteger`` as
    ``"1"^^xsd:integer`` and ``200000.0`` as ``"200000"^^xsd:decimal``, the same values."""
    if isinstance(term, Literal) and term.datatype in NUMBER_TYPES:
        value = term.toPython()
        if isinstance(value, int) and not isinstance(value, bool):
            return ("integer", value)
        if isinstance(value, Decimal):
            return ("decimal", value)
    return term


def _left_out(flat: Graph, written: dict[Node, set[Triple]],
              scope: Iterable[Node]) -> Counter[URIRef]:
    """Per predicate, the triples about ``scope`` that no row gives back."""
    lost: Counter[URIRef] = Counter()
    for node in scope:
        kept = written.get(node, set())
        values = {(p, _same_value(o)) for _s, p, o in kept}
        for triple in flat.triples((node, None, None)):
            if triple not in kept and (triple[1], _same_value(triple[2])) not in values:
                lost[triple[1]] += 1  # type: ignore[index]
    return lost


def table_rows(graph: Graph, record_type: str, *,
               only: Collection[Node] | None = None) -> tuple[list[str], list[list[str]], int]:
    """(header, rows sorted by id, triples of those nodes the rows do not give back)."""
    schema = load_schema()
    rt = schema.types[record_type]
    flat = _flat(graph)
    rows, written = _table(schema, flat, rt, only)
    return list(rt.column_names), rows, sum(_left_out(flat, written, written).values())


def export_tables(graph: Graph, out_dir: str | Path, *, only: Iterable[Node] | None = None,
                  record_types: Iterable[str] | None = None, prefix: str = "") -> ExportResult:
    """Write one CSV per record type that has rows; ``only`` limits the export to these nodes.

    What is counted as left out: the triples of every exported node that its rows do not give
    back, and, unless ``record_types`` picks some, the triples of every other subject (of
    ``only``, or of the whole graph) that no record type takes.
    """
    schema = load_schema()
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    chosen = list(record_types) if record_types is not None else list(schema.types)
    wanted = set(only) if only is not None else None
    files, counts = {}, {}
    written: dict[Node, set[Triple]] = {}
    flat = _flat(graph)
    for name in chosen:
        rt = schema.types[name]
        rows, kept = _table(schema, flat, rt, wanted)
        for node, triples in kept.items():
            written.setdefault(node, set()).update(triples)
        if not rows:
            continue
        path = folder / f"{prefix}{rt.file}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(rt.column_names)
            writer.writerows([neutralise_cell(c) for c in row] for row in rows)
        files[name], counts[name] = path, len(rows)
    scope: set[Node] = set(written)
    if record_types is None:
        scope |= set(flat.subjects()) if wanted is None else wanted
    return ExportResult(files, counts, dict(_left_out(flat, written, scope)))
