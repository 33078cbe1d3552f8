"""Node and edge records of a drawing, and the layouts that place the nodes (in inches)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..network import layered_order, spring_positions
from .geometry import _box
from .styles import EDGE_STYLES, MARKER_IN, Box, NetworkGraph


@dataclass
class _Node:
    key: str
    text: str
    kind: str                          # its style key (kg.rendering.styles.NODE_STYLES)
    kind_label: str                    # the ontology's label of its class
    w: float
    h: float
    side: str = "below"  # where the label sits: below, above, right or left of the marker
    focus: bool = False


@dataclass
class _Edge:
    u: str
    v: str
    key: str
    attrs: dict[str, Any]
    text: str
    w: float
    h: float
    rad: float = 0.0


_SIDES = ("below", "above", "right", "left", "below-left", "below-right", "above-left",
          "above-right")


def _node_label_box(n: _Node, x: float, y: float, side: str | None = None) -> Box:
    """The label's box on one side of the marker (diagonal sides tuck a corner under it)."""
    offset = MARKER_IN / 2 + 0.03
    chosen = side or n.side
    dy = {"below": -offset - n.h / 2, "above": offset + n.h / 2}.get(chosen.split("-")[0], 0.0)
    if chosen in ("right", "left"):
        dx = offset + n.w / 2
    elif "-" in chosen:
        dx = n.w / 2 - MARKER_IN / 4
    else:
        dx = 0.0
    return _box(x + (-dx if chosen.endswith("left") else dx), y + dy, n.w, n.h)


def _layered(nodes: dict[str, _Node], edges: list[_Edge], g: NetworkGraph,
             ) -> dict[str, tuple[float, float]]:
    top, layers = layered_order(g)
    column = {n: i for i, layer in enumerate(layers) for n in layer}
    widths = [max(nodes[n].w for n in layer) for layer in layers]
    gaps = [0.9] * max(len(layers) - 1, 0)
    for e in edges:
        if e.u in column and e.v in column and column[e.u] != column[e.v]:
            lo, hi = sorted((column[e.u], column[e.v]))
            for k in range(lo, hi):
                gaps[k] = max(gaps[k], (e.w + 0.5) / (hi - lo) - (widths[k] + widths[k + 1]) / 4)
    xs = [0.0]
    for k, gap in enumerate(gaps):
        xs.append(xs[-1] + widths[k] / 2 + gap + widths[k + 1] / 2)
    node_h = max((n.h for n in nodes.values()), default=0.3)
    edge_h = max((e.h for e in edges), default=0.2)
    pitch = MARKER_IN + node_h + max(0.45, 1.6 * edge_h)
    pos: dict[str, tuple[float, float]] = {}
    for i, layer in enumerate(layers):
        for k, n in enumerate(layer):
            pos[n] = (xs[i], ((len(layer) - 1) / 2 - k) * pitch)
    if top:
        y_top = max((y for _, y in pos.values()), default=0.0) + node_h + 1.0 + 2 * edge_h
        wanted = []
        for n in top:
            near = [pos[m][0] for m in (*g.predecessors(n), *g.successors(n)) if m in pos]
            wanted.append((sum(near) / len(near) if near else xs[-1] / 2 if xs else 0.0, n))
        x_prev = -math.inf
        for x, n in sorted(wanted):
            nodes[n].side = "above"
            x = max(x, x_prev + nodes[n].w + 0.4)
            pos[n] = (x, y_top)
            x_prev = x
    return pos


def _spread(targets: Sequence[float], gap: float, keys: Sequence[str]) -> dict[str, float]:
    """Angles as close to ``targets`` (sorted) as a minimum separation ``gap`` allows."""
    angles = list(targets)
    for i in range(1, len(angles)):
        angles[i] = max(angles[i], angles[i - 1] + gap)
    shift = (sum(targets) - sum(angles)) / len(angles) if angles else 0.0
    return {k: a + shift - math.pi / 2 for k, a in zip(keys, angles, strict=True)}


def _radial(nodes: dict[str, _Node], edges: list[_Edge], g: NetworkGraph,
            ) -> dict[str, tuple[float, float]]:
    """The focus (or the best-connected node) in the centre, the others on rings by distance.

    Ring 1 is ordered by relationship kind then label, so that memberships, suits and
    contributions each form a sector; an outer node sits near the angle of its inner neighbours.
    """
    def degree(n: str) -> int:
        return int(g.degree(n))

    centre = next((n for n in sorted(nodes) if g.nodes[n].get("focus")), None)
    centre = centre or min(nodes, key=lambda n: (-degree(n), nodes[n].text))
    kind_rank = {k: i for i, k in enumerate(EDGE_STYLES)}
    first_kind: dict[str, int] = {}
    for e in edges:
        other = e.v if e.u == centre else e.u if e.v == centre else None
        if other is not None:
            rank = kind_rank.get(str(e.attrs.get("kind")), len(kind_rank))
            first_kind[other] = min(first_kind.get(other, rank), rank)
    ring_of = {centre: 0}
    rings: list[list[str]] = [[centre]]
    while len(ring_of) < len(nodes):
        ring = sorted({m for n in rings[-1] for m in (*g.predecessors(n), *g.successors(n))
                       if m not in ring_of and m in nodes})
        if not ring:  # another component: start a new ring with what is left
            ring = sorted(n for n in nodes if n not in ring_of)
        rings.append(ring)
        ring_of.update((n, len(rings) - 1) for n in ring)
    pos: dict[str, tuple[float, float]] = {centre: (0.0, 0.0)}
    angle: dict[str, float] = {centre: 0.0}
    widest_edge = max((e.w for e in edges), default=1.0)
    radius = 0.0
    for k, ring in enumerate(rings[1:], start=1):
        if k == 1:
            ring.sort(key=lambda n: (first_kind.get(n, 99), nodes[n].text))
            wanted = {n: 2 * math.pi * i / len(ring) for i, n in enumerate(ring)}
        else:
            def parent_angle(n: str) -> float:
                near = [angle[m] for m in (*g.predecessors(n), *g.successors(n)) if m in angle]
                mean = math.atan2(sum(map(math.sin, near)), sum(map(math.cos, near)))
                return mean % (2 * math.pi)
            ring.sort(key=lambda n: (parent_angle(n), nodes[n].text))
            gap = 2 * math.pi / max(len(ring), 1) * 0.8
            wanted = _spread([parent_angle(n) for n in ring], gap, ring)
        room = sum(max(nodes[n].w, nodes[n].h * 2) + 0.35 for n in ring) / (2 * math.pi)
        radius = max(radius + widest_edge + 0.8, room, 1.6)
        for n in ring:
            a = wanted[n] + math.pi / 2  # the first node at the top
            angle[n] = a
            pos[n] = (radius * math.cos(a), radius * math.sin(a))
            nodes[n].side = ("right" if math.cos(a) > 0.45 else "left" if math.cos(a) < -0.45
                             else "above" if math.sin(a) > 0 else "below")
    return pos


def _spring(nodes: dict[str, _Node], g: NetworkGraph) -> dict[str, tuple[float, float]]:
    raw = spring_positions(g)
    widest = max((n.w for n in nodes.values()), default=1.0)
    scale = max(2.0, widest) * math.sqrt(max(len(raw), 1)) / 1.6
    return {n: (x * scale, y * scale) for n, (x, y) in raw.items()}

