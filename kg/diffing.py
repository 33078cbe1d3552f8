"""Diffs and alerts (``kg diff OLD NEW``): what changed in the findings between two snapshots.

A snapshot is a project folder (``ontology/``, ``data/``, ``queries/``), a git revision of the
project (checked out with ``git archive`` into a temporary folder; the user's tree and the
repository are never touched) or a store built by ``kg build`` (read with the queries of the
project ``--root`` names). Findings are matched by :attr:`Finding.id`: a finding is *added*,
*removed*, or *changed* when its temporal status, severity, score, evidence facts or
counterparties differ. A changed finding is *worsened* when its severity rose, or its score
rose at the same severity; *improved* the other way round.

``--fail-on LEVEL`` turns the diff into an alert: :meth:`FindingsDiff.alerts` lists the added
and worsened findings whose (new) severity is LEVEL or above.
"""

from __future__ import annotations

import json
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import IO, Any

from .config import Settings
from .errors import KGError
from .findings import Evidence, Finding
from .output import render_rows, rows_to_table, shorten

LEVELS = {"low": 1, "medium": 2, "high": 3}
COLUMNS = ["change", "id", "severity", "score", "status", "foundation", "finding", "changes"]
Finder = Callable[..., list[Finding]]


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its old and new value (plain data) and a phrase."""

    field: str            # "temporal_status" | "severity" | "score" | "evidence" | "counterparties"
    old: Any
    new: Any
    text: str


@dataclass(frozen=True)
class Change:
    old: Finding
    new: Finding
    fields: tuple[FieldChange, ...]

    @property
    def id(self) -> str:
        return self.new.id

    @property
    def direction(self) -> str:
        """``worsened``, ``improved`` or ``changed`` (by severity, then by score)."""
        before, after = LEVELS.get(self.old.severity, 0), LEVELS.get(self.new.severity, 0)
        if after != before:
            return "worsened" if after > before else "improved"
        if self.new.score != self.old.score:
            return "worsened" if self.new.score > self.old.score else "improved"
        return "changed"

    @property
    def text(self) -> str:
        return "; ".join(f.text for f in self.fields)


def _arrow(old: object, new: object) -> str:
    return f"{old} → {new}"


def _labels(*findings: Finding) -> dict[str, str]:
    return {iri: label for f in findings
            for iri, label in zip(f.counterparties, f.counterparty_labels, strict=False)}


def _plain_evidence(e: Evidence) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else list(v) if isinstance(v, tuple) else v)
            for k, v in vars(e).items()}


def _canonical(e: Evidence) -> Evidence:
    """The same fact whatever order a store listed its sources in."""
    return replace(e, sources=tuple(sorted(set(e.sources))))


def compare(old: Finding, new: Finding) -> tuple[FieldChange, ...]:
    """The fields of two versions of one finding that differ."""
    out: list[FieldChange] = []
    if old.temporal_status != new.temporal_status:
        out.append(FieldChange("temporal_status", old.temporal_status, new.temporal_status,
                               f"status {_arrow(old.temporal_status, new.temporal_status)}"))
    if old.severity != new.severity:
        out.append(FieldChange("severity", old.severity, new.severity,
                               f"severity {_arrow(old.severity, new.severity)}"))
    if old.score != new.score:
        out.append(FieldChange("score", old.score, new.score,
                               f"score {_arrow(old.score, new.score)}"))
    if set(old.counterparties) != set(new.counterparties):
        labels = _labels(old, new)
        gained = sorted(set(new.counterparties) - set(old.counterparties))
        lost = sorted(set(old.counterparties) - set(new.counterparties))
        words = [f"+{labels[i]}" for i in gained] + [f"−{labels[i]}" for i in lost]
        out.append(FieldChange("counterparties", list(old.counterparties),
                               list(new.counterparties), "counterparties " + " ".join(words)))
    before = {e.fact: _canonical(e) for e in old.evidence}
    after = {e.fact: _canonical(e) for e in new.evidence}
    if before != after:
        gained = sorted(set(after) - set(before))
        lost = sorted(set(before) - set(after))
        edited = sorted(k for k in set(before) & set(after) if before[k] != after[k])
        words = [f"+{shorten(k)}" for k in gained] + [f"−{shorten(k)}" for k in lost] + \
            [f"~{shorten(k)}" for k in edited]
        out.append(FieldChange(
            "evidence", {"removed": lost, "changed": [_plain_evidence(before[k]) for k in edited]},
            {"added": gained, "changed": [_plain_evidence(after[k]) for k in edited]},
            "evidence " + " ".join(words)))
    return tuple(out)


def _by_score(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    from .conflicts import sort_findings

    return tuple(sort_findings(findings))


@dataclass(frozen=True)
class FindingsDiff:
    old_label: str
    new_label: str
    added: tuple[Finding, ...]
    removed: tuple[Finding, ...]
    changed: tuple[Change, ...]
    unchanged: int
    as_of: date | None = None
    window_days: int | None = None

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def alerts(self, level: str) -> list[Finding]:
        """Added or worsened findings of severity ``level`` or above (``--fail-on``)."""
        if level not in LEVELS:
            raise KGError(f"--fail-on: unknown level {level!r} (known: high, medium, low)")
        floor = LEVELS[level]
        new = [*self.added, *(c.new for c in self.changed if c.direction == "worsened")]
        return [f for f in new if LEVELS.get(f.severity, 0) >= floor]

    def summary(self) -> str:
        return (f"{self.old_label} → {self.new_label}: {len(self.added)} added, "
                f"{len(self.removed)} removed, {len(self.changed)} changed, "
                f"{self.unchanged} unchanged")

    def rows(self) -> list[dict[str, Any]]:
        def row(change: str, f: Finding, **cells: Any) -> dict[str, Any]:
            return {"change": change, "id": f.id, "severity": f.severity, "score": f.score,
                    "status": f.temporal_status, "foundation": f.foundation_label,
                    "finding": f.headline, "changes": "", **cells}
        out = [row("added", f) for f in self.added]
        out += [row(c.direction, c.new, changes=c.text,
                    severity=c.new.severity if c.old.severity == c.new.severity
                    else _arrow(c.old.severity, c.new.severity),
                    score=c.new.score if c.old.score == c.new.score
                    else _arrow(c.old.score, c.new.score),
                    status=c.new.temporal_status
                    if c.old.temporal_status == c.new.temporal_status
                    else _arrow(c.old.temporal_status, c.new.temporal_status))
                for c in self.changed]
        out += [row("removed", f) for f in self.removed]
        return out

    def to_dict(self, fail_on: str | None = None) -> dict[str, Any]:
        return {
            "old": self.old_label, "new": self.new_label,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "window_days": self.window_days,
            "added": [f.to_dict() for f in self.added],
            "removed": [f.to_dict() for f in self.removed],
            "changed": [{"id": c.id, "change": c.direction, "text": c.text,
                         "fields": {x.field: {"old": x.old, "new": x.new} for x in c.fields},
                         "finding": c.new.to_dict()} for c in self.changed],
            "unchanged": self.unchanged,
            "fail_on": fail_on,
            "alerts": [f.id for f in self.alerts(fail_on)] if fail_on else [],
        }


def diff_findings(old: Sequence[Finding], new: Sequence[Finding], *, old_label: str = "old",
                  new_label: str = "new", as_of: date | None = None,
                  window_days: int | None = None) -> FindingsDiff:
    """Added, removed and changed findings, matched by ID; each list in the order of
    ``kg conflicts`` (severity, then score)."""
    before = {f.id: f for f in old}
    after = {f.id: f for f in new}
    changed, same = [], 0
    for key in sorted(set(before) & set(after)):
        fields = compare(before[key], after[key])
        if fields:
            changed.append(Change(before[key], after[key], fields))
        else:
            same += 1
    order = {f.id: n for n, f in enumerate(_by_score([c.new for c in changed]))}
    changed.sort(key=lambda c: order[c.id])
    return FindingsDiff(old_label, new_label,
                        _by_score([f for k, f in after.items() if k not in before]),
                        _by_score([f for k, f in before.items() if k not in after]),
                        tuple(changed), same, as_of, window_days)


def render_diff(diff: FindingsDiff, fmt: str, *, fail_on: str | None = None,
                wide: bool = False) -> str:
    """JSON (plain data), CSV, or a table that fits the terminal (IDs never wrapped)."""
    if fmt == "json":
        return json.dumps(diff.to_dict(fail_on), indent=2, ensure_ascii=False)
    if fmt == "table":
        columns = COLUMNS if wide else [c for c in COLUMNS if c != "foundation"]
        return rows_to_table(columns, diff.rows(), width=10_000 if wide else None,
                             fixed=("change", "id", "severity", "score", "status"))
    return render_rows(COLUMNS, diff.rows(), fmt).rstrip("\n")


# --- snapshots -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Snapshot:
    """Where one side of a diff comes from, ready to be read."""

    spec: str                  # what the user gave
    kind: str                  # "project" | "revision" | "store"
    settings: Settings         # the project whose data (and queries) are read
    store_path: Path | None = None


def _git(root: Path, *args: str) -> str:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              timeout=120)
    except FileNotFoundError:
        raise KGError(f"{root}: git is not installed") from None
    if proc.returncode != 0:
        raise KGError(f"{root}: git {' '.join(args)}: "
                      f"{(proc.stderr.strip().splitlines() or ['failed'])[-1]}")
    return proc.stdout.strip()


def is_revision(root: Path, rev: str) -> bool:
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except KGError:
        return False
    return True


def checkout(root: Path, rev: str, into: Path) -> Path:
    """Extract the project folders (ontology/, data/, queries/) of revision ``rev`` of the git
    repository holding ``root`` into ``into``; returns the project's folder there. Uses
    ``git archive``: no worktree, index or ref of the repository changes."""
    if not is_revision(root, rev):
        raise KGError(f"{rev}: no such folder, store or git revision (of {root})")
    commit = _git(root, "rev-parse", "--verify", f"{rev}^{{commit}}")
    top = Path(_git(root, "rev-parse", "--show-toplevel"))
    prefix = _git(root, "rev-parse", "--show-prefix")
    listed = _git(top, "ls-tree", "--name-only", commit, f"{prefix}" or ".").splitlines()
    wanted = [p for p in listed if p.rsplit("/", 1)[-1] in ("ontology", "data", "queries")]
    if not any(p.endswith("data") for p in wanted):
        raise KGError(f"{rev}: revision {commit[:12]} has no {prefix}data/ folder")
    proc = subprocess.Popen(["git", "-C", str(top), "archive", "--format=tar", commit, "--",
                             *wanted], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stream: IO[bytes] | None = proc.stdout
    assert stream is not None
    with tarfile.open(fileobj=stream, mode="r|") as tar:
        tar.extractall(into, filter="data")
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise KGError(f"{rev}: git archive failed: {err.decode(errors='replace').strip()}")
    return into / prefix


def _is_store(path: Path) -> bool:
    from .building import current_generation

    return current_generation(path.absolute()) is not None


@contextmanager
def open_snapshot(spec: str, base: Settings, *, revision: bool = False) -> Iterator[Snapshot]:
    """A snapshot for ``spec``: a store built by ``kg build``, a project folder, or (when no
    such path exists, or with ``revision``) a git revision of ``base.root``'s repository."""
    plain = Settings(root=base.root, recent_window_days=base.recent_window_days)
    path = Path(spec)
    if not revision and path.exists():
        if _is_store(path):
            if not base.queries_dir.is_dir():
                raise KGError(f"{base.root}: no queries/ folder to read the store {spec} with")
            yield Snapshot(spec, "store", plain, path)
            return
        if not (path / "data").is_dir():
            raise KGError(f"{spec}: neither a project folder (no data/) nor a store built by "
                          "'kg build'")
        yield Snapshot(spec, "project", Settings(root=path.resolve(),
                                                 recent_window_days=base.recent_window_days))
        return
    with tempfile.TemporaryDirectory(prefix="kg-diff-") as tmp:
        root = checkout(base.root, spec, Path(tmp))
        try:
            yield Snapshot(spec, "revision", Settings(root=root,
                                                      recent_window_days=base.recent_window_days))
        except KGError as exc:   # name the file as git does (REV:path), not the temporary copy
            raise KGError(str(exc).replace(f"{root.as_posix().rstrip('/')}/", f"{spec}:")
                          ) from exc


def snapshot_findings(snapshot: Snapshot, *, as_of: date | None = None,
                      finder: Finder | None = None) -> list[Finding]:
    """The findings of one snapshot, as ``kg conflicts`` would list them."""
    find = finder
    if find is None:
        from .conflicts import find_conflicts

        find = find_conflicts
    if snapshot.store_path is not None:
        from .building import open_persistent

        store: Any = open_persistent(snapshot.store_path)
    else:
        from .stores import build_store

        store = build_store(snapshot.settings)
    return list(find(store, snapshot.settings, as_of=as_of))


def diff_snapshots(old: str, new: str, base: Settings, *, as_of: date | None = None,
                   window: int | None = None, revision: bool = False,
                   finder: Finder | None = None) -> FindingsDiff:
    """Compare the findings of two snapshots (see :func:`open_snapshot`)."""
    if window is not None:
        base = Settings(root=base.root, recent_window_days=window)
    sides = []
    for spec in (old, new):
        with open_snapshot(spec, base, revision=revision) as snap:
            sides.append(snapshot_findings(snap, as_of=as_of, finder=finder))
    return diff_findings(sides[0], sides[1], old_label=old, new_label=new, as_of=as_of,
                         window_days=base.recent_window_days)
