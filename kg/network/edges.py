"""Fact nodes collapse into labelled edges between the two parties each links.

Every word of a label is the ontology's: a class' or concept's ``kg:shortPhrase`` (its own or
its nearest ancestor's), a property's label, a tier's label; only counts and dates are
formatted here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from ..namespaces import KG
from ..vocabulary import local_name
from . import words
from .dates import format_date, join
from .reader import Reader


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    key: str
    attrs: Mapping[str, Any]


def make_edge(r: Reader, fact: Node, source: Node, target: Node, kind: str, relation: str,
              when: str, key_suffix: str = "", **extra: Any) -> Edge:
    attrs: dict[str, Any] = {"label": join(relation, when), "kind": kind, "relation": relation,
                             "kind_label": words.edge_kind_label(r.vocabulary, kind),
                             "start": None, "end": None, "start_precision": "day",
                             "end_precision": "day"}
    attrs.update(r.provenance(fact))
    attrs.update(extra)
    return Edge(str(source), str(target), str(fact) + key_suffix, attrs)


def membership_edges(r: Reader, fact: Node) -> list[Edge]:
    member, foundation = r.one(fact, KG.member), r.one(fact, KG.foundation)
    if member is None or foundation is None:
        return []
    tier = r.one(fact, KG.tier)
    noun = r.vocabulary.phrase(KG.Membership, short=True)
    relation = f"{r.label(tier)} {noun}" if tier is not None else noun
    when, dates = r.interval(fact)
    rank = r.text(tier, KG.tierRank) if tier is not None else None
    return [make_edge(r, fact, member, foundation, "membership", relation, when, **dates,
                      tier_rank=int(rank) if rank and rank.isdigit() else None)]


def governance_edges(r: Reader, fact: Node) -> list[Edge]:
    holder, body = r.one(fact, KG.seatHolder), r.one(fact, KG.body)
    if holder is None or body is None:
        return []
    relation = r.short(r.one(fact, KG.seatKind), KG.GovernanceSeat)
    if r.text(fact, KG.official) in ("false", "0"):
        relation += " (unofficial)"
    when, dates = r.interval(fact)
    return [make_edge(r, fact, holder, body, "governance", relation, when, **dates)]


def transfer_edges(r: Reader, fact: Node) -> list[Edge]:
    source, target = r.one(fact, KG.transferor), r.one(fact, KG.transferee)
    if source is None or target is None:
        return []
    count = len(r.all(fact, KG.patent))
    patents = r.short(None, KG.PatentTransfer) if count == 0 else (
        "1 patent" if count == 1 else f"{count} patents")
    kind = r.one(fact, KG.transferKind)
    relation = f"{patents} ({r.short(kind, KG.PatentTransfer)})" if kind is not None else patents
    day, precision = r.date(fact, KG.date), r.precision(fact, KG.datePrecision)
    when = format_date(day, precision) if day else ""
    return [make_edge(r, fact, source, target, "transfer", relation, when,
                      start=day, start_precision=precision, patents=count)]


def tie_edges(r: Reader, fact: Node) -> list[Edge]:
    source, target = r.one(fact, KG.fromParty), r.one(fact, KG.toParty)
    if source is None or target is None:
        return []
    cls = r.fact_class(fact) or str(KG.Tie)
    when, dates = r.interval(fact)
    if r.vocabulary.is_point(cls):
        when = format_date(dates["start"], dates["start_precision"]) if dates["start"] else ""
    return [make_edge(r, fact, source, target, "tie", r.short(URIRef(cls), KG.Tie), when,
                      tie=local_name(cls), **dates)]


def suit_dates(r: Reader, suit: Node) -> tuple[str, str, dict[str, Any]]:
    """Filed, how it ended (outcome and close date) in words, and the dates as attributes."""
    filed, closed = r.date(suit, KG.filedDate), r.date(suit, KG.closedDate)
    fp, cp = r.precision(suit, KG.filedPrecision), r.precision(suit, KG.closedPrecision)
    outcome_node = r.one(suit, KG.outcome)
    outcome = r.short(outcome_node, KG.OutcomeUnknown) if outcome_node is not None else ""
    filed_text = format_date(filed, fp) if filed else ""
    if closed:
        ended = r.short(outcome_node, KG.OutcomeUnknown)
        end_text = f"{ended} {format_date(closed, cp)}"
    else:
        end_text = outcome
    attrs = {"start": filed, "end": closed, "start_precision": fp, "end_precision": cp,
             "outcome": outcome or None}
    return filed_text, end_text, attrs


def suit_extra(r: Reader, suit: Node) -> dict[str, Any]:
    court = r.one(suit, KG.court)
    return {"suit": str(suit), "suit_label": r.label(suit), "docket": r.text(suit, KG.docket),
            "court": r.label(court) if court is not None else None}


# The two sides of a proceeding that is not a plain lawsuit: who brings it, against whom (a
# counterclaim is a lawsuit: its plaintiff is the counterclaimant). An agency is the forum of its
# action, not a party.
PARTY_ROLES = (
    (KG.InterPartesReview, KG.petitioner, KG.patentOwner),
    (KG.AgencyAction, KG.complainant, KG.respondent),
    (KG.Appeal, KG.appellant, KG.appellee),
    (KG.Reexamination, KG.requester, KG.patentOwner),
    (KG.BankruptcyProceeding, KG.creditor, KG.debtor),
)


def lawsuit_edges(r: Reader, suit: Node) -> list[Edge]:
    cls = r.fact_class(suit) or str(KG.LegalProceeding)
    lineage = r.vocabulary.lineage(cls)
    by, against = next(((b, a) for kind, b, a in PARTY_ROLES if str(kind) in lineage),
                       (KG.plaintiff, KG.defendant))
    plaintiffs, defendants = r.all(suit, by), r.all(suit, against)
    filed, ended, dates = suit_dates(r, suit)
    extra = {**suit_extra(r, suit), **dates}
    v = r.vocabulary
    if r.is_suit_node(suit):
        edges = [make_edge(r, suit, p, suit, "lawsuit", v.label(by), "", f"#plaintiff:{p}",
                           **extra) for p in plaintiffs]
        edges += [make_edge(r, suit, suit, d, "lawsuit", v.label(against), "",
                            f"#defendant:{d}", **extra) for d in defendants]
        return edges
    when = " → ".join(part for part in (filed, ended) if part)
    verb = r.short(URIRef(cls), KG.LegalProceeding)
    return [make_edge(r, suit, p, d, "lawsuit", verb, when, f"#{p}>{d}", **extra)
            for p in plaintiffs for d in defendants]


def accusation_edges(r: Reader, fact: Node) -> list[Edge]:
    suit, component = r.one(fact, KG.accusedIn), r.one(fact, KG.accusedComponent)
    if suit is None or component is None:
        return []  # a technology named only in words has no node to point at
    filed, _, _ = suit_dates(r, suit)
    patent = r.one(fact, KG.viaPatent)
    extra = {**suit_extra(r, suit), "start": r.date(suit, KG.filedDate),
             "start_precision": r.precision(suit, KG.filedPrecision),
             "patent": r.label(patent) if patent is not None else None}
    accused = r.vocabulary.phrase(KG.Accusation, short=True)
    if r.is_suit_node(suit):
        return [make_edge(r, fact, suit, component, "accusation", accused, "", **extra)]
    defendants = " & ".join(r.label(d) for d in r.all(suit, KG.defendant))
    relation = f"{accused} in suit v. {defendants}" if defendants else accused
    return [make_edge(r, fact, p, component, "accusation", relation, filed, f"#{p}", **extra)
            for p in r.all(suit, KG.plaintiff)]


def contribution_edges(r: Reader, facts: Iterable[Node]) -> list[Edge]:
    """One edge per (contributor, component): commits summed over the years."""
    groups: dict[tuple[Node, Node], list[Node]] = defaultdict(list)
    for fact in facts:
        who, what = r.one(fact, KG.contributor), r.one(fact, KG.toComponent)
        if who is not None and what is not None:
            groups[(who, what)].append(fact)
    edges = []
    for (who, what), group in sorted(groups.items(), key=lambda item: str(item[0])):
        group.sort(key=str)
        years = sorted({int(y) for f in group if (y := r.text(f, KG.year)) and y.isdigit()})
        counts = [int(c) for f in group if (c := r.text(f, KG.commitCount)) and c.isdigit()]
        total = sum(counts)
        relation = ((f"{total:,} commit" + ("" if total == 1 else "s")) if counts
                    else r.vocabulary.phrase(KG.Contribution, short=True))
        span = "" if not years else (
            str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}")
        provs = [r.provenance(f) for f in group]
        weakest = max(provs, key=lambda p: p["confidence_rank"])
        edge = make_edge(r, group[0], who, what, "contribution", relation, "", "#contribution",
                         start=date(years[0], 1, 1) if years else None,
                         end=date(years[-1], 12, 31) if years else None,
                         start_precision="year", end_precision="year",
                         commits=total if counts else None, facts=tuple(str(f) for f in group))
        attrs = {**edge.attrs, "label": f"{relation} ({span})" if span else relation,
                 **{k: weakest[k] for k in ("confidence", "confidence_label", "confidence_rank")},
                 "sources": tuple(sorted({s for p in provs for s in p["sources"]}))}
        edges.append(replace(edge, attrs=attrs))
    return edges


def structure_edges(r: Reader, subject: Node) -> list[Edge]:
    return [make_edge(r, subject, subject, target, "structure",
                      r.vocabulary.phrase(predicate, short=True), "",
                      f"#{local_name(predicate)}")
            for predicate in words.STRUCTURE for target in r.all(subject, predicate)]


Converter = Callable[[Reader, Node], list[Edge]]
CONVERTERS: dict[str, Converter] = {
    "membership": membership_edges, "governance": governance_edges,
    "transfer": transfer_edges, "tie": tie_edges, "lawsuit": lawsuit_edges,
    "accusation": accusation_edges,
}


def edges_of(r: Reader, facts: Iterable[Node], kinds: frozenset[str]) -> list[Edge]:
    """Collapse fact nodes (and structural subjects) into edges of the wanted kinds."""
    edges: list[Edge] = []
    contributions: list[Node] = []
    for fact in sorted(set(facts), key=str):
        cls = r.fact_class(fact)
        kind = words.edge_kind(r.vocabulary, cls) if cls else None
        if kind == "contribution":
            contributions.append(fact)
        elif kind in CONVERTERS and kind in kinds:
            edges += CONVERTERS[kind](r, fact)
        if "structure" in kinds:
            edges += structure_edges(r, fact)
    if "contribution" in kinds:
        edges += contribution_edges(r, contributions)
    return [e for e in edges if e.attrs["kind"] in kinds]
