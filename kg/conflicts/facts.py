"""The facts a chain cites: their kind, dates, confidence and sources, as of a date.

:func:`fetch_facts` asks ``queries/fact-provenance.rq`` for many nodes at once (bound, never
pasted). :meth:`FactBook.fact` answers *as of* the date asked: a fact that began after it does
not exist, an end or an outcome after it is not yet known (a suit not closed by then is
pending), and a confirmation after it is moved back to it. Every word a fact needs (its kind,
its confidence, its precision) comes from :mod:`kg.vocabulary`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from rdflib import Literal, URIRef
from rdflib.term import Node

from ..config import Settings
from ..queries import get_query, select
from ..stores import Store
from ..temporal import Interval
from ..vocabulary import Vocabulary, load_vocabulary, local_name

PROVENANCE_BATCH = 400  # facts per provenance query (VALUES rows)
Rows = list[dict[str, Node | None]]


@dataclass(frozen=True)
class FactInfo:
    """What the provenance query says about one node."""

    iri: str
    kind: str                       # the most specific class' local name
    label: str
    interval: Interval
    confidence: str                 # a confidence key: "confirmed", "single-source", ...
    sources: tuple[str, ...]
    note: str | None = None
    outcome: str | None = None      # IRI of the outcome concept
    transfer_kind: str | None = None  # IRI of the transfer kind concept
    tier: str | None = None         # a membership's tier label
    tier_rank: int | None = None
    component: str | None = None
    types: tuple[str, ...] = ()


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


def _text(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _column_value(rows: Rows, key: str) -> Node | None:
    """One value of a column over all rows, chosen the same way on every engine: plain or
    English literals first, then by text (engines return rows in different orders)."""
    values = {r[key] for r in rows if r.get(key) is not None}
    if not values:
        return None

    def rank(value: Node) -> tuple[bool, str, str]:
        language = getattr(value, "language", None)
        return (language not in (None, "en"), language or "", str(value))
    return min(values, key=rank)  # type: ignore[arg-type]


def fact_info(vocabulary: Vocabulary, iri: str, rows: Rows) -> FactInfo:
    """A fact from its provenance rows (one per type and source)."""
    if not rows:
        return FactInfo(iri, "", local_name(iri), Interval(None), "uncertain", (),
                        "no facts about this node in the graph")
    types = tuple(sorted({str(r["fact_type"]) for r in rows if r.get("fact_type") is not None}))
    first = {key: _column_value(rows, key) for key in rows[0]}
    end_status = first.get("end_status")
    status = vocabulary.key(end_status) if end_status is not None else None
    outcome = str(first["outcome"]) if first.get("outcome") is not None else None
    if first.get("end") is None and status is None and outcome is not None \
            and vocabulary.key(outcome) == "pending":
        status = "ongoing"
    precision = {side: vocabulary.key(first[f"{side}_precision"])
                 if first.get(f"{side}_precision") is not None else "day"
                 for side in ("start", "end")}
    interval = Interval(_as_date(first.get("start")), _as_date(first.get("end")),
                        precision["start"], precision["end"], status,
                        _as_date(first.get("last_confirmed")),
                        start_latest=_as_date(first.get("start_latest")),
                        end_earliest=_as_date(first.get("end_earliest")),
                        start_edtf=_text(first.get("start_edtf")),
                        end_edtf=_text(first.get("end_edtf")))
    confidence = first.get("confidence")
    note, label = first.get("note"), first.get("label")
    return FactInfo(
        iri=iri, kind=vocabulary.most_specific(types) or "", types=types,
        label=str(label) if label is not None else local_name(iri), interval=interval,
        confidence=vocabulary.key(confidence) if confidence is not None else "uncertain",
        sources=tuple(sorted({str(r["source_url"]) for r in rows
                              if r.get("source_url") is not None})),
        note=None if note is None else str(note), outcome=outcome,
        transfer_kind=str(first["transfer_kind"]) if first.get("transfer_kind") else None,
        tier=str(first["tier_name"]) if first.get("tier_name") else None,
        tier_rank=int(str(first["tier_rank"])) if first.get("tier_rank") is not None else None,
        component=str(first["component"]) if first.get("component") else None,
    )


def fetch_facts(store: Store, settings: Settings, iris: Iterable[str], *,
                vocabulary: Vocabulary | None = None) -> dict[str, FactInfo]:
    """Provenance of many nodes (``queries/fact-provenance.rq``), a few queries in all."""
    vocabulary = vocabulary or load_vocabulary(store, settings)
    wanted = sorted(set(iris))
    query = get_query(settings, "fact-provenance")
    grouped: dict[str, Rows] = {iri: [] for iri in wanted}
    for start in range(0, len(wanted), PROVENANCE_BATCH):
        chunk = [URIRef(i) for i in wanted[start:start + PROVENANCE_BATCH]]
        for row in select(store, query, {"fact": chunk}).rows:
            grouped[str(row["fact"])].append(row)
    return {iri: fact_info(vocabulary, iri, rows) for iri, rows in grouped.items()}


def fetch_fact(store: Store, settings: Settings, iri: str) -> FactInfo:
    """Provenance of one node."""
    return fetch_facts(store, settings, [iri])[iri]


@dataclass(frozen=True)
class Contribution:
    """One contribution record: a party's commits to a component in a year."""

    fact: str
    party: str
    component: str
    project: str | None
    year: int | None
    commits: int


def fetch_contributions(store: Store, settings: Settings,
                        parties: Iterable[str]) -> dict[str, list[Contribution]]:
    """Every contribution record of ``parties`` (``conflicts/contribution-years.rq``)."""
    wanted = sorted(set(parties))
    out: dict[str, list[Contribution]] = {p: [] for p in wanted}
    query = get_query(settings, "conflicts/contribution-years")
    for start in range(0, len(wanted), PROVENANCE_BATCH):
        chunk = [URIRef(p) for p in wanted[start:start + PROVENANCE_BATCH]]
        for row in select(store, query, {"party": chunk}).rows:
            year, commits, project = row.get("year"), row.get("commits"), row.get("project")
            out[str(row["party"])].append(Contribution(
                str(row["contribution"]), str(row["party"]), str(row["component"]),
                None if project is None else str(project),
                None if year is None else int(str(year)),
                0 if commits is None else int(str(commits))))
    return out


_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def _mentions_later(text: str, day: date) -> bool:
    return any(int(year) > day.year for year in _YEAR.findall(text))


@dataclass
class FactBook:
    """The facts of one scan, answered as of ``as_of`` (``None``: as the graph stands)."""

    store: Store
    settings: Settings
    as_of: date | None = None
    hypothetical: str | None = None  # the imagined membership of a what-if question
    given_vocabulary: Vocabulary | None = None  # else read from the store
    cache: dict[str, FactInfo] = field(default_factory=dict)
    contributions: dict[str, list[Contribution]] = field(default_factory=dict)

    @property
    def vocabulary(self) -> Vocabulary:
        return self.given_vocabulary or load_vocabulary(self.store, self.settings)

    def prefetch(self, iris: Iterable[object]) -> None:
        missing = {str(i) for i in iris} - set(self.cache)
        if missing:
            self.cache.update(fetch_facts(self.store, self.settings, missing,
                                          vocabulary=self.vocabulary))

    def prefetch_contributions(self, parties: Iterable[str]) -> None:
        missing = set(parties) - set(self.contributions)
        if missing:
            self.contributions.update(fetch_contributions(self.store, self.settings, missing))

    def prefetch_witnesses(self) -> None:
        """The facts a chain over the fetched contributions cites, in a few batched queries:
        the first record (as of the date asked) of each party per component and per project
        (the witness of a contribution edge), and the components (named in its sentence)."""
        wanted: set[str] = set()
        for party in self.contributions:
            seen: set[tuple[str, str | None]] = set()
            for record in self.contributions_of(party):
                wanted.add(record.component)
                for key in (("component", record.component), ("project", record.project)):
                    if key not in seen:
                        seen.add(key)
                        wanted.add(record.fact)
        self.prefetch(wanted)

    def raw(self, iri: str) -> FactInfo:
        if iri not in self.cache:
            self.prefetch([iri])
        return self.cache[iri]

    def fact(self, iri: str) -> FactInfo | None:
        """The fact as known on ``as_of``; ``None`` when it had not happened or begun."""
        info = self.raw(iri)
        if self.as_of is None:
            return info
        if info.note is not None and _mentions_later(info.note, self.as_of):
            info = replace(info, note=None)  # a curator's note written with hindsight
        if not info.interval.has_start:
            return info  # undated facts are kept: nothing says they came later
        interval = info.interval.clip(self.as_of)
        if interval is None:
            return None
        if interval == info.interval:
            return info
        known_outcome = info.outcome if interval.end is not None else None
        return replace(info, interval=interval, outcome=known_outcome)

    def label(self, iri: str) -> str:
        return self.raw(iri).label

    def contributions_of(self, party: str, components: Iterable[str] | None = None,
                         project: str | None = None) -> list[Contribution]:
        """The party's records to ``components`` (or to any component of ``project``), of
        the years that had ended by ``as_of``."""
        chosen = None if components is None else set(components)
        out = []
        for record in self.contributions.get(party, []):
            if chosen is not None and record.component not in chosen:
                continue
            if project is not None and record.project != project:
                continue
            if self.as_of is not None and (record.year is None
                                           or date(record.year, 12, 31) > self.as_of):
                continue
            out.append(record)
        return out


def years_interval(records: list[Contribution]) -> Interval | None:
    """Contribution years as an interval: a count for a calendar year covers that whole year,
    so the span is day-precise from 1 January of the first to 31 December of the last."""
    years = [r.year for r in records if r.year is not None]
    if not years:
        return None
    return Interval(date(min(years), 1, 1), date(max(years), 12, 31), "day", "day", "ended")


__all__ = ["Contribution", "FactBook", "FactInfo", "fetch_contributions", "fetch_fact",
           "fetch_facts", "years_interval"]
