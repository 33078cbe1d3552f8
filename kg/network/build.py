"""RDF to networkx: the whole graph, or the neighbourhood of one entity walked outwards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.term import Node

from ..errors import KGError
from ..namespaces import KG, RDF
from ..vocabulary import Vocabulary
from . import words
from .edges import Edge, edges_of, suit_dates
from .reader import Reader, SuitMode
from .relevance import most_relevant

# Predicates whose object is a party of a fact node (the fact is the subject).
_ROLE_PREDICATES = (
    KG.member, KG.foundation, KG.seatHolder, KG.body, KG.transferor, KG.transferee,
    KG.fromParty, KG.toParty, KG.plaintiff, KG.defendant, KG.petitioner, KG.patentOwner,
    KG.accusedComponent, KG.accusedIn, KG.contributor, KG.toComponent,
)
NEIGHBOURHOOD_KINDS = tuple(k for k in words.EDGE_KINDS if k != "structure")


def _fact_classes(r: Reader) -> list[str]:
    return sorted(t for t in r.vocabulary.terms if words.edge_kind(r.vocabulary, t))


def _all_facts(r: Reader) -> set[Node]:
    facts: set[Node] = set()
    for cls in _fact_classes(r):
        facts.update(r.graph.subjects(RDF.type, URIRef(cls)))
    for predicate in words.STRUCTURE:
        facts.update(r.graph.subjects(predicate, None))
    return facts


def _facts_touching(r: Reader, node: Node) -> set[Node]:
    facts: set[Node] = set()
    for predicate in _ROLE_PREDICATES:
        facts.update(r.graph.subjects(predicate, node))
    for predicate in words.STRUCTURE:
        facts.update(r.graph.subjects(predicate, node))
        if r.one(node, predicate) is not None:
            facts.add(node)
    if r.is_suit(node):
        facts.add(node)
    for suit in [f for f in facts if r.is_suit(f)]:  # its accusations run from its plaintiffs
        facts.update(r.graph.subjects(KG.accusedIn, suit))
    return facts


def check_kinds(include_kinds: Iterable[str] | None) -> frozenset[str]:
    if include_kinds is None:
        return frozenset(words.EDGE_KINDS)
    kinds = frozenset(include_kinds)
    unknown = kinds - set(words.EDGE_KINDS)
    if unknown:
        raise KGError(
            f"unknown edge kind(s) {', '.join(sorted(unknown))}: "
            f"choose from {', '.join(words.EDGE_KINDS)}"
        )
    return kinds


def build(r: Reader, edges: Sequence[Edge], nodes: Iterable[str] = ()) -> nx.MultiDiGraph[str]:
    result: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for iri in sorted({*nodes, *(e.source for e in edges), *(e.target for e in edges)}):
        ref = URIRef(iri)
        attrs: dict[str, Any] = {"label": r.label(ref), **r.node_attrs(ref), "iri": iri}
        if r.is_suit(ref):
            filed, ended, _ = suit_dates(r, ref)
            parts = (f"filed {filed}" if filed else "", ended)
            attrs["subtitle"] = " → ".join(p for p in parts if p)
        result.add_node(iri, **attrs)
    for e in sorted(edges, key=lambda e: (e.source, e.target, e.key)):
        result.add_edge(e.source, e.target, key=e.key, **e.attrs)
    return result


def _walk(r: Reader, centre: URIRef, *, depth: int, kinds: frozenset[str],
          hub_limit: int | None) -> tuple[list[Edge], dict[str, int]]:
    """Breadth-first over collapsed edges: the edges among the nodes within ``depth``, and the
    hubs met on the way (nodes with more than ``hub_limit`` facts, not walked through)."""
    reached = {str(centre)}
    frontier = [centre]
    seen: set[Node] = set()
    edges: dict[tuple[str, str, str], Edge] = {}
    hubs: dict[str, int] = {}
    for step in range(depth + 1):
        facts: set[Node] = set()
        for node in frontier:
            touching = _facts_touching(r, node)
            if node != centre and hub_limit is not None and len(touching) > hub_limit:
                hubs[str(node)] = len(touching)
                continue
            facts |= touching
        facts -= seen
        seen |= facts
        found = edges_of(r, facts, kinds)
        edges.update(((e.source, e.target, e.key), e) for e in found)
        if step == depth:
            break
        new = sorted({end for e in found for end in (e.source, e.target)} - reached)
        reached.update(new)
        frontier = [URIRef(n) for n in new]
    kept = [e for e in edges.values() if e.source in reached and e.target in reached]
    return kept, hubs


def to_networkx(
    graph: Graph,
    *,
    focus: str | None = None,
    depth: int = 1,
    include_kinds: Iterable[str] | None = None,
    suits: SuitMode = "auto",
    hub_limit: int | None = 25,
    vocabulary: Vocabulary | None = None,
) -> nx.MultiDiGraph[str]:
    """Collapse the relationship nodes of ``graph`` into a labelled multigraph of parties.

    With ``focus`` (an IRI) only the parties within ``depth`` edges of it are kept, found by
    walking the RDF graph outwards (the rest of a large graph is never read). A *hub* (a node
    other than the focus with more than ``hub_limit`` relationships, such as a foundation or Nova)
    is shown but not walked through, so that depth 2 means "the focus's partners and theirs", not
    "every member of every foundation"; its node carries ``hub`` = its number of relationships.
    ``include_kinds`` keeps only some of :data:`EDGE_KINDS`; ``suits`` chooses how lawsuits are
    drawn (``auto``: a node when a suit has three or more plaintiff-defendant pairs). The words
    come from ``vocabulary``, by default the ontology held in ``graph``.
    """
    kinds = check_kinds(include_kinds)
    if suits not in ("auto", "edges", "nodes"):
        raise KGError(f"unknown suits mode {suits!r}: choose auto, edges or nodes")
    reader = Reader(graph, words.vocabulary_for(graph, vocabulary), suits)
    if focus is None:
        return build(reader, edges_of(reader, _all_facts(reader), kinds))
    if depth < 0:
        raise KGError(f"depth must be 0 or more, not {depth}")
    centre = URIRef(focus)
    if (centre, None, None) not in graph and (None, None, centre) not in graph:
        raise KGError(f"{focus} is not in the graph")
    kept, hubs = _walk(reader, centre, depth=depth, kinds=kinds, hub_limit=hub_limit)
    result = build(reader, kept, [str(centre)])
    result.nodes[str(centre)]["focus"] = True
    for hub, count in hubs.items():
        if hub in result:
            result.nodes[hub]["hub"] = count
    result.graph.update(focus=str(centre), depth=depth,
                        title=f"{reader.label(centre)}: neighbourhood (depth {depth})")
    return result


def neighbourhood(
    graph: Graph,
    iri: str,
    depth: int = 1,
    *,
    include_kinds: Iterable[str] | None = NEIGHBOURHOOD_KINDS,
    hub_limit: int | None = 25,
    vocabulary: Vocabulary | None = None,
    limit: int | None = None,
) -> nx.MultiDiGraph[str]:
    """The parties within ``depth`` edges of ``iri``, with every edge between them, or with
    ``limit`` the most relevant edges only (:func:`kg.network.relevance.most_relevant`).

    Structural edges ("part of", "stewarded by") are left out unless asked for: around a
    company they only tie every component to OpenStack.
    """
    result = to_networkx(graph, focus=iri, depth=depth, include_kinds=include_kinds,
                         hub_limit=hub_limit, vocabulary=vocabulary)
    if limit is not None and result.number_of_edges() > limit:
        result = most_relevant(result, limit)
    return result
