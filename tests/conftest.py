"""Shared fixtures: the real project (ontology + data + queries) and a CLI runner."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.config import Settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(root=ROOT)


@pytest.fixture(scope="session")
def repo_store(settings: Settings):  # type: ignore[no-untyped-def]
    from kg.stores import build_store

    return build_store(settings)


@pytest.fixture
def tmp_project(tmp_path: Path) -> Path:
    """A copy of the project's ontology and queries with an empty data/ folder."""
    shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
    shutil.copytree(ROOT / "queries", tmp_path / "queries")
    (tmp_path / "data").mkdir()
    return tmp_path


def load_with_ontology(store, path: Path):  # type: ignore[no-untyped-def]
    """``store`` with the project's ontology and the graph at ``path``, as a build holds them:
    the finder reads its words, ranks and precisions from the ontology, and its contribution
    totals from the derived graph."""
    for ontology in sorted((ROOT / "ontology").glob("*.ttl")):
        store.load_file(ontology, "urn:test:ontology")
    store.load_file(path, "urn:test:g")
    from kg.derived import refresh_totals

    refresh_totals(store)  # the derived contribution totals a build adds
    return store


def run_kg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], cwd=cwd or ROOT, capture_output=True, text=True,
        timeout=600,
    )


def run_kg_here(*args: str) -> subprocess.CompletedProcess[str]:
    """The command line in this process (``kg.cli.main``, output captured): the same exit codes
    and output as :func:`run_kg` without the second or so a new interpreter costs."""
    from .fuzzing import run_cli

    outcome = run_cli(list(args))
    if outcome.traceback:
        raise AssertionError(outcome.traceback)
    return subprocess.CompletedProcess(list(args), outcome.code, outcome.stdout, outcome.stderr)
