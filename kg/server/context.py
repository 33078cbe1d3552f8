"""What every route module is handed: the options, the worker pool, and how answers go out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response

from .options import ServeOptions
from .pool import WorkerPool
from .replies import Reply


@dataclass
class Server:
    """One running server (built by :func:`kg.server.app.create_app`)."""

    options: ServeOptions
    pool: WorkerPool
    cache: dict[Any, Any] = field(default_factory=dict)


def respond(reply: Reply, **headers: str) -> Response:
    """A Starlette response from a :class:`Reply` (the one place they meet)."""
    return Response(reply.body, status_code=reply.status, media_type=reply.media_type,
                    headers={**reply.headers, **headers})
