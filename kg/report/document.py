"""The case file as data: its header, the ranked findings, their facts and sources, pictures.

Both renderers (:mod:`kg.report.markdown`, :mod:`kg.report.html`) read one :class:`CaseFile`,
so the Markdown and the HTML report say the same things in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..findings import Finding
from .facts import References, SourceInfo, rank


@dataclass(frozen=True)
class Digest:
    """What the case file was made from: counts and sha256 prefixes, never a timestamp."""

    data_files: int
    triples: int
    data_sha256: str
    query_files: int
    queries_sha256: str
    kg_version: str
    violations: int
    window_days: int
    as_of: date | None = None


@dataclass
class CaseFile:
    digest: Digest
    findings: list[Finding]
    refs: References
    images: dict[str, str] = field(default_factory=dict)          # finding ID → relative path
    pictures: list[tuple[str, str]] = field(default_factory=list)  # (caption, relative path)
    title: str = "kg case file: conflicts of interest"

    @property
    def foundations(self) -> list[str]:
        return sorted({f.foundation_label for f in self.findings})

    def header(self) -> list[tuple[str, str]]:
        """(label, plain text) pairs that open the report."""
        d = self.digest
        rows = [
            ("data", f"{d.data_files} files, {d.triples} triples, sha256 {d.data_sha256}"),
            ("queries", f"{d.query_files} files, sha256 {d.queries_sha256}"),
            ("kg version", d.kg_version),
            ("validation", "conforms" if d.violations == 0 else f"{d.violations} violation(s)"),
            ("findings", f"{len(self.findings)} (recent window {d.window_days} days)"),
        ]
        if d.as_of is not None:
            rows.append(("as of", d.as_of.isoformat()))
        if self.foundations:
            rows.append(("foundations", ", ".join(self.foundations)))
        return rows


def make_casefile(findings: Sequence[Finding], digest: Digest, *,
                  images: Mapping[str, str] | None = None,
                  pictures: Sequence[tuple[str, str]] = (),
                  sources: Mapping[str, SourceInfo] | None = None) -> CaseFile:
    """Rank the findings and number their facts and sources."""
    ranked = rank(findings)
    return CaseFile(digest=digest, findings=ranked, refs=References(ranked, sources),
                    images=dict(images or {}), pictures=list(pictures))


CONFIDENCE_WORDS = (
    "Every fact carries its sources and a confidence word: *confirmed* (two independent "
    "sources or a primary record), *single-source*, or *uncertain*. A finding's confidence is "
    "its best chain's weakest link.")
FACTS_WORDS = ("Each fact once, numbered; the findings refer to these numbers, and the last "
               "column names the findings that use the fact.")
