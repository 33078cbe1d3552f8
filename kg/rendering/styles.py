"""How each kind of node, edge and confidence looks; sizes and fonts in points and inches.

Only colours, shapes and dash patterns are kept here: the words of the legends are the
ontology's labels, carried by the graph (``kind_label``, ``confidence_label``).
"""

from __future__ import annotations

from typing import Any, Literal

Layout = Literal["auto", "layered", "radial", "spring"]
FORMATS = ("png", "svg", "pdf")
NetworkGraph = Any  # a networkx.MultiDiGraph; networkx itself is imported only by kg.network
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in inches

# node kind (a class' local name) → (fill colour, matplotlib marker). Okabe–Ito colours; shapes
# differ too, so the picture survives colour blindness and greyscale printing. A node whose
# class has no style takes that of its nearest ancestor that has one (its ``lineage``).
NODE_STYLES: dict[str, tuple[str, str]] = {
    "Foundation": ("#CC79A7", "H"),
    "Company": ("#0072B2", "o"),
    "PatentAssertionEntity": ("#D55E00", "D"),
    "PatentDefenseOrganization": ("#56B4E9", "P"),
    "ResearchOrganization": ("#56B4E9", "8"),
    "GovernmentAgency": ("#777777", "d"),
    "Court": ("#777777", "v"),
    "Organization": ("#56B4E9", "o"),
    "Project": ("#009E73", "p"),
    "Component": ("#009E73", "s"),
    "Repository": ("#7FCDBB", "s"),
    "Lawsuit": ("#E69F00", "^"),
    "InterPartesReview": ("#E69F00", "^"),
    "LegalProceeding": ("#E69F00", "^"),
    "Patent": ("#F0E442", "*"),
    "PatentClaim": ("#F0E442", "*"),
    "License": ("#BBBBBB", "X"),
    "Entity": ("#BBBBBB", "o"),
}
# edge kind → colour
EDGE_STYLES: dict[str, str] = {
    "membership": "#AA4499",
    "governance": "#882255",
    "transfer": "#E69F00",
    "tie": "#44AA99",
    "lawsuit": "#CC3311",
    "accusation": "#332288",
    "contribution": "#009E73",
    "structure": "#999999",
}
# confidence rank (1 strongest) → dash pattern: solid, dashed, dotted; weaker ranks dot too
CONFIDENCE_DASHES: tuple[Any, ...] = ("solid", (0, (6, 3)), (0, (1.2, 2.4)))
WEAKEST = len(CONFIDENCE_DASHES)

NODE_FONT, EDGE_FONT, LEGEND_FONT, CAPTION_FONT, TITLE_FONT, SUMMARY_FONT = 9, 8, 8, 8, 13, 9.5
NODE_WRAP, EDGE_WRAP = 18, 30
MARKER_PT = 15.0                      # marker size in points
MARKER_IN = MARKER_PT / 72.0
TEXT_PAD_IN = 0.035                   # white box around every label
LABEL_GAP_IN = 0.05                   # clearance kept between two labels
MARGIN_IN = 0.3
MAX_PIXELS = 9000


def node_style(lineage: object) -> str:
    """The style key of a node: the first of its classes (nearest first) that has a style."""
    names = lineage if isinstance(lineage, tuple | list) else (lineage,)
    return next((str(n) for n in names if str(n) in NODE_STYLES), "Entity")


def dashes(rank: object) -> Any:
    """The dash pattern of a confidence rank; an edge without a rank counts as the weakest."""
    index = int(rank) if isinstance(rank, int) else WEAKEST
    return CONFIDENCE_DASHES[min(max(index, 1), WEAKEST) - 1]
