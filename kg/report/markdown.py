"""The case file as Markdown (``report.md``). Values from the data are escaped, so a label
holding ``<script>``, ``|`` or ``*`` shows as written and never becomes markup."""

from __future__ import annotations

import re
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

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?\w+;))")


def esc(value: object) -> str:
    """Plain text for Markdown: every character CommonMark could read as markup is escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def code(value: object) -> str:
    """A code span (its content is literal in CommonMark), or escaped text when the value
    holds what would end the span or the table cell."""
    text = " ".join(str(value).split())
    return esc(text) if re.search(r"[`|\\]", text) or not text else f"`{text}`"


def fragment(anchor: str) -> str:
    """A link target for an anchor (finding IDs hold ``:`` and ``@``, which stay readable)."""
    return "#" + quote(anchor, safe=":@-._~")


def anchor_tag(anchor: str) -> str:
    return f'<a id="{quote(anchor, safe=":@-._~")}"></a>'


def fact_links(numbers: list[int]) -> str:
    return ", ".join(f"[{n}](#fact-{n})" for n in numbers) or "none"


def url_text(url: str) -> str:
    if re.fullmatch(r"https?://[^\s<>]+", url):
        return f"<{url}>"
    return esc(url)


def summary_line(n: int, f: Finding) -> str:
    what = "what-if: " if f.hypothetical else ""
    return (f"{n}. [{what}{esc(f.headline)}]({fragment(f.id)}) in {esc(f.foundation_label)}: "
            f"**{esc(f.severity)}**, score {f.score}, because {esc(reasons_text(f))}.")


def finding_section(n: int, f: Finding, refs: References, image: str | None) -> str:
    lines = [anchor_tag(f.id), f"### {n}. {esc(f.headline)}", "",
             f"{code(f.id)} · foundation {esc(f.foundation_label)} · "
             f"patterns {esc(', '.join(f.patterns or (f.pattern,)))}"
             + (" · **hypothetical (what-if)**" if f.hypothetical else ""), "",
             esc(f.summary), "",
             f"- **Severity**: {esc(f.severity)}, score {f.score}",
             *[f"  - {esc(r.text)} ({r.points:+d})" for r in f.reasons],
             f"- **Status**: {esc(period_text(f))}"
             + (f" (as of {f.as_of.isoformat()})" if f.as_of else ""),
             f"- **Confidence**: {esc(f.confidence)} — {esc(f.confidence_note)}",
             f"- **Conflicted party**: {esc(f.party_label)}"]
    if f.intermediaries:
        lines.append(f"- **Through**: {esc(', '.join(f.intermediary_labels))}")
    lines += [f"- **{label}**: {esc(', '.join(names))}" for label, names in sides(f) if names]
    lines += [
              f"- **Suits**: {esc('; '.join(f.suit_labels))}",
              f"- **Facts**: {fact_links(refs.of_finding(f))}", "", "**Chains**", ""]
    for i, c in enumerate(f.chains, 1):
        gap = f", gap {c.gap_days} days" if c.gap_days else ""
        lines.append(f"{i}. *{esc(c.pattern)}*, against {esc(label_of(f, c.counterparty))} in "
                     f"{esc(label_of(f, c.suit))}: {esc(c.summary)} — {esc(c.temporal_status)}"
                     f"{gap}; {esc(c.confidence)} (weakest: {esc(c.weakest)}); facts "
                     + " → ".join(f"[{k}](#fact-{k})" for k in refs.of_chain(c)))
    if not f.chains:
        lines.append("(none)")
    if f.context:
        lines += ["", "**Context**", "", *[f"- {esc(c)}" for c in f.context]]
    if image:
        lines += ["", f"![evidence chains of {esc(f.headline)}]({quote(image)})"]
    return "\n".join(lines) + "\n"


def facts_table(rows: list[FactRow], numbers: dict[str, int]) -> list[str]:
    out = ["| # | fact | from | relation | to | dates | confidence | sources | findings |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        cells = [f"{anchor_tag(f'fact-{r.number}')}{r.number}", f"{code(r.name)} {esc(r.kind)}",
                 "<br>".join(esc(e.subject) for e in r.edges),
                 "<br>".join(esc(e.relation) for e in r.edges),
                 "<br>".join(esc(e.object) for e in r.edges),
                 esc(r.dates), esc(r.confidence),
                 " ".join(f"[{s}](#source-{s})" for s in r.sources),
                 ", ".join(f"[{numbers[i]}]({fragment(i)})" for i in r.used_by)]
        if r.note:
            cells[1] += f" — {esc(r.note)}"
        out.append("| " + " | ".join(cells) + " |")
    return out


def source_line(s: SourceRow) -> str:
    words = [esc(x) for x in (s.title, s.publisher, s.date) if x]
    return (f"{s.number}. {anchor_tag(f'source-{s.number}')}"
            + (", ".join(words) + ". " if words else "") + url_text(s.url))


def render(case: CaseFile) -> str:
    lines = [f"# {esc(case.title)}", "",
             *[f"- {esc(label)}: {esc(value)}" for label, value in case.header()], "",
             CONFIDENCE_WORDS, "", "## Summary", ""]
    lines += [summary_line(n, f) for n, f in enumerate(case.findings, 1)] or ["No findings."]
    lines += ["", "## Findings", ""]
    for n, f in enumerate(case.findings, 1):
        lines.append(finding_section(n, f, case.refs, case.images.get(f.id)))
    lines += ["## Facts", "", FACTS_WORDS, ""]
    numbers = {f.id: n for n, f in enumerate(case.findings, 1)}
    lines += facts_table(case.refs.facts, numbers) if case.refs.facts else ["No facts."]
    lines += ["", "## Sources", ""]
    lines += [source_line(s) for s in case.refs.sources] or ["No sources."]
    if case.pictures:
        lines += ["", "## Pictures", ""]
        lines += [f"![{esc(caption)}]({quote(path)})\n" for caption, path in case.pictures]
    return "\n".join(lines).rstrip("\n") + "\n"
