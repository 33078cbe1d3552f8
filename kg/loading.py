"""Read the project's RDF files into an rdflib Dataset, one named graph per file.

Parsing is :func:`kg.parsing.parse_file` (the one parser; errors name file, line and column);
which files are data and how their graphs are named is :mod:`kg.project`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from .config import Settings
from .parsing import parse_file, rdf_format
from .project import (
    RDF_SUFFIXES,
    SKIPPED_DATA_DIRS,
    data_files,
    graph_name,
    ontology_files,
    reading,
)

__all__ = [
    "RDF_SUFFIXES", "SKIPPED_DATA_DIRS", "data_files", "graph_iri", "load_files", "load_graph",
    "load_ontology", "ontology_files", "parse_file", "rdf_format",
]


def graph_iri(path: Path, root: Path) -> URIRef:
    """The named graph a file is loaded into (:func:`kg.project.graph_name`)."""
    return graph_name(path, root)


def load_files(paths: Iterable[Path], *, root: Path) -> Dataset:
    """Parse files into a Dataset (one named graph each; the default graph is their union)."""
    dataset = Dataset(default_union=True)
    for path in paths:
        parse_file(path, into=dataset.graph(graph_name(path, root)))
    return dataset


def load_graph(settings: Settings, paths: Sequence[Path] | None = None) -> Dataset:
    """Load the ontology and the data (or only ``paths`` besides the ontology)."""
    with reading(settings):
        chosen = data_files(settings) if paths is None else list(paths)
        return load_files([*ontology_files(settings), *chosen], root=settings.root)


def load_ontology(settings: Settings) -> Graph:
    """The vocabulary and shapes as one graph."""
    graph = Graph()
    for path in ontology_files(settings):
        parse_file(path, into=graph)
    return graph
