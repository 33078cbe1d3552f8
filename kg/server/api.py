"""The JSON API: the named queries (``/api/queries``, ``/api/queries/{name}``), the OpenAPI
description and the server's status. Errors are ``{"error": message, "status": code}`` with
the message the CLI prints for the same mistake (``kg: error: <message>``).

Findings, what-if, entities and search join here later, as routes of their own module.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..errors import KGError, ParameterError, QueryNotFoundError
from ..queries import NamedQuery, bind_params, get_query, list_queries
from . import formats
from .context import Server, respond
from .jobs import NamedQueryJob
from .openapi import document
from .replies import Problem, Reply, json_error


def json_reply(data: Any, status: int = 200) -> Reply:
    return Reply(status, "application/json",
                 json.dumps(data, ensure_ascii=False, indent=1).encode())


def query_entry(q: NamedQuery) -> dict[str, Any]:
    return {
        "name": q.name, "summary": q.summary, "description": q.description, "form": q.form,
        "tags": list(q.tags), "url": f"/api/queries/{q.name}",
        "params": [{"name": p.name, "type": p.type, "description": p.description,
                    "default": p.default, "required": p.required} for p in q.params],
    }


def _queries(server: Server) -> list[NamedQuery]:
    """The named queries, parsed again only when a file under queries/ changed."""
    folder = server.options.settings.queries_dir
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*.rq")))
    cached = server.cache.get("queries")
    if cached is None or cached[0] != stamp:
        cached = server.cache["queries"] = (stamp, list_queries(server.options.settings))
    found: list[NamedQuery] = cached[1]
    return found


def read_params(named: NamedQuery, items: Sequence[tuple[str, str]], max_length: int
                ) -> tuple[dict[str, str], str | None]:
    """The query's parameters from the URL, and the ``format`` asked for (a reserved name
    unless the query declares it). Long or repeated values are refused."""
    params: dict[str, str] = {}
    fmt = None
    declared = {p.name for p in named.params}
    for key, value in items:
        if len(value) > max_length:
            raise ParameterError(f"parameter '{key}' is too long ({len(value)} characters; the "
                                 f"limit is {max_length})")
        if key == "format" and "format" not in declared:
            fmt = value
            continue
        if key in params:
            raise ParameterError(f"parameter '{key}' is given more than once")
        params[key] = value
    return params, fmt


async def index(server: Server, request: Request) -> Response:
    return respond(json_reply({
        "sparql": "/sparql", "queries": "/api/queries", "openapi": "/api/openapi.json",
        "status": "/api/status", "findings": "/api/findings", "whatif": "/api/whatif",
        "entities": "/api/entities/{id}", "search": "/api/search?q=",
    }))


async def status(server: Server, request: Request) -> Response:
    info, pool, options = server.pool.info, server.pool, server.options
    return respond(json_reply({
        "triples": info.get("triples"), "graphs": len(info.get("graphs", [])),
        "store": info.get("generation"), "workers": len(pool.workers),
        "idle_workers": pool.idle, "timeouts": pool.timeouts,
        "replaced_workers": pool.replaced, "timeout_s": options.timeout,
        "row_limit": options.row_limit, "read_only": True,
        "network_isolated": bool(info.get("network_isolated")),
    }))


async def queries(server: Server, request: Request) -> Response:
    try:
        return respond(json_reply({"queries": [query_entry(q) for q in _queries(server)]}))
    except KGError as exc:
        return respond(json_error(500, str(exc)))


async def openapi(server: Server, request: Request) -> Response:
    try:
        doc = document(_queries(server), row_limit=server.options.row_limit,
                       timeout=server.options.timeout)
    except KGError as exc:
        return respond(json_error(500, str(exc)))
    return respond(json_reply(doc))


async def named_query(server: Server, request: Request) -> Response:
    """Validate as the CLI does (unknown, missing, mistyped parameters), then run in a worker."""
    options = server.options
    name = request.path_params["name"]
    try:
        named = get_query(options.settings, name)
        params, fmt_key = read_params(named, request.query_params.multi_items(),
                                      options.max_param)
        bind_params(named, params)  # the CLI's checks, before a worker is asked
        fmt = (formats.by_key(fmt_key, formats.TABLES) if fmt_key is not None
               else formats.negotiate(request.headers.get("accept"), formats.TABLES))
        reply = await server.pool.run(NamedQueryJob(name, tuple(params.items()), fmt.key))
    except QueryNotFoundError as exc:
        reply = json_error(404, str(exc))
    except Problem as exc:
        reply = json_error(exc.status, str(exc))
    except KGError as exc:
        reply = json_error(400, str(exc))
    return respond(reply, Vary="Accept")


Handler = Callable[[Server, Request], Awaitable[Response]]


def bound(handler: Handler, server: Server) -> Callable[[Request], Awaitable[Response]]:
    """A Starlette endpoint calling ``handler(server, request)``."""
    async def endpoint(request: Request) -> Response:
        return await handler(server, request)

    endpoint.__name__ = handler.__name__
    return endpoint


def routes(server: Server) -> list[Route]:
    return [
        Route("/api", bound(index, server)),
        Route("/api/status", bound(status, server)),
        Route("/api/queries", bound(queries, server)),
        Route("/api/openapi.json", bound(openapi, server)),
        Route("/api/queries/{name:path}", bound(named_query, server)),
    ]
