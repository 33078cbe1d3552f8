"""Issue 12 point 4: every export is read back by the tool it is for, and the CSV export of the
curated data ingests into an empty project as the same graph.

RDF formats go back through rdflib, GraphML and GEXF through networkx's readers, Cytoscape JSON
through ``networkx.cytoscape_graph``. The expensive check (export the curated data as CSV,
ingest it into an empty project, build it, compare) runs once per session.
"""

from __future__ import annotations

import csv
import json
import shutil
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from kg.config import Settings
from kg.derived import stated_graph
from kg.export import data_graph, export_graph
from kg.namespaces import KG, KGD
from kg.network import cytoscape_elements, to_networkx, write_cytoscape, write_gexf, write_graphml
from kg.stores import build_store
from kg.tabular import ExportResult, export_tables, ingest_files

from .conftest import ROOT, run_kg_here

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "tabular" / "exports"
SYMANTEC_GOLD = str(KGD["membership-symantec-gold-2014"])
REGISTER = ("https://www.theregister.com/2014/12/22/"
            "symantec_becomes_gold_openstack_member_is_also_suing_it/")
# The record types issue 12 added to the format, and a class each must produce.
NEW_TYPES = {"component-statuses": KG.ComponentStatus, "contributor-buckets": KG.ContributorBucket,
             "derivation-methods": KG.DerivationMethod, "patent-claims": KG.PatentClaim}


def decimal_form(triple: tuple[Any, Any, Any]) -> tuple[Any, Any, Any]:
    """An xsd:decimal written as Turtle writes it (``66667.0``): Oxigraph keeps
    ``"66667"^^xsd:decimal``, rdflib's Turtle writer adds the ``.0`` (the same value)."""
    s, p, o = triple
    if isinstance(o, Literal) and o.datatype == XSD.decimal and "." not in str(o):
        return s, p, Literal(f"{o}.0", datatype=XSD.decimal)
    return triple


def _blank_shape(graph: Graph, node: Any) -> Any:
    """A blank node as the tree below it (lists and nested shapes): equal trees, equal nodes."""
    if not isinstance(node, BNode):
        return node
    return ("_:", tuple(sorted(((p, _blank_shape(graph, o)) for p, o in
                                graph.predicate_objects(node)), key=repr)))


def _blank_isomorphic(a: Graph, b: Graph) -> bool:
    """The triples with blank nodes, compared as trees when every blank node hangs from one
    triple (the ontology's lists and ``sh:or`` members: rdflib's general test takes seconds on
    them); anything else goes to ``rdflib.compare.isomorphic``."""
    def trees(graph: Graph) -> Counter[Any] | None:
        referrers = Counter(o for _s, _p, o in graph if isinstance(o, BNode))
        if any(n > 1 for n in referrers.values()):
            return None
        return Counter((s, p, _blank_shape(graph, o)) for s, p, o in graph
                       if not isinstance(s, BNode))

    found_a, found_b = trees(a), trees(b)
    if found_a is None or found_b is None:
        return isomorphic(a, b)
    return found_a == found_b


def same_graph(a: Graph, b: Graph, *,
               form: Callable[[tuple[Any, Any, Any]], tuple[Any, Any, Any]] | None = None) -> bool:
    """Isomorphic (after ``form`` on every triple), checked fast: the ground triples must be
    equal, and only the few triples with blank nodes need an isomorphism test."""
    def split(graph: Graph) -> tuple[set[tuple[Any, Any, Any]], Graph]:
        ground, blank = set(), Graph()
        for triple in graph:
            if isinstance(triple[0], BNode) or isinstance(triple[2], BNode):
                blank.add(triple)
            else:
                ground.add(form(triple) if form else triple)
        return ground, blank

    (ground_a, blank_a), (ground_b, blank_b) = split(a), split(b)
    return ground_a == ground_b and _blank_isomorphic(blank_a, blank_b)


def empty_project(base: Path) -> Settings:
    """The real ontology and queries and an empty data/ folder."""
    base.mkdir(parents=True)
    shutil.copytree(ROOT / "ontology", base / "ontology")
    shutil.copytree(ROOT / "queries", base / "queries")
    (base / "data").mkdir()
    return Settings(root=base)


@pytest.fixture(scope="session")
def stated(repo_store) -> Graph:  # type: ignore[no-untyped-def]
    return stated_graph(repo_store)


@pytest.fixture(scope="session")
def party_graph(stated: Graph) -> nx.MultiDiGraph[str]:
    return to_networkx(stated)


@pytest.fixture(scope="session")
def csv_round_trip(repo_store, settings: Settings,  # type: ignore[no-untyped-def]
                   tmp_path_factory: pytest.TempPathFactory) -> tuple[ExportResult, Graph, float]:
    """Export the curated data as CSV, ingest it into an empty project, build that project:
    (the export, the new project's stated graph, wall seconds of export + ingest)."""
    base = tmp_path_factory.mktemp("csv-round-trip")
    started = time.perf_counter()
    exported = export_tables(data_graph(repo_store, settings), base / "tables")
    fresh = empty_project(base / "fresh")
    result = ingest_files(fresh, sorted((base / "tables").glob("*.csv")))
    seconds = time.perf_counter() - started
    assert result.ok, result.summary()
    return exported, stated_graph(build_store(fresh)), seconds


# -- RDF: rdflib reads each format back


@pytest.mark.parametrize(("fmt", "rdflib_format"),
                         [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_rdf_exports_read_back_as_the_stated_graph(stated: Graph, tmp_path: Path, fmt: str,
                                                   rdflib_format: str) -> None:
    path = tmp_path / f"graph.{fmt}"
    export_graph(stated, fmt, path)
    back = Graph().parse(path, format=rdflib_format)
    assert len(back) == len(stated)
    if fmt == "turtle":  # the three membership fees come back as 66667.0, the same value
        assert {decimal_form(t) for t in stated} - set(stated) == {
            decimal_form(t) for t in stated.triples((None, KG.annualFee, None))}
        assert same_graph(back, stated, form=decimal_form)
    else:
        assert same_graph(back, stated)


# -- networkx: GraphML, GEXF, Cytoscape JSON


def _symantec_gold(graph: nx.MultiDiGraph[str]) -> dict[str, Any]:
    (data,) = [d for u, v, d in graph.edges(data=True)
               if d.get("fact") == SYMANTEC_GOLD and u == str(KGD.symantec)]
    return data


def test_graphml_reads_back_with_networkx(party_graph: nx.MultiDiGraph[str],
                                          tmp_path: Path) -> None:
    path = write_graphml(party_graph, tmp_path / "graph.graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_nodes() == party_graph.number_of_nodes()
    assert back.number_of_edges() == party_graph.number_of_edges()
    gold = _symantec_gold(back)
    assert gold["relation"] == "Gold member" and gold["start"] == "2014-12-01"
    assert REGISTER in gold["sources"].split(" | ")


def test_gexf_reads_back_with_networkx(party_graph: nx.MultiDiGraph[str],
                                       tmp_path: Path) -> None:
    path = write_gexf(party_graph, tmp_path / "graph.gexf")
    back = nx.read_gexf(path)
    assert isinstance(back, nx.MultiDiGraph)
    assert back.number_of_nodes() == party_graph.number_of_nodes()
    assert back.number_of_edges() == party_graph.number_of_edges()
    assert back.nodes[str(KGD.symantec)]["label"] == "Symantec"
    gold = _symantec_gold(back)
    assert gold["start"] == "2014-12-01"  # a GEXF spell: Gephi's timeline plays it
    assert gold["confidence"] == "confirmed" and REGISTER in gold["sources"]
    assert "lastmodifieddate" not in path.read_text(encoding="utf-8")  # same graph, same file


def test_cytoscape_json_reads_back_with_networkx(party_graph: nx.MultiDiGraph[str],
                                                 tmp_path: Path) -> None:
    path = write_cytoscape(party_graph, tmp_path / "graph.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert data["directed"] and data["multigraph"]
    assert all({"id", "label", "kind"} <= set(n["data"]) for n in nodes)
    assert all({"source", "target", "relation", "confidence", "sources"} <= set(e["data"])
               for e in edges)
    (gold,) = [e["data"] for e in edges if e["data"]["fact"] == SYMANTEC_GOLD]
    assert gold["source"] == str(KGD.symantec) and gold["start"] == "2014-12-01"
    assert REGISTER in gold["sources"] and "end" not in gold  # no end: left out, not null
    back = nx.cytoscape_graph(data, name="label")
    assert back.number_of_nodes() == party_graph.number_of_nodes()
    assert back.number_of_edges() == party_graph.number_of_edges()
    assert cytoscape_elements(party_graph) == data  # what the file holds, and deterministic


@pytest.mark.parametrize(("fmt", "read"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf),
                                           ("cytoscape", None)])
def test_kg_export_writes_the_network_formats(fixture_project: Settings, tmp_path: Path,
                                              fmt: str, read: Any) -> None:
    out = tmp_path / f"graph.{fmt}"
    proc = run_kg_here("--root", str(fixture_project.root), "export", "--format", fmt,
                       "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    back = read(out) if read else nx.cytoscape_graph(json.loads(out.read_text("utf-8")),
                                                     name="label")
    suits = [d for u, v, d in back.edges(data=True)
             if d.get("fact") == str(KGD["acme-v-globex-codec"])]
    assert [(s["relation"], s["start"]) for s in suits] == [("sued", "2016-03-01")]
    assert back.nodes[str(KGD.globex)]["label"] == "Globex"


def test_network_formats_need_an_output_file(stated: Graph) -> None:
    from kg.errors import KGError

    with pytest.raises(KGError, match="gexf needs an output file"):
        export_graph(stated, "gexf", None)


# -- CSV: the whole curated graph round-trips


def test_csv_export_of_the_curated_data_ingests_as_the_same_graph(
        csv_round_trip: tuple[ExportResult, Graph, float], stated: Graph) -> None:
    exported, again, _seconds = csv_round_trip
    assert exported.unexported == {}, exported.describe_unexported()
    assert exported.rows["contributions"] == 3688
    assert exported.rows["component-statuses"] == 39  # the governance history
    assert exported.rows["repositories"] == 75 and exported.rows["components"] == 19
    assert exported.rows["patent-claims"] == 35
    assert exported.rows["contributor-buckets"] == 4
    assert exported.rows["derivation-methods"] == 2
    assert len(again) == len(stated)
    assert same_graph(again, stated)


def test_the_governance_history_reads_as_a_table(
        csv_round_trip: tuple[ExportResult, Graph, float]) -> None:
    exported, _again, _seconds = csv_round_trip
    with exported.files["component-statuses"].open(encoding="utf-8") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    retired = rows["status-magnetodb-retired"]
    assert (retired["component"], retired["status"], retired["end_status"]) == \
        ("magnetodb", "retired", "ongoing")
    incubated = [r for r in rows.values() if r["status"] == "incubated" and r["end"]]
    assert incubated and all(len(r["start"]) == 7 for r in incubated)  # month precision kept


# -- the new record types, on a small fixture


def ingest_fixtures(base: Path) -> Settings:
    settings = empty_project(base)
    result = ingest_files(settings, sorted(FIXTURES.glob("*.csv")))
    assert result.ok, result.summary()
    return settings


@pytest.fixture(scope="module")
def fixture_project(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The fixture's rows ingested into an empty project (read only: tests that change the
    project ingest their own)."""
    return ingest_fixtures(tmp_path_factory.mktemp("exports") / "first")


def test_each_new_record_type_round_trips(fixture_project: Settings, tmp_path: Path) -> None:
    first = data_graph(build_store(fixture_project), fixture_project)
    exported = export_tables(first, tmp_path / "out", prefix="x-")
    assert exported.unexported == {}
    assert set(NEW_TYPES) <= set(exported.files)
    for name, cls in NEW_TYPES.items():
        assert any(first.subjects(RDF.type, cls)), name
    fresh = empty_project(tmp_path / "second")
    second = ingest_files(fresh, sorted((tmp_path / "out").glob("*.csv")))
    assert second.ok, second.summary()
    assert isomorphic(first, data_graph(build_store(fresh), fresh))
    statuses = (tmp_path / "out" / "x-component-statuses.csv").read_text(encoding="utf-8")
    assert "example-codec,incubated,2013-10,2014-04" in statuses
    methods = (tmp_path / "out" / "x-derivation-methods.csv").read_text(encoding="utf-8")
    assert "Lower bounds\\; not exact" in methods  # a ';' in a list cell stays escaped


def test_the_new_columns_state_what_the_graph_holds(fixture_project: Settings) -> None:
    g = data_graph(build_store(fixture_project), fixture_project)
    claim = KGD["US0000002-claim-7"]
    assert g.value(claim, KG.claimOf) == KGD.US0000002
    assert int(g.value(claim, KG.claimNumber)) == 7  # type: ignore[arg-type]
    assert set(g.objects(KGD["ipr-globex-acme"], KG.challengedClaim)) == {
        KGD["US0000002-claim-1"], claim}
    assert g.value(KGD["acme-v-globex-codec"], KG.assertsClaim) == KGD["US0000002-claim-1"]
    seat = KGD["acme-board-seat-2014"]
    assert str(g.value(seat, KG.lastConfirmed)) == "2015-06-30"
    assert str(g.value(KGD["acme-funding-globex"], KG.lastConfirmed)) == "2013-04-04"
    assert g.value(KGD.acme, RDFS.comment) == Literal("A fictional company")
    status = KGD["status-example-codec-official"]
    assert g.value(status, KG.status) == KG.Official
    assert g.value(status, KG.endStatus) == KG.Ongoing


# -- what the format cannot hold is said, not dropped


def test_the_export_names_what_the_format_cannot_hold(tmp_path: Path) -> None:
    g = Graph()
    g.add((KGD.x, RDF.type, KG.Company))
    g.add((KGD.x, RDFS.label, Literal("X", lang="en")))            # a language tag
    g.add((KGD.x, KG.unknownProperty, Literal("?")))                # no column
    g.add((KGD.orphan, KG.unknownProperty, Literal("?")))          # no record type
    g.add((URIRef("https://example.org/elsewhere"), RDFS.label, Literal("not a kgd: id")))
    result = export_tables(g, tmp_path / "out")
    assert result.rows == {"organizations": 1}
    assert result.unexported == {KG.unknownProperty: 2, RDFS.label: 2}
    assert result.describe_unexported() == (
        "4 triple(s) have no place in the tabular format: 2 kg:unknownProperty, 2 rdfs:label")


def test_kg_export_csv_warns_about_what_it_left_out(tmp_path: Path) -> None:
    project = ingest_fixtures(tmp_path / "project")
    (project.data_dir / "extra.ttl").write_text(
        "@prefix kgd: <https://w3id.org/kg/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'kgd:acme rdfs:seeAlso "https://example.org/acme" .\n', encoding="utf-8")
    proc = run_kg_here("--root", str(project.root), "export", "--format", "csv",
                       "-o", str(tmp_path / "tables"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == ("kg: warning: 1 triple(s) have no place in the tabular "
                                   "format: 1 rdfs:seeAlso")
    assert (tmp_path / "tables" / "component-statuses.csv").is_file()


def test_the_cli_offers_every_export_format() -> None:
    import click

    from kg.cli import cli
    from kg.export import EXPORT_FORMATS

    (option,) = [p for p in cli.commands["export"].params if p.name == "fmt"]
    assert isinstance(option.type, click.Choice)
    assert list(option.type.choices) == list(EXPORT_FORMATS)


def test_a_number_counts_as_exported_when_its_value_comes_back(tmp_path: Path) -> None:
    from rdflib.namespace import XSD

    g = Graph()
    for node, commits in ((KGD["c-oxigraph"], Literal("3", datatype=XSD.integer)),  # as stored
                          (KGD["c-decimal"], Literal("3", datatype=XSD.decimal))):  # not an int
        g.add((node, RDF.type, KG.Contribution))
        g.add((node, KG.commitCount, commits))
    result = export_tables(g, tmp_path / "out", record_types=["contributions"])
    assert result.unexported == {KG.commitCount: 1}
    assert "c-decimal" in result.files["contributions"].read_text(encoding="utf-8")
