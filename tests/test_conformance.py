"""One conformance suite, every backend: the same answers as the rdflib reference.

Backends: Oxigraph in memory, Oxigraph on disk (built by ``kg.building``), rdflib, and the
``sparql`` store against a real Oxigraph server and a real Virtuoso, both started by the suite
(``tests/servers.py``; skipped locally when not installed, a failure in CI).

The fixture project is a temporary copy of ``ontology/`` and ``queries/`` with
``tests/fixtures/conformance/core.ttl`` (every conflict pattern; quotes, newlines, ``>``,
language tags, non-ASCII, dates, integers) and a generated file of more than 12,000 triples, so
that a server cutting results at 10,000 rows (Virtuoso's default) cannot pass.

Terms are compared as RDF terms, with two documented engine normalisations folded on both sides:
blank-node labels (never comparable across stores) and Oxigraph's canonical numeric form
(``"007"^^xsd:integer`` → ``"7"``, ``xsd:nonNegativeInteger`` → ``xsd:integer``: oxigraph issue
#526). Language tags compare case-insensitively (BCP 47; both servers lowercase them).
``GROUP_CONCAT`` columns compare as multisets of their parts (the order is engine-defined).
"""

from __future__ import annotations

import http.server
import json
import re
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.config import Settings
from kg.errors import QueryError, StoreError
from kg.loading import load_graph
from kg.namespaces import KG, KGD
from kg.queries import NamedQuery, list_queries, run_query
from kg.stores import SelectResult, Store, build_store
from kg.stores.rdflib_store import RdflibStore
from kg.stores.sparql_store import SparqlStore, derive_endpoints, make_literal

from .servers import Server, free_port, oxigraph_server, virtuoso_server  # noqa: F401

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "conformance"
BACKENDS = ["oxigraph-memory", "oxigraph-disk", "rdflib", "sparql-oxigraph", "sparql-virtuoso"]
TRICKY = 'He said "no comment"\nthen left > 2014.'

pytestmark = [
    pytest.mark.servers,
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]

INTEGER_TYPES = {
    str(XSD[t]) for t in (
        "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
        "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort",
        "unsignedByte",
    )
}


# --- the fixture project ------------------------------------------------------------------------

BULK = "http://example.org/bulk/"


def generate(target: Path, subjects: int = 2600) -> int:
    """Deterministic bulk data outside the kg vocabulary (so the named queries, the conflict
    finder and the shapes ignore it and the rdflib reference stays fast), with every literal
    shape at volume: plain, quoted, multi-line, language-tagged, dates, integers. Returns the
    triple count (5 per subject)."""
    lines = [
        f"@prefix b: <{BULK}> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
    ]
    for i in range(subjects):
        day = f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        lines.append(
            f'b:s{i:05d} b:label "bulk {i}" ; b:note "line one \\"{i}\\"\\nline > two" ; '
            f'b:title "titre {i}"@fr ; b:day "{day}"^^xsd:date ; b:n {i * 7 % 1000} .'
        )
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return subjects * 5


def make_project(root: Path) -> Settings:
    shutil.copytree(REPO / "ontology", root / "ontology")
    if (REPO / "queries").is_dir():
        shutil.copytree(REPO / "queries", root / "queries")
    else:
        (root / "queries").mkdir()
    data = root / "data"
    data.mkdir()
    shutil.copy(FIXTURE / "core.ttl", data / "core.ttl")
    assert generate(data / "generated.ttl") >= 12_000
    return Settings(root=root)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_project(tmp_path_factory.mktemp("conformance"))


@pytest.fixture(scope="module")
def dataset(project: Settings) -> Dataset:
    return load_graph(project)


@pytest.fixture(scope="module")
def reference(dataset: Dataset) -> RdflibStore:
    from kg.derived import refresh_totals

    store = RdflibStore(dataset)
    refresh_totals(store)  # the derived contribution totals, as build_store adds them
    return store


@pytest.fixture(scope="module")
def reference_cache() -> dict[str, Any]:
    return {}


@pytest.fixture(scope="module", params=BACKENDS)
def store(
    request: pytest.FixtureRequest, project: Settings, dataset: Dataset,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Store]:
    kind = request.param
    if kind == "oxigraph-memory":
        built: Store = build_store(project.with_store("oxigraph"), dataset)
    elif kind == "oxigraph-disk":
        from kg.building import build_persistent, open_persistent

        path = tmp_path_factory.mktemp("disk") / "store"
        build_persistent(project, path, progress=False)
        built = open_persistent(path)
    elif kind == "rdflib":
        built = build_store(project.with_store("rdflib"), dataset)
    else:
        server: Server = request.getfixturevalue(kind.removeprefix("sparql-") + "_server")
        server.store().clear()
        built = build_store(server.settings(project.root), dataset)
    yield built
    built.close()


# --- comparing answers --------------------------------------------------------------------------

def canon(term: Node | None) -> tuple[str, ...]:
    """A comparable key for a term (see the module notes for what is folded)."""
    if term is None:
        return ("unbound",)
    if isinstance(term, BNode):
        return ("bnode",)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else ""
        lexical = str(term)
        if datatype in INTEGER_TYPES:
            try:
                return ("literal", str(int(lexical)), "", str(XSD.integer))
            except ValueError:
                pass
        if datatype == str(XSD.decimal):
            try:
                return ("literal", str(Decimal(lexical).normalize()), "", datatype)
            except InvalidOperation:
                pass
        if datatype == str(XSD.boolean):
            lexical = {"1": "true", "0": "false"}.get(lexical, lexical)
        return ("literal", lexical, (term.language or "").lower(), datatype)
    return ("other", repr(term))


def concat_columns(query_text: str) -> dict[str, str]:
    """Columns made by GROUP_CONCAT, with their separator."""
    found = {}
    for m in re.finditer(
        r"GROUP_CONCAT\s*\((?P<body>.*?)\)\s+AS\s+\?(?P<col>\w+)", query_text, re.I | re.S
    ):
        sep = re.search(r'separator\s*=\s*"((?:[^"\\]|\\.)*)"', m.group("body"), re.I)
        found[m.group("col")] = sep.group(1) if sep else " "
    return found


def row_key(row: dict[str, Node | None], columns: list[str], concat: dict[str, str]) -> tuple:
    key = []
    for c in columns:
        term = row.get(c)
        if c in concat and isinstance(term, Literal):
            parts = sorted(p for p in str(term).split(concat[c]))
            key.append(("concat", *parts))
        else:
            key.append(canon(term))
    return tuple(key)


def rows_of(result: SelectResult, query_text: str = "") -> list[tuple]:
    concat = concat_columns(query_text)
    columns = sorted(result.columns)
    return sorted(row_key(r, columns, concat) for r in result.rows)


def triples_of(graph: Graph) -> Counter[tuple]:
    return Counter((canon(s), canon(p), canon(o)) for s, p, o in graph)


def answer(store: Store, query: NamedQuery, params: dict[str, str]) -> Any:
    result = run_query(store, query, params)
    if isinstance(result, SelectResult):
        return sorted(result.columns), rows_of(result, query.text)
    if isinstance(result, Graph):
        return triples_of(result)
    return result


# --- named queries --------------------------------------------------------------------------------

PARAMS_BY_NAME = {
    "as_of": "2014-12-15", "year": "2014", "fact": "kgd:transfer-symantec-clouding",
    "entity": "kgd:symantec", "component": "kgd:swift", "foundation": "kgd:openstack-foundation",
}
PARAMS_BY_TYPE = {
    "iri": "kgd:symantec", "date": "2014-12-15", "string": "Clouding", "integer": "10",
    "decimal": "1.5", "boolean": "true",
}


def params_for(query: NamedQuery) -> dict[str, str]:
    """Values for the parameters that have no default."""
    return {
        p.name: PARAMS_BY_NAME.get(p.name, PARAMS_BY_TYPE[p.type])
        for p in query.params if p.default is None
    }


def _query_names() -> list[str]:
    try:
        return [q.name for q in list_queries(Settings(root=REPO))]
    except Exception:  # a broken header is test_queries' business, not ours
        return []


QUERY_NAMES = _query_names() or ["(none yet)"]


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_named_query(
    store: Store, reference: RdflibStore, project: Settings, reference_cache: dict[str, Any],
    name: str,
) -> None:
    queries = {q.name: q for q in list_queries(project)}
    if name not in queries:
        pytest.skip(f"no named query {name!r} in this checkout")
    query = queries[name]
    params = params_for(query)
    key = f"query:{name}"
    if key not in reference_cache:
        reference_cache[key] = answer(reference, query, params)
    assert answer(store, query, params) == reference_cache[key]


# --- the store seam itself ---------------------------------------------------------------------

def test_size_and_graphs(store: Store, reference: RdflibStore) -> None:
    assert len(store) == len(reference)
    assert list(store.graph_names()) == list(reference.graph_names())


def test_select_beyond_10000_rows(store: Store, reference: RdflibStore) -> None:
    predicates = " ".join(f"<{BULK}{p}>" for p in ("label", "note", "title", "day", "n"))
    query = f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {predicates} }} ?s ?p ?o }}"
    got = store.select(query)
    assert len(got) >= 12_000
    assert rows_of(got) == rows_of(reference.select(query))


def test_whole_graph_select(store: Store, reference: RdflibStore) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    got = rows_of(store.select(query))
    assert len(got) == len(reference)  # no server triples leak in (Virtuoso's system graphs)
    assert got == rows_of(reference.select(query))


def test_ask(store: Store) -> None:
    assert store.ask("PREFIX kgd: <https://w3id.org/kg/id/> ASK { kgd:symantec ?p ?o }")
    assert not store.ask("ASK { ?s <http://www.openlinksw.com/schemas/virtrdf#qmTableName> ?o }")
    assert not store.ask("PREFIX kgd: <https://w3id.org/kg/id/> ASK { kgd:nobody ?p ?o }")


def test_construct(store: Store, reference: RdflibStore) -> None:
    query = (
        "PREFIX kg: <https://w3id.org/kg/ontology#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "CONSTRUCT { ?s rdfs:label ?l ; kg:note ?n }\n"
        "WHERE { ?s rdfs:label ?l OPTIONAL { ?s kg:note ?n } }"
    )
    got = store.construct(query)
    assert len(got) > 40
    assert triples_of(got) == triples_of(reference.construct(query))


def test_binding_with_quote_newline_and_angle_bracket(store: Store) -> None:
    query = "PREFIX kg: <https://w3id.org/kg/ontology#>\nSELECT ?who WHERE { ?who kg:note ?note }"
    got = store.select(query, {"note": Literal(TRICKY)})
    assert [r["who"] for r in got] == [KGD["clouding-ip"]]
    ask = "PREFIX kg: <https://w3id.org/kg/ontology#>\nASK { ?who kg:note ?note }"
    assert not store.ask(ask, {"note": Literal(TRICKY + " }")})
    label = store.select(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?s WHERE { ?s rdfs:label ?l }",
        {"l": Literal("Platine", lang="fr")},
    )
    assert [r["s"] for r in label] == [KGD["openstack-foundation-platinum"]]


def test_typed_literals_come_back_as_rdflib_terms(store: Store) -> None:
    query = (
        "PREFIX kg: <https://w3id.org/kg/ontology#>\nPREFIX kgd: <https://w3id.org/kg/id/>\n"
        "SELECT ?start ?fee ?label ?official WHERE { kgd:m-symantec kg:startDate ?start ; "
        "kg:annualFee ?fee . kgd:symantec <http://www.w3.org/2000/01/rdf-schema#label> ?label . "
        "kgd:seat-oracle kg:official ?official }"
    )
    (row,) = store.select(query).rows
    assert row["start"] == Literal("2014-12-01", datatype=XSD.date)
    assert row["label"] == Literal("Symantec") and row["label"].datatype is None  # type: ignore[union-attr]
    assert canon(row["fee"]) == canon(Literal("50000.5", datatype=XSD.decimal))
    assert row["official"] == Literal(False)


def test_to_graph(store: Store, reference: RdflibStore) -> None:
    graph = store.to_graph()
    artefacts = [o for o in graph.objects() if isinstance(o, Literal) and o.datatype == XSD.string]
    assert artefacts == []  # "x"^^xsd:string would be a different term for rdflib and pySHACL
    assert triples_of(graph) == triples_of(reference.to_graph())


def test_validation_report(
    store: Store, reference: RdflibStore, project: Settings, reference_cache: dict[str, Any]
) -> None:
    from kg.validation import split_ontology, validate

    vocabulary, shapes = split_ontology(project)
    if not len(shapes):
        pytest.skip("no shapes in ontology/ yet")

    def results(s: Store) -> list[str]:
        graph = s.to_graph()
        for triple in [t for t in graph if str(t[1]).startswith(BULK)]:
            graph.remove(triple)  # outside the shapes' vocabulary: only slows pySHACL down
        report = validate(graph, shapes=shapes, vocabulary=vocabulary)
        return sorted(
            json.dumps([str(canon(v)) for v in (r.focus_node, r.path, r.value, r.source_shape)]
                       + [r.message, r.severity, str(r.constraint)])
            for r in report.results
        )

    if "validation" not in reference_cache:
        reference_cache["validation"] = results(reference)
    assert results(store) == reference_cache["validation"]


def test_conflict_findings(
    store: Store, reference: RdflibStore, project: Settings, reference_cache: dict[str, Any]
) -> None:
    try:
        from kg.conflicts import find_conflicts  # type: ignore[import-not-found]
    except ImportError:
        pytest.skip("kg.conflicts is not written yet")

    def findings(s: Store) -> list[str]:
        return sorted(json.dumps(f.to_dict(), sort_keys=True) for f in find_conflicts(s, project))

    if "conflicts" not in reference_cache:
        reference_cache["conflicts"] = findings(reference)
        assert reference_cache["conflicts"], "the fixture should produce conflict findings"
    assert findings(store) == reference_cache["conflicts"]


# --- the remote store's own protocol details (real servers) ---------------------------------------

@pytest.fixture(params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest) -> Server:
    return request.getfixturevalue(f"{request.param}_server")


def test_sparql_form_post_for_long_queries(
    server: Server, project: Settings, dataset: Dataset, reference: RdflibStore
) -> None:
    remote = server.store(max_get_url=0)  # every query as a form POST
    query = f"SELECT ?s ?n WHERE {{ ?s <{BULK}n> ?n }}"
    if rows_of(remote.select(query)) != rows_of(reference.select(query)):
        # run on its own (or after a test that left other graphs), the server lacks the project
        build_store(server.settings(project.root), dataset)
        remote = server.store(max_get_url=0)
    assert rows_of(remote.select(query)) == rows_of(reference.select(query))
    assert remote.ask("ASK { ?s ?p ?o }")


def test_sparql_load_file_and_drop(server: Server, tmp_path: Path) -> None:
    remote = server.store()
    name = "urn:kg:file:test/load-file.ttl"
    source = tmp_path / "x.ttl"
    source.write_text(
        '@prefix ex: <http://example.org/> .\n'
        'ex:a ex:p "é \\"q\\"\\n>" , "t"@en-GB , 7 ; ex:q [ ex:r 1 ] .\n',
        encoding="utf-8",
    )
    before = len(remote)
    remote.load_file(source, name)
    try:
        assert name in remote.graph_names()
        assert len(remote) == before + 5
        rows = remote.select("SELECT ?o WHERE { <http://example.org/a> <http://example.org/p> ?o }")
        assert {canon(r["o"]) for r in rows} == {
            canon(Literal('é "q"\n>')), canon(Literal("t", lang="en-gb")), canon(Literal(7)),
        }
        remote.load_file(source, name)  # replacing, not adding
        assert len(remote) == before + 5
    finally:
        remote.drop_graph(name)
    assert name not in remote.graph_names() and len(remote) == before


def test_sparql_syntax_error_is_a_query_error(server: Server) -> None:
    with pytest.raises(QueryError) as caught:
        server.store().select("SELEC nothing")
    assert server.endpoint in str(caught.value)


# --- protocol details without a server ----------------------------------------------------------

class _Fake(http.server.BaseHTTPRequestHandler):
    """Answers like a Virtuoso that cut its results, or fails, or hangs."""

    mode = "cut"

    def do_GET(self) -> None:  # noqa: N802
        if self.mode == "cut":
            body = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": []}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("X-SPARQL-MaxRows", "10000")
        elif self.mode == "hang":
            time.sleep(2)
            return
        else:
            body = ("Virtuoso 42000 Error " + "x" * 1000).encode()
            self.send_response(500)
            self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_server() -> Iterator[tuple[str, type[_Fake]]]:
    handler = type("Handler", (_Fake,), {})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/sparql", handler
    httpd.shutdown()
    httpd.server_close()


def test_cut_results_are_an_error_not_silence(fake_server: tuple[str, type[_Fake]]) -> None:
    url, handler = fake_server
    handler.mode = "cut"
    with pytest.raises(StoreError, match="cut the results at 10000 rows"):
        SparqlStore(url, graph="urn:x").select("SELECT ?s WHERE { ?s ?p ?o }")


def test_server_errors_name_the_url_and_quote_the_server(
    fake_server: tuple[str, type[_Fake]],
) -> None:
    url, handler = fake_server
    handler.mode = "fail"
    with pytest.raises(StoreError) as caught:
        SparqlStore(url, graph="urn:x").ask("ASK {}")
    message = str(caught.value)
    assert url in message and "HTTP 500" in message and "Virtuoso 42000 Error" in message
    assert len(message) < 500


def test_client_timeout(fake_server: tuple[str, type[_Fake]]) -> None:
    url, handler = fake_server
    handler.mode = "hang"
    started = time.monotonic()
    with pytest.raises(StoreError, match="no answer within"):
        SparqlStore(url, graph="urn:x", timeout=0.3).ask("ASK {}")
    assert time.monotonic() - started < 1.5


def test_unreachable_server() -> None:
    with pytest.raises(StoreError, match="cannot connect"):
        SparqlStore(f"http://127.0.0.1:{free_port()}/query", timeout=2).ask("ASK {}")


def test_endpoint_detection() -> None:
    assert derive_endpoints("http://h:7878/query") == (
        "http://h:7878/update", "http://h:7878/store", "graph")
    assert derive_endpoints("http://h:8890/sparql") == (
        "http://h:8890/sparql", "http://h:8890/sparql-graph-crud", "graph-uri")
    store = SparqlStore("http://u:p%40ss@h:8890/sparql")
    assert store.endpoint == "http://h:8890/sparql" and store._auth  # noqa: SLF001
    crud = SparqlStore("http://h/x", graph_store_endpoint="http://h/sparql-graph-crud")
    assert crud.graph_param == "graph-uri"


def test_literal_rules() -> None:
    assert make_literal("x", None, str(XSD.string)) == Literal("x")
    assert make_literal("x", None, str(XSD.string)).datatype is None
    assert make_literal("1", None, str(XSD.boolean)) == Literal(True)
    assert make_literal("t", "en-gb", None).language == "en-gb"
    assert make_literal("5", None, str(XSD.integer)) == Literal(5)
    assert KG.Membership  # the vocabulary namespace is the one the fixture uses
