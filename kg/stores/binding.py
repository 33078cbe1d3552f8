"""Bind parameters the same way on every backend: an inline ``VALUES`` block.

The block is built from rdflib terms (their ``n3()`` form escapes quotes, newlines and
backslashes) and placed first in the query's outermost ``WHERE`` group, so FILTERs and
OPTIONALs of that group see the bound values. User text is never pasted into the query.

Why not the engines' own mechanisms: Oxigraph's SEP-0007 substitutions only replace
variables that are projected, and rdflib's ``initBindings`` behaves differently from
``SPARQLStore`` (rdflib issue #1772); one rule for all keeps answers identical.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from ..errors import QueryError

_TOKEN = re.compile(
    r'''(?P<comment>\#[^\n]*)
      | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""
                  |\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
                  |"(?:[^"\\\n]|\\.)*"
                  |'(?:[^'\\\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\s]*>)
      | (?P<where>\bWHERE\b)
      | (?P<open>\{)
      | (?P<close>\})''',
    re.VERBOSE | re.IGNORECASE,
)


def _group_start(query: str) -> int:
    """Index just after the ``{`` that opens the outermost WHERE group."""
    depth = 0
    first_open: int | None = None
    after_where = False
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind in ("comment", "string", "iri"):
            continue
        if kind == "where" and depth == 0:
            after_where = True
        elif kind == "open":
            if depth == 0:
                if after_where:
                    return m.end()
                if first_open is None:
                    first_open = m.end()
            depth += 1
        elif kind == "close":
            depth -= 1
    if first_open is None:
        raise QueryError("query has no group pattern { … } to bind parameters in")
    return first_open


def term_n3(term: Identifier) -> str:
    """The SPARQL form of a term; only IRIs and literals may be bound."""
    if isinstance(term, (URIRef, Literal)):
        return term.n3()
    if isinstance(term, BNode):
        raise QueryError("a blank node cannot be bound as a parameter")
    raise QueryError(f"cannot bind {term!r}")


def with_values(
    query: str, bindings: Mapping[str, Identifier | Sequence[Identifier]] | None
) -> str:
    """The query with ``bindings`` as a ``VALUES`` block at the top of its WHERE group.

    One variable may be bound to a sequence of terms: the block then has one row per term
    (the other variables repeat), so a query can be asked about many nodes at once.
    """
    if not bindings:
        return query
    names = sorted(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"{name!r} is not a SPARQL variable name")
    many = [n for n in names if isinstance(bindings[n], (list, tuple))]
    if len(many) > 1:
        raise QueryError(f"only one parameter may take several values, not {', '.join(many)}")
    choices = list(bindings[many[0]]) if many else [None]
    at = _group_start(query)
    if not choices:  # nothing to ask about; rdflib cannot parse an empty VALUES block
        return query[:at] + " FILTER(false) " + query[at:]
    rows = []
    for choice in choices:
        cells = [term_n3(choice if n in many else bindings[n]) for n in names]  # type: ignore[arg-type]
        rows.append(f"({' '.join(cells)})")
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ {' '.join(rows)} }} "
    return query[:at] + block + query[at:]
