"""The party graph the analytics walk: :func:`kg.network.to_networkx` with every suit drawn as
plaintiff → defendant edges, facts outside ``as_of`` left out, and each edge read back as a
:class:`Fact` (who, the ontology's words, whom, when, confidence, sources with their titles).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from ..entities import Entity, nearest
from ..errors import KGError
from ..namespaces import KG, KGD, RDFS
from ..network import NEIGHBOURHOOD_KINDS, to_networkx
from ..network.build import check_kinds
from ..network.dates import format_interval, join
from ..network.edges import Edge, contribution_edges
from ..network.reader import Reader
from ..network.words import vocabulary_for
from ..queries import to_iri
from ..temporal import PRECISIONS, Interval, status_as_of
from ..vocabulary import local_name

PartyGraph = nx.MultiDiGraph  # of str: the nodes are IRIs
# An edge of the party graph: its two ends, its key and its attributes.
EdgeRow = tuple[str, str, str, dict[str, Any]]


@dataclass(frozen=True)
class Source:
    """Where a fact is stated: the source's title (or label) and its URL."""

    title: str
    url: str

    def __str__(self) -> str:
        return f"{self.title} <{self.url}>" if self.title and self.url else self.title or self.url


@dataclass(frozen=True)
class Fact:
    """One edge of the party graph in words: ``subject —phrase→ object``, its dates, its
    confidence and its sources. ``relation`` is the edge's label in the pictures (a tier, a
    patent count); ``phrase`` the verb of its class (``kg:phrase``)."""

    fact: str
    kind: str
    subject: str
    subject_label: str
    phrase: str
    relation: str
    object: str
    object_label: str
    when: str
    start: date | None
    end: date | None
    confidence: str
    confidence_rank: int
    sources: tuple[Source, ...]

    @property
    def sentence(self) -> str:
        """``Symantec —transferred patents to→ Clouding IP``."""
        return f"{self.subject_label} —{self.phrase}→ {self.object_label}"

    @property
    def detail(self) -> str:
        """The label's extra words when they add something to the verb (tier, count)."""
        return "" if self.relation in self.phrase else self.relation

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "kind": self.kind, "subject": self.subject,
                "subject_label": self.subject_label, "phrase": self.phrase,
                "relation": self.relation, "object": self.object,
                "object_label": self.object_label, "sentence": self.sentence,
                "when": self.when, "start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None,
                "confidence": self.confidence,
                "sources": [{"title": s.title, "url": s.url} for s in self.sources]}


def rdf_graph(store: Any) -> Graph:
    """The stated triples of a kg store, or ``store`` itself when it is an rdflib graph."""
    if isinstance(store, Graph):
        return store
    from ..stores import read_graph

    return read_graph(store)


def _precision(key: object) -> str:
    return str(key) if key in PRECISIONS else "day"


def _interval(data: dict[str, Any]) -> Interval:
    return Interval(data.get("start"), data.get("end"),
                    start_precision=_precision(data.get("start_precision")),
                    end_precision=_precision(data.get("end_precision")),
                    end_status=data.get("end_status"))


def holds_on(data: dict[str, Any], day: date) -> bool:
    """Whether an edge's fact held on ``day`` (:func:`kg.temporal.status_as_of`): one not yet
    begun, or certainly ended, is left out; an undated one, or one that may hold, is kept."""
    return status_as_of(_interval(data), day) not in ("not started", "ended")


def _as_of_words(data: dict[str, Any], day: date) -> dict[str, Any]:
    """An edge that ended after ``day`` said as it stood then (no hindsight: no outcome)."""
    end = data.get("end")
    if end is None or end <= day:
        return data
    when = format_interval(data.get("start"), None,
                           start_precision=_precision(data.get("start_precision")),
                           end_status="ongoing")
    return {**data, "label": join(str(data["relation"]), when), "end": None, "outcome": None}


def _contribution_as_of(reader: Reader, data: dict[str, Any], day: date) -> Edge | None:
    """A contribution edge counting only the years that had ended by ``day`` (the rule of
    :meth:`kg.conflicts.facts.FactBook.contributions_of`); ``None`` when none had. A year's
    record is work done, not a relation that ends: it is never left out as "ended"."""
    kept = [URIRef(f) for f in data.get("facts", ())
            if (year := reader.text(URIRef(f), KG.year)) and year.isdigit()
            and date(int(year), 12, 31) <= day]
    edges = contribution_edges(reader, kept)
    return edges[0] if edges else None


def party_graph(store: Any, *, as_of: date | None = None,
                kinds: Iterable[str] | None = None) -> PartyGraph[str]:
    """The parties and their facts (``kinds``: by default every kind but structure, which
    would tie every component to its project), as they stood on ``as_of`` when given: a fact
    not yet begun or already ended is left out (:func:`holds_on`), one that ended later is
    said without its end, a contribution counts the years ended by then."""
    graph = rdf_graph(store)
    chosen = check_kinds(NEIGHBOURHOOD_KINDS if kinds is None else kinds)
    full = to_networkx(graph, include_kinds=chosen, suits="edges")
    if as_of is None:
        return full
    reader = Reader(graph, vocabulary_for(graph, None))
    result: PartyGraph[str] = nx.MultiDiGraph()
    result.graph.update(full.graph, as_of=as_of)
    result.add_nodes_from(full.nodes(data=True))
    for u, v, key, data in full.edges(keys=True, data=True):
        if data.get("kind") == "contribution":
            edge = _contribution_as_of(reader, data, as_of)
            if edge is not None:
                result.add_edge(u, v, key=key, **edge.attrs)
        elif holds_on(data, as_of):
            result.add_edge(u, v, key=key, **_as_of_words(data, as_of))
    return result


def known(graph: Graph, wanted: str) -> str:
    """The IRI of ``wanted`` (an ID such as ``symantec``, a prefixed name or an IRI) when the
    graph states something of it; else an error naming the nearest IDs (as ``kg ids`` finds
    them). Asked before the party graph is built, so a typo costs no walk."""
    iri = str(to_iri(wanted))
    if (URIRef(iri), None, None) in graph:
        return iri
    labelled = [Entity(str(s), str(o), ()) for s, o in graph.subject_objects(RDFS.label)
                if str(s).startswith(str(KGD))]
    hints = ", ".join(f"{e.id} ({e.label})" for e in nearest(wanted, labelled)) or "none"
    raise KGError(f"unknown entity {wanted!r} (nearest: {hints}; find IDs with 'kg ids')")


def resolve(g: PartyGraph[str], graph: Graph, wanted: str) -> str:
    """The IRI of ``wanted`` (see :func:`known`) as a node of ``g``: one with no edge in ``g``
    (none of the kinds asked, or none as of the date) joins it as a node of its own."""
    iri = known(graph, wanted)
    if iri not in g:
        label = graph.value(URIRef(iri), RDFS.label)
        g.add_node(iri, label=str(label or local_name(iri)), iri=iri)
    return iri


def sources_of(graph: Graph, facts: Sequence[str]) -> tuple[Source, ...]:
    """The sources of ``facts``: title (``dcterms:title``, else label) and URL, by title."""
    found: set[Source] = set()
    for fact in facts:
        for source in graph.objects(URIRef(fact), KG.source):
            title = graph.value(source, DCTERMS.title) or graph.value(source, RDFS.label)
            url = graph.value(source, KG.url)
            found.add(Source(str(title or ""), str(url or source)))
    return tuple(sorted(found, key=lambda s: (s.title, s.url)))


class FactReader:
    """Reads the edges of a party graph as :class:`Fact` s (memoised class phrases)."""

    def __init__(self, graph: Graph, g: PartyGraph[str]) -> None:
        self.graph = graph
        self.g = g
        self.reader = Reader(graph, vocabulary_for(graph, None))

    def phrase(self, data: dict[str, Any]) -> str:
        cls = self.reader.fact_class(URIRef(str(data["fact"])))
        return self.reader.vocabulary.phrase(cls) if cls else str(data["relation"])

    def fact(self, row: EdgeRow) -> Fact:
        u, v, _, data = row
        relation = str(data["relation"])
        label = str(data.get("label", relation))
        # the label is the relation then its dates (kg.network.dates.join: "sued · 2012"; a
        # contribution's "755 commits (2010–2016)"): the dates are what follows the relation
        when = label[len(relation):].strip(" ·()") if label.startswith(relation) else ""
        return Fact(
            fact=str(data["fact"]), kind=str(data["kind"]), subject=u,
            subject_label=str(self.g.nodes[u]["label"]), phrase=self.phrase(data),
            relation=relation, object=v, object_label=str(self.g.nodes[v]["label"]),
            when=when, start=data.get("start"), end=data.get("end"),
            confidence=str(data.get("confidence_label") or data.get("confidence") or ""),
            confidence_rank=int(data.get("confidence_rank") or 1_000),
            sources=sources_of(self.graph, data.get("facts") or (str(data["fact"]),)))


def edges_between(g: PartyGraph[str], a: str, b: str) -> list[EdgeRow]:
    """Every edge between ``a`` and ``b``, in either direction."""
    rows: list[EdgeRow] = []
    for u, v in ((a, b), (b, a)):
        for key, data in (g.get_edge_data(u, v) or {}).items():
            rows.append((u, v, str(key), data))
    return rows
