"""Lay out and draw a party graph on an Agg figure; write PNG, SVG or PDF."""

from __future__ import annotations

import textwrap
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text
from rdflib import Graph

from ..errors import KGError
from ..findings import Finding
from ..network import finding_to_networkx, neighbourhood
from ..vocabulary import Vocabulary
from .geometry import _box, _curve_point, _overlap
from .layout import _Edge, _Node, _node_label_box
from .legend import _caption, _legends
from .picture import Picture
from .picture import _format as _format  # where they were: callers import them from here
from .picture import save_figure as save_figure
from .placement import _arrange
from .styles import (
    CAPTION_FONT,
    EDGE_FONT,
    EDGE_STYLES,
    EDGE_WRAP,
    MARGIN_IN,
    MARKER_IN,
    MARKER_PT,
    NODE_FONT,
    NODE_STYLES,
    NODE_WRAP,
    SUMMARY_FONT,
    TEXT_PAD_IN,
    TITLE_FONT,
    Box,
    Layout,
    NetworkGraph,
    dashes,
    node_style,
)
from .text import _Measure, _wrap_label

ENTITY_LIMIT = 20  # edges in a neighbourhood picture: Nova at depth 1 is 2,500 px a side at 150 dpi


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
        style = node_style(data.get("lineage") or data.get("kind"))
        kind_label = str(data.get("kind_label") or data.get("kind") or style)
        nodes[key] = _Node(key, text, style, kind_label, w, h, focus=focus)
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
    strongest = min(group, key=lambda a: int(a.get("confidence_rank") or 99))
    return {**group[0], "label": "\n".join(lines),
            **{k: strongest.get(k) for k in ("confidence", "confidence_label", "confidence_rank")},
            "sources": tuple(sorted({s for a in group for s in (a.get("sources") or ())})),
            "bundle_size": len(group)}


def _draw_content(ax: Any, nodes: dict[str, _Node], edges: list[_Edge],
                  pos: dict[str, tuple[float, float]], labels: dict[str, tuple[float, float]],
                  ) -> None:
    shrink = MARKER_PT / 2 + 2
    for e in edges:
        colour = EDGE_STYLES.get(str(e.attrs.get("kind")), EDGE_STYLES["structure"])
        ax.add_patch(FancyArrowPatch(
            pos[e.u], pos[e.v], connectionstyle=f"arc3,rad={e.rad:.3f}", arrowstyle="-|>",
            mutation_scale=11, shrinkA=shrink, shrinkB=shrink, color=colour, linewidth=1.7,
            linestyle=dashes(e.attrs.get("confidence_rank")), zorder=1,
        ))
        if e.text:
            ax.text(*labels[e.key], e.text, fontsize=EDGE_FONT, ha="center", va="center",
                    color="#222222", zorder=3, linespacing=1.15,
                    bbox={"boxstyle": f"round,pad={TEXT_PAD_IN * 72 / EDGE_FONT:.3f}",
                          "facecolor": "white", "edgecolor": colour, "linewidth": 0.6})
    for n in nodes.values():
        x, y = pos[n.key]
        colour, marker = NODE_STYLES[n.kind]
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


def _check_layout(layout: str) -> None:
    if layout not in ("auto", "layered", "radial", "spring"):
        raise KGError(f"unknown layout {layout!r}: choose auto, layered, radial or spring")


def render_figure(
    nx_graph: NetworkGraph,
    *,
    title: str | None = None,
    layout: Layout = "auto",
    as_of: date | None = None,
    caption: str | None = None,
) -> Figure:
    """Lay out and draw ``nx_graph`` on a new Agg ``Figure`` (sized to fit) and return it."""
    _check_layout(layout)
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


def graph_picture(
    nx_graph: NetworkGraph,
    *,
    title: str | None = None,
    layout: Layout = "auto",
    as_of: date | None = None,
    caption: str | None = None,
) -> Picture:
    """``nx_graph`` as a :class:`~kg.rendering.picture.Picture`, drawn when shown or saved."""
    _check_layout(layout)

    def draw() -> Figure:
        return render_figure(nx_graph, title=title, layout=layout, as_of=as_of, caption=caption)

    heading = title or str(nx_graph.graph.get("title") or "Parties and their relationships")
    return Picture(draw, title=heading, fonttype="path")


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
    with graph_picture(nx_graph, title=title, layout=layout, as_of=as_of,
                       caption=caption) as picture:
        return picture.save(path, fmt=fmt, dpi=dpi)


def finding_picture(finding: Finding, *, graph: Graph | None = None, as_of: date | None = None,
                    vocabulary: Vocabulary | None = None) -> Picture:
    """A finding's evidence chain (node kinds from ``graph`` when given; the words from
    ``vocabulary``, by default the ontology in ``graph``)."""
    nx_graph = finding_to_networkx(finding, graph=graph, vocabulary=vocabulary)
    return graph_picture(nx_graph, as_of=as_of, layout="layered")


def draw_finding(finding: Finding, path: str | Path, *, graph: Graph | None = None,
                 fmt: str | None = None, as_of: date | None = None,
                 vocabulary: Vocabulary | None = None) -> Path:
    """Draw a finding's evidence to ``path`` (see :func:`finding_picture`)."""
    with finding_picture(finding, graph=graph, as_of=as_of, vocabulary=vocabulary) as picture:
        return picture.save(path, fmt=fmt)


def entity_picture(graph: Graph, iri: str, depth: int = 1, *, layout: Layout = "auto",
                   as_of: date | None = None, vocabulary: Vocabulary | None = None,
                   limit: int | None = ENTITY_LIMIT) -> Picture:
    """The neighbourhood of one entity: at most ``limit`` edges (None: all), the most
    relevant first (litigation, memberships and seats, patents and ties, then the largest
    contributions); the caption counts what was left out."""
    nx_graph = neighbourhood(graph, iri, depth, vocabulary=vocabulary, limit=limit)
    return graph_picture(nx_graph, layout=layout, as_of=as_of)


def draw_entity(graph: Graph, iri: str, path: str | Path, depth: int = 1, *,
                fmt: str | None = None, layout: Layout = "auto", as_of: date | None = None,
                vocabulary: Vocabulary | None = None, limit: int | None = ENTITY_LIMIT,
                ) -> Path:
    """Draw the neighbourhood of one entity to ``path`` (see :func:`entity_picture`)."""
    with entity_picture(graph, iri, depth, layout=layout, as_of=as_of,
                        vocabulary=vocabulary, limit=limit) as picture:
        return picture.save(path, fmt=fmt)
