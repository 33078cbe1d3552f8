"""SHACL validation: the only module that calls pySHACL.

Choices made once, here: inference ``none`` (the vocabulary is merged into the data graph
instead, so ``rdfs:subClassOf`` chains are visible to ``sh:targetClass`` without adding
inferred triples), SHACL-AF ``advanced`` features on, every result collected.

Two engines give the same report: ``pyshacl`` (the reference, the default) and ``fast``
(:mod:`kg.fastshacl`: pyshacl-turbo's native engine with the same options, about 10x faster
on big graphs; tested result for result against pySHACL).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from rdflib import Dataset, Graph, URIRef, plugin
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.query import Processor
from rdflib.term import Node

from .config import Settings
from .errors import ConformanceError, ShapesError
from .loading import load_files
from .namespaces import SH
from .parsing import parse_file
from .project import (
    data_files,
    graph_name,
    is_shapes_file,
    ontology_files,
    path_of,
    reading,
    shapes_files,
)
from .remote import refuse_remote_sparql

SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
Engine = Literal["pyshacl", "fast"]
ENGINES: tuple[Engine, ...] = ("pyshacl", "fast")


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result: where, what and why."""

    focus_node: Node
    path: Node | None
    value: Node | None
    message: str
    severity: str
    source_shape: Node | None
    constraint: Node | None
    file: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        def s(x: Node | None) -> str | None:
            return None if x is None else str(x)

        return {
            "focus_node": s(self.focus_node), "path": s(self.path), "value": s(self.value),
            "message": self.message, "severity": self.severity,
            "source_shape": s(self.source_shape), "constraint": s(self.constraint),
            "file": self.file,
        }


@dataclass
class ValidationReport:
    """The outcome of a validation: plain Python objects, raising is opt-in."""

    results: list[ValidationResult] = field(default_factory=list)
    triples: int = 0
    graph: Graph | None = field(default=None, repr=False)  # the sh:ValidationReport as RDF

    @property
    def conforms(self) -> bool:
        return not any(r.severity == "violation" for r in self.results)

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "violation"]

    def raise_for_violations(self) -> None:
        if not self.conforms:
            first = self.violations[0]
            raise ConformanceError(
                f"{len(self.violations)} violation(s); first: {first.focus_node}: {first.message}"
            )


def split_ontology(settings: Settings) -> tuple[Graph, Graph]:
    """(vocabulary, shapes) from ``ontology/``: files named ``*-shapes.ttl`` are shapes.

    No shapes file, or a SPARQL constraint that would reach the network (``SERVICE``), is a
    :class:`~kg.errors.ShapesError`: validating against nothing would always "conform".
    """
    if not shapes_files(settings):
        raise ShapesError(f"{settings.ontology_dir}: no shapes file (*-shapes.ttl), so nothing "
                          "can be validated")
    vocabulary, shapes = Graph(), Graph()
    for path in ontology_files(settings):
        parse_file(path, into=shapes if is_shapes_file(path) else vocabulary)
    for predicate in (SH.select, SH.ask):
        for text in shapes.objects(None, predicate):
            refuse_remote_sparql(str(text), where=f"{settings.ontology_dir} ({predicate})",
                                 error=ShapesError)
    return vocabulary, shapes


def _first(graph: Graph, subject: Node, predicate: Node) -> Node | None:
    return next(iter(graph.objects(subject, predicate)), None)


def _severity(term: Node | None) -> str:
    return SEVERITIES.get(term, "violation") if isinstance(term, URIRef) else "violation"


def _read_results(report_graph: Graph) -> list[ValidationResult]:
    results = []
    for r in report_graph.subjects(SH.resultSeverity, None):
        message = _first(report_graph, r, SH.resultMessage)
        results.append(ValidationResult(
            focus_node=_first(report_graph, r, SH.focusNode),  # type: ignore[arg-type]
            path=_first(report_graph, r, SH.resultPath),
            value=_first(report_graph, r, SH.value),
            message=str(message) if message is not None else "",
            severity=_severity(_first(report_graph, r, SH.resultSeverity)),
            source_shape=_first(report_graph, r, SH.sourceShape),
            constraint=_first(report_graph, r, SH.sourceConstraintComponent),
        ))
    return sorted(results, key=lambda x: (str(x.focus_node), str(x.path), x.message))


class _CachingProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor, with parsed queries memoised.

    pySHACL hands the same SPARQL-constraint text to rdflib once per focus node, and rdflib
    parses it every time (7-70 ms each): on 20k triples that was 112 s of parsing alone.
    """

    def query(  # type: ignore[override]
        self, strOrQuery: Any, initBindings: Any = None, initNs: Any = None,
        base: str | None = None, DEBUG: bool = False,
    ) -> Any:
        if isinstance(strOrQuery, str):
            namespaces = tuple(sorted((k, str(v)) for k, v in (initNs or {}).items()))
            strOrQuery = _translated(strOrQuery, base, namespaces)
        return evalQuery(self.graph, strOrQuery, initBindings, base)


@lru_cache(maxsize=512)
def _translated(text: str, base: str | None, namespaces: tuple[tuple[str, str], ...]) -> Any:
    return translateQuery(parseQuery(text), base, dict(namespaces))


_registered = False


def _use_caching_processor() -> None:
    global _registered
    if not _registered:
        plugin.register("sparql", Processor, "kg.validation", "_CachingProcessor")
        _registered = True


def validate(data: Graph, *, shapes: Graph, vocabulary: Graph | None = None) -> ValidationReport:
    """Validate ``data`` against ``shapes`` with ``vocabulary`` mixed in."""
    import pyshacl

    _use_caching_processor()
    from pyshacl.errors import ReportableRuntimeError, ShapeLoadError

    try:
        _conforms, report_graph, _text = pyshacl.validate(
            data, shacl_graph=shapes, ont_graph=vocabulary, inference="none",
            advanced=True, abort_on_first=False, allow_warnings=True, allow_infos=True,
            do_owl_imports=False,  # never fetch: see kg.remote
        )
    except (ShapeLoadError, ReportableRuntimeError) as exc:
        raise ShapesError(f"the shapes graph is unusable: {exc}") from exc
    assert isinstance(report_graph, Graph)  # pyshacl returns the report as a Graph
    return ValidationReport(_read_results(report_graph), len(data), report_graph)


def validate_with(engine: Engine, data: Graph, *, shapes: Graph,
                  vocabulary: Graph | None = None) -> ValidationReport:
    """:func:`validate` with the chosen engine: ``pyshacl`` or ``fast`` (same report)."""
    if engine == "fast":
        from .fastshacl import validate_fast

        return validate_fast(data, shapes=shapes, vocabulary=vocabulary)
    if engine != "pyshacl":
        raise ValueError(f"unknown SHACL engine {engine!r} (expected one of {', '.join(ENGINES)})")
    return validate(data, shapes=shapes, vocabulary=vocabulary)


def _locate(
    dataset: Dataset, results: Iterable[ValidationResult], root: Path
) -> list[ValidationResult]:
    """Attach the file that states each focus node (the first one, in file order)."""
    owners: dict[Node, str] = {}
    for graph in dataset.graphs():
        file = path_of(graph.identifier)
        if file is None:
            continue
        for s in set(graph.subjects()):
            owners.setdefault(s, file)
    return [
        ValidationResult(**{**r.__dict__, "file": owners.get(r.focus_node)}) for r in results
    ]


def validate_project(
    settings: Settings, paths: Sequence[Path] | None = None, *, dataset: Dataset | None = None,
    engine: Engine = "pyshacl",
) -> ValidationReport:
    """Validate the project's data; with ``paths``, check those files in the data's context
    and report only the results about nodes those files state. ``dataset``: the project's
    files already loaded (by :func:`kg.loading.load_graph`), so they are not parsed again.
    ``engine``: see :func:`validate_with`."""
    vocabulary, shapes = split_ontology(settings)
    chosen = [p.resolve() for p in paths] if paths else []
    if dataset is None or chosen:
        with reading(settings):
            project = data_files(settings)
            files = list(dict.fromkeys([*[p.resolve() for p in project], *chosen]))
            dataset = load_files(files, root=settings.root)
    vocabulary_graphs = {graph_name(p, settings.root) for p in ontology_files(settings)}
    union = Graph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if g not in vocabulary_graphs:
            union.add((s, p, o))
    report = validate_with(engine, union, shapes=shapes, vocabulary=vocabulary)
    results = _locate(dataset, report.results, settings.root)
    if chosen:
        stated: set[Node] = set()
        for path in chosen:
            stated.update(dataset.graph(graph_name(path, settings.root)).subjects())
        results = [r for r in results if r.focus_node in stated]
    return ValidationReport(results, report.triples, report.graph)
