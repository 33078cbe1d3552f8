"""Draw a party graph from :mod:`kg.network` as a PNG or SVG a person can read.

This is the only module that imports matplotlib. It uses explicit ``Figure``/``Axes`` objects on
the Agg canvas (never pyplot, so no figure outlives a call) and lays everything out in inches:
the axes are sized so that one data unit is one inch, which lets the layout measure every label
with the renderer and keep labels apart before anything is drawn.

- Nodes: a marker whose colour *and* shape give the kind (legend "Nodes"), the wrapped label
  under it (above it for foundations, which sit in a row on top).
- Edges: colour by relationship kind (legend "Relationships"), line style by confidence (solid
  confirmed, dashed single source, dotted uncertain), an arrow from subject to object, and the
  label with its dates on the line. Parallel edges curve apart.
- Layout: ``layered`` (left to right along the edges, foundations on top: member → proxy →
  defendant → accused code) or ``spring`` (seeded force-directed), both deterministic; then
  edge labels slide along their edges until no two text boxes intersect
  (:func:`label_overlaps` counts what is left, measured with the renderer).
- Title, the finding's summary when there is one, and a caption (relationships, distinct
  sources, "as of").
"""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from matplotlib import rc_context
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text
from rdflib import Graph

from .errors import KGError
from .findings import Finding
from .network import finding_to_networkx, layered_order, neighbourhood, spring_positions

__all__ = [
    "EDGE_STYLES", "FORMATS", "NODE_STYLES", "Layout", "draw_entity", "draw_finding",
    "draw_graph", "label_overlaps", "render_figure",
]

Layout = Literal["auto", "layered", "radial", "spring"]
FORMATS = ("png", "svg", "pdf")
NetworkGraph = Any  # a networkx.MultiDiGraph; networkx itself is imported only by kg.network
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in inches

# kind → (fill colour, matplotlib marker, legend text). Okabe–Ito colours; shapes differ too,
# so the picture survives colour blindness and greyscale printing.
NODE_STYLES: dict[str, tuple[str, str, str]] = {
    "Foundation": ("#CC79A7", "H", "Foundation"),
    "Company": ("#0072B2", "o", "Company"),
    "Organization": ("#56B4E9", "o", "Organization"),
    "PatentAssertionEntity": ("#D55E00", "D", "Patent assertion entity"),
    "PatentDefenseOrganization": ("#56B4E9", "P", "Patent defence org."),
    "ResearchOrganization": ("#56B4E9", "8", "Research organization"),
    "GovernmentAgency": ("#777777", "d", "Government agency"),
    "Court": ("#777777", "v", "Court"),
    "Project": ("#009E73", "p", "Project"),
    "Component": ("#009E73", "s", "Component"),
    "Repository": ("#7FCDBB", "s", "Repository"),
    "Lawsuit": ("#E69F00", "^", "Lawsuit"),
    "InterPartesReview": ("#E69F00", "^", "Patent review (IPR)"),
    "LegalProceeding": ("#E69F00", "^", "Proceeding"),
    "Patent": ("#F0E442", "*", "Patent"),
    "PatentClaim": ("#F0E442", "*", "Patent claim"),
    "License": ("#BBBBBB", "X", "Licence"),
    "Entity": ("#BBBBBB", "o", "Other"),
}
# edge kind → (colour, legend text)
EDGE_STYLES: dict[str, tuple[str, str]] = {
    "membership": ("#AA4499", "membership"),
    "governance": ("#882255", "governance seat"),
    "transfer": ("#E69F00", "patent transfer / licence"),
    "tie": ("#44AA99", "funding, ownership, agency"),
    "lawsuit": ("#CC3311", "lawsuit"),
    "accusation": ("#332288", "accusation against code"),
    "contribution": ("#009E73", "code contribution"),
    "structure": ("#999999", "part of / stewarded by"),
}
CONFIDENCE_STYLES: dict[str, tuple[Any, str]] = {
    "confirmed": ("solid", "confirmed"),
    "single-source": ((0, (6, 3)), "single source"),
    "uncertain": ((0, (1.2, 2.4)), "uncertain"),
}

NODE_FONT, EDGE_FONT, LEGEND_FONT, CAPTION_FONT, TITLE_FONT, SUMMARY_FONT = 9, 8, 8, 8, 13, 9.5
NODE_WRAP, EDGE_WRAP = 18, 30
MARKER_PT = 15.0                      # marker size in points
MARKER_IN = MARKER_PT / 72.0
TEXT_PAD_IN = 0.035                   # white box around every label
LABEL_GAP_IN = 0.05                   # clearance kept between two labels
MARGIN_IN = 0.3
MAX_PIXELS = 9000


# --- text ------------------------------------------------------------------------------------


def _wrap_label(text: str, width: int) -> str:
    """Wrap at ``·`` and ``→`` first (a date stays whole), then at spaces."""
    parts: list[tuple[str, str]] = []  # (separator before, segment)
    for i, dot_part in enumerate(text.split(" · ")):
        for j, segment in enumerate(dot_part.split(" → ")):
            parts.append((" · " if i and not j else (" → " if j else ""), segment))
    lines: list[str] = []
    for sep, segment in parts:
        joined = (lines[-1] + sep + segment) if lines else segment
        if lines and len(joined) <= width:
            lines[-1] = joined
            continue
        head = "→ " if sep == " → " else ""
        lines += textwrap.wrap(head + segment, width, break_long_words=False) or [""]
    return "\n".join(lines)


@dataclass
class _Measure:
    """Measures text in inches with the figure's own renderer."""

    fig: Figure

    def size(self, text: str, fontsize: float, weight: str = "normal") -> tuple[float, float]:
        artist = self.fig.text(0, 0, text, fontsize=fontsize, fontweight=weight)
        box = artist.get_window_extent(self.fig.canvas.get_renderer())  # type: ignore[attr-defined]
        artist.remove()
        dpi = self.fig.dpi
        return box.width / dpi + 2 * TEXT_PAD_IN, box.height / dpi + 2 * TEXT_PAD_IN


def _overlap(a: Box, b: Box, gap: float = 0.0) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0]) + gap
    h = min(a[3], b[3]) - max(a[1], b[1]) + gap
    return w * h if w > 0 and h > 0 else 0.0


def _box(cx: float, cy: float, w: float, h: float) -> Box:
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


# --- layout ----------------------------------------------------------------------------------


@dataclass
class _Node:
    key: str
    text: str
    kind: str
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


def _polyline(p: tuple[float, float], q: tuple[float, float], rad: float,
              steps: int = 16) -> list[tuple[float, float]]:
    return [_curve_point(p, q, rad, k / steps) for k in range(steps + 1)]


def _segment_hits(a: tuple[float, float], b: tuple[float, float], box: Box) -> bool:
    """Liang–Barsky: does the segment a–b pass through the box?"""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - box[0]), (dx, box[2] - a[0]), (-dy, a[1] - box[1]),
                 (dy, box[3] - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        r = q / p
        if p < 0:
            t0 = max(t0, r)
        else:
            t1 = min(t1, r)
        if t0 > t1:
            return False
    return True


def _crosses(line: Sequence[tuple[float, float]], box: Box) -> bool:
    return any(_segment_hits(line[k], line[k + 1], box) for k in range(len(line) - 1))


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


def _curve_point(p: tuple[float, float], q: tuple[float, float], rad: float, t: float,
                 ) -> tuple[float, float]:
    """A point of matplotlib's ``arc3`` connection (a quadratic Bézier) at parameter t."""
    dx, dy = q[0] - p[0], q[1] - p[1]
    cx, cy = (p[0] + q[0]) / 2 + rad * dy, (p[1] + q[1]) / 2 - rad * dx
    a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t ** 2
    return a * p[0] + b * cx + c * q[0], a * p[1] + b * cy + c * q[1]


_T_CANDIDATES = (0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73, 0.2, 0.8)
_RADS = (0.18, -0.18, 0.32, -0.32, 0.5, -0.5)
Lines = dict[str, list[tuple[float, float]]]


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


# --- drawing ---------------------------------------------------------------------------------


def _collect(g: NetworkGraph, measure: _Measure) -> tuple[dict[str, _Node], list[_Edge]]:
    nodes: dict[str, _Node] = {}
    for key, data in sorted(g.nodes(data=True)):
        text = _wrap_label(str(data.get("label", key)), NODE_WRAP)
        if data.get("subtitle"):
            text += "\n" + _wrap_label(str(data["subtitle"]), EDGE_WRAP)
        if data.get("hub"):
            text += f"\n({data['hub']:,} links, not expanded)"
        focus = bool(data.get("focus") or data.get("party"))
        w, h = measure.size(text, NODE_FONT, "bold" if focus else "normal")
        kind = str(data.get("kind", "Entity"))
        nodes[key] = _Node(key, text, kind if kind in NODE_STYLES else "Entity", w, h, focus=focus)
    bundles: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    ordered = sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2])))
    for u, v, _, data in ordered:
        if u != v:
            bundles[(u, v, str(data.get("kind")))].append(dict(data))
    edges: list[_Edge] = []
    for (u, v, kind), group in bundles.items():
        attrs = _bundle(group)
        text = "\n".join(_wrap_label(line, EDGE_WRAP) for line in attrs["label"].split("\n"))
        w, h = measure.size(text, EDGE_FONT) if text.strip() else (0.0, 0.0)
        edges.append(_Edge(u, v, f"{u}|{v}|{kind}", attrs, text.strip(), w, h))
    return nodes, edges


_CONFIDENCE_ORDER = ("uncertain", "single-source", "confirmed")


def _bundle(group: list[dict[str, Any]], most: int = 4) -> dict[str, Any]:
    """Facts of one kind between one pair, drawn as one edge: each distinct label once (×n),
    the strongest confidence of the bundle, and the sources of all of them."""
    if len(group) == 1:
        return group[0]
    split = [str(a.get("label", "")).partition(" · ") for a in group]
    whens = {when for _, _, when in split}
    shared = len(whens) == 1 and "" not in whens  # one date for all: say it once
    counts: dict[str, int] = {}
    for relation, dot, when in split:
        label = relation if shared else relation + dot + when
        counts[label] = counts.get(label, 0) + 1
    lines = [f"{label} (×{n})" if n > 1 else label for label, n in counts.items()]
    if len(lines) > most:
        lines = [*lines[: most - 1], f"+{len(lines) - most + 1} more"]
    if shared:
        lines.append(whens.pop())
    ranks = [_CONFIDENCE_ORDER.index(str(a.get("confidence"))) if a.get("confidence")
             in _CONFIDENCE_ORDER else 0 for a in group]
    return {**group[0], "label": "\n".join(lines), "confidence": _CONFIDENCE_ORDER[max(ranks)],
            "sources": tuple(sorted({s for a in group for s in (a.get("sources") or ())})),
            "bundle_size": len(group)}


def _draw_content(ax: Any, nodes: dict[str, _Node], edges: list[_Edge],
                  pos: dict[str, tuple[float, float]], labels: dict[str, tuple[float, float]],
                  ) -> None:
    shrink = MARKER_PT / 2 + 2
    for e in edges:
        colour = EDGE_STYLES.get(str(e.attrs.get("kind")), EDGE_STYLES["structure"])[0]
        style = CONFIDENCE_STYLES.get(str(e.attrs.get("confidence")),
                                      CONFIDENCE_STYLES["uncertain"])
        ax.add_patch(FancyArrowPatch(
            pos[e.u], pos[e.v], connectionstyle=f"arc3,rad={e.rad:.3f}", arrowstyle="-|>",
            mutation_scale=11, shrinkA=shrink, shrinkB=shrink, color=colour, linewidth=1.7,
            linestyle=style[0], zorder=1,
        ))
        if e.text:
            ax.text(*labels[e.key], e.text, fontsize=EDGE_FONT, ha="center", va="center",
                    color="#222222", zorder=3, linespacing=1.15,
                    bbox={"boxstyle": f"round,pad={TEXT_PAD_IN * 72 / EDGE_FONT:.3f}",
                          "facecolor": "white", "edgecolor": colour, "linewidth": 0.6})
    for n in nodes.values():
        x, y = pos[n.key]
        colour, marker, _ = NODE_STYLES[n.kind]
        ax.plot([x], [y], marker=marker, markersize=MARKER_PT * (1.25 if n.focus else 1.0),
                markerfacecolor=colour, markeredgecolor="#222222" if n.focus else "white",
                markeredgewidth=1.6 if n.focus else 1.0, linestyle="None", zorder=4)
        box = _node_label_box(n, x, y)
        align = ("right" if n.side.endswith("left") else
                 "left" if n.side.endswith("right") else "center")
        ax.text((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, n.text, fontsize=NODE_FONT,
                ha="center", va="center", zorder=5, linespacing=1.15, multialignment=align,
                fontweight="bold" if n.focus else "normal",
                bbox={"boxstyle": f"round,pad={TEXT_PAD_IN * 72 / NODE_FONT:.3f}",
                      "facecolor": "white", "edgecolor": "none", "alpha": 0.9})


def _legends(fig: Figure, nodes: Iterable[_Node], edges: Iterable[_Edge]) -> list[Legend]:
    kinds = [k for k in NODE_STYLES if k in {n.kind for n in nodes}]
    edge_list = list(edges)
    rels = [k for k in EDGE_STYLES if k in {str(e.attrs.get("kind")) for e in edge_list}]
    seen = {str(e.attrs.get("confidence")) for e in edge_list}
    confs = [k for k in CONFIDENCE_STYLES if k in seen]
    groups: list[tuple[str, list[Artist], list[str]]] = [
        ("Nodes", [Line2D([], [], marker=NODE_STYLES[k][1], markersize=9, linestyle="None",
                          markerfacecolor=NODE_STYLES[k][0], markeredgecolor="white")
                   for k in kinds], [NODE_STYLES[k][2] for k in kinds]),
        ("Relationships (arrow: subject → object)",
         [Line2D([], [], color=EDGE_STYLES[k][0], linewidth=2) for k in rels],
         [EDGE_STYLES[k][1] for k in rels]),
        ("Confidence", [Line2D([], [], color="#444444", linewidth=1.7,
                               linestyle=CONFIDENCE_STYLES[k][0]) for k in confs],
         [CONFIDENCE_STYLES[k][1] for k in confs]),
    ]
    legends = []
    for title, handles, names in groups:
        if handles:
            legend = fig.legend(handles, names, title=title, loc="upper left", fontsize=LEGEND_FONT,
                                title_fontsize=LEGEND_FONT + 0.5, frameon=False, alignment="left",
                                ncol=1 if len(handles) <= 4 else 2, handlelength=2.6,
                                borderaxespad=0.0, borderpad=0.2)
            legends.append(legend)
    return legends


def _caption(g: NetworkGraph, edges: Sequence[_Edge], as_of: date | None, extra: str | None,
             ) -> str:
    sources = {s for e in edges for s in (e.attrs.get("sources") or ())}
    facts = sum(int(e.attrs.get("bundle_size", 1)) for e in edges)
    parts = [f"{facts} relationships", f"{len(sources)} distinct sources"]
    for key in ("severity", "temporal_status"):
        if g.graph.get(key):
            parts.append(f"{key.replace('temporal_', '')}: {g.graph[key]}")
    if g.graph.get("confidence"):
        parts.append(f"weakest link: {g.graph['confidence']}")
    parts = [part.replace(": ", ":\u00a0") for part in parts]  # keep "key: value" on one line
    when = as_of or g.graph.get("as_of")
    if when:
        parts.append(f"as of {when.isoformat() if isinstance(when, date) else when}")
    if extra:
        parts.append(extra)
    return " · ".join(parts)


def _bounds(nodes: dict[str, _Node], edges: list[_Edge], pos: dict[str, tuple[float, float]],
            labels: dict[str, tuple[float, float]]) -> Box:
    boxes = [_node_label_box(n, *pos[n.key]) for n in nodes.values()]
    boxes += [_box(*pos[k], MARKER_IN * 1.3, MARKER_IN * 1.3) for k in pos]
    boxes += [_box(*labels[e.key], e.w, e.h) for e in edges if e.text]
    boxes += [_box(*_curve_point(pos[e.u], pos[e.v], e.rad, 0.5), 0, 0) for e in edges]
    if not boxes:
        return (0.0, 0.0, 1.0, 1.0)
    return (min(b[0] for b in boxes) - 0.1, min(b[1] for b in boxes) - 0.1,
            max(b[2] for b in boxes) + 0.1, max(b[3] for b in boxes) + 0.1)


def render_figure(
    nx_graph: NetworkGraph,
    *,
    title: str | None = None,
    layout: Layout = "auto",
    as_of: date | None = None,
    caption: str | None = None,
) -> Figure:
    """Lay out and draw ``nx_graph`` on a new Agg ``Figure`` (sized to fit) and return it."""
    if layout not in ("auto", "layered", "radial", "spring"):
        raise KGError(f"unknown layout {layout!r}: choose auto, layered, radial or spring")
    fig = Figure(figsize=(8, 6), dpi=100)
    FigureCanvasAgg(fig)
    measure = _Measure(fig)
    nodes, edges = _collect(nx_graph, measure)
    pos, labels = _arrange(nodes, edges, nx_graph, layout) if nodes else ({}, {})
    x0, y0, x1, y1 = _bounds(nodes, edges, pos, labels)
    content_w, content_h = x1 - x0, y1 - y0

    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    legends = _legends(fig, nodes.values(), edges)
    sizes = [(lg.get_window_extent(renderer).width / fig.dpi,
              lg.get_window_extent(renderer).height / fig.dpi) for lg in legends]
    legend_w = sum(w for w, _ in sizes) + 0.4 * max(len(sizes) - 1, 0)
    width = max(content_w, legend_w, 5.5) + 2 * MARGIN_IN
    chars = int((width - 2 * MARGIN_IN) * 72 / (TITLE_FONT * 0.6))
    heading = textwrap.fill(
        title or str(nx_graph.graph.get("title") or "Parties and their relationships"), chars)
    summary = nx_graph.graph.get("summary")
    summary_text = (textwrap.fill(str(summary), int(chars * TITLE_FONT / SUMMARY_FONT))
                    if summary else "")
    foot = textwrap.fill(_caption(nx_graph, edges, as_of, caption),
                         int(chars * TITLE_FONT / CAPTION_FONT))
    title_h = measure.size(heading, TITLE_FONT, "bold")[1]
    summary_h = measure.size(summary_text, SUMMARY_FONT)[1] + 0.05 if summary_text else 0.0
    foot_h = measure.size(foot, CAPTION_FONT)[1]
    legend_h = max((h for _, h in sizes), default=0.0)
    bottom = MARGIN_IN * 0.6 + foot_h + 0.15 + legend_h + 0.3
    height = bottom + content_h + 0.25 + summary_h + title_h + MARGIN_IN
    fig.set_size_inches(width, height)

    ax = fig.add_axes((((width - content_w) / 2) / width, bottom / height,
                       content_w / width, content_h / height))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_axis_off()
    _draw_content(ax, nodes, edges, pos, labels)

    inch = fig.dpi_scale_trans
    fig.text(MARGIN_IN, height - MARGIN_IN, heading, transform=inch, fontsize=TITLE_FONT,
             fontweight="bold", va="top", ha="left")
    if summary_text:
        fig.text(MARGIN_IN, height - MARGIN_IN - title_h - 0.05, summary_text, transform=inch,
                 fontsize=SUMMARY_FONT, va="top", ha="left", color="#333333")
    fig.text(MARGIN_IN, MARGIN_IN * 0.6, foot, transform=inch, fontsize=CAPTION_FONT,
             va="bottom", ha="left", color="#555555")
    x = MARGIN_IN
    for legend, (w, _) in zip(legends, sizes, strict=True):
        legend.set_bbox_to_anchor((x, MARGIN_IN * 0.6 + foot_h + 0.15 + legend_h), transform=inch)
        x += w + 0.4
    return fig


def label_overlaps(fig: Figure) -> int:
    """How many pairs of text boxes (labels, title, caption, legends) intersect, in pixels."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()  # type: ignore[no-untyped-call]
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    boxes: list[Box] = []
    texts: list[Text] = [t for ax in fig.axes for t in ax.texts] + list(fig.texts)
    for text in texts:
        if text.get_visible() and text.get_text().strip():
            b = text.get_window_extent(renderer)
            boxes.append((b.x0, b.y0, b.x1, b.y1))
    for legend in fig.legends:
        b = legend.get_window_extent(renderer)
        boxes.append((b.x0, b.y0, b.x1, b.y1))
    return sum(_overlap(a, b, -1.0) > 0 for i, a in enumerate(boxes) for b in boxes[i + 1:])


def _format(path: Path, fmt: str | None) -> str:
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise KGError(f"{path}: cannot draw {chosen or 'a file without suffix'!r}: "
                      f"choose one of {', '.join(FORMATS)}")
    return chosen


def draw_graph(
    nx_graph: NetworkGraph,
    path: str | Path,
    *,
    title: str | None = None,
    fmt: str | None = None,
    layout: Layout = "auto",
    as_of: date | None = None,
    caption: str | None = None,
    dpi: int = 150,
) -> Path:
    """Draw ``nx_graph`` to ``path``: PNG, SVG or PDF by ``fmt`` or the suffix.

    The same input gives the same bytes (no dates in the metadata, a fixed SVG id salt).
    """
    out = Path(path)
    kind = _format(out, fmt)
    fig = render_figure(nx_graph, title=title, layout=layout, as_of=as_of, caption=caption)
    try:
        w, h = fig.get_size_inches()
        dpi = min(dpi, int(MAX_PIXELS / max(w, h)))
        metadata: dict[str, Any] = {
            "png": {"Software": None}, "svg": {"Date": None, "Creator": None},
            "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
        }[kind]
        out.parent.mkdir(parents=True, exist_ok=True)
        with rc_context({"svg.hashsalt": "kg", "svg.fonttype": "path", "pdf.compression": 6}):
            fig.savefig(out, format=kind, dpi=dpi, metadata=metadata, facecolor="white")
    finally:
        fig.clear()
    return out


def draw_finding(finding: Finding, path: str | Path, *, graph: Graph | None = None,
                 fmt: str | None = None, as_of: date | None = None) -> Path:
    """Draw a finding's evidence chain (node kinds from ``graph`` when given)."""
    return draw_graph(finding_to_networkx(finding, graph=graph), path, fmt=fmt, as_of=as_of,
                      layout="layered")


def draw_entity(graph: Graph, iri: str, path: str | Path, depth: int = 1, *,
                fmt: str | None = None, layout: Layout = "auto", as_of: date | None = None,
                ) -> Path:
    """Draw the neighbourhood of one entity."""
    return draw_graph(neighbourhood(graph, iri, depth), path, fmt=fmt, layout=layout, as_of=as_of)
