"""Sharded SHACL validation gives exactly the whole-graph report (pySHACL is the oracle)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from rdflib import Graph

from bench.synthetic import generate
from kg.sharding import report_key, validate_sharded
from kg.validation import validate

ROOT = Path(__file__).resolve().parents[1]
FALLBACK_SHAPES = ROOT / "bench" / "fixtures" / "shapes-fallback.ttl"
PROJECT_SHAPES = ROOT / "ontology" / "kg-shapes.ttl"
VOCABULARY = ROOT / "ontology" / "kg.ttl"


@pytest.fixture(scope="module")
def graph20k(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("g") / "g20k.nt"
    expected = generate(20_000, out, seed=7, turtle=False)
    return out, expected


def _foreign_tier(path: Path, expected: dict, out: Path) -> str:
    """A copy of the graph plus a membership whose tier belongs to another foundation: only a
    closure two hops deep (membership -> tier -> kg:tierOf) can see it."""
    f0, f1 = expected["foundations"][:2]
    node = "https://w3id.org/kg/id/membership-foreign-tier"
    kg = "https://w3id.org/kg/ontology#"
    lines = [f"<{node}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{kg}Membership> .",
             f"<{node}> <{kg}member> <{expected['profile_entity']}> .",
             f"<{node}> <{kg}foundation> <{f0}> .",
             f"<{node}> <{kg}tier> <{f1}-tier-1> .",
             f'<{node}> <{kg}startDate> "2015-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .',
             f"<{node}> <{kg}endStatus> <{kg}Ongoing> .",
             f"<{node}> <{kg}confidence> <{kg}Confirmed> .",
             f"<{node}> <{kg}source> <https://w3id.org/kg/id/src-seed> ."]
    out.write_text(path.read_text() + "\n".join(lines) + "\n")
    return node


def test_sharded_report_equals_whole_graph_report(graph20k: tuple[Path, dict],
                                                  tmp_path: Path) -> None:
    """Stand-in shapes with a SPARQL constraint that looks two hops out (tier -> tierOf)."""
    path, expected = graph20k
    path_plus = tmp_path / "plus.nt"
    foreign = _foreign_tier(path, expected, path_plus)
    shapes = Graph().parse(FALLBACK_SHAPES)
    whole = validate(Graph().parse(path_plus, format="nt"), shapes=shapes)
    sharded = validate_sharded(path_plus, shapes=shapes, shard_size=700)
    assert report_key(sharded) == report_key(whole)
    assert any(str(r.focus_node) == foreign
               and str(r.constraint).endswith("SPARQLConstraintComponent")
               for r in sharded.results)
    whole = validate(Graph().parse(path, format="nt"), shapes=shapes)
    sharded = validate_sharded(path, shapes=shapes, shard_size=700)
    assert report_key(sharded) == report_key(whole)
    assert sharded.triples == whole.triples
    planted = {(v["focus_node"], v["path"]) for v in expected["violations"]}
    found = {(str(r.focus_node), None if r.path is None else str(r.path)) for r in whole.results}
    assert found == planted


@pytest.mark.skipif(not PROJECT_SHAPES.exists(), reason="ontology/kg-shapes.ttl not there yet")
def test_project_shapes_find_exactly_the_planted_violations(graph20k: tuple[Path, dict]) -> None:
    """The project's shapes on the planted nodes plus a sample of ordinary ones, each in its
    full context: exactly the planted violations, and the sample conforms."""
    path, expected = graph20k
    shapes, vocabulary = Graph().parse(PROJECT_SHAPES), Graph().parse(VOCABULARY)
    planted = {v["focus_node"] for v in expected["violations"]}
    subjects = sorted({line.split(" ", 1)[0][1:-1] for line in path.open() if line.startswith("<")})
    sample = random.Random(1).sample([s for s in subjects if s not in planted], 60)
    report = validate_sharded(path, shapes=shapes, vocabulary=vocabulary, shard_size=25,
                              only=planted | set(sample))
    found = {str(r.focus_node) for r in report.violations}
    assert found == planted
    for v in expected["violations"]:
        if v["path"] is not None:
            assert any(str(r.focus_node) == v["focus_node"] and str(r.path) == v["path"]
                       for r in report.results), v
    assert json.dumps(report_key(report))  # plain data
