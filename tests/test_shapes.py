"""The shape fixtures behave as their folder says (the W3C SHACL suite's case-per-file layout).

- ``fixtures/shapes/conforms/<case>.ttl`` must validate.
- ``fixtures/shapes/violates/<ShapeLocalName>--<n>.ttl`` must not validate, and the named shape
  (``kg:<ShapeLocalName>``) must be among the results' ``sh:sourceShape``. For a SPARQL-based
  constraint the name is the node shape that carries it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.term import Node

from kg.namespaces import KG, RDF, SH
from kg.validation import validate

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
CONFORMS = sorted((FIXTURES / "conforms").glob("*.ttl"))
VIOLATES = sorted((FIXTURES / "violates").glob("*.ttl"))


@cache
def _vocabulary_and_shapes() -> tuple[Graph, Graph]:
    vocabulary = Graph().parse(ONTOLOGY_DIR / "kg.ttl")
    shapes = Graph().parse(ONTOLOGY_DIR / "kg-shapes.ttl")
    return vocabulary, shapes


def _validate(data_graph: Graph) -> tuple[bool, Graph]:
    """Validate as the project does (kg.validation: vocabulary mixed in, inference "none",
    SHACL-AF on)."""
    vocabulary, shapes = _vocabulary_and_shapes()
    report = validate(data_graph, shapes=shapes, vocabulary=vocabulary)
    assert isinstance(report.graph, Graph)
    return report.conforms, report.graph


def _source_shapes(report: Graph) -> set[Node]:
    return set(report.objects(None, SH.sourceShape))


def _source_constraints(report: Graph) -> set[Node]:
    return set(report.objects(None, SH.sourceConstraint))


def _describe(report: Graph) -> str:
    lines = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        message = report.value(result, SH.resultMessage)
        focus = report.value(result, SH.focusNode)
        lines.append(f"{shape} on {focus}: {message}")
    return "\n".join(sorted(lines))


@cache
def _violation_report(path: Path) -> tuple[bool, Graph]:
    return _validate(Graph().parse(path))


@pytest.mark.parametrize("path", CONFORMS, ids=[p.name for p in CONFORMS])
def test_conforms(path: Path) -> None:
    conforms, report = _validate(Graph().parse(path))
    assert conforms, _describe(report)


@pytest.mark.parametrize("path", VIOLATES, ids=[p.name for p in VIOLATES])
def test_violates(path: Path) -> None:
    expected = KG[path.stem.split("--")[0]]
    conforms, report = _violation_report(path)
    assert not conforms, f"{path.name} conforms but should fail on {expected}"
    assert expected in _source_shapes(report), _describe(report)


def test_fixture_names_follow_the_convention() -> None:
    assert CONFORMS and VIOLATES
    for path in VIOLATES:
        shape, _, number = path.stem.partition("--")
        assert number.isdigit(), f"{path.name}: expected <ShapeLocalName>--<n>.ttl"
        assert "--" not in shape


def test_every_property_shape_has_a_violating_fixture() -> None:
    _vocabulary, shapes = _vocabulary_and_shapes()
    covered = {path.stem.split("--")[0] for path in VIOLATES}
    named = {
        str(s).removeprefix(str(KG))
        for s in shapes.subjects(RDF.type, SH.PropertyShape)
        if str(s).startswith(str(KG))
    }
    assert named, "no property shapes found"
    assert sorted(named - covered) == []


def test_every_sparql_constraint_has_a_violating_fixture() -> None:
    _vocabulary, shapes = _vocabulary_and_shapes()
    constraints = set(shapes.objects(None, SH.sparql))
    assert constraints, "no SPARQL constraints found"
    triggered: set[Node] = set()
    for path in VIOLATES:
        if "-" not in path.stem.split("--")[0]:  # a node-shape fixture: SPARQL or node-level rule
            triggered |= _source_constraints(_violation_report(path)[1])
    assert sorted(map(str, constraints - triggered)) == []
