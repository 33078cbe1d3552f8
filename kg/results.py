"""Query rows and findings as plain Python values: what a script or a notebook works with.

An RDF term becomes the value a person expects: ``xsd:date`` a :class:`datetime.date`,
``xsd:gYear`` an ``int`` year, ``xsd:gYearMonth`` the text ``"2014-12"``, integers ``int``,
decimals :class:`~decimal.Decimal` (exact: fees and settlements are money), doubles ``float``,
booleans ``bool``, an IRI of kg's data its ID (``symantec``), a vocabulary term ``kg:Gold``,
any other IRI its text, an unbound variable ``None``.

>>> from rdflib import Literal, URIRef
>>> from rdflib.namespace import XSD
>>> [python_value(t) for t in (Literal("2014-12-01", datatype=XSD.date),
...  Literal("2014", datatype=XSD.gYear), Literal("2014-12", datatype=XSD.gYearMonth),
...  Literal("2", datatype=XSD.integer), URIRef("https://w3id.org/kg/id/symantec"), None)]
[datetime.date(2014, 12, 1), 2014, '2014-12', 2, 'symantec', None]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .findings import Evidence, Finding
from .namespaces import short_id

Record = dict[str, Any]
FINDING_COLUMNS = ("rank", "id", "severity", "score", "confidence", "pattern", "status",
                   "party", "party_label", "parties", "foundation", "headline",
                   "period_start", "period_end", "suits")
EVIDENCE_COLUMNS = ("fact", "kind", "subject", "subject_label", "relation", "object",
                    "object_label", "start", "start_precision", "start_edtf", "end",
                    "end_precision", "end_edtf", "end_status", "confidence", "sources")
_PLAIN = (bool, int, float, Decimal, date, datetime, time, str)


def python_value(term: Node | None) -> Any:
    """The plain Python value of one RDF term (see the module's docstring)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return short_id(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return _literal_value(term)
    return str(term)


def _literal_value(term: Literal) -> Any:
    if term.datatype == XSD.gYear and str(term).lstrip("-").isdigit():
        return int(str(term))
    if term.datatype == XSD.gYearMonth:
        return str(term)
    value = term.toPython()
    if isinstance(value, _PLAIN):
        return value
    return str(term)  # an ill-typed literal, or a datatype Python has no value for


def records(columns: Sequence[str], rows: Iterable[Mapping[str, Node | None]]) -> list[Record]:
    """One dict per row, a key for every column, the values plain (None when unbound)."""
    return [{c: python_value(row.get(c)) for c in columns} for row in rows]


def finding_records(findings: Iterable[Finding]) -> list[Record]:
    """One dict per finding, in the findings' order (``rank`` counts from 1)."""
    return [{
        "rank": rank, "id": f.id, "severity": f.severity, "score": f.score,
        "confidence": f.confidence, "pattern": f.pattern, "status": f.temporal_status,
        "party": short_id(f.party), "party_label": f.party_label,
        "parties": "; ".join(f.party_labels), "foundation": f.foundation_label,
        "headline": f.headline, "period_start": f.period_start, "period_end": f.period_end,
        "suits": "; ".join(f.suit_labels),
    } for rank, f in enumerate(findings, start=1)]


def evidence_record(edge: Evidence) -> Record:
    """One evidence link: who, how, whom, when (with the precision of each date; a date known
    only as bounds has its EDTF text, ``..2014-12``, and the bound as the date), how sure, and
    its sources (space-separated, as the named queries give them)."""
    return {
        "fact": short_id(edge.fact), "kind": edge.kind, "subject": short_id(edge.subject),
        "subject_label": edge.subject_label, "relation": edge.relation,
        "object": short_id(edge.object), "object_label": edge.object_label,
        "start": edge.start, "start_precision": edge.start_precision,
        "start_edtf": edge.start_edtf, "end": edge.end, "end_precision": edge.end_precision,
        "end_edtf": edge.end_edtf, "end_status": edge.end_status,
        "confidence": edge.confidence, "sources": " ".join(edge.sources),
    }


__all__ = ["EVIDENCE_COLUMNS", "FINDING_COLUMNS", "Record", "evidence_record",
           "finding_records", "python_value", "records"]
