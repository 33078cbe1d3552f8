"""rdflib's SPARQL processor with parsed queries memoised, for pySHACL (registered by
:mod:`kg.validation` when it first runs pySHACL; a module of its own so that the fast engine's
path never imports rdflib's SPARQL machinery)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor


class CachingProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor, with parsed queries memoised.

    pySHACL hands the same SPARQL-constraint text to rdflib once per focus node, and rdflib
    parses it every time (7-70 ms each): on 20k triples that was 112 s of parsing alone.
    """

    def query(  # type: ignore[override]
        self, strOrQuery: Any, initBindings: Any = None, initNs: Any = None,
        base: str | None = None, DEBUG: bool = False,
    ) -> Any:
        if isinstance(strOrQuery, str):
            namespaces = tuple(sorted((k, str(v)) for k, v in (initNs or {}).items()))
            strOrQuery = _translated(strOrQuery, base, namespaces)
        return evalQuery(self.graph, strOrQuery, initBindings, base)


@lru_cache(maxsize=512)
def _translated(text: str, base: str | None, namespaces: tuple[tuple[str, str], ...]) -> Any:
    return translateQuery(parseQuery(text), base, dict(namespaces))
