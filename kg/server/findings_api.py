"""The findings API: ``/api/findings`` (filters: as_of, foundation, pattern, severity, window),
``/api/findings/{id}``, ``/api/whatif``, ``/api/entities/{id}`` and ``/api/search?q=``.

Each request is validated here with the CLI's rules (dates as YYYY-MM-DD, a known severity, a
window of 0 days or more) and answered by a job in a query worker, so a slow scan is stopped by
the same timeout as a SPARQL query. Errors are JSON with the CLI's message; an unknown
finding, foundation or entity names the nearest IDs, as on the command line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..errors import KGError, ParameterError
from ..findings import Finding
from ..findings_output import findings_csv
from .api import bound
from .context import Server, respond
from .jobs import WorkerContext
from .replies import Problem, Reply, json_error

SEVERITIES = ("high", "medium", "low")


def _json(data: Any) -> Reply:
    return Reply(200, "application/json",
                 json.dumps(data, ensure_ascii=False, indent=1).encode())


def _day(value: str | None, name: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        date.fromisoformat(str(value))
    except ValueError:
        raise ParameterError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None
    if len(str(value)) != 10:
        raise ParameterError(f"{name}: {value!r} is not a date (YYYY-MM-DD)")
    return str(value)


def _window(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    if not str(value).isdigit() or len(str(value)) > 6:
        raise ParameterError(f"window: {value!r} is not a number of days")
    return int(str(value))


def _not_found(exc: KGError) -> Problem:
    text = str(exc)
    return Problem(404 if text.startswith(("unknown", "no finding")) else 400, text)


# The findings a worker has computed, by (store, foundation, as of, patterns, window): the
# store never changes under a worker, and the home, findings, finding and entity pages and the
# API all start from the same scan (1 s on the curated graph, 3 s at 1M triples).
_FOUND: dict[tuple[Any, ...], list[Finding]] = {}
FOUND_CACHE = 16


@dataclass(frozen=True)
class FindingsJob:
    """``kg conflicts`` with the same options, in a worker."""

    as_of: str | None = None
    foundation: str | None = None
    patterns: tuple[str, ...] = ()
    severity: str | None = None
    window: int | None = None
    finding: str | None = None
    fmt: str = "json"

    def fail(self, status: int, message: str) -> Reply:
        return json_error(status, message)

    def findings(self, context: WorkerContext) -> list[Finding]:
        from ..conflicts import find_conflicts, find_finding

        try:
            key = (str(context.store.path), self.foundation, self.as_of or date.today(),
                   self.patterns, self.window)
            found = _FOUND.get(key)
            if found is None:
                found = find_conflicts(
                    context.store, context.settings, foundation=self.foundation,
                    as_of=date.fromisoformat(self.as_of) if self.as_of else None,
                    patterns=list(self.patterns) or None, window=self.window)
                if len(_FOUND) >= FOUND_CACHE:
                    _FOUND.pop(next(iter(_FOUND)))
                _FOUND[key] = found
            if self.severity:
                found = [f for f in found if f.severity == self.severity]
            if self.finding is not None:
                found = [find_finding(found, self.finding)]
        except KGError as exc:
            raise _not_found(exc) from exc
        return found

    def run(self, context: WorkerContext) -> Reply:
        found = self.findings(context)
        if self.fmt == "csv":
            return Reply(200, "text/csv; charset=utf-8", findings_csv(found).encode())
        if self.finding is not None:
            return _json(found[0].to_dict())
        return _json({"as_of": self.as_of, "count": len(found),
                      "findings": [f.to_dict() for f in found]})


@dataclass(frozen=True)
class WhatIfJob:
    """``kg conflicts --what-if``: the findings a membership would create."""

    organization: str
    tier: str
    foundation: str
    join_date: str
    as_of: str | None = None
    window: int | None = None

    def fail(self, status: int, message: str) -> Reply:
        return json_error(status, message)

    def run(self, context: WorkerContext) -> Reply:
        from ..entities import check_entity
        from ..whatif import what_if

        try:
            check_entity(context.store, context.settings, self.organization)
            found = what_if(context.store, context.settings, organization=self.organization,
                            foundation=self.foundation, tier=self.tier,
                            join_date=date.fromisoformat(self.join_date),
                            as_of=date.fromisoformat(self.as_of) if self.as_of else None,
                            window=self.window)
        except KGError as exc:
            raise _not_found(exc) from exc
        return _json({"organization": self.organization, "foundation": self.foundation,
                      "tier": self.tier, "join_date": self.join_date, "count": len(found),
                      "findings": [f.to_dict() for f in found]})


@dataclass(frozen=True)
class EntityJob:
    """An entity's profile (``kg profile``) and the findings that name it."""

    entity: str

    def fail(self, status: int, message: str) -> Reply:
        return json_error(status, message)

    def run(self, context: WorkerContext) -> Reply:
        from ..entities import check_entity, entities
        from ..output import plain
        from ..queries import get_query, select

        try:
            iri = check_entity(context.store, context.settings, self.entity)
        except KGError as exc:
            raise _not_found(exc) from exc
        (found,) = entities(context.store, context.settings, iri)
        profile = select(context.store, get_query(context.settings, "entity-profile"),
                         {"entity": iri})
        named = [f for f in FindingsJob().findings(context) if iri in f.parties]
        return _json({
            "id": found.id, "iri": iri, "label": found.label, "kinds": list(found.kinds),
            "aliases": list(found.aliases),
            "facts": [{c: plain(r.get(c)) for c in profile.columns} for r in profile.rows],
            "findings": [{"id": f.id, "severity": f.severity, "score": f.score,
                          "headline": f.headline, "role": "party" if f.party == iri
                          else "intermediary" if iri in f.intermediaries else "counterparty"}
                         for f in named],
        })


@dataclass(frozen=True)
class SearchJob:
    """Entities whose ID, label or alias matches ``q``, nearest first."""

    q: str
    limit: int = 20

    def fail(self, status: int, message: str) -> Reply:
        return json_error(status, message)

    def run(self, context: WorkerContext) -> Reply:
        from ..entities import entities, nearest

        known = entities(context.store, context.settings)
        text = self.q.lower()

        def rank(e: Any) -> tuple[int, int, str]:
            names = [e.id.lower(), e.label.lower(), *(a.lower() for a in e.aliases)]
            best = min(0 if n == text else 1 if n.startswith(text) else 2 for n in names)
            return best, len(e.label), e.id

        hits = sorted((e for e in known if text in e.id.lower() or text in e.label.lower()
                       or any(text in a.lower() for a in e.aliases)), key=rank)
        for entity in nearest(self.q, known, n=self.limit):
            if entity not in hits:
                hits.append(entity)
        return _json({"q": self.q, "results": [
            {"id": e.id, "iri": e.iri, "label": e.label, "kinds": list(e.kinds),
             "aliases": list(e.aliases), "url": f"/api/entities/{e.id}"}
            for e in hits[:self.limit]]})


def _param(request: Request, name: str, server: Server) -> str | None:
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise ParameterError(f"parameter '{name}' is given more than once")
    value = values[0] if values else None
    if value is not None and len(value) > server.options.max_param:
        raise ParameterError(f"parameter '{name}' is too long ({len(value)} characters; the "
                             f"limit is {server.options.max_param})")
    return value


async def _run(server: Server, make: Any) -> Response:
    try:
        reply = await server.pool.run(make())
    except Problem as exc:
        reply = json_error(exc.status, str(exc))
    except KGError as exc:
        reply = json_error(400, str(exc))
    return respond(reply)


def _filters(server: Server, request: Request, finding: str | None = None) -> FindingsJob:
    severity = _param(request, "severity", server)
    if severity not in (None, "", *SEVERITIES):
        raise ParameterError(f"severity: {severity!r} is not one of {', '.join(SEVERITIES)}")
    fmt = _param(request, "format", server) or "json"
    if fmt not in ("json", "csv"):
        raise ParameterError(f"format: {fmt!r} is not json or csv")
    patterns = tuple(request.query_params.getlist("pattern"))
    return FindingsJob(as_of=_day(_param(request, "as_of", server), "as_of"),
                       foundation=_param(request, "foundation", server) or None,
                       patterns=patterns, severity=severity or None,
                       window=_window(_param(request, "window", server)), finding=finding,
                       fmt=fmt)


async def findings(server: Server, request: Request) -> Response:
    return await _run(server, lambda: _filters(server, request))


async def finding(server: Server, request: Request) -> Response:
    return await _run(server, lambda: _filters(server, request, request.path_params["id"]))


async def whatif(server: Server, request: Request) -> Response:
    def make() -> WhatIfJob:
        org, tier = _param(request, "organization", server), _param(request, "tier", server)
        if not org or not tier:
            raise ParameterError("what-if needs 'organization' and 'tier'")
        return WhatIfJob(
            organization=org, tier=tier,
            foundation=_param(request, "foundation", server) or "openstack-foundation",
            join_date=_day(_param(request, "join_date", server), "join_date")
            or date.today().isoformat(),
            as_of=_day(_param(request, "as_of", server), "as_of"),
            window=_window(_param(request, "window", server)))
    return await _run(server, make)


async def entity(server: Server, request: Request) -> Response:
    return await _run(server, lambda: EntityJob(request.path_params["id"]))


async def search(server: Server, request: Request) -> Response:
    def make() -> SearchJob:
        q = _param(request, "q", server)
        if not q or not q.strip():
            raise ParameterError("search needs a non-empty 'q'")
        return SearchJob(q.strip())
    return await _run(server, make)


def routes(server: Server) -> list[Route]:
    return [
        Route("/api/findings", bound(findings, server)),
        Route("/api/findings/{id:path}", bound(finding, server)),
        Route("/api/whatif", bound(whatif, server)),
        Route("/api/entities/{id:path}", bound(entity, server)),
        Route("/api/search", bound(search, server)),
    ]


__all__ = ["EntityJob", "FindingsJob", "SearchJob", "WhatIfJob", "routes"]
