"""rdflib's own in-memory Dataset as a store: the reference engine, slow on big graphs."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Identifier

from ..errors import QueryError
from .base import SelectResult
from .binding import with_values


class RdflibStore:
    """A :class:`~kg.stores.base.Store` on an rdflib ``Dataset`` with a union default graph."""

    kind = "rdflib"
    read_only = False

    def __init__(self, dataset: Dataset | None = None) -> None:
        self.dataset = dataset if dataset is not None else Dataset(default_union=True)

    def _run(self, query: str, bindings: Mapping[str, Identifier] | None) -> Result:
        try:
            with warnings.catch_warnings():
                # rdflib 7's own SPARQL engine still calls its deprecated Dataset.default_context
                # once per pattern: a million warnings per test run, none of them ours.
                warnings.filterwarnings("ignore", "Dataset.default_context", DeprecationWarning)
                return self.dataset.query(with_values(query, bindings))
        except Exception as exc:  # pyparsing and rdflib raise many unrelated types
            raise QueryError(f"rdflib could not run the query: {exc}") from exc

    def select(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> SelectResult:
        result = self._run(query, bindings)
        columns = [str(v) for v in (result.vars or [])]
        rows = [{c: row[i] for i, c in enumerate(columns)} for row in result]  # type: ignore[index]
        return SelectResult(columns, rows)

    def ask(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> bool:
        return bool(self._run(query, bindings).askAnswer)

    def construct(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> Graph:
        result = self._run(query, bindings)
        graph = Graph()
        for triple in result:
            graph.add(triple)  # type: ignore[arg-type]
        return graph

    def add_graph(self, graph: Graph, name: str) -> None:
        target = self.dataset.graph(URIRef(name))
        target.remove((None, None, None))
        for triple in graph:
            target.add(triple)

    def drop_graph(self, name: str) -> None:
        self.dataset.remove_graph(self.dataset.graph(URIRef(name)))

    def load_file(self, path: Path, name: str) -> None:
        from ..loading import parse_file

        target = self.dataset.graph(URIRef(name))
        target.remove((None, None, None))
        parse_file(path, into=target)

    def to_graph(self) -> Graph:
        graph = Graph()
        for s, p, o, _ in self.dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph

    def graph_names(self) -> Sequence[str]:
        return sorted(str(g.identifier) for g in self.dataset.graphs() if len(g))

    def __len__(self) -> int:
        return sum(1 for _ in self.dataset.quads((None, None, None, None)))

    def close(self) -> None:
        pass
