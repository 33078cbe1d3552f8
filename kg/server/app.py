"""The ASGI application: route modules, security middleware, one-line errors."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import api, findings_api, pages, sparql
from .context import Server, respond
from .options import ServeOptions
from .pool import WorkerPool
from .replies import json_error, text_error
from .security import SecurityMiddleware
from .templating import error_page

# Each module's routes(server) is mounted; the HTML pages (pages) include the home page at /.
ROUTE_MODULES = (sparql, api, findings_api, pages)


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api"):
        return respond(json_error(status, message))
    if request.url.path.startswith("/sparql"):
        return respond(text_error(status, message))
    return respond(error_page(status, message))


async def http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 404:
        return _error(request, 404, f"no such page: {request.url.path}")
    if status == 405:
        return _error(request, 405, f"method {request.method} is not allowed here")
    detail = exc.detail if isinstance(exc, HTTPException) else "error"
    return _error(request, status, str(detail))


async def internal_error(request: Request, exc: Exception) -> Response:
    print(f"kg serve: {request.method} {request.url.path}: {type(exc).__name__}: {exc}",
          file=sys.stderr, flush=True)
    return _error(request, 500, f"internal error ({type(exc).__name__})")


def create_app(options: ServeOptions, pool: WorkerPool) -> Starlette:
    """The application over a started :class:`WorkerPool`."""
    server = Server(options, pool)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool.attach()
        yield

    routes: list[Route] = []
    for module in ROUTE_MODULES:
        routes += module.routes(server)
    return Starlette(
        routes=routes, lifespan=lifespan,
        middleware=[Middleware(SecurityMiddleware, options=options)],
        exception_handlers={HTTPException: http_error, Exception: internal_error},
    )
