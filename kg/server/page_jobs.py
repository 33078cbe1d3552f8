"""The jobs behind the HTML pages: each runs in a query worker (so the per-query timeout holds
for a page as for a SPARQL query), gathers what the page shows with the same code as the JSON
API, and renders its template there. Pictures are drawn there too (SVG, by kg.rendering).
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import KGError
from ..findings import Finding
from ..stores import read_graph
from .findings_api import SEVERITIES, EntityJob, FindingsJob, SearchJob, WhatIfJob
from .jobs import NamedQueryJob, WorkerContext
from .replies import Problem, Reply
from .templating import error_page, page

FOUNDATIONS = """
PREFIX kg: <https://w3id.org/kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?foundation (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?member) AS ?members)
       (COUNT(DISTINCT ?membership) AS ?memberships)
WHERE {
  ?foundation a kg:Foundation .
  OPTIONAL { ?foundation rdfs:label ?name }
  OPTIONAL { ?membership kg:foundation ?foundation ; kg:member ?member }
}
GROUP BY ?foundation ORDER BY DESC(?members) ?foundation
"""


def foundations(context: WorkerContext) -> list[dict[str, Any]]:
    rows = context.store.select(FOUNDATIONS).rows
    return [{"iri": str(r["foundation"]), "label": str(r.get("label") or r["foundation"]),
             "members": int(str(r.get("members") or 0)),
             "memberships": int(str(r.get("memberships") or 0))} for r in rows]


def _decoded(reply: Reply) -> Any:
    if reply.status != 200:
        raise Problem(reply.status, str(json.loads(reply.body).get("error", "error")))
    return json.loads(reply.body)


class PageJob:
    """How every page job fails: an HTML page with the message."""

    def fail(self, status: int, message: str) -> Reply:
        return error_page(status, message)


@dataclass(frozen=True)
class HomeJob(PageJob):
    top: int = 5

    def run(self, context: WorkerContext) -> Reply:
        found = FindingsJob().findings(context)
        per: dict[str, int] = defaultdict(int)
        for one in found:
            per[one.foundation] += 1
        known = foundations(context)
        for row in known:
            row["findings"] = per.get(row["iri"], 0)
        return page("home.html", title="kg", foundations=known, findings=found[:self.top],
                    total=len(found))


@dataclass(frozen=True)
class FindingsPageJob(PageJob):
    filters: FindingsJob = field(default_factory=FindingsJob)

    def run(self, context: WorkerContext) -> Reply:
        from ..conflicts import patterns

        found = self.filters.findings(context)
        return page("findings.html", title="Findings", findings=found, filters=self.filters,
                    foundations=foundations(context), patterns=patterns(context.settings),
                    severities=SEVERITIES)


def spans(numbers: list[int], total: int) -> str:
    """Chain numbers as short text.

    >>> spans([1, 2, 3, 5, 7, 8], 9), spans([1, 2, 3], 3), spans([4], 9)
    ('1–3, 5, 7–8', 'all', '4')
    """
    if total > 1 and len(numbers) == total:
        return "all"
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def finding_facts(finding: Finding) -> list[dict[str, Any]]:
    """The evidence rows with the chains each one belongs to."""
    where: dict[str, list[int]] = defaultdict(list)
    for n, chain in enumerate(finding.chains, 1):
        for fact in chain.facts:
            where[fact].append(n)
    return [{"e": e, "chains": spans(where.get(e.fact, []), len(finding.chains))}
            for e in finding.evidence]


@dataclass(frozen=True)
class FindingPageJob(PageJob):
    finding: str

    def run(self, context: WorkerContext) -> Reply:
        (found,) = FindingsJob(finding=self.finding).findings(context)
        return page("finding.html", title=found.headline, f=found, rows=finding_facts(found))


def _group(facts: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Profile rows grouped by the kind of fact, one entry per fact with all its sources."""
    groups: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in facts:
        kind = str(row.get("fact_type") or "Fact").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        entry = groups[kind].setdefault(str(row.get("fact")), {**row, "sources": []})
        source = (row.get("source_url"), row.get("source_title"))
        if source[0] and source not in entry["sources"]:
            entry["sources"].append(source)
    return sorted((kind, list(rows.values())) for kind, rows in groups.items())


@dataclass(frozen=True)
class EntityPageJob(PageJob):
    entity: str
    limit: int = 20

    def run(self, context: WorkerContext) -> Reply:
        data = _decoded(EntityJob(self.entity).run(context))
        return page("entity.html", title=data["label"], entity=data,
                    groups=_group(data["facts"]), limit=self.limit)


@dataclass(frozen=True)
class SearchPageJob(PageJob):
    q: str

    def run(self, context: WorkerContext) -> Reply:
        data = _decoded(SearchJob(self.q).run(context)) if self.q else {"results": []}
        return page("search.html", title="Search", q=self.q, results=data["results"])


@dataclass(frozen=True)
class WhatIfPageJob(PageJob):
    organization: str = ""
    tier: str = ""
    foundation: str = "openstack-foundation"
    join_date: str = ""
    error: str | None = None

    def run(self, context: WorkerContext) -> Reply:
        found: list[Any] | None = None
        status, error = 200, self.error
        if error is None and self.organization and self.tier:
            job = WhatIfJob(self.organization, self.tier, self.foundation,
                            self.join_date or date.today().isoformat())
            try:
                found = _decoded(job.run(context))["findings"]
            except KGError as exc:
                status, error = getattr(exc, "status", 400), str(exc)
        return page("whatif.html", status if error else 200, title="What if", form=self,
                    findings=found, error=error, foundations=foundations(context))


@dataclass(frozen=True)
class QueriesPageJob(PageJob):
    """Every named query as a form; with ``name``, that query's results as a table."""

    name: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    error: str | None = None

    def run(self, context: WorkerContext) -> Reply:
        from ..queries import list_queries

        queries = list_queries(context.settings)
        result, error = None, self.error
        if self.name is not None and error is None:
            try:
                result = _decoded(NamedQueryJob(self.name, self.params).run(context))
            except KGError as exc:
                error = str(exc)
        return page("queries.html", 400 if error else 200, title="Queries", queries=queries,
                    chosen=self.name, values=dict(self.params), result=result, error=error)


_GRAPHS: dict[str, Any] = {}


def _graph(context: WorkerContext) -> Any:
    """The store as an rdflib graph, made once per worker (the store never changes under it)."""
    key = str(context.store.path)
    if key not in _GRAPHS:
        _GRAPHS.clear()
        _GRAPHS[key] = read_graph(context.store)
    return _GRAPHS[key]


@dataclass(frozen=True)
class PictureJob:
    """A finding's evidence chains or an entity's neighbourhood, or the timeline of either
    (:mod:`kg.rendering.timeline`, from the store itself), as SVG."""

    kind: str  # "finding" | "entity" | "finding-timeline" | "entity-timeline"
    id: str
    limit: int = 20

    def fail(self, status: int, message: str) -> Reply:
        return error_page(status, message)

    def _timeline(self, context: WorkerContext, out: Path) -> None:
        from ..entities import check_entity, entities
        from ..rendering.timeline import draw_entity_timeline, draw_finding_timeline

        if self.kind == "finding-timeline":
            (found,) = FindingsJob(finding=self.id).findings(context)
            draw_finding_timeline(context.store, context.settings, found, out)
            return
        try:
            iri = check_entity(context.store, context.settings, self.id)
        except KGError as exc:
            raise Problem(404, str(exc)) from exc
        (entity,) = entities(context.store, context.settings, iri)
        draw_entity_timeline(context.store, context.settings, iri, entity.label, out)

    def run(self, context: WorkerContext) -> Reply:
        from ..entities import check_entity
        from ..rendering import draw_entity, draw_finding

        with tempfile.TemporaryDirectory(prefix="kg-svg-") as folder:
            out = Path(folder) / "picture.svg"
            if self.kind.endswith("-timeline"):
                self._timeline(context, out)
            elif self.kind == "finding":
                graph = _graph(context)
                (found,) = FindingsJob(finding=self.id).findings(context)
                draw_finding(found, out, graph=graph)
            else:
                try:
                    iri = check_entity(context.store, context.settings, self.id)
                except KGError as exc:
                    raise Problem(404, str(exc)) from exc
                draw_entity(_graph(context), iri, out, limit=self.limit)
            body = out.read_bytes()
        return Reply(200, "image/svg+xml", body, {
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
            "Cache-Control": "max-age=300"})


__all__ = ["EntityPageJob", "FindingPageJob", "FindingsPageJob", "HomeJob", "PictureJob",
           "QueriesPageJob", "SearchPageJob", "WhatIfPageJob"]
