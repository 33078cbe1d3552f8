"""The vocabulary (kg.ttl) and its shapes (kg-shapes.ttl) are complete and consistent.

Every kg: term used anywhere in ontology/ (the two Turtle files and the README contract) is
declared in kg.ttl with a label, a comment and rdfs:isDefinedBy; every shape targets a declared
class; every property shape is named and has a message.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from kg.namespaces import KG, OWL, RDF, RDFS, SH, SKOS

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_IRI = URIRef("https://w3id.org/kg/ontology")
SHAPE_TYPES = (SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty)
TERM_TYPES = (OWL.Class, *PROPERTY_TYPES, SKOS.Concept, SKOS.ConceptScheme, OWL.AnnotationProperty)


@cache
def _vocabulary() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "kg.ttl")


@cache
def _shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "kg-shapes.ttl")


def _kg_terms(graph: Graph) -> set[URIRef]:
    return {
        node
        for triple in graph
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(str(KG))
    }


def _shape_nodes() -> set[Node]:
    shapes = _shapes()
    return {s for t in SHAPE_TYPES for s in shapes.subjects(RDF.type, t)}


def _declared() -> set[Node]:
    vocabulary = _vocabulary()
    return {s for t in TERM_TYPES for s in vocabulary.subjects(RDF.type, t)}


def _readme_terms() -> set[URIRef]:
    text = (ONTOLOGY_DIR / "README.md").read_text(encoding="utf-8")
    return {KG[name] for name in re.findall(r"(?<![\w-])kg:([A-Za-z][A-Za-z0-9]*)\b", text)}


def _local(term: Node) -> str:
    return str(term).removeprefix(str(KG))


def test_both_files_parse() -> None:
    assert len(_vocabulary()) > 0
    assert len(_shapes()) > 0


def test_ontology_header() -> None:
    vocabulary = _vocabulary()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in vocabulary
    for predicate in ("title", "description", "license"):
        term = URIRef(f"http://purl.org/dc/terms/{predicate}")
        assert vocabulary.value(ONTOLOGY_IRI, term), predicate
    assert vocabulary.value(ONTOLOGY_IRI, OWL.versionInfo)


@pytest.mark.parametrize("source", ["kg.ttl", "kg-shapes.ttl", "README.md"])
def test_every_kg_term_used_is_declared(source: str) -> None:
    if source == "README.md":
        used = _readme_terms()
    else:
        used = _kg_terms(_vocabulary() if source == "kg.ttl" else _shapes()) - _shape_nodes()
    assert used, f"no kg: terms found in {source}"
    missing = sorted(_local(t) for t in used - _declared())
    assert missing == [], f"used in ontology/{source} but not declared in kg.ttl"


def test_every_declared_term_is_documented() -> None:
    vocabulary = _vocabulary()
    problems = []
    for term in sorted(_kg_terms(vocabulary)):
        for predicate in (RDFS.label, RDFS.comment):
            if vocabulary.value(term, predicate) is None:
                problems.append(f"{_local(term)} lacks {predicate}")
        if (term, RDFS.isDefinedBy, ONTOLOGY_IRI) not in vocabulary:
            problems.append(f"{_local(term)} lacks rdfs:isDefinedBy")
    assert problems == []


def test_properties_have_a_range() -> None:
    vocabulary = _vocabulary()
    properties = {s for t in PROPERTY_TYPES for s in vocabulary.subjects(RDF.type, t)}
    assert properties
    assert sorted(_local(p) for p in properties if vocabulary.value(p, RDFS.range) is None) == []


def test_concepts_are_typed_and_in_a_scheme() -> None:
    vocabulary = _vocabulary()
    for concept in vocabulary.subjects(RDF.type, SKOS.Concept):
        scheme = vocabulary.value(concept, SKOS.inScheme)
        assert (scheme, RDF.type, SKOS.ConceptScheme) in vocabulary, concept
        classes = [
            c for c in vocabulary.objects(concept, RDF.type)
            if (c, RDFS.subClassOf, SKOS.Concept) in vocabulary
        ]
        assert len(classes) == 1, f"{concept} needs exactly one concept class"


def test_every_node_shape_targets_a_declared_class() -> None:
    vocabulary, shapes = _vocabulary(), _shapes()
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert node_shapes
    targeted = set()
    for shape in node_shapes:
        targets = list(shapes.objects(shape, SH.targetClass))
        assert len(targets) == 1, f"{shape} needs one sh:targetClass"
        assert (targets[0], RDF.type, OWL.Class) in vocabulary, f"{targets[0]} is not declared"
        assert shape == URIRef(f"{targets[0]}Shape"), f"{shape} should be named {targets[0]}Shape"
        targeted.add(targets[0])
    classes = {c for c in vocabulary.subjects(RDF.type, OWL.Class) if str(c).startswith(str(KG))}
    assert sorted(_local(c) for c in classes - targeted) == [], "classes without a shape"


def test_every_property_shape_is_named_and_has_a_message() -> None:
    shapes = _shapes()
    used = set(shapes.objects(None, SH.property))
    declared = set(shapes.subjects(RDF.type, SH.PropertyShape))
    assert used and used <= declared
    for shape in declared:
        assert not isinstance(shape, BNode), "property shapes must be named"
        owner = next(shapes.subjects(SH.property, shape))
        path = shapes.value(shape, SH.path)
        assert isinstance(path, URIRef), f"{shape} needs an IRI sh:path"
        local = re.split(r"[#/]", str(path))[-1]
        assert shape == URIRef(f"{owner}-{local}"), f"{shape} should be named {owner}-{local}"
        assert shapes.value(shape, SH.message) is not None, f"{shape} lacks sh:message"


def test_every_sparql_constraint_is_named_and_complete() -> None:
    shapes = _shapes()
    constraints = set(shapes.objects(None, SH.sparql))
    assert constraints
    for constraint in constraints:
        assert isinstance(constraint, URIRef), "SPARQL constraints are named"
        assert (constraint, RDF.type, SH.SPARQLConstraint) in shapes
        assert shapes.value(constraint, SH.select) is not None
        assert shapes.value(constraint, SH.message) is not None
        assert shapes.value(constraint, SH.prefixes) == ONTOLOGY_IRI
    declared = {str(shapes.value(d, SH.prefix)) for d in shapes.objects(ONTOLOGY_IRI, SH.declare)}
    assert {"kg", "xsd"} <= declared


def test_every_kg_property_in_shapes_is_a_declared_property() -> None:
    vocabulary, shapes = _vocabulary(), _shapes()
    properties = {s for t in PROPERTY_TYPES for s in vocabulary.subjects(RDF.type, t)}
    paths = {p for p in shapes.objects(None, SH.path) if str(p).startswith(str(KG))}
    assert paths
    assert sorted(_local(p) for p in paths - properties) == []


def test_concept_valued_properties_list_their_scheme() -> None:
    """Every sh:in lists exactly the concepts of the property's range class."""
    vocabulary, shapes = _vocabulary(), _shapes()
    from rdflib.collection import Collection

    for shape, head in shapes.subject_objects(SH["in"]):
        path = shapes.value(shape, SH.path)
        listed = set(Collection(shapes, head))
        range_class = vocabulary.value(path, RDFS.range)
        members = set(vocabulary.subjects(RDF.type, range_class))
        assert listed == members, f"{shape}: sh:in differs from the instances of {range_class}"
