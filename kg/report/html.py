"""The case file as one HTML page (``report.html``): every value from the data goes through
:func:`html.escape`, links are made only of ``http(s)`` URLs, and there is no JavaScript."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import quote

from ..findings import Finding
from .document import CONFIDENCE_WORDS, FACTS_WORDS, CaseFile
from .facts import (
    FactRow,
    References,
    SourceRow,
    label_of,
    period_text,
    reasons_text,
    sides,
)

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.45; color: #222; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; vertical-align: top; text-align: left; }
code { font-size: 0.85rem; }
.high { color: #a00; font-weight: bold; } .medium { color: #a60; font-weight: bold; }
.low { color: #555; font-weight: bold; }
section.finding { border-top: 1px solid #ddd; margin-top: 1.5rem; }
img { max-width: 100%; }
"""


def h(value: object) -> str:
    return escape(str(value), quote=True)


def anchor(name: str) -> str:
    return h(quote(name, safe=":@-._~"))


def link(name: str, text: str) -> str:
    return f'<a href="#{anchor(name)}">{text}</a>'


def fact_links(numbers: list[int]) -> str:
    return ", ".join(link(f"fact-{n}", str(n)) for n in numbers) or "none"


def severity(f: Finding) -> str:
    word = f.severity if f.severity in ("high", "medium", "low") else "low"
    return f'<span class="{word}">{h(f.severity)}</span>'


def url_html(url: str) -> str:
    if re.fullmatch(r"https?://[^\s<>\"']+", url):
        return f'<a href="{h(url)}">{h(url)}</a>'
    return h(url)


def summary_item(f: Finding) -> str:
    what = "what-if: " if f.hypothetical else ""
    return (f"<li>{link(f.id, h(what + f.headline))} in {h(f.foundation_label)}: "
            f"{severity(f)}, score {f.score}, because {h(reasons_text(f))}.</li>")


def finding_section(n: int, f: Finding, refs: References, image: str | None) -> list[str]:
    out = [f'<section class="finding" id="{anchor(f.id)}">',
           f"<h3>{n}. {h(f.headline)}</h3>",
           f"<p><code>{h(f.id)}</code> · foundation {h(f.foundation_label)} · patterns "
           f"{h(', '.join(f.patterns or (f.pattern,)))}"
           + (" · <strong>hypothetical (what-if)</strong>" if f.hypothetical else "") + "</p>",
           f"<p>{h(f.summary)}</p>", "<ul>",
           f"<li><strong>Severity</strong>: {severity(f)}, score {f.score}<ul>",
           *[f"<li>{h(r.text)} ({r.points:+d})</li>" for r in f.reasons], "</ul></li>",
           f"<li><strong>Status</strong>: {h(period_text(f))}"
           + (f" (as of {f.as_of.isoformat()})" if f.as_of else "") + "</li>",
           f"<li><strong>Confidence</strong>: {h(f.confidence)} — {h(f.confidence_note)}</li>",
           f"<li><strong>Conflicted party</strong>: {h(f.party_label)}</li>"]
    if f.intermediaries:
        out.append(f"<li><strong>Through</strong>: {h(', '.join(f.intermediary_labels))}</li>")
    out += [f"<li><strong>{label}</strong>: {h(', '.join(names))}</li>"
            for label, names in sides(f) if names]
    out += [
            f"<li><strong>Suits</strong>: {h('; '.join(f.suit_labels))}</li>",
            f"<li><strong>Facts</strong>: {fact_links(refs.of_finding(f))}</li>", "</ul>",
            "<h4>Chains</h4>", "<ol>"]
    for c in f.chains:
        gap = f", gap {c.gap_days} days" if c.gap_days else ""
        out.append(f"<li><em>{h(c.pattern)}</em>, against {h(label_of(f, c.counterparty))} in "
                   f"{h(label_of(f, c.suit))}: {h(c.summary)} — {h(c.temporal_status)}{gap}; "
                   f"{h(c.confidence)} (weakest: {h(c.weakest)}); facts "
                   + " → ".join(link(f"fact-{k}", str(k)) for k in refs.of_chain(c)) + "</li>")
    out.append("</ol>")
    if f.context:
        out += ["<h4>Context</h4>", "<ul>", *[f"<li>{h(c)}</li>" for c in f.context], "</ul>"]
    if image:
        out.append(f'<p><img src="{h(quote(image))}" '
                   f'alt="evidence chains of {h(f.headline)}"></p>')
    out.append("</section>")
    return out


def facts_table(rows: list[FactRow], numbers: dict[str, int]) -> list[str]:
    out = ["<table>", "<thead><tr><th>#</th><th>fact</th><th>from</th><th>relation</th>"
           "<th>to</th><th>dates</th><th>confidence</th><th>sources</th><th>findings</th>"
           "</tr></thead>", "<tbody>"]
    for r in rows:
        note = f" — {h(r.note)}" if r.note else ""
        out.append(
            f'<tr id="fact-{r.number}"><td>{r.number}</td>'
            f"<td><code>{h(r.name)}</code> {h(r.kind)}{note}</td>"
            f"<td>{'<br>'.join(h(e.subject) for e in r.edges)}</td>"
            f"<td>{'<br>'.join(h(e.relation) for e in r.edges)}</td>"
            f"<td>{'<br>'.join(h(e.object) for e in r.edges)}</td>"
            f"<td>{h(r.dates)}</td><td>{h(r.confidence)}</td>"
            f"<td>{' '.join(link(f'source-{s}', str(s)) for s in r.sources)}</td>"
            f"<td>{', '.join(link(i, str(numbers[i])) for i in r.used_by)}</td></tr>")
    out += ["</tbody>", "</table>"]
    return out


def source_item(s: SourceRow) -> str:
    words = ", ".join(h(x) for x in (s.title, s.publisher, s.date) if x)
    return f'<li id="source-{s.number}">' + (f"{words}. " if words else "") + url_html(s.url) \
        + "</li>"


def render(case: CaseFile) -> str:
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{h(case.title)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
           f"<h1>{h(case.title)}</h1>", "<ul>",
           *[f"<li>{h(label)}: {h(value)}</li>" for label, value in case.header()], "</ul>",
           f"<p>{h(CONFIDENCE_WORDS.replace('*', ''))}</p>", "<h2>Summary</h2>"]
    if case.findings:
        out += ["<ol>", *[summary_item(f) for f in case.findings], "</ol>"]
    else:
        out.append("<p>No findings.</p>")
    out.append("<h2>Findings</h2>")
    for n, f in enumerate(case.findings, 1):
        out += finding_section(n, f, case.refs, case.images.get(f.id))
    out += ["<h2>Facts</h2>", f"<p>{h(FACTS_WORDS)}</p>"]
    numbers = {f.id: n for n, f in enumerate(case.findings, 1)}
    out += facts_table(case.refs.facts, numbers) if case.refs.facts else ["<p>No facts.</p>"]
    out += ["<h2>Sources</h2>", "<ol>", *[source_item(s) for s in case.refs.sources], "</ol>"]
    if case.pictures:
        out.append("<h2>Pictures</h2>")
        out += [f'<figure><img src="{h(quote(p))}" alt="{h(c)}"><figcaption>{h(c)}'
                "</figcaption></figure>" for c, p in case.pictures]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
