"""Centrality of organizations within a foundation's litigation graph.

The litigation graph of a body: its members (memberships to it), every suit with a member on
either side (so a non-member plaintiff such as a patent assertion entity joins), and the
patent transfers and ties into those suits' plaintiffs (whose patents they assert, who backs
them). Measured on it as an undirected graph of parties (networkx):

- *degree*: how many parties of the graph it has a fact with (and that count over the others,
  networkx's ``degree_centrality``);
- *betweenness*: the share of the shortest paths between two other parties that pass through
  it (``betweenness_centrality``, normalised): high for a plaintiff that sued many members,
  or for the assignor whose patents it asserts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from ..entities import Entity, search
from ..errors import KGError
from ..queries import to_iri
from .graph import PartyGraph, party_graph, rdf_graph

BACKING_KINDS = ("transfer", "tie")  # facts that bring a plaintiff's patent holders in
GRAPH_KINDS = ("membership", "lawsuit", *BACKING_KINDS)


@dataclass(frozen=True)
class Centrality:
    party: str
    label: str
    member: str  # the member's tier words ("Gold member"), empty for a non-member
    suits: int  # suits of the graph it is a party to
    degree: int
    degree_centrality: float
    betweenness: float

    def to_dict(self) -> dict[str, Any]:
        return {"party": self.party, "label": self.label, "member": self.member,
                "suits": self.suits, "degree": self.degree,
                "degree_centrality": round(self.degree_centrality, 4),
                "betweenness": round(self.betweenness, 4)}


@dataclass(frozen=True)
class CentralityResult:
    body: str
    body_label: str
    ranking: tuple[Centrality, ...]
    as_of: date | None = None
    graph: nx.Graph[str] | None = None  # the litigation graph measured


def foundations(g: PartyGraph[str]) -> list[str]:
    return sorted(n for n, d in g.nodes(data=True) if "Foundation" in d.get("lineage", ()))


def find_body(g: PartyGraph[str], body: str | None) -> str:
    """The foundation named by ``body`` (an ID, IRI or words of its label); none given: the
    one with the most members."""
    bodies = foundations(g)
    if not bodies:
        raise KGError("the graph holds no foundation")
    if body is None:
        return max(bodies, key=lambda b: (sum(d.get("kind") == "membership"
                                              for *_, d in g.in_edges(b, data=True)), b))
    iri = str(to_iri(body))
    if iri in bodies:
        return iri
    known = [Entity(b, str(g.nodes[b]["label"]), ("Foundation",)) for b in bodies]
    found = search(known, body)
    if not found:
        names = ", ".join(f"{e.id} ({e.label})" for e in known)
        raise KGError(f"--body {body!r}: no such foundation (known: {names})")
    return found[0].iri


def litigation_graph(g: PartyGraph[str], body: str) -> tuple[nx.Graph[str], dict[str, str],
                                                            dict[str, int]]:
    """The undirected litigation graph of ``body``, its members' tier words, suit counts."""
    members = {u: str(d["relation"]) for u, _, d in g.in_edges(body, data=True)
               if d.get("kind") == "membership"}
    h: nx.Graph[str] = nx.Graph()
    h.add_nodes_from(members)
    suits: dict[str, set[str]] = {}
    plaintiffs: set[str] = set()
    for u, v, d in g.edges(data=True):
        if d.get("kind") == "lawsuit" and (u in members or v in members) and u != v:
            h.add_edge(u, v)
            plaintiffs.add(u)
            for party in (u, v):
                suits.setdefault(party, set()).add(str(d["fact"]))
    for u, v, d in g.edges(data=True):
        if d.get("kind") in BACKING_KINDS and v in plaintiffs and u != v:
            h.add_edge(u, v)
    return h, members, {p: len(s) for p, s in suits.items()}


def centrality(store: Any, body: str | None = None, *, top: int | None = None,
               as_of: date | None = None) -> CentralityResult:
    """Degree and betweenness of the organizations in ``body`` 's litigation graph (see the
    module), highest betweenness first, then degree, then label; at most ``top`` rows.

    On the curated data Clouding IP ranks first in the OpenStack Foundation's.
    """
    g = party_graph(rdf_graph(store), as_of=as_of, kinds=GRAPH_KINDS)
    chosen = find_body(g, body)
    h, members, suits = litigation_graph(g, chosen)
    degree = nx.degree_centrality(h) if len(h) > 1 else {n: 0.0 for n in h}
    between = nx.betweenness_centrality(h, normalized=True)
    rows = [Centrality(n, str(g.nodes[n]["label"]), members.get(n, ""), suits.get(n, 0),
                       int(h.degree(n)), degree[n], between[n]) for n in h]
    rows.sort(key=lambda r: (-round(r.betweenness, 9), -r.degree, r.label, r.party))
    return CentralityResult(chosen, str(g.nodes[chosen]["label"]),
                            tuple(rows[:top] if top else rows), as_of, h)


__all__ = ["Centrality", "CentralityResult", "centrality"]
