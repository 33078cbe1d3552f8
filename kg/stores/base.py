"""The one small seam every storage backend implements."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rdflib import Graph
from rdflib.term import Identifier, Node

Row = dict[str, Node | None]


@dataclass
class SelectResult:
    """Rows of a SELECT: each row maps every column to an rdflib term or None (unbound)."""

    columns: list[str]
    rows: list[Row] = field(default_factory=list)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


class Store(Protocol):
    """A place that holds the graph and answers SPARQL over the union of its graphs."""

    kind: str

    def select(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> SelectResult:
        """Run a SELECT with variables bound to RDF terms (never pasted into the text)."""

    def ask(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> bool:
        """Run an ASK."""

    def construct(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> Graph:
        """Run a CONSTRUCT or DESCRIBE."""

    def add_graph(self, graph: Graph, name: str) -> None:
        """Replace the named graph ``name`` with ``graph``'s triples."""

    def drop_graph(self, name: str) -> None:
        """Remove the named graph ``name`` and its triples."""

    def load_file(self, path: Path, name: str) -> None:
        """Parse a file straight into the named graph ``name`` (the fast path for big files)."""

    def to_graph(self) -> Graph:
        """Every triple, as one rdflib graph (for SHACL, networkx, export)."""

    def graph_names(self) -> Sequence[str]:
        """The named graphs that hold data."""

    def __len__(self) -> int:
        """Number of triples over all graphs."""

    def close(self) -> None:
        """Release files, locks or connections."""
