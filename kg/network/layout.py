"""Graph algorithms for the layouts (the geometry is in :mod:`kg.rendering`)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import networkx as nx


def _plain(g: nx.MultiDiGraph[str]) -> nx.DiGraph[str]:
    simple: nx.DiGraph[str] = nx.DiGraph()
    simple.add_nodes_from(sorted(g.nodes))
    simple.add_edges_from((u, v) for u, v in g.edges() if u != v)
    return simple


def layered_order(
    g: nx.MultiDiGraph[str], *, top_kinds: Sequence[str] = ("Foundation",), sweeps: int = 4
) -> tuple[list[str], list[list[str]]]:
    """Rows for a left-to-right layered drawing: ``(top, layers)``.

    ``top`` holds the nodes of ``top_kinds`` (drawn in a row above the rest); ``layers`` are
    columns from left to right, each ordered top to bottom, so that every edge points rightwards
    where the graph allows it (cycles are condensed first). Ties are broken by label.
    """
    label = {n: str(g.nodes[n].get("label", n)) for n in g.nodes}
    top = sorted((n for n in g.nodes if g.nodes[n].get("kind") in top_kinds),
                 key=lambda n: label[n])
    if len(top) == len(g):
        top = []
    rest = _plain(g).subgraph([n for n in g.nodes if n not in top]).copy()
    dag = nx.condensation(rest)
    members = dag.graph["mapping"]
    level: dict[int, int] = {}
    for scc in nx.lexicographical_topological_sort(dag):
        level[scc] = max((level[p] + 1 for p in dag.predecessors(scc)), default=0)
    for scc in sorted(dag.nodes, reverse=True):  # pull sources right, next to their targets
        if dag.in_degree(scc) == 0 and dag.out_degree(scc) > 0:
            level[scc] = min(level[s] for s in dag.successors(scc)) - 1
    layer_of = {n: level[members[n]] for n in rest.nodes}
    count = max(layer_of.values(), default=-1) + 1
    layers = [sorted((n for n in rest if layer_of[n] == i), key=lambda n: label[n])
              for i in range(count)]
    undirected = rest.to_undirected()
    for sweep in range(sweeps):
        order = range(1, count) if sweep % 2 == 0 else range(count - 2, -1, -1)
        for i in order:
            ref = i - 1 if sweep % 2 == 0 else i + 1
            index = {n: k for k, n in enumerate(layers[ref])}

            def centre(n: str, index: dict[str, int] = index, i: int = i) -> tuple[float, str]:
                near = [index[m] for m in undirected[n] if m in index]
                own = layers[i].index(n)
                return (sum(near) / len(near) if near else own, label[n])

            layers[i] = sorted(layers[i], key=centre)
    return top, [layer for layer in layers if layer]


def spring_positions(g: nx.MultiDiGraph[str], *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Deterministic force-directed positions in [-1, 1] (seeded; nodes in sorted order)."""
    simple = _plain(g).to_undirected()
    if len(simple) == 0:
        return {}
    k = 1.6 / math.sqrt(len(simple))
    pos = nx.spring_layout(simple, seed=seed, k=k, iterations=200)
    return {str(n): (float(xy[0]), float(xy[1])) for n, xy in sorted(pos.items())}


