"""Write the graph out: Turtle, N-Triples, JSON-LD (rdflib), GraphML, GEXF and Cytoscape JSON
(networkx), the tabular CSV format (:mod:`kg.tabular`) and FollowTheMoney entities
(followthemoney)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef

from .errors import KGError
from .namespaces import PREFIXES

if TYPE_CHECKING:
    from .config import Settings
    from .stores.base import Store

RDF_FORMATS = {"turtle": "longturtle", "nt": "nt", "jsonld": "json-ld"}
NETWORK_FORMATS = ("graphml", "gexf", "cytoscape")  # files made from to_networkx
EXPORT_FORMATS = (*RDF_FORMATS, *NETWORK_FORMATS, "csv", "ftm")


def with_prefixes(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def serialize(graph: Graph, fmt: str) -> str:
    """The graph as text in an RDF format (deterministic for Turtle and N-Triples)."""
    if fmt not in RDF_FORMATS:
        raise KGError(f"unknown RDF format {fmt!r}: choose one of {', '.join(RDF_FORMATS)}")
    with_prefixes(graph)
    if fmt == "nt":
        lines = graph.serialize(format="nt").splitlines()
        return "\n".join(sorted(line for line in lines if line.strip())) + "\n"
    if fmt == "jsonld":
        context = {p: ns for p, ns in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, indent=2)
    return graph.serialize(format=RDF_FORMATS[fmt])


def data_graph(store: Store, settings: Settings) -> Graph:
    """The triples of the data files only: no vocabulary or shapes (a project copies those, it
    does not ingest them) and no derived facts. What the CSV export writes."""
    from .derived import strip_derived
    from .project import is_file_graph, ontology_files, path_of, relative_path

    vocabulary = {relative_path(p, settings.root) for p in ontology_files(settings)}
    graph = Graph()
    for name in store.graph_names():
        if is_file_graph(name) and path_of(name) not in vocabulary:
            graph += store.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
                                     bindings={"g": URIRef(name)})
    return strip_derived(graph)


def _write_network(graph: Graph, fmt: str, output: Path) -> None:
    from .network import to_networkx, write_cytoscape, write_gexf, write_graphml

    writers = {"graphml": write_graphml, "gexf": write_gexf, "cytoscape": write_cytoscape}
    output.parent.mkdir(parents=True, exist_ok=True)
    writers[fmt](to_networkx(graph), output)


def export_graph(graph: Graph, fmt: str, output: Path | None, *,
                 warn: Callable[[str], None] | None = None) -> str | None:
    """Serialize to ``output`` (a file, or a folder for CSV) or return the text for stdout.

    For CSV, what the tabular format cannot hold is counted by predicate and passed to ``warn``
    (one line), never dropped silently.
    """
    if fmt in NETWORK_FORMATS:
        if output is None:
            suffix = "json" if fmt == "cytoscape" else fmt
            raise KGError(f"{fmt} needs an output file (-o graph.{suffix})")
        _write_network(graph, fmt, output)
        return None
    if fmt == "csv":
        if output is None:
            raise KGError("CSV export needs an output folder (-o tables/)")
        from .tabular import export_tables

        note = export_tables(graph, output).describe_unexported()
        if note and warn is not None:
            warn(note)
        return None
    if fmt == "ftm":
        from .ftm import write_ftm

        return write_ftm(graph, output)[0]
    text = serialize(graph, fmt)
    if output is None:
        return text
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    return None
