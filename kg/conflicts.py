"""The conflict finder: run ``queries/conflicts/*.rq``, compare dates, build evidence chains.

Each pattern query returns the node IRIs of a chain's links (memberships, transfers, ties,
suits, accusations, contributions). For every node the finder fetches its provenance with
``queries/fact-provenance.rq`` (bound parameter, never pasted), then:

- **temporal status** (:mod:`kg.temporal`): the member side's interval (membership, seat, or
  contribution years) against the suit's [filed, closed] interval: ``active`` when they
  overlap, ``recent`` when the gap is at most ``Settings.recent_window_days``, ``historical``
  beyond that, ``unknown`` when a date is missing or partial dates only *may* overlap. For
  patterns whose defendant must be a member (direct, proxy, former, governance) the
  defendant's membership must overlap the suit too; when it does not, the summary says so.
- **confidence**: the weakest link of the chain; a link backed by several facts (e.g. a
  confirmed transfer and a single-source "backing") counts at its best fact.
- **severity** (the documented rule):

  * ``high``: ``active``, every link ``confirmed``, and the defendant's membership (where one
    is required) overlaps the suit;
  * ``low``: ``historical`` or ``unknown``, or any link ``uncertain``;
  * ``medium``: everything else (``recent``; ``active`` with a single-source link, or with
    the defendant's membership during the suit not established).

Findings are sorted by severity (high first), pattern, then parties.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from .config import Settings
from .errors import KGError
from .findings import Evidence, Finding
from .queries import get_query, select, to_iri
from .stores import Store
from .temporal import Comparison, Interval, compare, describe_partial, precision_name

PATTERNS = ("direct", "proxy", "commons", "contributor", "former", "governance", "licence")
SEVERITIES = ("high", "medium", "low")
CONFIDENCES = ("confirmed", "single-source", "uncertain")
STATUS_ORDER = ("active", "recent", "historical", "unknown")
_POINT_KINDS = ("PatentTransfer", "Ruling", "Rename", "Accusation")  # dated events, no interval
_CONFIDENCE_NAMES = {"Confirmed": "confirmed", "SingleSource": "single-source",
                     "Uncertain": "uncertain"}
_END_STATUS = {"Ongoing": "ongoing", "EndUnknown": "unknown"}
_TYPE_PREFERENCE = ("Acquisition", "Membership", "GovernanceSeat", "PatentTransfer", "Lawsuit",
                    "InterPartesReview", "Accusation", "Contribution")
_RELATIONS = {
    "PatentTransfer": "transferred patents to", "Funding": "funds", "Ownership": "owns",
    "Acquisition": "acquired", "AgencyTie": "is agent for", "Investment": "invested in",
    "Backing": "backs", "Agreement": "has an agreement with",
}
_TRANSFER_WORDS = {
    "AssignmentWithRetainedRights": "transferred patents with retained rights to",
    "Assignment": "assigned patents to", "Sale": "sold patents to",
    "ExclusiveLicence": "exclusively licensed patents to",
    "NonExclusiveLicence": "licensed patents (non-exclusively) to",
}
_OUTCOME_WORDS = {"DismissedForLackOfStanding": "dismissed", "Dismissed": "dismissed",
                  "Settled": "settled", "ClaimsInvalid": "closed", "ClaimsUnpatentable": "closed",
                  "FeesAwarded": "closed"}


def _local(term: object) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass(frozen=True)
class FactInfo:
    """What the provenance query says about one node."""

    iri: str
    kind: str
    label: str
    interval: Interval
    confidence: str
    sources: tuple[str, ...]
    note: str | None = None
    outcome: str | None = None
    transfer_kind: str | None = None
    tier: str | None = None
    component: str | None = None


@dataclass
class _Context:
    store: Store
    settings: Settings
    foundation: str | None
    as_of: date | None
    foundation_iri: str
    cache: dict[str, FactInfo] = field(default_factory=dict)
    # pattern query → foundation IRI → rows, when one query answered for many foundations
    scanned: dict[str, dict[str, list[dict[str, Node | None]]]] = field(default_factory=dict)

    def params(self, **extra: Any) -> dict[str, Any]:
        found = {"foundation": self.foundation} if self.foundation else {}
        return {**found, **extra}

    def rows(self, name: str, **extra: Any) -> list[dict[str, Node | None]]:
        if name in self.scanned:
            return self.scanned[name].get(self.foundation_iri, [])
        rows = select(self.store, get_query(self.settings, name), self.params(**extra)).rows
        self.prefetch(v for row in rows for v in row.values() if isinstance(v, URIRef))
        return rows

    def prefetch(self, iris: Iterable[object]) -> None:
        """Fetch the provenance of every node a pattern's rows name, in a few queries."""
        missing = {str(i) for i in iris} - set(self.cache)
        if missing:
            self.cache.update(fetch_facts(self.store, self.settings, missing))

    def fact(self, iri: str) -> FactInfo:
        if iri not in self.cache:
            self.cache[iri] = fetch_fact(self.store, self.settings, iri)
        return self.cache[iri]

    def label(self, iri: str) -> str:
        return self.fact(iri).label


def _as_date(term: Node | None) -> date | None:
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(term)[:10])
        except ValueError:
            return None
    return None


PROVENANCE_BATCH = 400  # facts per provenance query (VALUES rows)


def fetch_facts(store: Store, settings: Settings, iris: Iterable[str]) -> dict[str, FactInfo]:
    """Provenance of many nodes (``queries/fact-provenance.rq``), a few queries in all."""
    wanted = sorted(set(iris))
    query = get_query(settings, "fact-provenance")
    grouped: dict[str, list[dict[str, Node | None]]] = {iri: [] for iri in wanted}
    for start in range(0, len(wanted), PROVENANCE_BATCH):
        chunk = [URIRef(i) for i in wanted[start:start + PROVENANCE_BATCH]]
        for row in select(store, query, {"fact": chunk}).rows:
            grouped[str(row["fact"])].append(row)
    return {iri: _fact_info(iri, rows) for iri, rows in grouped.items()}


def fetch_fact(store: Store, settings: Settings, iri: str) -> FactInfo:
    """Provenance of one node."""
    return fetch_facts(store, settings, [iri])[iri]


def _fact_info(iri: str, rows: list[dict[str, Node | None]]) -> FactInfo:
    if not rows:
        return FactInfo(iri, "", _local(iri), Interval(None), "uncertain", (),
                        "no facts about this node in the graph")
    kinds = sorted({_local(r["fact_type"]) for r in rows if r.get("fact_type") is not None})
    kind = next((k for k in _TYPE_PREFERENCE if k in kinds), kinds[0] if kinds else "")
    first = {key: _column_value(rows, key) for key in rows[0]}
    end_status = first.get("end_status")
    status = _END_STATUS.get(_local(end_status)) if end_status is not None else None
    outcome = _local(first["outcome"]) if first.get("outcome") is not None else None
    if first.get("end") is None and status is None and outcome == "Pending":
        status = "ongoing"
    interval = Interval(
        _as_date(first.get("start")), _as_date(first.get("end")),
        precision_name(first.get("start_precision")), precision_name(first.get("end_precision")),
        status, _as_date(first.get("last_confirmed")),
    )
    confidence = first.get("confidence")
    urls = sorted({str(r["source_url"]) for r in rows if r.get("source_url") is not None})
    note = first.get("note")
    return FactInfo(
        iri=iri, kind=kind, label=str(first["label"]) if first.get("label") else _local(iri),
        interval=interval,
        confidence=_CONFIDENCE_NAMES.get(_local(confidence), "uncertain") if confidence else
        "uncertain",
        sources=tuple(urls), note=None if note is None else str(note), outcome=outcome,
        transfer_kind=_local(first["transfer_kind"]) if first.get("transfer_kind") else None,
        tier=str(first["tier_name"]) if first.get("tier_name") else None,
        component=str(first["component"]) if first.get("component") else None,
    )


def _column_value(rows: list[dict[str, Node | None]], key: str) -> Node | None:
    """One value of a column over all rows, chosen the same way on every engine: plain or
    English literals first, then by text (engines return rows in different orders)."""
    values = {r[key] for r in rows if r.get(key) is not None}
    if not values:
        return None
    def rank(value: Node) -> tuple[bool, str, str]:
        language = getattr(value, "language", None)
        return (language not in (None, "en"), language or "", str(value))
    return min(values, key=rank)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- evidence


def _evidence(ctx: _Context, fact: str, subject: str, relation: str, obj: str,
              *, note: str | None = None, interval: Interval | None = None) -> Evidence:
    info = ctx.fact(fact)
    iv = interval or info.interval
    notes = [n for n in (info.note, note) if n]
    return Evidence(
        fact=fact, kind=info.kind, subject=subject, subject_label=ctx.label(subject),
        relation=relation, object=obj, object_label=ctx.label(obj), start=iv.start, end=iv.end,
        start_precision=iv.start_precision, end_precision=iv.end_precision,
        end_status=(iv.status_of_end if info.kind not in _POINT_KINDS
                    and (iv.start is not None or iv.end is not None) else None),
        confidence=info.confidence, sources=info.sources, note="; ".join(notes) or None,
    )


def _membership_evidence(ctx: _Context, membership: str, member: str) -> Evidence:
    tier = _tier_label(ctx, membership)
    foundation = ctx.foundation_iri
    return _evidence(ctx, membership, member, f"member of ({tier})", foundation)


def _tier_label(ctx: _Context, membership: str) -> str:
    return ctx.fact(membership).tier or "member"


def _weakest(confidences: Iterable[str]) -> str:
    values = list(confidences)
    return max(values, key=CONFIDENCES.index) if values else "uncertain"


def _best(confidences: Iterable[str]) -> str:
    values = list(confidences)
    return min(values, key=CONFIDENCES.index) if values else "uncertain"


def severity_of(status: str, confidence: str, defendant_ok: bool = True) -> str:
    """The documented severity rule (see the module docstring)."""
    if status in ("historical", "unknown") or confidence == "uncertain":
        return "low"
    if status == "active" and confidence == "confirmed" and defendant_ok:
        return "high"
    return "medium"


# --------------------------------------------------------------------------- intervals


def _clip(ctx: _Context, interval: Interval) -> Interval | None:
    return interval if ctx.as_of is None else interval.clip(ctx.as_of)


def _pick(ctx: _Context, facts: Iterable[str], suit: Interval) -> tuple[str, Comparison] | None:
    """The fact whose interval stands best against the suit (active first, smallest gap)."""
    best: tuple[tuple[int, int, str], str, Comparison] | None = None
    for fact in sorted(set(facts)):
        iv = _clip(ctx, ctx.fact(fact).interval)
        if iv is None:
            continue
        cmp = compare(iv, suit, ctx.settings.recent_window_days)
        key = (STATUS_ORDER.index(cmp.status), cmp.gap_days or 0, fact)
        if best is None or key < best[0]:
            best = (key, fact, cmp)
    return None if best is None else (best[1], best[2])


def _years_interval(first: Node | None, last: Node | None) -> Interval | None:
    """Contribution years as an interval: a count for a calendar year covers that whole
    year, so the span is day-precise from 1 January of the first to 31 December of the last."""
    if first is None:
        return None
    start = date(int(str(first)), 1, 1)
    end = date(int(str(last if last is not None else first)), 12, 31)
    return Interval(start, end, "day", "day", "ended")


def _row_years(group: list[dict[str, Node | None]]) -> Interval | None:
    firsts = [int(str(r["first_year"])) for r in group if r.get("first_year") is not None]
    lasts = [int(str(r["last_year"])) for r in group if r.get("last_year") is not None]
    if not firsts:
        return None
    return _years_interval(Literal(min(firsts)), Literal(max(lasts or firsts)))


# --------------------------------------------------------------------------- sentences


def _when(info: FactInfo) -> str:
    iv = info.interval
    return "at an unknown date" if iv.start is None else (
        f"in {describe_partial(iv.start, iv.start_precision)}" if iv.start_precision != "day"
        else f"on {iv.start.isoformat()}")


def _suit_clause(info: FactInfo) -> tuple[str, str]:
    iv = info.interval
    filed = "" if iv.start is None else f" in {iv.start.year}"
    if iv.end is not None:
        word = _OUTCOME_WORDS.get(info.outcome or "", "closed")
        return filed, f"the suit was {word} {describe_partial(iv.end, iv.end_precision)}"
    return filed, "the suit is pending" if iv.status_of_end == "ongoing" else \
        "the suit's end is not recorded"


_ROLE_WORDS = {
    # role: (while ..., after ...'s ... ended, before ... began)
    "member": ("was a member", "membership", "joined"),
    "seat": ("held its seat", "seat", "took its seat"),
    "contributor": ("was contributing", "counted contributions", "began contributing"),
}


def _days(n: int | None, m: int | None) -> str:
    if n == m:
        return f"{n} day" if n == 1 else f"{n} days"
    return f"{n}–{m} days"


def _time_clause(cmp: Comparison, who: str, role: str = "member") -> str:
    during, span_noun, began = _ROLE_WORDS[role]
    if cmp.status == "active":
        return f"while {who} {during}"
    if cmp.gap_days is not None:
        span = _days(cmp.gap_days, cmp.max_gap_days)
        if cmp.a_first:
            return f"{span} after {who}'s {span_noun} ended"
        return f"{span} before {who} {began}"
    return f"whether {who} {during} at the time is unknown ({cmp.note})"


def _member_phrase(ctx: _Context, member: str, membership: str | None) -> str:
    if membership is None:
        return ctx.label(member)
    iv = ctx.fact(membership).interval
    since = "" if iv.start is None else f" from {describe_partial(iv.start, iv.start_precision)}"
    return f"{ctx.label(member)} ({_tier_label(ctx, membership)} member{since})"


# --------------------------------------------------------------------------- assembly


@dataclass
class _Chain:
    """A pattern match before it becomes a finding."""

    pattern: str
    parties: tuple[str, ...]
    side_fact: str | None           # membership / seat / contribution of the member side
    side_interval: Interval | None
    suit: str
    links: list[tuple[str, ...]]    # groups of alternative facts, one group per edge
    evidence: list[Evidence]
    summary: Any                    # callable(cmp, defendant_ok) -> str
    defendant_ok: bool = True


def _finalize(ctx: _Context, chain: _Chain) -> Finding | None:
    suit_iv = _clip(ctx, ctx.fact(chain.suit).interval)
    side_iv = chain.side_interval
    if side_iv is not None and ctx.as_of is not None:
        side_iv = side_iv.clip(ctx.as_of)
    if suit_iv is None or (chain.side_interval is not None and side_iv is None):
        return None
    cmp = (compare(side_iv, suit_iv, ctx.settings.recent_window_days) if side_iv is not None
           else Comparison("unknown", None, None, "no interval on the member side"))
    link_conf = [_best(ctx.fact(f).confidence for f in group) for group in chain.links]
    confidence = _weakest(link_conf)
    period = _period(side_iv, suit_iv, cmp)
    return Finding(
        pattern=chain.pattern, foundation=ctx.foundation_iri,
        foundation_label=ctx.label(ctx.foundation_iri), parties=chain.parties,
        party_labels=tuple(ctx.label(p) for p in chain.parties),
        period_start=period[0], period_end=period[1], temporal_status=cmp.status,
        gap_days=cmp.gap_days, severity=severity_of(cmp.status, confidence, chain.defendant_ok),
        confidence=confidence, summary=chain.summary(cmp, chain.defendant_ok),
        evidence=tuple(chain.evidence),
    )


def _period(a: Interval | None, b: Interval, cmp: Comparison) -> tuple[date | None, date | None]:
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


def _defendant_check(ctx: _Context, memberships: Iterable[str], suit: str) -> tuple[str | None,
                                                                                     bool]:
    suit_iv = ctx.fact(suit).interval
    picked = _pick(ctx, memberships, suit_iv)
    if picked is None:
        return None, False
    return picked[0], picked[1].status == "active"


def _group(rows: list[dict[str, Node | None]], *keys: str) -> dict[tuple[str, ...],
                                                                   list[dict[str, Node | None]]]:
    groups: dict[tuple[str, ...], list[dict[str, Node | None]]] = {}
    for row in rows:
        key = tuple("" if row.get(k) is None else str(row[k]) for k in keys)
        groups.setdefault(key, []).append(row)
    return groups


def _col(rows: list[dict[str, Node | None]], name: str) -> list[str]:
    return sorted({str(r[name]) for r in rows if r.get(name) is not None})


def _suit_edges(ctx: _Context, suit: str, plaintiff: str, defendant: str | None) -> list[Evidence]:
    edges = [_evidence(ctx, suit, plaintiff, "sued (plaintiff in)", suit)]
    if defendant is not None:
        edges.append(_evidence(ctx, suit, suit, "was brought against (defendant)", defendant))
    return edges


def _via_evidence(ctx: _Context, vias: list[str], member: str, proxy: str) -> list[Evidence]:
    out = []
    for via in vias:
        info = ctx.fact(via)
        relation = (_TRANSFER_WORDS.get(info.transfer_kind or "", _RELATIONS["PatentTransfer"])
                    if info.kind == "PatentTransfer" else _RELATIONS.get(info.kind, "is tied to"))
        out.append(_evidence(ctx, via, member, relation, proxy))
    return out


def _via_words(ctx: _Context, vias: list[str]) -> str:
    kinds = ("PatentTransfer", *_RELATIONS)

    def rank(via: str) -> tuple[int, int, str]:
        info = ctx.fact(via)
        kind = kinds.index(info.kind) if info.kind in kinds else len(kinds)
        return CONFIDENCES.index(info.confidence), kind, via

    best = min(vias, key=rank)
    info = ctx.fact(best)
    if info.kind == "PatentTransfer":
        return _TRANSFER_WORDS.get(info.transfer_kind or "", "transferred patents to")
    return _RELATIONS.get(info.kind, "is tied to")


def _defendant_phrase(ctx: _Context, defendant: str, membership: str | None, ok: bool,
                      filed: str) -> str:
    tier = _tier_label(ctx, membership) if membership else "member"
    name = ctx.label(defendant)
    text = f"{name} ({tier} member){filed}"
    return text if ok else f"{text}, though {name}'s membership during the suit is not established"


# --------------------------------------------------------------------------- patterns


def _suing_chains(ctx: _Context, pattern: str) -> list[_Chain]:
    """direct, proxy and former: member → [via →] plaintiff → suit → member defendant."""
    name = f"conflicts/{pattern}"
    rows = ctx.rows(name)
    keys = ("member", "proxy", "suit", "defendant") if pattern == "proxy" else (
        "member", "suit", "defendant")
    chains = []
    for key, group in sorted(_group(rows, *keys).items()):
        member, suit, defendant = key[0], key[-2], key[-1]
        proxy = key[1] if pattern == "proxy" else None
        suit_iv = ctx.fact(suit).interval
        picked = _pick(ctx, _col(group, "membership"), suit_iv)
        if picked is None:
            continue
        membership = picked[0]
        d_membership, d_ok = _defendant_check(ctx, _col(group, "defendant_membership"), suit)
        vias = _col(group, "via")
        evidence = [_membership_evidence(ctx, membership, member)]
        evidence += _via_evidence(ctx, vias, member, proxy) if proxy else []
        evidence += _suit_edges(ctx, suit, proxy or member, defendant)
        if d_membership:
            evidence.append(_membership_evidence(ctx, d_membership, defendant))
        links = [(membership,), *([tuple(vias)] if vias else []), (suit,),
                 *([(d_membership,)] if d_membership else [])]
        parties = (member, proxy, defendant) if proxy else (member, defendant)
        chains.append(_Chain(pattern, parties, membership, ctx.fact(membership).interval, suit,
                             links, evidence,
                             _suing_summary(ctx, pattern, member, membership, vias, proxy, suit,
                                            defendant, d_membership),
                             d_ok))
    return chains


def _suing_summary(ctx: _Context, pattern: str, member: str, membership: str, vias: list[str],
                   proxy: str | None, suit: str, defendant: str, d_membership: str | None) -> Any:
    def summary(cmp: Comparison, d_ok: bool) -> str:
        info = ctx.fact(suit)
        filed, closed = _suit_clause(info)
        who = ctx.label(member)
        target = _defendant_phrase(ctx, defendant, d_membership, d_ok, filed)
        head = _member_phrase(ctx, member, membership)
        if pattern == "proxy" and proxy:
            text = f"{head} {_via_words(ctx, vias)} {ctx.label(proxy)}, which sued {target}"
        elif pattern == "former":
            text = f"{head}, a former member, sued {target}"
        else:
            fellow = "fellow member " if cmp.status == "active" else ""
            text = f"{head} sued {fellow}{target}"
        return f"{text}; {closed}, {_time_clause(cmp, who)}."
    return summary


def _commons_chains(ctx: _Context, pattern: str) -> list[_Chain]:
    """commons and licence: a suit accuses the project's code; the party is a member or
    contributor."""
    rows = ctx.rows(f"conflicts/{pattern}")
    party_col = "side" if pattern == "commons" else "party"
    chains = []
    for (party, suit), group in sorted(_group(rows, party_col, "suit").items()):
        plaintiff = _col(group, "plaintiff")[0]
        vias = _col(group, "via")
        memberships = _col(group, "membership")
        contributions = _col(group, "contribution")
        suit_iv = ctx.fact(suit).interval
        picked = _pick(ctx, memberships, suit_iv) if memberships else None
        evidence: list[Evidence] = []
        links: list[tuple[str, ...]] = []
        side_fact: str | None = None
        side_iv: Interval | None = None
        if picked:
            side_fact = picked[0]
            side_iv = ctx.fact(side_fact).interval
            evidence.append(_membership_evidence(ctx, side_fact, party))
            links.append((side_fact,))
        if contributions:
            total = next((str(r["commits"]) for r in group if r.get("commits") is not None), "?")
            contribution = contributions[0]
            target = ctx.fact(contribution).component or contribution
            evidence.append(_evidence(ctx, contribution, party, "contributed to", target,
                                      note=f"{total} commits in total to the project",
                                      interval=_row_years(group)))
            if not picked:
                side_fact, side_iv = contribution, _row_years(group)
                links.append((contribution,))
        if vias:
            evidence += _via_evidence(ctx, vias, party, plaintiff)
            links.append(tuple(vias))
        evidence += _suit_edges(ctx, suit, plaintiff, None)
        links.append((suit,))
        accusations = _col(group, "accusation")
        for accusation in accusations:
            component = next(str(r["component"]) for r in group
                             if str(r["accusation"]) == accusation)
            evidence.append(_evidence(ctx, accusation, suit, "accuses", component))
        links.append(tuple(accusations))
        parties = (party,) if party == plaintiff else (party, plaintiff)
        components = sorted({ctx.label(str(r["component"])) for r in group})
        chains.append(_Chain(pattern, parties, side_fact, side_iv, suit, links, evidence,
                             _commons_summary(ctx, pattern, party, side_fact if picked else None,
                                              bool(contributions), vias, plaintiff, suit,
                                              components)))
    return chains


def _commons_summary(ctx: _Context, pattern: str, party: str, membership: str | None,
                     contributes: bool, vias: list[str], plaintiff: str, suit: str,
                     components: list[str]) -> Any:
    def summary(cmp: Comparison, _d_ok: bool) -> str:
        info = ctx.fact(suit)
        filed, closed = _suit_clause(info)
        roles = " and ".join(r for r, on in (("member", membership), ("contributor", contributes))
                             if on)
        who = _member_phrase(ctx, party, membership) if membership else ctx.label(party)
        code = ", ".join(components)
        if party == plaintiff:
            text = f"{who}, a {roles}, sued over the foundation's own code ({code}){filed}"
        else:
            text = (f"{who}, a {roles}, {_via_words(ctx, vias)} {ctx.label(plaintiff)}, "
                    f"which sued over the foundation's own code ({code}){filed}")
        if pattern == "licence":
            text += "; under the licence's patent-retaliation clause the plaintiff's patent " \
                    "licence to the code would terminate"
        role = "member" if membership else "contributor"
        return f"{text}; {closed}, {_time_clause(cmp, ctx.label(party), role)}."
    return summary


def _contributor_chains(ctx: _Context) -> list[_Chain]:
    rows = ctx.rows("conflicts/contributor")
    chains = []
    for (branch, party, suit), group in sorted(_group(rows, "branch", "party", "suit").items()):
        plaintiff = _col(group, "plaintiff")[0]
        vias = _col(group, "via")
        evidence: list[Evidence] = []
        links: list[tuple[str, ...]] = []
        components = []
        for row in sorted(group, key=lambda r: (str(r["component"]), str(r["accusation"]))):
            component = str(row["component"])
            rank = f", rank {row['rank']} among organizations" if row.get("rank") else ""
            contribution = str(row["contribution"])
            if contribution not in {e.fact for e in evidence}:
                evidence.append(_evidence(ctx, contribution, party, "contributed to", component,
                                          note=f"{row['commits']} commits in total to "
                                               f"{ctx.label(component)}{rank}",
                                          interval=_row_years([row])))
                links.append((contribution,))
                components.append(ctx.label(component))
        if vias:
            evidence += _via_evidence(ctx, vias, party, plaintiff)
            links.append(tuple(vias))
        defendant = party if branch == "defendant" else None
        evidence += _suit_edges(ctx, suit, plaintiff, defendant)
        links.append((suit,))
        for accusation in _col(group, "accusation"):
            component = next(str(r["component"]) for r in group
                             if str(r["accusation"]) == accusation)
            evidence.append(_evidence(ctx, accusation, suit, "accuses", component))
            links.append((accusation,))
        parties = (party,) if party == plaintiff else (party, plaintiff)
        chains.append(_Chain("contributor", parties, None, _row_years(group), suit, links, evidence,
                             _contributor_summary(ctx, branch, party, vias, plaintiff, suit,
                                                  sorted(set(components)))))
    return chains


def _contributor_summary(ctx: _Context, branch: str, party: str, vias: list[str],
                         plaintiff: str, suit: str, components: list[str]) -> Any:
    def summary(cmp: Comparison, _d_ok: bool) -> str:
        filed, closed = _suit_clause(ctx.fact(suit))
        code = ", ".join(components)
        it = "them" if len(components) > 1 else "it"
        who = ctx.label(party)
        if branch == "defendant":
            text = (f"{who}, a top contributor to {code}, was sued over {it} by "
                    f"{ctx.label(plaintiff)}{filed}")
        elif party == plaintiff:
            text = f"{who} contributed to {code} and sued over {it}{filed}"
        else:
            text = (f"{who} contributed to {code} and {_via_words(ctx, vias)} "
                    f"{ctx.label(plaintiff)}, which sued over {it}{filed}")
        return f"{text}; {closed}, {_time_clause(cmp, who, 'contributor')}."
    return summary


def _governance_chains(ctx: _Context) -> list[_Chain]:
    rows = ctx.rows("conflicts/governance")
    chains = []
    for (holder, suit, defendant), group in sorted(
            _group(rows, "holder", "suit", "defendant").items()):
        plaintiff = _col(group, "plaintiff")[0]
        suit_iv = ctx.fact(suit).interval
        picked = _pick(ctx, _col(group, "seat"), suit_iv)
        if picked is None:
            continue
        seat = picked[0]
        d_membership, d_ok = _defendant_check(ctx, _col(group, "defendant_membership"), suit)
        vias = _col(group, "via")
        evidence = [_evidence(ctx, seat, holder, "holds a governance seat on",
                              ctx.foundation_iri)]
        evidence += _via_evidence(ctx, vias, holder, plaintiff) if vias else []
        evidence += _suit_edges(ctx, suit, plaintiff, defendant)
        if d_membership:
            evidence.append(_membership_evidence(ctx, d_membership, defendant))
        links = [(seat,), *([tuple(vias)] if vias else []), (suit,),
                 *([(d_membership,)] if d_membership else [])]
        parties = (holder, defendant) if holder == plaintiff else (holder, plaintiff, defendant)

        def summary(cmp: Comparison, ok: bool, holder: str = holder, plaintiff: str = plaintiff,
                    vias: list[str] = vias, suit: str = suit, defendant: str = defendant,
                    d_membership: str | None = d_membership) -> str:
            filed, closed = _suit_clause(ctx.fact(suit))
            target = _defendant_phrase(ctx, defendant, d_membership, ok, filed)
            who = ctx.label(holder)
            if holder == plaintiff:
                text = f"{who}, holder of a governance seat, sued {target}"
            else:
                text = (f"{who}, holder of a governance seat, {_via_words(ctx, vias)} "
                        f"{ctx.label(plaintiff)}, which sued {target}")
            return f"{text}; {closed}, {_time_clause(cmp, who, 'seat')}."

        chains.append(_Chain("governance", parties, seat, ctx.fact(seat).interval, suit, links,
                             evidence, summary, d_ok))
    return chains


# --------------------------------------------------------------------------- public API


def find_conflicts(store: Store, settings: Settings, *, foundation: str | None = None,
                   as_of: date | None = None,
                   patterns: Iterable[str] | None = None) -> list[Finding]:
    """Every conflict finding of the chosen patterns (all by default), sorted; for one
    foundation, or for every foundation in the graph when none is named."""
    chosen = tuple(PATTERNS if patterns is None else patterns)
    unknown = sorted(set(chosen) - set(PATTERNS))
    if unknown:
        raise KGError(f"unknown conflict pattern(s) {', '.join(unknown)} "
                      f"(known: {', '.join(PATTERNS)})")
    if foundation is None:
        bodies = [str(row["foundation"])
                  for row in select(store, get_query(settings, "foundations")).rows]
        return _scan_all(store, settings, bodies, as_of, chosen)
    return _find(_Context(store, settings, foundation, as_of, str(to_iri(foundation))), chosen)


def _scan_all(store: Store, settings: Settings, bodies: list[str], as_of: date | None,
              chosen: tuple[str, ...]) -> list[Finding]:
    """Every foundation at once: each pattern query runs once with all the foundations bound
    (a multi-valued parameter) and its rows are split by their ``foundation`` column; the
    facts' provenance is shared. Per foundation, a 1M-triple graph with four foundations
    paid each query's fixed cost (summing every contribution, for instance) four times."""
    if not bodies:
        return []
    cache: dict[str, FactInfo] = {}
    scanned: dict[str, dict[str, list[dict[str, Node | None]]]] = {}
    for name in (f"conflicts/{pattern}" for pattern in chosen):
        rows = select(store, get_query(settings, name),
                      {"foundation": [URIRef(b) for b in bodies]}).rows
        by_body: dict[str, list[dict[str, Node | None]]] = {}
        for row in rows:
            by_body.setdefault(str(row["foundation"]), []).append(row)
        scanned[name] = by_body
    named = {str(v) for by_body in scanned.values() for rows in by_body.values()
             for row in rows for v in row.values() if isinstance(v, URIRef)}
    cache.update(fetch_facts(store, settings, named | set(bodies)))
    return sort_findings(
        finding
        for body in bodies
        for finding in _find(_Context(store, settings, body, as_of, body, cache, scanned),
                             chosen)
    )


def _find(ctx: _Context, chosen: tuple[str, ...]) -> list[Finding]:
    chains: list[_Chain] = []
    for pattern in chosen:
        if pattern in ("direct", "proxy", "former"):
            chains += _suing_chains(ctx, pattern)
        elif pattern in ("commons", "licence"):
            chains += _commons_chains(ctx, pattern)
        elif pattern == "contributor":
            chains += _contributor_chains(ctx)
        else:
            chains += _governance_chains(ctx)
    findings = [f for f in (_finalize(ctx, c) for c in chains) if f is not None]
    return sort_findings(findings)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Severity (high first), pattern, parties, then the evidence facts."""
    return sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), f.pattern,
                                           f.party_labels, f.parties, f.key))


def findings_by_pattern(findings: Iterable[Finding]) -> Mapping[str, list[Finding]]:
    """Group findings by pattern, keeping their order."""
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.pattern, []).append(finding)
    return grouped


__all__ = ["PATTERNS", "FactInfo", "fetch_fact", "find_conflicts", "findings_by_pattern",
           "severity_of", "sort_findings"]
