"""What a job hands back to the web layer, and the one error class of the server."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..errors import KGError


class Problem(KGError):
    """A request the server will not or cannot answer, with its HTTP status.

    The message is one line for the user (no traceback): ``str(problem)``.
    """

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class Reply:
    """An HTTP answer as plain data (picklable: it crosses the worker pipe)."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def text_error(status: int, message: str) -> Reply:
    """A one-line plain-text error (the SPARQL endpoint's form)."""
    return Reply(status, "text/plain; charset=utf-8", (message + "\n").encode())


def json_error(status: int, message: str) -> Reply:
    """A JSON error ``{"error": message, "status": status}`` (the API's form)."""
    body = json.dumps({"error": message, "status": status}, ensure_ascii=False).encode()
    return Reply(status, "application/json", body)
