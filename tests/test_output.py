"""Tables that fit the terminal (rich), the one-line build summary, the httpx SPARQL client."""

from __future__ import annotations

import csv
import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.building import BuildReport
from kg.output import PIPED_WIDTH, rows_to_csv, rows_to_json, rows_to_table, table_width
from kg.stores.sparql_store import SparqlStore

from .conftest import run_kg_here

KGD = "https://w3id.org/kg/id/"
LONG = ("a proceeding whose caption runs on and on, naming every party, every patent and "
        "every court it passed through on its way to a settlement")


@pytest.fixture(autouse=True)
def piped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)


def widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


def test_the_conflicts_table_fits_100_columns_when_piped() -> None:
    proc = run_kg_here("conflicts")
    assert proc.returncode == 0, proc.stderr
    assert widest(proc.stdout) <= PIPED_WIDTH
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["n", "score", "severity", "status", "id", "finding"]
    assert "confirmed chain (+20)" in proc.stdout  # the reasons follow with their points
    assert any("litigation:symantec@openstack-foundation" in line for line in lines)
    words = " ".join(lines[2:]).split()
    assert "Symantec" in words and "93" in words and "high" in words


def test_a_many_column_query_fits_and_keeps_its_dates_whole() -> None:
    args = ("query", "lawsuits-involving-members", "-p", "foundation=openstack-foundation")
    proc = run_kg_here(*args)
    assert proc.returncode == 0, proc.stderr
    assert widest(proc.stdout) <= PIPED_WIDTH  # ten columns in 100
    filed = {r["filed"] for r in csv.DictReader(run_kg_here(*args, "--format", "csv")
                                                 .stdout.splitlines()) if r["filed"]}
    assert "2007-10-09" in filed and set(proc.stdout.split()) >= filed  # each date on one line


def test_columns_sets_the_width_long_cells_wrap_at_words_ids_stay_whole(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    assert table_width() == 60
    rows = [{"id": URIRef(KGD + "symantec-v-marathon-2013"), "filed": Literal(date(2013, 4, 5)),
             "caption": Literal(LONG)}]
    text = rows_to_table(["id", "filed", "caption"], rows)
    assert widest(text) <= 60
    lines = text.splitlines()
    assert "kgd:symantec-v-marathon-2013" in lines[2] and "2013-04-05" in lines[2]
    caption = " ".join(line[lines[0].index("caption"):] for line in lines[2:]).split()
    assert caption == LONG.split()  # every word, none cut


def test_fixed_columns_grow_the_table_rather_than_cut_an_id() -> None:
    rows = [{"id": "x" * 80, "note": "short"}]
    text = rows_to_table(["id", "note"], rows, width=40, fixed=("id",))
    assert "x" * 80 in text and "short" in text


def test_cells_are_text_not_markup_and_json_csv_are_unchanged() -> None:
    rows = [{"name": Literal("[bold]Acme[/bold] :smile:"), "n": Literal(3)}]
    assert "[bold]Acme[/bold] :smile:" in rows_to_table(["name", "n"], rows)
    assert rows_to_csv(["name", "n"], rows) == "name,n\n[bold]Acme[/bold] :smile:,3\n"
    assert json.loads(rows_to_json(["name", "n"], rows)) == [
        {"name": "[bold]Acme[/bold] :smile:", "n": 3}]
    assert rows_to_table(["name"], []) == "(no rows)"


def test_the_build_report_is_one_line() -> None:
    report = BuildReport(Path("build/store"), "gen-000003", changed=["data/a.ttl"],
                         unchanged=["data/b.ttl", "data/c.ttl"], triples=1234, derived=567,
                         seconds=2.14)
    report.files = dict.fromkeys(["data/a.ttl", "data/b.ttl", "data/c.ttl"])  # type: ignore[assignment]
    assert str(report) == ("built build/store: 1,234 triples in 3 files (1 re-loaded, "
                           "2 unchanged) in 2.1 s; 567 of them derived (contribution totals)")
    same = BuildReport(Path("s"), "gen-000001", unchanged=["a"], triples=5, seconds=0.01)
    same.files = {"a": None}  # type: ignore[dict-item]
    assert str(same) == "up to date s: 5 triples in 1 file (1 unchanged) in 0.0 s"


# --- the SPARQL client keeps one connection ----------------------------------------------------

class _KeepAlive(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    peers: list[int] = []

    def do_GET(self) -> None:  # noqa: N802
        self.peers.append(self.client_address[1])
        body = b'{"head": {}, "boolean": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def keep_alive() -> Iterator[tuple[str, list[int]]]:
    handler = type("Handler", (_KeepAlive,), {"peers": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/sparql", handler.peers  # type: ignore[attr-defined]
    httpd.shutdown()
    httpd.server_close()


def test_requests_reuse_one_connection(keep_alive: tuple[str, list[int]]) -> None:
    url, peers = keep_alive
    store = SparqlStore(url, graph="urn:x")
    assert all(store.ask("ASK {}") for _ in range(3))
    store.close()
    assert len(peers) >= 3 and len(set(peers)) == 1  # every answer over one connection


def test_a_finding_in_detail_wraps_its_prose_at_the_width() -> None:
    proc = run_kg_here("conflicts", "--finding", "litigation:symantec@openstack-foundation")
    assert proc.returncode == 0, proc.stderr
    assert widest(proc.stdout) <= PIPED_WIDTH
    text = " ".join(proc.stdout.split())
    assert "Why this rank: +30 recent (126–156 days)" in text
    assert "sued 6 fellow members (AT&T, EMC, HP, Oracle, Rackspace, VMware)" in text


def test_a_refused_connection_is_tried_again() -> None:
    """The server comes up a moment after the first attempt: the retry reaches it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = type("Handler", (_KeepAlive,), {"peers": []})
    served: list[http.server.ThreadingHTTPServer] = []

    def late_start() -> None:
        time.sleep(0.2)
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        served.append(httpd)
        httpd.serve_forever()

    threading.Thread(target=late_start, daemon=True).start()
    store = SparqlStore(f"http://127.0.0.1:{port}/sparql", graph="urn:x", timeout=5)
    try:
        assert store.ask("ASK {}")
    finally:
        store.close()
        for httpd in served:
            httpd.shutdown()
            httpd.server_close()
