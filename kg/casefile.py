"""The main job (``kg demo``): build, validate, find conflicts, draw, and write a case file.

The case file (``report.md`` and ``report.html``, see :mod:`kg.report`) is reproducible: it
records the data hash, the query files' hash and the kg version, holds no timestamp, and the
run's timings go to ``timings.json`` beside it; two runs on the same data write the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from .building import default_store_path
from .config import Settings
from .derived import stated_size
from .findings import Finding
from .findings_output import findings_table
from .loading import data_files, ontology_files
from .report import Digest, SourceInfo, file_names, make_casefile, rank, safe_name, write_reports
from .report.facts import local_name
from .stores import read_graph

Echo = Callable[[str], Any]


def files_digest(paths: Sequence[Path], root: Path | None = None) -> str:
    """sha256 (16 hex digits) of the files' names (relative to ``root``) and contents."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        inside = root is not None and path.is_relative_to(root)
        name = path.relative_to(root).as_posix() if root and inside else path.name
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def kg_version() -> str:
    try:
        return metadata.version("kg")
    except metadata.PackageNotFoundError:
        return "unknown"


def make_digest(settings: Settings, *, triples: int, violations: int,
                findings: Sequence[Finding]) -> Digest:
    project = data_files(settings) + ontology_files(settings)
    queries = sorted(settings.queries_dir.rglob("*.rq"))
    as_of = next((f.as_of for f in findings if f.as_of is not None), None)
    return Digest(data_files=len(data_files(settings)), triples=triples,
                  data_sha256=files_digest(project, settings.root), query_files=len(queries),
                  queries_sha256=files_digest(queries, settings.root), kg_version=kg_version(),
                  violations=violations, window_days=settings.recent_window_days, as_of=as_of)


def source_infos(store: Any, settings: Settings) -> dict[str, SourceInfo]:
    """URL → title, publisher, date of every source in the graph (for the bibliography)."""
    from .queries import get_query, select

    infos: dict[str, SourceInfo] = {}
    for row in select(store, get_query(settings, "report/sources")).rows:
        url = str(row["url"])
        if url not in infos:
            infos[url] = SourceInfo(*(None if row.get(k) is None else str(row[k])
                                      for k in ("title", "publisher", "date")))
    return infos


def draw(findings: Sequence[Finding], out: Path, graph: Any, *, store: Any = None,
         settings: Settings | None = None) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """One picture per finding (``findings/<id>.png``); the top-ranked finding also as SVG,
    its timeline (with ``store`` and ``settings``) and its conflicted party's neighbourhood.
    Returns the images and the extra pictures."""
    from . import rendering
    from .rendering.timeline import draw_finding_timeline

    (out / "findings").mkdir(parents=True, exist_ok=True)
    names = file_names([f.id for f in findings])
    images: dict[str, str] = {}
    for f in findings:
        images[f.id] = f"findings/{names[f.id]}.png"
        rendering.draw_finding(f, out / images[f.id], graph=graph)
    pictures: list[tuple[str, str]] = []
    if findings:
        top = findings[0]
        svg = f"findings/{names[top.id]}.svg"
        rendering.draw_finding(top, out / svg, graph=graph)
        pictures.append((f"The top-ranked finding: {top.headline}", svg))
        if store is not None and settings is not None:
            timeline = f"findings/{names[top.id]}-timeline.png"
            draw_finding_timeline(store, settings, top, out / timeline)
            pictures.append((f"Timeline of the top-ranked finding: the memberships and seats of "
                             f"its parties in {top.foundation_label} and its suits", timeline))
        entity = f"entity-{safe_name(local_name(top.party))}.png"
        rendering.draw_entity(graph, top.party, out / entity, depth=1)
        pictures.append((f"{top.party_label} and its neighbours", entity))
    return images, pictures


def run_demo(settings: Settings, out: Path, *, echo: Echo) -> int:
    """Run the whole job; returns the exit code (1 when the data has violations)."""
    from .conflicts import find_conflicts
    from .validation import validate_project
    from .warm import project_store

    out.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    t = time.perf_counter()
    store = project_store(settings)
    timings["load"] = time.perf_counter() - t
    kept = getattr(store, "path", None) is not None
    path = default_store_path(settings)
    shown = path.relative_to(settings.root) if path.is_relative_to(settings.root) else path
    where = f"the project store ({shown})" if kept else "memory"
    triples = stated_size(store)
    echo(f"loaded {triples} triples from {len(data_files(settings))} data files into {where}")

    t = time.perf_counter()
    report = validate_project(settings, cache=True)
    timings["validate"] = time.perf_counter() - t
    echo(f"validated: {'conforms' if report.conforms else 'DOES NOT CONFORM'} "
         f"({len(report.violations)} violation(s), {len(report.results)} result(s))")
    for r in report.violations[:20]:
        echo(f"  {r.file}: {r.focus_node}: {r.message}")

    t = time.perf_counter()
    findings = rank(find_conflicts(store, settings))
    timings["conflicts"] = time.perf_counter() - t
    echo(findings_table(findings))

    t = time.perf_counter()
    images, pictures = draw(findings, out, read_graph(store), store=store, settings=settings)
    timings["render"] = time.perf_counter() - t

    t = time.perf_counter()
    (out / "conflicts.json").write_text(
        json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8")
    case = make_casefile(findings, make_digest(settings, triples=triples,
                                               violations=len(report.violations),
                                               findings=findings),
                         images=images, pictures=pictures, sources=source_infos(store, settings))
    md, page = write_reports(out, case)
    timings["report"] = time.perf_counter() - t
    (out / "timings.json").write_text(
        json.dumps({k: round(v, 3) for k, v in timings.items()}, indent=2) + "\n",
        encoding="utf-8")
    echo(f"wrote {md}, {page}, {out / 'conflicts.json'}, {out / 'timings.json'} and "
         f"{len(images) + len(pictures)} images under {out}/")
    return 0 if report.conforms else 1
