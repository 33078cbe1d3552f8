"""A remote SPARQL 1.1 server as a store: query, update and the Graph Store Protocol over HTTP.

HTTP with ``httpx``: one client per store, so requests reuse their connection; every request has
the store's timeout; a connection that cannot be made is tried again (``RETRIES`` times, by
httpx's transport: only connect errors, never a request the server may have acted on).
Tested against a real Oxigraph server and a real Virtuoso 7.2 (see ``tests/test_conformance.py``).

Graph scoping — the same on every server
    Each project file lives in its own named graph ``urn:kg:file:<path>`` (exactly as in the
    embedded stores). The store keeps a small *catalogue* graph, ``urn:kg:catalog``, listing the
    graphs it loaded (``<urn:kg:catalog> rdfs:member <urn:kg:file:…>``). Every query is sent with
    the SPARQL protocol's dataset parameters: one ``default-graph-uri`` *and* one
    ``named-graph-uri`` per catalogued graph (plus ``Settings.graph`` when set: a graph loaded by
    other means, e.g. Virtuoso's bulk loader). So the default graph is the union of the project's
    graphs and ``GRAPH ?g`` ranges over them — as in the embedded stores — and nothing else on the
    server leaks in: not Virtuoso's ~2.5k system triples (its default graph is the union of all
    graphs), not other tenants' graphs, not the catalogue itself. Queries must not carry their
    own ``FROM``/``FROM NAMED`` (these would override the protocol parameters). The catalogue,
    not a ``GRAPH ?g {}`` scan, is how graphs are found: Virtuoso answers that scan with nothing,
    and a ``DISTINCT ?g`` over all quads is slow on big servers. It is re-read at most every
    ``catalog_ttl`` seconds, and at once after this store's own writes.

Requests
    Queries go by GET, or by form-encoded POST when the URL would exceed ``max_get_url``
    characters (many graphs, long VALUES blocks). Never a direct ``application/sparql-query``
    POST: Virtuoso never answers one and spins a core. SELECT and ASK ask for
    ``application/sparql-results+json``, CONSTRUCT/DESCRIBE for N-Triples. Updates are form
    POSTs (``update=``). Files are loaded with the Graph Store Protocol (``PUT`` N-Triples to
    ``?graph=`` on Oxigraph's ``/store``, ``?graph-uri=`` on Virtuoso's ``/sparql-graph-crud``;
    the name is detected from the URL or set with ``graph_param``), falling back to SPARQL
    Update ``INSERT DATA`` when the server has no Graph Store endpoint.

Results
    Terms become rdflib terms with the rule of ``oxigraph_store.from_ox``: ``xsd:string``
    literals become plain literals (Oxigraph and Virtuoso both return some as
    ``"x"^^xsd:string``). Virtuoso's ``typed-literal`` JSON type and its ``"1"``/``"0"``
    booleans are normalised too. A response Virtuoso cut at ``ResultSetMaxRows`` (it says so in
    the ``X-SPARQL-MaxRows`` header) raises :class:`StoreError` instead of silently losing rows.

Errors
    A server that cannot be reached, times out or fails raises :class:`~kg.errors.StoreError`
    naming the URL and quoting the server (first 300 characters); a query or update the server
    rejects as malformed (HTTP 400) raises :class:`~kg.errors.QueryError`, as the embedded stores
    do for a syntax error.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
import time
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Identifier, Node

from ..config import Settings
from ..errors import QueryError, StoreError
from .base import SelectResult
from .binding import with_values
from .oxigraph_store import from_ox

if TYPE_CHECKING:
    import httpx

CATALOG = "urn:kg:catalog"
NO_GRAPH = "urn:kg:no-graph"  # stands for "no graph at all", so an empty store answers nothing
XSD_STRING = str(XSD.string)
XSD_BOOLEAN = str(XSD.boolean)
RDF_LANGSTRING = str(RDF.langString)
JSON_RESULTS = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
FORM = "application/x-www-form-urlencoded"
SNIPPET = 300
INSERT_CHUNK = 5000  # lines per INSERT DATA request when there is no Graph Store endpoint
RETRIES = 2  # more attempts at a connection that failed (refused, reset before the request)
UPLOAD_CHUNK = 1 << 16  # bytes read at a time from a file sent with PUT


def make_literal(value: str, lang: str | None = None, datatype: str | None = None) -> Literal:
    """A literal as kg keeps it: ``xsd:string`` → plain, booleans in canonical form."""
    if lang:
        return Literal(value, lang=lang)
    if datatype is None or datatype in (XSD_STRING, RDF_LANGSTRING):
        return Literal(value)
    if datatype == XSD_BOOLEAN and value in ("1", "0"):  # Virtuoso's JSON booleans
        value = "true" if value == "1" else "false"
    return Literal(value, datatype=URIRef(datatype))


def term_from_json(binding: Mapping[str, Any]) -> Node:
    """One term of a SPARQL JSON result → an rdflib term."""
    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        return make_literal(value, binding.get("xml:lang"), binding.get("datatype"))
    raise StoreError(f"unsupported term in SPARQL results: {binding!r}"[:SNIPPET])


def derive_endpoints(endpoint: str) -> tuple[str, str | None, str]:
    """(update endpoint, Graph Store endpoint or None, GSP graph parameter) guessed from a query
    endpoint: Oxigraph ``…/query``, Virtuoso ``…/sparql``, GraphDB ``…/repositories/<id>``."""
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")

    def at(new_path: str) -> str:
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new_path, "", ""))

    if path.endswith("/query"):  # Oxigraph (Fuseki users set the GSP endpoint: /<ds>/data)
        base = path[: -len("/query")]
        return at(base + "/update"), at(base + "/store"), "graph"
    if path.endswith("/sparql"):  # Virtuoso
        base = path[: -len("/sparql")]
        return endpoint, at(base + "/sparql-graph-crud"), "graph-uri"
    if "/repositories/" in path:  # GraphDB, RDF4J
        return at(path + "/statements"), at(path + "/rdf-graphs/service"), "graph"
    return endpoint, None, "graph"


def gsp_graph_param(url: str) -> str:
    """The Graph Store Protocol's graph parameter: ``graph-uri`` for Virtuoso, else ``graph``."""
    return "graph-uri" if "sparql-graph-crud" in urllib.parse.urlsplit(url).path else "graph"


def _split_auth(url: str) -> tuple[str, str | None]:
    """A URL without ``user:password@`` and the Basic authorization header it implies."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, None
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    user = urllib.parse.unquote(parts.username)
    password = urllib.parse.unquote(parts.password or "")
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc)), f"Basic {token}"


def _check_url(url: str) -> None:
    """Raise StoreError unless ``url`` is a well-formed http(s) URL with a host."""
    if not url or not url.startswith(("http://", "https://")):
        raise StoreError(f"{url!r}: a SPARQL endpoint must be an http(s) URL")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError as exc:
        raise StoreError(f"{url!r}: not a valid URL: {exc}") from None
    if not parts.hostname:
        raise StoreError(f"{url!r}: not a valid URL: no host")
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        raise StoreError(f"{url!r}: not a valid URL: spaces or control characters")


def _iri(name: str) -> str:
    return URIRef(name).n3()


class SparqlStore:
    """A :class:`~kg.stores.base.Store` on a remote SPARQL 1.1 server."""

    kind = "sparql"

    def __init__(
        self,
        endpoint: str,
        *,
        update_endpoint: str | None = None,
        graph_store_endpoint: str | None = None,
        graph_param: str | None = None,
        graph: str | None = None,
        timeout: float = 60.0,
        max_get_url: int = 2000,
        catalog_ttl: float = 5.0,
    ) -> None:
        for url in (endpoint, update_endpoint, graph_store_endpoint):
            if url is not None:
                _check_url(url)
        guessed_update, guessed_gsp, guessed_param = derive_endpoints(endpoint)
        self.endpoint, self._auth = _split_auth(endpoint)
        self.update_endpoint, _ = _split_auth(update_endpoint or guessed_update)
        gsp = graph_store_endpoint or guessed_gsp
        self.graph_store_endpoint = _split_auth(gsp)[0] if gsp else None
        self.graph_param = graph_param or (
            gsp_graph_param(graph_store_endpoint) if graph_store_endpoint else guessed_param
        )
        self.graph = graph
        self.timeout = timeout
        self.max_get_url = max_get_url
        self.catalog_ttl = catalog_ttl
        self._catalog: list[str] | None = None
        self._catalog_read_at = 0.0
        self._client: httpx.Client | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SparqlStore:
        """The store ``settings`` describe (``endpoint``, ``update_endpoint``,
        ``graph_store_endpoint``, ``graph``, ``timeout``; ``KG_GSP_GRAPH_PARAM`` overrides the
        detected Graph Store parameter name)."""
        if not settings.endpoint:
            raise StoreError("store 'sparql' needs an endpoint URL (--endpoint or KG_ENDPOINT)")
        return cls(
            settings.endpoint,
            update_endpoint=settings.update_endpoint,
            graph_store_endpoint=settings.graph_store_endpoint,
            graph_param=os.environ.get("KG_GSP_GRAPH_PARAM") or None,
            graph=settings.graph,
            timeout=settings.timeout,
        )

    def __repr__(self) -> str:
        return f"SparqlStore({self.endpoint!r})"

    # HTTP -----------------------------------------------------------------------------------
    def _session(self) -> httpx.Client:
        """The store's one client, made on first use (httpx is imported only then)."""
        if self._client is None:
            import httpx

            headers = {"Authorization": self._auth} if self._auth else {}
            self._client = httpx.Client(
                timeout=self.timeout, headers=headers, follow_redirects=True,
                transport=httpx.HTTPTransport(retries=RETRIES),
            )
        return self._client

    def _http(
        self,
        method: str,
        url: str,
        *,
        what: str,
        body: bytes | IO[bytes] | None = None,
        headers: Mapping[str, str] | None = None,
        length: int | None = None,
        bad_request: type[Exception] = StoreError,
    ) -> tuple[int, Mapping[str, str], bytes]:
        """One request; every failure becomes a StoreError (or ``bad_request`` for HTTP 400)."""
        import httpx

        shown = url.split("?", 1)[0]
        all_headers = dict(headers or {})
        if length is not None:  # a file goes in chunks, with its length (not chunked encoding)
            all_headers["Content-Length"] = str(length)
        content: bytes | Iterable[bytes] | None = None
        if body is None or isinstance(body, bytes):
            content = body
        else:
            stream = body
            content = iter(lambda: stream.read(UPLOAD_CHUNK), b"")
        try:
            response = self._session().request(method, url, content=content, headers=all_headers)
        except httpx.TimeoutException:
            raise StoreError(
                f"{what} {method} {shown}: no answer within {self.timeout:g} s"
            ) from None
        except httpx.ConnectError as exc:
            raise StoreError(f"{what} {method} {shown}: cannot connect: {exc}") from None
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
            raise StoreError(f"{what} {method} {shown}: {exc}"[: SNIPPET + 100]) from None
        if response.status_code >= 400:
            detail = response.content.decode("utf-8", "replace").strip()
            message = f"{what} {method} {shown}: HTTP {response.status_code} " \
                f"{response.reason_phrase}"
            if detail:
                message += f": {detail[:SNIPPET]}"
            error_type = bad_request if response.status_code == 400 else StoreError
            error = error_type(message)
            error.status = response.status_code  # type: ignore[attr-defined]
            raise error from None
        return response.status_code, response.headers, response.content

    def _dataset(self) -> list[tuple[str, str]]:
        graphs = list(self._graphs())
        if self.graph and self.graph not in graphs:
            graphs.append(self.graph)
        if not graphs:
            graphs = [NO_GRAPH]
        return [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]

    def _query(
        self, query: str, accept: str, dataset: list[tuple[str, str]] | None = None
    ) -> bytes:
        params = [("query", query), *(self._dataset() if dataset is None else dataset)]
        encoded = urllib.parse.urlencode(params)
        sep = "&" if "?" in self.endpoint else "?"
        headers = {"Accept": accept}
        if len(self.endpoint) + 1 + len(encoded) <= self.max_get_url:
            _, response_headers, data = self._http(
                "GET", self.endpoint + sep + encoded, what="query", headers=headers,
                bad_request=QueryError,
            )
        else:  # a form POST: the one POST every server (Virtuoso included) answers
            headers["Content-Type"] = FORM
            _, response_headers, data = self._http(
                "POST", self.endpoint, what="query", body=encoded.encode(), headers=headers,
                bad_request=QueryError,
            )
        cut = response_headers.get("X-SPARQL-MaxRows")
        if cut:
            raise StoreError(
                f"query {self.endpoint}: the server cut the results at {cut} rows "
                "(Virtuoso's ResultSetMaxRows in virtuoso.ini): raise it, or page the query"
            )
        return data

    def _json(self, query: str, dataset: list[tuple[str, str]] | None = None) -> dict[str, Any]:
        data = self._query(query, JSON_RESULTS, dataset)
        try:
            parsed = json.loads(data)
        except ValueError:
            snippet = data[:SNIPPET].decode("utf-8", "replace")
            raise StoreError(
                f"query {self.endpoint}: the answer is not SPARQL JSON results: {snippet}"
            ) from None
        if not isinstance(parsed, dict):
            raise StoreError(f"query {self.endpoint}: the answer is not SPARQL JSON results")
        return parsed

    def update(self, update: str) -> None:
        """Run a SPARQL Update (form POST ``update=``) on the update endpoint."""
        self._http(
            "POST", self.update_endpoint, what="update",
            body=urllib.parse.urlencode({"update": update}).encode(),
            headers={"Content-Type": FORM, "Accept": "*/*"}, bad_request=QueryError,
        )

    # catalogue --------------------------------------------------------------------------------
    def _graphs(self) -> list[str]:
        now = time.monotonic()
        if self._catalog is None or now - self._catalog_read_at > self.catalog_ttl:
            result = self._json(
                f"SELECT DISTINCT ?g WHERE {{ {_iri(CATALOG)} {RDFS.member.n3()} ?g }}",
                [("default-graph-uri", CATALOG), ("named-graph-uri", CATALOG)],
            )
            self._catalog = sorted(
                b["g"]["value"] for b in result.get("results", {}).get("bindings", []) if "g" in b
            )
            self._catalog_read_at = now
        return self._catalog

    def _catalogue(self, name: str, *, add: bool) -> None:
        verb = "INSERT" if add else "DELETE"
        self.update(
            f"{verb} DATA {{ GRAPH {_iri(CATALOG)} {{ {_iri(CATALOG)} {RDFS.member.n3()} "
            f"{_iri(name)} }} }}"
        )
        graphs = set(self._graphs())  # read the server's list first if it was never read
        if add:
            graphs.add(name)
        else:
            graphs.discard(name)
        self._catalog = sorted(graphs)
        self._catalog_read_at = time.monotonic()

    def refresh(self) -> None:
        """Forget the cached catalogue (another process loaded or dropped graphs)."""
        self._catalog = None

    # the Store protocol -------------------------------------------------------------------------
    def select(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> SelectResult:
        answer = self._json(with_values(query, bindings))
        if "results" not in answer:
            raise QueryError("not a SELECT query")
        columns = list(answer.get("head", {}).get("vars", []))
        rows = [
            {c: term_from_json(b[c]) if c in b else None for c in columns}
            for b in answer["results"].get("bindings", [])
        ]
        return SelectResult(columns, rows)

    def ask(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> bool:
        answer = self._json(with_values(query, bindings))
        if "boolean" not in answer:
            raise QueryError("not an ASK query")
        return bool(answer["boolean"])

    def construct(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> Graph:
        data = self._query(with_values(query, bindings), NTRIPLES)
        return self._parse_ntriples(data)

    def _parse_ntriples(self, data: bytes) -> Graph:
        graph = Graph()
        try:
            for t in ox.parse(input=data, format=ox.RdfFormat.N_TRIPLES):
                graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))  # type: ignore[arg-type]
            return graph
        except SyntaxError:
            pass  # not strict N-Triples: let rdflib's more lenient parser try
        try:
            parsed = Graph().parse(data=data.decode("utf-8"), format="nt")
        except Exception as exc:  # rdflib raises many types
            snippet = data[:SNIPPET].decode("utf-8", "replace")
            raise StoreError(
                f"query {self.endpoint}: cannot read the N-Triples answer ({exc}): {snippet}"
            ) from None
        graph = Graph()
        for s, p, o in parsed:
            if isinstance(o, Literal) and o.datatype == XSD.string:
                o = Literal(str(o))
            graph.add((s, p, o))
        return graph

    def add_graph(self, graph: Graph, name: str) -> None:
        data = graph.serialize(format="nt", encoding="utf-8")
        self._put(name, data, len(data), blank_nodes=any(
            isinstance(t, BNode) for triple in graph for t in triple
        ))

    def load_file(self, path: Path, name: str) -> None:
        from ..parsing import read_quads  # the one parser: same errors as everywhere

        with tempfile.TemporaryFile() as spool:
            blank = False

            def triples() -> Iterable[ox.Triple]:
                nonlocal blank
                for q in read_quads(path):
                    blank = blank or isinstance(q.subject, ox.BlankNode) or isinstance(
                        q.object, ox.BlankNode
                    )
                    yield ox.Triple(q.subject, q.predicate, q.object)

            ox.serialize(triples(), spool, ox.RdfFormat.N_TRIPLES)
            size = spool.tell()
            spool.seek(0)
            self._put(name, spool, size, blank_nodes=blank)

    def _put(self, name: str, body: bytes | IO[bytes], size: int, *, blank_nodes: bool) -> None:
        """Replace graph ``name`` with N-Triples ``body``, then list it in the catalogue."""
        if self.graph_store_endpoint:
            url = self.graph_store_endpoint + (
                "&" if "?" in self.graph_store_endpoint else "?"
            ) + urllib.parse.urlencode({self.graph_param: name})
            try:
                self._http(
                    "PUT", url, what=f"load <{name}>:", body=body, length=size,
                    headers={"Content-Type": f"{NTRIPLES}; charset=utf-8"},
                )
            except StoreError as exc:
                if getattr(exc, "status", None) not in (404, 405, 501):
                    raise
                self.graph_store_endpoint = None  # no Graph Store here: use SPARQL Update
            else:
                self._catalogue(name, add=True)
                return
            if not isinstance(body, bytes):
                body.seek(0)
        self._insert_data(name, body if isinstance(body, bytes) else body.read(), blank_nodes)
        self._catalogue(name, add=True)

    def _insert_data(self, name: str, data: bytes, blank_nodes: bool) -> None:
        """The Graph Store fallback: DROP + INSERT DATA (one request if blank nodes are present,
        so that their labels keep one scope)."""
        self.update(f"DROP SILENT GRAPH {_iri(name)}")
        lines = data.decode("utf-8").splitlines()
        step = (len(lines) or 1) if blank_nodes else INSERT_CHUNK
        for start in range(0, len(lines), step):
            chunk = "\n".join(lines[start : start + step])
            self.update(f"INSERT DATA {{ GRAPH {_iri(name)} {{\n{chunk}\n}} }}")

    def drop_graph(self, name: str) -> None:
        """Remove graph ``name`` and its catalogue entry."""
        self._catalogue(name, add=False)
        self.update(f"DROP SILENT GRAPH {_iri(name)}")

    def clear(self) -> None:
        """Drop every graph this store loaded, and the catalogue."""
        for name in list(self._graphs()):
            self.drop_graph(name)
        self.update(f"DROP SILENT GRAPH {_iri(CATALOG)}")
        self._catalog = []

    def to_graph(self) -> Graph:
        return self.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")

    def graph_names(self) -> Sequence[str]:
        names = list(self._graphs())
        if self.graph and self.graph not in names:
            names.append(self.graph)
        return sorted(names)

    def __len__(self) -> int:
        answer = self._json("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        bindings = answer.get("results", {}).get("bindings", [])
        try:
            return int(bindings[0]["n"]["value"])
        except (IndexError, KeyError, ValueError):
            raise StoreError(f"query {self.endpoint}: no count in {answer!r}"[:SNIPPET]) from None

    def ping(self) -> None:
        """Raise StoreError unless the query endpoint answers ``ASK {}``."""
        self._json("ASK {}", [])

    def close(self) -> None:
        self._catalog = None
        if self._client is not None:
            self._client.close()
            self._client = None
