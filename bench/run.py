"""Run the benchmarks: ``python -m bench.run --sizes 10k,100k,1m,10m --repeat 5``.

Every measurement runs in a fresh child process (``bench.child``); its peak memory is the
child's ru_maxrss from ``os.wait4``. A run that would pass the cap (10 minutes) is not
started: its time is extrapolated from the smaller sizes and recorded as skipped. Results
accumulate in ``bench/results.json`` (re-running a cell replaces it) and are rendered to
``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, SIZES, ensure_graph, median
from kg.progress import Progress

RESULTS = ROOT / "bench" / "results.json"
FRESH = False            # --fresh: re-measure cells even when they took long
QUERY_OPS = ["scan-proxy", "scan-full", "whatif-query", "whatif-api", "profile", "image"]
BACKENDS = ["oxigraph", "oxigraph-disk", "rdflib"]
SHACL_ENGINES = ["pyshacl", "turbo", "fast", "rudof", "sharded-pyshacl", "sharded-turbo",
                 "sharded-fast"]


def run_child(args: dict[str, Any], cap: float) -> dict[str, Any]:
    """Run one child; returns its JSON plus peak_rss_mb and wall seconds, or an error."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "bench.child", json.dumps(args)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(cap, kill)
    timer.start()
    t = time.perf_counter()
    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []
    readers = [threading.Thread(target=lambda s=s, c=c: c.append(s.read()))
               for s, c in ((proc.stdout, out_chunks), (proc.stderr, err_chunks))]
    for r in readers:
        r.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    timer.cancel()
    for r in readers:
        r.join()
    peak = usage.ru_maxrss / 1024
    if killed.is_set():
        return {"error": f"killed at the {cap:.0f} s cap", "peak_rss_mb": peak, "wall": wall}
    lines = [x for x in b"".join(out_chunks).decode().splitlines() if x.startswith("{")]
    if os.waitstatus_to_exitcode(status) != 0 or not lines:
        tail = b"".join(err_chunks).decode()[-600:]
        return {"error": f"exit {os.waitstatus_to_exitcode(status)}: {tail}", "peak_rss_mb": peak,
                "wall": wall}
    result: dict[str, Any] = json.loads(lines[-1])
    result.update(peak_rss_mb=peak, wall=wall)
    return result


def load_results() -> dict[str, Any]:
    if RESULTS.exists():
        return json.loads(RESULTS.read_text(encoding="utf-8"))
    return {"cells": {}}


def save(results: dict[str, Any]) -> None:
    RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True), encoding="utf-8")


def cell_key(op: str, backend: str, size: str) -> str:
    return f"{op}|{backend}|{size}"


def predict(results: dict[str, Any], op: str, backend: str, size: str) -> tuple[float, str] | None:
    """Extrapolated seconds of one run at ``size`` from the largest measured smaller size,
    growing at least linearly (at the measured rate between the two largest, if faster)."""
    measured = []
    for s, n in SIZES.items():
        c = results["cells"].get(cell_key(op, backend, s))
        if c and c.get("median") is not None and n < SIZES[size]:
            measured.append((n, c["median"], s))
        if c and c.get("skipped") and c.get("extrapolated") and n < SIZES[size]:
            return c["extrapolated"] * SIZES[size] / n, f"{s} was skipped already"
    if not measured:
        return None
    measured.sort()
    n1, t1, s1 = measured[-1]
    exponent = 1.0
    if len(measured) >= 2:
        n0, t0, _ = measured[-2]
        if t0 > 0.05 and t1 > t0:
            import math

            exponent = max(1.0, math.log(t1 / t0) / math.log(n1 / n0))
    return t1 * (SIZES[size] / n1) ** exponent, f"{t1:.3g} s at {s1}, growth n^{exponent:.2f}"


MEM_CAP_MB = 10 * 1024


def predict_memory(results: dict[str, Any], op: str, backend: str,
                   size: str) -> tuple[float, str] | None:
    """Peak memory at ``size``, linear in the size from the largest measured smaller one; none
    for the on-disk store, whose graph stays on disk (its 10M scan peaked at 687 MB)."""
    best = None
    if backend == "oxigraph-disk":
        return None
    for s, n in SIZES.items():
        c = results["cells"].get(cell_key(op, backend, s))
        if c and c.get("peak_rss_mb") and n < SIZES[size]:
            best = (c["peak_rss_mb"] * SIZES[size] / n, f"{c['peak_rss_mb']:.0f} MB at {s}")
    return best


def record(results: dict[str, Any], op: str, backend: str, size: str, times: list[float] | None,
           **extra: Any) -> None:
    cell = {"op": op, "backend": backend, "size": size, **extra}
    if times:
        cell.update(times=times, median=median(times), runs=len(times))
    results["cells"][cell_key(op, backend, size)] = cell
    merged = load_results()      # cells another run saved meanwhile are kept, not overwritten
    merged["cells"][cell_key(op, backend, size)] = cell
    save(merged)
    results["cells"].update(merged["cells"])
    shown = f"{cell['median']:.4f} s" if times else cell.get("skipped") or cell.get("error")
    print(f"  {op:14} {backend:16} {size:5} {shown}", flush=True)


NO_FIT = {
    ("shacl-project", "turbo", "10m"): "the issue measured pyshacl-turbo past 22 GB unfinished "
                                       "at 10M on this machine",
    ("shacl-fallback", "turbo", "10m"): "the issue measured pyshacl-turbo past 22 GB unfinished "
                                        "at 10M on this machine",
}
for _which in ("project", "fallback"):
    for _size in ("1m", "10m"):
        NO_FIT[(f"shacl-{_which}", "rudof", _size)] = (
            "its report already differs from pySHACL's at 10k and 100k, and the issue measured "
            "rudof at 8.7 GB at 1M on this machine")


def maybe_skip(results: dict[str, Any], op: str, backend: str, size: str, cap: float,
               load_cost: float = 0.0, repeat: int = 1) -> bool:
    old = results["cells"].get(cell_key(op, backend, size))
    if old and old.get("median", 0) > 20 and old.get("runs", 0) >= 2 and not FRESH:
        print(f"  {op:14} {backend:16} {size:5} kept ({old['runs']} runs of >20 s)")
        return True
    if (op, backend, size) in NO_FIT:
        record(results, op, backend, size, None, extrapolated=None,
               skipped="skipped: " + NO_FIT[(op, backend, size)])
        return True
    peak = predict_memory(results, op, backend, size)
    if peak is not None and peak[0] > MEM_CAP_MB:
        record(results, op, backend, size, None, extrapolated=None,
               skipped=f"skipped: would need ≈{peak[0] / 1024:.0f} GiB of memory "
                       f"(extrapolated from {peak[1]}), more than the "
                       f"{MEM_CAP_MB / 1024:.0f} GiB this shared machine can give one run")
        return True
    guess = predict(results, op, backend, size)
    if guess is None:
        return False
    seconds, basis = guess
    if seconds + load_cost > cap or seconds * repeat + load_cost > cap * 3:
        record(results, op, backend, size, None, extrapolated=seconds,
               skipped=f"skipped: would exceed {cap / 60:.0f} min "
                       f"(extrapolated {seconds:.0f} s from {basis})")
        return True
    return False


def bench_load(results: dict[str, Any], size: str, path: Path, backends: list[str],
               repeat: int, cap: float) -> None:
    for fmt in ("nt", "ttl"):
        op = f"load-{fmt}"
        for backend in backends:
            if maybe_skip(results, op, backend, size, cap):
                continue
            times, peaks, extra = [], [], {}
            for _ in range(repeat):
                r = run_child({"op": op, "backend": backend, "graph": str(path), "repeat": 1}, cap)
                if "error" in r:
                    record(results, op, backend, size, None, error=r["error"])
                    break
                times += r["times"]
                peaks.append(r["peak_rss_mb"])
                extra = {"triples": r["triples"], "bytes": r["bytes"]}
            else:
                record(results, op, backend, size, times, peak_rss_mb=max(peaks), **extra)


def bench_queries(results: dict[str, Any], size: str, path: Path, backends: list[str],
                  repeat: int, cap: float, ops: list[str]) -> None:
    for backend in backends:
        load = results["cells"].get(cell_key("load-nt", backend, size), {})
        load_cost = float(load.get("median") or load.get("extrapolated") or 0)
        if backend == "oxigraph-disk":
            load_cost = 0.0
        todo = [op for op in ops if not maybe_skip(results, op, backend, size, cap, load_cost,
                                                   repeat)]
        if not todo or load_cost > cap:
            continue
        args = {"op": "queries", "backend": backend, "graph": str(path), "repeat": repeat,
                "ops": todo}
        r = run_child(args, cap * (len(todo) + 1))
        if "error" in r:
            for op in todo:
                record(results, op, backend, size, None, error=r["error"])
            continue
        for op, m in r["ops"].items():
            if "error" in m:
                record(results, op, backend, size, None, error=m["error"])
                continue
            checks = {k: m[k] for k in ("missing", "extra", "near_misses_found") if k in m}
            record(results, op, backend, size, m["times"], rows=m.get("rows"),
                   correct=m.get("correct"), peak_rss_mb=r["peak_rss_mb"],
                   answer=m.get("answer"), load_seconds=r["load_seconds"], **checks)


def bench_floor(results: dict[str, Any], size: str, path: Path, repeat: int, cap: float) -> None:
    if maybe_skip(results, "floor", "python", size, cap):
        return
    r = run_child({"op": "floor", "graph": str(path), "repeat": repeat}, cap)
    if "error" in r:
        record(results, "floor", "python", size, None, error=r["error"])
        return
    record(results, "floor", "python", size, r["times"], rows=r["rows"],
           parse_seconds=r["parse_seconds"], peak_rss_mb=r["peak_rss_mb"], answer=r["answer"])


def bench_shacl(results: dict[str, Any], size: str, path: Path, engines: list[str],
                repeat: int, cap: float, shapes: list[str], shard_size: int) -> None:
    for which in shapes:
        for engine in engines:
            op = f"shacl-{which}"
            if maybe_skip(results, op, engine, size, cap):
                continue
            r = run_child({"op": "shacl", "engine": engine, "graph": str(path), "shapes": which,
                           "repeat": repeat, "shard_size": shard_size}, cap * repeat)
            if "error" in r:
                record(results, op, engine, size, None, error=r["error"][-300:],
                       peak_rss_mb=r["peak_rss_mb"], wall=r["wall"])
                continue
            record(results, op, engine, size, r["times"], rows=r["rows"], report=r["report"],
                   shapes=r["shapes"], peak_rss_mb=r["peak_rss_mb"])


def bench_part(results: dict[str, Any], a: argparse.Namespace, part: str, size: str,
               path: Path) -> None:
    """One part (load, queries, floor, shacl) of the benchmark at one size."""
    backends = a.backends.split(",")
    big = SIZES[size] >= 1_000_000
    repeat = a.big_repeat if big else a.repeat
    if part == "load":
        bench_load(results, size, path, backends, repeat, a.cap)
    elif part == "queries":
        bench_queries(results, size, path, backends, repeat, a.cap, a.ops.split(","))
    elif part == "floor":
        bench_floor(results, size, path, repeat, a.cap)
    elif part == "shacl":
        bench_shacl(results, size, path, a.engines.split(","), 1 if big else a.shacl_repeat,
                    a.cap, a.shapes.split(","), a.shard_size)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.run")
    p.add_argument("--sizes", default="10k,100k,1m,10m")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--parts", default="load,queries,floor,shacl")
    p.add_argument("--backends", default=",".join(BACKENDS))
    p.add_argument("--ops", default=",".join(QUERY_OPS))
    p.add_argument("--engines", default=",".join(SHACL_ENGINES))
    p.add_argument("--shapes", default="project,fallback")
    p.add_argument("--shacl-repeat", type=int, default=2)
    p.add_argument("--shard-size", type=int, default=100_000)
    p.add_argument("--cap", type=float, default=600.0, help="seconds per run")
    p.add_argument("--big-repeat", type=int, default=3, help="repeat at 1m and 10m")
    p.add_argument("--fresh", action="store_true")
    p.add_argument("--render-only", action="store_true")
    a = p.parse_args(argv)
    global FRESH
    FRESH = a.fresh
    results = load_results()
    if not a.render_only:
        sizes, parts = a.sizes.split(","), a.parts.split(",")
        with Progress(len(sizes) * len(parts), "bench") as bar:
            for size in sizes:
                bar.set_label(f"bench {size}: generating")
                t = time.perf_counter()
                path = ensure_graph(size)
                print(f"{size}: {path.name} ready in {time.perf_counter() - t:.1f} s", flush=True)
                for part in parts:
                    bar.set_label(f"bench {size}: {part}")
                    bench_part(results, a, part, size, path)
                    bar.update()
    from bench.render import render

    render(results)


if __name__ == "__main__":
    main()
