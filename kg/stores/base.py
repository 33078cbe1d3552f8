"""The one small seam every storage backend implements."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, overload

from rdflib import Graph
from rdflib.term import Identifier, Node

Row = dict[str, Node | None]


@dataclass
class SelectResult:
    """Rows of a SELECT: each row maps every column to an rdflib term or None (unbound).

    ``result[0]`` is the first row, ``result[2:5]`` a result of three; :meth:`records` gives
    the rows as plain Python values (dates, numbers, IDs), :meth:`to_pandas` a DataFrame, and
    a notebook shows the result as a table (:meth:`_repr_html_`).
    """

    columns: list[str]
    rows: list[Row] = field(default_factory=list)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> SelectResult: ...

    def __getitem__(self, index: int | slice) -> Row | SelectResult:
        if isinstance(index, slice):
            return SelectResult(list(self.columns), self.rows[index])
        return self.rows[index]

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts of plain Python values (see :mod:`kg.results`)."""
        from ..results import records

        return records(self.columns, self.rows)

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame`` of :meth:`records`: dates as ``datetime64``, integers as
        ``Int64`` (needs the ``pandas`` extra)."""
        from ..frames import to_frame

        return to_frame(self.columns, self.records())

    def _repr_html_(self) -> str:
        from ..html import MAX_ROWS, table

        return table(self.columns, self[:MAX_ROWS].records(), total=len(self))


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
