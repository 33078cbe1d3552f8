"""Typed results of the conflict finder: a finding and the evidence chain behind it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Evidence:
    """One edge of an evidence chain: a sourced fact node linking two parties."""

    fact: str                      # IRI of the fact node (membership, transfer, lawsuit, ...)
    kind: str                      # its class' local name: "Membership", "PatentTransfer", ...
    subject: str                   # IRI of the edge's first party
    subject_label: str
    relation: str                  # human words: "member of (Gold)", "sued (plaintiff in)"
    object: str                    # IRI of the edge's second party
    object_label: str
    start: date | None = None
    end: date | None = None
    start_precision: str = "day"   # "day" | "month" | "year"
    end_precision: str = "day"
    end_status: str | None = None  # "ended" | "ongoing" | "unknown"
    confidence: str = "uncertain"  # "confirmed" | "single-source" | "uncertain"
    sources: tuple[str, ...] = ()  # source URLs
    note: str | None = None


@dataclass(frozen=True)
class Finding:
    """One conflict of interest: a pattern, its parties and the evidence chain."""

    pattern: str                   # "direct" | "proxy" | "commons" | "contributor" | ...
    foundation: str                # IRI
    foundation_label: str
    parties: tuple[str, ...]       # IRIs, the member side first
    party_labels: tuple[str, ...]
    period_start: date | None      # the overlap, or the two intervals' nearest ends
    period_end: date | None
    temporal_status: str           # "active" | "recent" | "historical" | "unknown"
    gap_days: int | None           # days between the intervals (0 when they overlap)
    severity: str                  # "high" | "medium" | "low"
    confidence: str                # weakest link of the chain
    summary: str                   # one sentence a person can read
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)

    @property
    def key(self) -> tuple[str, ...]:
        """Identity used for de-duplication and for diffs between snapshots."""
        return (self.pattern, self.foundation, *self.parties, *(e.fact for e in self.evidence))

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: dates as ISO strings."""
        def plain(value: Any) -> Any:
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, (list, tuple)):
                return [plain(v) for v in value]
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            return value
        return {k: plain(v) for k, v in asdict(self).items()}
