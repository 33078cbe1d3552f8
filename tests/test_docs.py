"""Every console example of README.md and examples/README.md runs, and prints what it shows.

The commands run in process (``kg.cli.main``) in a copy of the project, in the order the
document gives them; ``cp`` and ``rm`` are done in that copy too. A command the test cannot run
(an install, a server, the network) sits in a block marked ``<!-- docs: not run (why) -->``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT, run_kg_here
from .docs import Step, matches, steps

DOCUMENTS = {"README.md": ROOT / "README.md", "examples/README.md": ROOT / "examples" / "README.md"}
COPIED = ("ontology", "data", "queries", "examples", "tests/fixtures/ftm")
SHELL = {"cp", "rm", "mkdir"}
WIDTH = 100  # the documentation's tables are as wide as a piped kg prints them


@contextlib.contextmanager
def inside(folder: Path) -> Iterator[None]:
    before, columns = Path.cwd(), os.environ.get("COLUMNS")
    os.chdir(folder)
    os.environ["COLUMNS"] = str(WIDTH)
    try:
        yield
    finally:
        os.chdir(before)
        if columns is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = columns


def expand(args: list[str], folder: Path) -> list[str]:
    out: list[str] = []
    for arg in args:
        hits = sorted(glob.glob(arg, root_dir=folder)) if any(c in arg for c in "*?[") else []
        out += hits or [arg]
    return out


def shell(argv: list[str], folder: Path) -> tuple[int, str]:
    program, *args = argv
    paths = [folder / a for a in args if not a.startswith("-")]
    if program == "mkdir":
        for p in paths:
            p.mkdir(parents=True, exist_ok=True)
    elif program == "rm":
        for p in paths:
            shutil.rmtree(p) if p.is_dir() else p.unlink(missing_ok=True)
    elif program == "cp":
        *sources, target = paths
        for source in sources:
            if source.is_dir():
                shutil.copytree(source, target if not target.exists() else target / source.name)
            else:
                shutil.copy(source, target)
    return 0, ""


def run(step: Step, folder: Path) -> tuple[int, list[str]]:
    argv = expand(step.argv(), folder)
    if not argv:
        return 0, []
    if argv[0] in SHELL:
        code, text = shell(argv, folder)
        return code, text.splitlines()
    if argv[0] != "kg":
        return -1, [f"the docs test cannot run {argv[0]!r}: mark its block "
                    "<!-- docs: not run (why) -->"]
    with inside(folder):
        done = run_kg_here(*argv[1:])
    return done.returncode, (done.stdout + done.stderr).splitlines()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One copy of the project per document (a document's ingests stay its own)."""
    copies = {}
    for name in DOCUMENTS:
        folder = tmp_path_factory.mktemp(name.replace("/", "-").replace(".", "-"))
        for part in COPIED:
            shutil.copytree(ROOT / part, folder / part)
        copies[name] = folder
    return copies


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_every_console_example_prints_what_it_shows(name: str,
                                                    project: dict[str, Path]) -> None:
    folder = project[name]
    problems = []
    found = steps(DOCUMENTS[name], name)
    assert found, f"{name} shows no console example"
    for step in found:
        code, lines = run(step, folder)
        if step.expected:
            if not matches(step.expected, lines):
                shown = "\n".join(lines[:40])
                problems.append(f"{step.where}: $ {step.command}\n--- printed:\n{shown}")
        elif code != 0:
            problems.append(f"{step.where}: $ {step.command} exited {code}: {lines[-3:]}")
    assert not problems, "\n\n".join(problems)


def test_the_matcher_reads_ellipses_as_documented() -> None:
    assert matches(["a …", "…", "z"], ["a b c", "x", "y", "z"])
    assert matches(["a", "…"], ["a"])
    assert not matches(["a", "b"], ["a", "c"])
    assert not matches(["a …"], ["b c"])
