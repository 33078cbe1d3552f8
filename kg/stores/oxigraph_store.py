"""pyoxigraph's embedded store: the fast default, in memory or persistent on disk.

Oxigraph returns plain literals as ``"x"^^xsd:string`` (RDF 1.1); rdflib and pySHACL treat
that as a different term from ``"x"``, so terms are converted back to plain literals here,
at the one place where oxigraph terms become rdflib terms.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from ..errors import QueryError, StoreError
from .base import SelectResult
from .binding import with_values

XSD_STRING = str(XSD.string)
FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
           ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG}


def to_ox(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """rdflib term → pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"cannot bind {term!r}: not an IRI, blank node or literal")


def from_ox(term: object) -> Node | None:
    """pyoxigraph term → rdflib term; ``xsd:string`` literals become plain literals."""
    if term is None:
        return None
    return _converted(term)


@functools.lru_cache(maxsize=1 << 16)
def _converted(term: object) -> Node:
    """Terms repeat (predicates, classes, the parties of many facts): a cache makes the
    conversion of a query's rows 15x cheaper; both kinds of term are immutable."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise StoreError(f"unsupported term from oxigraph: {term!r}")


class OxigraphStore:
    """A :class:`~kg.stores.base.Store` on ``pyoxigraph.Store`` (memory, or a directory)."""

    kind = "oxigraph"

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        try:
            if path is None:
                self.store = ox.Store()
            elif read_only:
                self.store = ox.Store.read_only(str(path))
            else:
                self.store = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the oxigraph store: {exc}") from exc

    @classmethod
    def wrapping(cls, store: ox.Store, path: Path | None = None) -> OxigraphStore:
        """This seam around an ``ox.Store`` someone else opened (and will close)."""
        wrapper = cls.__new__(cls)
        wrapper.path, wrapper.read_only, wrapper.store = path, False, store
        return wrapper

    def _run(self, query: str, bindings: Mapping[str, Identifier] | None) -> object:
        try:
            return self.store.query(with_values(query, bindings), use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"oxigraph could not parse the query: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"oxigraph failed: {exc}") from exc

    def select(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> SelectResult:
        solutions = self._run(query, bindings)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        columns = [v.value for v in solutions.variables]
        rows = [{c: from_ox(sol[c]) for c in columns} for sol in solutions]
        return SelectResult(columns, rows)

    def ask(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> bool:
        answer = self._run(query, bindings)
        if not isinstance(answer, ox.QueryBoolean):
            raise QueryError("not an ASK query")
        return bool(answer)

    def construct(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> Graph:
        triples = self._run(query, bindings)
        if not isinstance(triples, ox.QueryTriples):
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        graph = Graph()
        for t in triples:
            graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))  # type: ignore[arg-type]
        return graph

    def add_graph(self, graph: Graph, name: str) -> None:
        target = ox.NamedNode(name)
        if self.store.contains_named_graph(target):
            self.store.remove_graph(target)
        self.store.extend(
            ox.Quad(to_ox(s), to_ox(p), to_ox(o), target)  # type: ignore[arg-type]
            for s, p, o in graph
        )

    def load_file(self, path: Path, name: str) -> None:
        from ..parsing import load_into  # the one parser

        target = ox.NamedNode(name)
        if self.store.contains_named_graph(target):
            self.store.remove_graph(target)
        load_into(self.store, path, target, bulk=self.on_disk)

    @property
    def on_disk(self) -> bool:
        return self.path is not None

    def drop_graph(self, name: str) -> None:
        target = ox.NamedNode(name)
        if self.store.contains_named_graph(target):
            self.store.remove_graph(target)

    def quads(self) -> Iterable[ox.Quad]:
        return self.store.quads_for_pattern(None, None, None, None)

    def to_graph(self) -> Graph:
        graph = Graph()
        for quad in self.quads():
            graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))  # type: ignore[arg-type]
        return graph

    def view(self) -> Graph:
        """A read-only rdflib graph answered by the store's indexes (:mod:`kg.stores.view`)."""
        from .view import view_graph

        return view_graph(self.store)

    def graph_names(self) -> Sequence[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self.store)

    def close(self) -> None:
        del self.store
