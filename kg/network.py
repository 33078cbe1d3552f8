"""RDF to networkx: relationship nodes collapse into labelled edges between parties.

This is the only module that imports networkx. In the RDF graph a membership, a patent transfer,
a tie, a lawsuit, an accusation or a contribution is a node of its own (it carries dates and
sources); here each becomes an edge between the two parties it links, labelled in words a person
can read, with the fact's IRI, dates, confidence and sources as edge attributes::

    Symantec --"Gold member · Dec 2014 – ?"--> OpenStack Foundation
    Symantec --"patents (retained rights) · 2012"--> Clouding IP
    Clouding IP --"sued · 2012-05-29 → dismissed, no standing 2014-07-28"--> Rackspace
    Clouding IP --"accused in suit v. Rackspace · 2012-05-29"--> Swift
    Rackspace --"2,221 commits (2012–2013)"--> Swift

A suit with many parties (three or more plaintiff-defendant pairs) is drawn as a node of its own
instead: plaintiff → suit → each defendant, and the suit → accused component.

Node attributes: ``label``, ``kind`` (``Company``, ``Foundation``, ``PatentAssertionEntity``,
``Court``, ``Component``, ``Project``, ``Lawsuit``, ``Patent``, …), ``iri`` (and ``subtitle`` for a
suit node, ``focus`` for the centre of a neighbourhood). Edge attributes: ``label``, ``kind`` (one
of :data:`EDGE_KINDS`), ``relation`` (the words without dates), ``fact`` (IRI), ``confidence``,
``start``/``end`` (:class:`datetime.date` or None) with ``start_precision``/``end_precision``,
``sources`` (tuple of URLs); lawsuit edges add ``suit``, ``suit_label``, ``docket``, ``court``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.term import Node

from .errors import KGError
from .findings import Evidence, Finding
from .namespaces import KG, RDF, RDFS

__all__ = [
    "EDGE_KINDS",
    "NEIGHBOURHOOD_KINDS",
    "NODE_KINDS",
    "SuitMode",
    "finding_to_networkx",
    "format_date",
    "format_interval",
    "layered_order",
    "neighbourhood",
    "spring_positions",
    "to_networkx",
    "write_graphml",
]

SuitMode = Literal["auto", "edges", "nodes"]

EDGE_KINDS: tuple[str, ...] = (
    "membership", "governance", "transfer", "tie", "lawsuit", "accusation", "contribution",
    "structure",
)

# rdf:type → node kind, most specific first (the first type a node has wins).
_KIND_BY_CLASS: tuple[tuple[URIRef, str], ...] = tuple(
    (KG[name], name)
    for name in (
        "PatentAssertionEntity", "Foundation", "Court", "GovernmentAgency",
        "PatentDefenseOrganization", "ResearchOrganization", "Company", "Organization",
        "Component", "Project", "Repository", "InterPartesReview", "Lawsuit", "LegalProceeding",
        "PatentClaim", "Patent", "License",
    )
)
NODE_KINDS: tuple[str, ...] = (*(kind for _, kind in _KIND_BY_CLASS), "Entity")

_PRECISION = {KG.YearPrecision: "year", KG.MonthPrecision: "month", KG.DayPrecision: "day"}
_CONFIDENCE = {
    KG.Confirmed: "confirmed", KG.SingleSource: "single-source", KG.Uncertain: "uncertain",
}
_CONFIDENCE_RANK = {"uncertain": 0, "single-source": 1, "confirmed": 2}
_END_STATUS = {KG.Ongoing: "ongoing", KG.EndUnknown: "unknown"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_SEAT_WORDS = {
    KG.BoardSeat: "board seat", KG.LegalAffairsCommitteeSeat: "legal committee seat",
    KG.BoardChair: "board chair", KG.BoardViceChair: "board vice-chair",
}
_TRANSFER_WORDS = {
    KG.Assignment: "{p} assigned", KG.AssignmentWithRetainedRights: "{p} (retained rights)",
    KG.Sale: "{p} sold", KG.ExclusiveLicence: "exclusive licence to {p}",
    KG.NonExclusiveLicence: "licence to {p}",
}
# Most specific first: an Acquisition is also an Ownership.
_TIE_WORDS: tuple[tuple[URIRef, str], ...] = (
    (KG.Acquisition, "acquired"), (KG.Ownership, "owns"), (KG.Funding, "funds"),
    (KG.AgencyTie, "agent for"), (KG.Investment, "invested in"),
    (KG.Indemnification, "indemnifies"), (KG.Backing, "backs"),
    (KG.Agreement, "agreement with"), (KG.Affiliation, "affiliated with"),
    (KG.Introduction, "introduced"), (KG.Tie, "tied to"),
)
_OUTCOME_WORDS = {
    KG.DismissedForLackOfStanding: "dismissed, no standing", KG.Dismissed: "dismissed",
    KG.Settled: "settled", KG.ClaimsUnpatentable: "claims unpatentable",
    KG.ClaimsInvalid: "claims invalid", KG.Pending: "pending", KG.OutcomeUnknown: "closed",
    KG.FeesAwarded: "fees awarded", KG.Instituted: "instituted",
}
# Evidence.kind (a class' local name) → edge kind.
_EVIDENCE_KIND = {
    "Membership": "membership", "GovernanceSeat": "governance", "PatentTransfer": "transfer",
    "Lawsuit": "lawsuit", "InterPartesReview": "lawsuit", "LegalProceeding": "lawsuit",
    "Accusation": "accusation", "Contribution": "contribution",
    **{str(cls).rsplit("#", 1)[-1]: "tie" for cls, _ in _TIE_WORDS},
}
_POINT_KINDS = {"PatentTransfer", "Accusation", "Acquisition", "Contribution"}
_SUIT_CLASSES = (KG.Lawsuit, KG.InterPartesReview, KG.LegalProceeding)
# Predicates whose object is a party of a fact node (the fact is the subject).
_ROLE_PREDICATES = (
    KG.member, KG.foundation, KG.seatHolder, KG.body, KG.transferor, KG.transferee,
    KG.fromParty, KG.toParty, KG.plaintiff, KG.defendant, KG.petitioner, KG.patentOwner,
    KG.accusedComponent, KG.accusedIn, KG.contributor, KG.toComponent,
)
_STRUCTURE = ((KG.componentOf, "part of"), (KG.stewardedBy, "stewarded by"))


# --- dates -----------------------------------------------------------------------------------


def format_date(value: date | None, precision: str = "day") -> str:
    """A date as precise as it is known: ``2012``, ``Dec 2014`` or ``2014-07-28``.

    >>> format_date(date(2014, 12, 1), "month"), format_date(date(2012, 1, 1), "year")
    ('Dec 2014', '2012')
    """
    if value is None:
        return "?"
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{_MONTHS[value.month - 1]} {value.year}"
    return value.isoformat()


def format_interval(
    start: date | None,
    end: date | None,
    *,
    start_precision: str = "day",
    end_precision: str = "day",
    end_status: str | None = None,
) -> str:
    """An interval in words: ``since Dec 2014`` (ongoing), ``2012 – ?`` (end unknown) or
    ``2012 – 2015`` (ended).

    >>> format_interval(date(2014, 12, 1), None, start_precision="month", end_status="ongoing")
    'since Dec 2014'
    """
    if start is None and end is None:
        return ""
    first = format_date(start, start_precision)
    if end is not None:
        last = format_date(end, end_precision)
        return first if last == first else f"{first} – {last}"
    if end_status == "ongoing":
        return f"since {first}"
    return f"{first} – ?"


def _word(words: Mapping[URIRef, str], node: Node | None, default: str) -> str:
    """The words for a concept IRI, or ``default`` when it is absent or unknown."""
    return words.get(node, default) if isinstance(node, URIRef) else default


def _join(words: str, when: str) -> str:
    return f"{words} · {when}" if when else words


# --- reading one fact node -------------------------------------------------------------------


@dataclass(frozen=True)
class _Edge:
    source: str
    target: str
    key: str
    attrs: Mapping[str, Any]


@dataclass
class _Reader:
    """Small accessors over one rdflib graph (memoised labels and kinds)."""

    graph: Graph
    suits: SuitMode
    _labels: dict[Node, str] = field(default_factory=dict)

    def one(self, subject: Node, predicate: URIRef) -> Node | None:
        return min(self.graph.objects(subject, predicate), default=None, key=str)

    def all(self, subject: Node, predicate: URIRef) -> list[Node]:
        return sorted(set(self.graph.objects(subject, predicate)), key=str)

    def text(self, subject: Node, predicate: URIRef) -> str | None:
        value = self.one(subject, predicate)
        return None if value is None else str(value)

    def label(self, node: Node) -> str:
        if node not in self._labels:
            found = self.text(node, RDFS.label)
            self._labels[node] = found or str(node).rstrip("/#").rsplit("/", 1)[-1].rsplit("#")[-1]
        return self._labels[node]

    def kind(self, node: Node) -> str:
        types = set(self.graph.objects(node, RDF.type))
        return next((kind for cls, kind in _KIND_BY_CLASS if cls in types), "Entity")

    def date(self, subject: Node, predicate: URIRef) -> date | None:
        value = self.one(subject, predicate)
        py = value.toPython() if value is not None and hasattr(value, "toPython") else None
        if isinstance(py, datetime):
            return py.date()
        return py if isinstance(py, date) else None

    def precision(self, subject: Node, predicate: URIRef) -> str:
        value = self.one(subject, predicate)
        return _word(_PRECISION, value, "day")

    def provenance(self, fact: Node) -> dict[str, Any]:
        confidence = self.one(fact, KG.confidence)
        urls = {self.text(src, KG.url) or str(src) for src in self.graph.objects(fact, KG.source)}
        return {
            "fact": str(fact),
            "confidence": _word(_CONFIDENCE, confidence, "uncertain"),
            "sources": tuple(sorted(urls)),
        }

    def interval(self, fact: Node) -> tuple[str, dict[str, Any]]:
        start, end = self.date(fact, KG.startDate), self.date(fact, KG.endDate)
        status_node = self.one(fact, KG.endStatus)
        status = "ended" if end else _word(_END_STATUS, status_node, "unknown")
        sp, ep = self.precision(fact, KG.startPrecision), self.precision(fact, KG.endPrecision)
        words = format_interval(start, end, start_precision=sp, end_precision=ep, end_status=status)
        attrs = {"start": start, "end": end, "start_precision": sp, "end_precision": ep,
                 "end_status": status}
        return words, attrs

    def is_suit_node(self, suit: Node) -> bool:
        if self.suits != "auto":
            return self.suits == "nodes"
        pairs = len(self.all(suit, KG.plaintiff)) * len(self.all(suit, KG.defendant))
        return pairs >= 3


def _edge(reader: _Reader, fact: Node, source: Node, target: Node, kind: str, relation: str,
          when: str, key_suffix: str = "", **extra: Any) -> _Edge:
    attrs: dict[str, Any] = {"label": _join(relation, when), "kind": kind, "relation": relation,
                             "start": None, "end": None, "start_precision": "day",
                             "end_precision": "day"}
    attrs.update(reader.provenance(fact))
    attrs.update(extra)
    return _Edge(str(source), str(target), str(fact) + key_suffix, attrs)


def _membership_edges(r: _Reader, fact: Node) -> list[_Edge]:
    member, foundation = r.one(fact, KG.member), r.one(fact, KG.foundation)
    if member is None or foundation is None:
        return []
    tier = r.one(fact, KG.tier)
    relation = f"{r.label(tier)} member" if tier is not None else "member"
    when, dates = r.interval(fact)
    return [_edge(r, fact, member, foundation, "membership", relation, when, **dates)]


def _governance_edges(r: _Reader, fact: Node) -> list[_Edge]:
    holder, body = r.one(fact, KG.seatHolder), r.one(fact, KG.body)
    if holder is None or body is None:
        return []
    relation = _word(_SEAT_WORDS, r.one(fact, KG.seatKind), "seat")
    if r.text(fact, KG.official) in ("false", "0"):
        relation += " (unofficial)"
    when, dates = r.interval(fact)
    return [_edge(r, fact, holder, body, "governance", relation, when, **dates)]


def _transfer_edges(r: _Reader, fact: Node) -> list[_Edge]:
    source, target = r.one(fact, KG.transferor), r.one(fact, KG.transferee)
    if source is None or target is None:
        return []
    count = len(r.all(fact, KG.patent))
    patents = "patents" if count == 0 else ("1 patent" if count == 1 else f"{count} patents")
    template = _word(_TRANSFER_WORDS, r.one(fact, KG.transferKind), "{p} transferred")
    day, precision = r.date(fact, KG.date), r.precision(fact, KG.datePrecision)
    when = format_date(day, precision) if day else ""
    return [_edge(r, fact, source, target, "transfer", template.format(p=patents), when,
                  start=day, start_precision=precision, patents=count)]


def _tie_edges(r: _Reader, fact: Node) -> list[_Edge]:
    source, target = r.one(fact, KG.fromParty), r.one(fact, KG.toParty)
    if source is None or target is None:
        return []
    types = set(r.graph.objects(fact, RDF.type))
    cls, relation = next(((c, w) for c, w in _TIE_WORDS if c in types), (KG.Tie, "tied to"))
    when, dates = r.interval(fact)
    if cls == KG.Acquisition:  # a point in time, not an interval
        when = format_date(dates["start"], dates["start_precision"]) if dates["start"] else ""
    return [_edge(r, fact, source, target, "tie", relation, when, tie=cls.rsplit("#")[-1],
                  **dates)]


def _suit_dates(r: _Reader, suit: Node) -> tuple[str, str, dict[str, Any]]:
    filed, closed = r.date(suit, KG.filedDate), r.date(suit, KG.closedDate)
    fp, cp = r.precision(suit, KG.filedPrecision), r.precision(suit, KG.closedPrecision)
    outcome = _word(_OUTCOME_WORDS, r.one(suit, KG.outcome), "")
    filed_text = format_date(filed, fp) if filed else ""
    if closed:
        end_text = f"{outcome or 'closed'} {format_date(closed, cp)}"
    else:
        end_text = outcome
    attrs = {"start": filed, "end": closed, "start_precision": fp, "end_precision": cp,
             "outcome": outcome or None}
    return filed_text, end_text, attrs


def _suit_extra(r: _Reader, suit: Node) -> dict[str, Any]:
    court = r.one(suit, KG.court)
    return {"suit": str(suit), "suit_label": r.label(suit), "docket": r.text(suit, KG.docket),
            "court": r.label(court) if court is not None else None}


def _lawsuit_edges(r: _Reader, suit: Node) -> list[_Edge]:
    is_ipr = (suit, RDF.type, KG.InterPartesReview) in r.graph
    plaintiffs = r.all(suit, KG.petitioner if is_ipr else KG.plaintiff)
    defendants = r.all(suit, KG.patentOwner if is_ipr else KG.defendant)
    filed, ended, dates = _suit_dates(r, suit)
    extra = {**_suit_extra(r, suit), **dates}
    if r.is_suit_node(suit):
        role = "petitioner" if is_ipr else "plaintiff"
        edges = [_edge(r, suit, p, suit, "lawsuit", role, "", f"#{role}:{p}", **extra)
                 for p in plaintiffs]
        edges += [_edge(r, suit, suit, d, "lawsuit", "patent owner" if is_ipr else "defendant", "",
                        f"#defendant:{d}", **extra) for d in defendants]
        return edges
    when = " → ".join(part for part in (filed, ended) if part)
    verb = "IPR petition" if is_ipr else "sued"
    return [_edge(r, suit, p, d, "lawsuit", verb, when, f"#{p}>{d}", **extra)
            for p in plaintiffs for d in defendants]


def _accusation_edges(r: _Reader, fact: Node) -> list[_Edge]:
    suit, component = r.one(fact, KG.accusedIn), r.one(fact, KG.accusedComponent)
    if suit is None or component is None:
        return []  # a technology named only in words has no node to point at
    filed, _, _ = _suit_dates(r, suit)
    patent = r.one(fact, KG.viaPatent)
    extra = {**_suit_extra(r, suit), "start": r.date(suit, KG.filedDate),
             "start_precision": r.precision(suit, KG.filedPrecision),
             "patent": r.label(patent) if patent is not None else None}
    if r.is_suit_node(suit):
        return [_edge(r, fact, suit, component, "accusation", "accused", "", **extra)]
    defendants = " & ".join(r.label(d) for d in r.all(suit, KG.defendant))
    relation = f"accused in suit v. {defendants}" if defendants else "accused"
    return [_edge(r, fact, p, component, "accusation", relation, filed, f"#{p}", **extra)
            for p in r.all(suit, KG.plaintiff)]


def _contribution_edges(r: _Reader, facts: Iterable[Node]) -> list[_Edge]:
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
        relation = (f"{total:,} commit" + ("" if total == 1 else "s")) if counts else "contributed"
        span = "" if not years else (
            str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}")
        label = f"{relation} ({span})" if span else relation
        provs = [r.provenance(f) for f in group]
        weakest = min((p["confidence"] for p in provs), key=_CONFIDENCE_RANK.__getitem__)
        edge = _edge(r, group[0], who, what, "contribution", relation, "", "#contribution",
                     start=date(years[0], 1, 1) if years else None,
                     end=date(years[-1], 12, 31) if years else None,
                     start_precision="year", end_precision="year",
                     commits=sum(counts) if counts else None, facts=tuple(str(f) for f in group))
        attrs = {**edge.attrs, "label": label, "confidence": weakest,
                 "sources": tuple(sorted({s for p in provs for s in p["sources"]}))}
        edges.append(replace(edge, attrs=attrs))
    return edges


def _structure_edges(r: _Reader, subject: Node) -> list[_Edge]:
    edges = []
    for predicate, words in _STRUCTURE:
        for target in r.all(subject, predicate):
            edges.append(_edge(r, subject, subject, target, "structure", words, "",
                               f"#{predicate.rsplit('#')[-1]}"))
    return edges


_CONVERTERS = {
    KG.Membership: _membership_edges, KG.GovernanceSeat: _governance_edges,
    KG.PatentTransfer: _transfer_edges, KG.Accusation: _accusation_edges,
    **{cls: _tie_edges for cls, _ in _TIE_WORDS},
    **{cls: _lawsuit_edges for cls in _SUIT_CLASSES},
}
_CONVERTER_KIND = {
    KG.Membership: "membership", KG.GovernanceSeat: "governance", KG.PatentTransfer: "transfer",
    KG.Accusation: "accusation", KG.Contribution: "contribution",
    **{cls: "tie" for cls, _ in _TIE_WORDS}, **{cls: "lawsuit" for cls in _SUIT_CLASSES},
}


def _edges_of(r: _Reader, facts: Iterable[Node], kinds: frozenset[str]) -> list[_Edge]:
    """Collapse fact nodes (and structural subjects) into edges of the wanted kinds."""
    edges: list[_Edge] = []
    contributions: list[Node] = []
    for fact in sorted(set(facts), key=str):
        types = set(r.graph.objects(fact, RDF.type))
        if KG.Contribution in types:
            contributions.append(fact)
            continue
        done = False
        for cls, convert in _CONVERTERS.items():
            if cls in types and not done:
                done = True
                if _CONVERTER_KIND[cls] in kinds:
                    edges += convert(r, fact)
        if "structure" in kinds:
            edges += _structure_edges(r, fact)
    if "contribution" in kinds:
        edges += _contribution_edges(r, contributions)
    return [e for e in edges if e.attrs["kind"] in kinds]


def _all_facts(r: _Reader) -> set[Node]:
    facts: set[Node] = set()
    for cls in (*_CONVERTERS, KG.Contribution):
        facts.update(r.graph.subjects(RDF.type, cls))
    for predicate, _ in _STRUCTURE:
        facts.update(r.graph.subjects(predicate, None))
    return facts


def _facts_touching(r: _Reader, node: Node) -> set[Node]:
    facts: set[Node] = set()
    for predicate in _ROLE_PREDICATES:
        facts.update(r.graph.subjects(predicate, node))
    for predicate, _ in _STRUCTURE:
        facts.update(r.graph.subjects(predicate, node))
        if r.one(node, predicate) is not None:
            facts.add(node)
    if any((node, RDF.type, cls) in r.graph for cls in _SUIT_CLASSES):
        facts.add(node)
    suits = [f for f in facts if any((f, RDF.type, cls) in r.graph for cls in _SUIT_CLASSES)]
    for suit in suits:  # the suit's accusations run from its plaintiffs in edge mode
        facts.update(r.graph.subjects(KG.accusedIn, suit))
    return facts


# --- public conversion -----------------------------------------------------------------------


def _check_kinds(include_kinds: Iterable[str] | None) -> frozenset[str]:
    if include_kinds is None:
        return frozenset(EDGE_KINDS)
    kinds = frozenset(include_kinds)
    unknown = kinds - set(EDGE_KINDS)
    if unknown:
        raise KGError(
            f"unknown edge kind(s) {', '.join(sorted(unknown))}: "
            f"choose from {', '.join(EDGE_KINDS)}"
        )
    return kinds


def _build(r: _Reader, edges: Sequence[_Edge], nodes: Iterable[str] = ()) -> nx.MultiDiGraph[str]:
    result: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for iri in sorted({*nodes, *(e.source for e in edges), *(e.target for e in edges)}):
        ref = URIRef(iri)
        attrs: dict[str, Any] = {"label": r.label(ref), "kind": r.kind(ref), "iri": iri}
        if attrs["kind"] in ("Lawsuit", "InterPartesReview", "LegalProceeding"):
            filed, ended, _ = _suit_dates(r, ref)
            parts = (f"filed {filed}" if filed else "", ended)
            attrs["subtitle"] = " → ".join(p for p in parts if p)
        result.add_node(iri, **attrs)
    for e in sorted(edges, key=lambda e: (e.source, e.target, e.key)):
        result.add_edge(e.source, e.target, key=e.key, **e.attrs)
    return result


def _walk(r: _Reader, centre: URIRef, *, depth: int, kinds: frozenset[str],
          hub_limit: int | None) -> tuple[list[_Edge], dict[str, int]]:
    """Breadth-first over collapsed edges: the edges among the nodes within ``depth``, and the
    hubs met on the way (nodes with more than ``hub_limit`` facts, not walked through)."""
    reached = {str(centre)}
    frontier = [centre]
    seen: set[Node] = set()
    edges: dict[tuple[str, str, str], _Edge] = {}
    hubs: dict[str, int] = {}
    for step in range(depth + 1):
        facts: set[Node] = set()
        for node in frontier:
            touching = _facts_touching(r, node)
            if node != centre and hub_limit is not None and len(touching) > hub_limit:
                hubs[str(node)] = len(touching)
                continue
            facts |= touching
        facts -= seen
        seen |= facts
        found = _edges_of(r, facts, kinds)
        edges.update(((e.source, e.target, e.key), e) for e in found)
        if step == depth:
            break
        new = sorted({end for e in found for end in (e.source, e.target)} - reached)
        reached.update(new)
        frontier = [URIRef(n) for n in new]
    kept = [e for e in edges.values() if e.source in reached and e.target in reached]
    return kept, hubs


def to_networkx(
    graph: Graph,
    *,
    focus: str | None = None,
    depth: int = 1,
    include_kinds: Iterable[str] | None = None,
    suits: SuitMode = "auto",
    hub_limit: int | None = 25,
) -> nx.MultiDiGraph[str]:
    """Collapse the relationship nodes of ``graph`` into a labelled multigraph of parties.

    With ``focus`` (an IRI) only the parties within ``depth`` edges of it are kept, found by
    walking the RDF graph outwards (the rest of a large graph is never read). A *hub* (a node
    other than the focus with more than ``hub_limit`` relationships, such as a foundation or Nova)
    is shown but not walked through, so that depth 2 means "the focus's partners and theirs", not
    "every member of every foundation"; its node carries ``hub`` = its number of relationships.
    ``include_kinds`` keeps only some of :data:`EDGE_KINDS`; ``suits`` chooses how lawsuits are
    drawn (``auto``: a node when a suit has three or more plaintiff-defendant pairs).
    """
    kinds = _check_kinds(include_kinds)
    if suits not in ("auto", "edges", "nodes"):
        raise KGError(f"unknown suits mode {suits!r}: choose auto, edges or nodes")
    reader = _Reader(graph, suits)
    if focus is None:
        return _build(reader, _edges_of(reader, _all_facts(reader), kinds))
    if depth < 0:
        raise KGError(f"depth must be 0 or more, not {depth}")
    centre = URIRef(focus)
    if (centre, None, None) not in graph and (None, None, centre) not in graph:
        raise KGError(f"{focus} is not in the graph")
    kept, hubs = _walk(reader, centre, depth=depth, kinds=kinds, hub_limit=hub_limit)
    result = _build(reader, kept, [str(centre)])
    result.nodes[str(centre)]["focus"] = True
    for hub, count in hubs.items():
        if hub in result:
            result.nodes[hub]["hub"] = count
    result.graph.update(focus=str(centre), depth=depth,
                        title=f"{reader.label(centre)}: neighbourhood (depth {depth})")
    return result


NEIGHBOURHOOD_KINDS = tuple(k for k in EDGE_KINDS if k != "structure")


def neighbourhood(
    graph: Graph,
    iri: str,
    depth: int = 1,
    *,
    include_kinds: Iterable[str] | None = NEIGHBOURHOOD_KINDS,
    hub_limit: int | None = 25,
) -> nx.MultiDiGraph[str]:
    """The parties within ``depth`` edges of ``iri``, with every edge between them.

    Structural edges ("part of", "stewarded by") are left out unless asked for: around a
    company they only tie every component to OpenStack.
    """
    return to_networkx(graph, focus=iri, depth=depth, include_kinds=include_kinds,
                       hub_limit=hub_limit)


# --- findings --------------------------------------------------------------------------------


def _evidence_label(ev: Evidence) -> str:
    if ev.kind in ("Lawsuit", "InterPartesReview", "LegalProceeding"):
        start = format_date(ev.start, ev.start_precision) if ev.start else ""
        end = format_date(ev.end, ev.end_precision) if ev.end else ""
        when = " → ".join(p for p in (start, end) if p)
    elif ev.kind in _POINT_KINDS:
        when = format_date(ev.start, ev.start_precision) if ev.start else ""
    else:
        when = format_interval(ev.start, ev.end, start_precision=ev.start_precision,
                               end_precision=ev.end_precision, end_status=ev.end_status)
    return _join(ev.relation, when)


def _evidence_node_kind(finding: Finding, ev: Evidence, iri: str, *, is_object: bool) -> str:
    if iri == finding.foundation:
        return "Foundation"
    if is_object and ev.kind in ("Accusation", "Contribution"):
        return "Component"
    if is_object and ev.kind in ("Membership", "GovernanceSeat"):
        return "Foundation"
    return "Organization"


def finding_to_networkx(finding: Finding, *, graph: Graph | None = None) -> nx.MultiDiGraph[str]:
    """The evidence chain of a finding as a graph: one edge per piece of evidence.

    Node kinds come from ``graph`` when it is given, else they are guessed from the evidence
    (the foundation, accused or contributed components, and organizations).
    """
    reader = _Reader(graph, "auto") if graph is not None else None
    result: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for ev in finding.evidence:
        for iri, label, is_object in ((ev.subject, ev.subject_label, False),
                                      (ev.object, ev.object_label, True)):
            if iri in result:
                continue
            kind = reader.kind(URIRef(iri)) if reader is not None else "Entity"
            if kind == "Entity":
                kind = _evidence_node_kind(finding, ev, iri, is_object=is_object)
            result.add_node(iri, label=label, kind=kind, iri=iri)
    for index, ev in enumerate(finding.evidence):
        result.add_edge(
            ev.subject, ev.object, key=f"{ev.fact}#{index}", label=_evidence_label(ev),
            kind=_EVIDENCE_KIND.get(ev.kind, "tie"), relation=ev.relation, fact=ev.fact,
            confidence=ev.confidence, start=ev.start, end=ev.end,
            start_precision=ev.start_precision, end_precision=ev.end_precision,
            end_status=ev.end_status, sources=tuple(ev.sources), note=ev.note,
        )
    for iri in finding.parties:
        if iri in result:
            result.nodes[iri]["party"] = True
    sides = " ↔ ".join(finding.party_labels)
    result.graph.update(
        title=f"{finding.pattern.capitalize()} conflict at {finding.foundation_label}: {sides}",
        summary=finding.summary, pattern=finding.pattern, severity=finding.severity,
        temporal_status=finding.temporal_status, confidence=finding.confidence,
        foundation=finding.foundation,
    )
    return result


# --- layout helpers (graph algorithms; geometry is in kg.rendering) --------------------------


def _plain(g: nx.MultiDiGraph[str]) -> nx.DiGraph[str]:
    simple: nx.DiGraph[str] = nx.DiGraph()
    simple.add_nodes_from(sorted(g.nodes))
    simple.add_edges_from((u, v) for u, v in g.edges() if u != v)
    return simple


def layered_order(
    g: nx.MultiDiGraph[str], *, top_kinds: Sequence[str] = ("Foundation",), sweeps: int = 4
) -> tuple[list[str], list[list[str]]]:
    """Rows for a left-to-right layered drawing: ``(top, layers)``.

    ``top`` holds the nodes of ``top_kinds`` (drawn in a row above the rest); ``layers`` are
    columns from left to right, each ordered top to bottom, so that every edge points rightwards
    where the graph allows it (cycles are condensed first). Ties are broken by label.
    """
    label = {n: str(g.nodes[n].get("label", n)) for n in g.nodes}
    top = sorted((n for n in g.nodes if g.nodes[n].get("kind") in top_kinds),
                 key=lambda n: label[n])
    if len(top) == len(g):
        top = []
    rest = _plain(g).subgraph([n for n in g.nodes if n not in top]).copy()
    dag = nx.condensation(rest)
    members = dag.graph["mapping"]
    level: dict[int, int] = {}
    for scc in nx.lexicographical_topological_sort(dag):
        level[scc] = max((level[p] + 1 for p in dag.predecessors(scc)), default=0)
    for scc in sorted(dag.nodes, reverse=True):  # pull sources right, next to their targets
        if dag.in_degree(scc) == 0 and dag.out_degree(scc) > 0:
            level[scc] = min(level[s] for s in dag.successors(scc)) - 1
    layer_of = {n: level[members[n]] for n in rest.nodes}
    count = max(layer_of.values(), default=-1) + 1
    layers = [sorted((n for n in rest if layer_of[n] == i), key=lambda n: label[n])
              for i in range(count)]
    undirected = rest.to_undirected()
    for sweep in range(sweeps):
        order = range(1, count) if sweep % 2 == 0 else range(count - 2, -1, -1)
        for i in order:
            ref = i - 1 if sweep % 2 == 0 else i + 1
            index = {n: k for k, n in enumerate(layers[ref])}

            def centre(n: str, index: dict[str, int] = index, i: int = i) -> tuple[float, str]:
                near = [index[m] for m in undirected[n] if m in index]
                own = layers[i].index(n)
                return (sum(near) / len(near) if near else own, label[n])

            layers[i] = sorted(layers[i], key=centre)
    return top, [layer for layer in layers if layer]


def spring_positions(g: nx.MultiDiGraph[str], *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Deterministic force-directed positions in [-1, 1] (seeded; nodes in sorted order)."""
    simple = _plain(g).to_undirected()
    if len(simple) == 0:
        return {}
    k = 1.6 / math.sqrt(len(simple))
    pos = nx.spring_layout(simple, seed=seed, k=k, iterations=200)
    return {str(n): (float(xy[0]), float(xy[1])) for n, xy in sorted(pos.items())}


# --- export ----------------------------------------------------------------------------------


def _scalar(value: Any) -> str | int | float | bool | None:
    if value is None:
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return " | ".join(str(v) for v in value)
    return str(value)


def _scalars(attrs: Mapping[str, Any]) -> dict[str, str | int | float | bool]:
    return {k: v for k, raw in attrs.items() if (v := _scalar(raw)) is not None}


def write_graphml(nx_graph: nx.MultiDiGraph[str], path: str | Path) -> Path:
    """Write GraphML, which holds scalar attributes only: dates become ISO text, lists
    ``a | b``, and None is dropped."""
    out = Path(path)
    flat: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    flat.graph.update(_scalars(nx_graph.graph))
    for node, attrs in nx_graph.nodes(data=True):
        flat.add_node(node, **_scalars(attrs))
    for u, v, key, attrs in nx_graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **_scalars(attrs))
    nx.write_graphml(flat, out)
    return out
