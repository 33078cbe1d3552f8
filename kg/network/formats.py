"""GEXF (Gephi) and Cytoscape JSON exports of the party graph that GraphML also writes.

Both start from :func:`~kg.network.to_networkx`, so the three files hold the same nodes and
edges with the same attributes:

- GEXF holds scalars only, like GraphML (:func:`~kg.network.graphml.scalar_graph`). An edge's
  ``start``/``end`` become GEXF spells (networkx writes them so), which Gephi's timeline plays.
  The ``lastmodifieddate`` networkx stamps into the file is taken out: the same graph gives the
  same file.
- Cytoscape JSON is :func:`networkx.cytoscape_data` (what Cytoscape and Cytoscape.js load, and
  :func:`networkx.cytoscape_graph` reads back): every node's ``data`` has ``id``, ``label`` and
  ``kind``; every edge's has ``source``, ``target``, ``key``, ``relation``, ``start``/``end``
  (ISO dates), ``sources`` (a list of URLs) and ``confidence``. Lists stay lists, None is left
  out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from .graphml import scalar_graph


def write_gexf(nx_graph: nx.MultiDiGraph[str], path: str | Path) -> Path:
    """Write GEXF 1.2 for Gephi (scalar attributes; dates as spells)."""
    out = Path(path)
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(scalar_graph(nx_graph))
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)  # a timestamp would make every file differ
    writer.write(out)
    return out


def _json_value(value: Any) -> Any:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = [_json_value(v) for v in value if v is not None]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return str(value)


def _json_attrs(attrs: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _json_value(v) for k, v in attrs.items() if v is not None}


def cytoscape_elements(nx_graph: nx.MultiDiGraph[str]) -> dict[str, Any]:
    """The graph as Cytoscape JSON (:func:`networkx.cytoscape_data` of a JSON-ready copy)."""
    ready: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    ready.graph.update(_json_attrs(nx_graph.graph))
    for node, attrs in nx_graph.nodes(data=True):
        ready.add_node(node, **_json_attrs(attrs))
    for u, v, key, attrs in nx_graph.edges(keys=True, data=True):
        ready.add_edge(u, v, key=key, **_json_attrs(attrs))
    data: dict[str, Any] = nx.cytoscape_data(ready, name="label")
    return data


def write_cytoscape(nx_graph: nx.MultiDiGraph[str], path: str | Path) -> Path:
    """Write Cytoscape JSON (deterministic: sorted keys, nodes and edges in graph order)."""
    out = Path(path)
    text = json.dumps(cytoscape_elements(nx_graph), indent=2, sort_keys=True, ensure_ascii=False)
    out.write_text(text + "\n", encoding="utf-8")
    return out


__all__ = ["cytoscape_elements", "write_cytoscape", "write_gexf"]
