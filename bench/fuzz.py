"""The long fuzz run (``make fuzz``): ``python -m bench.fuzz --examples 1000 --jobs 2``.

The same generators and checks as ``tests/test_fuzz.py`` (``tests/fuzzing.py``), but thousands
of inputs per kind and nothing stops at the first failure: every input is counted, and the
figures (inputs tried per kind, exit codes, failures by class: tracebacks, hangs, partial
writes, network connections, errors without a line or row) go to ``bench/FUZZ.md`` and
``bench/fuzz.json``. Each kind runs in its own process with its own project and listener; a
fixed seed per kind makes a run repeatable.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from multiprocessing import Pool
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import fuzzing  # noqa: E402 (after the path is set)

OUT_MD = ROOT / "bench" / "FUZZ.md"
OUT_JSON = ROOT / "bench" / "fuzz.json"
CLASSES = ["traceback", "hang", "partial write", "network", "exit code", "not one error line",
           "error does not name", "error without a line", "error without a row",
           "unexpected error output", "accepted"]


def run_kind(job: tuple[str, int, int]) -> dict[str, Any]:
    """Fuzz one kind of input; its figures as plain data."""
    from hypothesis import HealthCheck, given, seed, settings
    from hypothesis import strategies as st

    kind, examples, seed_value = job
    figures = fuzzing.Figures()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"kg-fuzz-{kind}-") as tmp, \
            fuzzing.fuzz_project(Path(tmp)) as (root, listener):
        common = settings(max_examples=examples, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck))
        if kind in fuzzing.SUFFIX:
            strategy: Any = st.tuples(fuzzing.rdf_documents(kind, listener.url), st.booleans())

            def check(case: Any) -> None:
                outcome, problems = fuzzing.check_rdf(root, kind, case[0], listener,
                                                      in_data=case[1])
                figures.add(kind, outcome, problems)
        elif kind == "csv":
            strategy = fuzzing.csv_files()

            def check(case: Any) -> None:
                outcome, problems = fuzzing.check_csv(root, *case, listener)
                figures.add(kind, outcome, problems)
        else:
            strategy = st.tuples(fuzzing.query_params(), st.sampled_from(["oxigraph", "rdflib"]))

            def check(case: Any) -> None:
                outcome, problems = fuzzing.check_param(root, *case[0], listener, store=case[1])
                figures.add(kind, outcome, problems)

        seed(seed_value)(common(given(strategy)(check)))()
        connections = listener.connections
    return {
        "kind": kind, "tried": figures.tried[kind],
        "exits": dict(figures.exits.get(kind, Counter())),
        "failures": figures.failures.get(kind, []), "slowest": figures.slowest.get(kind, 0.0),
        "connections": connections, "seconds": time.monotonic() - started,
    }


def _count(failures: list[str], prefix: str) -> int:
    return sum(1 for f in failures if f.startswith(prefix))


def write_report(results: list[dict[str, Any]], examples: int) -> None:
    head = ("| input kind | inputs tried | exit 0 | exit 1 | exit 2 | failures | tracebacks | "
            "hangs | partial writes | network requests | errors without line/row | slowest run |")
    lines = [
        "# Fuzz figures (`make fuzz`)",
        "",
        f"Written by `python -m bench.fuzz --examples {examples}` on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Every input went to the real "
        "command line in a small project (the example case as its data): RDF files to "
        "`kg validate FILE` or, put in `data/`, to `kg query foundations`; CSV files to "
        "`kg ingest`; parameters to `kg query NAME -p …` on Oxigraph and rdflib. Each run is "
        f"checked for: exit code 0, 1 or 2 only; no traceback; one error line naming the file "
        f"and its line or row; nothing changed in the project when it failed; no connection to "
        f"the loopback listener that every hostile URL points at; under "
        f"{fuzzing.HANG_SECONDS} s (else a hang). Generators and checks: `tests/fuzzing.py`.",
        "",
        head,
        "|" + "---|" * (head.count("|") - 1),
    ]
    total = Counter[str]()
    for r in results:
        f = r["failures"]
        row = {
            "tried": r["tried"], "exit 0": r["exits"].get("0", r["exits"].get(0, 0)),
            "exit 1": r["exits"].get("1", r["exits"].get(1, 0)),
            "exit 2": r["exits"].get("2", r["exits"].get(2, 0)), "failures": len(f),
            "tracebacks": _count(f, "traceback"), "hangs": _count(f, "hang"),
            "partial writes": _count(f, "partial write"), "network": r["connections"],
            "no place": _count(f, "error without"),
        }
        total.update(row)
        lines.append(
            f"| {r['kind']} | {row['tried']:,} | {row['exit 0']:,} | {row['exit 1']:,} | "
            f"{row['exit 2']:,} | {row['failures']} | {row['tracebacks']} | {row['hangs']} | "
            f"{row['partial writes']} | {row['network']} | {row['no place']} | "
            f"{r['slowest']:.1f} s |")
    lines.append(
        f"| **all** | {total['tried']:,} | {total['exit 0']:,} | {total['exit 1']:,} | "
        f"{total['exit 2']:,} | {total['failures']} | {total['tracebacks']} | {total['hangs']} | "
        f"{total['partial writes']} | {total['network']} | {total['no place']} | |")
    failing = [(r["kind"], f) for r in results for f in r["failures"]]
    lines += ["", "## Failures", ""]
    if not failing:
        lines.append("None.")
    for kind, failure in failing[:50]:
        lines.append(f"- {kind}: `{failure[:300]}`")
    OUT_MD.write_text("\n".join(lines) + "\n", encoding="utf-8")
    OUT_JSON.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000, help="inputs per kind")
    parser.add_argument("--jobs", type=int, default=2, help="kinds fuzzed at once")
    parser.add_argument("--kinds", default=",".join(fuzzing.KINDS))
    args = parser.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    jobs = [(k, args.examples, 9000 + i) for i, k in enumerate(kinds)]
    os.environ.setdefault("KG_LOCK_WAIT", "30")
    with Pool(args.jobs) as pool:
        results = []
        for result in pool.imap_unordered(run_kind, jobs):
            print(f"{result['kind']}: {result['tried']} inputs, {len(result['failures'])} "
                  f"failures, {result['seconds']:.0f} s", flush=True)
            results.append(result)
            results.sort(key=lambda r: kinds.index(r["kind"]))
            write_report(results, args.examples)  # so far, in case the run is cut short
    results.sort(key=lambda r: kinds.index(r["kind"]))
    write_report(results, args.examples)
    print(OUT_MD.read_text(encoding="utf-8"))
    return 1 if any(r["failures"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
