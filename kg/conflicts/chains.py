"""The one chain builder: rows of any pattern query, read through its spec, become chains.

A chain is party —role→ foundation, party —link→ plaintiff (unless the party sued itself),
plaintiff → suit → counterparty (a co-member defendant with its own membership, an accused
component, or the foundation itself), with the further links its spec names (a steward's role,
an implementation, a backer's tie, the agency of a proceeding). The suit may be any proceeding
or a licence demand; a point-in-time one (a demand) is compared as the day it was made. The
builder picks, for each (party, plaintiff, suit, counterparty), the role fact that stands best
against the suit, drops what the date asked does not yet know, and keeps a chain only when its
spec's temporal rules hold:

- a co-member counterparty must have been a member during the suit (certainly, or possibly:
  then the chain is weaker); one that certainly was not is no counterparty;
- a role that ended before the suit was filed is dropped (``drop``), kept within the recent
  window (``window``), or required (``required``: former members).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from rdflib.term import Node

from ..findings import Evidence
from ..temporal import Comparison, Interval, compare, edtf_of, period_bounds
from ..vocabulary import Vocabulary, local_name
from .facts import Contribution, FactBook, FactInfo, years_interval
from .specs import LinkSpec, PatternSpec

Row = dict[str, Node | None]
Edge = tuple[FactInfo, str, str, str]  # a further link's fact, subject, object and words
STATUS_ORDER = ("active", "recent", "unknown", "historical")
CONFIDENCES = ("confirmed", "single-source", "uncertain")


@dataclass(frozen=True)
class RawChain:
    """A chain before it joins a finding."""

    spec: PatternSpec
    foundation: str
    party: str
    plaintiff: str
    suit: str
    counterparty: str
    role_fact: str | None           # membership or seat (None for a contribution role)
    role_interval: Interval
    contributions: tuple[Contribution, ...]
    vias: tuple[str, ...]
    counterparty_fact: str | None   # defendant's membership or the accusation
    cmp: Comparison
    confidence: str
    weakest: str
    evidence: tuple[Evidence, ...]
    # the further links' ends (column → IRIs) and the clauses the summary repeats
    named: tuple[tuple[str, tuple[str, ...]], ...] = ()
    said: tuple[tuple[str, str, str], ...] = ()  # (subject, relation, object)

    @property
    def rank(self) -> tuple[int, int, int, int, str, str]:
        """Best first: a membership before a seat before contributions (the finding is about
        the party's standing in the foundation), then status, confidence, smallest gap."""
        role = 2 if self.role_fact is None else 1 if self.spec.role == "seat" else 0
        return (role, STATUS_ORDER.index(self.cmp.status), CONFIDENCES.index(self.confidence),
                self.cmp.gap_days or 0, self.suit, self.counterparty)


def group(rows: Iterable[Row], *columns: str | None) -> dict[tuple[str, ...], list[Row]]:
    out: dict[tuple[str, ...], list[Row]] = {}
    for row in rows:
        key = tuple("" if c is None or row.get(c) is None else str(row[c]) for c in columns)
        out.setdefault(key, []).append(row)
    return out


def values(rows: Iterable[Row], column: str | None) -> list[str]:
    if column is None:
        return []
    return sorted({str(r[column]) for r in rows if r.get(column) is not None})


def matches(row: Row, where: dict[str, str]) -> bool:
    return all(row.get(k) is not None and str(row[k]) == v for k, v in where.items())


def _best(book: FactBook, facts: Iterable[str], suit: Interval,
          window: int) -> tuple[FactInfo, Comparison] | None:
    """The fact whose interval stands best against the suit (active first, smallest gap)."""
    best: tuple[tuple[int, int, str], FactInfo, Comparison] | None = None
    for iri in sorted(set(facts)):
        info = book.fact(iri)
        if info is None:
            continue
        cmp = compare(info.interval, suit, window)
        key = (STATUS_ORDER.index(cmp.status), cmp.gap_days or 0, iri)
        if best is None or key < best[0]:
            best = (key, info, cmp)
    return None if best is None else (best[1], best[2])


def _weaker(level: str, cap: str) -> str:
    return CONFIDENCES[max(CONFIDENCES.index(level), CONFIDENCES.index(cap))]


def _edtf_text(text: str | None, earliest: date | None, latest: date | None,
               is_range: bool) -> str | None:
    """The EDTF text of a date (kept as written, or made from its bounds)."""
    if text is not None:
        return text
    return edtf_of(earliest, latest) if is_range else None


class ChainBuilder:
    """Builds the chains of every pattern for one foundation."""

    def __init__(self, book: FactBook, foundation: str, window: int) -> None:
        self.book = book
        self.foundation = foundation
        self.window = window
        self.vocabulary: Vocabulary = book.vocabulary
        self.later: dict[tuple[str, str], set[str]] = {}  # (suit, plaintiff) → joined later

    # ---------------------------------------------------------------- evidence

    def edge(self, info: FactInfo, subject: str, relation: str, obj: str, *,
             note: str | None = None, interval: Interval | None = None) -> Evidence:
        iv = interval or info.interval
        notes = [n for n in (info.note, note) if n]
        dated = iv.has_start or iv.end is not None or iv.end_range
        point = any(self.vocabulary.is_point(t) for t in info.types)
        return Evidence(
            fact=info.iri, kind=info.kind, subject=subject, subject_label=self.book.label(subject),
            relation=relation, object=obj, object_label=self.book.label(obj),
            start=iv.start, end=iv.end, start_precision=iv.start_precision,
            end_precision=iv.end_precision,
            end_status=iv.status_of_end if dated and not point else None,
            confidence=info.confidence, sources=info.sources, note="; ".join(notes) or None,
            start_edtf=_edtf_text(iv.start_edtf, iv.start, iv.start_latest, iv.start_range),
            end_edtf=_edtf_text(iv.end_edtf, iv.end_earliest, iv.end, iv.end_range))

    def membership_edge(self, info: FactInfo, member: str) -> Evidence:
        if info.iri == self.book.hypothetical:
            tier = f"{info.tier}; " if info.tier else ""
            return self.edge(info, member, f"would be a member of ({tier}hypothetical)",
                             self.foundation)
        if info.kind and info.kind != "Membership":
            # a tie to the body that is not a membership (a participation): its own words
            words = self.vocabulary.phrase(self.kind_iri(info), default=info.kind)
            role = f" ({info.tier})" if info.tier else ""
            return self.edge(info, member, f"{words}{role}", self.foundation)
        words = f"member of ({info.tier})" if info.tier else "member of"
        return self.edge(info, member, words, self.foundation)

    def span(self, info: FactInfo) -> Interval:
        """The suit's interval as compared: a point-in-time fact (a licence demand) without an
        end is the period of its date."""
        iv = info.interval
        if iv.start is None or iv.end is not None or iv.end_range or \
                not any(self.vocabulary.is_point(t) for t in info.types):
            return iv
        if iv.start_range:  # a date known as bounds: it happened by the latest of them
            return iv if iv.start_latest is None else \
                replace(iv, end=iv.start_latest, end_status="ended")
        last = period_bounds(iv.start, iv.start_precision)[1]
        return replace(iv, end=last, end_precision="day", end_status="ended")

    def suit_words(self, spec: PatternSpec, suit: FactInfo, side: str) -> str:
        default = {"plaintiff": "sued (plaintiff in)",
                   "defendant": "was brought against (defendant)"}[side]
        return spec.suit_words.get(suit.kind, {}).get(side, default)

    def kind_iri(self, info: FactInfo) -> str:
        """The IRI of the fact's most specific class."""
        return next((t for t in info.types if local_name(t) == info.kind), info.kind)

    def best_via(self, vias: Iterable[str]) -> FactInfo | None:
        """The link a sentence names: the best-sourced, a patent transfer before a tie."""
        infos = [i for i in (self.book.fact(v) for v in vias) if i is not None]
        return min(infos, key=lambda i: (CONFIDENCES.index(i.confidence),
                                         i.transfer_kind is None, i.iri), default=None)

    def link_words(self, info: FactInfo) -> str:
        if info.transfer_kind is not None:
            return self.vocabulary.phrase(info.transfer_kind)
        return self.vocabulary.phrase(self.kind_iri(info))

    # ---------------------------------------------------------------- building

    def build(self, spec: PatternSpec, rows: list[Row]) -> list[RawChain]:
        c = spec.column
        chosen = [r for r in rows if matches(r, spec.where)]
        keys = (c("party"), c("plaintiff"), c("suit"), c("counterparty"))
        chains = []
        for (party, plaintiff, suit, counterparty), members in sorted(
                group(chosen, *keys).items()):
            chain = self._chain(spec, party, plaintiff, suit, counterparty, members)
            if chain is not None:
                chains.append(chain)
        return chains

    def _role(self, spec: PatternSpec, party: str, counterparty: str, rows: list[Row],
              suit: Interval) -> tuple[FactInfo | None, Interval, tuple[Contribution, ...]] | None:
        if spec.role in ("membership", "seat", "membership-or-contribution"):
            picked = _best(self.book, values(rows, spec.column("role")), suit, self.window)
            if picked is not None:
                return picked[0], picked[0].interval, ()
            if spec.role != "membership-or-contribution":
                return None
        if spec.role == "contribution":
            records = self.book.contributions_of(party, components=[counterparty])
        else:
            project = next(iter(values(rows, spec.column("project"))), None)
            records = self.book.contributions_of(party, project=project)
        interval = years_interval(records)
        return None if interval is None else (None, interval, tuple(records))

    def _chain(self, spec: PatternSpec, party: str, plaintiff: str, suit_iri: str,
               counterparty: str, rows: list[Row]) -> RawChain | None:
        suit = self.book.fact(suit_iri)
        if suit is None:
            return None  # not filed yet on the date asked
        span = self.span(suit)
        role = self._role(spec, party, counterparty, rows, span)
        if role is None:
            return None
        role_fact, role_interval, records = role
        cmp = compare(role_interval, span, self.window)
        ended_before = cmp.a_first is True
        if spec.before_filing == "required" and not ended_before:
            return None
        if ended_before and (spec.before_filing == "drop" or  # "keep": whatever the gap
                             (spec.before_filing == "window" and cmp.status == "historical")):
            return None
        vias = [v for v in values(rows, spec.column("via")) if self.book.fact(v) is not None]
        if party != plaintiff and not vias and spec.column("via") is not None:
            return None  # the link did not exist yet on the date asked (a spec without a
            # via column reaches the plaintiff through its required links instead)
        further = self._further(spec, rows)
        if further is None:
            return None  # a link the pattern needs did not exist yet on the date asked
        weak: list[tuple[str, str]] = []
        found, counter = self._counterparty(spec, counterparty, plaintiff, rows, suit, span,
                                            weak)
        if not found:
            return None
        if cmp.status == "unknown":
            # the status reason gives the note; the weakness is said once, short
            weak.append(("single-source", "the dates only may overlap"))
        evidence, links = self._evidence(spec, party, plaintiff, suit, counterparty, role_fact,
                                         role_interval, records, vias, counter, further)
        confidence, weakest = self._confidence(links, weak)
        named, said = self._named(spec, further)
        return RawChain(spec, self.foundation, party, plaintiff, suit_iri, counterparty,
                        None if role_fact is None else role_fact.iri, role_interval,
                        records, tuple(vias), None if counter is None else counter.iri, cmp,
                        confidence, weakest, tuple(evidence), named, said)

    def _further(self, spec: PatternSpec,
                 rows: list[Row]) -> list[list[Edge]] | None:
        """Each further link's facts; ``None`` when a required one has none."""
        further = [self._link(link, rows) for link in spec.links]
        if any(link.required and not found for link, found in zip(spec.links, further,
                                                                    strict=True)):
            return None
        return further

    def _named(self, spec: PatternSpec, further: list[list[Edge]],
               ) -> tuple[tuple[tuple[str, tuple[str, ...]], ...],
                          tuple[tuple[str, str, str], ...]]:
        """The further links' ends by column, and the clauses the summary repeats."""
        named: dict[str, set[str]] = {}
        said: list[tuple[str, str, str]] = []
        for link, edges in zip(spec.links, further, strict=True):
            for _, subject, obj, words in edges:
                named.setdefault(link.subject, set()).add(subject)
                named.setdefault(link.object, set()).add(obj)
                if link.say:
                    said.append((subject, words, obj))
        return (tuple(sorted((k, tuple(sorted(v))) for k, v in named.items())),
                tuple(dict.fromkeys(said)))

    def _link(self, link: LinkSpec, rows: list[Row]) -> list[Edge]:
        """The facts of one further link over the chain's rows: (fact, subject, object, words)."""
        out: dict[tuple[str, str, str, str], FactInfo] = {}
        for row in rows:
            fact, subject, obj = (row.get(c) for c in (link.fact, link.subject, link.object))
            if fact is None or subject is None or obj is None:
                continue
            info = self.book.fact(str(fact))
            if info is not None:
                term = None if link.term is None else row.get(link.term)
                words = self._relation(link, info, None if term is None else str(term))
                out.setdefault((str(fact), str(subject), str(obj), words), info)
        return [(info, s, o, w) for (_, s, o, w), info in sorted(out.items())]

    def _add_further(self, spec: PatternSpec, further: list[list[Edge]],
                     at: str, evidence: list[Evidence], links: list[list[FactInfo]]) -> None:
        """The edges of the further links placed ``at`` a point of the chain."""
        for link, edges in zip(spec.links, further, strict=False):
            if link.at != at or not edges:
                continue
            evidence.extend(self.edge(info, subject, words, obj)
                            for info, subject, obj, words in edges)
            links.append([info for info, _, _, _ in edges])

    def _relation(self, link: LinkSpec, info: FactInfo, term: str | None) -> str:
        """The spec's words (with a ``{}`` for the short phrase of the row's ``term``, e.g. a
        participation role: "is the {} of" → "is the spec lead of"), else the vocabulary's
        phrase for the fact's kind."""
        if link.relation is None:
            return self.link_words(info)
        if term is not None and "{}" in link.relation:
            return link.relation.replace("{}", self.vocabulary.phrase(term, short=True))
        return link.relation

    def _counterparty(self, spec: PatternSpec, counterparty: str, plaintiff: str,
                      rows: list[Row], suit: FactInfo, span: Interval,
                      weak: list[tuple[str, str]]) -> tuple[bool, FactInfo | None]:
        """(whether the counterparty counts, its own fact: membership or accusation)."""
        facts = values(rows, spec.column("counterparty_role"))
        if spec.counterparty in ("code", "body"):
            known = [self.book.fact(f) for f in facts]
            return True, next((f for f in known if f is not None), None)
        picked = _best(self.book, facts, span, self.window)
        if picked is None or picked[1].status in ("recent", "historical"):
            if picked is not None and picked[1].a_first is False:
                self.later.setdefault((suit.iri, plaintiff), set()).add(counterparty)
            return False, None  # not a member during the suit
        if picked[1].status == "unknown":
            weak.append(("single-source", f"{self.book.label(counterparty)}'s membership during "
                                          "the suit is not established"))
        return True, picked[0]

    def _evidence(self, spec: PatternSpec, party: str, plaintiff: str, suit: FactInfo,
                  counterparty: str, role_fact: FactInfo | None, role_interval: Interval,
                  records: tuple[Contribution, ...], vias: list[str],
                  counter: FactInfo | None,
                  further: list[list[Edge]] | None = None,
                  ) -> tuple[list[Evidence], list[list[FactInfo]]]:
        evidence: list[Evidence] = []
        links: list[list[FactInfo]] = []

        def add_further(at: str) -> None:
            self._add_further(spec, further or [], at, evidence, links)

        if role_fact is not None:
            if spec.role == "seat":
                words = self.vocabulary.phrase(self.kind_iri(role_fact))
                evidence.append(self.edge(role_fact, party, words, self.foundation))
            else:
                evidence.append(self.membership_edge(role_fact, party))
            links.append([role_fact])
        if records:
            witness = self.book.raw(records[0].fact)
            target = records[0].component if spec.role == "contribution" else witness.component
            commits = sum(r.commits for r in records)
            where = (self.book.label(counterparty) if spec.role == "contribution"
                     else "the project")
            evidence.append(self.edge(witness, party, "contributed to", target or counterparty,
                                      note=f"{commits:,} commits in total to {where}",
                                      interval=role_interval))
            if role_fact is None:
                links.append([witness])
        if vias:
            infos = [self.book.fact(v) for v in vias]
            group_ = [i for i in infos if i is not None]
            evidence += [self.edge(i, party, self.link_words(i), plaintiff) for i in group_]
            links.append(group_)
        add_further("role")
        evidence.append(self.edge(suit, plaintiff, self.suit_words(spec, suit, "plaintiff"),
                                  suit.iri))
        links.append([suit])
        if spec.counterparty == "co-member" and counter is not None:
            evidence.append(self.edge(suit, suit.iri, self.suit_words(spec, suit, "defendant"),
                                      counterparty))
            add_further("suit")
            evidence.append(self.membership_edge(counter, counterparty))
            links.append([counter])
        else:
            add_further("suit")
            if counter is not None:
                evidence.append(self.edge(counter, suit.iri, "accuses", counterparty))
                links.append([counter])
        add_further("counterparty")
        return evidence, links

    def _confidence(self, links: list[list[FactInfo]],
                    weak: list[tuple[str, str]]) -> tuple[str, str]:
        """The weakest link of the chain; a link backed by several facts (a transfer and a
        'backing') counts at its best fact; an uncertain date caps the chain."""
        level, why = "confirmed", "every link is confirmed"
        for group_ in links:
            best = min(group_, key=lambda i: (CONFIDENCES.index(i.confidence), i.iri))
            if CONFIDENCES.index(best.confidence) > CONFIDENCES.index(level):
                level, why = best.confidence, f"{best.confidence}: {best.label}"
        for cap, reason in weak:
            if CONFIDENCES.index(cap) >= CONFIDENCES.index(level):
                level, why = _weaker(level, cap), reason
        return level, why


__all__ = ["CONFIDENCES", "STATUS_ORDER", "ChainBuilder", "RawChain"]
