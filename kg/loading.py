"""Read the project's Turtle files into an rdflib Dataset, one named graph per file.

Parse errors become :class:`~kg.errors.SourceError` naming the file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from .config import Settings
from .errors import SourceError

RDF_SUFFIXES = {
    ".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld", ".trig": "trig",
}
SKIPPED_DATA_DIRS = ("raw",)  # inputs of importers, not RDF


def rdf_format(path: Path) -> str:
    """The rdflib parser name for a file, from its suffix."""
    try:
        return RDF_SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise SourceError(
            path, f"not an RDF file (expected one of {', '.join(RDF_SUFFIXES)})"
        ) from None


def graph_iri(path: Path, root: Path) -> URIRef:
    """The named graph a file is loaded into: stable, relative to the project root."""
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.resolve().as_posix().lstrip("/")
    return URIRef(f"urn:kg:file:{rel}")


def ontology_files(settings: Settings) -> list[Path]:
    """The vocabulary and shapes files, sorted."""
    return sorted(settings.ontology_dir.glob("*.ttl"))


def data_files(settings: Settings) -> list[Path]:
    """Every RDF file under ``data/`` (but not ``data/raw``), sorted, plus any extra data."""
    found = [
        p
        for p in settings.data_dir.rglob("*")
        if p.is_file()
        and p.suffix.lower() in RDF_SUFFIXES
        and not any(part in SKIPPED_DATA_DIRS for part in p.relative_to(settings.data_dir).parts)
    ]
    return sorted(found) + list(settings.extra_data)


def parse_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one RDF file; a syntax error names the file and the line."""
    graph = Graph() if into is None else into
    if not path.exists():
        raise SourceError(path, "no such file")
    if path.is_dir():
        raise SourceError(path, "is a directory, not an RDF file")
    try:
        graph.parse(path, format=rdf_format(path))
    except BadSyntax as exc:
        line = exc.lines + 1 if isinstance(getattr(exc, "lines", None), int) else None
        why = getattr(exc, "_why", None) or "bad syntax"
        raise SourceError(path, f"Turtle syntax error: {why}", line=line) from exc
    except (SyntaxError, ValueError) as exc:  # other parsers (N-Triples, JSON-LD) and bad literals
        raise SourceError(path, f"cannot parse: {exc}") from exc
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror or exc}") from exc
    return graph


def load_files(paths: Iterable[Path], *, root: Path) -> Dataset:
    """Parse files into a Dataset (one named graph each; the default graph is their union)."""
    dataset = Dataset(default_union=True)
    for path in paths:
        parse_file(path, into=dataset.graph(graph_iri(path, root)))
    return dataset


def load_graph(settings: Settings, paths: Sequence[Path] | None = None) -> Dataset:
    """Load the ontology and the data (or only ``paths`` besides the ontology)."""
    chosen = data_files(settings) if paths is None else list(paths)
    return load_files([*ontology_files(settings), *chosen], root=settings.root)


def load_ontology(settings: Settings) -> Graph:
    """The vocabulary and shapes as one graph."""
    graph = Graph()
    for path in ontology_files(settings):
        parse_file(path, into=graph)
    return graph
