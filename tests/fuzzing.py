"""The fuzz harness shared by ``tests/test_fuzz.py`` (bounded, in ``make test``) and
``bench/fuzz.py`` (``make fuzz``: the long run that writes ``bench/FUZZ.md``).

Every generated input is fed to the real command line (``kg.cli.main``, in process, output
captured) in a small project, and checked as a user would: the exit code is 0, 1 or 2; no
traceback; a failure is one ``kg: error:`` line (or ``error:`` lines for ingest) naming the file
and, for a syntax error or a bad row, the line or row; nothing in the project changed when the
command failed; no connection reached a listener on loopback (every hostile URL points at it);
and no run took longer than :data:`HANG_SECONDS`.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import signal
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from .fuzz_inputs import (  # noqa: F401 (the strategies, re-exported for the two runners)
    CASE,
    QUERIES,
    STRICT,
    SUFFIX,
    csv_files,
    query_params,
    rdf_documents,
)

ROOT = Path(__file__).resolve().parent.parent
HANG_SECONDS = 20
KINDS = ("turtle", "ntriples", "nquads", "trig", "jsonld", "csv", "params")


class Hang(BaseException):
    """Raised by the alarm when one run takes longer than HANG_SECONDS."""


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float
    traceback: str = ""
    hang: bool = False


@dataclass
class Figures:
    """What a fuzz run saw, per kind of input."""

    tried: Counter[str] = field(default_factory=Counter)
    exits: dict[str, Counter[int]] = field(default_factory=dict)
    failures: dict[str, list[str]] = field(default_factory=dict)
    slowest: dict[str, float] = field(default_factory=dict)

    def add(self, kind: str, outcome: Outcome, problems: list[str]) -> None:
        self.tried[kind] += 1
        self.exits.setdefault(kind, Counter())[outcome.code] += 1
        self.slowest[kind] = max(self.slowest.get(kind, 0.0), outcome.seconds)
        for problem in problems:
            self.failures.setdefault(kind, []).append(problem)

    def count(self, kind: str, prefix: str) -> int:
        return sum(1 for p in self.failures.get(kind, []) if p.startswith(prefix))


class Listener:
    """A TCP listener on loopback that counts the connections it is offered."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


def make_project(root: Path) -> Path:
    """A small project: the real ontology and queries, the example case as its data."""
    from kg.config import Settings
    from kg.tabular import ingest_files

    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "queries", root / "queries")
    (root / "data").mkdir()
    ingest_files(Settings(root=root), sorted(CASE.glob("*.csv"))).raise_for_errors()
    (root / "inputs").mkdir()
    return root


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every file of the project but kg's lock files, the fuzz inputs and the project store
    (``build/store``: kg's cache, kept whole by its own generation swap, tested in
    tests/test_building.py): size, mtime."""
    found = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(("inputs", ".kg/")) and not rel.startswith(".kg/staging"):
            continue
        if rel == "build" or rel.startswith(("build/store", "build/.store")):
            continue
        stat = path.lstat()
        found[rel] = (stat.st_size, stat.st_mtime_ns)
    return found


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise Hang


def run_cli(args: list[str]) -> Outcome:
    """``kg ARGS`` in process, stdout and stderr captured, stopped after HANG_SECONDS."""
    import traceback

    from kg.cli import main

    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    code, trace, hang = -1, "", False
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    except Hang:
        hang = True
    except Exception:  # noqa: BLE001 (what escapes main is exactly what we count)
        trace = traceback.format_exc()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return Outcome(code, out.getvalue(), err.getvalue(), time.monotonic() - started, trace, hang)


def common_problems(outcome: Outcome, before: dict[str, tuple[int, int]],
                    after: dict[str, tuple[int, int]], listener: Listener,
                    connections: int) -> list[str]:
    problems = []
    if outcome.hang:
        problems.append(f"hang: over {HANG_SECONDS} s")
    if outcome.traceback or "Traceback" in outcome.stderr:
        problems.append(f"traceback: {(outcome.traceback or outcome.stderr)[-600:]}")
    if not outcome.hang and outcome.code not in (0, 1, 2):
        problems.append(f"exit code {outcome.code}")
    if listener.connections != connections:
        problems.append(f"network: {listener.connections - connections} connection(s)")
    if outcome.code not in (0, 1) and before != after:
        changed = sorted(set(before.items()) ^ set(after.items()))[:3]
        problems.append(f"partial write: {changed}")
    return problems


LINE_ERROR = re.compile(r":\d+(:\d+)?: ")
WHOLE_FILE = ("no such file", "not a regular file", "is a directory", "bigger than the limit",
              "not an RDF file")


def check_rdf(root: Path, kind: str, data: bytes, listener: Listener, *,
              in_data: bool) -> tuple[Outcome, list[str]]:
    """Validate a generated file (or put it in data/ and run a query); the problems seen."""
    name = f"fuzz{SUFFIX[kind]}"
    target = (root / "data" / name) if in_data else (root / "inputs" / name)
    target.write_bytes(data)
    before, connections = snapshot(root), listener.connections
    args = (["--root", str(root), "query", "foundations"] if in_data
            else ["--root", str(root), "validate", str(target)])
    outcome = run_cli(args)
    after = snapshot(root)
    if in_data:
        target.unlink()
        before.pop(f"data/{name}", None)
        after.pop(f"data/{name}", None)
    problems = common_problems(outcome, before, after, listener, connections)
    if outcome.code == 2:
        lines = [line for line in outcome.stderr.splitlines() if line.strip()]
        if len(lines) != 1 or not lines[0].startswith("kg: error: "):
            problems.append(f"not one error line: {outcome.stderr[:300]!r}")
        elif str(target) not in lines[0]:
            problems.append(f"error does not name the file: {lines[0][:300]}")
        elif not LINE_ERROR.search(lines[0]) and not any(w in lines[0] for w in WHOLE_FILE):
            problems.append(f"error without a line: {lines[0][:300]}")
    return outcome, problems


ROW_ERROR = re.compile(r"^error: .+\.csv:\d+[:]")
WHOLE_CSV = ("cannot tell the record type", "not a regular file", "no such file",
             "another input has the same name", "would be a hidden file")


def check_csv(root: Path, name: str, data: bytes,
              listener: Listener) -> tuple[Outcome, list[str]]:
    folder = root / "inputs" / f"{time.monotonic_ns()}"
    folder.mkdir()
    path = folder / name
    path.write_bytes(data)
    before, connections = snapshot(root), listener.connections
    outcome = run_cli(["--root", str(root), "ingest", str(path)])
    after = snapshot(root)
    problems = common_problems(outcome, before, after, listener, connections)
    if outcome.code == 2:
        lines = [line for line in outcome.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("error: ")]
        if not errors or not lines[-1].startswith("nothing was written"):
            if not (len(lines) == 1 and lines[0].startswith("kg: error: ")):
                problems.append(f"unexpected error output: {outcome.stderr[:300]!r}")
        for line in errors:
            if str(path) in line and not ROW_ERROR.match(line) \
                    and not any(w in line for w in WHOLE_CSV):
                problems.append(f"error without a row: {line[:300]}")
            elif ".csv" not in line and ".ttl" not in line:
                problems.append(f"error does not name a file: {line[:300]}")
    elif outcome.code == 0:
        for line in outcome.stdout.splitlines():
            if line.startswith("wrote "):
                written = Path(line.removeprefix("wrote ").split(": ", 1)[0])
                written.unlink()
    shutil.rmtree(folder)
    return outcome, problems


def check_param(root: Path, name: str, param: str, kind: str, value: str,
                listener: Listener, *, store: str) -> tuple[Outcome, list[str]]:
    needed = {"contributions-by-company": ["-p", "year=2014", "-p", "component=nova"]}
    args = ["--root", str(root), "--store", store, "query", name,
            *needed.get(name, []), "-p", f"{param}={value}"]
    before, connections = snapshot(root), listener.connections
    outcome = run_cli(args)
    problems = common_problems(outcome, before, snapshot(root), listener, connections)
    if outcome.code == 2:
        lines = [line for line in outcome.stderr.splitlines() if line.strip()]
        if len(lines) != 1 or not lines[0].startswith("kg: error: "):
            problems.append(f"not one error line: {outcome.stderr[:300]!r}")
        elif "parameter" not in lines[0] and "query" not in lines[0]:
            problems.append(f"error does not name the parameter: {lines[0][:300]}")
    elif outcome.code == 0 and kind in STRICT and param.strip() in ("as_of", "year") \
            and not STRICT[kind].fullmatch(value.strip()):
        problems.append(f"accepted {value!r} as a {kind}")
    return outcome, problems


@contextlib.contextmanager
def fuzz_project(base: Path) -> Iterator[tuple[Path, Listener]]:
    listener = Listener()
    try:
        yield make_project(base / "project"), listener
    finally:
        listener.close()
