"""Real SPARQL servers for the tests: Oxigraph and Virtuoso on free loopback ports.

The fixtures are session-scoped (with pytest-xdist, one server per worker) and use the start/stop
scripts in ``scripts/servers/`` (copied from the team's recipes). A server whose binary is
missing is *skipped* on a developer machine, with the command that installs it, but is a
*failure* in CI (``CI=true``): there the conformance suite must run against both real servers.
A server that is installed but does not start is always a failure.

Import the fixtures into a test module::

    from servers import oxigraph_server, virtuoso_server  # noqa: F401

Users can run the same scripts by hand::

    scripts/servers/ci-oxigraph.sh start /tmp/oxi      # http://127.0.0.1:7878/query
    scripts/servers/ci-virtuoso.sh start /tmp/virt     # http://127.0.0.1:8890/sparql
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.config import Settings
from kg.stores.sparql_store import SparqlStore

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = REPO / "scripts" / "servers"
VIRTUOSO_INI = Path("/usr/share/virtuoso-opensource-7/virtuoso.ini")
START_TIMEOUT = 180


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def unavailable(reason: str) -> None:
    """Skip locally; fail in CI, where the suite must run against the real servers."""
    if in_ci():
        pytest.fail(f"{reason} — CI=true, so the real servers are required (see .ci/run)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


@dataclass
class Server:
    """A running server: its endpoints and how to stop it."""

    name: str
    endpoint: str
    update_endpoint: str
    graph_store_endpoint: str
    graph_param: str
    workdir: Path
    script: Path
    env: dict[str, str]

    def settings(self, root: Path, **changes: object) -> Settings:
        base = Settings(
            root=root, store="sparql", endpoint=self.endpoint,
            update_endpoint=self.update_endpoint, graph_store_endpoint=self.graph_store_endpoint,
            timeout=60.0,
        )
        return base.with_store("sparql", **changes) if changes else base

    def store(self, **kwargs: object) -> SparqlStore:
        return SparqlStore(
            self.endpoint, update_endpoint=self.update_endpoint,
            graph_store_endpoint=self.graph_store_endpoint, graph_param=self.graph_param,
            timeout=60.0, **kwargs,  # type: ignore[arg-type]
        )

    def stop(self) -> None:
        subprocess.run(
            ["bash", str(self.script), "stop", str(self.workdir)], env=self.env,
            capture_output=True, timeout=60, check=False,
        )


def _start(name: str, script: Path, workdir: Path, env: dict[str, str]) -> None:
    try:
        done = subprocess.run(
            ["bash", str(script), "start", str(workdir)], env={**os.environ, **env},
            capture_output=True, text=True, timeout=START_TIMEOUT, check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: not ready within {START_TIMEOUT} s (log: {workdir}/server.log)")
    if done.returncode != 0:
        log = workdir / "server.log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        pytest.fail(f"{name} did not start:\n{done.stdout}\n{done.stderr}\n{tail}")


def start_oxigraph(workdir: Path) -> Server:
    binary = oxigraph_binary()
    if binary is None:
        unavailable("oxigraph server not installed: pip install -e '.[dev]' (it has oxigraph)")
    if shutil.which("curl") is None:
        unavailable("curl is missing (the start script polls the server with it)")
    port = free_port()
    env = {"OXIGRAPH": str(binary), "PORT": str(port)}
    script = SCRIPTS / "ci-oxigraph.sh"
    _start("oxigraph", script, workdir, env)
    base = f"http://127.0.0.1:{port}"
    return Server("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store", "graph",
                  workdir, script, {**os.environ, **env})


def start_virtuoso(workdir: Path) -> Server:
    missing = [b for b in ("virtuoso-t", "isql-vt", "curl") if shutil.which(b) is None]
    if missing or not VIRTUOSO_INI.exists():
        unavailable(
            f"Virtuoso not installed ({', '.join(missing) or VIRTUOSO_INI} missing): "
            "apt-get install -y --no-install-recommends virtuoso-opensource"
        )
    http_port, sql_port = free_port(), free_port()
    # A small buffer pool: test instances hold a few thousand triples, and xdist starts one each.
    env = {"HTTP_PORT": str(http_port), "SQL_PORT": str(sql_port), "BUFFERS": "20000"}
    script = SCRIPTS / "ci-virtuoso.sh"
    _start("virtuoso", script, workdir, env)
    base = f"http://127.0.0.1:{http_port}"
    return Server("virtuoso", f"{base}/sparql", f"{base}/sparql", f"{base}/sparql-graph-crud",
                  "graph-uri", workdir, script, {**os.environ, **env})


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real Oxigraph server (``oxigraph serve``) on a free loopback port."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-server"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real Virtuoso 7 (``virtuoso-t``) with its own database, on free loopback ports."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-server"))
    try:
        yield server
    finally:
        server.stop()
