"""Diffs and alerts: what a foundation's CI sees when the data changes."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kg.config import Settings
from kg.diffing import diff_findings, diff_snapshots, open_snapshot, render_diff
from kg.errors import KGError

from .conftest import run_kg
from .factories import finding


def test_findings_are_matched_by_id_added_removed_changed() -> None:
    kept, gone, same = finding("symantec"), finding("hp", score=30, severity="low"), finding("ibm")
    new = finding("widgets", foundation="standards-body", via=None, against=("gadgets",))
    worse = finding("symantec", against=("rackspace", "dell"), score=95)
    diff = diff_findings([kept, gone, same], [worse, same, new], old_label="a", new_label="b")
    assert [f.id for f in diff.added] == ["litigation:widgets@standards-body"]
    assert [f.id for f in diff.removed] == ["litigation:hp@openstack-foundation"]
    assert [c.id for c in diff.changed] == ["litigation:symantec@openstack-foundation"]
    assert diff.unchanged == 1
    change = diff.changed[0]
    assert change.direction == "worsened"
    assert [f.field for f in change.fields] == ["score", "counterparties", "evidence"]
    assert "score 80 → 95" in change.text and "counterparties +Dell" in change.text
    assert "+kgd:clouding-ip-v-dell" in change.text
    assert diff.summary() == "a → b: 1 added, 1 removed, 1 changed, 1 unchanged"


def test_status_severity_and_an_edited_fact_are_changes() -> None:
    old = finding("symantec", status="historical", severity="medium", score=50)
    edited = tuple(replace(e, end_status="ended") if e.kind == "Lawsuit" else e
                   for e in old.evidence)
    new = replace(old, temporal_status="recent", severity="high", score=50, evidence=edited)
    change = diff_findings([old], [new]).changed[0]
    assert {f.field: (f.old, f.new) for f in change.fields if f.field != "evidence"} == {
        "temporal_status": ("historical", "recent"), "severity": ("medium", "high")}
    assert "~kgd:clouding-ip-v-rackspace" in change.text
    assert change.direction == "worsened"
    # the same finding twice is no change at all, whatever order its sources come in
    shuffled = tuple(replace(e, sources=tuple(reversed(e.sources))) for e in old.evidence)
    assert diff_findings([old], [replace(old, evidence=shuffled)]).empty


@pytest.mark.parametrize(("level", "alerted"), [
    ("high", ["added-high", "worse"]),
    ("medium", ["added-high", "added-medium", "worse"]),
    ("low", ["added-high", "added-medium", "added-low", "worse"]),
])
def test_fail_on_alerts_on_new_or_worsened_findings_at_that_level(level: str,
                                                                  alerted: list[str]) -> None:
    old = [finding("worse", score=70), finding("better", score=90), finding("steady", score=75)]
    new = [finding("worse", score=85), finding("better", score=60, severity="medium"),
           finding("steady", score=75, status="active"),
           finding("added-high", score=88), finding("added-medium", score=50, severity="medium"),
           finding("added-low", score=10, severity="low")]
    diff = diff_findings(old, new)
    got = sorted(f.id.split(":")[1].split("@")[0] for f in diff.alerts(level))
    assert got == sorted(alerted)
    assert {c.id.split(":")[1].split("@")[0]: c.direction for c in diff.changed} == {
        "worse": "worsened", "better": "improved", "steady": "changed"}


def test_json_carries_numbers_and_the_changed_fields() -> None:
    old, new = finding("symantec", score=70), finding("symantec", score=85)
    data = json.loads(render_diff(diff_findings([old], [new, finding("hp")]), "json",
                                  fail_on="high"))
    assert data["changed"][0]["fields"] == {"score": {"old": 70, "new": 85}}
    assert data["changed"][0]["change"] == "worsened"
    assert [f["id"] for f in data["added"]] == ["litigation:hp@openstack-foundation"]
    assert data["alerts"] == ["litigation:hp@openstack-foundation",
                              "litigation:symantec@openstack-foundation"]
    assert data["added"][0]["score"] == 80


def test_table_and_csv_show_what_changed() -> None:
    diff = diff_findings([finding("symantec", score=70)], [finding("symantec", score=85)])
    csv = render_diff(diff, "csv").splitlines()
    assert csv[0] == "change,id,severity,score,status,foundation,finding,changes"
    assert csv[1].startswith("worsened,litigation:symantec@openstack-foundation,high,70 → 85,")
    wide = render_diff(diff, "table", wide=True).splitlines()
    assert wide[0].split()[-1] == "changes" and wide[2].endswith("  score 70 → 85")
    assert set(wide[1]) == {"─"}  # the rule under the header


# --- snapshots, with a stand-in finder (one finding per file under data/cases/) -----------

def fake_finder(store: Any, settings: Settings, *, as_of: Any = None) -> list[Any]:
    cases = sorted((settings.root / "data" / "cases").glob("*.txt"))
    return [finding(p.stem, score=int(p.read_text())) for p in cases]


def project(root: Path, **cases: int) -> Path:
    (root / "data" / "cases").mkdir(parents=True, exist_ok=True)
    (root / "ontology").mkdir(exist_ok=True)
    (root / "queries").mkdir(exist_ok=True)
    for name, score in cases.items():
        (root / "data" / "cases" / f"{name}.txt").write_text(str(score))
    return root


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org",
                    *args], check=True, capture_output=True)


def test_two_project_folders(tmp_path: Path) -> None:
    a = project(tmp_path / "a", symantec=80)
    b = project(tmp_path / "b", symantec=80, hp=90)
    diff = diff_snapshots(str(a), str(b), Settings(root=a), finder=fake_finder)
    assert [f.id for f in diff.added] == ["litigation:hp@openstack-foundation"]
    assert diff.unchanged == 1 and not diff.removed and not diff.changed


def test_two_git_revisions_leave_the_working_tree_alone(tmp_path: Path) -> None:
    repo = project(tmp_path / "repo", symantec=80)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "one")
    project(repo, hp=90)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "two")
    project(repo, uncommitted=99)
    status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"],
                            capture_output=True, text=True).stdout
    diff = diff_snapshots("HEAD~1", "HEAD", Settings(root=repo), finder=fake_finder)
    assert [f.id for f in diff.added] == ["litigation:hp@openstack-foundation"]
    assert diff.unchanged == 1
    # the working tree (with its uncommitted case) and the repository are as they were
    assert (repo / "data" / "cases" / "uncommitted.txt").exists()
    assert subprocess.run(["git", "-C", str(repo), "status", "--porcelain"],
                          capture_output=True, text=True).stdout == status
    worktrees = subprocess.run(["git", "-C", str(repo), "worktree", "list"],
                               capture_output=True, text=True).stdout.splitlines()
    assert len(worktrees) == 1
    # --rev reads a name as a revision even where a folder of that name exists
    (repo / "HEAD").mkdir()
    with open_snapshot("HEAD", Settings(root=repo), revision=True) as snap:
        assert snap.kind == "revision" and (snap.settings.root / "data" / "cases").is_dir()
        checked_out = snap.settings.root
    assert not checked_out.exists()     # the temporary checkout is gone


def test_an_error_in_a_revision_names_the_revision_and_the_file(tmp_path: Path) -> None:
    from kg.errors import SourceError

    repo = project(tmp_path / "repo", symantec=80)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "one")

    def broken(store: Any, settings: Settings, *, as_of: Any = None) -> list[Any]:
        raise SourceError(settings.root / "data" / "bad.ttl", "Turtle syntax error", line=3)

    with pytest.raises(KGError) as caught:
        diff_snapshots("HEAD", str(repo), Settings(root=repo), finder=broken)
    assert str(caught.value) == "HEAD:data/bad.ttl:3: Turtle syntax error"


def test_a_revision_of_a_project_in_a_subfolder(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    project(repo / "sub", symantec=80)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "one")
    with open_snapshot("HEAD", Settings(root=repo / "sub")) as snap:
        assert (snap.settings.root / "data" / "cases" / "symantec.txt").read_text() == "80"


def test_unknown_snapshot_is_one_error_naming_it(tmp_path: Path) -> None:
    a = project(tmp_path / "a")
    with pytest.raises(KGError, match=r"^nosuch: no such folder, store or git revision"):
        diff_snapshots("nosuch", str(a), Settings(root=a), finder=fake_finder)
    (tmp_path / "empty").mkdir()
    with pytest.raises(KGError, match=r"empty: neither a project folder"):
        diff_snapshots(str(tmp_path / "empty"), str(a), Settings(root=a), finder=fake_finder)


def test_cli_unknown_snapshot_exits_2_with_one_line() -> None:
    proc = run_kg("diff", "no-such-rev", "HEAD")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        proc.stderr.strip()] and "kg: error: no-such-rev: no such folder" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_store_built_by_kg_build_is_read_with_the_projects_queries(tmp_project: Path) -> None:
    from kg.building import build_persistent

    settings = Settings(root=tmp_project)
    path = tmp_project / "build" / "store"
    build_persistent(settings, path)
    seen: list[int] = []

    def finder(store: Any, settings_: Settings, *, as_of: Any = None) -> list[Any]:
        seen.append(len(store))
        assert settings_.queries_dir == tmp_project / "queries"
        return [finding("symantec")]

    with open_snapshot(str(path), settings) as snap:
        assert snap.kind == "store"
    diff = diff_snapshots(str(path), str(tmp_project), settings, finder=finder)
    assert diff.empty and diff.unchanged == 1
    assert seen[0] > 0                  # the built store, with the ontology's triples


# --- end to end: the example case added to a copy of the project --------------------------

@pytest.fixture(scope="module")
def with_example_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project (ontology/, data/, queries/), committed to a fresh git repository
    as it is, then with `kg ingest examples/new-case/*.csv` committed on top."""
    import shutil

    from .conftest import ROOT

    copy = tmp_path_factory.mktemp("project")
    for part in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / part, copy / part)
    git(copy, "init", "-q")
    git(copy, "add", ".")
    git(copy, "commit", "-qm", "as it was")
    cases = sorted(str(p) for p in (ROOT / "examples" / "new-case").glob("*.csv"))
    proc = run_kg("--root", str(copy), "ingest", *cases)
    assert proc.returncode == 0, proc.stderr
    git(copy, "add", ".")
    git(copy, "commit", "-qm", "the example case")
    return copy


def test_diff_sees_exactly_the_example_case_added(with_example_case: Path) -> None:
    from .conftest import ROOT

    proc = run_kg("diff", str(ROOT), str(with_example_case), "--format", "json",
                  "--fail-on", "low")
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["removed"] == [] and data["changed"] == []
    assert len(data["added"]) == 1, [f["id"] for f in data["added"]]
    added = data["added"][0]
    assert added["id"] == "litigation:example-widgets@example-standards-body"
    assert [c.rsplit("/", 1)[-1] for c in added["counterparties"]] == ["example-gadgets"]
    assert data["alerts"] == [added["id"]]
    assert data["unchanged"] >= 1
    # the example's rows are all `uncertain`, and severity.yaml caps an uncertain chain at
    # low (whatever its points): no alert at high for it as it stands
    assert added["severity"] == "low"
    table = run_kg("diff", str(ROOT), str(with_example_case), "--fail-on", "high")
    assert table.returncode == 0, table.stderr
    assert "added" in table.stdout and added["id"] in table.stdout
    assert table.stderr.strip().endswith(
        "1 added, 0 removed, 0 changed, 1 unchanged; 0 alert(s) at high or above")


def test_fail_on_high_alerts_on_the_example_case_once_it_is_confirmed(
        with_example_case: Path, tmp_path: Path) -> None:
    """The same case with every row `confirmed`, committed on top: between the revisions
    `kg diff` sees it added as high (HEAD~2 → HEAD) or worsened from low (HEAD~1 → HEAD)."""
    from .conftest import ROOT

    repo = tmp_path / "repo"
    subprocess.run(["git", "clone", "-q", str(with_example_case), str(repo)], check=True)
    confirmed = tmp_path / "confirmed"
    confirmed.mkdir()
    for csv in (ROOT / "examples" / "new-case").glob("*.csv"):
        (confirmed / csv.name).write_text(csv.read_text().replace(",uncertain,", ",confirmed,"))
    proc = run_kg("--root", str(repo), "ingest", *sorted(map(str, confirmed.glob("*.csv"))))
    assert proc.returncode == 0, proc.stderr
    git(repo, "commit", "-qam", "the example case, confirmed")

    added = run_kg("--root", str(repo), "diff", "HEAD~2", "HEAD", "--fail-on", "high",
                   "--format", "json")
    assert added.returncode == 1, added.stderr
    data = json.loads(added.stdout)
    assert [(f["id"], f["severity"]) for f in data["added"]] == [
        ("litigation:example-widgets@example-standards-body", "high")]
    assert data["changed"] == [] and data["removed"] == []
    assert data["alerts"] == ["litigation:example-widgets@example-standards-body"]

    worse = run_kg("--root", str(repo), "diff", "HEAD~1", "HEAD", "--fail-on", "high",
                   "--format", "json")
    assert worse.returncode == 1, worse.stderr
    change = json.loads(worse.stdout)["changed"]
    assert [(c["id"], c["change"]) for c in change] == [
        ("litigation:example-widgets@example-standards-body", "worsened")]
    assert change[0]["fields"]["severity"] == {"old": "low", "new": "high"}
    assert "evidence" in change[0]["fields"]     # the facts' confidence changed


def test_diff_of_two_built_stores(with_example_case: Path, tmp_path: Path) -> None:
    from .conftest import ROOT

    for root, name in ((ROOT, "old"), (with_example_case, "new")):
        built = run_kg("--root", str(root), "build", str(tmp_path / name))
        assert built.returncode == 0, built.stderr
    proc = run_kg("diff", str(tmp_path / "old"), str(tmp_path / "new"), "--format", "csv",
                  "--fail-on", "low")
    assert proc.returncode == 1, proc.stderr
    rows = proc.stdout.splitlines()
    assert rows[0] == "change,id,severity,score,status,foundation,finding,changes"
    assert [r.split(",")[:3] for r in rows[1:]] == [
        ["added", "litigation:example-widgets@example-standards-body", "low"]]


def test_as_of_and_window_reach_the_finder(tmp_path: Path) -> None:
    from datetime import date

    a, b = project(tmp_path / "a"), project(tmp_path / "b")
    seen: list[tuple[Any, int]] = []

    def finder(store: Any, settings: Settings, *, as_of: Any = None) -> list[Any]:
        seen.append((as_of, settings.recent_window_days))
        return []

    diff = diff_snapshots(str(a), str(b), Settings(root=a), as_of=date(2013, 6, 1), window=30,
                          finder=finder)
    assert seen == [(date(2013, 6, 1), 30)] * 2
    assert diff.to_dict()["as_of"] == "2013-06-01" and diff.to_dict()["window_days"] == 30
