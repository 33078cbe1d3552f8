"""Draw a party graph from :mod:`kg.network` as a PNG or SVG a person can read.

This package is the only one that imports matplotlib. It uses explicit ``Figure``/``Axes``
objects on the Agg canvas (never pyplot, so no figure outlives a call) and lays everything out
in inches: the axes are sized so that one data unit is one inch, which lets the layout measure
every label with the renderer and keep labels apart before anything is drawn.

- Nodes: a marker whose colour *and* shape give the kind (legend "Nodes", in the ontology's
  labels), the wrapped label under it (above it for foundations, which sit in a row on top).
- Edges: colour by relationship kind (legend "Relationships"), line style by confidence rank
  (solid for the strongest, dashed, dotted), an arrow from subject to object, and the label with
  its dates on the line. Parallel edges curve apart.
- Layout: ``layered`` (left to right along the edges, foundations on top: member → proxy →
  defendant → accused code) or ``spring`` (seeded force-directed), both deterministic; then
  edge labels slide along their edges until no two text boxes intersect
  (:func:`label_overlaps` counts what is left, measured with the renderer).
- Title, the finding's summary when there is one, and a caption (relationships, distinct
  sources, a finding's id, severity, score and reasons, "as of").

Every word in a picture comes from the graph it is given (:mod:`kg.network` names things in
the ontology's words); this package only chooses colours, shapes and places.

Modules: :mod:`.styles`, :mod:`.text`, :mod:`.geometry`, :mod:`.layout` (node placement),
:mod:`.placement` (labels and curves), :mod:`.legend` (legends and caption), :mod:`.draw`,
:mod:`.picture` (files, bytes, and the :class:`Picture` the ``*_picture`` functions return,
which a notebook shows as SVG).
"""

from __future__ import annotations

from .draw import (
    draw_entity,
    draw_finding,
    draw_graph,
    entity_picture,
    finding_picture,
    graph_picture,
    label_overlaps,
    render_figure,
)
from .picture import Picture
from .styles import EDGE_STYLES, FORMATS, NODE_STYLES, Layout

__all__ = [
    "EDGE_STYLES", "FORMATS", "NODE_STYLES", "Layout", "Picture", "draw_entity", "draw_finding",
    "draw_graph", "entity_picture", "finding_picture", "graph_picture", "label_overlaps",
    "render_figure",
]
