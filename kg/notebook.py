"""The few calls a notebook or a script starts from, each on the project's warm store.

In a notebook::

    import kg
    members = kg.query("members-by-tier", as_of="2015-06-30")  # a table; .records(), .to_pandas()
    findings = kg.list_findings(as_of="2016-06-30")             # a table of findings
    findings[0]                # the finding: its reasons, evidence and sources
    kg.picture(findings[0])    # its evidence chain, as SVG

Each call opens the store :func:`kg.warm.project_store` keeps up to date with the project's
files (milliseconds when nothing changed), answers, and closes it, so an edited data file is
seen by the next call. ``root`` is the project folder (default ``$KG_ROOT`` or the current
folder) or a :class:`~kg.config.Settings`. The results hold no store: rdflib terms, plain
values and pictures drawn on first display. (``kg.conflicts`` and ``kg.findings`` name
modules, so the findings come from :func:`list_findings`.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Settings
from .findings import Finding, Findings
from .stores import SelectResult, Store

if TYPE_CHECKING:
    from .rendering import Picture

Root = str | Path | Settings | None


def _settings(root: Root) -> Settings:
    from .project import require_project

    settings = root if isinstance(root, Settings) else Settings.from_env(root)
    require_project(settings)
    return settings


@contextmanager
def _opened(root: Root) -> Iterator[tuple[Settings, Store]]:
    from .warm import project_store

    settings = _settings(root)
    store = project_store(settings)
    try:
        yield settings, store
    finally:
        store.close()


def _day(value: date | str | None, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    from .errors import ParameterError

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ParameterError(f"{name}: {value!r} is not a date (use YYYY-MM-DD)") from None


def query(name: str, root: Root = None, **params: Any) -> SelectResult:
    """Run the named SELECT query ``queries/<name>.rq`` with ``params`` bound by their
    declared types (``as_of="2015-06-30"``, ``entity="symantec"``)."""
    from .queries import bind_params, get_query, select

    settings = _settings(root)
    named = get_query(settings, name)
    bind_params(named, params)  # a wrong parameter is told before the store is opened
    with _opened(settings) as (_, store):
        return select(store, named, params)


def list_findings(root: Root = None, *, foundation: str | None = None,
                  as_of: date | str | None = None, patterns: Iterable[str] | None = None,
                  window: int | None = None) -> Findings:
    """The conflict findings, highest first, as ``kg conflicts`` lists them (see
    :func:`kg.find_conflicts` for the options)."""
    from .conflicts import find_conflicts

    with _opened(root) as (settings, store):
        found = find_conflicts(store, settings, foundation=foundation,
                               as_of=_day(as_of, "as_of"),
                               patterns=None if patterns is None else list(patterns),
                               window=window)
    return Findings(found)


def picture(subject: Finding | str, root: Root = None, *, depth: int = 1, limit: int = 20,
            timeline: bool = False, as_of: date | str | None = None) -> Picture:
    """A finding's evidence chain, or an entity's neighbourhood (its ID, e.g. ``"symantec"``:
    at most ``limit`` relationships, 0 for all), as ``kg render`` draws them; with
    ``timeline`` their dates on one time axis instead. Shown by a notebook as SVG;
    ``.save("x.png")`` writes a file."""
    from . import rendering
    from .rendering import timeline as timelines
    from .stores import read_graph

    day = _day(as_of, "as_of")
    with _opened(root) as (settings, store):
        if isinstance(subject, Finding):
            if timeline:
                return timelines.finding_timeline_picture(store, settings, subject, as_of=day)
            return rendering.finding_picture(subject, graph=read_graph(store), as_of=day)
        from .entities import check_entity, entities

        iri = check_entity(store, settings, subject)
        if timeline:
            (found,) = entities(store, settings, iri)
            return timelines.entity_timeline_picture(store, settings, iri, found.label,
                                                     as_of=day)
        return rendering.entity_picture(read_graph(store), iri, depth, as_of=day,
                                        limit=limit or None)


__all__ = ["list_findings", "picture", "query"]
