"""The request forms of the SPARQL 1.1 Protocol's query operation, read into one object.

- ``GET /sparql?query=…`` (no ``query``: the service description);
- ``POST`` with ``application/x-www-form-urlencoded`` and ``query=…`` in the body;
- ``POST`` with ``application/sparql-query`` and the query as the body;
- ``default-graph-uri`` and ``named-graph-uri``, repeatable, in the URL or the form.

The update operation (``update=…``, ``application/sparql-update``) is refused with 403; a
missing, repeated, empty or oversized query is a 400 (413 when too long), an unknown content
type 415, as the Protocol (§2.1.4, §2.2) and HTTP say.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

from .guard import READ_ONLY
from .options import ServeOptions
from .replies import Problem

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*")


@dataclass(frozen=True)
class SparqlRequest:
    """A query request (``query`` None: the client asked for the service description)."""

    query: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def _values(items: Sequence[tuple[str, str]], key: str) -> list[str]:
    return [v for k, v in items if k == key]


def _graphs(items: Sequence[tuple[str, str]], key: str, options: ServeOptions) -> tuple[str, ...]:
    values = _values(items, key)
    if len(values) > options.max_graphs:
        raise Problem(400, f"too many '{key}' parameters ({len(values)}; the limit is "
                           f"{options.max_graphs})")
    for value in values:
        if not IRI.fullmatch(value) or len(value) > options.max_param:
            raise Problem(400, f"'{key}' must be an absolute IRI, not {value[:200]!r}")
    return tuple(values)


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, f"the {what} is not UTF-8") from None


def _form(body: bytes) -> list[tuple[str, str]]:
    try:
        return parse_qsl(_decode(body, "form body"), keep_blank_values=True, strict_parsing=False,
                         errors="strict")
    except UnicodeDecodeError:
        raise Problem(400, "the form body is not UTF-8 once percent-decoded") from None


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _items(method: str, content_type: str | None, url_items: Sequence[tuple[str, str]],
           body: bytes) -> list[tuple[str, str]]:
    """Every parameter of the request, from the URL and the body, by the request's form."""
    items = list(url_items)
    kind = media_type(content_type)
    if method == "GET":
        return items
    if method != "POST":
        raise Problem(405, f"method {method} is not allowed: use GET or POST")
    if kind == UPDATE:
        raise Problem(403, f"{READ_ONLY} (a request of type {UPDATE})")
    if kind == FORM:
        return items + _form(body)
    if kind == DIRECT:
        if _values(items, "query"):
            raise Problem(400, f"a {DIRECT} request carries its query in the body only")
        return [*items, ("query", _decode(body, "query"))]
    raise Problem(415, f"unsupported Content-Type {kind or '(none)'!r}: send the query as "
                       f"{FORM} (query=…) or as {DIRECT}")


def parse_request(method: str, content_type: str | None, url_items: Sequence[tuple[str, str]],
                  body: bytes, options: ServeOptions) -> SparqlRequest:
    """Read a request to ``/sparql``; raises :class:`Problem` with the Protocol's status."""
    items = _items(method, content_type, url_items, body)
    if _values(items, "update"):
        raise Problem(403, f"{READ_ONLY} (an 'update' parameter)")
    queries = _values(items, "query")
    dataset = {"default_graphs": _graphs(items, "default-graph-uri", options),
               "named_graphs": _graphs(items, "named-graph-uri", options)}
    if not queries:
        if method == "POST":
            raise Problem(400, "missing 'query' parameter")
        return SparqlRequest(None, **dataset)
    if len(queries) > 1:
        raise Problem(400, f"exactly one 'query' parameter is allowed, not {len(queries)}")
    query = queries[0]
    if not query.strip():
        raise Problem(400, "the 'query' parameter is empty")
    if len(query) > options.max_query:
        raise Problem(413, f"the query is too long ({len(query)} characters; the limit is "
                           f"{options.max_query})")
    return SparqlRequest(query, **dataset)
