"""The case file a board reads: ``report.md`` and ``report.html`` from one :class:`CaseFile`.

Both open with a summary (the findings ranked by score, one sentence each with their severity
and reasons), then one section per finding (anchored by its ID), then every fact once in a
numbered Facts table and the sources as a numbered bibliography. They hold no timestamp and no
timing, so the same data gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from . import html, markdown
from .document import CaseFile, Digest, make_casefile
from .facts import References, SourceInfo, file_names, rank, safe_name

__all__ = ["CaseFile", "Digest", "References", "SourceInfo", "file_names", "make_casefile",
           "rank", "safe_name", "write_reports"]


def write_reports(out: Path, case: CaseFile) -> tuple[Path, Path]:
    """Write ``out/report.md`` and ``out/report.html``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    md, page = out / "report.md", out / "report.html"
    md.write_text(markdown.render(case), encoding="utf-8")
    page.write_text(html.render(case), encoding="utf-8")
    return md, page
