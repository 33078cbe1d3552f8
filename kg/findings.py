"""Typed results of the conflict finder: a finding, its alternative chains and their evidence.

A :class:`Finding` is one conflict of interest, not one path: *who* is on both sides (the
conflicted ``party``), *where* (the ``foundation``), *against whom or what* (the
``counterparties``: co-members sued, or the foundation's own components accused) and *in which
suits*. Every path that shows it is a :class:`Chain` inside the finding (a direct suit, a
patent transfer with retained rights, funding, a governance seat, …); each chain's edges are
:class:`Evidence` rows, and a fact used by several chains is listed once in
``Finding.evidence``.

Its ``id`` is derived from what it is (family, party, foundation), so it survives unrelated
additions to the data and a new suit against another co-member changes the finding instead of
adding one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, SupportsIndex, overload


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
    start_edtf: str | None = None  # the start as written in EDTF when known only as bounds
    end_edtf: str | None = None    # ("..2014-12": start and end are then the bounds)


@dataclass(frozen=True)
class Reason:
    """One input of the severity score, as a short phrase and the points it gave."""

    text: str
    points: int


@dataclass(frozen=True)
class Chain:
    """One path that shows the conflict: party's role → [link →] plaintiff → suit → counterparty."""

    pattern: str                   # the pattern whose query found it: "direct", "proxy", ...
    suit: str                      # IRI
    counterparty: str              # IRI: a co-member defendant, or an accused component
    temporal_status: str           # the party's role against the suit
    gap_days: int | None
    max_gap_days: int | None
    confidence: str                # the weakest link of this chain
    weakest: str                   # which link that is, and why
    facts: tuple[str, ...]         # IRIs of its evidence, in chain order
    summary: str                   # one sentence


@dataclass(frozen=True)
class Finding:
    """One conflict of interest with its chains, severity, score and reasons."""

    id: str                        # stable: "litigation:symantec@openstack-foundation"
    family: str                    # "litigation" | "former" (see the pattern specs)
    pattern: str                   # the leading pattern of its chains
    patterns: tuple[str, ...]      # every pattern that contributed a chain
    foundation: str                # IRI
    foundation_label: str
    party: str                     # IRI of the conflicted party
    party_label: str
    counterparties: tuple[str, ...]
    counterparty_labels: tuple[str, ...]
    intermediaries: tuple[str, ...]  # plaintiffs that are not the party (proxies)
    intermediary_labels: tuple[str, ...]
    suits: tuple[str, ...]
    suit_labels: tuple[str, ...]
    period_start: date | None      # the overlap, or the two intervals' nearest ends
    period_end: date | None
    temporal_status: str           # "active" | "recent" | "historical" | "unknown"
    gap_days: int | None           # days between the intervals (0 when they overlap)
    max_gap_days: int | None
    severity: str                  # "high" | "medium" | "low"
    score: int
    reasons: tuple[Reason, ...]
    confidence: str                # the best chain's weakest link
    confidence_note: str           # how the confidence follows from the links
    summary: str                   # one paragraph a person can read
    chains: tuple[Chain, ...] = field(default_factory=tuple)
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    context: tuple[str, ...] = ()  # exposure and other facts that are not a conflict
    accused_code: tuple[str, ...] = ()  # the counterparties that are the foundation's code
    as_of: date | None = None
    hypothetical: bool = False     # a what-if finding (the party's membership is imagined)

    @property
    def parties(self) -> tuple[str, ...]:
        """The party, the intermediaries, then the counterparties (IRIs)."""
        return (self.party, *self.intermediaries, *self.counterparties)

    @property
    def party_labels(self) -> tuple[str, ...]:
        return (self.party_label, *self.intermediary_labels, *self.counterparty_labels)

    @property
    def headline(self) -> str:
        """``Symantec → Clouding IP → 7 co-members``: a line for a table."""
        labels = dict(zip(self.counterparties, self.counterparty_labels, strict=True))
        members = [labels[c] for c in self.counterparties if c not in self.accused_code]
        code = [labels[c] for c in self.accused_code]
        parts = []
        if members:
            parts.append(members[0] if len(members) == 1 else f"{len(members)} co-members")
        if code:
            parts.append(f"own code ({', '.join(code)})")
        return " → ".join((self.party_label, *self.intermediary_labels, " + ".join(parts)))

    @property
    def key(self) -> tuple[str, ...]:
        """Identity used for de-duplication and for diffs between snapshots."""
        return (self.id,)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: dates as ISO strings, numbers as numbers."""
        data = {k: _plain(v) for k, v in asdict(self).items()}
        data["parties"] = list(self.parties)
        data["party_labels"] = list(self.party_labels)
        return data

    def evidence_records(self) -> list[dict[str, Any]]:
        """One dict per evidence link: subject, relation, object, dates, confidence, sources."""
        from .results import evidence_record

        return [evidence_record(e) for e in self.evidence]

    def evidence_frame(self) -> Any:
        """:meth:`evidence_records` as a ``pandas.DataFrame`` (needs the ``pandas`` extra)."""
        from .frames import to_frame
        from .results import EVIDENCE_COLUMNS

        return to_frame(EVIDENCE_COLUMNS, self.evidence_records())

    def _repr_html_(self) -> str:
        from .html import finding_html

        return finding_html(self)


class Findings(list[Finding]):
    """A list of findings, highest first, that a notebook shows as a table; ``findings[0]``
    shows as the finding in detail, with its evidence and sources."""

    @overload
    def __getitem__(self, index: SupportsIndex) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> Findings: ...

    def __getitem__(self, index: SupportsIndex | slice) -> Finding | Findings:
        if isinstance(index, slice):
            return Findings(super().__getitem__(index))
        return super().__getitem__(index)

    def __repr__(self) -> str:
        listed = ", ".join(f"{f.id} ({f.severity}, {f.score})" for f in self)
        return f"Findings([{listed}])"

    def records(self) -> list[dict[str, Any]]:
        """One dict per finding: rank, id, severity, score, confidence, pattern, status,
        parties and the headline."""
        from .results import finding_records

        return finding_records(self)

    def to_pandas(self) -> Any:
        """:meth:`records` as a ``pandas.DataFrame`` (needs the ``pandas`` extra)."""
        from .frames import to_frame
        from .results import FINDING_COLUMNS

        return to_frame(FINDING_COLUMNS, self.records())

    def evidence_frame(self) -> Any:
        """Every finding's evidence links in one DataFrame, the finding's ID on each row."""
        from .frames import to_frame
        from .results import EVIDENCE_COLUMNS

        rows = [{"finding": f.id, **r} for f in self for r in f.evidence_records()]
        return to_frame(("finding", *EVIDENCE_COLUMNS), rows)

    def _repr_html_(self) -> str:
        from .html import findings_table

        return findings_table(self)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
