"""Chains become findings: one per (family, conflicted party, foundation).

Every chain that shows the same party on both sides in the same foundation is an alternative
inside one finding; its counterparties, suits and intermediaries are the union of the chains'.
The finding takes its temporal status, period and confidence from its best chain (active
before recent before unknown before historical, then the stronger confidence, then the smaller
gap): the confidence is the weakest link of that chain, the best of the alternatives.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date

from ..findings import Chain, Evidence, Finding
from ..namespaces import KGD
from ..temporal import Comparison, Interval
from .chains import CONFIDENCES, ChainBuilder, RawChain
from .severity import Inputs, Rules, score
from .wording import chain_sentence, summary


def slug(iri: str) -> str:
    """A readable, stable part of an ID: the local name of a kg data IRI, else a short hash."""
    if iri.startswith(str(KGD)):
        return iri.removeprefix(str(KGD))
    return "h" + hashlib.sha256(iri.encode()).hexdigest()[:10]


def finding_id(family: str, party: str, foundation: str) -> str:
    """``litigation:symantec@openstack-foundation``: what the finding is, not where it sorts.
    Counterparties are not part of it, so a new suit against another co-member changes the
    finding rather than adding one."""
    return f"{family}:{slug(party)}@{slug(foundation)}"


def period(a: Interval | None, b: Interval, cmp: Comparison) -> tuple[date | None, date | None]:
    if a is None or a.start is None or b.start is None:
        return (b.start, b.end)
    if cmp.status == "active":
        ends = [d for d in (a.end, b.end) if d is not None]
        return max(a.start, b.start), (min(ends) if ends else None)
    if cmp.a_first is True:
        return a.end, b.start
    if cmp.a_first is False:
        return b.end, a.start
    return (min(a.start, b.start), None)


def _unique(evidence: Iterable[Evidence]) -> tuple[Evidence, ...]:
    seen: dict[tuple[str, str, str, str], Evidence] = {}
    for edge in evidence:
        seen.setdefault((edge.fact, edge.subject, edge.relation, edge.object), edge)
    return tuple(seen.values())


def _inputs(b: ChainBuilder, chains: Sequence[RawChain], best: RawChain, as_of: date | None,
            hypothetical: bool) -> Inputs:
    ranks = []
    for chain in chains:
        info = b.book.fact(chain.role_fact) if chain.role_fact else None
        if info is not None and info.tier_rank is not None:
            ranks.append((info.tier_rank, info.tier))
    suits = [b.book.fact(c.suit) for c in chains]
    pending = any(s is not None and s.interval.end is None
                  and s.interval.status_of_end == "ongoing" for s in suits)
    tier_rank, tier = min(ranks) if ranks else (None, None)
    members = {c.counterparty for c in chains if c.spec.counterparty == "co-member"}
    code = sorted({b.book.label(c.counterparty) for c in chains if c.spec.counterparty == "code"})
    return Inputs(
        status=best.cmp.status, gap_days=best.cmp.gap_days, max_gap_days=best.cmp.max_gap_days,
        confidence=best.confidence, weakest=best.weakest, pending=pending,
        as_of=None if as_of is None else as_of.isoformat(), tier=tier, tier_rank=tier_rank,
        seat=any(c.spec.role == "seat" for c in chains), co_members=len(members),
        against=_against(b, chains),
        own_code=tuple(code), hypothetical=hypothetical, family=best.spec.family,
        overlap_note=best.cmp.note if best.cmp.status == "unknown" else "")


def _against(b: ChainBuilder, chains: Sequence[RawChain]) -> str:
    """The words for what was done to the co-members: the spec's ``reason`` for the kind of
    every suit against them ("demanded of", "complained of"), else "sued"."""
    words = set()
    for chain in chains:
        if chain.spec.counterparty != "co-member":
            continue
        suit = b.book.fact(chain.suit)
        kind = "" if suit is None else suit.kind
        words.add(chain.spec.suit_words.get(kind, {}).get("reason", "sued"))
    return words.pop() if len(words) == 1 else "sued"


def _confidence_note(chains: Sequence[RawChain], best: RawChain) -> str:
    others = sorted({c.weakest for c in chains if c is not best
                     and CONFIDENCES.index(c.confidence) > CONFIDENCES.index(best.confidence)})
    head = (f"{best.confidence}: the weakest link of the best of {len(chains)} chain(s)"
            if len(chains) > 1 else f"{best.confidence}: the weakest link of its chain")
    text = f"{head} ({best.weakest})"
    if others:
        text += f"; weaker alternatives: {'; '.join(others[:3])}"
        if len(others) > 3:
            text += f" and {len(others) - 3} more"
    return text


def assemble(b: ChainBuilder, chains: Sequence[RawChain], rules: Rules, *,
             as_of: date | None, context: dict[str, list[str]],
             hypothetical_fact: str | None = None) -> list[Finding]:
    grouped: dict[tuple[str, str], list[RawChain]] = {}
    for chain in chains:
        grouped.setdefault((chain.spec.family, chain.party), []).append(chain)
    findings = []
    for (family, party), members in sorted(grouped.items()):
        members.sort(key=lambda c: c.rank)
        best = members[0]
        hypothetical = hypothetical_fact is not None and any(
            c.role_fact == hypothetical_fact for c in members)
        inputs = _inputs(b, members, best, as_of, hypothetical)
        total, level, reasons = score(rules, inputs)
        label = b.book.label
        counter = sorted({c.counterparty for c in members},
                         key=lambda c: (c not in {m.counterparty for m in members
                                                  if m.spec.counterparty == "co-member"},
                                        label(c), c))
        inter = sorted({c.plaintiff for c in members if c.plaintiff != party},
                       key=lambda p: (label(p), p))
        suits = sorted({c.suit for c in members}, key=lambda s: (label(s), s))
        suit_info = b.book.fact(best.suit)
        start, end = period(best.role_interval, suit_info.interval if suit_info else
                            Interval(None), best.cmp)
        patterns = tuple(sorted({c.spec.pattern for c in members},
                                key=lambda p: next(c.spec.order for c in members
                                                   if c.spec.pattern == p)))
        findings.append(Finding(
            id=finding_id(family, party, b.foundation), family=family, pattern=patterns[0],
            patterns=patterns, foundation=b.foundation,
            foundation_label=label(b.foundation), party=party, party_label=label(party),
            counterparties=tuple(counter), counterparty_labels=tuple(label(c) for c in counter),
            intermediaries=tuple(inter), intermediary_labels=tuple(label(p) for p in inter),
            suits=tuple(suits), suit_labels=tuple(label(s) for s in suits),
            period_start=start, period_end=end, temporal_status=best.cmp.status,
            gap_days=best.cmp.gap_days, max_gap_days=best.cmp.max_gap_days,
            severity=level, score=total, reasons=reasons, confidence=best.confidence,
            confidence_note=_confidence_note(members, best),
            summary=summary(b, members, best, as_of=as_of, hypothetical=hypothetical),
            chains=tuple(Chain(
                pattern=c.spec.pattern, suit=c.suit, counterparty=c.counterparty,
                temporal_status=c.cmp.status, gap_days=c.cmp.gap_days,
                max_gap_days=c.cmp.max_gap_days, confidence=c.confidence, weakest=c.weakest,
                facts=tuple(dict.fromkeys(e.fact for e in c.evidence)),
                summary=chain_sentence(b, c, as_of=as_of, hypothetical=hypothetical))
                for c in members),
            evidence=_unique(e for c in members for e in c.evidence),
            context=tuple(sorted({line for key in (*suits, *inter, party)
                                  for line in context.get(key, [])})),
            as_of=as_of, hypothetical=hypothetical,
            accused_code=tuple(c for c in counter if any(
                m.counterparty == c and m.spec.counterparty == "code" for m in members)),
        ))
    return findings


__all__ = ["assemble", "finding_id", "slug"]
