"""The vocabulary's meanings, read once from ``ontology/`` and asked by every other module.

Labels, the phrases a sentence or a picture uses for a kind of fact, the rank of a concept in
its scheme, its stable key (``skos:notation``), whether a class is a point in time, and the
class hierarchy are annotations on the terms in ``ontology/kg.ttl`` (``kg:phrase``,
``kg:shortPhrase``, ``kg:rank``, ``kg:pointInTime``). Code never keeps its own copy of them,
so the conflict finder, the pictures and the reports cannot disagree.

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
... @prefix kg: <https://w3id.org/kg/ontology#> .
... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
... kg:Funding rdfs:isDefinedBy <https://w3id.org/kg/ontology> ; rdfs:label "funding"@en ;
...   kg:phrase "funds"@en ; rdfs:subClassOf kg:Tie .
... kg:Tie rdfs:isDefinedBy <https://w3id.org/kg/ontology> ; rdfs:label "tie"@en .
... kg:SingleSource rdfs:isDefinedBy <https://w3id.org/kg/ontology> ;
...   skos:prefLabel "single source"@en ; skos:notation "single-source" ; kg:rank 2 .
... ''', format="turtle")
>>> v = Vocabulary.from_graph(g)
>>> v.phrase(KG.Funding), v.key(KG.SingleSource), v.most_specific([KG.Tie, KG.Funding])
('funds', 'single-source', 'Funding')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from .namespaces import KG

ONTOLOGY = URIRef(str(KG).rstrip("#"))


def local_name(term: object) -> str:
    """``https://w3id.org/kg/ontology#Funding`` → ``Funding`` (also for ``/``-IRIs)."""
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Term:
    """What the ontology says about one term."""

    iri: str
    label: str
    phrase: str | None = None
    short: str | None = None
    rank: int | None = None
    key: str | None = None
    point: bool = False
    parents: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Vocabulary:
    """The terms of the ontology by IRI, with the questions code asks of them."""

    terms: Mapping[str, Term] = field(default_factory=dict)

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Node | None]]) -> Vocabulary:
        """From rows of ``queries/vocabulary.rq`` (term, label, phrase, short, rank, key,
        point, parent; one row per parent)."""
        texts: dict[str, dict[str, str]] = {}
        ranks: dict[str, int] = {}
        points: set[str] = set()
        parents: dict[str, set[str]] = {}
        for row in rows:
            iri = str(row["term"])
            text = texts.setdefault(iri, {})
            parents.setdefault(iri, set())
            for column in ("label", "phrase", "short", "key"):
                value = row.get(column)
                if value is not None and column not in text:
                    text[column] = str(value)
            if row.get("rank") is not None and iri not in ranks:
                ranks[iri] = int(str(row["rank"]))
            point = row.get("point")
            if isinstance(point, Literal) and point.toPython() is True:
                points.add(iri)
            if row.get("parent") is not None:
                parents[iri].add(str(row["parent"]))
        terms = {
            iri: Term(iri=iri, label=text.get("label") or local_name(iri),
                      phrase=text.get("phrase"), short=text.get("short"), rank=ranks.get(iri),
                      key=text.get("key"), point=iri in points,
                      parents=frozenset(parents[iri]))
            for iri, text in texts.items()
        }
        return cls(terms)

    @classmethod
    def from_graph(cls, graph: Graph) -> Vocabulary:
        """From an rdflib graph that holds the ontology (alone or with data)."""
        rows: list[dict[str, Node | None]] = []
        for term in set(graph.subjects(RDFS.isDefinedBy, ONTOLOGY)):
            base: dict[str, Node | None] = {
                "term": term,
                "label": graph.value(term, SKOS.prefLabel) or graph.value(term, RDFS.label),
                "phrase": graph.value(term, KG.phrase), "short": graph.value(term, KG.shortPhrase),
                "rank": graph.value(term, KG.rank), "key": graph.value(term, SKOS.notation),
                "point": graph.value(term, KG.pointInTime), "parent": None,
            }
            parents: list[Node | None] = list(graph.objects(term, RDFS.subClassOf)) or [None]
            rows.extend({**base, "parent": parent} for parent in parents)
        return cls.from_rows(rows)

    # ------------------------------------------------------------------ questions

    def term(self, term: object) -> Term | None:
        return self.terms.get(str(term))

    def label(self, term: object) -> str:
        """The term's preferred label, or its local name when the ontology has none."""
        found = self.term(term)
        return found.label if found else local_name(term)

    def phrase(self, term: object, *, short: bool = False, default: str | None = None) -> str:
        """The words for a kind of fact (``kg:phrase``, or ``kg:shortPhrase`` with ``short``),
        else those of its nearest ancestor that has some, else ``default`` or the label."""
        for candidate in self.lineage(term):
            found = self.terms[candidate]
            words = found.short if short else found.phrase
            if words:
                return words
        return default if default is not None else self.label(term)

    def key(self, term: object) -> str:
        """The stable key of a concept (``skos:notation``: ``single-source``), else the
        lower-case local name."""
        found = self.term(term)
        return found.key if found and found.key else local_name(term).lower()

    def rank(self, term: object) -> int:
        """Order within its scheme, 1 first; terms without a rank sort last."""
        found = self.term(term)
        return found.rank if found and found.rank is not None else 1_000

    def is_point(self, term: object) -> bool:
        """True for a class whose instances happen on a day (or one whose ancestor is)."""
        return any(self.terms[c].point for c in self.lineage(term))

    def lineage(self, term: object) -> list[str]:
        """The term and its ancestors (``rdfs:subClassOf``), nearest first."""
        out: list[str] = []
        frontier = [str(term)]
        while frontier:
            current = frontier.pop(0)
            if current in out or current not in self.terms:
                continue
            out.append(current)
            frontier.extend(sorted(self.terms[current].parents))
        return out

    def depth(self, term: object) -> int:
        return len(self.lineage(term))

    def most_specific(self, classes: Iterable[object]) -> str | None:
        """The local name of the deepest of ``classes`` in the hierarchy (ties: by name)."""
        known = sorted({str(c) for c in classes})
        if not known:
            return None
        return local_name(max(known, key=lambda c: (self.depth(c), c)))

    def keys_in_order(self, concepts: Iterable[object]) -> tuple[str, ...]:
        """The keys of ``concepts`` sorted by rank: the confidence order, the precisions."""
        return tuple(self.key(c) for c in sorted(concepts, key=lambda c: (self.rank(c), str(c))))

    def by_key(self, key: str, concepts: Iterable[object]) -> str | None:
        """The IRI among ``concepts`` whose key is ``key``."""
        return next((str(c) for c in concepts if self.key(c) == key), None)


CONFIDENCE_LEVELS = (KG.Confirmed, KG.SingleSource, KG.Uncertain)
PRECISIONS = (KG.DayPrecision, KG.MonthPrecision, KG.YearPrecision)
END_STATUSES = (KG.Ongoing, KG.EndUnknown, KG.Ended)


def load_vocabulary(store: object, settings: object) -> Vocabulary:
    """The vocabulary of the project in ``store`` (``queries/vocabulary.rq``), cached per
    store and query-file version."""
    from .queries import get_query, select

    query = get_query(settings, "vocabulary")  # type: ignore[arg-type]
    cache_key = (id(store), str(query.path), query.text)
    cached = _CACHE.get(cache_key)
    if cached is not None and cached[0] is store:
        return cached[1]
    vocabulary = Vocabulary.from_rows(select(store, query).rows)  # type: ignore[arg-type]
    _CACHE[cache_key] = (store, vocabulary)
    return vocabulary


_CACHE: dict[tuple[int, str, str], tuple[object, Vocabulary]] = {}

__all__ = ["CONFIDENCE_LEVELS", "END_STATUSES", "PRECISIONS", "Term", "Vocabulary",
           "load_vocabulary", "local_name"]
