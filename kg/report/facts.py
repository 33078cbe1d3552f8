"""What both case-file formats share: the ranking, each fact once, sources as a bibliography.

A fact (``Evidence.fact``) used by several findings or chains gets one number, in the order of
first use (findings ranked by score, then each finding's evidence in its order); every source
URL gets one number the same way. Nothing here formats text for a particular output.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..findings import Chain, Evidence, Finding
from ..temporal import date_label


def rank(findings: Iterable[Finding]) -> list[Finding]:
    """The order ``kg conflicts`` lists them in (:func:`kg.conflicts.sort_findings`: severity,
    then score, then ID), so the report and the table never disagree."""
    from ..conflicts import sort_findings

    return sort_findings(findings)


def safe_name(text: str) -> str:
    """A file-name form of a finding ID or slug: ``litigation:a@b`` → ``litigation-a-b``."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")
    return name or "finding"


def file_names(ids: Sequence[str]) -> dict[str, str]:
    """A distinct file-system-safe name per ID (a short hash is added where two would clash)."""
    plain = {i: safe_name(i) for i in ids}
    counts: dict[str, int] = {}
    for name in plain.values():
        counts[name] = counts.get(name, 0) + 1
    return {i: name if counts[name] == 1
            else f"{name}-{hashlib.sha256(i.encode()).hexdigest()[:8]}"
            for i, name in plain.items()}


def local_name(iri: str) -> str:
    return re.split(r"[/#]", iri)[-1] or iri


def dates_of(e: Evidence) -> str:
    """``Mar 2019 – ongoing``, ``2013-06-01 – 2014-07-28``, or one date for a dated event."""
    start = date_label(e.start, e.start_precision, e.start_edtf)
    end = date_label(e.end, e.end_precision, e.end_edtf) or (e.end_status or "")
    return " – ".join(x for x in (start, end) if x)


@dataclass(frozen=True)
class Edge:
    subject: str
    relation: str
    object: str


@dataclass
class FactRow:
    """One row of the Facts table: a fact node with every edge the findings draw from it."""

    number: int
    fact: str
    kind: str
    edges: list[Edge]
    dates: str
    confidence: str
    sources: list[int]
    note: str | None
    used_by: list[str] = field(default_factory=list)   # finding IDs, in rank order

    @property
    def name(self) -> str:
        return local_name(self.fact)

    def add_edge(self, subject: str, relation: str, obj: str) -> None:
        """Edges with the same start and relation share a line: ``was brought against EMC,
        VMware``."""
        for i, edge in enumerate(self.edges):
            if (edge.subject, edge.relation) == (subject, relation):
                if obj not in edge.object.split(", "):
                    self.edges[i] = Edge(subject, relation, f"{edge.object}, {obj}")
                return
        self.edges.append(Edge(subject, relation, obj))


@dataclass(frozen=True)
class SourceRow:
    """One bibliography entry; title, publisher and date when the graph has them."""

    number: int
    url: str
    title: str | None = None
    publisher: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class SourceInfo:
    title: str | None = None
    publisher: str | None = None
    date: str | None = None


class References:
    """The numbered facts and sources of a list of findings (give it the ranked list)."""

    def __init__(self, findings: Sequence[Finding],
                 sources: Mapping[str, SourceInfo] | None = None) -> None:
        known = sources or {}
        self.facts: list[FactRow] = []
        self.sources: list[SourceRow] = []
        self._fact: dict[str, FactRow] = {}
        self._source: dict[str, int] = {}
        for finding in findings:
            for e in finding.evidence:
                row = self._fact.get(e.fact) or self._add_fact(e, known)
                row.add_edge(e.subject_label, e.relation, e.object_label)
                if finding.id not in row.used_by:
                    row.used_by.append(finding.id)

    def _add_fact(self, e: Evidence, known: Mapping[str, SourceInfo]) -> FactRow:
        numbers = []
        for url in e.sources:
            if url not in self._source:
                self._source[url] = len(self.sources) + 1
                info = known.get(url, SourceInfo())
                self.sources.append(SourceRow(self._source[url], url, info.title,
                                              info.publisher, info.date))
            numbers.append(self._source[url])
        row = FactRow(len(self.facts) + 1, e.fact, e.kind, [], dates_of(e), e.confidence,
                      numbers, e.note)
        self.facts.append(row)
        self._fact[e.fact] = row
        return row

    def number(self, fact: str) -> int | None:
        row = self._fact.get(fact)
        return row.number if row else None

    def _numbers(self, facts: Iterable[str]) -> list[int]:
        numbers = (self.number(f) for f in facts)
        return list(dict.fromkeys(n for n in numbers if n is not None))

    def of_finding(self, finding: Finding) -> list[int]:
        """The fact numbers a finding uses, each once, in its evidence order."""
        return self._numbers(e.fact for e in finding.evidence)

    def of_chain(self, chain: Chain) -> list[int]:
        """The fact numbers of one chain, each once, in chain order."""
        return self._numbers(chain.facts)


def label_of(finding: Finding, iri: str) -> str:
    """A party's or suit's label as the finding names it, else the IRI's local name."""
    pairs = [(finding.party, finding.party_label), (finding.foundation, finding.foundation_label),
             *zip(finding.counterparties, finding.counterparty_labels, strict=False),
             *zip(finding.intermediaries, finding.intermediary_labels, strict=False),
             *zip(finding.suits, finding.suit_labels, strict=False)]
    return next((label for key, label in pairs if key == iri), local_name(iri))


def reasons_text(finding: Finding) -> str:
    """``recent (126–156 days), confirmed chain and Gold member with a board seat``."""
    texts = [r.text for r in finding.reasons]
    if not texts:
        return "no aggravating factor"
    if len(texts) == 1:
        return texts[0]
    return ", ".join(texts[:-1]) + " and " + texts[-1]


def period_text(finding: Finding) -> str:
    parts = [finding.temporal_status]
    if finding.gap_days:
        gap = f"{finding.gap_days}" + (f"–{finding.max_gap_days}"
                                       if finding.max_gap_days not in (None, finding.gap_days)
                                       else "")
        parts.append(f"gap {gap} days")
    if finding.period_start or finding.period_end:
        span = " – ".join(d.isoformat() for d in (finding.period_start, finding.period_end) if d)
        parts.append(span)
    return ", ".join(parts)


def sides(finding: Finding) -> list[tuple[str, list[str]]]:
    """The other side, split: co-members sued, and the foundation's own code accused."""
    labels = dict(zip(finding.counterparties, finding.counterparty_labels, strict=False))
    code = set(finding.accused_code)
    return [("Co-members sued", [labels[c] for c in finding.counterparties if c not in code]),
            ("Own code accused", [labels[c] for c in finding.counterparties if c in code])]
