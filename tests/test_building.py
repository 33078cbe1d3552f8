"""The persistent store: incremental builds, fast reopen, and kill -9 safety; the progress bar."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kg.building import build_persistent, open_persistent, read_manifest
from kg.config import Settings
from kg.errors import SourceError, StoreError
from kg.progress import Progress, is_interactive, make_progress

REPO = Path(__file__).resolve().parent.parent
CORE = Path(__file__).resolve().parent / "fixtures" / "conformance" / "core.ttl"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def small_project(root: Path) -> Settings:
    shutil.copytree(REPO / "ontology", root / "ontology")
    (root / "data").mkdir()
    shutil.copy(CORE, root / "data" / "core.ttl")
    (root / "data" / "extra.ttl").write_text(
        '@prefix ex: <http://example.org/> .\nex:a ex:p "one" .\n', encoding="utf-8"
    )
    return Settings(root=root)


def count(path: Path) -> int:
    store = open_persistent(path)
    try:
        return int(store.select(COUNT).rows[0]["n"])  # type: ignore[arg-type]
    finally:
        store.close()


def test_build_reopen_and_incremental(tmp_path: Path, record_property) -> None:  # type: ignore[no-untyped-def]
    settings = small_project(tmp_path / "p")
    path = tmp_path / "store"

    first = build_persistent(settings, path, progress=False)
    assert "data/core.ttl" in first.added and "data/extra.ttl" in first.added
    assert first.generation == "gen-000001" and path.is_symlink()
    assert first.triples == count(path) > 300

    started = time.perf_counter()
    store = open_persistent(path)
    reopen = time.perf_counter() - started
    record_property("reopen_seconds", round(reopen, 4))  # recorded, not asserted
    assert len(store) == first.triples
    store.close()

    again = build_persistent(settings, path, progress=False)
    assert again.up_to_date and again.generation == first.generation and again.loaded == []

    (settings.data_dir / "extra.ttl").write_text(
        '@prefix ex: <http://example.org/> .\nex:a ex:p "one", "two" .\n', encoding="utf-8"
    )
    (settings.data_dir / "new.nt").write_text(
        "<http://example.org/b> <http://example.org/p> \"three\" .\n", encoding="utf-8"
    )
    changed = build_persistent(settings, path, progress=False)
    assert changed.changed == ["data/extra.ttl"] and changed.added == ["data/new.nt"]
    assert changed.loaded == ["data/extra.ttl", "data/new.nt"]
    assert "data/core.ttl" in changed.unchanged and not changed.removed
    assert changed.triples == first.triples + 2 == count(path)
    assert read_manifest(path)["data/extra.ttl"].triples == 2

    (settings.data_dir / "new.nt").unlink()
    removed = build_persistent(settings, path, progress=False)
    assert removed.removed == ["data/new.nt"] and removed.loaded == []
    assert count(path) == first.triples + 1
    generations = sorted(p.name for p in (tmp_path / "store.d").glob("gen-*[0-9]"))
    assert len(generations) == 2  # the current one and the one before it


def test_a_failed_build_leaves_the_store_alone(tmp_path: Path) -> None:
    settings = small_project(tmp_path / "p")
    path = tmp_path / "store"
    before = build_persistent(settings, path, progress=False)
    (settings.data_dir / "extra.ttl").write_text("ex:broken ex:p .\n", encoding="utf-8")
    with pytest.raises(SourceError):
        build_persistent(settings, path, progress=False)
    assert count(path) == before.triples
    assert [p.name for p in (tmp_path / "store.d").glob("gen-*[0-9]")] == ["gen-000001"]


def test_refuses_a_directory_it_did_not_make(tmp_path: Path) -> None:
    settings = small_project(tmp_path / "p")
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "precious.txt").write_text("keep me")
    with pytest.raises(StoreError, match="not a store made by"):
        build_persistent(settings, tmp_path / "store", progress=False)
    assert (tmp_path / "store" / "precious.txt").exists()
    with pytest.raises(StoreError, match="no store built"):
        open_persistent(tmp_path / "nothing")


KILLED_BUILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kg.building import build_persistent
    from kg.config import Settings
    from kg.progress import Progress

    class Tell(Progress):
        def set_label(self, label):
            print(label, flush=True)

    build_persistent(Settings(root=Path(sys.argv[1])), Path(sys.argv[2]),
                     progress=Tell(enabled=False))
    print("finished", flush=True)
    """
)


def test_kill_9_halfway_leaves_the_previous_store_intact(tmp_path: Path) -> None:
    settings = small_project(tmp_path / "p")
    path = tmp_path / "store"
    before = build_persistent(settings, path, progress=False)

    big = settings.data_dir / "big.nt"
    with big.open("w", encoding="utf-8") as out:
        for i in range(600_000):
            out.write(f'<http://example.org/big/{i}> <http://example.org/p> "value {i}" .\n')

    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_BUILD, str(settings.root), str(path)],
        stdout=subprocess.PIPE, text=True, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if "loading data/big.nt" in line:
            break
    else:
        pytest.fail(f"the build never reached the big file (exit {proc.wait()})")
    home = tmp_path / "store.d"
    deadline = time.monotonic() + 10
    while not any(p.is_dir() for p in home.glob("gen-000002")) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # let it write for a while
    assert proc.poll() is None, "the build finished before it could be killed: make big.nt bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (home / "gen-000002").exists()  # a half-written generation…

    assert count(path) == before.triples  # …and the store still answers, as before
    store = open_persistent(path)
    assert store.ask("ASK { ?s <http://example.org/p> \"one\" }")
    assert not store.ask("ASK { <http://example.org/big/0> ?p ?o }")
    store.close()

    after = build_persistent(settings, path, progress=False)  # the next build cleans up
    assert after.added == ["data/big.nt"] and after.triples == before.triples + 600_000
    assert count(path) == after.triples
    assert not (home / "gen-000002.json").exists() or after.generation == "gen-000002"


# --- the progress bar ----------------------------------------------------------------------------

class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_silent_when_piped_or_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("KG_NO_PROGRESS", raising=False)
    piped = io.StringIO()
    with Progress(10, "load", stream=piped) as bar:
        bar.update(5)
    assert piped.getvalue() == ""
    assert is_interactive(FakeTTY())
    monkeypatch.setenv("CI", "true")
    assert not is_interactive(FakeTTY())
    tty = FakeTTY()
    with Progress(10, "load", stream=tty) as bar:
        bar.update(5)
    assert tty.getvalue() == ""


def test_progress_draws_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("KG_NO_PROGRESS", raising=False)
    monkeypatch.delenv("KG_PROGRESS", raising=False)
    tty = FakeTTY()
    with Progress(4, "load", stream=tty) as bar:
        bar.set_label("load data/x.ttl")
        bar.update(4)
    out = tty.getvalue()
    assert "load data/x.ttl" in out and "100%" in out and "4/4" in out
    assert make_progress(False).enabled is False
    own = Progress(enabled=True, stream=FakeTTY())
    assert make_progress(own, total=3, label="x") is own and own.total == 3
    monkeypatch.setenv("KG_PROGRESS", "0")
    assert not is_interactive(FakeTTY())


def test_a_step_shows_its_label_and_a_step_within_a_step_stays_quiet() -> None:
    outer, inner = FakeTTY(), FakeTTY()
    with Progress(None, "validate", stream=outer, enabled=True):
        with Progress(None, "load into memory", stream=inner, enabled=True):
            pass
    assert "validate" in outer.getvalue() and inner.getvalue() == ""
