"""Storage backends behind one seam: :func:`open_store` and :func:`build_store`.

- ``oxigraph`` (default): pyoxigraph's embedded store; on disk at ``settings.store_path``
  (what :func:`kg.warm.project_store` keeps warm for every command), else in memory.
- ``memory``: pyoxigraph in memory, always (loaded afresh from the files).
- ``rdflib``: rdflib's in-memory Dataset, the reference engine.
- ``sparql``: a remote SPARQL 1.1 server (query, update, Graph Store Protocol).
"""

from __future__ import annotations

from rdflib import Dataset, Graph

from ..config import Settings
from ..errors import StoreError
from ..project import is_file_graph
from .base import Row, SelectResult, Store

__all__ = ["Row", "SelectResult", "Store", "build_store", "open_store", "read_graph"]


def read_graph(store: Store) -> Graph:
    """The stated triples (the derived ones left out) as an rdflib graph to walk: a view
    answered in place where the store has one (Oxigraph), else a copy."""
    view = getattr(store, "view", None)
    if view is not None:
        return view()  # type: ignore[no-any-return]
    from ..derived import stated_graph

    return stated_graph(store)


def open_store(settings: Settings, *, read_only: bool = False) -> Store:
    """The store ``settings`` names, as it is (empty, or as persisted)."""
    if settings.store in ("oxigraph", "memory"):
        from .oxigraph_store import OxigraphStore

        path = settings.store_path if settings.store == "oxigraph" else None
        return OxigraphStore(path, read_only=read_only)
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

    Without ``dataset`` each file goes straight to the store's own loader (Oxigraph's bulk
    loader parses it natively: no rdflib terms on the way); ``dataset`` is copied in as it is
    (on rdflib the store is ``dataset`` itself, which then holds the derived graph too).
    """
    from ..derived import refresh_totals

    store: Store
    if settings.store == "rdflib":
        from ..loading import load_graph
        from .rdflib_store import RdflibStore

        store = RdflibStore(dataset if dataset is not None else load_graph(settings))
    elif dataset is not None:
        store = open_store(settings)
        for graph in dataset.graphs():
            if len(graph) and is_file_graph(graph.identifier):
                store.add_graph(graph, str(graph.identifier))
    else:
        from ..project import data_files, graph_name, ontology_files, reading

        store = open_store(settings)
        with reading(settings):
            for path in [*ontology_files(settings), *data_files(settings)]:
                store.load_file(path, str(graph_name(path, settings.root)))
    refresh_totals(store)  # derived facts (contribution totals), once the files are in
    return store
