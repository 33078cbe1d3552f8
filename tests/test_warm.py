"""The warm project store every command answers from (kg.warm): built on first use, brought up
to date by content hash, the same answers as a fresh load into memory."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from kg.building import current_generation, read_manifest
from kg.config import Settings
from kg.warm import project_store

from .conftest import ROOT, run_kg_here

ORG = """@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix kgd: <https://w3id.org/kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kgd:warm-test-org a kg:Company ; rdfs:label "{label}" .
"""


@pytest.fixture
def curated(tmp_path: Path) -> Path:
    """A copy of the real project: ontology, queries and all of data/."""
    for folder in ("ontology", "queries", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("raw"))
    return tmp_path


def findings(root: Path, *args: str) -> list[dict[str, object]]:
    result = run_kg_here("--root", str(root), *args, "conflicts", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_first_command_builds_the_store_and_answers_as_a_fresh_load(curated: Path) -> None:
    store = curated / "build" / "store"
    assert current_generation(store) is None
    warm_first = findings(curated)
    generation = current_generation(store)
    assert generation is not None, "the first command did not build build/store"
    warm_again = findings(curated)
    assert current_generation(store) == generation, "an unchanged project was rebuilt"
    fresh = findings(curated, "--store", "memory")
    assert warm_first == warm_again == fresh
    assert [f["id"] for f in fresh] == ["litigation:symantec@openstack-foundation"]
    manifest = read_manifest(store)
    assert "data/curated/lawsuits.ttl" in manifest and "ontology/kg.ttl" in manifest


def test_the_same_findings_warm_as_cold_on_a_synthetic_graph(tmp_project: Path) -> None:
    from bench.synthetic import generate

    generate(3_000, tmp_project / "data" / "synthetic.nt", seed=7, turtle=False)
    warm = findings(tmp_project)
    assert warm, "the synthetic graph plants findings"
    assert warm == findings(tmp_project, "--store", "memory")


def test_a_changed_file_is_reloaded_alone_and_a_touched_one_not_at_all(tmp_project: Path) -> None:
    org = tmp_project / "data" / "org.ttl"
    org.write_text(ORG.format(label="Before"), encoding="utf-8")
    (tmp_project / "data" / "other.ttl").write_text(ORG.replace("warm-test-org", "other"),
                                                    encoding="utf-8")
    settings = Settings(root=tmp_project)
    labels = ("SELECT ?l WHERE { <https://w3id.org/kg/id/warm-test-org> ?p ?l "
              "FILTER(isLiteral(?l)) }")

    def label() -> str:
        store = project_store(settings)
        try:
            return str(next(iter(store.select(labels)))["l"])
        finally:
            store.close()

    assert label() == "Before"
    store_path = tmp_project / "build" / "store"
    first = current_generation(store_path)
    other_entry = read_manifest(store_path)["data/other.ttl"]

    os.utime(org, (1, 1))  # mtime changed, content not: nothing to do
    assert label() == "Before"
    assert current_generation(store_path) == first

    org.write_text(ORG.format(label="After"), encoding="utf-8")
    assert label() == "After"
    second = current_generation(store_path)
    assert second != first
    assert read_manifest(store_path)["data/other.ttl"] == other_entry


def test_a_broken_file_names_its_line_and_the_previous_store_stays(curated: Path) -> None:
    findings(curated)
    store = curated / "build" / "store"
    generation = current_generation(store)
    broken = curated / "data" / "broken.ttl"
    broken.write_text("@prefix kg: <https://w3id.org/kg/ontology#> .\nkg:a kg:b .\n",
                      encoding="utf-8")
    result = run_kg_here("--root", str(curated), "conflicts")
    assert result.returncode == 2
    assert "broken.ttl:2:" in result.stderr and "Traceback" not in result.stderr
    assert current_generation(store) == generation
    broken.unlink()
    assert findings(curated)  # and it answers again at once


def test_a_project_whose_build_folder_cannot_be_made_is_answered_from_memory(
        curated: Path) -> None:
    (curated / "build").write_text("not a folder\n", encoding="utf-8")  # as on a read-only disk
    assert findings(curated) == findings(curated, "--store", "memory")
    assert (curated / "build").read_text(encoding="utf-8") == "not a folder\n"


def test_the_command_line_does_not_offer_rdflibs_engine() -> None:
    result = run_kg_here("--store", "rdflib", "conflicts")
    assert result.returncode == 2
    assert "'rdflib'" in result.stderr and "memory" in result.stderr
    env = run_kg_here("--store", "memory", "query", "foundations", "--format", "json")
    assert env.returncode == 0 and "openstack-foundation" in env.stdout


def test_a_large_projects_first_command_answers_from_memory_and_builds_behind(
        tmp_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from bench.synthetic import generate
    from kg.building import is_current
    from kg.project import someone_writing

    generate(3_000, tmp_project / "data" / "synthetic.nt", seed=7, turtle=False)
    monkeypatch.setenv("KG_BACKGROUND_BUILD_BYTES", "1")  # every project counts as large
    store, settings = tmp_project / "build" / "store", Settings(root=tmp_project)
    first = findings(tmp_project)
    log = tmp_project / ".kg" / "background-build.log"
    assert log.exists(), "no background build was started"
    deadline = time.monotonic() + 120
    while (current_generation(store) is None or someone_writing(settings)) \
            and time.monotonic() < deadline:
        time.sleep(0.2)
    assert is_current(settings, store), log.read_text(encoding="utf-8")
    assert re.match(r"built .*/build/store: [\d,]+ triples in \d+ files",
                    log.read_text(encoding="utf-8"))
    assert first and first == findings(tmp_project) == findings(tmp_project, "--store", "memory")
    assert current_generation(store).name == "gen-000001"  # the later commands built nothing
