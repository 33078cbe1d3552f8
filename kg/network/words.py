"""What the pictures ask of the vocabulary: edge kinds by class hierarchy, node kinds,
confidence, precision and status keys — all read from the ontology (:mod:`kg.vocabulary`).

An *edge kind* is one of the picture's families of relationships (:data:`EDGE_KINDS`); a fact
belongs to the family of the first ancestor of its class listed in :data:`EDGE_CLASSES`, so a
new subclass of ``kg:Tie`` in the ontology is drawn as a tie with its own ``kg:shortPhrase``
and no change here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import Graph, URIRef

from ..errors import KGError
from ..namespaces import KG
from ..vocabulary import CONFIDENCE_LEVELS, Vocabulary, local_name

EDGE_KINDS: tuple[str, ...] = (
    "membership", "governance", "transfer", "tie", "lawsuit", "accusation", "contribution",
    "structure",
)
# edge kind → the class whose descendants it draws ("structure" is drawn from properties)
EDGE_CLASSES: dict[str, URIRef] = {
    "membership": KG.Membership, "governance": KG.GovernanceSeat,
    "transfer": KG.PatentTransfer, "tie": KG.Tie, "lawsuit": KG.LegalProceeding,
    "accusation": KG.Accusation, "contribution": KG.Contribution,
}
STRUCTURE: tuple[URIRef, ...] = (KG.componentOf, KG.stewardedBy)
OTHER = "Entity"  # the node kind of a node with no class the ontology knows


def vocabulary_for(graph: Graph | None, vocabulary: Vocabulary | None) -> Vocabulary:
    """The vocabulary given, else the one in ``graph`` (a store's graph holds the ontology)."""
    if vocabulary is not None:
        return vocabulary
    found = Vocabulary.from_graph(graph) if graph is not None else Vocabulary()
    if not found.terms:
        raise KGError("the graph holds no ontology, so its facts cannot be named: load "
                      "ontology/kg.ttl with the data or pass vocabulary=")
    return found


def most_specific(vocabulary: Vocabulary, classes: Iterable[object]) -> str | None:
    """The IRI of the deepest of ``classes`` that the ontology knows (ties: by IRI)."""
    known = sorted({str(c) for c in classes if vocabulary.term(c) is not None})
    return max(known, key=lambda c: (vocabulary.depth(c), c)) if known else None


def edge_kind(vocabulary: Vocabulary, cls: object) -> str | None:
    """The edge kind of a fact's class, decided by the class hierarchy."""
    lineage = vocabulary.lineage(cls)
    return next((kind for kind, root in EDGE_CLASSES.items() if str(root) in lineage), None)


def edge_kind_label(vocabulary: Vocabulary, kind: str) -> str:
    """The legend's words for an edge kind: its class' label (``membership``), or for
    structure the short phrases of the structural properties (``part of / stewarded by``)."""
    if kind == "structure":
        return " / ".join(vocabulary.phrase(p, short=True) for p in STRUCTURE)
    return vocabulary.label(EDGE_CLASSES[kind])


def is_suit(vocabulary: Vocabulary, cls: object) -> bool:
    return edge_kind(vocabulary, cls) == "lawsuit"


def node_kind(vocabulary: Vocabulary, classes: Iterable[object]) -> dict[str, Any]:
    """Node attributes for a node of ``classes``: ``kind`` (the most specific class' local
    name), ``kind_label`` and ``lineage`` (local names, nearest first)."""
    cls = most_specific(vocabulary, classes)
    if cls is None:
        return {"kind": OTHER, "kind_label": "other", "lineage": (OTHER,)}
    return {"kind": local_name(cls), "kind_label": vocabulary.label(cls),
            "lineage": tuple(local_name(c) for c in vocabulary.lineage(cls))}


def confidence(vocabulary: Vocabulary, level: object | None) -> dict[str, Any]:
    """``confidence`` (key), ``confidence_label`` and ``confidence_rank`` (1 strongest) of a
    confidence level; a fact without one is uncertain."""
    term = level if level is not None else KG.Uncertain
    return {"confidence": vocabulary.key(term), "confidence_label": vocabulary.label(term),
            "confidence_rank": vocabulary.rank(term)}


def confidence_of_key(vocabulary: Vocabulary, key: str) -> dict[str, Any]:
    """The same from a key such as ``single-source`` (what a finding's evidence carries)."""
    term = vocabulary.by_key(key, CONFIDENCE_LEVELS)
    return confidence(vocabulary, URIRef(term) if term else None)


def precision_key(vocabulary: Vocabulary, precision: object | None) -> str:
    return vocabulary.key(precision if isinstance(precision, URIRef) else KG.DayPrecision)


def end_status_key(vocabulary: Vocabulary, status: object | None) -> str:
    return vocabulary.key(status if isinstance(status, URIRef) else KG.EndUnknown)
