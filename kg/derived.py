"""Derived facts kg computes once when a store is built: contribution totals.

The conflict patterns need, for every organization and component, the total commits, the
first and last year, a witness record and the organization's rank among the component's
contributors; the finder needs the commits per year (to total them as of a date). Summing
every ``kg:Contribution`` record on every scan cost most of the scan, so
:func:`refresh_totals` sums them once, through the :class:`~kg.stores.base.Store` seam (two
aggregate SELECTs and one read of ``kg:componentOf``, then one graph replaced), so it works the
same on Oxigraph (memory or disk), rdflib and a remote SPARQL server. Everything it writes
goes into the one named graph :data:`kg.project.TOTALS_GRAPH`:

- a ``kg:ContributionTotal`` per (organization or bucket, component, year): the year's commits
  (``kg:totalCommits``), records (``kg:recordCount``) and witness (``kg:witness``, the
  lexically first record IRI);
- a ``kg:ContributionSummary`` per (organization or bucket, component) and per (organization
  or bucket, project): commits, records, ``kg:firstYear``/``kg:lastYear``, the witness and, for
  an organization's component summary, ``kg:contributorRank`` (1 + the number of organizations
  with more commits to the component, counting only records with a commit count; buckets never
  rank);
- every one of them ``kg:derivedBy`` the method node :data:`METHOD` (a ``kg:DerivationMethod``
  in the same graph), which says how they were computed.

The sums follow the pattern queries' old aggregates exactly: a record without a commit count
adds 0 commits (and is not counted for the rank), a record without a year adds to a total
without ``kg:totalYear`` and to no first or last year. Nodes are named by a hash of their key,
so a rebuild of the same records gives the same graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from .namespaces import KG, KGD
from .project import TOTALS_GRAPH
from .stores.base import Store

METHOD = KGD["method-kg-contribution-totals"]

_RECORDS = """PREFIX kg: <https://w3id.org/kg/ontology#>
SELECT ?who ?component ?year (SUM(COALESCE(?n, 0)) AS ?commits) (COUNT(?n) AS ?counted)
       (COUNT(*) AS ?records) (MIN(STR(?c)) AS ?witness)
WHERE {
  ?c ?link ?who ; a kg:Contribution ; kg:toComponent ?component .
  OPTIONAL { ?c kg:commitCount ?n }
  OPTIONAL { ?c kg:year ?year }
}
GROUP BY ?who ?component ?year
"""
# (records: the group's rows, as the old aggregates counted them)

_PROJECTS = """PREFIX kg: <https://w3id.org/kg/ontology#>
SELECT DISTINCT ?component ?project WHERE { ?component kg:componentOf ?project }
"""

_LINKS = {KG.contributor: KG.totalOf, KG.contributorBucket: KG.totalOfBucket}


@dataclass(frozen=True)
class YearTotal:
    """One (contributor, component, year) group of contribution records."""

    link: URIRef            # kg:contributor or kg:contributorBucket
    who: URIRef
    component: URIRef
    year: Literal | None
    commits: int
    counted: int            # rows with a commit count
    records: int
    witness: str            # the lexically first record IRI


@dataclass
class Summary:
    """The totals of one contributor to one component or one project."""

    link: URIRef
    who: URIRef
    target: URIRef
    commits: int = 0
    counted: int = 0
    records: int = 0
    witness: str | None = None
    first: int | None = None
    last: int | None = None
    first_term: Literal | None = None
    last_term: Literal | None = None

    def add(self, total: YearTotal) -> None:
        self.commits += total.commits
        self.counted += total.counted
        self.records += total.records
        if self.witness is None or total.witness < self.witness:
            self.witness = total.witness
        year = _year(total.year)
        if year is not None:
            if self.first is None or year < self.first:
                self.first, self.first_term = year, total.year
            if self.last is None or year > self.last:
                self.last, self.last_term = year, total.year


def _year(term: Literal | None) -> int | None:
    if term is None:
        return None
    try:
        return int(str(term))
    except ValueError:
        return None


def _int(term: object) -> int:
    try:
        return int(str(term)) if term is not None else 0
    except ValueError:
        return 0


def _node(kind: str, *key: object) -> URIRef:
    digest = hashlib.sha1("|".join(str(k) for k in key).encode("utf-8")).hexdigest()[:20]
    return KGD[f"{kind}-{digest}"]


def read_year_totals(store: Store) -> list[YearTotal]:
    """The contribution records summed per contributor, component and year."""
    out = []
    for link in _LINKS:
        for row in store.select(_RECORDS, {"link": link}).rows:
            who, component, witness = row.get("who"), row.get("component"), row.get("witness")
            if not isinstance(who, URIRef) or not isinstance(component, URIRef) \
                    or witness is None:
                continue  # rdflib's one empty group of an empty aggregate
            year = row.get("year")
            out.append(YearTotal(link, who, component,
                                 year if isinstance(year, Literal) else None,
                                 _int(row.get("commits")), _int(row.get("counted")),
                                 _int(row.get("records")), str(witness)))
    return sorted(out, key=lambda t: (str(t.link), str(t.who), str(t.component),
                                      _year(t.year) or 0, t.witness))


def summarize(totals: Iterable[YearTotal], projects: Iterable[tuple[URIRef, URIRef]]
              ) -> tuple[dict[tuple[URIRef, URIRef, URIRef], Summary],
                         dict[tuple[URIRef, URIRef, URIRef], Summary]]:
    """(component summaries, project summaries), keyed by (link, contributor, target)."""
    of_project: dict[URIRef, list[URIRef]] = {}
    for component, project in projects:
        of_project.setdefault(component, []).append(project)
    by_component: dict[tuple[URIRef, URIRef, URIRef], Summary] = {}
    by_project: dict[tuple[URIRef, URIRef, URIRef], Summary] = {}
    for total in totals:
        key = (total.link, total.who, total.component)
        by_component.setdefault(key, Summary(*key)).add(total)
        for project in of_project.get(total.component, []):
            key = (total.link, total.who, project)
            by_project.setdefault(key, Summary(*key)).add(total)
    return by_component, by_project


def ranks(by_component: dict[tuple[URIRef, URIRef, URIRef], Summary]
          ) -> dict[tuple[URIRef, URIRef, URIRef], int]:
    """An organization's rank among a component's contributors: 1 + the organizations with
    more commits (records with a commit count only; buckets never rank)."""
    per_component: dict[URIRef, list[int]] = {}
    for (link, _who, component), summary in by_component.items():
        if link == KG.contributor and summary.counted:
            per_component.setdefault(component, []).append(summary.commits)
    out = {}
    for key, summary in by_component.items():
        if key[0] == KG.contributor and summary.counted:
            out[key] = 1 + sum(1 for c in per_component[key[2]] if c > summary.commits)
    return out


def method_graph() -> Graph:
    """The method node every derived fact cites."""
    graph = Graph()
    graph.add((METHOD, RDF.type, KG.DerivationMethod))
    graph.add((METHOD, RDFS.label, Literal("contribution totals summed by kg at build time")))
    graph.add((METHOD, KG.description, Literal(
        "Summed from the kg:Contribution records by kg when the store was built "
        "(kg.derived.refresh_totals): per contributor (organization or bucket), component and "
        "year, and per contributor and component or project; a record without a commit count "
        "adds 0 commits. Recomputed whenever the data changes.")))
    graph.add((METHOD, KG.caveat, Literal(
        "As good as the contribution records it sums: it inherits their methods' caveats and "
        "confidence, and cites the records (kg:witness), not sources of its own.")))
    return graph


def totals_graph(totals: list[YearTotal], projects: Iterable[tuple[URIRef, URIRef]]) -> Graph:
    """The derived facts of ``totals`` (see the module notes)."""
    graph = method_graph()
    add = graph.add
    for t in totals:
        node = _node("contribution-total", t.link, t.who, t.component, t.year)
        add((node, RDF.type, KG.ContributionTotal))
        add((node, KG.derivedBy, METHOD))
        add((node, _LINKS[t.link], t.who))
        add((node, KG.totalComponent, t.component))
        if t.year is not None:
            add((node, KG.totalYear, t.year))
        add((node, KG.totalCommits, Literal(t.commits, datatype=XSD.integer)))
        add((node, KG.recordCount, Literal(t.records, datatype=XSD.integer)))
        add((node, KG.witness, URIRef(t.witness)))
    by_component, by_project = summarize(totals, projects)
    ranked = ranks(by_component)
    for target_property, summaries in ((KG.totalComponent, by_component),
                                       (KG.totalProject, by_project)):
        for key, s in summaries.items():
            node = _node("contribution-summary", target_property, *key)
            add((node, RDF.type, KG.ContributionSummary))
            add((node, KG.derivedBy, METHOD))
            add((node, _LINKS[s.link], s.who))
            add((node, target_property, s.target))
            add((node, KG.totalCommits, Literal(s.commits, datatype=XSD.integer)))
            add((node, KG.recordCount, Literal(s.records, datatype=XSD.integer)))
            add((node, KG.witness, URIRef(str(s.witness))))
            if s.first_term is not None:
                add((node, KG.firstYear, s.first_term))
            if s.last_term is not None:
                add((node, KG.lastYear, s.last_term))
            if key in ranked:
                add((node, KG.contributorRank, Literal(ranked[key], datatype=XSD.integer)))
    return graph


def refresh_totals(store: Store) -> int:
    """Recompute the contribution totals from the store's records and replace the graph
    :data:`~kg.project.TOTALS_GRAPH` with them; returns its number of triples. Run it after
    any change to the data (it reads the union of the other graphs, never its own)."""
    store.drop_graph(TOTALS_GRAPH)
    totals = read_year_totals(store)
    projects = [(r["component"], r["project"]) for r in store.select(_PROJECTS).rows
                if isinstance(r.get("component"), URIRef) and isinstance(r.get("project"), URIRef)]
    graph = totals_graph(totals, projects)  # type: ignore[arg-type]
    store.add_graph(graph, TOTALS_GRAPH)
    return len(graph)


__all__ = ["METHOD", "Summary", "YearTotal", "method_graph", "ranks", "read_year_totals",
           "refresh_totals", "summarize", "totals_graph"]
