"""A read-only rdflib view of an Oxigraph store: ``Graph`` methods answered by its indexes.

Pictures and profiles walk a few hundred triples around one entity with ``graph.objects`` and
``graph.subjects``; copying the whole store into an rdflib graph for that (50k triples: 1.3 s)
cost more than everything else. The view holds nothing: each pattern is one
``quads_for_pattern`` over the union of the named graphs (duplicates across graphs dropped),
with terms converted as everywhere else (:func:`~kg.stores.oxigraph_store.from_ox`). The
derived graph (:data:`kg.project.TOTALS_GRAPH`) is left out, as :func:`kg.derived.stated_graph`
leaves it out of a copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.store import Store as RdflibStore
from rdflib.term import Node

from ..project import TOTALS_GRAPH
from .oxigraph_store import from_ox, to_ox

_DERIVED = ox.NamedNode(TOTALS_GRAPH)  # derived totals are no facts to draw or walk


class OxigraphView(RdflibStore):
    """rdflib's store interface, read-only, over a ``pyoxigraph.Store``."""

    context_aware = False
    formula_aware = False
    transaction_aware = False
    graph_aware = False

    def __init__(self, store: ox.Store) -> None:
        super().__init__()
        self._store = store

    def triples(self, triple_pattern: Any, context: Any = None
                ) -> Iterator[tuple[tuple[Node, Node, Node], Iterator[Any]]]:
        s, p, o = (None if t is None else to_ox(t) for t in triple_pattern)
        seen: set[tuple[object, object, object]] = set()
        for quad in self._store.quads_for_pattern(s, p, o, None):  # type: ignore[arg-type]
            if quad.graph_name == _DERIVED:
                continue
            key = (quad.subject, quad.predicate, quad.object)
            if key in seen:
                continue
            seen.add(key)
            triple = (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object))
            yield triple, iter(())  # type: ignore[misc]

    def __len__(self, context: Any = None) -> int:
        return sum(1 for _ in self.triples((None, None, None)))

    def add(self, *_: Any, **__: Any) -> None:
        raise TypeError("a view of the store is read-only")

    def remove(self, *_: Any, **__: Any) -> None:
        raise TypeError("a view of the store is read-only")


def view_graph(store: ox.Store) -> Graph:
    """An rdflib ``Graph`` reading ``store`` in place."""
    return Graph(store=OxigraphView(store))
