"""HTML for notebooks: query results, findings and a finding's evidence as tables.

Jupyter shows an object's ``_repr_html_()``; these functions write it. Every value from the
data is escaped (a label ``<script>`` shows as text), only absolute http(s) URLs become links,
and a long table stops after ``max_rows`` rows, saying how many there are.

>>> cell("<b>AT&T</b>")
'&lt;b&gt;AT&amp;T&lt;/b&gt;'
>>> cell("https://example.org/a")
'<a href="https://example.org/a" rel="noreferrer noopener">example.org/a</a>'
>>> cell("javascript:alert(1)"), table(["n"], [{"n": 1}, {"n": 2}], max_rows=1).count("<tr>")
('javascript:alert(1)', 2)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from html import escape
from typing import Any
from urllib.parse import urlsplit

from .findings import Finding
from .temporal import date_label

MAX_ROWS = 30  # rows a table shows before it says "first 30 of …"


def href(url: Any) -> str | None:
    """``url`` when it is an absolute http(s) link, else None (a ``javascript:`` or relative
    value from the data is shown as text, never linked).

    >>> href("https://example.org/a"), href("javascript:alert(1)"), href("//x")
    ('https://example.org/a', None, None)
    """
    text = str(url or "").strip()
    parts = urlsplit(text)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return text
    return None


def short_url(url: Any, most: int = 48) -> str:
    """A link's text: the host and path without the scheme, cut at ``most`` characters.

    >>> short_url("https://www.example.org/a/very/long/path/that/goes/on/and/on/forever.html")
    'example.org/a/very/long/path/that/goes/on/and/o…'
    """
    parts = urlsplit(str(url))
    text = (parts.netloc.removeprefix("www.") + parts.path).rstrip("/") or str(url)
    return text if len(text) <= most else text[:most - 1] + "…"


def link(url: str) -> str:
    """An escaped ``<a>`` for an http(s) URL, the escaped text for anything else."""
    target = href(url)
    if target is None:
        return escape(url)
    return (f'<a href="{escape(target, quote=True)}" rel="noreferrer noopener">'
            f"{escape(short_url(target))}</a>")


def cell(value: Any) -> str:
    """One value as the inside of a ``<td>``: links for a cell of URLs, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    words = text.split()
    if words and all(href(w) for w in words):
        return " ".join(link(w) for w in words)
    return escape(text)


def _count(shown: int, total: int, noun: str) -> str:
    plural = noun if total == 1 else f"{noun}s"
    if shown < total:
        return f"first {shown} of {total} {plural}"
    return f"{total} {plural}"


def table(columns: Sequence[str], rows: Sequence[Mapping[str, Any]], *,
          total: int | None = None, max_rows: int = MAX_ROWS, noun: str = "row") -> str:
    """A table of ``rows`` under a line counting them (``total``: rows there are, when only
    the first are given); at most ``max_rows`` are shown."""
    shown = rows[:max(max_rows, 0)]
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "\n".join("<tr>" + "".join(f"<td>{cell(r.get(c))}</td>" for c in columns) + "</tr>"
                     for r in shown)
    count = _count(len(shown), len(rows) if total is None else total, noun)
    return (f'<div class="kg-table"><p>{count}</p>'
            f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></div>")


def findings_table(findings: Sequence[Finding], *, max_rows: int = MAX_ROWS) -> str:
    """The findings, one a row, highest first (as ``kg conflicts`` lists them)."""
    from .results import finding_records

    columns = ("rank", "severity", "score", "status", "confidence", "headline", "foundation",
               "id")
    return table(columns, finding_records(findings), max_rows=max_rows, noun="finding")


def evidence_table(finding: Finding, *, max_rows: int = MAX_ROWS) -> str:
    """A finding's evidence links with their dates as precise as known and their sources."""
    rows = [{"from": e.subject_label, "relation": e.relation, "to": e.object_label,
             "start": date_label(e.start, e.start_precision, e.start_edtf),
             "end": date_label(e.end, e.end_precision, e.end_edtf) or (e.end_status or ""),
             "confidence": e.confidence, "sources": " ".join(e.sources)}
            for e in finding.evidence]
    columns = ("from", "relation", "to", "start", "end", "confidence", "sources")
    return table(columns, rows, max_rows=max_rows, noun="evidence link")


def _items(lines: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"


def finding_html(finding: Finding, *, max_rows: int = MAX_ROWS) -> str:
    """One finding: headline, rank and its reasons, confidence, summary, evidence, context."""
    f = finding
    facts = (f"<b>{escape(f.severity)}</b>, score {f.score}, {escape(f.temporal_status)}, "
             f"confidence {escape(f.confidence)} · <code>{escape(f.id)}</code>")
    parts = [f'<div class="kg-finding"><h4>{escape(f.headline)}</h4>', f"<p>{facts}</p>",
             f"<p>{escape(f.summary)}</p>", "<p>Why this rank:</p>",
             _items(f"+{r.points} {r.text}" for r in f.reasons),
             f"<p>Confidence: {escape(f.confidence_note)}</p>",
             f"<p>Evidence:</p>{evidence_table(f, max_rows=max_rows)}"]
    if f.context:
        parts += ["<p>Context:</p>", _items(f.context)]
    return "\n".join(parts) + "</div>"


__all__ = ["MAX_ROWS", "cell", "evidence_table", "finding_html", "findings_table", "href",
           "link", "short_url", "table"]
