"""Readers for the OpenStack importer's inputs: plain, typed records, no RDF here.

Every reader takes a path and raises :class:`~kg.errors.SourceError` (file unreadable or
unparsable) or :class:`~kg.errors.InputError` (a bad row or field), naming the place.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kg.errors import InputError, SourceError

COMMITS_COLUMNS = ("component", "repo", "company", "year", "commits")
BUCKET_PREFIX = "*"


@dataclass(frozen=True, slots=True)
class CommitRow:
    """One row of ``commits-by-company-year.csv``; ``row`` is its line number."""

    component: str
    repo: str
    company: str
    year: int
    commits: int
    row: int

    @property
    def is_bucket(self) -> bool:
        return self.company.startswith(BUCKET_PREFIX)


@dataclass(frozen=True, slots=True)
class ProgramRepo:
    """A repository of a 2014 program, with the releases since which it was incubated/integrated."""

    repo: str
    incubated_since: str | None
    integrated_since: str | None


@dataclass(frozen=True, slots=True)
class Program:
    """A 2014 program of ``programs.yaml`` (``Compute``, code name ``Nova``)."""

    name: str
    codename: str | None
    repos: tuple[ProgramRepo, ...]


@dataclass(frozen=True, slots=True)
class Deliverable:
    """A deliverable of a current project team; ``deprecated`` is a release name or ``None``."""

    team: str
    name: str
    repos: tuple[str, ...]
    deprecated: str | None


@dataclass(frozen=True, slots=True)
class RepoSnapshot:
    """A row of the README's table of source repositories."""

    component: str
    repo: str
    commit: str
    date: dt.date
    commits: int


@dataclass(frozen=True, slots=True)
class RawInputs:
    """Everything read from ``data/raw/``."""

    commits: tuple[CommitRow, ...]
    stackalytics_companies: frozenset[str]
    programs: tuple[Program, ...]
    deliverables: tuple[Deliverable, ...]
    snapshots: tuple[RepoSnapshot, ...]
    curation: dict[str, Any]


def read_inputs(raw_dir: Path, curation_path: Path) -> RawInputs:
    """Read the five OpenStack inputs from ``raw_dir`` and the curation file."""
    return RawInputs(
        commits=read_commits(raw_dir / "commits-by-company-year.csv"),
        stackalytics_companies=read_company_names(raw_dir / "company-domains.csv"),
        programs=read_programs(raw_dir / "governance-projects-2014.yaml"),
        deliverables=read_deliverables(raw_dir / "governance-projects.yaml"),
        snapshots=read_snapshots(raw_dir / "README.md"),
        curation=read_yaml_mapping(curation_path),
    )


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror}") from exc


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    """A YAML file whose top level is a mapping."""
    try:
        data = yaml.safe_load(_read_text(path))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
        raise SourceError(path, f"invalid YAML: {exc.problem}", line=line) from exc
    if not isinstance(data, dict):
        raise SourceError(path, "the top level must be a mapping")
    return data


def read_commits(path: Path) -> tuple[CommitRow, ...]:
    """The commit table; counts must be non-negative integers."""
    reader = csv.reader(_read_text(path).splitlines())
    header = tuple(next(reader, ()))
    if header != COMMITS_COLUMNS:
        raise InputError(path, f"the header must be {','.join(COMMITS_COLUMNS)}", row=1)
    rows = []
    for number, values in enumerate(reader, start=2):
        if len(values) != len(COMMITS_COLUMNS):
            raise InputError(path, f"expected 5 fields, got {len(values)}", row=number)
        record = dict(zip(COMMITS_COLUMNS, values, strict=True))
        for field in COMMITS_COLUMNS:
            if not record[field]:
                raise InputError(path, "the field is empty", row=number, field=field)
        rows.append(CommitRow(
            component=record["component"], repo=record["repo"], company=record["company"],
            year=_integer(path, number, "year", record["year"]),
            commits=_integer(path, number, "commits", record["commits"]), row=number,
        ))
    return tuple(rows)


def _integer(path: Path, row: int, field: str, text: str) -> int:
    if not text.isdigit():
        raise InputError(path, f"{text!r} is not a non-negative integer", row=row, field=field)
    return int(text)


def read_company_names(path: Path) -> frozenset[str]:
    """The company names of Stackalytics' ``company,domain`` mapping."""
    reader = csv.DictReader(_read_text(path).splitlines())
    return frozenset(row["company"] for row in reader if row.get("company"))


def read_programs(path: Path) -> tuple[Program, ...]:
    """The 2014 programs, in file order."""
    programs = []
    for name, body in read_yaml_mapping(path).items():
        repos = tuple(
            ProgramRepo(
                repo=str(entry["repo"]),
                incubated_since=entry.get("incubated-since"),
                integrated_since=entry.get("integrated-since"),
            )
            for entry in body.get("projects", [])
        )
        programs.append(Program(name=str(name), codename=body.get("codename"), repos=repos))
    return tuple(programs)


def read_deliverables(path: Path) -> tuple[Deliverable, ...]:
    """Every deliverable of every current project team, in file order."""
    deliverables = []
    for team, body in read_yaml_mapping(path).items():
        for name, spec in (body.get("deliverables") or {}).items():
            deprecated = spec.get("deprecated")
            deliverables.append(Deliverable(
                team=str(team), name=str(name), repos=tuple(spec.get("repos", [])),
                deprecated=str(deprecated) if deprecated is not None else None,
            ))
    return tuple(deliverables)


_SNAPSHOT_ROW = re.compile(
    r"^\|\s*(?P<component>[a-z]+)\s*\|\s*(?P<repo>openstack/[\w.-]+)\s*\|\s*(?P<commit>[0-9a-f]{7,40})"
    r"\s*\|\s*(?P<date>\d{4}-\d{2}-\d{2})\s*\|\s*(?P<commits>\d+)\s*\|\s*$"
)


def read_snapshots(path: Path) -> tuple[RepoSnapshot, ...]:
    """The table "Source repositories" of the data README (one row per counted repository)."""
    snapshots = []
    for line in _read_text(path).splitlines():
        match = _SNAPSHOT_ROW.match(line)
        if match:
            snapshots.append(RepoSnapshot(
                component=match["component"], repo=match["repo"], commit=match["commit"],
                date=dt.date.fromisoformat(match["date"]), commits=int(match["commits"]),
            ))
    if not snapshots:
        raise SourceError(path, "no table of source repositories found")
    return tuple(snapshots)
