"""The OpenAPI 3.1 description of the server, generated from the named queries' headers."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from ..queries import NamedQuery, QueryParam

SCHEMAS: dict[str, dict[str, Any]] = {
    "iri": {"type": "string", "description": "a full IRI, a prefixed name (kgd:x) or a slug"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
}
ERROR = {"description": "an error: {\"error\": message, \"status\": code}",
         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
TABLE = {"description": "the rows (JSON: columns, rows, truncated, row_limit) or CSV",
         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Rows"}},
                     "text/csv": {"schema": {"type": "string"}}}}
FORMAT = {"name": "format", "in": "query", "required": False,
          "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"},
          "description": "json or csv (or send Accept: text/csv)"}


def _version() -> str:
    try:
        return version("kg")
    except PackageNotFoundError:
        return "0"


def _default(p: QueryParam) -> Any:
    """The header's default as a value of the parameter's JSON type."""
    text = str(p.default)
    if p.type == "integer":
        return int(text)
    if p.type == "decimal":
        return float(text)
    if p.type == "boolean":
        return text.lower() in ("true", "1")
    return text


def _param(p: QueryParam) -> dict[str, Any]:
    schema = dict(SCHEMAS[p.type])
    if p.default is not None:
        schema["default"] = _default(p)
    return {"name": p.name, "in": "query", "required": p.required, "schema": schema,
            "description": p.description or f"{p.type} parameter"}


def _named(q: NamedQuery) -> dict[str, Any]:
    params = [_param(p) for p in q.params]
    if not any(p.name == "format" for p in q.params):
        params.append(FORMAT)
    return {"get": {
        "operationId": "query_" + q.name.replace("/", "__").replace("-", "_"),
        "summary": q.summary, "description": q.description or q.summary,
        "tags": ["named queries", *q.tags], "parameters": params,
        "responses": {"200": TABLE, "400": ERROR, "404": ERROR, "503": ERROR},
    }}


def _sparql() -> dict[str, Any]:
    params = [
        {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
         "description": "a SPARQL 1.1 query; without it, the service description (Turtle)"},
        {"name": "default-graph-uri", "in": "query", "required": False,
         "schema": {"type": "array", "items": {"type": "string"}}, "explode": True},
        {"name": "named-graph-uri", "in": "query", "required": False,
         "schema": {"type": "array", "items": {"type": "string"}}, "explode": True},
    ]
    answers = {"200": {"description": "results (JSON, XML, CSV, TSV) or RDF (Turtle, "
                                      "N-Triples, JSON-LD, RDF/XML), by Accept"},
               "400": {"description": "malformed or missing query"},
               "403": {"description": "an update or SERVICE: refused (read-only)"},
               "503": {"description": "the query ran past the timeout"}}
    body = {"content": {
        "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
            "query": {"type": "string"}}}},
        "application/sparql-query": {"schema": {"type": "string"}}}}
    return {"get": {"operationId": "sparql_get", "summary": "SPARQL 1.1 Protocol query",
                    "tags": ["sparql"], "parameters": params, "responses": answers},
            "post": {"operationId": "sparql_post", "summary": "SPARQL 1.1 Protocol query",
                     "tags": ["sparql"], "requestBody": body, "responses": answers}}


def _q(name: str, description: str, *, required: bool = False, many: bool = False,
       path: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array", "items": {"type": "string"}} if many else {
        "type": "string"}
    return {"name": name, "in": "path" if path else "query", "required": required or path,
            "schema": schema, "description": description, **({"explode": True} if many else {})}


def _get(op: str, summary: str, params: list[dict[str, Any]]) -> dict[str, Any]:
    return {"get": {"operationId": op, "summary": summary, "tags": ["findings"],
                    "parameters": params,
                    "responses": {"200": {"description": "JSON (or CSV with format=csv)"},
                                  "400": ERROR, "404": ERROR, "503": ERROR}}}


def _findings() -> dict[str, Any]:
    when = [_q("as_of", "the graph as it stood on this date (YYYY-MM-DD)"),
            _q("window", "recent window in days")]
    return {
        "/api/findings": _get("findings", "conflict findings, ranked, with their reasons", [
            *when, _q("foundation", "only this foundation (IRI, kgd:slug or slug)"),
            _q("pattern", "only findings with a chain of these patterns", many=True),
            _q("severity", "high, medium or low"), _q("format", "json or csv")]),
        "/api/findings/{id}": _get("finding", "one finding by its stable ID",
                                   [_q("id", "the finding's ID", path=True), *when]),
        "/api/whatif": _get("whatif", "the findings a membership would create", [
            _q("organization", "the applicant", required=True),
            _q("tier", "the tier it would join", required=True),
            _q("foundation", "the foundation (default openstack-foundation)"),
            _q("join_date", "YYYY-MM-DD (default today)"), *when]),
        "/api/entities/{id}": _get("entity", "an entity's sourced facts and its findings",
                                   [_q("id", "the entity's ID", path=True)]),
        "/api/search": _get("search", "entities by ID, label or alias",
                            [_q("q", "text to look for", required=True)]),
    }


def document(queries: Sequence[NamedQuery], *, row_limit: int, timeout: float) -> dict[str, Any]:
    """The whole description."""
    paths: dict[str, Any] = {
        "/sparql": _sparql(),
        "/api/queries": {"get": {"operationId": "list_queries", "tags": ["named queries"],
                                 "summary": "the named queries and their typed parameters",
                                 "responses": {"200": {"description": "a list of queries"}}}},
        "/api/status": {"get": {"operationId": "status", "summary": "what the server holds",
                                "responses": {"200": {"description": "counts and limits"}}}},
    }
    paths.update(_findings())
    for q in queries:
        paths[f"/api/queries/{q.name}"] = _named(q)
    return {
        "openapi": "3.1.0",
        "info": {"title": "kg", "version": _version(), "description": (
            "A read-only SPARQL 1.1 endpoint and the project's named queries. Parameters are "
            "typed by each query's header and bound as RDF terms, never pasted into the query. "
            f"Answers stop at {row_limit} rows (X-KG-Truncated says so) and queries after "
            f"{timeout:g} s.")},
        "paths": paths,
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error", "status"], "properties": {
                "error": {"type": "string"}, "status": {"type": "integer"}}},
            "Rows": {"type": "object", "properties": {
                "query": {"type": "string"},
                "columns": {"type": "array", "items": {"type": "string"}},
                "rows": {"type": "array", "items": {"type": "object"}},
                "truncated": {"type": "boolean"}, "row_limit": {"type": "integer"}}},
        }},
    }
