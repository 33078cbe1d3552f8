"""A finding's evidence as a graph: one edge per piece of evidence, named by the ontology."""

from __future__ import annotations

import networkx as nx
from rdflib import Graph, URIRef

from ..findings import Evidence, Finding
from ..namespaces import KG
from ..vocabulary import Vocabulary
from . import words
from .dates import format_date, format_interval, join
from .reader import Reader


def evidence_label(vocabulary: Vocabulary, ev: Evidence) -> str:
    """The evidence's relation and its dates: filed → closed for a proceeding, one date for a
    point in time (``kg:pointInTime``), else the interval."""
    cls = KG[ev.kind]
    if words.is_suit(vocabulary, cls):
        start = format_date(ev.start, ev.start_precision) if ev.start else ""
        end = format_date(ev.end, ev.end_precision) if ev.end else ""
        when = " → ".join(p for p in (start, end) if p)
    elif vocabulary.is_point(cls):
        when = format_date(ev.start, ev.start_precision) if ev.start else ""
    else:
        when = format_interval(ev.start, ev.end, start_precision=ev.start_precision,
                               end_precision=ev.end_precision, end_status=ev.end_status,
                               start_edtf=ev.start_edtf, end_edtf=ev.end_edtf)
    return join(ev.relation, when)


def _guess(finding: Finding, kind: str | None, iri: str, *, is_object: bool) -> URIRef:
    """Without a graph: the foundation, the components code is contributed to or accused,
    and organizations."""
    if iri == finding.foundation or (is_object and kind in ("membership", "governance")):
        return KG.Foundation
    if is_object and kind in ("accusation", "contribution"):
        return KG.Component
    return KG.Organization


def finding_to_networkx(finding: Finding, *, graph: Graph | None = None,
                        vocabulary: Vocabulary | None = None) -> nx.MultiDiGraph[str]:
    """The evidence of a finding as a graph: one edge per fact, every chain's facts once.

    Node kinds come from ``graph`` when it is given, else they are guessed from the evidence
    (the foundation, accused or contributed components, and organizations). The title is the
    finding's headline; its id, severity, score and reasons go to the caption.
    """
    vocab = words.vocabulary_for(graph, vocabulary)
    reader = Reader(graph, vocab) if graph is not None else None
    result: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for ev in finding.evidence:
        kind = words.edge_kind(vocab, KG[ev.kind])
        for iri, label, is_object in ((ev.subject, ev.subject_label, False),
                                      (ev.object, ev.object_label, True)):
            if iri in result:
                continue
            attrs = reader.node_attrs(URIRef(iri)) if reader is not None else None
            if attrs is None or attrs["kind"] == words.OTHER:
                guess = _guess(finding, kind, iri, is_object=is_object)
                attrs = words.node_kind(vocab, [guess])
            result.add_node(iri, label=label, iri=iri, **attrs)
    for index, ev in enumerate(finding.evidence):
        kind = words.edge_kind(vocab, KG[ev.kind]) or "tie"
        result.add_edge(
            ev.subject, ev.object, key=f"{ev.fact}#{index}", label=evidence_label(vocab, ev),
            kind=kind, kind_label=words.edge_kind_label(vocab, kind), relation=ev.relation,
            fact=ev.fact, start=ev.start, end=ev.end, start_precision=ev.start_precision,
            end_precision=ev.end_precision, end_status=ev.end_status,
            sources=tuple(ev.sources), note=ev.note,
            **words.confidence_of_key(vocab, ev.confidence),
        )
    for iri in finding.parties:
        if iri in result:
            result.nodes[iri]["party"] = True
    confidence = words.confidence_of_key(vocab, finding.confidence)
    result.graph.update(
        title=f"{finding.headline} at {finding.foundation_label}", finding_id=finding.id,
        summary=finding.summary, pattern=finding.pattern, patterns=finding.patterns,
        severity=finding.severity, score=finding.score,
        reasons=tuple(reason.text for reason in finding.reasons),
        temporal_status=finding.temporal_status, confidence=confidence["confidence"],
        confidence_label=confidence["confidence_label"], foundation=finding.foundation,
        as_of=finding.as_of,
    )
    return result
