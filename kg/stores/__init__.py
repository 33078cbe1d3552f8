"""Storage backends behind one seam: :func:`open_store` and :func:`build_store`.

- ``oxigraph`` (default): pyoxigraph's embedded store, in memory or on disk.
- ``rdflib``: rdflib's in-memory Dataset, the reference engine.
- ``sparql``: a remote SPARQL 1.1 server (query, update, Graph Store Protocol).
"""

from __future__ import annotations

from rdflib import Dataset

from ..config import Settings
from ..errors import StoreError
from ..project import is_file_graph
from .base import Row, SelectResult, Store

__all__ = ["Row", "SelectResult", "Store", "build_store", "open_store"]


def open_store(settings: Settings, *, read_only: bool = False) -> Store:
    """The store ``settings`` names, as it is (empty, or as persisted)."""
    if settings.store == "oxigraph":
        from .oxigraph_store import OxigraphStore

        return OxigraphStore(settings.store_path, read_only=read_only)
    if settings.store == "rdflib":
        from .rdflib_store import RdflibStore

        return RdflibStore()
    if settings.store == "sparql":
        from .sparql_store import SparqlStore

        return SparqlStore.from_settings(settings)
    raise StoreError(f"unknown store kind {settings.store!r}")


def build_store(settings: Settings, dataset: Dataset | None = None) -> Store:
    """A store holding the project's ontology and data, one named graph per file, and the
    facts derived from them (:func:`kg.derived.refresh_totals`, :data:`~kg.project.TOTALS_GRAPH`).
    On rdflib the store is ``dataset`` itself, which then holds the derived graph too."""
    from ..loading import load_graph

    data = dataset if dataset is not None else load_graph(settings)
    store: Store
    if settings.store == "rdflib":
        from .rdflib_store import RdflibStore

        store = RdflibStore(data)
    else:
        store = open_store(settings)
        for graph in data.graphs():
            if len(graph) and is_file_graph(graph.identifier):
                store.add_graph(graph, str(graph.identifier))

    # derived facts (contribution totals), once the files are in: kg.derived
    from ..derived import refresh_totals

    refresh_totals(store)
    return store
