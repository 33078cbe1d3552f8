"""Rows → triples, in two passes.

1. :func:`parse_record` reads one row on its own: every cell is parsed by its column's type,
   required cells are present, and the row's node, classes and triples are known.
2. :func:`check_records` checks what needs the whole batch and the project's graph: ids are
   unique, refs point at nodes of the right class, and the cross-column rules hold.

Every problem is an :class:`~kg.errors.InputError` naming the file, the line and the field,
and every problem of a row is reported, not only the first. "Did you mean" hints for an unknown
id offer only nodes of the kind the column expects (a lawsuit column never suggests a ruling),
from the batch and the graph (:func:`kg.entities.nearest`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from ..entities import Entity, nearest
from ..errors import InputError
from .reading import Row
from .schema import Column, RecordType, Rule, Schema, expand
from .values import (
    PartialDate,
    ValueProblem,
    make_slug,
    parse_id,
    parse_literal,
    parse_partial_date,
    split_list,
)

Value = URIRef | Literal | PartialDate
ALIAS_OF, ALIAS_NAME = expand("kg:aliasOf"), expand("kg:aliasName")  # kg:Alias rows


@dataclass
class Record:
    """One parsed row: where it came from, its node, its classes and its values by column."""

    record_type: RecordType
    path: Path
    line: int
    node: URIRef
    classes: tuple[URIRef, ...]
    values: dict[str, list[Value]] = field(default_factory=dict)
    bad: set[str] = field(default_factory=set)  # columns whose cells could not be read

    def error(self, message: str, column: str | None = None) -> InputError:
        return InputError(self.path, message, row=self.line, field=column)

    def text(self, column: str) -> str:
        """A date cell as the user wrote it (``2014``, ``2014-12`` or ``2014-12-22``)."""
        value = self.values[column][0]
        if isinstance(value, PartialDate):
            return value.text
        return str(value)

    def day(self, column: str) -> date | None:
        found = self.values.get(column)
        if not found:
            return None
        value = found[0]
        if isinstance(value, PartialDate):
            return value.day
        python = value.toPython() if isinstance(value, Literal) else None
        return python if isinstance(python, date) else None


@dataclass
class Known:
    """What the project's graph already holds (without the files being re-ingested)."""

    graph: Graph
    types: dict[Node, set[Node]]
    files: dict[Node, str]
    vocabulary: Graph
    rejected: set[Node] = field(default_factory=set)  # ids of this batch's rows that failed
    _subclasses: dict[frozenset[URIRef], set[Node] | None] = field(
        default_factory=dict, repr=False)

    @classmethod
    def from_graphs(cls, per_file: dict[str, Graph], vocabulary: Graph) -> Known:
        graph = Graph()
        types: dict[Node, set[Node]] = {}
        files: dict[Node, str] = {}
        for name, g in per_file.items():
            graph += g
            for s, o in g.subject_objects(RDF.type):
                types.setdefault(s, set()).add(o)
                files.setdefault(s, name)
        return cls(graph, types, files, vocabulary)

    def subclasses(self, base: Iterable[URIRef]) -> set[Node] | None:
        """``base`` and every class below it; None when the vocabulary knows none of them
        (remembered: every ref cell of a batch asks, 24,000 times for the curated data)."""
        key = frozenset(base)
        if key not in self._subclasses:
            self._subclasses[key] = self._find_subclasses(key)
        found = self._subclasses[key]
        return None if found is None else set(found)

    def _find_subclasses(self, base: frozenset[URIRef]) -> set[Node] | None:
        found: set[Node] = set(base)
        if not any((b, None, None) in self.vocabulary
                   or (None, RDFS.subClassOf, b) in self.vocabulary for b in found):
            return None
        todo = list(found)
        while todo:
            for sub in self.vocabulary.subjects(RDFS.subClassOf, todo.pop()):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        return found


def _parse_cell(schema: Schema, column: Column, text: str) -> Value:
    if column.type in ("ref", "id"):
        return parse_id(text)
    if column.type in ("enum", "class"):
        choices = schema.enums[column.enum or ""]
        if text not in choices:
            raise ValueProblem(f"{text!r} is not one of: {', '.join(choices)}")
        return choices[text]
    if column.type == "partial-date":
        return parse_partial_date(text, bound=column.bound, edtf=column.edtf is not None)
    if column.pattern is not None and not column.pattern.fullmatch(text):
        expected = column.help or column.pattern.pattern
        raise ValueProblem(f"{text!r} does not look right: expected {expected}")
    literal = parse_literal(text, column.type)
    if column.datatype is not None:  # a narrower XSD type (xsd:nonNegativeInteger, ...)
        return Literal(str(literal), datatype=column.datatype)
    return literal


def row_node(rt: RecordType, path: Path, row: Row) -> URIRef:
    """The node a row states: ``kgd:<id>``, or an id made by the ``id_template``."""
    text = row.cells.get("id")
    if text is None:
        text = make_slug(rt.id_template, row.cells) if rt.id_template else ""
        if not text or not any(row.cells.get(c) for c in rt.template_columns):
            raise InputError(path, "the id is empty" + (
                f" and cannot be made from {', '.join(rt.template_columns)}"
                if rt.id_template else ""), row=row.line, field="id")
    try:
        return parse_id(text)
    except ValueProblem as exc:
        raise InputError(path, str(exc), row=row.line, field="id") from exc


def read_record(schema: Schema, rt: RecordType, path: Path,
                row: Row) -> tuple[Record | None, list[InputError]]:
    """One row on its own: every cell parsed, required cells present.

    Every problem of the row is returned, one per bad field (not only the first); the record
    is None only when the row's id itself is wrong. A record with problems keeps the cells
    that could be read and names the others in :attr:`Record.bad`.
    """
    errors: list[InputError] = []
    try:
        node: URIRef | None = row_node(rt, path, row)
    except InputError as exc:
        errors.append(exc)
        node = None
    record = Record(rt, path, row.line, node if node is not None else URIRef(""),
                    (rt.rdf_class,) if rt.rdf_class else ())
    for column in rt.columns:
        if column.name == "id":
            continue
        text = row.cells.get(column.name, "")
        pieces = split_list(text) if column.many else ([text] if text else [])
        if not pieces:
            if column.required:
                errors.append(record.error("required value is empty", column.name))
                record.bad.add(column.name)
            continue
        try:
            record.values[column.name] = [_parse_cell(schema, column, p) for p in pieces]
        except ValueProblem as exc:
            errors.append(record.error(str(exc), column.name))
            record.bad.add(column.name)
            continue
        if column.type == "class":
            record.classes = tuple(v for v in record.values[column.name] if isinstance(v, URIRef))
    return (record if node is not None else None), errors


def parse_record(schema: Schema, rt: RecordType, path: Path, row: Row) -> Record:
    """One row on its own, or the first of its problems raised as InputError."""
    record, errors = read_record(schema, rt, path, row)
    if errors:
        raise errors[0]
    assert record is not None
    return record


def record_triples(schema: Schema, record: Record) -> Graph:
    """The triples a parsed row states (its node is the subject of all of them)."""
    graph = Graph()
    for triple in iter_triples(schema, record):
        graph.add(triple)
    return graph


Triple = tuple[URIRef, URIRef, URIRef | Literal]


def iter_triples(schema: Schema, record: Record) -> Iterator[Triple]:
    """The triples of :func:`record_triples`, without building a graph (the exporter checks
    every row it writes against them)."""
    for cls in record.classes:
        yield record.node, RDF.type, cls
    for name, values in record.values.items():
        column = record.record_type.column(name)
        if column.property is None or column.type == "class":
            continue
        for value in values:
            if isinstance(value, PartialDate):
                yield from _date_triples(schema, record.node, column, value)
            else:
                yield record.node, column.property, value


def _date_triples(schema: Schema, node: URIRef, column: Column,
                  value: PartialDate) -> Iterator[Triple]:
    """A partial date: the main property (earliest start / latest end), its precision, the
    other EDTF bound and the EDTF text when it is not a plain date."""
    assert column.property is not None
    if value.day is not None:
        yield node, column.property, Literal(value.day, datatype=XSD.date)
        if value.precision != "day" and column.precision is not None:
            yield node, column.precision, schema.precisions[value.precision]
    if value.other is not None and column.other_bound is not None:
        yield node, column.other_bound, Literal(value.other, datatype=XSD.date)
    if value.edtf is not None and column.edtf is not None:
        yield node, column.edtf, Literal(value.edtf)


def check_ids(records: list[Record], known: Known) -> list[InputError]:
    """Every id is used once in the batch and is new to the graph."""
    errors: list[InputError] = []
    seen: dict[Node, Record] = {}
    for r in records:
        slug = str(r.node).rsplit("/", 1)[-1]
        if r.node in seen:
            first = seen[r.node]
            errors.append(r.error(f"id {slug!r} is used twice (also {first.path}:{first.line})",
                                  "id"))
        elif r.node in known.files:
            where = known.files[r.node]
            again = ""
            if Path(where).parent.name == "ingested" and Path(where).suffix == ".ttl":
                again = (f", or name this file {Path(where).stem}.csv to replace the version "
                         "ingested from a file of that name")
            errors.append(r.error(
                f"id {slug!r} already exists in the graph ({where}): "
                f"refer to it instead of defining it again{again}", "id"))
        seen.setdefault(r.node, r)
    return errors


def ref_classes(schema: Schema, column: Column, known: Known) -> set[Node] | None:
    ref = column.ref or ""
    base = (expand(ref),) if ":" in ref else schema.classes_of(schema.types[ref])
    if ":" not in ref:  # the record type's own classes are always fine, vocabulary or not
        return set(base) | (known.subclasses(base) or set())
    return known.subclasses(base)


class UnknownRef(InputError):
    """A reference to an id that no row of the batch and no node of the graph has."""

    def __init__(self, record: Record, column: Column, target: URIRef, message: str) -> None:
        super().__init__(record.path, message, row=record.line, field=column.name)
        self.column = column
        self.target = target


def _candidates(schema: Schema, column: Column, batch: dict[Node, Record], known: Known,
                pools: dict[str, list[Entity]]) -> list[Entity]:
    """The nodes of the batch and the graph that ``column`` may point at (of its kind)."""
    key = column.ref or ""
    if key in pools:
        return pools[key]
    allowed = ref_classes(schema, column, known)
    found: dict[Node, Entity] = {}
    for node, r in batch.items():
        if allowed is None or set(r.classes) & allowed:
            labels = [str(v) for v in r.values.get("label", [])]
            aliases = tuple(str(a) for a in r.values.get("aliases", []))
            found[node] = Entity(str(node), labels[0] if labels else "", (), aliases)
    for node, types in known.types.items():
        if node in found or not isinstance(node, URIRef):
            continue
        if allowed is None or types & allowed:
            name = known.graph.value(node, RDFS.label)
            aliases = tuple(sorted({*(str(a) for a in known.graph.objects(node, SKOS.altLabel)),
                                    *(str(a) for row in known.graph.subjects(ALIAS_OF, node)
                                      for a in known.graph.objects(row, ALIAS_NAME))}))
            found[node] = Entity(str(node), "" if name is None else str(name), (), aliases)
    pools[key] = sorted(found.values(), key=lambda e: e.iri)
    return pools[key]


def _check_ref(schema: Schema, r: Record, column: Column, target: URIRef,
               batch: dict[Node, Record], known: Known,
               pools: dict[str, list[Entity]]) -> InputError | None:
    if target in known.rejected:
        return None  # its own row is wrong and already reported
    slug = str(target).rsplit("/", 1)[-1]
    classes = set(batch[target].classes) if target in batch else known.types.get(target)
    if classes is None:
        near = nearest(slug, _candidates(schema, column, batch, known, pools), n=1)
        hint = f" (did you mean {near[0].id!r}?)" if near else \
            " (to find the id of one in the graph: kg ids NAME)"
        where = column.ref if ":" not in (column.ref or "") else "the batch"
        return UnknownRef(r, column, target,
                          f"unknown id {slug!r}: no row of {where} and no node in the graph "
                          f"has this id{hint}")
    allowed = ref_classes(schema, column, known)
    if allowed is not None and not classes & allowed:
        return r.error(f"{slug!r} is not one of the {column.ref} (it is a "
                       f"{', '.join(sorted(str(c).rsplit('#', 1)[-1] for c in classes))})",
                       column.name)
    return None


def _lookup(node: Node, prop: URIRef, batch_graph: Graph, known: Known) -> set[Node]:
    return set(batch_graph.objects(node, prop)) | set(known.graph.objects(node, prop))


def _given(r: Record, column: str) -> bool:
    """A cell is given: not empty and not ``..`` (an EDTF unknown)."""
    values = r.values.get(column)
    if not values:
        return False
    return not (isinstance(values[0], PartialDate) and values[0].unknown)


def _interval(rule: Rule, r: Record) -> InputError | None:
    start, end, status = rule.columns
    v = {c for c in rule.columns if _given(r, c)}
    if rule.only_with_start and start not in v:
        return None
    if end in v and status in v:
        return r.error(f"give either {end} or {status}, not both", status)
    if end not in v and status not in v:
        return r.error(f"{end} is empty, so {status} must be 'ongoing' (still holds), "
                       "'unknown' or 'ended' (it ended, the date is unknown): no end date must "
                       "not silently mean either 'still holds' or 'not known'", status)
    return None


def _order(rule: Rule, r: Record) -> InputError | None:
    first, then = rule.columns
    early, late = r.day(first), r.day(then)
    if early is not None and late is not None and late < early:
        return r.error(f"{then} {r.text(then)} is before {first} {r.text(first)}"
                       f" (ends {late.isoformat()}, starts {early.isoformat()})", then)
    return None


def _different(rule: Rule, r: Record) -> InputError | None:
    a, b = rule.columns
    if a in r.values and r.values.get(a) == r.values.get(b):
        return r.error(f"{b} must differ from {a}", b)
    return None


def _disjoint(rule: Rule, r: Record) -> InputError | None:
    a, b = rule.columns
    both = set(r.values.get(a, [])) & set(r.values.get(b, []))
    if both:
        names = ", ".join(sorted(_slug(n) for n in both))  # type: ignore[arg-type]
        return r.error(f"{names} cannot be in both {a} and {b}", b)
    return None


def _not_both(rule: Rule, r: Record) -> InputError | None:
    a, b = rule.columns
    if a in r.values and b in r.values:
        return r.error(f"give either {a} or {b}, not both", b)
    return None


def _one_of(rule: Rule, r: Record) -> InputError | None:
    if not any(c in r.values for c in rule.columns):
        return r.error(f"give {' or '.join(rule.columns)}", rule.columns[0])
    return None


ROW_RULES = {
    "interval": _interval, "order": _order, "different": _different, "disjoint": _disjoint,
    "one_of": _one_of, "not_both": _not_both,
}


def _check_rule(rule: Rule, r: Record, batch_graph: Graph, known: Known) -> InputError | None:
    if rule.kind == "ref_match":
        return _check_ref_match(rule.columns, r, batch_graph, known)
    return ROW_RULES[rule.kind](rule, r)


def _slug(node: Node) -> str:
    return str(node).rsplit("/", 1)[-1]


def _check_ref_match(cols: tuple[str, ...], r: Record, batch_graph: Graph,
                     known: Known) -> InputError | None:
    ref_col, prop, other_col = cols
    if ref_col not in r.values or other_col not in r.values:
        return None
    target, expected = r.values[ref_col][0], r.values[other_col][0]
    actual = _lookup(target, expand(prop), batch_graph, known)  # type: ignore[arg-type]
    if actual and expected not in actual:
        owners = ", ".join(sorted(str(a).rsplit("/", 1)[-1] for a in actual))
        slug = str(target).rsplit("/", 1)[-1]
        return r.error(f"{slug!r} belongs to {owners}, not to "
                       f"{str(expected).rsplit('/', 1)[-1]!r} ({other_col})", ref_col)
    return None


def check_records(schema: Schema, records: list[Record], batch_graph: Graph,
                  known: Known) -> list[InputError]:
    """Checks across rows, files and the project: refs and the schema's rules.

    Every problem of a row is reported (each bad reference, each broken rule), not only the
    first; a rule is not checked when one of its cells could not be read (that cell's own
    error says what is wrong).
    """
    errors: list[InputError] = []
    batch: dict[Node, Record] = {r.node: r for r in records}
    pools: dict[str, list[Entity]] = {}
    for r in records:
        errors.extend(_problems(schema, r, batch_graph, batch, known, pools))
    return errors


def _problems(schema: Schema, r: Record, batch_graph: Graph, batch: dict[Node, Record],
              known: Known, pools: dict[str, list[Entity]]) -> list[InputError]:
    found: list[InputError] = []
    for column in r.record_type.columns:
        if column.type != "ref":
            continue
        for target in r.values.get(column.name, []):
            problem = _check_ref(schema, r, column, target, batch, known,  # type: ignore[arg-type]
                                 pools)
            if problem:
                found.append(problem)
    for rule in r.record_type.rules:
        if r.bad & set(rule.columns):
            continue
        problem = _check_rule(rule, r, batch_graph, known)
        if problem:
            found.append(problem)
    return found
