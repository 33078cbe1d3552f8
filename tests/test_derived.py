"""The derived contribution totals (kg.derived) equal the sums of the records, on every store,
carry their method, conform to the shapes, and follow the data through incremental builds."""

from __future__ import annotations

import shutil
import textwrap
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.building import build_persistent, open_persistent
from kg.config import Settings
from kg.derived import METHOD, refresh_totals
from kg.namespaces import KG
from kg.project import TOTALS_GRAPH, is_derived_graph, is_file_graph, path_of
from kg.stores import Store, build_store
from kg.stores.oxigraph_store import OxigraphStore
from kg.stores.rdflib_store import RdflibStore
from kg.validation import validate

from .conftest import load_with_ontology

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = Settings(root=ROOT)

Sums = dict[tuple[str, ...], dict[str, Any]]


def expected_sums(graph: Graph) -> tuple[Sums, Sums, Sums]:
    """(year totals, component summaries, project summaries) summed here in Python from the
    kg:Contribution records, ranks included: the oracle the derived graph must equal."""
    years: Sums = {}
    components: Sums = {}
    projects: Sums = {}
    of_project: dict[str, set[str]] = defaultdict(set)
    for component, project in graph.subject_objects(KG.componentOf):
        of_project[str(component)].add(str(project))
    for record in graph.subjects(RDF.type, KG.Contribution):
        component = graph.value(record, KG.toComponent)
        for link in (KG.contributor, KG.contributorBucket):
            who = graph.value(record, link)
            if who is None or component is None:
                continue
            year = graph.value(record, KG.year)
            count = graph.value(record, KG.commitCount)
            commits = 0 if count is None else int(count)
            y = None if year is None else int(year)
            keys = [(years, (str(link), str(who), str(component), str(y)))]
            keys.append((components, (str(link), str(who), str(component))))
            keys += [(projects, (str(link), str(who), p)) for p in of_project[str(component)]]
            for table, key in keys:
                entry = table.setdefault(key, {"commits": 0, "records": 0, "witness": None,
                                               "years": set(), "counted": False})
                entry["commits"] += commits
                entry["records"] += 1
                entry["counted"] |= count is not None
                if entry["witness"] is None or str(record) < entry["witness"]:
                    entry["witness"] = str(record)
                if y is not None:
                    entry["years"].add(y)
    _rank(components)
    return years, components, projects


def _rank(components: Sums) -> None:
    ranked: dict[str, list[int]] = defaultdict(list)  # component → organizations' commits
    for (link, _who, component), entry in components.items():
        if link == str(KG.contributor) and entry["counted"]:
            ranked[component].append(entry["commits"])
    for (link, _who, component), entry in components.items():
        if link == str(KG.contributor) and entry["counted"]:
            entry["rank"] = 1 + sum(1 for c in ranked[component] if c > entry["commits"])


def derived_sums(store: Store) -> tuple[Sums, Sums, Sums]:
    """The same three tables, read back from the derived graph."""
    graph = Graph()
    for s, p, o in store.construct(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{TOTALS_GRAPH}> {{ ?s ?p ?o }} }}"):
        graph.add((s, p, o))
    years: Sums = {}
    components: Sums = {}
    projects: Sums = {}
    for kind in (KG.ContributionTotal, KG.ContributionSummary):
        for node in graph.subjects(RDF.type, kind):
            links = ((KG.contributor, KG.totalOf), (KG.contributorBucket, KG.totalOfBucket))
            link, who = next((link, graph.value(node, prop)) for link, prop in links
                             if graph.value(node, prop) is not None)
            component, project = graph.value(node, KG.totalComponent), \
                graph.value(node, KG.totalProject)
            entry: dict[str, Any] = {
                "commits": int(graph.value(node, KG.totalCommits)),  # type: ignore[arg-type]
                "records": int(graph.value(node, KG.recordCount)),  # type: ignore[arg-type]
                "witness": str(graph.value(node, KG.witness)),
            }
            assert graph.value(node, KG.derivedBy) == METHOD
            if kind == KG.ContributionTotal:
                year = graph.value(node, KG.totalYear)
                years[(str(link), str(who), str(component),
                       str(None if year is None else int(year)))] = entry
                continue
            first, last = graph.value(node, KG.firstYear), graph.value(node, KG.lastYear)
            entry["first"] = None if first is None else int(first)
            entry["last"] = None if last is None else int(last)
            rank = graph.value(node, KG.contributorRank)
            if rank is not None:
                entry["rank"] = int(rank)
            if project is not None:
                projects[(str(link), str(who), str(project))] = entry
            else:
                components[(str(link), str(who), str(component))] = entry
    return years, components, projects


def _comparable(sums: tuple[Sums, Sums, Sums]) -> tuple[Sums, Sums, Sums]:
    years, components, projects = sums
    out = []
    for table, summary in ((years, False), (components, True), (projects, True)):
        flat: Sums = {}
        for key, e in table.items():
            item = {"commits": e["commits"], "records": e["records"], "witness": e["witness"]}
            if summary:
                if "years" in e:
                    item["first"] = min(e["years"], default=None)
                    item["last"] = max(e["years"], default=None)
                else:
                    item["first"], item["last"] = e["first"], e["last"]
                if "rank" in e:
                    item["rank"] = e["rank"]
            flat[key] = item
        out.append(flat)
    return out[0], out[1], out[2]


def assert_totals_match(store: Store, graph: Graph) -> None:
    want = _comparable(expected_sums(graph))
    got = _comparable(derived_sums(store))
    assert want[0], "no contribution records: the test would prove nothing"
    for name, w, g in zip(("year totals", "component summaries", "project summaries"),
                          want, got, strict=True):
        assert g == w, name


@pytest.fixture(scope="module")
def curated() -> tuple[Store, Graph]:
    store = build_store(SETTINGS)
    return store, store.to_graph()


def test_curated_totals_equal_the_records_summed_in_python(curated: tuple[Store, Graph]) -> None:
    store, graph = curated
    assert_totals_match(store, graph)


def test_synthetic_totals_equal_the_records_summed_in_python(tmp_path: Path) -> None:
    from bench.synthetic import generate

    path = tmp_path / "g.nt"
    generate(10_000, path, seed=7)
    store = load_with_ontology(OxigraphStore(), path)
    assert_totals_match(store, store.to_graph())


def test_rdflib_derives_the_same_graph_as_oxigraph(curated: tuple[Store, Graph]) -> None:
    store, _graph = curated
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{TOTALS_GRAPH}> {{ ?s ?p ?o }} }}"
    reference = RdflibStore()
    reference.add_graph(_without_totals(store), "urn:test:all")
    refresh_totals(reference)
    assert set(reference.construct(query)) == set(store.construct(query))


def _without_totals(store: Store) -> Graph:
    graph = Graph()
    for name in store.graph_names():
        if not is_derived_graph(name):
            graph += store.construct(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
    return graph


def test_derived_facts_cite_their_method_and_conform(curated: tuple[Store, Graph]) -> None:
    store, graph = curated
    assert TOTALS_GRAPH in store.graph_names()
    assert not is_file_graph(TOTALS_GRAPH) and path_of(TOTALS_GRAPH) is None
    derived = [s for kind in (KG.ContributionTotal, KG.ContributionSummary)
               for s in graph.subjects(RDF.type, kind)]
    assert derived
    assert all((s, KG.derivedBy, METHOD) in graph for s in derived)
    assert (METHOD, RDF.type, KG.DerivationMethod) in graph
    # the shapes about derived facts and the method hold on the built data
    vocabulary = Graph().parse(ROOT / "ontology" / "kg.ttl")
    shapes = Graph().parse(ROOT / "ontology" / "kg-shapes.ttl")
    witnesses = {o for o in graph.objects(None, KG.witness)}
    components = {o for s in derived for o in graph.objects(s, KG.totalComponent)}
    data = Graph()
    data += store.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{TOTALS_GRAPH}> {{ ?s ?p ?o }} }}")
    for node in witnesses:
        data.add((node, RDF.type, KG.Contribution))
    for node in components:
        data.add((node, RDF.type, KG.Component))
    report = validate(data, shapes=shapes, vocabulary=vocabulary)
    focus = set(derived) | {METHOD}
    wrong = [r for r in report.results if r.focus_node in focus]
    assert not wrong, [r.message for r in wrong[:5]]


def test_derived_graph_is_not_a_file() -> None:
    assert is_derived_graph(TOTALS_GRAPH)
    assert not is_derived_graph("urn:kg:file:data/x.ttl")


CONTRIBUTIONS = """\
    @prefix kg: <https://w3id.org/kg/ontology#> .
    @prefix kgd: <https://w3id.org/kg/id/> .
    kgd:acme a kg:Company ; kg:source kgd:src ; kg:confidence kg:Confirmed .
    kgd:src a kg:Source ; kg:url "https://example.org/"^^<http://www.w3.org/2001/XMLSchema#anyURI> .
    kgd:widget a kg:Component ; kg:componentOf kgd:proj .
    kgd:c1 a kg:Contribution ; kg:contributor kgd:acme ; kg:toComponent kgd:widget ;
      kg:year 2014 ; kg:commitCount {first} .
    kgd:c2 a kg:Contribution ; kg:contributor kgd:acme ; kg:toComponent kgd:widget ;
      kg:year 2015 ; kg:commitCount 5 .
"""

TOTAL = """PREFIX kg: <https://w3id.org/kg/ontology#>
PREFIX kgd: <https://w3id.org/kg/id/>
SELECT ?commits WHERE { ?s a kg:ContributionSummary ; kg:totalOf kgd:acme ;
  kg:totalComponent kgd:widget ; kg:totalCommits ?commits }"""


def _commits(path: Path) -> list[int]:
    store = open_persistent(path)
    try:
        return [int(r["commits"]) for r in store.select(TOTAL).rows]  # type: ignore[arg-type]
    finally:
        store.close()


def test_incremental_build_refreshes_the_totals(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(ROOT / "ontology", root / "ontology")
    (root / "data").mkdir()
    file = root / "data" / "contributions.ttl"
    file.write_text(textwrap.dedent(CONTRIBUTIONS).replace("{first}", "3"), encoding="utf-8")
    settings = Settings(root=root)
    path = tmp_path / "store"
    first = build_persistent(settings, path, progress=False)
    assert _commits(path) == [8]
    assert first.derived > 0 and first.triples == len(open_persistent(path))
    assert "urn:kg:derived:contribution-totals" not in {e.graph for e in first.files.values()}

    file.write_text(textwrap.dedent(CONTRIBUTIONS).replace("{first}", "10"), encoding="utf-8")
    second = build_persistent(settings, path, progress=False)
    assert second.changed == ["data/contributions.ttl"]
    assert _commits(path) == [15]

    again = build_persistent(settings, path, progress=False)
    assert again.up_to_date and again.derived == second.derived
    assert again.triples == second.triples

    file.unlink()
    build_persistent(settings, path, progress=False)
    assert _commits(path) == []
    store = open_persistent(path)
    try:
        assert not store.select(
            "SELECT ?s WHERE { ?s a <https://w3id.org/kg/ontology#ContributionTotal> }").rows
    finally:
        store.close()


def test_rebuild_gives_the_same_graph(curated: tuple[Store, Graph]) -> None:
    store, _graph = curated
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{TOTALS_GRAPH}> {{ ?s ?p ?o }} }}"
    before = set(store.construct(query))
    refresh_totals(store)
    assert set(store.construct(query)) == before
    assert URIRef(str(METHOD)) in {s for s, _p, _o in before}


EDGES = """@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix kgd: <https://w3id.org/kg/id/> .
kgd:c1 a kg:Contribution ; kg:contributor kgd:acme ; kg:toComponent kgd:x ;
  kg:commitCount 5 ; kg:year 2014 .
kgd:c2 a kg:Contribution ; kg:contributor kgd:acme ; kg:toComponent kgd:x ; kg:year 2014 .
kgd:c3 a kg:Contribution ; kg:contributor kgd:acme ; kg:toComponent kgd:x, kgd:y ;
  kg:commitCount 2 ; kg:year 2013, 2015 .
kgd:c4 a kg:Contribution ; kg:contributorBucket kgd:independent ; kg:toComponent kgd:y ;
  kg:commitCount 7 .
kgd:c5 kg:contributor kgd:acme ; kg:toComponent kgd:x ; kg:commitCount 100 .
kgd:c6 a kg:Contribution ; kg:contributor kgd:acme ; kg:commitCount 100 .
"""


def test_the_python_sums_keep_the_query_semantics() -> None:
    """The embedded store sums in Python (kg.derived._oxigraph_year_totals); the query route
    serves every other store. Both on records with two years, two components, no count, no
    type and no component; and a record stated in two files counts once (Oxigraph's union
    graph repeats a triple once per graph that states it, so the query would count it twice)."""
    import pyoxigraph as ox

    from kg import derived

    def store_of(*graphs: str) -> OxigraphStore:
        store = OxigraphStore()
        for graph in graphs:
            store.store.load(EDGES, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
        return store

    one = store_of("urn:test:a")
    fast = derived.read_year_totals(one)
    by_query = [t for link in derived._LINKS for t in _query_totals(one, link)]
    assert sorted(fast, key=repr) == sorted(by_query, key=repr)
    acme_x_2014 = [t for t in fast if t.component.endswith("/x") and t.year == 2014]
    assert [(t.commits, t.counted, t.records, t.witness.rsplit("/", 1)[-1])
            for t in acme_x_2014] == [(5, 1, 2, "c1")]
    assert len(fast) == 6  # c3 gives four groups; c5 (no type) and c6 (no component) none
    assert derived.read_year_totals(store_of("urn:test:a", "urn:test:b")) == fast


def _query_totals(store: OxigraphStore, link: URIRef) -> list[Any]:
    from kg import derived

    out = []
    for row in derived._select(store, derived._RECORDS.replace("?link", link.n3())):
        out.append(derived.YearTotal(
            str(link), str(row["who"]), str(row["component"]), derived._year(row.get("year")),
            derived._int(row.get("commits")), derived._int(row.get("counted")),
            derived._int(row.get("records")), str(row["witness"])))
    return out
