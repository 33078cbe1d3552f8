"""No input reaches the network: a listener on loopback receives nothing while kg runs every
kind of command on hostile files (remote JSON-LD contexts and imports, owl:imports, SERVICE
in a query and in a shape, LOAD)."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.errors import QueryHeaderError, ShapesError
from kg.remote import refuse_remote_sparql

from .conftest import ROOT, run_kg_here
from .fuzzing import Listener


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def _project(base: Path, name: str) -> Path:
    root = base / name
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "queries", root / "queries")
    (root / "data").mkdir()
    shutil.copy(ROOT / "data" / "curated" / "foundation.ttl", root / "data" / "foundation.ttl")
    return root


def test_the_listener_would_see_a_request(listener: Listener) -> None:
    before = listener.connections
    with socket.create_connection(("127.0.0.1", listener.port), timeout=5):
        pass
    for _ in range(50):
        if listener.connections > before:
            break
        threading.Event().wait(0.05)
    assert listener.connections == before + 1  # so zero below means zero


def test_no_command_reaches_the_network_on_hostile_files(listener: Listener,
                                                        tmp_path: Path) -> None:
    url = listener.url
    jsonld = _project(tmp_path, "jsonld")
    (jsonld / "data" / "remote.jsonld").write_text(
        f'{{"@context": "{url}/context.jsonld", "@id": "https://w3id.org/kg/id/x"}}')
    loose = tmp_path / "import.jsonld"
    loose.write_text(f'{{"@context": {{"@import": "{url}/i.jsonld"}}, "@id": "http://a/b"}}')
    imports = _project(tmp_path, "imports")
    (imports / "data" / "imports.ttl").write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        f"<https://w3id.org/kg/id/onto> a owl:Ontology ; owl:imports <{url}/onto.ttl> .\n")
    (imports / "queries" / "steal.rq").write_text(
        "#+ summary: asks another server\nSELECT * WHERE {\n"
        f"  SERVICE <{url}/sparql> {{ ?s ?p ?o }}\n}}\n")
    shapes = _project(tmp_path, "shapes")
    with (shapes / "ontology" / "kg-shapes.ttl").open("a") as handle:
        handle.write(
            "\n<https://w3id.org/kg/ontology#StealShape> a <http://www.w3.org/ns/shacl#NodeShape> ;"
            " <http://www.w3.org/ns/shacl#targetNode> <https://w3id.org/kg/id/x> ;"
            " <http://www.w3.org/ns/shacl#sparql> [ <http://www.w3.org/ns/shacl#select> "
            f'"SELECT $this WHERE {{ SERVICE <{url}/s> {{ $this ?p ?o }} }}" ] .\n')
    runs = [
        (jsonld, ["validate"], "remote JSON-LD context"),
        (jsonld, ["query", "foundations"], "remote JSON-LD context"),
        (jsonld, ["conflicts"], "remote JSON-LD context"),
        (jsonld, ["build"], "remote JSON-LD context"),
        (jsonld, ["export", "--format", "nt"], "remote JSON-LD context"),
        (imports, ["validate", str(loose)], "import.jsonld:1:"),
        (imports, ["query", "steal"], "SERVICE would query another server"),
        (imports, ["--store", "memory", "query", "steal"], "SERVICE would query another server"),
        (imports, ["build"], ""),
        (shapes, ["validate"], "SERVICE would query another server"),
    ]
    for root, args, words in runs:
        proc = run_kg_here("--root", str(root), *args)
        assert "Traceback" not in proc.stderr, (args, proc.stderr)
        if words:
            assert proc.returncode == 2, (args, proc.stderr)
            assert words in proc.stderr, (args, proc.stderr)
        else:
            assert proc.returncode == 0, (args, proc.stderr)
    assert listener.connections == 1  # only the check above


@pytest.mark.parametrize("text", [
    "SELECT * { SERVICE <http://h/> { ?s ?p ?o } }",
    "select * { service silent <http://h/> { ?s ?p ?o } }",
    "SELECT * { ?s ?p ?o SERVICE ?endpoint { ?s ?p ?o } }",
    "LOAD <http://h/x.ttl>",
])
def test_remote_keywords_are_refused(text: str) -> None:
    with pytest.raises(QueryHeaderError, match="q.rq:1: (SERVICE|LOAD)"):
        refuse_remote_sparql(text, where="q.rq")
    with pytest.raises(ShapesError):
        refuse_remote_sparql(text, where="q.rq", error=ShapesError)


@pytest.mark.parametrize("text", [
    'SELECT * { ?s ?p "SERVICE <http://h/>" }',
    "SELECT * { ?s <http://ex/SERVICE> ?o } # LOAD <http://h/>",
    "SELECT ?service ?load { ?service ?p ?load }",
    "PREFIX service: <http://ex/> SELECT * { ?s service:x ?o }",
])
def test_the_words_in_strings_iris_comments_and_names_are_fine(text: str) -> None:
    refuse_remote_sparql(text, where="q.rq")
