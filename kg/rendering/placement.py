"""Where the labels go: edges bend around markers, node labels take a free side, edge labels
slide along their edges until no two text boxes intersect."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from ..network import layered_order
from .geometry import Polyline, _box, _crosses, _curve_point, _overlap, _polyline
from .layout import _SIDES, _Edge, _layered, _Node, _node_label_box, _radial, _spring
from .styles import LABEL_GAP_IN, MARKER_IN, Box, Layout, NetworkGraph

_T_CANDIDATES = (0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73, 0.2, 0.8)
_RADS = (0.18, -0.18, 0.32, -0.32, 0.5, -0.5)
Lines = dict[str, Polyline]


def _lines(edges: Sequence[_Edge], pos: dict[str, tuple[float, float]]) -> Lines:
    return {e.key: _polyline(pos[e.u], pos[e.v], e.rad) for e in edges}


def _route(nodes: dict[str, _Node], edges: list[_Edge], pos: dict[str, tuple[float, float]],
           ) -> None:
    """Bend a straight edge that would run through another node's marker or label."""
    for e in edges:
        if e.rad:
            continue  # parallel edges are bent already
        blockers = [b for n in nodes.values() if n.key not in (e.u, e.v)
                    for b in (_box(*pos[n.key], MARKER_IN * 1.2, MARKER_IN * 1.2),
                              _node_label_box(n, *pos[n.key]))]

        def hits(rad: float, e: _Edge = e, blockers: list[Box] = blockers) -> int:
            line = _polyline(pos[e.u], pos[e.v], rad)
            return sum(_crosses(line, b) for b in blockers)

        straight = hits(0.0)
        if straight:
            best = min((hits(r), k, r) for k, r in enumerate(_RADS))
            if best[0] < straight:
                e.rad = best[2]


def _choose_sides(nodes: dict[str, _Node], edges: list[_Edge],
                  pos: dict[str, tuple[float, float]]) -> None:
    """Put each node label on the side of its marker that no edge runs through."""
    lines = _lines(edges, pos)
    for n in nodes.values():
        others = [b for m in nodes.values() if m.key != n.key
                  for b in (_node_label_box(m, *pos[m.key]),
                            _box(*pos[m.key], MARKER_IN, MARKER_IN))]
        prefs = (n.side, *(s for s in _SIDES if s != n.side))

        def cost(side: str, n: _Node = n, others: list[Box] = others) -> tuple[int, int]:
            box = _node_label_box(n, *pos[n.key], side)
            clashes = sum(_overlap(box, o, LABEL_GAP_IN) > 0 for o in others)
            return clashes, sum(_crosses(line, box) for line in lines.values())

        n.side = min((cost(side), k, side) for k, side in enumerate(prefs))[2]


def _place_edge_labels(nodes: dict[str, _Node], edges: list[_Edge],
                       pos: dict[str, tuple[float, float]],
                       ) -> tuple[dict[str, tuple[float, float]], int]:
    """Slide each edge label along its edge (then off it) to the first free spot.

    A free spot overlaps no other text or marker and, if possible, sits on no other edge.
    Returns the label centres and how many labels still overlap something.
    """
    fixed: list[Box] = []
    for n in nodes.values():
        x, y = pos[n.key]
        fixed.append(_node_label_box(n, x, y))
        fixed.append(_box(x, y, MARKER_IN, MARKER_IN))
    lines = _lines(edges, pos)
    degree: dict[str, int] = defaultdict(int)
    for e in edges:
        degree[e.u] += 1
        degree[e.v] += 1
    placed: dict[str, tuple[float, float]] = {}
    left = 0
    for e in sorted(edges, key=lambda e: (-e.w * e.h, e.key)):
        p, q = pos[e.u], pos[e.v]
        length = math.hypot(q[0] - p[0], q[1] - p[1]) or 1.0
        normal = (-(q[1] - p[1]) / length, (q[0] - p[0]) / length)
        others = [line for key, line in lines.items() if key != e.key]
        best = (math.inf, math.inf, (0.0, 0.0))
        # edges fanning out of a busy node are far apart only near their other end
        lean = 0.12 * ((degree[e.u] > degree[e.v]) - (degree[e.u] < degree[e.v]))
        spots = sorted(_T_CANDIDATES, key=lambda t: abs(t - 0.5 - lean))
        for shift in (0.0, 1.0, -1.0, 2.0, -2.0):
            for t in spots:
                cx, cy = _curve_point(p, q, e.rad, t)
                cx += normal[0] * shift * (e.h / 2 + 0.08)
                cy += normal[1] * shift * (e.h / 2 + 0.08)
                box = _box(cx, cy, e.w, e.h)
                clash = sum(_overlap(box, other, LABEL_GAP_IN) for other in fixed)
                if clash > best[0]:
                    continue
                crossings = sum(_crosses(line, box) for line in others) if clash == 0 else 0
                if (clash, crossings) < best[:2]:
                    best = (clash, crossings, (cx, cy))
                if best[:2] == (0, 0):
                    break
            if best[:2] == (0, 0):
                break
        left += best[0] > 0
        placed[e.key] = best[2]
        fixed.append(_box(*best[2], e.w, e.h))
    return placed, left


def _node_clashes(nodes: dict[str, _Node], pos: dict[str, tuple[float, float]]) -> int:
    """Pairs of nodes whose labels or markers touch (a node's own label and marker excepted)."""
    items = [(_node_label_box(n, *pos[n.key]), _box(*pos[n.key], MARKER_IN, MARKER_IN))
             for n in nodes.values()]
    return sum(
        any(_overlap(a, b, LABEL_GAP_IN) > 0 for a in first for b in second)
        for i, first in enumerate(items) for second in items[i + 1:]
    )


def _set_curvature(edges: list[_Edge]) -> None:
    """Parallel and antiparallel edges between one pair bend apart symmetrically."""
    pairs: dict[tuple[str, str], list[_Edge]] = defaultdict(list)
    for e in edges:
        pairs[(min(e.u, e.v), max(e.u, e.v))].append(e)
    for (a, _), group in pairs.items():
        for k, e in enumerate(group):
            rad = (k - (len(group) - 1) / 2) * 0.3
            e.rad = rad if e.u == a else -rad


def _arrange(nodes: dict[str, _Node], edges: list[_Edge], g: NetworkGraph, layout: Layout,
             ) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]:
    if layout == "auto":
        _, layers = layered_order(g)
        tallest = max((len(x) for x in layers), default=0)
        has_focus = any(d.get("focus") for _, d in g.nodes(data=True))
        if tallest <= (4 if has_focus else 8):
            layout = "layered"
        else:
            layout = "radial" if has_focus else "spring"
    if layout == "layered":
        pos = _layered(nodes, edges, g)
    else:
        pos = _radial(nodes, edges, g) if layout == "radial" else _spring(nodes, g)
    first_sides = {n.key: n.side for n in nodes.values()}
    for attempt in range(8):  # spread the drawing until every label has a free spot
        if attempt:
            pos = {n: (x * 1.2, y * 1.2) for n, (x, y) in pos.items()}
        _set_curvature(edges)
        for n in nodes.values():
            n.side = first_sides[n.key]
        for _ in range(2):
            _route(nodes, edges, pos)
            _choose_sides(nodes, edges, pos)
        labels, left = _place_edge_labels(nodes, edges, pos)
        if left == 0 and _node_clashes(nodes, pos) == 0:
            break
    return pos, labels

