"""The server's request reading, read-only checks, negotiation and result writers, without a
server (the end-to-end behaviour is in test_server.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

from kg.config import Settings
from kg.server import formats, guard, results
from kg.server.options import ServeOptions
from kg.server.protocol import parse_request
from kg.server.replies import Problem

OPTIONS = ServeOptions(Settings(root=Path("/nonexistent")), Path("/nonexistent/store"))


def problem(call: object, *args: object) -> Problem:
    with pytest.raises(Problem) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
    "select * where { service silent ?endpoint { ?s ?p ?o } }",
    r"SELECT * WHERE { \u0053\u0045RVICE <http://x/> { ?s ?p ?o } }",
    r"SELECT * WHERE { \U00000053ERVICE <http://x/> { ?s ?p ?o } }",
    "ASK {FILTER NOT EXISTS{SERVICE<http://x/>{?s ?p ?o}}}",
    "SELECT * WHERE { ?a ?b ?c } # a comment\nSERVICE",
])
def test_service_is_found_however_it_is_written(text: str) -> None:
    assert problem(guard.refuse_service, text).status == 403


@pytest.mark.parametrize("text", [
    "SELECT ?service WHERE { ?service ?p ?o }",
    'SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" }',
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
    "PREFIX SERVICE: <http://x/> SELECT * WHERE { ?s SERVICE:p ?o }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/>",
    "SELECT * WHERE { ?s ?p '''SERVICE\n<http://x/>''' }",
])
def test_service_in_names_strings_iris_and_comments_is_not_a_keyword(text: str) -> None:
    guard.refuse_service(text)


@pytest.mark.parametrize("text, named", [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA"),
    ("PREFIX a: <urn:a:> DELETE DATA { a:x a:y a:z }", "DELETE DATA"),
    ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "DELETE/INSERT"),
    ("LOAD SILENT <http://example.org/x.ttl> INTO GRAPH <urn:g>", "LOAD"),
    ("CLEAR DEFAULT ; DROP SILENT GRAPH <urn:g>", "CLEAR, DROP"),
])
def test_an_update_is_refused_with_its_operations(text: str, named: str) -> None:
    refused = guard.syntax_problem(text, "oxigraph: expected SELECT")
    assert refused.status == 403
    assert str(refused) == f"{guard.READ_ONLY} (this request holds {named})"


def test_a_broken_update_is_still_called_an_update() -> None:
    refused = guard.syntax_problem("PREFIX a: <urn:a:>\nINSERT DATA { a:x", "error")
    assert refused.status == 403 and "starts with INSERT" in str(refused)


def test_a_malformed_query_is_400_on_one_line() -> None:
    malformed = guard.syntax_problem("SELECT * WHERE {", "error at 1:17:\n expected }")
    assert malformed.status == 400
    assert str(malformed) == "malformed query: error at 1:17: expected }"


def test_from_is_seen_only_as_a_keyword() -> None:
    assert guard.has_dataset_clause("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }")
    assert not guard.has_dataset_clause('SELECT ?from WHERE { ?from ?p "FROM" }')


def test_protocol_forms() -> None:
    get = parse_request("GET", None, [("query", "ASK {}"), ("default-graph-uri", "urn:g")], b"",
                        OPTIONS)
    assert (get.query, get.default_graphs) == ("ASK {}", ("urn:g",))
    form = parse_request("POST", "application/x-www-form-urlencoded; charset=utf-8", [],
                         b"query=ASK+%7B%7D&named-graph-uri=urn%3Ag", OPTIONS)
    assert (form.query, form.named_graphs) == ("ASK {}", ("urn:g",))
    direct = parse_request("POST", "application/sparql-query", [("default-graph-uri", "urn:g")],
                           "ASK { ?s ?p \"é\" }".encode(), OPTIONS)
    assert direct.query == 'ASK { ?s ?p "é" }' and direct.default_graphs == ("urn:g",)
    assert parse_request("GET", None, [], b"", OPTIONS).query is None  # service description


@pytest.mark.parametrize("method, kind, items, body, status", [
    ("POST", "application/sparql-update", [], b"DROP ALL", 403),
    ("POST", "application/x-www-form-urlencoded", [], b"update=DROP+ALL", 403),
    ("GET", None, [("update", "DROP ALL")], b"", 403),
    ("POST", "application/x-www-form-urlencoded", [], b"", 400),
    ("POST", "application/sparql-query", [("query", "ASK {}")], b"ASK {}", 400),
    ("POST", "application/sparql-query", [], b"\xff", 400),
    ("POST", "text/plain", [], b"ASK {}", 415),
    ("DELETE", None, [], b"", 405),
    ("GET", None, [("query", "x" * 100_001)], b"", 413),
    ("GET", None, [("query", "ASK {}"), ("named-graph-uri", "<urn:g>")], b"", 400),
])
def test_protocol_refusals(method: str, kind: str | None, items: list[tuple[str, str]],
                           body: bytes, status: int) -> None:
    assert problem(parse_request, method, kind, items, body, OPTIONS).status == status


def test_negotiation_follows_q_values_and_falls_back() -> None:
    assert formats.negotiate(None, formats.RDF).key == "turtle"
    assert formats.negotiate("application/n-triples;q=0.9, text/turtle;q=0.2",
                             formats.RDF).key == "nt"
    assert formats.negotiate("text/*;q=0.5, text/tab-separated-values",
                             formats.RESULTS).key == "tsv"
    assert formats.negotiate("application/json", formats.RDF).key == "jsonld"
    assert problem(formats.negotiate, "text/html", formats.RESULTS).status == 406


@pytest.fixture
def solutions() -> ox.QuerySolutions:
    store = ox.Store()
    graph = ox.NamedNode("urn:g")
    s = ox.NamedNode("urn:s")
    for value in (ox.Literal('a "quoted"\ttab\nline'), ox.Literal("x", language="en"),
                  ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                  ox.BlankNode("b1"), ox.NamedNode("urn:o")):
        store.add(ox.Quad(s, ox.NamedNode("urn:p"), value, graph))
    return store.query("SELECT ?s ?o ?none WHERE { ?s ?p ?o } ORDER BY STR(?o)",
                       use_default_graph_as_union=True)


@pytest.mark.parametrize("key", ["json", "xml", "tsv"])
def test_result_writers_read_back_with_rdflib(solutions: ox.QuerySolutions, key: str) -> None:
    reply = results.select_reply(solutions, formats.by_key(key, formats.RESULTS), 10)
    parsed = Result.parse(io.BytesIO(reply.body), format=key)
    objects = {row[1] for row in parsed}  # type: ignore[index]
    assert {Literal('a "quoted"\ttab\nline'), Literal("x", lang="en"),
            Literal(2), URIRef("urn:o")} <= objects
    assert any(isinstance(o, BNode) for o in objects)
    assert all(row[2] is None for row in parsed)  # type: ignore[index]
    assert reply.headers["X-KG-Truncated"] == "false"


def test_a_cut_result_says_so(solutions: ox.QuerySolutions) -> None:
    reply = results.select_reply(solutions, formats.by_key("xml", formats.RESULTS), 2)
    assert reply.headers == {"X-KG-Truncated": "true", "X-KG-Row-Limit": "2"}
    assert b"truncated" in reply.body
    assert len(Result.parse(io.BytesIO(reply.body), format="xml")) == 2


def test_a_worker_opens_the_generation_the_pool_serves(tmp_project: Path) -> None:
    from kg.building import build_persistent, current_generation
    from kg.server.worker import open_store

    settings = Settings(root=tmp_project)
    path = tmp_project / "build" / "store"
    (tmp_project / "data" / "a.ttl").write_text("<urn:a> <urn:b> 1 .\n", encoding="utf-8")
    build_persistent(settings, path, progress=False)
    served = str(current_generation(path))
    (tmp_project / "data" / "a.ttl").write_text("<urn:a> <urn:b> 2 .\n", encoding="utf-8")
    build_persistent(settings, path, progress=False)  # a newer generation, while serving
    options = ServeOptions(settings, path)
    pinned, current = open_store(options, served), open_store(options, None)
    try:
        assert str(pinned.path) == served
        assert str(current.path) == str(current_generation(path)) != served
        ask = "ASK { <urn:a> <urn:b> 1 }"
        assert pinned.ask(ask) and not current.ask(ask)
    finally:
        pinned.close()
        current.close()
