"""Components, repositories and governance history of OpenStack, as RDF graphs.

``components.ttl`` gets the components, their repositories and every ``kg:Source``;
``governance-history.ttl`` gets the ``kg:ComponentStatus`` intervals and the deliverables that
projects.yaml marks deprecated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.errors import InputError
from kg.importers._openstack_inputs import Program, RawInputs
from kg.importers._turtle import (
    add_date,
    add_sourced,
    add_sources,
    date_literal,
    last_day,
    new_graph,
)
from kg.namespaces import KG, KGD

GITHUB = "https://github.com/"
CURATION = "data/raw/openstack-curation.yaml"


def repo_iri(repo: str) -> URIRef:
    """``openstack/nova`` → ``kgd:repo-openstack-nova``."""
    return KGD["repo-" + repo.replace("/", "-")]


def github_source_iri(inputs: RawInputs, repo: str) -> URIRef:
    """``kgd:src-github-openstack-nova-00a030403f67``: the repo's history at its snapshot."""
    commits = {snap.repo: snap.commit for snap in inputs.snapshots}
    if repo not in commits:
        raise InputError("data/raw/openstack/README.md", f"no snapshot row for {repo}")
    return KGD[f"src-github-{repo.replace('/', '-')}-{commits[repo]}"]


def component_codenames(inputs: RawInputs) -> tuple[str, ...]:
    """The components of the commit table, sorted."""
    return tuple(sorted({row.component for row in inputs.commits}))


def programs_by_component(inputs: RawInputs) -> dict[str, Program]:
    """The 2014 program of each component that has one (MagnetoDB has none)."""
    wanted = set(component_codenames(inputs))
    return {p.codename.lower(): p for p in inputs.programs
            if p.codename and p.codename.lower() in wanted}


def _source(inputs: RawInputs, key: str) -> URIRef:
    known = {spec["id"] for spec in inputs.curation["sources"]}
    if key not in known:
        raise InputError(CURATION, f"unknown source id {key!r}", field="sources")
    return KGD[key]


def build_components(inputs: RawInputs) -> Graph:
    """Components, repositories and the sources they and the other files cite."""
    graph = new_graph()
    add_sources(graph, inputs.curation["sources"], origin=CURATION)
    _add_github_sources(graph, inputs)
    programs = programs_by_component(inputs)
    governance = inputs.curation["governance"]
    magnetodb = inputs.curation["magnetodb"]
    program_source = _source(inputs, governance["programs_2014_source"])
    for codename in component_codenames(inputs):
        node = KGD[codename]
        program = programs.get(codename)
        if program is not None and program.codename:
            label, service, sources = program.codename, program.name, [program_source]
        elif codename == "magnetodb":
            label, service = magnetodb["label"], magnetodb["service"]
            sources = [_source(inputs, key) for key in magnetodb["official"]["sources"]]
        else:
            raise InputError(CURATION, f"component {codename!r} has no 2014 program and no entry")
        graph.add((node, RDF.type, KG.Component))
        graph.add((node, RDFS.label, Literal(label)))
        graph.add((node, KG.serviceName, Literal(service)))
        graph.add((node, KG.componentOf, KGD.openstack))
        add_sourced(graph, node, sources, KG.Confirmed)
    for repo, codename, sources in _repositories(inputs, program_source):
        _add_repository(graph, repo, codename, sources)
    return graph


def _add_github_sources(graph: Graph, inputs: RawInputs) -> None:
    counted = {row.repo for row in inputs.commits}
    described = {snap.repo for snap in inputs.snapshots}
    missing = sorted(counted - described)
    if missing:
        raise InputError("data/raw/openstack/README.md", f"no snapshot row for {missing}")
    add_sources(graph, [
        {"id": str(github_source_iri(inputs, s.repo)).removeprefix(str(KGD)),
         "url": GITHUB + s.repo,
         "title": f"{s.repo} git history, default branch, snapshot at commit {s.commit}",
         "publisher": "OpenStack (GitHub mirror)", "date": s.date, "kind": "GitHistory"}
        for s in inputs.snapshots if s.repo in counted
    ], origin="data/raw/openstack/README.md")


def _repositories(inputs: RawInputs, program_source: URIRef
                  ) -> Iterator[tuple[str, str, list[URIRef]]]:
    """(repo, component, sources) for the counted repos and the 2014 programs' other repos."""
    listed = {entry.repo: codename for codename, program in programs_by_component(inputs).items()
              for entry in program.repos}
    counted = {row.repo: row.component for row in inputs.commits}
    for repo in sorted(set(listed) | set(counted)):
        sources = []
        if repo in counted:
            sources.append(github_source_iri(inputs, repo))
        if repo in listed:
            sources.append(program_source)
        yield repo, counted.get(repo) or listed[repo], sources


def _add_repository(graph: Graph, repo: str, codename: str, sources: list[URIRef]) -> None:
    node = repo_iri(repo)
    graph.add((node, RDF.type, KG.Repository))
    graph.add((node, RDFS.label, Literal(repo)))
    graph.add((node, KG.repositoryOf, KGD[codename]))
    graph.add((node, KG.repositoryName, Literal(repo)))
    graph.add((node, KG.url, Literal(GITHUB + repo, datatype=XSD.anyURI)))
    add_sourced(graph, node, sources, KG.Confirmed)


@dataclass(frozen=True, slots=True)
class Status:
    """One ``kg:ComponentStatus`` interval, before it becomes triples."""

    component: str
    status: str                      # Incubated, Integrated, Official, Retired
    start: dt.date
    start_precision: str
    sources: tuple[URIRef, ...]
    note: str
    release: str | None = None
    end: dt.date | None = None
    end_precision: str = "day"
    end_status: URIRef | None = None  # kg:Ongoing or kg:EndUnknown when ``end`` is None
    last_confirmed: dt.date | None = None


def build_governance(inputs: RawInputs) -> Graph:
    """Status intervals of every component, and deprecated deliverables of their teams."""
    graph = new_graph()
    labels = {c: (p.codename or c) for c, p in programs_by_component(inputs).items()}
    labels["magnetodb"] = inputs.curation["magnetodb"]["label"]
    statuses = [*_release_statuses(inputs), *_official_statuses(inputs),
                *_magnetodb_statuses(inputs)]
    for status in statuses:
        _add_status(graph, status, labels.get(status.component, status.component))
    _add_deprecated(graph, inputs)
    return graph


def _release(inputs: RawInputs, key: str) -> dict[str, Any]:
    dates: dict[str, dict[str, Any]] = inputs.curation["releases"]["dates"]
    if key not in dates:
        raise InputError(CURATION, f"release {key!r} has no date", field="releases")
    return dates[key]


def _cycle_start(inputs: RawInputs, key: str) -> dict[str, Any]:
    """The start of release ``key``'s development cycle: the release before it (by date)."""
    release = _release(inputs, key)
    dates: dict[str, dict[str, Any]] = inputs.curation["releases"]["dates"]
    earlier = [r for r in dates.values() if r["date"] < release["date"]]
    if not earlier:
        raise InputError(CURATION, f"release {key!r} has no earlier release to start its cycle",
                         field="releases")
    return max(earlier, key=lambda r: r["date"])


def _release_statuses(inputs: RawInputs) -> Iterator[Status]:
    """Incubated/integrated per the 2014 programs, dated by release."""
    gov = inputs.curation["governance"]
    program_source = _source(inputs, gov["programs_2014_source"])
    release_source = _source(inputs, inputs.curation["releases"]["source"])
    file_date: dt.date = next(s["date"] for s in inputs.curation["sources"]
                              if s["id"] == gov["programs_2014_source"])
    for codename, program in sorted(programs_by_component(inputs).items()):
        main = next((e for e in program.repos if e.repo == f"openstack/{codename}"), None)
        if main is None:
            continue
        grad = gov["graduations"].get(codename, {})
        grad_sources = tuple(_source(inputs, key) for key in grad.get("sources", []))
        integrated = _release(inputs, main.integrated_since) if main.integrated_since else None
        if main.incubated_since:
            yield _incubated(inputs, codename, main.incubated_since, integrated,
                             (program_source, release_source), file_date)
        if integrated is not None:
            note = (f"Integrated since the {integrated['name']} release per programs.yaml at "
                    "a41e37306fa5, dated to that release's month. The incubated/integrated "
                    "designations gave way to the big-tent project list on 2015-01-08; no "
                    "source read gives an end, so it is unknown.")
            if grad.get("note"):
                note += " " + grad["note"]
            yield Status(
                codename, "Integrated", integrated["date"], integrated["precision"],
                (program_source, release_source, *grad_sources), note,
                release=integrated["name"], end_status=KG.EndUnknown,
                last_confirmed=file_date if integrated["date"] <= file_date else None,
            )


def _incubated(inputs: RawInputs, codename: str, key: str, integrated: dict[str, Any] | None,
               sources: tuple[URIRef, ...], file_date: dt.date) -> Status:
    """Incubated from the start of the ``incubated-since`` cycle (the previous release)."""
    rel, cycle = _release(inputs, key), _cycle_start(inputs, key)
    spec = inputs.curation["incubation"]
    listed = spec["listed_incubated"]
    sources = (*sources, _source(inputs, spec["definition_source"]))
    note = (f"Incubated since the {rel['name']} cycle per programs.yaml at a41e37306fa5, whose "
            "incubated-since names the first full development cycle spent in incubation "
            "(governance commit c5c4fa0a30af); the start is that cycle's start, the "
            f"{cycle['name']} release ({cycle['date']:%Y-%m}). Incubation may have been granted "
            "earlier: the start is the latest month in which it can have begun, "
            "not the date of the vote.")
    if codename in listed["components"]:
        sources = (*sources, _source(inputs, listed["source"]))
        note += (f" Governance commit 7044c177dcc0 ({listed['date'].isoformat()}) already lists "
                 "it as incubated.")
    if integrated is None:
        note += (" Still incubated when that file was last changed in 2014; the end of "
                 "incubation is not in these sources.")
        return Status(codename, "Incubated", cycle["date"], cycle["precision"], sources, note,
                      release=rel["name"], end_status=KG.EndUnknown, last_confirmed=file_date)
    note += (f" Incubation ended with the {integrated['name']} release, from which it was "
             "integrated (end dated to that release's month; the graduation vote came earlier).")
    return Status(codename, "Incubated", cycle["date"], cycle["precision"], sources, note,
                  release=rel["name"], end=integrated["date"],
                  end_precision=integrated["precision"])


def _team_of(inputs: RawInputs, codename: str) -> str | None:
    repo = f"openstack/{codename}"
    return next((d.team for d in inputs.deliverables if repo in d.repos), None)


def _official_statuses(inputs: RawInputs) -> Iterator[Status]:
    """Official since the big tent (2015-01-08) for every 2014 program's component."""
    gov = inputs.curation["governance"]
    big_tent = gov["big_tent"]
    sources = (_source(inputs, gov["programs_2014_source"]), _source(inputs, big_tent["source"]))
    current = _source(inputs, gov["projects_source"])
    reason = ("It was a program in programs.yaml at a41e37306fa5 (2014-12-18); that file became "
              "projects.yaml on 2015-01-08 (commit fcc4046f, the start of the 'big tent'), when "
              "the programs became the first official project teams, so the official period is "
              "taken to begin on that day.")
    for codename in sorted(programs_by_component(inputs)):
        team = _team_of(inputs, codename)
        if team is not None:
            note = (f"Listed as an official project team ('{team}') in projects.yaml at "
                    f"c7e4f290d263 ({gov['projects_date'].isoformat()}). " + reason)
            yield Status(codename, "Official", big_tent["date"], "day", (*sources, current),
                         note, end_status=KG.Ongoing, last_confirmed=gov["projects_date"])
        else:
            note = (reason + " It is not listed in projects.yaml at c7e4f290d263 "
                    f"({gov['projects_date'].isoformat()}), so it is no longer official; when "
                    "it left is not in these sources.")
            yield Status(codename, "Official", big_tent["date"], "day", (*sources, current),
                         note, end_status=KG.EndUnknown)


def _magnetodb_statuses(inputs: RawInputs) -> Iterator[Status]:
    spec = inputs.curation["magnetodb"]
    official, retired = spec["official"], spec["retired"]
    yield Status("magnetodb", "Official", official["start"], "day",
                 tuple(_source(inputs, k) for k in official["sources"]), official["note"],
                 end=official["end"])
    yield Status("magnetodb", "Retired", retired["start"], "day",
                 tuple(_source(inputs, k) for k in retired["sources"]), retired["note"],
                 end_status=KG.Ongoing, last_confirmed=retired["last_confirmed"])


def _add_status(graph: Graph, status: Status, label: str) -> None:
    node = KGD[f"status-{status.component}-{status.status.lower()}"]
    graph.add((node, RDF.type, KG.ComponentStatus))
    text = f"{label}: {status.status.lower()}"
    graph.add((node, RDFS.label, Literal(text + (f" ({status.release})" if status.release
                                                   else ""))))
    graph.add((node, KG.statusOf, KGD[status.component]))
    graph.add((node, KG.status, KG[status.status]))
    add_date(graph, node, KG.startDate, KG.startPrecision, status.start, status.start_precision)
    if status.end is not None:
        add_date(graph, node, KG.endDate, KG.endPrecision,
                 last_day(status.end, status.end_precision), status.end_precision)
    elif status.end_status is not None:
        graph.add((node, KG.endStatus, status.end_status))
    if status.last_confirmed is not None:
        graph.add((node, KG.lastConfirmed, date_literal(status.last_confirmed)))
    if status.release:
        graph.add((node, KG.release, Literal(status.release)))
    add_sourced(graph, node, list(status.sources), KG.Confirmed, status.note)


def _add_deprecated(graph: Graph, inputs: RawInputs) -> None:
    """Deliverables of the components' teams that projects.yaml marks deprecated."""
    gov = inputs.curation["governance"]
    current = _source(inputs, gov["projects_source"])
    teams = {team: c for c in component_codenames(inputs)
             if (team := _team_of(inputs, c)) is not None}
    for deliverable in inputs.deliverables:
        if deliverable.team not in teams or deliverable.deprecated is None:
            continue
        for repo in deliverable.repos:
            _add_repository(graph, repo, teams[deliverable.team], [current])
            graph.add((repo_iri(repo), KG.note, Literal(
                f"Deliverable '{deliverable.name}' of the '{deliverable.team}' team is marked "
                f"deprecated as of release {deliverable.deprecated} in projects.yaml at "
                "c7e4f290d263; the file gives no date.")))
