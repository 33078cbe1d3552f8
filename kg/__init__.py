"""kg: a knowledge graph of vendors, open-source projects and lawsuits that shows who is on
both sides.

>>> from kg import Settings
>>> Settings.from_env("/tmp/project", environ={}).store
'oxigraph'

Pictures live in :mod:`kg.rendering` and graph conversion in :mod:`kg.network`; import them
explicitly (``import kg`` never loads matplotlib, networkx or pandas). In a notebook,
:func:`query`, :func:`list_findings` and :func:`picture` answer from the project's store and
show as tables and SVG (:mod:`kg.notebook`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from .config import Settings
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

# The rest is imported on first use, so that ``kg conflicts`` does not pay for pySHACL and a
# command-line start stays short (``python -X importtime -m kg``).
_LAZY = {
    "find_conflicts": "conflicts", "Evidence": "findings", "Finding": "findings",
    "Findings": "findings", "list_findings": "notebook", "picture": "notebook",
    "query": "notebook",
    "load_graph": "loading", "NamedQuery": "queries", "get_query": "queries",
    "list_queries": "queries", "run_query": "queries", "SelectResult": "stores",
    "Store": "stores", "build_store": "stores", "open_store": "stores",
    "project_store": "warm", "ValidationReport": "validation",
    "ValidationResult": "validation", "validate": "validation",
    "validate_project": "validation", "what_if": "whatif",
}

if _TYPE_CHECKING:
    from .conflicts import find_conflicts
    from .findings import Evidence, Finding, Findings
    from .loading import load_graph
    from .notebook import list_findings, picture, query
    from .queries import NamedQuery, get_query, list_queries, run_query
    from .stores import SelectResult, Store, build_store, open_store
    from .validation import ValidationReport, ValidationResult, validate, validate_project
    from .warm import project_store
    from .whatif import what_if


def __getattr__(name: str) -> _Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "ConformanceError",
    "Evidence",
    "Finding",
    "Findings",
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
    "list_findings",
    "list_queries",
    "load_graph",
    "open_store",
    "picture",
    "project_store",
    "query",
    "run_query",
    "validate",
    "validate_project",
    "what_if",
]
