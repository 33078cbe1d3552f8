"""What if an organization joined a foundation? The findings its membership would create.

A hypothetical membership (``kgd:whatif-membership``, confirmed, ongoing from the join date)
is added next to the facts, the conflict finder runs on the foundation, and only the findings
whose evidence uses that membership are kept. The data is never changed.

Only the neighbourhood of the applicant is read, never the whole graph: every pattern that can
use a membership reaches it within :data:`HOPS` hops of the applicant, along the party edges
of memberships, seats, suits, transfers and ties (``queries/whatif/in-edges.rq``) and the
objects of facts (``queries/whatif/out-edges.rq``). The longest such chain is a governance
finding against the applicant: applicant ← suit → plaintiff ← tie → seat holder ← seat, five
hops. Hubs (foundations, tiers, components, projects, sources) are followed outwards only,
for their labels and links (:data:`DESCRIBE_HOPS` more hops), so the neighbourhood grows with
the applicant's litigation and ties, not with the graph. That subgraph goes into a scratch
in-memory store; a user's server is only read. ``tests/test_whatif.py`` checks the findings
against running the finder on a full copy of the graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from .config import Settings
from .conflicts import check_foundation, find_conflicts
from .conflicts.specs import load_specs
from .derived import refresh_totals
from .findings import Finding
from .namespaces import KG, KGD
from .queries import NamedQuery, get_query, select, to_iri
from .stores import Store, open_store
from .vocabulary import load_vocabulary

WHATIF_MEMBERSHIP = KGD["whatif-membership"]
WHATIF_GRAPH = "urn:kg:whatif:membership"
NEIGHBOURHOOD_GRAPH = "urn:kg:whatif:neighbourhood"
HOPS = 5
DESCRIBE_HOPS = 3
BATCH = 500  # nodes per query (VALUES rows)
PARTY_PREDICATES = frozenset({KG.member, KG.seatHolder, KG.plaintiff, KG.defendant,
                              KG.transferor, KG.transferee, KG.fromParty, KG.toParty,
                              KG.participant, KG.implementer, KG.respondent, KG.complainant,
                              KG.demandant, KG.demandedOf, KG.intermediary})
# the facts a party takes part in as a side: suits, agency actions, licence demands
SUIT_PREDICATES = frozenset({KG.plaintiff, KG.defendant, KG.respondent, KG.demandant,
                             KG.demandedOf})


def hypothetical_membership(organization: URIRef, foundation: URIRef, tier: URIRef,
                            join_date: date) -> Graph:
    """The membership the check imagines, as the contract describes a real one."""
    node = WHATIF_MEMBERSHIP
    graph = Graph()
    graph.add((node, RDF.type, KG.Membership))
    graph.add((node, KG.member, organization))
    graph.add((node, KG.foundation, foundation))
    graph.add((node, KG.tier, tier))
    graph.add((node, KG.startDate, Literal(join_date)))
    graph.add((node, KG.endStatus, KG.Ongoing))
    graph.add((node, KG.confidence, KG.Confirmed))
    graph.add((node, KG.note, Literal("hypothetical membership (what-if)")))
    return graph


def _batches(nodes: Iterable[URIRef]) -> Iterable[list[URIRef]]:
    ordered = sorted(nodes)
    for start in range(0, len(ordered), BATCH):
        yield ordered[start:start + BATCH]


def _outwards(store: Store, query: NamedQuery, nodes: set[URIRef],
              graph: Graph) -> tuple[set[URIRef], set[URIRef]]:
    """Add the nodes' own triples to ``graph``; return the IRIs they point at, and those of
    them that are parties (members, seat holders, plaintiffs, defendants, link ends)."""
    found: set[URIRef] = set()
    parties: set[URIRef] = set()
    for chunk in _batches(nodes):
        for row in select(store, query, {"node": chunk}).rows:
            s, p, o = row["node"], row["p"], row["o"]
            graph.add((s, p, o))  # type: ignore[arg-type]
            if isinstance(o, URIRef) and p != RDF.type:
                found.add(o)
                if p in PARTY_PREDICATES:
                    parties.add(o)
    return found, parties


def _inwards(store: Store, query: NamedQuery, nodes: set[URIRef], graph: Graph,
             organization: URIRef) -> tuple[set[URIRef], set[URIRef]]:
    """Add the facts naming the nodes as a party, or a suit's accusations
    (``in-edges.rq``); return those facts, and the suits among them."""
    found: set[URIRef] = set()
    suits: set[URIRef] = set()
    for chunk in _batches(nodes):
        for row in select(store, query, {"node": chunk}).rows:
            s, p, o = row["s"], row["p"], row["node"]
            # contributions count only for the applicant itself (commons, licence)
            if p == KG.contributor and o != organization:
                continue
            graph.add((s, p, o))  # type: ignore[arg-type]
            if isinstance(s, URIRef):
                found.add(s)
                if p in SUIT_PREDICATES:
                    suits.add(s)
    return found, suits


def neighbourhood(store: Store, settings: Settings, organization: URIRef,
                  foundation: URIRef, *also: URIRef) -> Graph:
    """The facts within reach of ``organization`` that a membership finding can use, and the
    descriptions of ``foundation`` and of any other node named in ``also`` (a tier).

    Only parties and suits are followed inwards; everything else (foundations, tiers,
    components, sources: hubs with thousands of facts pointing at them) only outwards."""
    out_edges = get_query(settings, "whatif/out-edges")
    in_edges = get_query(settings, "whatif/in-edges")
    graph = Graph()
    seen: set[URIRef] = {organization, foundation, *also}
    frontier: set[URIRef] = set(seen)
    inward: set[URIRef] = {organization}
    expanded: set[URIRef] = set()
    for _hop in range(HOPS):
        reached, parties = _outwards(store, out_edges, frontier, graph)
        facts, suits = _inwards(store, in_edges, inward, graph, organization)
        expanded |= inward
        frontier = (reached | facts) - seen
        seen |= frontier
        inward = (parties | suits) - expanded
    for _hop in range(DESCRIBE_HOPS + 1):
        frontier = _outwards(store, out_edges, frontier, graph)[0] - seen
        seen |= frontier
    return graph


def membership_patterns(settings: Settings) -> list[str]:
    """The patterns a membership can change: those whose party holds a membership, or whose
    counterparty is a co-member (read from the pattern specs)."""
    return [name for name, spec in load_specs(settings).items()
            if spec.role in ("membership", "membership-or-contribution")
            or spec.counterparty == "co-member"]


def what_if(store: Store, settings: Settings, *, organization: str, foundation: str, tier: str,
            join_date: date, as_of: date | None = None,
            window: int | None = None) -> list[Finding]:
    """Findings that would arise if ``organization`` joined ``foundation`` at ``tier`` on
    ``join_date``: the findings whose evidence uses the hypothetical membership (an
    organization that already is a member keeps its current findings, see find_conflicts).
    The graph is read as of ``as_of``, by default the join date: what a board vetting the
    application that day would know."""
    member, body, level = to_iri(organization), to_iri(foundation), to_iri(tier)
    check_foundation(store, settings, str(body))
    scratch = open_store(replace(settings, store="oxigraph", store_path=None))
    try:
        scratch.add_graph(neighbourhood(store, settings, member, body, level),
                          NEIGHBOURHOOD_GRAPH)
        scratch.add_graph(hypothetical_membership(member, body, level, join_date), WHATIF_GRAPH)
        refresh_totals(scratch)  # the applicant's contribution totals, from its records here
        found = find_conflicts(scratch, settings, foundation=str(body),
                               patterns=membership_patterns(settings),
                               as_of=as_of or join_date, window=window,
                               hypothetical=str(WHATIF_MEMBERSHIP),
                               vocabulary=load_vocabulary(store, settings))
    finally:
        scratch.close()
    return [f for f in found if any(e.fact == str(WHATIF_MEMBERSHIP) for e in f.evidence)]


__all__ = ["HOPS", "WHATIF_MEMBERSHIP", "hypothetical_membership", "membership_patterns",
           "neighbourhood", "what_if"]
