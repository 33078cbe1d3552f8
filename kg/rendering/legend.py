"""Legends (kinds drawn, in the ontology's words) and the caption of a picture."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D

from .layout import _Edge, _Node
from .styles import EDGE_STYLES, LEGEND_FONT, NODE_STYLES, NetworkGraph, dashes


def _first_words(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    words: dict[str, str] = {}
    for key, label in pairs:
        words.setdefault(key, label)
    return words


def _legends(fig: Figure, nodes: Iterable[_Node], edges: Iterable[_Edge]) -> list[Legend]:
    """One legend per group, listing only what is drawn, in the ontology's words."""
    node_words = _first_words((n.kind, n.kind_label) for n in nodes)
    kinds = [k for k in NODE_STYLES if k in node_words]
    edge_list = list(edges)
    edge_words = _first_words((str(e.attrs.get("kind")),
                               str(e.attrs.get("kind_label") or e.attrs.get("kind")))
                              for e in edge_list)
    rels = [k for k in EDGE_STYLES if k in edge_words]
    levels = sorted({(int(e.attrs.get("confidence_rank") or 99),
                      str(e.attrs.get("confidence_label") or e.attrs.get("confidence")))
                     for e in edge_list})
    groups: list[tuple[str, list[Artist], list[str]]] = [
        ("Nodes", [Line2D([], [], marker=NODE_STYLES[k][1], markersize=9, linestyle="None",
                          markerfacecolor=NODE_STYLES[k][0], markeredgecolor="white")
                   for k in kinds], [_capital(node_words[k]) for k in kinds]),
        ("Relationships (arrow: subject → object)",
         [Line2D([], [], color=EDGE_STYLES[k], linewidth=2) for k in rels],
         [edge_words[k] for k in rels]),
        ("Confidence", [Line2D([], [], color="#444444", linewidth=1.7, linestyle=dashes(rank))
                        for rank, _ in levels], [label for _, label in levels]),
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


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def _caption(g: NetworkGraph, edges: Sequence[_Edge], as_of: date | None, extra: str | None,
             ) -> str:
    """Relationships and sources drawn; for a finding its id, severity and score with the
    reasons, status and weakest link; the date asked."""
    sources = {s for e in edges for s in (e.attrs.get("sources") or ())}
    facts = sum(int(e.attrs.get("bundle_size", 1)) for e in edges)
    parts = [f"{facts} relationships", f"{len(sources)} distinct sources"]
    if g.graph.get("finding_id"):
        parts.append(f"finding: {g.graph['finding_id']}")
    if g.graph.get("severity"):
        score = f" (score\u00a0{g.graph['score']})" if g.graph.get("score") is not None else ""
        parts.append(f"severity: {g.graph['severity']}{score}")
    if g.graph.get("temporal_status"):
        parts.append(f"status: {g.graph['temporal_status']}")
    if g.graph.get("confidence"):
        weakest = g.graph.get("confidence_label") or g.graph["confidence"]
        parts.append(f"weakest link: {weakest}")
    parts = [part.replace(": ", ":\u00a0") for part in parts]  # keep "key: value" on one line
    if g.graph.get("reasons"):
        parts.append("why: " + "; ".join(str(r) for r in g.graph["reasons"]))
    if g.graph.get("omitted"):
        parts.append(f"not shown (at most {g.graph['limit']} edges): {g.graph['omitted']}")
    when = as_of or g.graph.get("as_of")
    if when:
        parts.append(f"as of {when.isoformat() if isinstance(when, date) else when}")
    if extra:
        parts.append(extra)
    return " · ".join(parts)
