"""Shared helpers of the importers: graphs with kg's prefixes, sourced dates, stable Turtle."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from kg.errors import InputError
from kg.namespaces import KG, KGD, PREFIXES

PRECISIONS: dict[str, URIRef] = {
    "day": KG.DayPrecision, "month": KG.MonthPrecision, "year": KG.YearPrecision,
}
SOURCE_KINDS = frozenset(
    {"NewsReport", "CourtRecord", "PrimaryRecord", "GitHistory", "Blog", "Dataset",
     "SecondarySummary"}
)


def new_graph() -> Graph:
    """An empty graph that binds exactly kg's canonical prefixes."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in sorted(PREFIXES.items()):
        graph.bind(prefix, namespace)
    return graph


def render_turtle(graph: Graph, *, header: str) -> str:
    """Deterministic Turtle: rdflib's sorted ``longturtle`` after a ``#`` comment header.

    The caller must not put blank nodes in ``graph`` (they would be renamed on every run).
    """
    body = graph.serialize(format="longturtle")
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    return "\n".join(lines) + "\n\n" + body.strip() + "\n"


def date_literal(value: dt.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def last_day(value: dt.date, precision: str) -> dt.date:
    """The last day of the month or year that starts at ``value`` (for end dates)."""
    if precision == "year":
        return value.replace(month=12, day=31)
    if precision == "month":
        following = value.replace(day=28) + dt.timedelta(days=4)
        return following - dt.timedelta(days=following.day)
    return value


def add_date(graph: Graph, node: URIRef, prop: URIRef, precision_prop: URIRef, value: dt.date,
             precision: str) -> None:
    """A date with its precision; the precision triple is omitted for day precision."""
    graph.add((node, prop, date_literal(value)))
    if precision != "day":
        graph.add((node, precision_prop, PRECISIONS[precision]))


def add_sources(graph: Graph, specs: list[dict[str, Any]], *, origin: str) -> dict[str, URIRef]:
    """Add one ``kg:Source`` per spec (keys id, url, title, publisher, date?, kind)."""
    added: dict[str, URIRef] = {}
    for number, spec in enumerate(specs, start=1):
        for field in ("id", "url", "title", "publisher", "kind"):
            if not spec.get(field):
                raise InputError(origin, f"source #{number} has no {field}", field=field)
        if spec["kind"] not in SOURCE_KINDS:
            raise InputError(origin, f"source {spec['id']}: unknown kind {spec['kind']!r}",
                             field="kind")
        node = KGD[spec["id"]]
        graph.add((node, RDF.type, KG.Source))
        graph.add((node, RDFS.label, Literal(spec["title"])))
        graph.add((node, KG.url, Literal(spec["url"], datatype=XSD.anyURI)))
        graph.add((node, DCTERMS.title, Literal(spec["title"])))
        graph.add((node, DCTERMS.publisher, Literal(spec["publisher"])))
        graph.add((node, KG.sourceKind, KG[spec["kind"]]))
        if spec.get("date"):
            graph.add((node, DCTERMS.date, date_literal(spec["date"])))
        added[spec["id"]] = node
    return added


def add_sourced(graph: Graph, node: URIRef, sources: list[URIRef], confidence: URIRef,
                note: str | None = None) -> None:
    """The provenance every ``kg:Sourced`` instance carries."""
    for source in sources:
        graph.add((node, KG.source, source))
    graph.add((node, KG.confidence, confidence))
    if note:
        graph.add((node, KG.note, Literal(note)))
