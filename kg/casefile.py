"""The main job (``kg demo``): build, validate, find conflicts, draw, and write a case file.

The case file (``report.md``) is reproducible: it records the data hash, the query files'
hashes and every citation, and it holds no timestamp of its own.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .config import Settings
from .findings import Finding
from .loading import data_files, load_graph, ontology_files
from .output import render_rows
from .temporal import format_partial

Echo = Callable[[str], Any]
FOUNDING = ("symantec", "clouding-ip", "rackspace")


def files_digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def is_founding(finding: Finding) -> bool:
    slugs = [p.rsplit("/", 1)[-1] for p in finding.parties]
    return finding.pattern == "proxy" and all(s in slugs for s in FOUNDING)


def evidence_table(finding: Finding) -> str:
    lines = ["| # | fact | from | relation | to | dates | confidence | sources |",
             "|---|---|---|---|---|---|---|---|"]
    for i, e in enumerate(finding.evidence, 1):
        start = format_partial(e.start, e.start_precision) if e.start else ""
        end = format_partial(e.end, e.end_precision) if e.end else (e.end_status or "")
        dates = " – ".join(x for x in (start, end) if x)
        sources = " ".join(f"[{j}]({url})" for j, url in enumerate(e.sources, 1))
        lines.append(f"| {i} | `{e.fact.rsplit('/', 1)[-1]}` | {e.subject_label} | {e.relation} "
                     f"| {e.object_label} | {dates} | {e.confidence} | {sources} |")
    return "\n".join(lines)


def finding_section(n: int, finding: Finding, image: str | None) -> str:
    head = (f"### {n}. {finding.pattern}: {' → '.join(finding.party_labels)}\n\n"
            f"**{finding.severity}** severity · status **{finding.temporal_status}**"
            + (f" (gap {finding.gap_days} days)" if finding.gap_days is not None else "")
            + f" · weakest link: {finding.confidence} · foundation: {finding.foundation_label}\n\n"
            f"{finding.summary}\n\n{evidence_table(finding)}\n")
    if image:
        head += f"\n![evidence chain of finding {n}]({image})\n"
    return head


def write_report(out: Path, *, settings: Settings, triples: int, violations: int,
                 findings: list[Finding], images: dict[int, str], extra_images: list[str],
                 timings: dict[str, float]) -> Path:
    queries = sorted(settings.queries_dir.rglob("*.rq"))
    lines = [
        "# kg case file: conflicts of interest in the OpenStack Foundation graph", "",
        f"- data: {len(data_files(settings))} files, {triples} triples, "
        f"sha256 `{files_digest(data_files(settings) + ontology_files(settings))}`",
        f"- queries: {len(queries)} files, sha256 `{files_digest(queries)}`",
        f"- validation: {'conforms' if violations == 0 else f'{violations} violation(s)'}",
        f"- findings: {len(findings)} (recent window {settings.recent_window_days} days)", "",
        "Every edge below carries its sources and a confidence word: *confirmed* (two "
        "independent sources or a primary record), *single-source*, or *uncertain*.", "",
        "## Findings", "",
    ]
    for n, finding in enumerate(findings, 1):
        lines.append(finding_section(n, finding, images.get(n)))
    if extra_images:
        lines += ["## Pictures", ""] + [f"![{Path(i).stem}]({i})\n" for i in extra_images]
    lines += ["## Timings (this run)", "",
              *[f"- {k}: {v:.2f} s" for k, v in timings.items()], ""]
    path = out / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run_demo(settings: Settings, out: Path, *, echo: Echo) -> int:
    """Run the whole job; returns the exit code (1 when the data has violations)."""
    from . import rendering
    from .conflicts import find_conflicts
    from .stores import build_store
    from .validation import validate_project

    out.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    t = time.perf_counter()
    dataset = load_graph(settings)
    store = build_store(settings, dataset)
    timings["load"] = time.perf_counter() - t
    echo(f"loaded {len(store)} triples from {len(data_files(settings))} data files "
         f"into {settings.store}")

    t = time.perf_counter()
    report = validate_project(settings, dataset=dataset)
    timings["validate"] = time.perf_counter() - t
    echo(f"validated: {'conforms' if report.conforms else 'DOES NOT CONFORM'} "
         f"({len(report.violations)} violation(s), {len(report.results)} result(s))")
    for r in report.violations[:20]:
        echo(f"  {r.file}: {r.focus_node}: {r.message}")

    t = time.perf_counter()
    findings = find_conflicts(store, settings)
    timings["conflicts"] = time.perf_counter() - t
    rows = [{"n": i, "severity": f.severity, "pattern": f.pattern, "status": f.temporal_status,
             "parties": " → ".join(f.party_labels), "confidence": f.confidence}
            for i, f in enumerate(findings, 1)]
    echo(render_rows(["n", "severity", "pattern", "status", "parties", "confidence"], rows,
                     "table"))

    t = time.perf_counter()
    graph = store.to_graph()
    images: dict[int, str] = {}
    (out / "findings").mkdir(exist_ok=True)
    for n, finding in enumerate(findings, 1):
        name = f"findings/finding-{n:02d}.png"
        rendering.draw_finding(finding, out / name, graph=graph)
        images[n] = name
    extra: list[str] = []
    founding = next((f for f in findings if is_founding(f)), None)
    if founding is not None:
        for suffix in ("png", "svg"):
            rendering.draw_finding(founding, out / f"founding-case.{suffix}", graph=graph)
        extra.append("founding-case.png")
    from .queries import to_iri

    rendering.draw_entity(graph, to_iri("symantec"), out / "symantec.png", depth=1)
    extra.append("symantec.png")
    timings["render"] = time.perf_counter() - t

    (out / "conflicts.json").write_text(
        json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8")
    path = write_report(out, settings=settings, triples=len(store),
                        violations=len(report.violations), findings=findings, images=images,
                        extra_images=extra, timings=timings)
    echo(f"wrote {path}, {out / 'conflicts.json'} and {len(images) + len(extra)} images "
         f"under {out}/")
    return 0 if report.conforms else 1
