"""Small accessors over one rdflib graph, with the vocabulary that names what they read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from rdflib import Graph, URIRef
from rdflib.term import Node

from ..namespaces import KG, RDF, RDFS
from ..vocabulary import Vocabulary, local_name
from . import words
from .dates import format_interval

SuitMode = Literal["auto", "edges", "nodes"]


@dataclass
class Reader:
    """Reads facts of ``graph`` (memoised labels and kinds); ``vocabulary`` names them.

    The graph is read-only while a reader lives: each subject's triples are read once, in one
    pattern look-up, and every later question about that subject is answered from them (a
    picture asks about ten questions per fact; on a store view each is an index scan)."""

    graph: Graph
    vocabulary: Vocabulary
    suits: SuitMode = "auto"
    _labels: dict[Node, str] = field(default_factory=dict)
    _described: dict[Node, dict[Node, list[Node]]] = field(default_factory=dict)
    _types: dict[Node, set[Node]] = field(default_factory=dict)

    def _objects(self, subject: Node, predicate: URIRef) -> list[Node]:
        described = self._described.get(subject)
        if described is None:
            described = {}
            for p, o in self.graph.predicate_objects(subject):
                described.setdefault(p, []).append(o)
            self._described[subject] = described
        return described.get(predicate, [])

    def one(self, subject: Node, predicate: URIRef) -> Node | None:
        return min(self._objects(subject, predicate), default=None, key=str)

    def all(self, subject: Node, predicate: URIRef) -> list[Node]:
        return sorted(set(self._objects(subject, predicate)), key=str)

    def text(self, subject: Node, predicate: URIRef) -> str | None:
        value = self.one(subject, predicate)
        return None if value is None else str(value)

    def label(self, node: Node) -> str:
        if node not in self._labels:
            self._labels[node] = self.text(node, RDFS.label) or local_name(str(node).rstrip("/#"))
        return self._labels[node]

    def types(self, node: Node) -> set[Node]:
        # a walk asks the types of thousands of facts it then drops (around a hub): one
        # look-up each, not the whole description
        if node in self._described:
            return set(self._objects(node, RDF.type))
        if node not in self._types:
            self._types[node] = set(self.graph.objects(node, RDF.type))
        return self._types[node]

    def fact_class(self, node: Node) -> str | None:
        """The most specific class of a fact node that the ontology knows."""
        return words.most_specific(self.vocabulary, self.types(node))

    def node_attrs(self, node: Node) -> dict[str, Any]:
        return words.node_kind(self.vocabulary, self.types(node))

    def is_suit(self, node: Node) -> bool:
        return any(words.is_suit(self.vocabulary, cls) for cls in self.types(node))

    def date(self, subject: Node, predicate: URIRef) -> date | None:
        value = self.one(subject, predicate)
        py = value.toPython() if value is not None and hasattr(value, "toPython") else None
        if isinstance(py, datetime):
            return py.date()
        return py if isinstance(py, date) else None

    def precision(self, subject: Node, predicate: URIRef) -> str:
        return words.precision_key(self.vocabulary, self.one(subject, predicate))

    def short(self, term: Node | None, default: URIRef) -> str:
        """The short phrase of a concept, or that of ``default`` when the fact has none."""
        return self.vocabulary.phrase(term if isinstance(term, URIRef) else default, short=True)

    def provenance(self, fact: Node) -> dict[str, Any]:
        urls = {self.text(src, KG.url) or str(src) for src in self._objects(fact, KG.source)}
        level = words.confidence(self.vocabulary, self.one(fact, KG.confidence))
        return {"fact": str(fact), **level, "sources": tuple(sorted(urls))}

    def interval(self, fact: Node) -> tuple[str, dict[str, Any]]:
        start, end = self.date(fact, KG.startDate), self.date(fact, KG.endDate)
        status = "ended" if end else words.end_status_key(self.vocabulary,
                                                          self.one(fact, KG.endStatus))
        sp, ep = self.precision(fact, KG.startPrecision), self.precision(fact, KG.endPrecision)
        se, ee = self.text(fact, KG.startEDTF) or None, self.text(fact, KG.endEDTF) or None
        if end is None and status != "ended" and self.date(fact, KG.endEarliest) is not None:
            status = "ended"
        text = format_interval(start, end, start_precision=sp, end_precision=ep, end_status=status,
                               start_edtf=se, end_edtf=ee)
        return text, {"start": start, "end": end, "start_precision": sp, "end_precision": ep,
                      "end_status": status}

    def is_suit_node(self, suit: Node) -> bool:
        if self.suits != "auto":
            return self.suits == "nodes"
        pairs = len(self.all(suit, KG.plaintiff)) * len(self.all(suit, KG.defendant))
        return pairs >= 3
