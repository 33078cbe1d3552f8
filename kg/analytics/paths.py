"""Shortest paths between two parties, each hop a sourced fact.

Why the ranking: between two OpenStack members there are dozens of shortest paths of two hops,
nearly all through the foundation (both are members) or through a component both committed
to. Those are real but say little: hundreds of parties touch the same hub. So among the paths
of the shortest length, those made of *specific* facts (suits, accusations, patent transfers,
ties) come first, then chains that follow their facts' direction (Symantec → Clouding IP →
Rackspace: the patents passed on, then the suit), then those through less-connected parties;
``via`` keeps only some kinds (``--via lawsuit,transfer,tie``) when a user wants only those.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from ..errors import KGError
from .graph import (
    Fact,
    FactReader,
    PartyGraph,
    edges_between,
    known,
    party_graph,
    rdf_graph,
    resolve,
)

# How much a hop of each kind costs a path's rank: specific facts nothing, facts every member
# or contributor shares more (not a vocabulary: a ranking of kg.network.words.EDGE_KINDS).
HOP_COST = {"lawsuit": 0, "accusation": 0, "transfer": 0, "tie": 0, "governance": 1,
            "membership": 1, "contribution": 2, "structure": 3}
# Which of a hop's parallel facts is shown first: patents and suits, then the rest.
FACT_ORDER = ("transfer", "lawsuit", "accusation", "tie", "membership", "governance",
              "contribution", "structure")
MAX_CANDIDATES = 2_000  # shortest paths looked at before ranking (hubs can give thousands)


@dataclass(frozen=True)
class Hop:
    """One step of a path, from ``start`` to ``end`` (labels), shown by its first fact;
    ``facts`` are every fact between the two, the shown one first."""

    start: str
    end: str
    start_label: str
    end_label: str
    facts: tuple[Fact, ...]

    @property
    def fact(self) -> Fact:
        return self.facts[0]


@dataclass(frozen=True)
class Path:
    """A shortest path: its parties (IRIs and labels) and its hops."""

    nodes: tuple[str, ...]
    labels: tuple[str, ...]
    hops: tuple[Hop, ...]

    @property
    def text(self) -> str:
        return " → ".join(self.labels)

    def to_dict(self) -> dict[str, Any]:
        return {"nodes": list(self.nodes), "labels": list(self.labels),
                "hops": [{"from": h.start, "to": h.end, "fact": h.fact.to_dict(),
                          "other_facts": [f.to_dict() for f in h.facts[1:]]}
                         for h in self.hops]}


@dataclass(frozen=True)
class PathResult:
    """The paths from ``source`` to ``target`` (empty: none), best first; ``found`` counts
    the shortest paths there were before ``max_paths`` cut them."""

    source: str
    target: str
    source_label: str
    target_label: str
    paths: tuple[Path, ...]
    found: int
    as_of: date | None = None
    graph: PartyGraph[str] | None = None  # the party graph they were found in (for drawing)


def _fact_key(fact: Fact) -> tuple[Any, ...]:
    return (FACT_ORDER.index(fact.kind) if fact.kind in FACT_ORDER else len(FACT_ORDER),
            fact.confidence_rank, fact.start or date.max, fact.fact)


def _rank(g: PartyGraph[str], adjacency: nx.Graph[str], nodes: list[str],
          hops: list[tuple[Fact, ...]]) -> tuple[Any, ...]:
    """Specific facts first; then chains that follow their facts' direction (patents passed
    to the one who sued: A → B → C) before those meeting in the middle (A → B ← C); then
    through less-connected parties; then by labels."""
    cost = sum(min(HOP_COST.get(f.kind, 3) for f in facts) for facts in hops)
    against = sum(all(f.subject != a for f in facts)
                  for a, facts in zip(nodes, hops, strict=False))
    hubness = sum(math.log2(1 + adjacency.degree(n)) for n in nodes[1:-1])
    return (cost, against, round(hubness, 6), [str(g.nodes[n]["label"]) for n in nodes], nodes)


def _kinds(via: Iterable[str] | None) -> list[str] | None:
    return None if via is None else [k.strip() for k in via if k.strip()]


def _shortest(adjacency: nx.Graph[str], source: str, target: str,
              limit: int) -> list[list[str]]:
    if source not in adjacency or target not in adjacency:
        return []
    try:
        return list(itertools.islice(nx.all_shortest_paths(adjacency, source, target), limit))
    except nx.NetworkXNoPath:
        return []


def _candidates(g: PartyGraph[str], adjacency: nx.Graph[str], source: str,
                target: str) -> list[list[str]]:
    """The shortest paths (at most :data:`MAX_CANDIDATES`); those made only of specific facts
    (cost 0) first, found on their own, so that the cut never drops the best ranked."""
    found = _shortest(adjacency, source, target, MAX_CANDIDATES)
    if not found or len(found) < MAX_CANDIDATES:
        return found
    specific: nx.Graph[str] = nx.Graph()
    specific.add_edges_from((u, v) for u, v, d in g.edges(data=True)
                            if HOP_COST.get(str(d.get("kind")), 3) == 0)
    best = [p for p in _shortest(specific, source, target, MAX_CANDIDATES)
            if len(p) == len(found[0])]
    seen = {tuple(p) for p in best}
    return best + [p for p in found if tuple(p) not in seen][:MAX_CANDIDATES - len(best)]


def find_paths(g: PartyGraph[str], reader: FactReader, source: str, target: str, *,
               max_paths: int) -> tuple[list[Path], int]:
    """The best ``max_paths`` shortest paths in ``g`` and how many shortest paths there are
    (at most :data:`MAX_CANDIDATES` counted)."""
    adjacency: nx.Graph[str] = nx.Graph(g.to_undirected(as_view=True))
    candidates = _candidates(g, adjacency, source, target)
    ranked = []
    for nodes in candidates:
        hops = [tuple(sorted((reader.fact(row) for row in edges_between(g, a, b)),
                             key=_fact_key)) for a, b in zip(nodes, nodes[1:], strict=False)]
        ranked.append((_rank(g, adjacency, nodes, hops), nodes, hops))
    ranked.sort(key=lambda item: item[0])
    out = []
    for _, nodes, hops in ranked[:max_paths]:
        labels = tuple(str(g.nodes[n]["label"]) for n in nodes)
        out.append(Path(tuple(nodes), labels, tuple(
            Hop(a, b, labels[i], labels[i + 1], facts)
            for i, (a, b, facts) in enumerate(zip(nodes, nodes[1:], hops, strict=False)))))
    return out, len(candidates)


def paths(store: Any, a: str, b: str, *, max_paths: int = 3, as_of: date | None = None,
          via: Iterable[str] | None = None) -> PathResult:
    """The shortest paths between parties ``a`` and ``b`` (IDs as ``kg ids`` gives them, or
    IRIs), at most ``max_paths``, best first, each hop with its facts, dates and sources.

    ``store`` is a kg store or an rdflib graph holding the ontology; ``as_of`` leaves out the
    facts that had not begun or had ended by then; ``via`` keeps only those edge kinds
    (:data:`kg.network.EDGE_KINDS`). Ties are ranked as the module says, then by labels, so
    the order is the same on every run. An unknown party raises :class:`kg.errors.KGError`
    naming the nearest IDs.

    On the curated data ``paths(store, "symantec", "rackspace").paths[0].text`` is
    ``'Symantec → Clouding IP → Rackspace'``.
    """
    graph = rdf_graph(store)
    for wanted in (a, b):
        known(graph, wanted)
    g = party_graph(graph, as_of=as_of, kinds=_kinds(via))
    source, target = resolve(g, graph, a), resolve(g, graph, b)
    labels = str(g.nodes[source]["label"]), str(g.nodes[target]["label"])
    if source == target:
        raise KGError(f"{a!r} and {b!r} are the same entity ({labels[0]}): no path to find")
    found, count = find_paths(g, FactReader(graph, g), source, target,
                              max_paths=max(1, max_paths))
    return PathResult(source, target, *labels, tuple(found), count, as_of, g)


__all__ = ["Hop", "Path", "PathResult", "paths"]
