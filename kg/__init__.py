"""kg: a knowledge graph of vendors, open-source projects and lawsuits that shows who is on
both sides.

>>> from kg import Settings
>>> Settings.from_env("/tmp/project", environ={}).store
'oxigraph'

Pictures live in :mod:`kg.rendering` and graph conversion in :mod:`kg.network`; import them
explicitly (``import kg`` never loads matplotlib or networkx).
"""

from __future__ import annotations

from .config import Settings
from .conflicts import find_conflicts
from .errors import (
    ConformanceError,
    InputError,
    KGError,
    ParameterError,
    QueryError,
    QueryHeaderError,
    QueryNotFoundError,
    ShapesError,
    SourceError,
    StoreError,
)
from .findings import Evidence, Finding
from .loading import load_graph
from .queries import NamedQuery, get_query, list_queries, run_query
from .stores import SelectResult, Store, build_store, open_store
from .validation import ValidationReport, ValidationResult, validate, validate_project
from .whatif import what_if

__all__ = [
    "ConformanceError",
    "Evidence",
    "Finding",
    "InputError",
    "KGError",
    "NamedQuery",
    "ParameterError",
    "QueryError",
    "QueryHeaderError",
    "QueryNotFoundError",
    "SelectResult",
    "Settings",
    "ShapesError",
    "SourceError",
    "Store",
    "StoreError",
    "ValidationReport",
    "ValidationResult",
    "build_store",
    "find_conflicts",
    "get_query",
    "list_queries",
    "load_graph",
    "open_store",
    "run_query",
    "validate",
    "validate_project",
    "what_if",
]
