"""The validation-report cache (kg.validation_cache): a rerun with no file changed answers
from build/validation/ with the same report; any change validates again; a cache file that
cannot be read or trusted is ignored. (That the default engine's report is pySHACL's is
tests/test_fastshacl.py.)"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from kg.config import Settings
from kg.validation import ValidationReport, report_from_json, report_to_json, validate_project
from kg.validation_cache import cache_file, cache_key

from .conftest import ROOT, run_kg_here
from .test_fastshacl import NON_CANONICAL, strict

VIOLATION = (
    "\n@prefix kg: <https://w3id.org/kg/ontology#> .\n"
    "@prefix kgd: <https://w3id.org/kg/id/> .\n"
    "kgd:membership-nobody a kg:Membership ; kg:foundation kgd:openstack-foundation .\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the curated project (ontology and data)."""
    shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path


def _cache_files(root: Path) -> list[Path]:
    folder = root / "build" / "validation"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def test_a_rerun_with_nothing_changed_answers_from_the_cache(project: Path) -> None:
    """Results with every kind of term (typed and tagged literals, blank nodes) come back
    exactly; a file touched but not changed is still a hit."""
    shutil.copy(NON_CANONICAL, project / "data" / "non-canonical.ttl")
    (project / "data" / "blank.ttl").write_text(VIOLATION.replace("kgd:membership-nobody", "[]"))
    settings = Settings(root=project)
    first = validate_project(settings, cache=True)
    assert not first.from_cache and first.violations and first.graph is not None
    assert len(_cache_files(project)) == 1
    os.utime(project / "data" / "blank.ttl")
    again = validate_project(settings, cache=True)
    assert again.from_cache and again.graph is None
    assert strict(again) == strict(first) and again.triples == first.triples
    assert [r.to_dict() for r in again.results] == [r.to_dict() for r in first.results]
    assert again.conforms == first.conforms


def test_a_changed_data_file_is_validated_again(project: Path) -> None:
    clean = run_kg_here("--root", str(project), "validate")
    assert clean.returncode == 0, clean.stderr
    assert "report from build/validation/" not in clean.stderr
    hit = run_kg_here("--root", str(project), "validate")
    assert hit.returncode == 0 and "report from build/validation/" in hit.stderr
    with (project / "data" / "curated" / "memberships.ttl").open("a") as handle:
        handle.write(VIOLATION)
    changed = run_kg_here("--root", str(project), "validate", "--format", "json")
    assert changed.returncode == 1, changed.stderr
    results = json.loads(changed.stdout)
    assert results and all(r["focus_node"].endswith("membership-nobody") for r in results)
    assert {r["file"] for r in results} == {"data/curated/memberships.ttl"}
    cached = run_kg_here("--root", str(project), "validate", "--format", "json")
    assert cached.returncode == 1 and json.loads(cached.stdout) == results


def test_a_new_or_removed_file_and_another_engine_change_the_key(project: Path) -> None:
    settings = Settings(root=project)
    ontology = sorted((project / "ontology").glob("*.ttl"))
    data = sorted((project / "data" / "curated").glob("*.ttl"))
    key = cache_key(settings, ontology, data, [], "fast")
    assert key == cache_key(settings, ontology, data, [], "fast")
    assert key != cache_key(settings, ontology, data, [], "pyshacl")
    assert key != cache_key(settings, ontology, data[1:], [], "fast")
    assert key != cache_key(settings, ontology, data, data[:1], "fast")
    (project / "ontology" / "kg.ttl").write_text(
        (project / "ontology" / "kg.ttl").read_text() + "\n# a comment\n")
    assert key != cache_key(settings, ontology, data, [], "fast")
    assert cache_file(settings, "fast", []) != cache_file(settings, "pyshacl", [])
    assert cache_file(settings, "fast", []) != cache_file(settings, "fast", data[:1])


@pytest.mark.parametrize("damage", ["garbage", "truncated", "wrong-results", "directory"])
def test_a_corrupt_or_unreadable_cache_file_is_ignored(project: Path, damage: str) -> None:
    (project / "data" / "bad.ttl").write_text(VIOLATION)
    settings = Settings(root=project)
    first = validate_project(settings, cache=True)
    [place] = _cache_files(project)
    stored = json.loads(place.read_text())
    if damage == "garbage":
        place.write_bytes(b"\x00\xffnot json")
    elif damage == "truncated":
        place.write_text(place.read_text()[:40])
    elif damage == "wrong-results":   # the right key, but results that are not results
        stored["report"]["results"] = [{"focus_node": {"iri": "urn:x"}, "message": 3}]
        place.write_text(json.dumps(stored))
    else:
        place.unlink()
        place.mkdir()
    again = validate_project(settings, cache=True)
    assert not again.from_cache
    assert strict(again) == strict(first) and again.triples == first.triples
    if damage != "directory":                 # written again, and trusted again
        assert validate_project(settings, cache=True).from_cache
    else:                                     # cannot be replaced: validates every time
        assert not validate_project(settings, cache=True).from_cache


def test_no_cache_and_paths(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """--no-cache neither reads nor writes; PATHS have their own entry, and a change of the
    file checked is seen."""
    assert run_kg_here("--root", str(project), "validate", "--no-cache").returncode == 0
    assert _cache_files(project) == []
    outside = tmp_path_factory.mktemp("outside") / "check.ttl"
    outside.write_text(VIOLATION)
    first = run_kg_here("--root", str(project), "validate", str(outside), "--format", "json")
    assert first.returncode == 1, first.stderr
    again = run_kg_here("--root", str(project), "validate", str(outside), "--format", "json")
    assert again.returncode == 1 and again.stdout == first.stdout
    assert len(_cache_files(project)) == 1
    assert "report from build/validation/" in \
        run_kg_here("--root", str(project), "validate", str(outside)).stderr
    outside.write_text("@prefix ex: <urn:ex:> .\nex:a ex:b ex:c .\n")
    fixed = run_kg_here("--root", str(project), "validate", str(outside))
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "report from build/validation/" not in fixed.stderr
    assert len(_cache_files(project)) == 1


def test_bad_files_are_still_refused_with_the_cache(project: Path) -> None:
    """The parser's errors (file:line:column, exit 2) come before any cached answer."""
    assert run_kg_here("--root", str(project), "validate").returncode == 0
    bad = project / "data" / "curated" / "broken.ttl"
    bad.write_text("@prefix ex: <urn:ex:> .\nex:a ex:b ex:c .\nex:a ex:b ;; .\n")
    for _ in range(2):
        proc = run_kg_here("--root", str(project), "validate")
        assert proc.returncode == 2, proc.stderr
        assert f"{bad}:3:" in proc.stderr and "Turtle syntax error" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1


def test_report_json_round_trip() -> None:
    report = ValidationReport()
    assert report_from_json(report_to_json(report)).results == []
    with pytest.raises((KeyError, TypeError, ValueError)):
        report_from_json({"triples": "x", "results": []})
