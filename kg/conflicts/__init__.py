"""The conflict finder: pattern queries and their specs become ranked, explained findings.

For every pattern (``queries/conflicts/<pattern>.rq`` with its spec ``<pattern>.yaml``) the
query runs once for all foundations asked (a multi-valued bound parameter); the facts its rows
name are fetched in a few provenance queries (:mod:`.facts`), answered as of the date asked;
one generic builder turns rows into chains (:mod:`.chains`); chains that show the same party
on both sides in the same foundation become one finding (:mod:`.assemble`), worded from the
vocabulary (:mod:`.wording`) and scored by the documented rules of
``queries/conflicts/severity.yaml`` (:mod:`.severity`). Findings are sorted by score.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from rdflib import URIRef
from rdflib.term import Node

from ..config import Settings
from ..errors import KGError
from ..findings import Finding
from ..queries import get_query, select, to_iri
from ..stores import Store
from ..vocabulary import Vocabulary
from .assemble import assemble, finding_id
from .chains import ChainBuilder, matches, values
from .facts import FactBook, FactInfo, fetch_fact, fetch_facts
from .severity import LEVELS, load_rules
from .specs import PatternSpec, load_specs

Row = dict[str, Node | None]
SEVERITIES = LEVELS
CONFIDENCES = ("confirmed", "single-source", "uncertain")


def patterns(settings: Settings) -> tuple[str, ...]:
    """The project's patterns, in spec order."""
    return tuple(load_specs(settings))


def _foundations(store: Store, settings: Settings) -> list[str]:
    return [str(r["foundation"]) for r in select(store, get_query(settings, "foundations")).rows]


def _nearest(wanted: str, known: Iterable[str]) -> str:
    names = sorted({k.rsplit("/", 1)[-1] for k in known})
    close = difflib.get_close_matches(wanted.rsplit("/", 1)[-1].removeprefix("kgd:"), names,
                                      n=3, cutoff=0.3) or names[:5]
    return ", ".join(close) if close else "none"


def check_foundation(store: Store, settings: Settings, foundation: str) -> str:
    """The foundation's IRI; an unknown one is an error naming the nearest known IDs."""
    iri = str(to_iri(foundation))
    bodies = _foundations(store, settings)
    if iri not in bodies:
        nearest = _nearest(foundation, bodies)
        raise KGError(f"unknown foundation {foundation!r} (nearest: {nearest})")
    return iri


def _scan(store: Store, settings: Settings, specs: Mapping[str, PatternSpec],
          bodies: list[str]) -> dict[str, dict[str, list[Row]]]:
    """pattern → foundation → rows, each pattern query run once for all ``bodies``."""
    scanned: dict[str, dict[str, list[Row]]] = {}
    bound = {"foundation": [URIRef(b) for b in bodies]}
    for name, spec in specs.items():
        by_body: dict[str, list[Row]] = {}
        for row in select(store, get_query(settings, spec.query), bound).rows:
            by_body.setdefault(str(row["foundation"]), []).append(row)
        scanned[name] = by_body
    return scanned


def _contributors(specs: Mapping[str, PatternSpec],
                  scanned: Mapping[str, Mapping[str, list[Row]]]) -> set[str]:
    """Parties whose contribution records a chain or a context line may need."""
    parties: set[str] = set()
    for name, spec in specs.items():
        if spec.role in ("contribution", "membership-or-contribution") or spec.context_where:
            for rows in scanned[name].values():
                parties.update(values(rows, spec.column("party")))
    return parties


def _context(builder: ChainBuilder, specs: Mapping[str, PatternSpec],
             scanned: Mapping[str, Mapping[str, list[Row]]]) -> dict[str, list[str]]:
    """suit → sentences about parties sued over code they build (exposure, not conflict)."""
    book = builder.book
    out: dict[str, list[str]] = {}
    for name, spec in specs.items():
        if spec.context_where is None:
            continue
        for row in scanned[name].get(builder.foundation, []):
            if not matches(row, spec.context_where) or book.fact(str(row["suit"])) is None:
                continue
            party, component = str(row[spec.columns["party"]]), str(row["component"])
            records = book.contributions_of(party, components=[component])
            if not records:
                continue
            commits = sum(r.commits for r in records)
            rank = f", rank {row['rank']} among organizations" if row.get("rank") and \
                book.as_of is None else ""
            out.setdefault(str(row["suit"]), []).append(
                f"{book.label(party)}, a top contributor to {book.label(component)} "
                f"({commits:,} commits{rank}), was sued over it by "
                f"{book.label(str(row['plaintiff']))}: exposure, not a conflict of its own.")
    return out


def find_conflicts(store: Store, settings: Settings, *, foundation: str | None = None,
                   as_of: date | None = None, patterns: Iterable[str] | None = None,
                   window: int | None = None, hypothetical: str | None = None,
                   vocabulary: Vocabulary | None = None) -> list[Finding]:
    """Every finding (one per conflict), sorted by score; for one foundation, or for every
    foundation in the graph. ``patterns`` keeps the findings one of whose chains comes from
    those patterns; ``window`` overrides ``Settings.recent_window_days``; ``as_of`` answers
    with the graph as it stood that day; ``hypothetical`` (the IRI of an imagined membership)
    keeps only the chains that use it."""
    specs = load_specs(settings)
    chosen = tuple(specs) if patterns is None else tuple(patterns)
    unknown = sorted(set(chosen) - set(specs))
    if unknown:
        raise KGError(f"unknown conflict pattern(s) {', '.join(unknown)} "
                      f"(known: {', '.join(specs)})")
    if window is not None:
        if window < 0:
            raise KGError(f"the recent window must be 0 days or more (got {window})")
        settings = replace(settings, recent_window_days=window)
    bodies = ([check_foundation(store, settings, foundation)] if foundation is not None
              else _foundations(store, settings))
    if not bodies:
        return []
    scanned = _scan(store, settings, specs, bodies)
    book = FactBook(store, settings, as_of, hypothetical, vocabulary)
    book.prefetch({str(v) for by in scanned.values() for rows in by.values() for row in rows
                   for v in row.values() if isinstance(v, URIRef)} | set(bodies))
    book.prefetch_contributions(_contributors(specs, scanned))
    book.prefetch_witnesses()
    rules = load_rules(settings)
    findings: list[Finding] = []
    for body in bodies:
        builder = ChainBuilder(book, body, settings.recent_window_days)
        chains = [c for name, spec in specs.items()
                  for c in builder.build(spec, scanned[name].get(body, []))]
        if hypothetical is not None:  # a what-if: only the chains its membership makes
            chains = [c for c in chains if hypothetical in (c.role_fact, c.counterparty_fact)]
        # a what-if reads the applicant's neighbourhood only: no exposure context
        context = _context(builder, specs, scanned) if hypothetical is None else {}
        for (suit, plaintiff), late in sorted(builder.later.items()):
            names = ", ".join(sorted(book.label(p) for p in late))
            context.setdefault(plaintiff, []).append(
                f"{book.label(suit)} also named {names}, which joined the foundation only "
                "after that suit: not counted as co-members sued.")
        findings += assemble(builder, chains, rules, as_of=as_of, context=context,
                             hypothetical_fact=hypothetical)
    wanted = set(chosen)
    return sort_findings(f for f in findings if wanted & set(f.patterns))


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Severity (high first), then score (highest first), then ID: the order a board reads
    (a capped level outranks points: an uncertain chain never tops a confirmed one)."""
    return sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), -f.score, f.id))


def findings_by_pattern(findings: Iterable[Finding]) -> Mapping[str, list[Finding]]:
    """Group findings by their leading pattern, keeping their order."""
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.pattern, []).append(finding)
    return grouped


def find_finding(findings: Iterable[Finding], wanted: str) -> Finding:
    """The finding with ID ``wanted``; an unknown ID is an error naming the nearest IDs."""
    listed = list(findings)
    for finding in listed:
        if finding.id == wanted:
            return finding
    close = difflib.get_close_matches(wanted, [f.id for f in listed], n=3, cutoff=0.3)
    hint = ", ".join(close or [f.id for f in listed[:5]]) or "there are no findings"
    raise KGError(f"no finding {wanted!r} (nearest: {hint})")


__all__ = ["CONFIDENCES", "SEVERITIES", "FactInfo", "check_foundation",
           "fetch_fact", "fetch_facts", "find_conflicts", "find_finding", "finding_id",
           "findings_by_pattern", "patterns", "sort_findings"]
