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

import bisect
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from .namespaces import KG, KGD
from .project import TOTALS_GRAPH
from .stores.base import Store
from .stores.oxigraph_store import OxigraphStore

METHOD = KGD["method-kg-contribution-totals"]
WRITE_BATCH = 200_000  # triples per N-Triples text handed to Oxigraph's loader

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

    link: str               # kg:contributor or kg:contributorBucket
    who: str
    component: str
    year: int | None
    commits: int
    counted: int            # rows with a commit count
    records: int
    witness: str            # the lexically first record IRI


@dataclass
class Summary:
    """The totals of one contributor to one component or one project."""

    link: str
    who: str
    target: str
    commits: int = 0
    counted: int = 0
    records: int = 0
    witness: str | None = None
    first: int | None = None
    last: int | None = None

    def add(self, total: YearTotal) -> None:
        self.commits += total.commits
        self.counted += total.counted
        self.records += total.records
        if self.witness is None or total.witness < self.witness:
            self.witness = total.witness
        year = total.year
        if year is not None:
            if self.first is None or year < self.first:
                self.first = year
            if self.last is None or year > self.last:
                self.last = year


def _year(term: object) -> int | None:
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


def _node(kind: str, *key: object) -> str:
    digest = hashlib.sha1("|".join(map(str, key)).encode("utf-8")).hexdigest()[:20]
    return f"{_KGD}{kind}-{digest}"


_KGD = str(KGD)


def _select(store: Store, query: str, bindings: dict[str, URIRef] | None = None
            ) -> list[dict[str, str | None]]:
    """Rows of a SELECT as plain strings (IRIs, and literals' lexical forms). On the embedded
    store straight from Oxigraph: making rdflib terms of a million cells costs seconds."""
    if isinstance(store, OxigraphStore):
        import pyoxigraph as ox

        from .stores.binding import with_values

        solutions = store.store.query(with_values(query, bindings),
                                      use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        columns = [v.value for v in solutions.variables]
        return [{c: None if (v := s[c]) is None else v.value for c in columns}
                for s in solutions]
    result = store.select(query, bindings)
    return [{c: None if v is None else str(v) for c, v in row.items()} for row in result.rows]


def read_year_totals(store: Store) -> list[YearTotal]:
    """The contribution records summed per contributor, component and year."""
    if isinstance(store, OxigraphStore):
        return _oxigraph_year_totals(store)
    out = []
    for link in _LINKS:
        # the predicate written in, not bound: Oxigraph plans a VALUES-bound predicate badly
        # (1M triples: 5 s instead of 1 s)
        for row in _select(store, _RECORDS.replace("?link", link.n3())):
            who, component, witness = row.get("who"), row.get("component"), row.get("witness")
            if who is None or component is None or witness is None:
                continue  # rdflib's one empty group of an empty aggregate
            out.append(YearTotal(str(link), who, component, _year(row.get("year")),
                                 _int(row.get("commits")), _int(row.get("counted")),
                                 _int(row.get("records")), witness))
    return sorted(out, key=lambda t: (t.link, t.who, t.component, t.year or 0, t.witness))


def _oxigraph_year_totals(store: OxigraphStore) -> list[YearTotal]:
    """:data:`_RECORDS` evaluated in Python over Oxigraph's indexes: five predicate scans and
    dictionaries instead of three grouping queries (1M triples: 1.5 s instead of 4.7 s). It
    keeps the query's semantics: each combination of a record's link, component, commit count
    and year is one row; but a triple stated in two files counts once (the union graph is a
    set; ``tests/test_derived.py`` compares the two routes)."""
    import pyoxigraph as ox

    raw = store.store

    def values(predicate: URIRef) -> dict[object, set[object]]:
        out: dict[object, set[object]] = {}
        for quad in raw.quads_for_pattern(None, ox.NamedNode(str(predicate)), None, None):
            out.setdefault(quad.subject, set()).add(quad.object)
        return out

    kind = ox.NamedNode(str(KG.Contribution))
    records = {q.subject for q in raw.quads_for_pattern(None, ox.NamedNode(str(RDF.type)),
                                                         kind, None)}
    facets = (values(KG.toComponent), values(KG.commitCount), values(KG.year))
    out = []
    for link in _LINKS:
        groups: dict[tuple[object, object, object], list[Any]] = {}
        for record, whos in values(link).items():
            if record in records and record in facets[0]:
                _group(groups, record, whos, facets)
        for (who, component, year), (commits, counted, rows, witness) in groups.items():
            if witness is not None:
                out.append(YearTotal(str(link), who.value, component.value,  # type: ignore[attr-defined]
                                     None if year is None else _year(year.value),  # type: ignore[attr-defined]
                                     commits or 0, counted, rows, witness))
    return sorted(out, key=lambda t: (t.link, t.who, t.component, t.year or 0, t.witness))


def _group(groups: dict[tuple[object, object, object], list[Any]], record: object,
           whos: set[object], facets: tuple[dict[object, set[object]], ...]) -> None:
    """Add one record's rows to ``groups``: [commits, counted, rows, witness] per key."""
    import pyoxigraph as ox

    components, counts, years = facets
    witness = record.value if isinstance(record, ox.NamedNode) else None  # STR(bnode) fails
    rows = [(who, component, n, year) for who in whos for component in components[record]
            for n in counts.get(record, (None,)) for year in years.get(record, (None,))]
    for who, component, n, year in rows:
        g = groups.setdefault((who, component, year), [0, 0, 0, witness])
        if n is not None:
            g[1] += 1
            try:
                g[0] += int(n.value)  # type: ignore[attr-defined]
            except (ValueError, TypeError):
                g[0] = None  # SUM over a non-integer: no total
        g[2] += 1
        if g[3] is not None and (witness is None or witness < g[3]):
            g[3] = witness


Key = tuple[str, str, str]  # (link, contributor, component or project)


def summarize(totals: Iterable[YearTotal], projects: Iterable[tuple[str, str]]
              ) -> tuple[dict[Key, Summary], dict[Key, Summary]]:
    """(component summaries, project summaries), keyed by (link, contributor, target)."""
    of_project: dict[str, list[str]] = {}
    for component, project in projects:
        of_project.setdefault(component, []).append(project)
    by_component: dict[Key, Summary] = {}
    by_project: dict[Key, Summary] = {}
    for total in totals:
        key = (total.link, total.who, total.component)
        by_component.setdefault(key, Summary(*key)).add(total)
        for project in of_project.get(total.component, []):
            key = (total.link, total.who, project)
            by_project.setdefault(key, Summary(*key)).add(total)
    return by_component, by_project


def ranks(by_component: dict[Key, Summary]) -> dict[Key, int]:
    """An organization's rank among a component's contributors: 1 + the organizations with
    more commits (records with a commit count only; buckets never rank)."""
    per_component: dict[str, list[int]] = {}
    for (link, _who, component), summary in by_component.items():
        if link == str(KG.contributor) and summary.counted:
            per_component.setdefault(component, []).append(summary.commits)
    for commits in per_component.values():
        commits.sort()
    out = {}
    for key, summary in by_component.items():
        if key[0] == str(KG.contributor) and summary.counted:
            ordered = per_component[key[2]]  # 1 + how many have more commits
            out[key] = 1 + len(ordered) - bisect.bisect_right(ordered, summary.commits)
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


Plain = tuple[str, str, "str | int"]  # (subject IRI, predicate IRI, object IRI or xsd:integer)


def derived_triples(totals: list[YearTotal], projects: Iterable[tuple[str, str]]
                    ) -> list[Plain]:
    """The derived facts of ``totals`` (see the module notes) but the method node, as plain
    values: an ``int`` object is an ``xsd:integer`` literal, a ``str`` one an IRI."""
    out: list[Plain] = []
    add = out.append
    rdf_type, derived_by, method = str(RDF.type), str(KG.derivedBy), str(METHOD)
    links = {str(k): str(v) for k, v in _LINKS.items()}
    p_component, p_project, p_year = str(KG.totalComponent), str(KG.totalProject), \
        str(KG.totalYear)
    p_commits, p_records, p_witness = str(KG.totalCommits), str(KG.recordCount), \
        str(KG.witness)
    c_total, c_summary = str(KG.ContributionTotal), str(KG.ContributionSummary)
    for t in totals:
        node = _node("contribution-total", t.link, t.who, t.component, t.year)
        add((node, rdf_type, c_total))
        add((node, derived_by, method))
        add((node, links[t.link], t.who))
        add((node, p_component, t.component))
        if t.year is not None:
            add((node, p_year, t.year))
        add((node, p_commits, t.commits))
        add((node, p_records, t.records))
        add((node, p_witness, t.witness))
    by_component, by_project = summarize(totals, projects)
    ranked = ranks(by_component)
    p_first, p_last, p_rank = str(KG.firstYear), str(KG.lastYear), str(KG.contributorRank)
    for target_property, summaries in ((p_component, by_component),
                                       (p_project, by_project)):
        for key, s in summaries.items():
            node = _node("contribution-summary", target_property, *key)
            add((node, rdf_type, c_summary))
            add((node, derived_by, method))
            add((node, links[s.link], s.who))
            add((node, target_property, s.target))
            add((node, p_commits, s.commits))
            add((node, p_records, s.records))
            add((node, p_witness, str(s.witness)))
            if s.first is not None:
                add((node, p_first, s.first))
            if s.last is not None:
                add((node, p_last, s.last))
            if key in ranked:
                add((node, p_rank, ranked[key]))
    return out


def totals_graph(totals: list[YearTotal], projects: Iterable[tuple[str, str]]) -> Graph:
    """The derived facts of ``totals`` with their method node, as an rdflib graph."""
    graph = method_graph()
    literals: dict[int, Literal] = {}
    for s, p, o in derived_triples(totals, projects):
        if isinstance(o, int):
            term = literals.get(o)
            if term is None:
                term = literals[o] = Literal(o, datatype=XSD.integer)
            graph.add((URIRef(s), URIRef(p), term))
        else:
            graph.add((URIRef(s), URIRef(p), URIRef(o)))
    return graph


class _Lines(io.RawIOBase):
    """N-Triples text made a batch at a time, read as a file (so Oxigraph's bulk loader takes
    it in one go without the whole text in memory)."""

    def __init__(self, triples: list[Plain]) -> None:
        self._batches = (_ntriples(triples[i:i + WRITE_BATCH])
                         for i in range(0, len(triples), WRITE_BATCH))
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            batch = next(self._batches, None)
            if batch is None:
                return 0
            self._pending = memoryview(batch)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def _ntriples(triples: list[Plain]) -> bytes:
    integer = f"^^<{XSD.integer}>"
    return "".join(f"<{s}> <{p}> \"{o}\"{integer} .\n" if isinstance(o, int)
                   else f"<{s}> <{p}> <{o}> .\n" for s, p, o in triples).encode("utf-8")


def _write_oxigraph(store: OxigraphStore, triples: list[Plain]) -> None:
    """The embedded store's fast path: the triples as N-Triples text streamed to Oxigraph's
    parser (building a million rdflib or pyoxigraph terms in Python costs seconds). On disk
    its bulk loader (1M: a transaction there took 25 s): every caller writes into a store no
    one reads yet (a new build generation), so the loader's lack of a transaction is safe."""
    import pyoxigraph as ox

    store.add_graph(method_graph(), TOTALS_GRAPH)
    load = store.store.bulk_load if store.on_disk else store.store.load  # see parsing.load_into
    load(io.BufferedReader(_Lines(triples), 1 << 20), format=ox.RdfFormat.N_TRIPLES,
         to_graph=ox.NamedNode(TOTALS_GRAPH), lenient=True)


def refresh_totals(store: Store) -> int:
    """Recompute the contribution totals from the store's records and replace the graph
    :data:`~kg.project.TOTALS_GRAPH` with them; returns its number of triples. Run it after
    any change to the data (it reads the union of the other graphs, never its own)."""
    store.drop_graph(TOTALS_GRAPH)
    totals = read_year_totals(store)
    projects = [(r["component"], r["project"]) for r in _select(store, _PROJECTS)
                if r.get("component") is not None and r.get("project") is not None]
    if isinstance(store, OxigraphStore):
        triples = derived_triples(totals, projects)  # type: ignore[arg-type]
        _write_oxigraph(store, triples)
        return len(triples) + len(method_graph())
    graph = totals_graph(totals, projects)  # type: ignore[arg-type]
    store.add_graph(graph, TOTALS_GRAPH)
    return len(graph)


def stated_size(store: Store) -> int:
    """The number of triples the files state: the store's size without the derived graph."""
    rows = store.select("SELECT (COUNT(*) AS ?n) "
                        f"WHERE {{ GRAPH <{TOTALS_GRAPH}> {{ ?s ?p ?o }} }}")
    derived = next((int(row["n"]) for row in rows), 0)  # type: ignore[call-overload]
    return len(store) - derived


def strip_derived(graph: Graph) -> Graph:
    """``graph`` without the derived facts and their method node (in place; returned)."""
    for kind in (KG.ContributionTotal, KG.ContributionSummary):
        for node in list(graph.subjects(RDF.type, kind)):
            graph.remove((node, None, None))
    graph.remove((METHOD, None, None))
    return graph


def stated_graph(store: Store) -> Graph:
    """Every triple the files state, without the derived ones: what is exported and drawn (a
    derived total is no fact to export into a file, nor a node of a picture)."""
    return strip_derived(store.to_graph())


__all__ = ["METHOD", "Summary", "YearTotal", "derived_triples", "method_graph", "ranks",
           "read_year_totals", "refresh_totals", "stated_graph", "stated_size", "strip_derived",
           "summarize", "totals_graph"]
