"""The commands a user types, timed as a user runs them: ``python -m bench.commands``.

Each command runs as its own ``kg`` process (Python start-up and imports included) on two
projects made under ``bench/work/commands/``: ``curated`` (a copy of this repository's
ontology, queries and data, as a fresh clone has them) and ``1m`` (the ontology and queries
with the 1M-triple synthetic graph of ``bench/synthetic.py`` and one small file).

- **cold**: the first run after a clone: the project store (``build/``, ``.kg/``) is deleted
  before each run, so the run builds it (a large project's first command answers from memory
  and builds the store in the background: ``store_ready_s`` is when that build finished);
- **warm**: the store is up to date; one unmeasured run first;
- **incremental**: ``kg build`` after one small data file changed (a comment appended);
- ``--store memory``: loaded afresh into memory on every run (the route without a store).

Python writes its bytecode cache as it does for a user (``PYTHONDONTWRITEBYTECODE``, set on
some build machines, is cleared for the child), so warm runs import compiled modules.

Wall time is the median of ``--runs`` runs; memory is the largest peak RSS (``ru_maxrss`` of
the child, from ``os.wait4``). The figures go to ``bench/commands.json``, rendered into the
"User commands" table of ``bench/RESULTS.md`` by ``bench/render.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work" / "commands"
OUT = ROOT / "bench" / "commands.json"
KG = [sys.executable, "-m", "kg"]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
SMALL = """@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix kgd: <https://w3id.org/kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
kgd:bench-small-org a kg:Company ; rdfs:label "Bench small organization" ;
    kg:source kgd:src-bench-small ; kg:confidence kg:Uncertain .
kgd:src-bench-small a kg:Source ; kg:url "https://example.org/bench/small"^^xsd:anyURI .
"""

# (label, arguments) per project; {p} is the project's profile entity, {w}/{t}/{d} a what-if
CURATED = [
    ("kg conflicts", ["conflicts"]),
    ("kg query contributions-by-company", ["query", "contributions-by-company",
                                           "-p", "component=nova", "-p", "year=2014"]),
    ("kg profile symantec", ["profile", "symantec"]),
    ("kg conflicts --what-if", ["conflicts", "--what-if", "symantec", "--tier",
                                "openstack-foundation-gold", "--join-date", "2013-06-01"]),
    ("kg validate", ["validate"]),
    ("kg validate --engine fast", ["validate", "--engine", "fast"]),
    ("kg render --entity nova", ["render", "--entity", "nova", "-o", "{out}/nova.png"]),
    ("kg render --finding 1", ["render", "--finding", "1", "-o", "{out}/finding.png"]),
    ("kg export --format turtle", ["export", "--format", "turtle", "-o", "{out}/all.ttl"]),
]
ONE_M = [
    ("kg conflicts", ["conflicts"]),
    ("kg profile", ["profile", "{p}"]),
    ("kg conflicts --what-if", ["conflicts", "--what-if", "{w}", "--tier", "{t}",
                                "--join-date", "{d}", "--foundation", "{f}"]),
    ("kg validate --engine fast", ["validate", "--engine", "fast"]),
]


def run(args: list[str], cwd: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS in MB, exit code) of one ``kg`` process."""
    started = time.perf_counter()
    proc = subprocess.Popen([*KG, *args], cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=ENV)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    err = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"kg {' '.join(args)} failed ({code}): {err.strip()[-400:]}")
    return seconds, usage.ru_maxrss // 1024, code


def forget_store(project: Path) -> None:
    for name in ("build", ".kg"):
        shutil.rmtree(project / name, ignore_errors=True)


def wait_for_store(project: Path) -> None:
    """Until the store a large project's first command builds in the background is ready."""
    from kg.building import is_current
    from kg.config import Settings
    from kg.project import someone_writing

    settings = Settings(root=project)
    deadline = time.monotonic() + 900
    while someone_writing(settings) or not is_current(settings):
        if time.monotonic() > deadline:
            raise SystemExit(f"{project}: the store was not built within 900 s")
        time.sleep(0.1)


def measure(project: Path, args: list[str], runs: int, *, cold: bool) -> dict[str, Any]:
    times, ready, peak = [], [], 0
    builds = args[0] != "validate"  # kg validate reads the files, it makes no store
    if not cold:
        run(args, project)
        if builds:
            wait_for_store(project)
    for _ in range(runs):
        if cold:
            forget_store(project)
        started = time.perf_counter()
        seconds, mb, _code = run(args, project)
        times.append(seconds)
        peak = max(peak, mb)
        if cold and builds:
            wait_for_store(project)  # a large project builds it behind the answer
            ready.append(time.perf_counter() - started)
    out = {"median_s": round(statistics.median(times), 3), "runs": runs, "peak_mb": peak,
           "times": [round(t, 3) for t in times]}
    if ready and statistics.median(ready) > statistics.median(times) + 1:
        out["store_ready_s"] = round(statistics.median(ready), 3)
    return out


def make_curated() -> Path:
    project = WORK / "curated"
    shutil.rmtree(project, ignore_errors=True)
    for folder in ("ontology", "queries", "data"):
        shutil.copytree(ROOT / folder, project / folder)
    (project / "data" / "small.ttl").write_text(SMALL, encoding="utf-8")
    return project


def make_one_m() -> tuple[Path, dict[str, str]]:
    from bench.synthetic import generate

    project = WORK / "1m"
    shutil.rmtree(project, ignore_errors=True)
    for folder in ("ontology", "queries"):
        shutil.copytree(ROOT / folder, project / folder)
    (project / "data").mkdir()
    source = ROOT / "bench" / "work" / "g1000000.ttl"
    expected_file = ROOT / "bench" / "work" / "g1000000.nt.expected.json"
    if not (source.exists() and expected_file.exists()):
        generate(1_000_000, ROOT / "bench" / "work" / "g1000000.nt")
    shutil.copyfile(source, project / "data" / "synthetic.ttl")
    (project / "data" / "small.ttl").write_text(SMALL, encoding="utf-8")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    what_if = expected["what_if"][0]
    local = what_if["foundation"].rsplit("/", 1)[-1]
    return project, {"p": expected["profile_entity"], "w": what_if["entity"],
                     "t": f"{local}-tier-1", "d": what_if["date"], "f": local}


def incremental(project: Path, runs: int) -> dict[str, Any]:
    """``kg build`` after one small file changed, and a fresh ``kg build`` to compare."""
    fresh = measure(project, ["build"], runs, cold=True)
    times, peak = [], 0
    small = project / "data" / "small.ttl"
    for i in range(runs):
        small.write_text(SMALL + f"# edit {i}\n", encoding="utf-8")
        seconds, mb, _ = run(["build"], project)
        times.append(seconds)
        peak = max(peak, mb)
    changed = {"median_s": round(statistics.median(times), 3), "runs": runs, "peak_mb": peak,
               "times": [round(t, 3) for t in times]}
    return {"fresh": fresh, "one small file changed": changed,
            "ratio": round(changed["median_s"] / fresh["median_s"], 4)}


def bench_project(name: str, project: Path, commands: list[tuple[str, list[str]]],
                  values: dict[str, str], runs: int, cold_runs: int) -> dict[str, Any]:
    out = WORK / f"{name}-out"
    out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, Any] = {}
    for label, template in commands:
        args = [a.format(out=out, **values) for a in template]
        print(f"{name}: {label}", file=sys.stderr, flush=True)
        rows[label] = {
            "cold": measure(project, args, cold_runs, cold=True),
            "warm": measure(project, args, runs, cold=False),
        }
        if args[0] != "validate":  # validation reads the files, whatever the store
            rows[label]["memory"] = measure(project, ["--store", "memory", *args], cold_runs,
                                            cold=False)
    rows["kg build"] = incremental(project, cold_runs)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs per command (median)")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold runs per command")
    parser.add_argument("--skip-1m", action="store_true", help="the curated project only")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}",
        "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "projects": {},
    }
    curated = make_curated()
    results["projects"]["curated"] = bench_project("curated", curated, CURATED, {},
                                                   args.runs, args.cold_runs)
    demo = WORK / "curated-demo"
    results["projects"]["curated"]["make demo (kg demo)"] = {
        "cold": measure(curated, ["demo", "--output", str(demo)], args.cold_runs, cold=True),
        "warm": measure(curated, ["demo", "--output", str(demo)], args.runs, cold=False),
    }
    OUT.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")  # kept if 1M fails
    if not args.skip_1m:
        project, values = make_one_m()
        results["projects"]["1m"] = bench_project("1m", project, ONE_M, values,
                                                  max(1, args.runs // 2), 1)
    OUT.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
