"""An ingest batch lands whole or not at all, even under kill -9, and writers take turns."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.config import Settings
from kg.project import data_files, reading, state_dir
from kg.tabular import ingest_files

from .conftest import ROOT

CASE = ROOT / "examples" / "new-case"
# os.replace made slow, so that a kill lands inside the commit step as well as before it
SLOW_REPLACE = """
import os, sys, time
real = os.replace
def slow(a, b, *args, **kwargs):
    sys.stderr.write("kg-test: replace\\n"); sys.stderr.flush()
    time.sleep(0.15)
    return real(a, b, *args, **kwargs)
os.replace = slow
from kg.cli import main
main(sys.argv[1:])
"""


def _outputs(project: Path) -> dict[str, bytes]:
    folder = project / "data" / "ingested"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*")) if p.is_file()} \
        if folder.is_dir() else {}


def _version(batch: Path, word: str) -> list[Path]:
    batch.mkdir()
    for csv in sorted(CASE.glob("*.csv")):
        text = csv.read_text(encoding="utf-8").replace("FICTIONAL", word).replace("fictional",
                                                                                  word.lower())
        (batch / csv.name).write_text(text, encoding="utf-8")
    return sorted(batch.glob("*.csv"))


@pytest.fixture
def states(tmp_project: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[
        Path, list[Path], dict[str, bytes], dict[str, bytes]]:
    """A project holding batch A, the files of batch B, and both states as bytes."""
    elsewhere = tmp_path_factory.mktemp("batches")
    old = _version(elsewhere / "a", "FICTIONAL")
    new = _version(elsewhere / "b", "INVENTED")
    project = Settings(root=tmp_project)
    ingest_files(project, old).raise_for_errors()
    state_a = _outputs(tmp_project)
    shutil.copytree(tmp_project, elsewhere / "copy")
    ingest_files(Settings(root=elsewhere / "copy"), new).raise_for_errors()
    state_b = _outputs(elsewhere / "copy")
    differ = [n for n in state_a if state_a[n] != state_b.get(n)]
    assert len(differ) >= 3 and set(state_a) == set(state_b)
    return tmp_project, new, state_a, state_b


def _start(project: Path, files: list[Path]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SLOW_REPLACE, "--root", str(project), "ingest",
         *map(str, files)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def test_a_killed_ingest_leaves_the_old_batch_or_the_new_one_never_a_mix(states) -> None:  # type: ignore[no-untyped-def]
    project, new, state_a, state_b = states
    pristine = new[0].parent.parent / "pristine"
    shutil.copytree(project, pristine)
    rng = random.Random(9)
    seen = {"old": 0, "new": 0}
    for attempt in range(6):
        shutil.rmtree(project)
        shutil.copytree(pristine, project)
        proc = _start(project, new)
        if attempt % 2:  # kill somewhere in the commit step
            assert proc.stderr is not None
            line = proc.stderr.readline()
            assert "kg-test: replace" in line, line
            time.sleep(rng.uniform(0.0, 0.9))
        else:            # kill anywhere in the run
            time.sleep(rng.uniform(0.2, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        settings = Settings(root=project)
        with reading(settings):  # any reader first finishes a commit that was cut
            data_files(settings)
            state = _outputs(project)
        assert state in (state_a, state_b), f"attempt {attempt}: a mix of both batches"
        seen["old" if state == state_a else "new"] += 1
        ingest_files(settings, new).raise_for_errors()  # the next run cleans up and works
        assert _outputs(project) == state_b
        assert sorted(p.name for p in state_dir(settings).iterdir()) == ["data.lock",
                                                                          "write.lock"]
    assert seen["old"] and seen["new"], seen


def test_two_conflicting_ingests_at_once_one_is_refused(tmp_project: Path,
                                                        tmp_path: Path) -> None:
    ingest_files(Settings(root=tmp_project), [CASE / "example-sources.csv"]).raise_for_errors()
    mine, theirs = tmp_path / "mine-organizations.csv", tmp_path / "theirs-organizations.csv"
    for path in (mine, theirs):  # both define example-widgets and example-gadgets
        shutil.copy(CASE / "example-organizations.csv", path)
    procs = [_start(tmp_project, [path]) for path in (mine, theirs)]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    refused = next(err for code, err in results if code == 2)
    assert "already exists" in refused or "is running on this project" in refused, refused
    assert "Traceback" not in refused
    outputs = sorted(_outputs(tmp_project))
    assert outputs in (["example-sources.ttl", "mine-organizations.ttl"],
                       ["example-sources.ttl", "theirs-organizations.ttl"])


def test_a_folder_in_the_way_is_found_before_anything_is_written(states) -> None:  # type: ignore[no-untyped-def]
    project, new, state_a, _state_b = states
    blocked = project / "data" / "ingested" / "example-tiers.ttl"
    blocked.unlink()
    blocked.mkdir()
    before = _outputs(project)
    result = ingest_files(Settings(root=project), new)
    assert not result.ok and not result.written
    assert any(f"{blocked}: cannot write: a folder is in the way" in str(e)
               for e in result.errors), result.summary()
    blocked.rmdir()
    assert {n: b for n, b in _outputs(project).items()} == {
        n: b for n, b in before.items() if n != "example-tiers.ttl"}


def test_outputs_honour_the_umask(tmp_project: Path) -> None:
    old = os.umask(0o002)
    try:
        ingest_files(Settings(root=tmp_project), [CASE / "example-sources.csv"]).raise_for_errors()
    finally:
        os.umask(old)
    mode = (tmp_project / "data" / "ingested" / "example-sources.ttl").stat().st_mode & 0o777
    assert mode == 0o664


def test_build_and_ingest_share_the_writer_lock(tmp_project: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.building import build_persistent
    from kg.project import ProjectError, writing

    monkeypatch.setenv("KG_LOCK_WAIT", "0.2")
    project = Settings(root=tmp_project)
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom kg.config import Settings\n"
         "from kg.project import writing\nwith writing(Settings(root=__import__('pathlib')"
         ".Path(sys.argv[1]))):\n    print('held', flush=True)\n    time.sleep(30)\n",
         str(tmp_project)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        with pytest.raises(ProjectError, match="another 'kg ingest' or 'kg build' is running"):
            ingest_files(project, [CASE / "example-sources.csv"])
        with pytest.raises(ProjectError, match="is running on this project"):
            build_persistent(project, progress=False)
    finally:
        proc.kill()
        proc.wait()
    with writing(project, wait=0):  # free again once the holder is gone
        pass
