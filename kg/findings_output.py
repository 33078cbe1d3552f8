"""Findings as a table, JSON or CSV, and one finding in detail, for the CLI.

JSON is plain data (numbers as numbers, booleans as booleans, dates as ISO strings). CSV has
one row per evidence edge with the finding's ID on each, so nothing of the evidence is lost.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Sequence
from typing import Any

from .findings import Finding
from .output import rows_to_table, table_width
from .temporal import date_label, date_text

TABLE_COLUMNS = ("n", "score", "severity", "status", "id", "finding")
WIDE_COLUMNS = ("n", "score", "severity", "status", "confidence", "id", "foundation",
                "finding", "reasons", "summary")
CSV_COLUMNS = ("finding_id", "n", "score", "severity", "status", "confidence", "party",
               "foundation", "chain_patterns", "fact", "kind", "subject", "relation",
               "object", "start", "end", "end_status", "fact_confidence", "sources", "note")


def _row(n: int, f: Finding) -> dict[str, Any]:
    return {"n": n, "score": f.score, "severity": f.severity, "status": f.temporal_status,
            "confidence": f.confidence, "id": f.id, "foundation": f.foundation_label,
            "finding": f.headline, "reasons": "; ".join(r.text for r in f.reasons),
            "summary": f.summary}


def findings_table(findings: Sequence[Finding], *, wide: bool = False,
                   width: int | None = None) -> str:
    """The findings as a table; unless ``wide``, each finding's reasons follow it as a
    paragraph with their points (a column of them would be too narrow to read)."""
    columns = WIDE_COLUMNS if wide else TABLE_COLUMNS
    rows = [_row(n, f) for n, f in enumerate(findings, 1)]
    table = rows_to_table(columns, rows, width=10_000 if wide else width,
                          fixed=("n", "score", "severity", "status", "id"))
    if wide or not findings:
        return table
    limit = width or table_width()
    why = ["", "Why (the points of each reason add up to the score):"]
    for n, f in enumerate(findings, 1):
        text = "; ".join(f"{r.text} ({r.points:+d})" for r in f.reasons)
        why += textwrap.wrap(text, limit, initial_indent=f"{n}. ",
                             subsequent_indent=" " * (len(str(n)) + 2),
                             break_on_hyphens=False)
    return table.rstrip("\n") + "\n" + "\n".join(why)


def findings_json(findings: Sequence[Finding]) -> str:
    return json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False)


def _date(value: Any, precision: str, edtf: str | None = None) -> str:
    return date_text(value, precision, edtf)


def findings_csv(findings: Sequence[Finding]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for n, f in enumerate(findings, 1):
        for e in f.evidence:
            patterns = sorted({c.pattern for c in f.chains if e.fact in c.facts})
            writer.writerow([
                f.id, n, f.score, f.severity, f.temporal_status, f.confidence, f.party_label,
                f.foundation_label, " ".join(patterns), e.fact, e.kind, e.subject_label,
                e.relation, e.object_label, _date(e.start, e.start_precision, e.start_edtf),
                _date(e.end, e.end_precision, e.end_edtf), e.end_status or "", e.confidence,
                " ".join(e.sources), e.note or ""])
    return buffer.getvalue()


def finding_detail(f: Finding, *, width: int | None = None) -> str:
    """One finding for a person: what, why it ranks so, how sure, the chains, the evidence;
    its prose wrapped at ``width`` (default: the width tables get)."""
    total = width or table_width()

    def para(text: str, first: str = "", rest: str = "") -> list[str]:
        return textwrap.wrap(text, total, initial_indent=first, subsequent_indent=rest,
                             break_long_words=False, break_on_hyphens=False) or [first]

    lines = [f"{f.id}  ({f.severity}, score {f.score}, {f.temporal_status})", "",
             *para(f.summary), "", "Why this rank:"]
    for r in f.reasons:
        lines += para(r.text, f"  +{r.points:<3} ", " " * 7)
    lines += ["", *para(f"Confidence: {f.confidence_note}"), "", f"Chains ({len(f.chains)}):"]
    for c in f.chains:
        lines += para(f"[{c.pattern}, {c.temporal_status}, {c.confidence}] {c.summary}",
                      "  - ", "    ")
    if f.context:
        lines += ["", "Context:"]
        for note in f.context:
            lines += para(note, "  - ", "    ")
    rows = [{"fact": e.fact.rsplit("/", 1)[-1], "from": e.subject_label,
             "relation": e.relation, "to": e.object_label,
             "dates": " – ".join(x for x in (date_label(e.start, e.start_precision, e.start_edtf),
                                             date_label(e.end, e.end_precision, e.end_edtf)
                                             or (e.end_status or "")) if x),
             "confidence": e.confidence, "sources": " ".join(e.sources)}
            for e in f.evidence]
    lines += ["", "Evidence:", rows_to_table(
        ["fact", "from", "relation", "to", "dates", "confidence", "sources"], rows, width=total)]
    return "\n".join(lines)


__all__ = ["findings_csv", "findings_json", "findings_table", "finding_detail"]
