"""Render bench/results.json to bench/RESULTS.md (tables and targets), plus machine facts."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any

from bench.common import ROOT, SIZES

OUT = ROOT / "bench" / "RESULTS.md"
NOTES = ROOT / "bench" / "NOTES.md"
SERVE = ROOT / "bench" / "SERVE.md"


def machine() -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except OSError:
        mem = 0.0
    libs = []
    for name in ("pyoxigraph", "rdflib", "pyshacl", "pyshacl-turbo", "pyrudof", "oxrdflib",
                 "networkx", "matplotlib"):
        try:
            libs.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            libs.append(f"{name} (not installed)")
    return [f"- CPU: {cpu}, {os.cpu_count()} cores; RAM: {mem:.1f} GiB; "
            f"{platform.system()} {platform.release()}",
            f"- Python {platform.python_version()}; " + ", ".join(libs)]


def fmt_s(x: float | None) -> str:
    if x is None:
        return "–"
    if x < 0.001:
        return f"{x * 1e6:.0f} µs"
    if x < 1:
        return f"{x * 1000:.1f} ms"
    return f"{x:.2f} s"


def cell_text(c: dict[str, Any] | None, ref: dict[str, Any] | None,
              floor: dict[str, Any] | None) -> str:
    if c is None:
        return "not run"
    if c.get("skipped"):
        return _skipped_text(c)
    if c.get("error"):
        return "error: " + c["error"].splitlines()[0][:60]
    return _measured_text(c, ref, floor)


def _skipped_text(c: dict[str, Any]) -> str:
    if c.get("sample_seconds"):
        return (f"sample: {c['sample_shards']} of {c['shards']} shards in "
                f"{fmt_s(c['sample_seconds'])}, {c['peak_rss_mb']:.0f} MB; whole run "
                f"≈{fmt_s(c['extrapolated'])} extrapolated, not completed")
    if c.get("extrapolated"):
        return f"skipped (≈{fmt_s(c['extrapolated'])} extrapolated)"
    return "skipped: " + c["skipped"].removeprefix("skipped: ")


def _measured_text(c: dict[str, Any], ref: dict[str, Any] | None,
                   floor: dict[str, Any] | None) -> str:
    parts = [fmt_s(c["median"])]
    if ref and ref.get("median") and ref is not c:
        name = ref.get("backend", "rdflib")
        parts.append(f"{ref['median'] / c['median']:.0f}× faster than {name}"
                     if ref["median"] >= c["median"]
                     else f"{c['median'] / ref['median']:.1f}× slower than {name}")
    elif ref and ref.get("skipped") and ref.get("extrapolated") and ref is not c:
        parts.append(f"≈{ref['extrapolated'] / c['median']:.0f}× faster than rdflib "
                     "(rdflib extrapolated)")
    if floor and floor.get("median") and c is not floor:
        parts.append(f"{c['median'] / floor['median']:.1f}× floor")
    if c.get("peak_rss_mb"):
        parts.append(f"{c['peak_rss_mb']:.0f} MB")
    if c.get("correct") is False:
        parts.append("**WRONG ANSWER**")
    return "; ".join(parts)


def table(cells: dict[str, Any], op: str, rows: list[str], ref_backend: str | None,
          floor_op: str | None = None) -> list[str]:
    sizes = [s for s in SIZES if any(f"{op}|{r}|{s}" in cells for r in rows)]
    if not sizes:
        return []
    out = ["| backend | " + " | ".join(sizes) + " |", "|---" * (len(sizes) + 1) + "|"]
    for r in rows:
        if not any(f"{op}|{r}|{s}" in cells for s in sizes):
            continue
        line = [r]
        for s in sizes:
            ref = cells.get(f"{op}|{ref_backend}|{s}") if ref_backend else None
            floor = cells.get(f"{floor_op}|python|{s}") if floor_op else None
            line.append(cell_text(cells.get(f"{op}|{r}|{s}"), ref, floor))
        out.append("| " + " | ".join(line) + " |")
    return out + [""]


def agreement(cells: dict[str, Any]) -> list[str]:
    """Same answers across backends (proxy pattern vs the floor) and engines (SHACL)."""
    from bench.common import graph_path

    lines = []
    for size in SIZES:
        answers = {k.split("|")[1]: c["answer"] for k, c in cells.items()
                   if k.split("|")[2] == size and k.split("|")[0] in ("scan-proxy", "floor")
                   and c.get("answer") is not None}
        if len(answers) > 1:
            first = next(iter(answers.values()))
            same = all(a == first for a in answers.values())
            lines.append(f"- {size}, proxy pattern: {', '.join(sorted(answers))} "
                         f"{'give the same' if same else '**DISAGREE**'} {len(first)} rows "
                         f"(the planted proxies)")
        for which in ("project", "fallback"):
            reports = {}
            for engine in ("pyshacl", "turbo", "fast", "rudof", "sharded-pyshacl",
                           "sharded-turbo", "sharded-fast"):
                c = cells.get(f"shacl-{which}|{engine}|{size}")
                f = Path(f"{graph_path(size)}.report-{which}-{engine}.json")
                if c and c.get("median") is not None and f.exists():
                    reports[engine] = [tuple(x) for x in json.loads(f.read_text())]
            pairs = [(a, b) for a, b in (("pyshacl", "turbo"), ("pyshacl", "fast"),
                                         ("pyshacl", "sharded-fast"), ("pyshacl", "rudof"),
                                         ("pyshacl", "sharded-pyshacl"),
                                         ("pyshacl", "sharded-turbo"),
                                         ("turbo", "sharded-turbo"), ("turbo", "rudof"),
                                         ("fast", "sharded-fast"))
                     if a in reports and b in reports]
            for a, b in pairs:
                same = reports[a] == reports[b]
                lines.append(f"- {size}, {which} shapes: {b} {'==' if same else '!='} {a} "
                             f"({len(reports[b])} vs {len(reports[a])} results)")
    return lines


def _m(cells: dict[str, Any], op: str, backend: str, size: str) -> float | None:
    c = cells.get(f"{op}|{backend}|{size}")
    return c.get("median") if c else None


def _verdict(value: float | None, limit: float, unit: str = "s", higher: bool = False) -> str:
    if value is None:
        return "not measured | –"
    shown = f"{value:.3g} {unit}"
    ok = value >= limit if higher else value <= limit
    if ok:
        return f"{shown} | **met**"
    factor = limit / value if higher else value / limit
    return f"{shown} | **missed** by {factor:.1f}×"


def _same_as_pyshacl(cells: dict[str, Any], which: str, size: str) -> list[str]:
    """Engines whose saved report at ``size`` equals pySHACL's, result for result."""
    from bench.common import graph_path

    def report(engine: str) -> Any:
        f = Path(f"{graph_path(size)}.report-{which}-{engine}.json")
        ok = _m(cells, f"shacl-{which}", engine, size) is not None and f.exists()
        return json.loads(f.read_text()) if ok else None

    oracle = report("pyshacl")
    if oracle is None:
        return []
    return [e for e in ("pyshacl", "turbo", "fast", "sharded-pyshacl", "sharded-turbo",
                        "sharded-fast")
            if report(e) == oracle]


def targets(cells: dict[str, Any]) -> list[str]:
    """The issue's targets for the embedded default (oxigraph in memory), met or missed."""
    rows = ["| target | measured | verdict |", "|---|---|---|"]

    def add(name: str, verdict: str) -> None:
        rows.append(f"| {name} | {verdict} |")

    add("1M: load N-Triples ≤ 3 s", _verdict(_m(cells, "load-nt", "oxigraph", "1m"), 3))
    add("1M: load Turtle ≤ 3 s", _verdict(_m(cells, "load-ttl", "oxigraph", "1m"), 3))
    add("1M: conflict scan (proxy query) ≤ 0.3 s",
        _verdict(_m(cells, "scan-proxy", "oxigraph", "1m"), 0.3))
    ox, rd = _m(cells, "scan-proxy", "oxigraph", "1m"), _m(cells, "scan-proxy", "rdflib", "1m")
    extrap = ""
    if rd is None:
        rd = (cells.get("scan-proxy|rdflib|1m") or {}).get("extrapolated")
        extrap = " (rdflib's time extrapolated from 10k and 100k)"
    add("1M: conflict scan ≥ 100× faster than rdflib" + extrap,
        _verdict(rd / ox if ox and rd else None, 100, "×", higher=True))
    full = _m(cells, "scan-full", "oxigraph", "1m")
    note = ""
    if full is None:
        full = (cells.get("scan-full|oxigraph|1m") or {}).get("extrapolated")
        note = " (not run: extrapolated linearly from 10k, a lower bound)"
    add("1M: full conflict scan, kg.conflicts.find_conflicts ≤ 0.3 s" + note,
        _verdict(full, 0.3))
    same = _same_as_pyshacl(cells, "project", "1m")
    best = min(same, key=lambda e: _m(cells, "shacl-project", e, "1m") or 1e9) if same else None
    add(f"1M: SHACL ≤ 30 s with pySHACL's report (fastest engine whose report equals "
        f"pySHACL's: {best or '–'})",
        _verdict(_m(cells, "shacl-project", best, "1m") if best else None, 30))
    done = [(e, cells[f"shacl-project|{e}|10m"]) for e in ("fast", "sharded-fast", "sharded-turbo")
            if (cells.get(f"shacl-project|{e}|10m") or {}).get("median")]
    tenm = cells.get("shacl-project|sharded-turbo|10m") or {}
    if done:
        add("10M: SHACL works (" + "; ".join(
            f"{e}: {fmt_s(c['median'])}, peak {c['peak_rss_mb'] / 1024:.1f} GiB"
            for e, c in done) + ")", "see the SHACL table | **works**")
    elif tenm.get("sample_seconds"):
        add("10M: SHACL works (sharded, pyshacl-turbo inside)",
            f"{tenm['sample_shards']} of {tenm['shards']} shards in "
            f"{tenm['sample_seconds']:.0f} s, "
            f"peak {tenm['peak_rss_mb'] / 1024:.1f} GiB; whole run ≈{tenm['extrapolated']:.0f} s "
            "extrapolated | fits in memory; full run **not completed**")
    add("10M: load N-Triples ≤ 45 s", _verdict(_m(cells, "load-nt", "oxigraph", "10m"), 45))
    add("10M: conflict scan (proxy query) ≤ 5 s",
        _verdict(_m(cells, "scan-proxy", "oxigraph", "10m"), 5))
    add("10M: full conflict scan, kg.conflicts.find_conflicts ≤ 5 s",
        _verdict(_m(cells, "scan-full", "oxigraph", "10m"), 5))
    add("10M: one-entity check (bound what-if query) ≤ 20 ms",
        _verdict((_m(cells, "whatif-query", "oxigraph", "10m") or 0) * 1000 or None, 20, "ms"))
    add("10M: one-entity check, kg.whatif.what_if (findings with evidence) ≤ 20 ms",
        _verdict((_m(cells, "whatif-api", "oxigraph", "10m") or 0) * 1000 or None, 20, "ms"))
    peaks = [c.get("peak_rss_mb") for k, c in cells.items()
             if k.endswith("|oxigraph|10m") and c.get("peak_rss_mb")]
    add("10M: peak memory ≤ 5 GiB (largest oxigraph process)",
        _verdict(max(peaks) / 1024 if peaks else None, 5, "GiB"))
    return rows + [""]


COMMANDS = ROOT / "bench" / "commands.json"


def _run_text(cell: dict[str, Any] | None) -> str:
    if not cell:
        return "—"
    text = f"{fmt_s(cell['median_s'])}; {cell['peak_mb']} MB"
    if "store_ready_s" in cell:
        text += f" (store built behind it, ready at {fmt_s(cell['store_ready_s'])})"
    return text


def commands_table() -> list[str]:
    """The "User commands" section from ``bench/commands.json`` (``python -m bench.commands``)."""
    if not COMMANDS.exists():
        return []
    data = json.loads(COMMANDS.read_text(encoding="utf-8"))
    md = ["## User commands (each a `kg` process, start-up included)", "",
          f"Measured {data['measured']} by `python -m bench.commands` ({data['machine']}); "
          "medians, peak RSS. *cold*: the first run after a clone (the run builds the project "
          "store; a project of 16 MiB or more answers from memory and builds it in a background "
          "process, ready when the brackets say); *warm*: the store is up to date; *memory*: "
          "`--store memory`, loaded afresh.",
          ""]
    for name, rows in data["projects"].items():
        md += [f"### {name}", "", "| command | cold | warm | memory |", "|---|---|---|---|"]
        build = rows.get("kg build")
        for label, cell in rows.items():
            if label == "kg build":
                continue
            md.append(f"| `{label}` | {_run_text(cell.get('cold'))} | "
                      f"{_run_text(cell.get('warm'))} | {_run_text(cell.get('memory'))} |")
        if build:
            md.append(f"| `kg build`, fresh / one small file changed | "
                      f"{_run_text(build['fresh'])} | "
                      f"{_run_text(build['one small file changed'])} "
                      f"({build['ratio'] * 100:.1f} % of fresh) | — |")
        md.append("")
    return md


def serve_tables() -> list[str]:
    """``bench/SERVE.md`` (``python -m bench.serve_load``), its headings one level down."""
    if not SERVE.exists():
        return []
    md = []
    for line in SERVE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            line = "#" + line
            if line.startswith("## "):
                line += " — from `bench/SERVE.md`"
        md.append(line)
    return [*md, ""]


def render(results: dict[str, Any]) -> None:
    cells = results["cells"]
    backends = ["oxigraph", "oxigraph-disk", "rdflib"]
    engines = ["pyshacl", "turbo", "fast", "rudof", "sharded-pyshacl", "sharded-turbo",
               "sharded-fast"]
    md = ["# Benchmarks", "", "Generated by `python -m bench.run` from `bench/results.json`; "
          "edit `bench/NOTES.md` (appended below) for the discussion, not this table.", "",
          "## Machine", "", *machine(), "",
          "Each cell: the median of the runs, then the ratio to rdflib measured in the same run "
          "(where rdflib was run or extrapolated), the ratio to the plain-Python floor (conflict "
          "scan), and the peak memory (ru_maxrss) of the process that did it.", ""]
    sections = [
        ("Load, N-Triples (parse into a fresh store)", "load-nt", backends, "rdflib", None),
        ("Load, Turtle", "load-ttl", backends, "rdflib", None),
        ("Conflict scan, the proxy pattern as one SPARQL query", "scan-proxy",
         backends, "rdflib", "floor"),
        ("Plain-Python floor: dict hash join of the proxy pattern", "floor", ["python"], None,
         None),
        ("Full conflict scan: kg.conflicts.find_conflicts, every pattern, every foundation",
         "scan-full", backends, "rdflib", "floor"),
        ("One-entity check, the bound what-if query", "whatif-query", backends, "rdflib", None),
        ("One-entity check, kg.whatif.what_if (product API)", "whatif-api", backends,
         "rdflib", None),
        ("Entity profile", "profile", backends, "rdflib", None),
        ("Neighbourhood image (CONSTRUCT + PNG)", "image", backends, "rdflib", None),
        ("SHACL, the project's shapes (ontology/kg-shapes.ttl + kg.ttl)", "shacl-project",
         engines, "pyshacl", None),
        ("SHACL, the stand-in shapes (bench/fixtures/shapes-fallback.ttl)", "shacl-fallback",
         engines, "pyshacl", None),
    ]
    for title, op, rows, ref, floor in sections:
        t = table(cells, op, rows, ref, floor)
        if t:
            md += [f"## {title}", "", *t]
    md += commands_table()
    md += serve_tables()
    md += ["## Targets (embedded default: oxigraph in memory)", "", *targets(cells)]
    agree = agreement(cells)
    if agree:
        md += ["## Reports compared result for result", "", *agree, ""]
    if NOTES.exists():
        md += [NOTES.read_text(encoding="utf-8")]
    OUT.write_text("\n".join(md) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    render(json.loads((ROOT / "bench" / "results.json").read_text()))
