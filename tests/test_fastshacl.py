"""The fast SHACL engine (kg.fastshacl) gives exactly pySHACL's report (pySHACL is the oracle):
every result's focus node, path, value (as an RDF term, datatype and language included),
message, severity, source shape, constraint component and source constraint."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from bench.synthetic import generate
from kg.config import Settings
from kg.errors import SourceError
from kg.loading import load_graph
from kg.namespaces import KGD, SH
from kg.sharding import validate_sharded
from kg.validation import ValidationReport, resolve_engine, validate, validate_project

from .conftest import ROOT, run_kg

pytest.importorskip("pyshacl_turbo")
from kg.fastshacl import FastValidator, validate_fast  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NON_CANONICAL = FIXTURES / "fastshacl" / "non-canonical-literals.ttl"


@pytest.fixture(scope="module")
def ontology() -> tuple[Graph, Graph]:
    """(shapes, vocabulary)"""
    return (Graph().parse(ROOT / "ontology" / "kg-shapes.ttl"),
            Graph().parse(ROOT / "ontology" / "kg.ttl"))


def _n3(x: Node | None) -> str | None:
    return None if x is None else "_:" if isinstance(x, BNode) else x.n3()


def strict(report: ValidationReport) -> list[tuple[str | None, ...]]:
    """Each result with its terms in N3 (so "7" and "007", "en-GB" and "en-gb" differ)."""
    rows = [(_n3(r.focus_node), _n3(r.path), _n3(r.value), r.message, r.severity,
             _n3(r.source_shape), _n3(r.constraint), r.file) for r in report.results]
    return sorted(rows, key=lambda row: tuple("" if x is None else x for x in row))


def source_constraints(report: ValidationReport) -> Counter[tuple[str, ...]]:
    assert report.graph is not None
    g = report.graph
    return Counter((str(g.value(r, SH.focusNode)), str(g.value(r, SH.sourceShape)),
                    str(g.value(r, SH.sourceConstraint)))
                   for r in g.subjects(SH.resultSeverity, None))


def _renamed(path: Path, i: int) -> Graph:
    """A fixture's triples with its kgd: IRIs made its own (so fixtures do not meet)."""
    def rename(x: Node) -> Node:
        if isinstance(x, URIRef) and str(x).startswith(str(KGD)):
            return URIRef(f"{KGD}f{i:03d}-{str(x)[len(str(KGD)):]}")
        return x
    g = Graph()
    for s, p, o in Graph().parse(path):
        g.add((rename(s), rename(p), rename(o)))
    return g


@pytest.fixture(scope="module")
def all_fixtures(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Path, Path]:
    """Every shape fixture (each SPARQL constraint, each property shape violated; the
    conforming cases) in one graph, as a graph, an N-Triples file and a Turtle file."""
    merged = Graph()
    for i, path in enumerate(sorted((FIXTURES / "shapes").rglob("*.ttl"))):
        merged += _renamed(path, i)
    folder = tmp_path_factory.mktemp("fixtures")
    merged.serialize(folder / "all.nt", format="nt", encoding="utf-8")
    merged.serialize(folder / "all.ttl", format="turtle", encoding="utf-8")
    return merged, folder / "all.nt", folder / "all.ttl"


def test_every_shape_fixture_gives_pyshacls_report(
        all_fixtures: tuple[Graph, Path, Path], ontology: tuple[Graph, Graph]) -> None:
    shapes, vocabulary = ontology
    graph, nt, ttl = all_fixtures
    oracle = validate(graph, shapes=shapes, vocabulary=vocabulary)
    assert len(oracle.results) > 250
    fired = {c for (_f, _s, c) in source_constraints(oracle)}
    assert set(map(str, shapes.objects(None, SH.sparql))) <= fired   # every SPARQL constraint
    for data in (graph, nt, ttl):
        fast = validate_fast(data, shapes=shapes, vocabulary=vocabulary)
        assert strict(fast) == strict(oracle), data
        assert source_constraints(fast) == source_constraints(oracle)
        assert fast.triples == oracle.triples


def test_literals_are_given_in_rdflibs_form(ontology: tuple[Graph, Graph]) -> None:
    """Values rdflib normalises when it parses, a language tag's case, and a SPARQL
    message that names such a value: as pySHACL reports them."""
    shapes, vocabulary = ontology
    oracle = validate(Graph().parse(NON_CANONICAL), shapes=shapes, vocabulary=vocabulary)
    values = {_n3(r.value) for r in oracle.results}
    assert '"20141201"^^<http://www.w3.org/2001/XMLSchema#integer>' in values
    assert any(v and v.endswith("@en-GB") for v in values)
    assert any(r.message.endswith("20141201 does not fit its precision.")
               for r in oracle.results)
    for data in (NON_CANONICAL, Graph().parse(NON_CANONICAL)):
        assert strict(validate_fast(data, shapes=shapes, vocabulary=vocabulary)) == \
            strict(oracle)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:  # type: ignore[type-arg]
    out = tmp_path_factory.mktemp("g") / "g20k.nt"
    return out, generate(20_000, out, seed=11, turtle=False)


def test_synthetic_graph_gives_pyshacls_report(synthetic: tuple[Path, dict],  # type: ignore[type-arg]
                                               ontology: tuple[Graph, Graph]) -> None:
    """20k triples with planted violations: whole (file and graph) and in shards."""
    shapes, vocabulary = ontology
    path, expected = synthetic
    graph = Graph().parse(path, format="nt")
    oracle = validate(graph, shapes=shapes, vocabulary=vocabulary)
    planted = {(v["focus_node"], v["path"]) for v in expected["violations"]}
    found = {(str(r.focus_node), None if r.path is None else str(r.path)) for r in oracle.results}
    assert found == planted
    for fast in (validate_fast(path, shapes=shapes, vocabulary=vocabulary),
                 validate_fast(graph, shapes=shapes, vocabulary=vocabulary)):
        assert strict(fast) == strict(oracle)
        assert fast.triples == oracle.triples
    for shard_size, workers in ((900, 1), (10**9, 1), (1500, 2)):   # one shard: the file
        sharded = validate_sharded(path, shapes=shapes, vocabulary=vocabulary,
                                   shard_size=shard_size, validator=FastValidator(),
                                   workers=workers)
        assert strict(sharded) == strict(oracle)


def test_project_data_gives_pyshacls_report() -> None:
    """The project's data plus a file with violations, as `kg validate` checks it: the
    default engine (fast, given the files as Oxigraph parsed and wrote them), and fast on the
    rdflib Dataset `kg demo` hands over (ontology included)."""
    settings = Settings(root=ROOT, extra_data=(NON_CANONICAL,))
    oracle = validate_project(settings, engine="pyshacl")
    assert oracle.violations and all(r.file for r in oracle.results)
    assert resolve_engine(None) == "fast"
    default = validate_project(settings)
    assert strict(default) == strict(oracle)
    assert default.triples == oracle.triples
    assert strict(validate_project(settings, engine="fast")) == strict(oracle)
    dataset = load_graph(settings)
    from_dataset = validate_project(settings, dataset=dataset)
    assert strict(from_dataset) == strict(oracle)
    assert from_dataset.triples == oracle.triples


def test_paths_in_the_projects_context_give_pyshacls_report(tmp_path: Path) -> None:
    """`kg validate PATHS`: a file of the data and one outside it (a blank node among its
    focus nodes, a literal with a base direction), only the results about nodes they state,
    each with the first file (in the project's order) that states it."""
    outside = tmp_path / "outside.ttl"
    outside.write_text(
        "@prefix kg: <https://w3id.org/kg/ontology#> .\n"
        "@prefix kgd: <https://w3id.org/kg/id/> .\n"
        "[] a kg:Membership ; kg:foundation kgd:openstack-foundation .\n"
        "kgd:symantec kg:note \"x\"@en-GB, \"y\"@en--ltr .\n")   # RDF 1.2: rdflib drops "ltr"
    settings = Settings(root=ROOT, extra_data=(NON_CANONICAL,))
    paths = [NON_CANONICAL, outside]
    oracle = validate_project(settings, paths, engine="pyshacl")
    files = {r.file for r in oracle.results}       # kgd:symantec is stated first here:
    assert "data/curated/organizations.ttl" in files and len(files) == 3
    assert any(isinstance(r.focus_node, BNode) for r in oracle.results)
    assert strict(validate_project(settings, paths)) == strict(oracle)


def test_shape_fixtures_as_a_project_give_pyshacls_report(
        all_fixtures: tuple[Graph, Path, Path], tmp_project: Path) -> None:
    """Every shape fixture as the data files of a project, through `kg validate`'s path."""
    _graph, nt, ttl = all_fixtures
    (tmp_project / "data" / "all.ttl").write_bytes(ttl.read_bytes())
    (tmp_project / "data" / "same.nt").write_bytes(nt.read_bytes())  # every triple twice
    settings = Settings(root=tmp_project)
    oracle = validate_project(settings, engine="pyshacl")
    assert len(oracle.results) > 250
    default = validate_project(settings)
    assert strict(default) == strict(oracle)
    assert default.triples == oracle.triples


def test_a_bad_file_names_the_file_and_line(tmp_path: Path,
                                            ontology: tuple[Graph, Graph]) -> None:
    shapes, vocabulary = ontology
    nt = tmp_path / "bad.nt"
    nt.write_text('<urn:a> <urn:b> <urn:c> .\n\n'
                  '<urn:a> <urn:b> "open .\n<urn:a> <urn:b> <urn:d> .\n')
    ttl = tmp_path / "bad.ttl"
    ttl.write_text("@prefix ex: <urn:ex:> .\nex:a ex:b ex:c .\nex:a ex:b ;; .\n")
    for path, line in ((nt, 3), (ttl, 3)):
        with pytest.raises(SourceError) as caught:
            validate_fast(path, shapes=shapes, vocabulary=vocabulary)
        assert caught.value.path == str(path) and caught.value.line == line, caught.value
    with pytest.raises(SourceError, match="bad.nt:3:17: N-Triples syntax error"):
        validate_sharded(nt, shapes=shapes, vocabulary=vocabulary, validator=FastValidator())
    cut = tmp_path / "cut.nt"
    cut.write_text('<urn:a> <urn:b> <urn:c> .\n'
                   '<urn:a> <urn:b> <urn:d> .  # a comment\n<urn:a> <urn:b>\n')
    with pytest.raises(SourceError, match="cut.nt:4:1: N-Triples syntax error: line jumps"):
        validate_sharded(cut, shapes=shapes, vocabulary=vocabulary, validator=FastValidator())


def test_cli_fast_engine_in_shards(synthetic: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    path, expected = synthetic
    proc = run_kg("validate", "--engine", "fast", "--shard-size", "5000", "--workers", "2",
                  str(path), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    found = {(r["focus_node"], r["path"]) for r in json.loads(proc.stdout)}
    assert found == {(v["focus_node"], v["path"]) for v in expected["violations"]}
