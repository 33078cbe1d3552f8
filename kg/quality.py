"""The data-quality report (``kg report``): what the graph holds and where it is thin."""

from __future__ import annotations

from typing import Any

from .config import Settings
from .output import render_rows
from .queries import get_query, select
from .stores.base import Store

SECTIONS = (
    ("Instances per class", "report/counts-per-class"),
    ("Facts by confidence", "report/facts-by-confidence"),
    ("Facts resting on a single source", "report/facts-lacking-second-source"),
    ("Orphan organizations", "report/orphans"),
    ("Commits attributed to no company", "report/contributions-by-bucket"),
)


def _markdown_table(columns: list[str], rows: list[dict[str, Any]]) -> str:
    text = render_rows(columns, rows, "table")
    return "```\n" + text + "\n```"


RESOLUTION_REPORT = "openstack/resolution-report.md"


def _resolution_section(settings: Settings) -> list[str]:
    """The importer's resolution report (merged, near-misses, unresolved), one level down."""
    path = settings.data_dir / RESOLUTION_REPORT
    if not path.is_file():
        return ["## Entity resolution", "", f"(no {RESOLUTION_REPORT} in data/)", ""]
    body = [line for line in path.read_text(encoding="utf-8").splitlines()
            if not line.startswith("<!--")]
    return [("#" + line) if line.startswith("#") else line for line in body] + [""]


def quality_report(store: Store, settings: Settings) -> str:
    """Markdown: counts per class, confidence, single-sourced facts, orphans, buckets, names."""
    from .derived import stated_size

    lines = ["# kg data-quality report", "",
             f"{stated_size(store)} triples stated in the {store.kind} store.", ""]
    for title, name in SECTIONS:
        result = select(store, get_query(settings, name))
        lines += [f"## {title} ({len(result)} rows)", "",
                  _markdown_table(result.columns, result.rows), ""]
    lines += _resolution_section(settings)
    return "\n".join(lines)
