"""The SPARQL 1.1 Protocol endpoint: ``/sparql`` (query operation only; read-only)."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import description, formats
from .context import Server, respond
from .jobs import SparqlJob
from .protocol import parse_request
from .replies import Problem, Reply, text_error

HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")


def endpoint_iri(request: Request) -> str:
    """This endpoint's IRI, from the request when its Host is plausible, else loopback."""
    host = request.headers.get("host", "")
    scheme = "https" if request.url.scheme == "https" else "http"
    if not HOST.fullmatch(host):
        host = "127.0.0.1"
    return f"{scheme}://{host}/sparql"


def service_description(server: Server, request: Request) -> Reply:
    fmt = formats.negotiate(request.headers.get("accept"), formats.RDF)
    iri = endpoint_iri(request)
    key = ("sd", iri, fmt.key)
    body = server.cache.get(key)
    if body is None:
        info = server.pool.info
        graph = description.describe(iri, info.get("graphs", []), int(info.get("triples", 0)),
                                     server.options)
        body = server.cache[key] = description.serialize(graph, fmt)
    return Reply(200, f"{fmt.media_type}; charset=utf-8", body)


def routes(server: Server) -> list[Route]:
    async def sparql(request: Request) -> Response:
        body = await request.body() if request.method == "POST" else b""
        try:
            req = parse_request(request.method, request.headers.get("content-type"),
                                request.query_params.multi_items(), body, server.options)
            if req.query is None:
                reply = service_description(server, request)
            else:
                job = SparqlJob(req.query, request.headers.get("accept"), req.default_graphs,
                                req.named_graphs)
                reply = await server.pool.run(job)
        except Problem as exc:
            reply = text_error(exc.status, str(exc))
        return respond(reply, Vary="Accept")

    return [Route("/sparql", sparql, methods=["GET", "POST"])]
