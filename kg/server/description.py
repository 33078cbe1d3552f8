"""The SPARQL 1.1 Service Description of the endpoint (``GET /sparql`` without a query).

It says what the endpoint does and does not do: SPARQL 1.1 Query only (no Update, no
federation), the result and RDF formats it writes, a default graph that is the union of the
named graphs (one per project file, listed with their triple counts when known), and the
limits in a human-readable description.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD

from ..namespaces import SD
from .formats import Format
from .options import ServeOptions

RESULT_FORMATS = (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML,
                  ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV)
GRAPH_FORMATS = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.JSON_LD,
                 ox.RdfFormat.RDF_XML)
RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def describe(endpoint: str, graphs: Sequence[str], triples: int, options: ServeOptions) -> Graph:
    """The description graph of the endpoint at ``endpoint``."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    service, dataset, default = BNode(), BNode(), BNode()
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in (*RESULT_FORMATS, *GRAPH_FORMATS):
        g.add((service, SD.resultFormat, URIRef(fmt.iri)))
    g.add((service, DCTERMS.description, Literal(
        f"kg serve: read-only SPARQL 1.1 Query (SPARQL Update and SERVICE are refused); "
        f"a query stops after {options.timeout:g} s; answers are cut at {options.row_limit} "
        "rows, and say so (header X-KG-Truncated; 'truncated' in JSON).")))
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(triples, datatype=XSD.integer)))
    for name in graphs:
        named = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
    return g


def serialize(graph: Graph, fmt: Format) -> bytes:
    data = graph.serialize(format=RDFLIB_FORMATS[fmt.key], encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode()
