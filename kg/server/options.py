"""The settings of one server: where the store is and the limits it enforces."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings

DEFAULT_TIMEOUT = 5.0
DEFAULT_ROW_LIMIT = 10_000
DEFAULT_WORKERS = 3


@dataclass(frozen=True)
class ServeOptions:
    """What ``kg serve`` was asked for. Limits are enforced per request."""

    settings: Settings
    store_path: Path                    # the persistent store (a 'kg build' symlink)
    timeout: float = DEFAULT_TIMEOUT    # seconds a query may run before its worker is killed
    row_limit: int = DEFAULT_ROW_LIMIT  # rows (or triples) in one answer; more are cut, and said
    workers: int = DEFAULT_WORKERS      # query processes
    max_body: int = 256 * 1024          # bytes in a request body
    max_url: int = 16 * 1024            # characters in path + query string
    max_query: int = 100_000            # characters in a SPARQL query
    max_param: int = 1_000              # characters in one named-query parameter value
    max_graphs: int = 100               # default-graph-uri / named-graph-uri values
    max_waiting: int = 500              # requests queued for a worker before 503
    isolate_network: bool = True        # workers drop their network access where possible
    warm_findings: bool = True          # each worker finds the conflicts once before serving


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1).

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
