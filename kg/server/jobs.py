"""Work done inside a worker process, on the store it holds open read-only.

A job is a small picklable object with ``run(context) -> Reply`` and ``fail(status, message)
-> Reply`` (how its errors look: plain text on the SPARQL endpoint, JSON on the API). New
routes (findings, what-if) add their job here or beside it and send it with
``WorkerPool.run``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import Graph

from ..config import Settings
from ..errors import KGError, QueryNotFoundError
from ..output import plain, rows_to_csv
from ..queries import get_query, run_query
from ..stores.oxigraph_store import OxigraphStore
from . import formats, guard, results
from .replies import Problem, Reply, json_error, text_error


@dataclass
class WorkerContext:
    """What a worker holds: the store, the project settings and the row limit."""

    store: OxigraphStore
    settings: Settings
    row_limit: int


class Job(Protocol):
    def run(self, context: WorkerContext) -> Reply: ...

    def fail(self, status: int, message: str) -> Reply: ...


@dataclass(frozen=True)
class SparqlJob:
    """A query of the SPARQL 1.1 Protocol, with the dataset the request named."""

    query: str
    accept: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def fail(self, status: int, message: str) -> Reply:
        return text_error(status, message)

    def dataset(self) -> dict[str, Any]:
        """The protocol's dataset, else the query's own FROM, else the union of all graphs
        (kg keeps every file in a named graph; the store's default graph is empty)."""
        if self.default_graphs or self.named_graphs:
            return {"default_graph": [ox.NamedNode(g) for g in self.default_graphs],
                    "named_graphs": [ox.NamedNode(g) for g in self.named_graphs]}
        if guard.has_dataset_clause(self.query):
            return {}
        return {"use_default_graph_as_union": True}

    def run(self, context: WorkerContext) -> Reply:
        guard.refuse_service(self.query)
        try:
            answer = context.store.store.query(self.query, **self.dataset())
        except SyntaxError as exc:
            raise guard.syntax_problem(self.query, str(exc)) from exc
        except (OSError, ValueError) as exc:
            raise Problem(500, f"the query failed: {' '.join(str(exc).split())}") from exc
        if isinstance(answer, ox.QuerySolutions):
            fmt = formats.negotiate(self.accept, formats.RESULTS)
            return results.select_reply(answer, fmt, context.row_limit)
        if isinstance(answer, ox.QueryBoolean):
            fmt = formats.negotiate(self.accept, formats.RESULTS)
            return results.boolean_reply(bool(answer), fmt, context.row_limit)
        fmt = formats.negotiate(self.accept, formats.RDF)
        return results.triples_reply(answer, fmt, context.row_limit)


@dataclass(frozen=True)
class NamedQueryJob:
    """A named query run exactly as ``kg query NAME -p …`` runs it (``kg.queries.run_query``:
    parameters typed and bound, never pasted)."""

    name: str
    params: tuple[tuple[str, str], ...] = ()
    fmt: str = "json"

    def fail(self, status: int, message: str) -> Reply:
        return json_error(status, message)

    def run(self, context: WorkerContext) -> Reply:
        try:
            named = get_query(context.settings, self.name)
        except QueryNotFoundError as exc:
            raise Problem(404, str(exc)) from exc
        guard.refuse_service(named.text)
        result = run_query(context.store, named, dict(self.params))
        limit = context.row_limit
        if isinstance(result, bool):
            body = json.dumps({"query": self.name, "boolean": result}).encode()
            return Reply(200, "application/json", body, results.limit_headers(False, limit))
        if isinstance(result, Graph):
            cut = len(result) > limit
            text = result.serialize(format="turtle") if not cut else _first_triples(result, limit)
            return Reply(200, "text/turtle; charset=utf-8", text.encode(),
                         results.limit_headers(cut, limit))
        rows, truncated = result.rows[:limit], len(result.rows) > limit
        headers = results.limit_headers(truncated, limit)
        if self.fmt == "csv":
            return Reply(200, "text/csv; charset=utf-8",
                         rows_to_csv(result.columns, rows).encode(), headers)
        doc = {"query": self.name, "columns": result.columns,
               "rows": [{c: plain(r.get(c)) for c in result.columns} for r in rows],
               "truncated": truncated, "row_limit": limit}
        return Reply(200, "application/json",
                     json.dumps(doc, ensure_ascii=False, default=str).encode(), headers)


def _first_triples(graph: Graph, limit: int) -> str:
    cut = Graph()
    for i, triple in enumerate(sorted(graph)):
        if i == limit:
            break
        cut.add(triple)
    note = f"# truncated: the answer was cut at the row limit of {limit} triples\n"
    return note + cut.serialize(format="turtle")


def execute(job: Job, context: WorkerContext) -> Reply:
    """Run a job; every error becomes the job's one-line error reply, never a traceback."""
    try:
        return job.run(context)
    except Problem as exc:
        return job.fail(exc.status, str(exc))
    except KGError as exc:
        return job.fail(400, str(exc))
