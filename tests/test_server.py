"""``kg serve`` as its users meet it: a real server in a subprocess, driven over HTTP, by
SPARQLWrapper and by rdflib's SPARQLStore, on the repository's curated graph."""

from __future__ import annotations

import contextlib
import io
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.error import HTTPError

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from kg.building import build_persistent, open_persistent, read_manifest
from kg.cli import main
from kg.config import Settings
from kg.namespaces import SD
from kg.project import TOTALS_GRAPH
from kg.stores.oxigraph_store import OxigraphStore

from .conftest import ROOT, run_kg
from .serving import Running, kg_server

ROW_LIMIT = 200
TIMEOUT = 3.0
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LABELS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX kg: <https://w3id.org/kg/ontology#>
SELECT ?s ?label WHERE { ?s a kg:Lawsuit ; rdfs:label ?label } ORDER BY ?s"""
CONSTRUCT = """PREFIX kg: <https://w3id.org/kg/ontology#>
CONSTRUCT { ?m ?p ?o } WHERE { ?m a kg:Membership ; ?p ?o } ORDER BY ?m LIMIT 60"""


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "store"
    build_persistent(Settings(root=ROOT), path, progress=False)
    return path


@pytest.fixture(scope="module")
def server(store_path: Path) -> Iterator[Running]:
    with kg_server(store_path, "--timeout", str(TIMEOUT), "--row-limit", str(ROW_LIMIT),
                   "--workers", "2", "--no-build") as running:
        yield running


@pytest.fixture(scope="module")
def local(store_path: Path) -> Iterator[OxigraphStore]:
    """The same store opened in-process, read-only: the answers to compare with."""
    store = open_persistent(store_path)
    yield store
    store.close()


def get(server: Running, query: str, accept: str | None = None, **params: str) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return httpx.get(server.sparql, params={"query": query, **params}, headers=headers,
                     timeout=30)


def parsed_rows(body: bytes, fmt: str) -> set[tuple[object, ...]]:
    result = Result.parse(io.BytesIO(body), format=fmt)
    return {tuple(row) for row in result}  # type: ignore[arg-type]


# --- the SPARQL 1.1 Protocol -------------------------------------------------------------

@pytest.mark.parametrize("accept, fmt", [
    ("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"), ("text/tab-separated-values", "tsv"),
])
def test_select_in_every_results_format_reads_back(server: Running, local: OxigraphStore,
                                                    accept: str, fmt: str) -> None:
    response = get(server, LABELS, accept)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept)
    rows = parsed_rows(response.content, fmt)
    expected = {(r["s"], r["label"]) for r in local.select(LABELS)}
    if fmt == "csv":  # CSV carries no term types (rdflib guesses IRIs): compare the text
        rows = {tuple(str(t) for t in row) for row in rows}
        expected = {tuple(str(t) for t in row) for row in expected}
    assert rows == expected and len(rows) > 20


@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
])
def test_construct_in_every_rdf_format_reads_back(server: Running, local: OxigraphStore,
                                                  accept: str, fmt: str) -> None:
    response = get(server, CONSTRUCT, accept)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.content, format=fmt)
    assert set(graph) == set(local.construct(CONSTRUCT)) and len(graph) == 60


def test_ask_and_describe(server: Running) -> None:
    yes = get(server, "ASK { ?s a <https://w3id.org/kg/ontology#Lawsuit> }")
    assert yes.json()["boolean"] is True
    no = get(server, "ASK { <urn:nothing> ?p ?o }", "application/sparql-results+xml")
    assert Result.parse(io.BytesIO(no.content), format="xml").askAnswer is False
    described = get(server, "DESCRIBE <https://w3id.org/kg/id/symantec>", "text/turtle")
    graph = Graph().parse(data=described.content, format="turtle")
    assert (URIRef("https://w3id.org/kg/id/symantec"), None, None) in graph


def test_post_forms_and_the_query_own_dataset(server: Running) -> None:
    form = httpx.post(server.sparql, data={"query": "ASK { ?s ?p ?o }"}, timeout=10)
    direct = httpx.post(server.sparql, content="ASK { ?s ?p ?o }",
                        headers={"Content-Type": "application/sparql-query"}, timeout=10)
    assert form.json()["boolean"] is True and direct.json()["boolean"] is True


def count(server: Running, query: str, **params: str | list[str]) -> int:
    response = httpx.get(server.sparql, params={"query": query, **params}, timeout=10)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def derived(server: Running) -> int:
    """Triples of the derived contribution totals (kg.derived) the build added."""
    return count(server, f"SELECT (COUNT(*) AS ?n) FROM <{TOTALS_GRAPH}> WHERE {{ ?s ?p ?o }}")


def test_default_and_named_graph_uri_choose_the_dataset(server: Running) -> None:
    files = read_manifest(server.store_path)
    ontology = files["ontology/kg.ttl"]
    total = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    everything = sum(e.triples for e in files.values()) + derived(server)
    assert count(server, total) == everything  # the default graph: the union of the files
    # and of the derived contribution totals
    assert count(server, total, **{"default-graph-uri": ontology.graph}) == ontology.triples
    own = f"SELECT (COUNT(*) AS ?n) FROM <{ontology.graph}> WHERE {{ ?s ?p ?o }}"
    assert count(server, own) == ontology.triples
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(server, graphs) == len(files) + 1  # + the derived totals
    two = [files["ontology/kg.ttl"].graph, files["data/curated/lawsuits.ttl"].graph]
    assert count(server, graphs, **{"named-graph-uri": two}) == 2


def test_service_description_without_a_query(server: Running, store_path: Path) -> None:
    response = httpx.get(server.sparql, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    service = graph.value(predicate=RDF.type, object=SD.Service)
    assert graph.value(service, SD.endpoint) == URIRef(server.sparql)
    assert set(graph.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}
    names = {str(n) for n in graph.objects(None, SD.name)}
    assert names == {e.graph for e in read_manifest(store_path).values()} | {TOTALS_GRAPH}


@pytest.mark.parametrize("request_args, status, words", [
    ({"params": {"query": "SELEC * WHERE { ?s ?p ?o }"}}, 400, "malformed query"),
    ({"params": {"query": "SELECT * WHERE { ?s ?p }"}}, 400, "malformed query"),
    ({"params": {"query": ["ASK {}", "ASK {}"]}}, 400, "exactly one 'query'"),
    ({"params": {"query": "  "}}, 400, "empty"),
    ({"method": "POST", "data": {"default-graph-uri": "urn:x"}}, 400, "missing 'query'"),
    ({"params": {"query": "ASK {}", "default-graph-uri": "not an iri"}}, 400, "absolute IRI"),
    ({"method": "POST", "content": "ASK {}", "headers": {"Content-Type": "text/plain"}}, 415,
     "application/sparql-query"),
    ({"method": "PUT", "content": "ASK {}"}, 405, "PUT"),
    ({"params": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}}, 406, "image/png"),
])
def test_bad_requests_get_the_protocol_status_and_one_line(
        server: Running, request_args: dict[str, object], status: int, words: str) -> None:
    args = dict(request_args)
    method = str(args.pop("method", "GET"))
    response = httpx.request(method, server.sparql, timeout=10, **args)  # type: ignore[arg-type]
    assert response.status_code == status
    assert words in response.text and response.text.count("\n") == 1
    assert "Traceback" not in response.text


# --- read-only --------------------------------------------------------------------------

UPDATES = [  # (the request, the operations the refusal names)
    ("INSERT DATA { <urn:kg:test:s> <urn:kg:test:p> <urn:kg:test:o> }", "INSERT DATA"),
    ("PREFIX ex: <urn:kg:test:>\nDELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
    ("DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "DELETE/INSERT"),
    ("LOAD <http://127.0.0.1:9/data.ttl>", "LOAD"),
    ("CLEAR ALL", "CLEAR"),
    ("DROP GRAPH <urn:kg:file:ontology/kg.ttl>", "DROP"),
    ("CREATE GRAPH <urn:kg:test:g>", "CREATE"),
    ("COPY DEFAULT TO <urn:kg:test:g>", "COPY"),
    ("MOVE DEFAULT TO <urn:kg:test:g>", "MOVE"),
    ("ADD DEFAULT TO <urn:kg:test:g>", "ADD"),
    ("INSERT DATA { <urn:kg:test:s> <urn:kg:test:p> 1 } ; DROP ALL", "INSERT DATA, DROP"),
]


@pytest.mark.parametrize("update, operations", UPDATES)
def test_every_update_is_refused_however_it_is_sent(server: Running, update: str,
                                                    operations: str) -> None:
    as_query = [
        httpx.get(server.sparql, params={"query": update}, timeout=10),
        httpx.post(server.sparql, data={"query": update}, timeout=10),
        httpx.post(server.sparql, content=update,
                   headers={"Content-Type": "application/sparql-query"}, timeout=10),
    ]
    as_update = [
        httpx.post(server.sparql, data={"update": update}, timeout=10),
        httpx.post(server.sparql, content=update,
                   headers={"Content-Type": "application/sparql-update"}, timeout=10),
    ]
    for response in as_query + as_update:
        assert response.status_code == 403, (update, response.text)
        assert "kg serve is read-only: SPARQL Update is refused" in response.text
    for response in as_query:  # parsed as an update, and its operations named
        assert f"(this request holds {operations})" in response.text


def test_the_data_is_unchanged_after_the_refused_updates(server: Running) -> None:
    assert get(server, "ASK { <urn:kg:test:s> ?p ?o }").json()["boolean"] is False
    assert count(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == sum(
        e.triples for e in read_manifest(server.store_path).values()) + derived(server)


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP port that records every connection made to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            seen.append(conn.recv(1024))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1], seen
    stop.set()
    thread.join(2)
    sock.close()


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "select * where {{ ?x ?y ?z OPTIONAL {{ service silent <http://127.0.0.1:{port}/> "
    "{{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE<http://127.0.0.1:{port}/>{{?s ?p ?o}} }} }}",
])
def test_service_is_refused_and_nothing_leaves_the_server(
        server: Running, listener: tuple[int, list[bytes]], template: str) -> None:
    port, seen = listener
    response = get(server, template.format(port=port))
    assert response.status_code == 403 and "SERVICE is refused" in response.text
    time.sleep(0.3)
    assert seen == []


def test_a_variable_or_iri_named_service_is_not_refused(server: Running) -> None:
    query = 'SELECT ?service WHERE { BIND(<urn:SERVICE> AS ?service) FILTER("SERVICE" != "") }'
    assert get(server, query).status_code == 200


# --- timeout and row limit -----------------------------------------------------------------

def test_the_timeout_stops_a_slow_query_while_others_are_served(server: Running) -> None:
    slow: dict[str, object] = {}

    def run_slow() -> None:
        started = slow["started"] = time.monotonic()
        slow["response"] = get(server, SLOW)
        slow["seconds"] = time.monotonic() - started
        slow["done"] = time.monotonic()

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    fast = get(server, "SELECT ?p ?o WHERE { <https://w3id.org/kg/id/symantec> ?p ?o }")
    fast_done = time.monotonic()
    thread.join(30)
    response = slow["response"]
    assert isinstance(response, httpx.Response)
    assert fast.status_code == 200
    print(f"fast answer in {fast_done - started:.2f} s while the slow query ran")
    # the other client's answer arrives before the slow query's timeout ends
    assert fast_done < slow["started"] + TIMEOUT  # type: ignore[operator]
    assert response.status_code == 503 and f"timeout of {TIMEOUT:g} s" in response.text
    assert TIMEOUT <= slow["seconds"] < TIMEOUT + 2  # type: ignore[operator]
    deadline = time.monotonic() + 30  # the killed worker is replaced
    while time.monotonic() < deadline:
        status = httpx.get(f"{server.base}/api/status", timeout=5).json()
        if status["replaced_workers"] >= 1 and status["idle_workers"] == 2:
            break
        time.sleep(0.2)
    assert status["workers"] == 2 and status["timeouts"] >= 1
    assert get(server, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_a_result_cut_at_the_row_limit_says_so(server: Running) -> None:
    many = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    cut = get(server, many)
    assert cut.headers["X-KG-Truncated"] == "true"
    assert cut.headers["X-KG-Row-Limit"] == str(ROW_LIMIT)
    body = cut.json()
    assert body["truncated"] is True and body["row_limit"] == ROW_LIMIT
    assert len(body["results"]["bindings"]) == ROW_LIMIT
    as_csv = get(server, many, "text/csv")
    assert as_csv.headers["X-KG-Truncated"] == "true"
    assert len(as_csv.text.strip().splitlines()) == ROW_LIMIT + 1
    graph = get(server, "CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")
    assert graph.headers["X-KG-Truncated"] == "true" and "# truncated" in graph.text
    whole = get(server, LABELS)
    assert whole.headers["X-KG-Truncated"] == "false" and whole.json()["truncated"] is False


# --- SPARQL clients -----------------------------------------------------------------------

def test_sparqlwrapper_reads_every_format(server: Running, local: OxigraphStore) -> None:
    expected = {(str(r["s"]), str(r["label"])) for r in local.select(LABELS)}
    for method in ("GET", "POST"):
        client = SPARQLWrapper(server.sparql)
        client.setMethod(method)
        client.setQuery(LABELS)
        client.setReturnFormat(JSON)
        data = client.query().convert()
        assert {(b["s"]["value"], b["label"]["value"])
                for b in data["results"]["bindings"]} == expected  # type: ignore[index]
    for fmt in (XML, CSV, TSV):
        client = SPARQLWrapper(server.sparql)
        client.setQuery(LABELS)
        client.setReturnFormat(fmt)
        assert client.query().convert()
    client = SPARQLWrapper(server.sparql)
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    turtle = client.query().convert()
    assert len(Graph().parse(data=turtle, format="turtle")) == 60


def test_sparqlwrapper_update_is_refused(server: Running) -> None:
    client = SPARQLWrapper(server.sparql)
    client.setMethod("POST")
    client.setQuery(UPDATES[0][0])
    with pytest.raises(HTTPError) as refused:
        client.query()
    assert refused.value.code == 403 and b"read-only" in refused.value.read()


def test_rdflib_sparqlstore_queries_and_cannot_update(server: Running,
                                                      local: OxigraphStore) -> None:
    graph = Graph(store=SPARQLStore(server.sparql, returnFormat="json"))
    rows = {(r[0], r[1]) for r in graph.query(LABELS)}  # type: ignore[index]
    assert rows == {(r["s"], r["label"]) for r in local.select(LABELS)}
    xml = Graph(store=SPARQLStore(server.sparql))
    assert xml.query("ASK { ?s ?p ?o }").askAnswer is True
    assert len(xml.query(CONSTRUCT).graph) == 60  # type: ignore[arg-type]
    updating = SPARQLUpdateStore(server.sparql, server.sparql)
    with pytest.raises(HTTPError) as refused:
        updating.update(UPDATES[0][0])
    assert refused.value.code == 403


# --- the named-query API ------------------------------------------------------------------

def api(server: Running, path: str, **params: str) -> httpx.Response:
    return httpx.get(f"{server.base}/api/{path}", params=params, timeout=30)


@pytest.fixture
def cli(server: Running, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """The command line, run in this process (``kg.cli.main``, what the ``kg`` script calls)
    on the server's store: exit code, stdout, stderr."""
    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        with pytest.raises(SystemExit) as done:
            main(["--root", str(ROOT), "--store-path", str(server.store_path), *args])
        out, err = capsys.readouterr()
        return int(done.value.code or 0), out, err

    return run


def test_api_lists_the_named_queries_with_typed_params(server: Running) -> None:
    queries = {q["name"]: q for q in api(server, "queries").json()["queries"]}
    tier = queries["members-by-tier"]
    assert {p["name"]: (p["type"], p["required"]) for p in tier["params"]} == {
        "foundation": ("iri", False), "as_of": ("date", True)}
    assert tier["url"] == "/api/queries/members-by-tier"
    assert "checks/fact-without-source-violation" in queries


def test_api_answers_as_the_cli_does(server: Running, cli: Callable[..., tuple[int, str, str]]
                                     ) -> None:
    code, out, _ = cli("query", "members-by-tier", "-p", "as_of=2014-12-31",
                       "--format", "json")
    answer = api(server, "queries/members-by-tier", as_of="2014-12-31")
    assert code == 0 and answer.status_code == 200
    assert answer.json()["rows"] == json.loads(out) and answer.json()["truncated"] is False
    code, out, _ = cli("query", "members-by-tier", "-p", "as_of=2014-12-31",
                       "--format", "csv")
    as_csv = api(server, "queries/members-by-tier", as_of="2014-12-31", format="csv")
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text.strip() == out.strip()


@pytest.mark.parametrize("params", [
    {"as_of": "2014-12-31", "bogus": "1"},     # undeclared
    {"as_of": "31/12/2014"},                   # mistyped date
    {"as_of": "2014-12-31", "foundation": "a b"},  # not an IRI
    {},                                        # missing
])
def test_api_rejects_bad_params_with_the_cli_message(
        server: Running, cli: Callable[..., tuple[int, str, str]], params: dict[str, str]
) -> None:
    answer = api(server, "queries/members-by-tier", **params)
    pairs = [a for k, v in params.items() for a in ("-p", f"{k}={v}")]
    code, _, err = cli("query", "members-by-tier", *pairs)
    assert answer.status_code == 400 and code == 2
    assert answer.json() == {"error": err.strip().removeprefix("kg: error: "), "status": 400}


def test_api_unknown_query_is_404_with_the_cli_message(
        server: Running, cli: Callable[..., tuple[int, str, str]]) -> None:
    answer = api(server, "queries/no-such-query")
    code, _, err = cli("query", "no-such-query")
    assert answer.status_code == 404 and code == 2
    assert answer.json()["error"] == err.strip().removeprefix("kg: error: ")


def test_api_cuts_at_the_row_limit_and_says_so(
        server: Running, cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = cli("query", "entity-profile", "-p", "entity=openstack-foundation",
                       "--format", "json")
    assert code == 0 and len(json.loads(out)) > ROW_LIMIT
    cut = api(server, "queries/entity-profile", entity="openstack-foundation")
    assert cut.status_code == 200, cut.text
    assert cut.headers["X-KG-Truncated"] == "true"
    body = cut.json()
    assert body["truncated"] is True and body["row_limit"] == ROW_LIMIT
    assert body["rows"] == json.loads(out)[:ROW_LIMIT]
    small = api(server, "queries/foundations")
    assert small.headers["X-KG-Truncated"] == "false" and small.json()["truncated"] is False


def test_openapi_describes_every_named_query(server: Running) -> None:
    from openapi_spec_validator import validate

    doc = api(server, "openapi.json").json()
    validate(doc)  # a valid OpenAPI 3.1 document
    names = {q["name"] for q in api(server, "queries").json()["queries"]}
    assert {p.removeprefix("/api/queries/") for p in doc["paths"]
            if p.startswith("/api/queries/")} == names
    params = {p["name"]: p for p in doc["paths"]["/api/queries/members-by-tier"]["get"][
        "parameters"]}
    assert params["as_of"]["required"] is True
    assert params["as_of"]["schema"] == {"type": "string", "format": "date"}


# --- security -----------------------------------------------------------------------------

def test_every_answer_has_the_security_headers(server: Running) -> None:
    for response in (get(server, "ASK {}"), api(server, "queries"),
                     httpx.get(f"{server.base}/nowhere", timeout=5)):
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"


def test_size_limits(server: Running) -> None:
    big = "ASK { ?s ?p ?o }" + " " * 300_000
    too_big = httpx.post(server.sparql, content=big,
                         headers={"Content-Type": "application/sparql-query"}, timeout=10)
    assert too_big.status_code == 413 and "larger than" in too_big.text
    long_url = httpx.get(server.sparql, params={"query": "ASK {}" + " " * 20_000}, timeout=10)
    assert long_url.status_code == 414 and "POST the query" in long_url.text
    long_param = api(server, "queries/members-by-tier", as_of="2" * 2_000)
    assert long_param.status_code == 400 and "too long" in long_param.json()["error"]


@pytest.mark.parametrize("path", [
    "/api/queries/../../../etc/passwd", "/api/queries/%2e%2e/%2e%2e/etc/passwd",
    "/api/queries/..%2Fqueries%2Ffoundations",
])
def test_no_path_traversal(server: Running, path: str) -> None:
    response = httpx.get(server.base + path, timeout=5)
    assert response.status_code in (400, 404)
    assert "root:x:0" not in response.text and "no " in response.text


def test_unknown_routes_are_one_line_json(server: Running) -> None:
    response = httpx.get(f"{server.base}/api/nowhere", timeout=5)
    assert response.status_code == 404
    assert response.json() == {"error": "no such page: /api/nowhere", "status": 404}


def test_binding_beyond_loopback_says_so(tmp_path: Path) -> None:
    done = run_kg("--store-path", str(tmp_path / "none"), "serve", "--host", "0.0.0.0",
                  "--no-build")
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith("kg serve: warning: listening on 0.0.0.0, not loopback")
    assert lines[1] == f"kg: error: {tmp_path / 'none'}: no store built here (run 'kg build' " \
                       "or drop --no-build)"
    assert done.returncode == 2 and len(lines) == 2


def test_the_readme_serving_example_runs(server: Running) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    serving = readme.split("## Serving", 1)[1]
    block = serving.split("```python\n", 1)[1].split("```", 1)[0]
    done = subprocess.run([sys.executable, "-c", block.replace(
        "http://127.0.0.1:8000/sparql", server.sparql)], capture_output=True, text=True,
        timeout=60)
    assert done.returncode == 0, done.stderr
    assert "https://w3id.org/kg/ontology#" in done.stdout
    assert int(done.stdout.strip().splitlines()[-1]) > 20


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in map(int, children.read_text().split()):
            found += [child, *descendants(child)]
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_server_takes_its_workers_with_it(store_path: Path) -> None:
    with kg_server(store_path, "--workers", "1", "--timeout", "60", "--no-build") as other:
        def send_slow() -> None:
            with contextlib.suppress(httpx.HTTPError):  # the server dies under it
                httpx.get(other.sparql, params={"query": SLOW}, timeout=30)

        slow = threading.Thread(target=send_slow, daemon=True)
        slow.start()
        time.sleep(0.5)  # the worker is now deep in a query that holds the GIL
        children = descendants(other.process.pid)
        assert children
        other.process.kill()  # SIGKILL: no shutdown code runs
        other.process.wait(5)
        deadline = time.monotonic() + 10
        while any(alive(p) for p in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [p for p in children if alive(p)] == []
