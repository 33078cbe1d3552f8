"""Parameters are bound as RDF terms in a VALUES block, never pasted as text."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import QueryError
from kg.stores.binding import with_values
from kg.stores.oxigraph_store import OxigraphStore
from kg.stores.rdflib_store import RdflibStore

HOSTILE = ['a"b', "line\nbreak", "close } brace", "x> <y", "back\\slash", "'single'", 'tri"""ple']


@pytest.mark.parametrize("store_cls", [OxigraphStore, RdflibStore])
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_strings_round_trip(store_cls, value):  # type: ignore[no-untyped-def]
    store = store_cls()
    result = store.select("SELECT ?v ?len WHERE { BIND(STRLEN(?v) AS ?len) }",
                          {"v": Literal(value)})
    assert [str(r["v"]) for r in result] == [value]
    assert int(result.rows[0]["len"]) == len(value)  # type: ignore[arg-type]


def test_block_goes_into_the_outer_where_group_not_the_construct_template():
    query = 'CONSTRUCT { ?s <http://x/p> "{" } WHERE { ?s ?p ?o }'
    bound = with_values(query, {"o": URIRef("http://x/o")})
    assert bound.startswith('CONSTRUCT { ?s <http://x/p> "{" } WHERE { VALUES (?o)')


def test_hashes_in_iris_and_braces_in_comments_are_skipped():
    query = "PREFIX a: <http://x/#frag>\n# { not a group\nSELECT * { ?s ?p ?o }"
    bound = with_values(query, {"p": URIRef("http://x/p")})
    assert "SELECT * { VALUES (?p)" in bound


def test_dates_compare_after_binding():
    store = OxigraphStore()
    q = ('SELECT ?ok WHERE { BIND(?d <= "2014-12-22"^^<http://www.w3.org/2001/XMLSchema#date> '
         'AS ?ok) }')
    row = store.select(q, {"d": Literal("2014-07-28", datatype=XSD.date)}).rows[0]
    assert row["ok"].toPython() is True  # type: ignore[union-attr]


def test_bad_variable_name_is_refused():
    with pytest.raises(QueryError):
        with_values("SELECT * { ?s ?p ?o }", {"o) } DROP ALL #": Literal(1)})


@pytest.mark.parametrize("store_cls", [OxigraphStore, RdflibStore])
def test_one_parameter_may_take_several_values(store_cls):  # type: ignore[no-untyped-def]
    store = store_cls()
    values = (Literal("a"), Literal('b"'), Literal("c\n"))
    result = store.select("SELECT ?v ?k WHERE { }", {"v": values, "k": Literal(1)})
    assert sorted(str(r["v"]) for r in result) == ["a", 'b"', "c\n"]
    assert {int(r["k"]) for r in result} == {1}  # type: ignore[arg-type]
    assert len(store.select("SELECT ?v WHERE { }", {"v": ()})) == 0


def test_only_one_parameter_may_take_several_values():
    with pytest.raises(QueryError, match="only one parameter"):
        with_values("SELECT * { }", {"a": (Literal(1),), "b": (Literal(2),)})
