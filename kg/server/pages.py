"""The web app: server-rendered HTML pages that work without JavaScript (the only script is
the SPARQL editor's, at ``/sparql/editor``, whose page has a plain form as well).

Routes: ``/`` (foundations, top findings, search box), ``/findings`` (GET-form filters: as_of,
foundation, pattern, severity), ``/findings/{id}``, ``/entities/{id}``, ``/whatif``,
``/search?q=``, ``/queries`` and ``/queries/{name}``; the pictures at
``/pictures/findings/{id}.svg`` and ``/pictures/entities/{id}.svg``, their timelines at
``/pictures/timelines/findings/{id}.svg`` and ``/pictures/timelines/entities/{id}.svg``; the
stylesheet at ``/static/style.css`` (a fixed name: nothing is read from a path in the URL).

A picture may run for ``PICTURE_TIMES`` query timeouts (drawing takes seconds); every other
page has the query timeout. Parameters are checked here with the API's rules; each page is
gathered and rendered by a job in a query worker (:mod:`.page_jobs`). Errors are HTML pages
with the CLI's message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from importlib.resources import files

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..errors import KGError, ParameterError, QueryNotFoundError
from .api import bound, read_params
from .context import Server, respond
from .findings_api import _day, _filters, _param
from .page_jobs import (
    EntityPageJob,
    FindingPageJob,
    FindingsPageJob,
    HomeJob,
    PageJob,
    PictureJob,
    QueriesPageJob,
    SearchPageJob,
    WhatIfPageJob,
)
from .replies import Problem, Reply
from .templating import PAGE_CSP, error_page, page

# the files served under /static/: (folder of the package, media type) by URL path; a fixed
# list, so no path from the URL is ever opened
STATIC = {
    "style.css": ("templates/style.css", "text/css; charset=utf-8"),
    "favicon.svg": ("templates/favicon.svg", "image/svg+xml"),
    "sparql-editor.js": ("static/sparql-editor.js", "text/javascript; charset=utf-8"),
    "yasgui/yasgui.min.js": ("static/yasgui/yasgui.min.js", "text/javascript; charset=utf-8"),
    "yasgui/yasgui.min.css": ("static/yasgui/yasgui.min.css", "text/css; charset=utf-8"),
}
YASGUI_VERSION = "@zazuko/yasgui 4.6.2"  # see kg/server/static/yasgui/README.md
# the editor's page runs the vendored scripts and sends queries to this server only. Beyond
# the pages' policy: YASGUI's results table adds one fixed <style> element (its column
# resizer's rules, allowed by their hash), and its stylesheet embeds images as data: URLs
YASGUI_STYLE = "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='"
EDITOR_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; "
              f"style-src-elem 'self' {YASGUI_STYLE}; img-src 'self' data:; "
              "font-src 'self' data:; connect-src 'self'; form-action 'self'; "
              "frame-ancestors 'none'; base-uri 'none'")
EDITOR_QUERY = "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"


PICTURE_TIMES = 3  # a picture may take this many query timeouts (matplotlib, the first graph)


async def _page(server: Server, make: Callable[[], PageJob | PictureJob],
                timeout: float | None = None) -> Response:
    try:
        reply = await server.pool.run(make(), timeout=timeout)  # type: ignore[arg-type]
    except Problem as exc:
        reply = error_page(exc.status, str(exc))
    except KGError as exc:
        reply = error_page(400, str(exc))
    return respond(reply)


async def home(server: Server, request: Request) -> Response:
    return await _page(server, HomeJob)


async def findings(server: Server, request: Request) -> Response:
    def make() -> FindingsPageJob:
        chosen = _filters(server, request)  # an empty choice of the form is no filter
        return FindingsPageJob(replace(chosen, patterns=tuple(p for p in chosen.patterns if p)))
    return await _page(server, make)


async def finding(server: Server, request: Request) -> Response:
    return await _page(server, lambda: FindingPageJob(request.path_params["id"]))


async def entity(server: Server, request: Request) -> Response:
    return await _page(server, lambda: EntityPageJob(request.path_params["id"]))


async def search(server: Server, request: Request) -> Response:
    return await _page(server, lambda: SearchPageJob((_param(request, "q", server) or "").strip()))


async def whatif(server: Server, request: Request) -> Response:
    def make() -> WhatIfPageJob:
        get = {k: _param(request, k, server) or ""
               for k in ("organization", "tier", "foundation", "join_date")}
        try:
            join = _day(get["join_date"], "join_date") or ""
        except ParameterError as exc:
            return WhatIfPageJob(get["organization"], get["tier"],
                                 get["foundation"] or "openstack-foundation",
                                 get["join_date"], error=str(exc))
        return WhatIfPageJob(get["organization"], get["tier"],
                             get["foundation"] or "openstack-foundation", join)
    return await _page(server, make)


async def queries(server: Server, request: Request) -> Response:
    return await _page(server, QueriesPageJob)


async def named_query(server: Server, request: Request) -> Response:
    from ..queries import bind_params, get_query

    def make() -> QueriesPageJob:
        name = request.path_params["name"]
        try:
            named = get_query(server.options.settings, name)
            params, _ = read_params(named, request.query_params.multi_items(),
                                    server.options.max_param)
            # an empty field of the form is a parameter left to its default
            params = {k: v for k, v in params.items() if v != ""}
            bind_params(named, params)
        except QueryNotFoundError as exc:
            raise Problem(404, str(exc)) from exc
        except KGError as exc:
            return QueriesPageJob(name, tuple(request.query_params.multi_items()), str(exc))
        return QueriesPageJob(name, tuple(params.items()))
    return await _page(server, make)


async def finding_picture(server: Server, request: Request) -> Response:
    ident = request.path_params["id"].removesuffix(".svg")
    return await _page(server, lambda: PictureJob("finding", ident),
                       PICTURE_TIMES * server.options.timeout)


async def entity_picture(server: Server, request: Request) -> Response:
    ident = request.path_params["id"].removesuffix(".svg")
    return await _page(server, lambda: PictureJob("entity", ident),
                       PICTURE_TIMES * server.options.timeout)


async def finding_timeline(server: Server, request: Request) -> Response:
    ident = request.path_params["id"].removesuffix(".svg")
    return await _page(server, lambda: PictureJob("finding-timeline", ident),
                       PICTURE_TIMES * server.options.timeout)


async def entity_timeline(server: Server, request: Request) -> Response:
    ident = request.path_params["id"].removesuffix(".svg")
    return await _page(server, lambda: PictureJob("entity-timeline", ident),
                       PICTURE_TIMES * server.options.timeout)


async def static(server: Server, request: Request) -> Response:
    name = request.url.path.removeprefix("/static/")
    if name not in STATIC:  # a fixed list: no path from the URL is ever opened
        return respond(error_page(404, f"no such page: {request.url.path}"))
    where, kind = STATIC[name]
    body = files("kg.server").joinpath(*where.split("/")).read_bytes()
    return respond(Reply(200, kind, body, {"Cache-Control": "max-age=300",
                                           "Content-Security-Policy": PAGE_CSP}))


async def sparql_editor(server: Server, request: Request) -> Response:
    """YASGUI over /sparql, and a plain form for a browser without JavaScript."""
    reply = page("sparql_editor.html", title="SPARQL editor", query=EDITOR_QUERY,
                 version=YASGUI_VERSION, timeout=server.options.timeout,
                 row_limit=server.options.row_limit)
    return respond(replace(reply, headers={**reply.headers, "Content-Security-Policy":
                                           EDITOR_CSP}))


def routes(server: Server) -> list[Route]:
    return [
        Route("/", bound(home, server)),
        Route("/findings", bound(findings, server)),
        Route("/findings/{id:path}", bound(finding, server)),
        Route("/entities/{id:path}", bound(entity, server)),
        Route("/search", bound(search, server)),
        Route("/whatif", bound(whatif, server)),
        Route("/queries", bound(queries, server)),
        Route("/queries/{name:path}", bound(named_query, server)),
        Route("/pictures/timelines/findings/{id:path}", bound(finding_timeline, server)),
        Route("/pictures/timelines/entities/{id:path}", bound(entity_timeline, server)),
        Route("/pictures/findings/{id:path}", bound(finding_picture, server)),
        Route("/pictures/entities/{id:path}", bound(entity_picture, server)),
        Route("/sparql/editor", bound(sparql_editor, server)),
        Route("/static/{name}", bound(static, server)),
        Route("/static/yasgui/{name}", bound(static, server)),
    ]
