"""The record types of the tabular format, read from ``schema.yaml`` (the one place they live).

>>> schema = load_schema()
>>> schema.for_file("acme-memberships.csv").name
'memberships'
>>> [c.name for c in schema.types["tiers"].columns][:3]
['id', 'foundation', 'label']
"""

from __future__ import annotations

import builtins
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import URIRef

from ..errors import KGError
from ..namespaces import PREFIXES

SCHEMA_PATH = Path(__file__).with_name("schema.yaml")
COLUMN_TYPES = (
    "id", "ref", "class", "enum", "text", "url", "date", "partial-date", "integer", "decimal",
    "boolean",
)
RULE_KINDS = ("interval", "order", "different", "disjoint", "one_of", "ref_match", "not_both")
LIST_SEPARATOR = ";"


def expand(curie: str) -> URIRef:
    """``kg:Membership`` → the full IRI, with the prefixes of :mod:`kg.namespaces`."""
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES:
        raise KGError(f"{SCHEMA_PATH}: unknown prefix in {curie!r}")
    return URIRef(PREFIXES[prefix] + local)


def compact(iri: object) -> str:
    """The inverse of :func:`expand`: ``kg:Membership`` for the full IRI (else the IRI).

    >>> compact(expand("rdfs:label"))
    'rdfs:label'
    """
    text = str(iri)
    for prefix, base in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(base):
            return f"{prefix}:{text[len(base):]}"
    return text


@dataclass(frozen=True)
class Column:
    """One column of a record type and the RDF property it maps to."""

    name: str
    type: str
    property: URIRef | None = None
    required: bool = False
    many: bool = False
    help: str = ""
    enum: str | None = None
    ref: str | None = None                 # a record type name, or a class CURIE
    bound: str = "first"                   # partial dates: stored as the first or last day
    precision: URIRef | None = None        # partial dates: the companion precision property
    pattern: re.Pattern[str] | None = None
    latest: URIRef | None = None           # EDTF: a first-bound column's latest bound
    earliest: URIRef | None = None         # EDTF: a last-bound column's earliest bound
    edtf: URIRef | None = None             # EDTF: the text as written (when not plain)
    datatype: URIRef | None = None         # integers: the XSD type (default xsd:integer)

    @builtins.property  # (``property`` is a field here)
    def other_bound(self) -> URIRef | None:
        """The property of the EDTF bound the main property does not hold."""
        return self.latest if self.bound == "first" else self.earliest

    @builtins.property
    def properties(self) -> tuple[URIRef, ...]:
        """Every property a cell of this column can state."""
        return tuple(p for p in (self.property, self.precision, self.other_bound, self.edtf)
                     if p is not None)


@dataclass(frozen=True)
class Rule:
    """A check across columns of one row."""

    kind: str
    columns: tuple[str, ...]
    only_with_start: bool = False


@dataclass(frozen=True)
class RecordType:
    """One kind of file: its columns, its class and its cross-column rules."""

    name: str
    file: str
    summary: str
    columns: tuple[Column, ...]
    rdf_class: URIRef | None = None
    class_column: str | None = None
    sourced: bool = True
    id_template: str | None = None
    rules: tuple[Rule, ...] = ()

    @property
    def template_columns(self) -> tuple[str, ...]:
        """The columns ``id_template`` uses, in order."""
        return tuple(re.findall(r"\{(\w+)\}", self.id_template or ""))

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column_for(self, prop: URIRef) -> str | None:
        """The column a property (or a date's precision property) comes from."""
        for c in self.columns:
            if prop in c.properties:
                return c.name
        return None


@dataclass(frozen=True)
class Schema:
    """All record types, the enums they use and the precision concepts."""

    types: dict[str, RecordType]
    enums: dict[str, dict[str, URIRef]]
    precisions: dict[str, URIRef] = field(default_factory=dict)

    def for_file(self, path: str | Path) -> RecordType | None:
        """The record type a file name ends with (``acme-lawsuits.csv`` → lawsuits)."""
        name = Path(path).name.lower()
        if not name.endswith(".csv"):
            return None
        stem = name[: -len(".csv")]
        matches = [t for t in self.types.values() if stem.endswith(t.file)]
        return max(matches, key=lambda t: len(t.file), default=None)

    def classes_of(self, record_type: RecordType) -> tuple[URIRef, ...]:
        """Every class a row of this record type can have."""
        if record_type.rdf_class is not None:
            return (record_type.rdf_class,)
        column = record_type.column(record_type.class_column or "")
        return tuple(self.enums[column.enum or ""].values())

    def enum_key(self, enum: str, term: URIRef) -> str | None:
        for key, value in self.enums[enum].items():
            if value == term:
                return key
        return None


def _column(spec: dict[str, Any], where: str) -> Column:
    kind = spec.get("type")
    if kind not in COLUMN_TYPES:
        raise KGError(f"{SCHEMA_PATH}: {where}: unknown column type {kind!r}")
    pattern = spec.get("pattern")
    return Column(
        name=spec["name"], type=kind,
        property=expand(spec["property"]) if spec.get("property") else None,
        required=bool(spec.get("required", False)), many=bool(spec.get("many", False)),
        help=spec.get("help", ""), enum=spec.get("enum"), ref=spec.get("ref"),
        bound=spec.get("bound", "first"),
        precision=expand(spec["precision"]) if spec.get("precision") else None,
        pattern=re.compile(pattern) if pattern else None,
        latest=expand(spec["latest"]) if spec.get("latest") else None,
        earliest=expand(spec["earliest"]) if spec.get("earliest") else None,
        edtf=expand(spec["edtf"]) if spec.get("edtf") else None,
        datatype=expand(spec["datatype"]) if spec.get("datatype") else None,
    )


def _rule(spec: dict[str, Any], where: str) -> Rule:
    kinds = [k for k in spec if k in RULE_KINDS]
    if len(kinds) != 1:
        raise KGError(f"{SCHEMA_PATH}: {where}: a rule needs one of {', '.join(RULE_KINDS)}")
    return Rule(kinds[0], tuple(spec[kinds[0]]), bool(spec.get("only_with_start", False)))


def _record_type(name: str, spec: dict[str, Any], sourced_columns: list[Any],
                 annotation_columns: list[Any]) -> RecordType:
    sourced = bool(spec.get("sourced", True))
    own = {c.get("name") for c in spec["columns"]}
    specs = (list(spec["columns"]) + [c for c in annotation_columns if c["name"] not in own]
             + (sourced_columns if sourced else []))
    columns = tuple(_column(c, f"{name}.{c.get('name')}") for c in specs)
    return RecordType(
        name=name, file=spec.get("file", name), summary=spec.get("summary", ""), columns=columns,
        rdf_class=expand(spec["class"]) if spec.get("class") else None,
        class_column=spec.get("class_column"), sourced=sourced,
        id_template=spec.get("id_template"),
        rules=tuple(_rule(r, name) for r in spec.get("rules", ())),
    )


def _check(schema: Schema) -> None:
    """The schema file is consistent: enums, refs and rules name things that exist."""
    for t in schema.types.values():
        names = set(t.column_names)
        for c in t.columns:
            if c.type in ("enum", "class") and c.enum not in schema.enums:
                raise KGError(f"{SCHEMA_PATH}: {t.name}.{c.name}: unknown enum {c.enum!r}")
            if c.type == "ref" and ":" not in (c.ref or "") and c.ref not in schema.types:
                raise KGError(f"{SCHEMA_PATH}: {t.name}.{c.name}: unknown ref {c.ref!r}")
        used = {n for r in t.rules for n in r.columns if not n.startswith("kg:")}
        used |= set(t.template_columns)
        if used - names or "id" not in names:
            raise KGError(f"{SCHEMA_PATH}: {t.name}: unknown columns {sorted(used - names)}")


@cache
def load_schema(path: Path = SCHEMA_PATH) -> Schema:
    """Read and check the record types (cached: the file is part of the package)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    enums = {
        name: {str(k): expand(v) for k, v in values.items()}
        for name, values in raw["enums"].items()
    }
    types = {
        name: _record_type(name, spec, raw.get("sourced_columns", []),
                           raw.get("annotation_columns", []))
        for name, spec in raw["record_types"].items()
    }
    precisions = {k: expand(v) for k, v in raw.get("precisions", {}).items()}
    schema = Schema(types=types, enums=enums, precisions=precisions)
    _check(schema)
    return schema
