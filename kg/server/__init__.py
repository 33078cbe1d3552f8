"""``kg serve``: a read-only SPARQL 1.1 endpoint and an API of named queries, on one
persistent store. This package is the only place that imports the web framework (Starlette,
served by uvicorn: the optional extra ``serve``).

How a request is answered::

    client ──HTTP──▶ uvicorn ─▶ app (Starlette; security, limits, routes)
                                 │  parses the protocol, validates named-query parameters
                                 ▼
                        WorkerPool (pool.py) ──pipe──▶ worker processes (worker.py)
                                                        each holds the store open READ-ONLY,
                                                        runs one job at a time (jobs.py),
                                                        and serializes the answer (results.py)

Why processes: pyoxigraph cannot interrupt a running query, so a query past its timeout is
stopped by killing the worker that runs it (SIGKILL) and starting another; the other workers
keep serving. RocksDB lets several processes open one store read-only.

Read-only by construction: workers open the store read-only and call only
``pyoxigraph.Store.query``, which parses queries, never updates. A text that parses as an update
is refused with a message naming its operations (guard.py), and so is every ``SERVICE``; the
workers also drop their network access at start where the kernel lets them (a network namespace
of their own), so no request leaves the server even through a bug in that check.

Modules: ``options`` (settings of a server), ``replies`` (what a job returns; the one error
class), ``guard`` (read-only and SERVICE checks), ``formats`` (media types, negotiation),
``results`` (serializers with the row limit), ``jobs`` (work done inside a worker), ``worker``,
``forkserver`` and ``pool`` (the processes), ``context`` (what the routes share), ``protocol``
(the SPARQL 1.1 Protocol's request forms), ``description`` (the service description),
``openapi``, ``security`` (limits and headers), ``sparql`` and ``api`` (the routes), ``app``
(assembly) and ``run`` (start-up).

Extension points: a new route module exposes ``routes(server) -> list[Route]`` and is added to
``app.ROUTE_MODULES``; work that needs the store is a picklable job with a
``run(context) -> Reply`` method (see ``jobs.py``), sent with ``WorkerPool.run``.
"""

from __future__ import annotations

from .options import ServeOptions

__all__ = ["ServeOptions"]
