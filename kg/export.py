"""Write the graph out: Turtle, N-Triples, JSON-LD (rdflib), GraphML (networkx), the tabular
CSV format and FollowTheMoney entities (followthemoney)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from .errors import KGError
from .namespaces import PREFIXES

RDF_FORMATS = {"turtle": "longturtle", "nt": "nt", "jsonld": "json-ld"}
EXPORT_FORMATS = (*RDF_FORMATS, "graphml", "csv", "ftm")


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


def export_graph(graph: Graph, fmt: str, output: Path | None) -> str | None:
    """Serialize to ``output`` (a file, or a folder for CSV) or return the text for stdout."""
    if fmt == "graphml":
        if output is None:
            raise KGError("GraphML needs an output file (-o graph.graphml)")
        from .network import to_networkx, write_graphml

        write_graphml(to_networkx(graph), output)
        return None
    if fmt == "csv":
        if output is None:
            raise KGError("CSV export needs an output folder (-o tables/)")
        from .tabular import export_tables

        export_tables(graph, output)
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
