"""Bounded pictures: keep the ``limit`` most relevant edges of a neighbourhood, say what is left.

Why: around a hub such as Nova a depth-1 neighbourhood has some 170 edges, almost all of them
contributions, and the picture grows to 9,000 pixels a side with every label unreadable. What a
reader looks for first is litigation, then memberships and seats, then patents and ties, then
the largest contributions; the rest is counted in the caption instead of drawn.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

# edge kinds, most relevant first (kg.network.words.EDGE_KINDS lists them all)
RELEVANCE = ("lawsuit", "accusation", "membership", "governance", "transfer", "tie",
             "contribution", "structure")
LITIGATION = frozenset(RELEVANCE[:2])

Row = tuple[str, str, Any, Any]  # u, v, key, attributes


def _rank(g: nx.MultiDiGraph[str], focus: str | None, edge: Row) -> tuple[Any, ...]:
    """Litigation anywhere in the picture first, then the focus's own edges, then the rest;
    within each, by kind (:data:`RELEVANCE`), higher tiers (``kg:tierRank``) and larger
    contributions first, then by label."""
    u, v, key, data = edge
    kind = data.get("kind")
    return (0 if kind in LITIGATION else 1, 0 if focus in (u, v) else 1,
            RELEVANCE.index(kind) if kind in RELEVANCE else len(RELEVANCE),
            data.get("tier_rank") or 99, -(data.get("commits") or 0),
            str(g.nodes[u].get("label")), str(g.nodes[v].get("label")), str(key))


def _omitted(left: list[Row]) -> str:
    """``131 contribution edges (up to 1,204 commits each), 2 membership edges``."""
    counts = Counter(str(d.get("kind_label") or d.get("kind")) for _, _, _, d in left)
    parts = []
    for words, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        commits = [d["commits"] for _, _, _, d in left
                   if str(d.get("kind_label") or d.get("kind")) == words and d.get("commits")]
        most = ("" if not commits else f" ({commits[0]:,} commits)" if len(commits) == 1
                else f" (up to {max(commits):,} commits each)")
        parts.append(f"{n} {words} edge{'' if n == 1 else 's'}{most}")
    return ", ".join(parts)


def most_relevant(g: nx.MultiDiGraph[str], limit: int) -> nx.MultiDiGraph[str]:
    """A copy of ``g`` with at most ``limit`` edges and the nodes they reach (the focus
    always); ``omitted`` and ``omitted_edges`` say what was left out.

    Edges are taken in the order of :func:`_rank`, each only once one of its ends is drawn
    already, so the picture stays connected to the focus: a suit between two parties that
    are not drawn is not shown for its own sake.
    """
    focus = str(g.graph.get("focus"))
    pending = sorted(g.edges(keys=True, data=True), key=lambda e: _rank(g, focus, e))
    reached: set[str] = {focus} if focus in g else {n for e in pending[:1] for n in e[:2]}
    kept: list[Row] = []
    while len(kept) < limit:
        index = next((i for i, (u, v, _, _) in enumerate(pending)
                      if u in reached or v in reached), None)
        if index is None:
            break
        edge = pending.pop(index)
        kept.append(edge)
        reached.update(edge[:2])
    result: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    result.graph.update(g.graph, limit=limit, omitted_edges=len(pending),
                        omitted=_omitted(pending) if pending else "")
    for node in sorted(reached):
        result.add_node(node, **g.nodes[node])
    for u, v, key, data in kept:
        result.add_edge(u, v, key=key, **data)
    return result
