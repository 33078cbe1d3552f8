"""The one exception tree of kg. Callers only ever see ``KGError`` and its subclasses::

    KGError
    ├── SourceError          a file cannot be read or parsed (carries path, line, column)
    ├── InputError           a tabular input row is wrong (carries path, row, field)
    ├── QueryError
    │   ├── QueryNotFoundError
    │   ├── QueryHeaderError
    │   └── ParameterError
    ├── StoreError           a backend cannot be opened or answered badly
    ├── ShapesError          the shapes graph is unusable
    └── ConformanceError     raised only by ValidationReport.raise_for_violations()

Messages name the place first, compiler-style: ``path:line: what is wrong``.
"""

from __future__ import annotations

from pathlib import Path


class KGError(Exception):
    """Base class of every error kg raises on purpose."""


class SourceError(KGError):
    """A file cannot be read or parsed."""

    def __init__(
        self, path: str | Path, message: str, *, line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.column = column if line is not None else None
        self.reason = message
        where = self.path
        if line is not None:
            where += f":{line}" + (f":{column}" if column is not None else "")
        super().__init__(f"{where}: {message}")


class InputError(KGError):
    """A row of a tabular input file is wrong; the whole file is rejected."""

    def __init__(
        self, path: str | Path, message: str, *, row: int | None = None, field: str | None = None
    ) -> None:
        self.path = str(path)
        self.row = row
        self.field = field
        self.reason = message
        where = self.path
        if row is not None:
            where += f":{row}"
        if field is not None:
            where += f": field '{field}'"
        super().__init__(f"{where}: {message}")


class QueryError(KGError):
    """A named query cannot be found, parsed or run."""


class QueryNotFoundError(QueryError):
    """No query of that name exists."""


class QueryHeaderError(QueryError):
    """A query file's ``#+`` header is missing or malformed."""


class ParameterError(QueryError):
    """A query parameter is unknown, missing or of the wrong type."""


class StoreError(KGError):
    """A storage backend cannot be opened, or it failed to answer."""


class ShapesError(KGError):
    """The SHACL shapes graph is unusable."""


class ConformanceError(KGError):
    """The data does not conform to the shapes (raised only on request)."""
