"""The subgraph of a result, to draw with :mod:`kg.rendering`: the paths' hops (the fact each
shows) or the interlocks' connecting facts, with their nodes as the party graph names them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path as FilePath

import networkx as nx

from ..errors import KGError
from .graph import PartyGraph
from .interlocks import InterlockResult
from .paths import PathResult

MAX_DRAWN_EDGES = 24  # beyond this the labels of a picture stop being readable


@dataclass(frozen=True)
class Drawing:
    """A picture written to ``path``, and the nodes (IRIs) and edges it shows."""

    path: FilePath
    nodes: tuple[str, ...]
    edges: int


def _subgraph(g: PartyGraph[str], facts: Iterable[tuple[str, str, str]], *, title: str,
              caption: str = "") -> PartyGraph[str]:
    """The edges of ``g`` whose (subject, object, fact) is in ``facts``, and their nodes."""
    wanted = set(facts)
    out: PartyGraph[str] = nx.MultiDiGraph()
    out.graph.update(title=title)
    if caption:
        out.graph["summary"] = caption
    for u, v, key, data in g.edges(keys=True, data=True):
        if (u, v, str(data.get("fact"))) in wanted:
            for n in (u, v):
                if n not in out:
                    out.add_node(n, **g.nodes[n])
            out.add_edge(u, v, key=key, **data)
    return out


def path_graph(result: PathResult) -> PartyGraph[str]:
    """The hops of the paths found, each drawn by the fact the table shows for it."""
    if result.graph is None or not result.paths:
        raise KGError(f"no path between {result.source_label} and {result.target_label}: "
                      "nothing to draw")
    facts = [(h.fact.subject, h.fact.object, h.fact.fact) for p in result.paths for h in p.hops]
    out = _subgraph(result.graph, facts,
                    title=f"{result.source_label} to {result.target_label}: shortest paths",
                    caption="; ".join(p.text for p in result.paths))
    for iri in (result.source, result.target):
        out.nodes[iri]["party"] = True
    return out


def interlock_graph(result: InterlockResult, *, limit: int = MAX_DRAWN_EDGES) -> PartyGraph[str]:
    """The given parties, their connectors (best ranked first) and the connecting facts, as
    many connectors as fit in ``limit`` edges."""
    if result.graph is None or not result.interlocks:
        raise KGError(f"no interlocks among {', '.join(result.labels)}: nothing to draw")
    facts: list[tuple[str, str, str]] = []
    shown = 0
    for lock in result.interlocks:
        more = [(f.subject, f.object, f.fact) for f in lock.facts]
        if facts and len(facts) + len(more) > limit:
            break
        facts += more
        shown += 1
    left = len(result.interlocks) - shown
    names = ", ".join(lock.label for lock in result.interlocks[:shown])
    caption = f"Connectors: {names}" + (f"; {left} more left out (kg interlocks lists them)"
                                        if left else "")
    out = _subgraph(result.graph, facts, title=f"Interlocks of {', '.join(result.labels)}",
                    caption=caption)
    for iri in result.entities:
        if iri in out:
            out.nodes[iri]["party"] = True
    return out


def draw(g: PartyGraph[str], output: FilePath | str) -> Drawing:
    """Draw ``g`` with :func:`kg.rendering.draw_graph` (layered: left to right)."""
    from ..rendering import draw_graph

    path = draw_graph(g, output, layout="layered")
    return Drawing(path, tuple(g.nodes), g.number_of_edges())


__all__ = ["Drawing", "draw", "interlock_graph", "path_graph"]
