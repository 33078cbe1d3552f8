"""Realistic findings built by hand, for tests of what reads findings (reports, diffs) without
running the finder. Shaped like the curated founding case: a conflicted party, a proxy
plaintiff, co-members sued, memberships, a transfer and suits as evidence."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from kg.findings import Chain, Evidence, Finding, Reason

KGD = "https://w3id.org/kg/id/"
SRC = "https://example.org/src/"


def iri(slug: str) -> str:
    return KGD + slug


def label(slug: str) -> str:
    return " ".join(w.capitalize() for w in slug.split("-"))


def membership(member: str, foundation: str, *, start: date = date(2012, 1, 1),
               end: date | None = None, tier: str = "Gold", sources: tuple[str, ...] = ("a",),
               confidence: str = "confirmed") -> Evidence:
    return Evidence(
        fact=iri(f"{member}-{foundation}-membership"), kind="Membership", subject=iri(member),
        subject_label=label(member), relation=f"member of ({tier})", object=iri(foundation),
        object_label=label(foundation), start=start, end=end,
        end_status=None if end else "ongoing", confidence=confidence,
        sources=tuple(SRC + s for s in sources))


def suit(plaintiff: str, defendant: str, *, filed: date = date(2014, 7, 1),
         sources: tuple[str, ...] = ("b",), confidence: str = "confirmed") -> Evidence:
    return Evidence(
        fact=iri(f"{plaintiff}-v-{defendant}"), kind="Lawsuit", subject=iri(plaintiff),
        subject_label=label(plaintiff), relation="sued (plaintiff in)", object=iri(defendant),
        object_label=label(defendant), start=filed, end_status="ongoing",
        confidence=confidence, sources=tuple(SRC + s for s in sources))


def transfer(frm: str, to: str, *, day: date = date(2012, 5, 1),
             sources: tuple[str, ...] = ("c",)) -> Evidence:
    return Evidence(
        fact=iri(f"transfer-{frm}-{to}"), kind="PatentTransfer", subject=iri(frm),
        subject_label=label(frm), relation="transferred patents, retaining rights, to",
        object=iri(to), object_label=label(to), start=day, confidence="single-source",
        sources=tuple(SRC + s for s in sources))


def finding(party: str = "symantec", *, foundation: str = "openstack-foundation",
            via: str | None = "clouding-ip", against: tuple[str, ...] = ("rackspace",),
            score: int = 80, severity: str = "high", status: str = "recent",
            reasons: tuple[tuple[str, int], ...] = (("recent (126–156 days)", 30),
                                                  ("confirmed chain", 20)),
            extra: tuple[Evidence, ...] = (), **changes: Any) -> Finding:
    """A finding of ``party`` in ``foundation`` whose plaintiff (``via`` or the party itself)
    sued each of ``against``; its evidence is the memberships, the transfer and the suits."""
    plaintiff = via or party
    evidence = [membership(party, foundation)]
    if via:
        evidence.append(transfer(party, via))
    chains = []
    for other in against:
        sued, theirs = suit(plaintiff, other), membership(other, foundation, sources=("a", "d"))
        evidence += [sued, theirs]
        facts = [evidence[0].fact, *([evidence[1].fact] if via else []), sued.fact, theirs.fact]
        chains.append(Chain(
            pattern="proxy" if via else "direct", suit=sued.fact, counterparty=iri(other),
            temporal_status=status, gap_days=126 if status == "recent" else 0,
            max_gap_days=156 if status == "recent" else 0, confidence="single-source",
            weakest="the transfer (one source)", facts=tuple(facts),
            summary=f"{label(plaintiff)} sued {label(other)}."))
    evidence += extra
    made = Finding(
        id=f"litigation:{party}@{foundation}", family="litigation",
        pattern="proxy" if via else "direct", patterns=("proxy",) if via else ("direct",),
        foundation=iri(foundation), foundation_label=label(foundation), party=iri(party),
        party_label=label(party), counterparties=tuple(iri(a) for a in against),
        counterparty_labels=tuple(label(a) for a in against),
        intermediaries=(iri(via),) if via else (), intermediary_labels=(label(via),) if via else (),
        suits=tuple(iri(f"{plaintiff}-v-{a}") for a in against),
        suit_labels=tuple(f"{label(plaintiff)} v. {label(a)}" for a in against),
        period_start=date(2012, 1, 1), period_end=date(2014, 7, 1), temporal_status=status,
        gap_days=126 if status == "recent" else 0, max_gap_days=156 if status == "recent" else 0,
        severity=severity, score=score, reasons=tuple(Reason(t, p) for t, p in reasons),
        confidence="single-source", confidence_note="weakest link: the transfer (one source)",
        summary=f"{label(party)} is a member while {label(plaintiff)} sues its co-members.",
        chains=tuple(chains), evidence=tuple(evidence))
    return replace(made, **changes) if changes else made
