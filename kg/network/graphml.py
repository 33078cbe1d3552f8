"""GraphML export of a party graph (scalar attributes only)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx


def _scalar(value: Any) -> str | int | float | bool | None:
    if value is None:
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return " | ".join(str(v) for v in value)
    return str(value)


def _scalars(attrs: Mapping[str, Any]) -> dict[str, str | int | float | bool]:
    return {k: v for k, raw in attrs.items() if (v := _scalar(raw)) is not None}


def scalar_graph(nx_graph: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """A copy holding scalar attributes only (what GraphML and GEXF can write): dates become
    ISO text, lists ``a | b``, and None is dropped."""
    flat: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    flat.graph.update(_scalars(nx_graph.graph))
    for node, attrs in nx_graph.nodes(data=True):
        flat.add_node(node, **_scalars(attrs))
    for u, v, key, attrs in nx_graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **_scalars(attrs))
    return flat


def write_graphml(nx_graph: nx.MultiDiGraph[str], path: str | Path) -> Path:
    """Write GraphML, which holds scalar attributes only (:func:`scalar_graph`)."""
    out = Path(path)
    nx.write_graphml(scalar_graph(nx_graph), out)
    return out
