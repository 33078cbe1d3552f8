"""SHACL validation: the only module that calls pySHACL.

Choices made once, here: inference ``none`` (the vocabulary is merged into the data graph
instead, so ``rdfs:subClassOf`` chains are visible to ``sh:targetClass`` without adding
inferred triples), SHACL-AF ``advanced`` features on, every result collected.

Two engines give the same report: ``fast`` (the default, :mod:`kg.fastshacl`: pyshacl-turbo's
native engine with the same options, about 10x faster on big graphs; tested result for result
against pySHACL) and ``pyshacl`` (the reference, and the fallback when pyshacl-turbo is not
installed). :func:`validate_project` hands the fast engine the project's files as Oxigraph
parsed them (no rdflib Dataset), and with ``cache=True`` (``kg validate``) answers a rerun with
no file changed from the report cache (:mod:`kg.validation_cache`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from rdflib import BNode, Dataset, Graph, URIRef, plugin
from rdflib import Literal as RDFLiteral
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
    relative_path,
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
    from_cache: bool = False  # read from the report cache (kg.validation_cache): no graph

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


_registered = False


def _use_caching_processor() -> None:
    global _registered
    if not _registered:
        plugin.register("sparql", Processor, "kg.pyshacl_sparql", "CachingProcessor")
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
    dataset: Dataset, results: Iterable[ValidationResult], order: Sequence[str]
) -> list[ValidationResult]:
    """Attach the file that states each focus node: the first one in ``order`` (relative
    paths; the dataset's graphs come in no particular order), then by path."""
    results = list(results)
    focus = {r.focus_node for r in results}
    owners: dict[Node, set[str]] = {}
    for graph in dataset.graphs():
        file = path_of(graph.identifier)
        if file is None:
            continue
        for s in set(graph.subjects()) & focus:
            owners.setdefault(s, set()).add(file)
    rank = {file: i for i, file in reversed(list(enumerate(order)))}

    def first(node: Node) -> str | None:
        files = owners.get(node)
        return min(files, key=lambda f: (rank.get(f, len(rank)), f)) if files else None

    return [ValidationResult(**{**r.__dict__, "file": first(r.focus_node)}) for r in results]


def resolve_engine(engine: str | None) -> Engine:
    """The engine to use: ``engine`` itself, or for None the default: ``fast`` when
    pyshacl-turbo is installed (a dependency of kg), else ``pyshacl``."""
    if engine is None:
        return "fast" if fast_engine_available() else "pyshacl"
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r} (expected one of {', '.join(ENGINES)})")
    return "fast" if engine == "fast" else "pyshacl"


def fast_engine_available() -> bool:
    """True when pyshacl-turbo can be imported (checked without importing it)."""
    import importlib.util

    return importlib.util.find_spec("pyshacl_turbo") is not None


def validate_project(
    settings: Settings, paths: Sequence[Path] | None = None, *, dataset: Dataset | None = None,
    engine: Engine | None = None, cache: bool = False,
) -> ValidationReport:
    """Validate the project's data; with ``paths``, check those files in the data's context
    and report only the results about nodes those files state. ``dataset``: the project's
    files already loaded (by :func:`kg.loading.load_graph`), so they are not parsed again.
    ``engine``: see :func:`validate_with` (None: :func:`resolve_engine`'s default).
    ``cache``: answer from, and store into, the report cache under ``build/``
    (:mod:`kg.validation_cache`) when the files are read here (not with ``dataset``); a cached
    report has no ``graph``, and ``from_cache`` says where it came from."""
    chosen_engine = resolve_engine(engine)
    chosen = [p.resolve() for p in paths] if paths else []
    if dataset is not None and not chosen:
        order = [*ontology_files(settings), *data_files(settings)]   # as load_graph reads them
        return _validate_dataset(settings, dataset, chosen_engine, order)
    if not shapes_files(settings):
        split_ontology(settings)            # raises the error that says so
    from . import validation_cache

    with reading(settings):
        files = list(dict.fromkeys([*[p.resolve() for p in data_files(settings)], *chosen]))
        key = place = None
        if cache:
            place = validation_cache.cache_file(settings, chosen_engine, chosen)
            key = validation_cache.cache_key(settings, ontology_files(settings), files, chosen,
                                             chosen_engine)
            stored = validation_cache.load(place, key)
            if stored is not None:
                try:
                    return report_from_json(stored, from_cache=True)
                except (KeyError, TypeError, ValueError):
                    pass                    # written by something else: validate again
        vocabulary, shapes = split_ontology(settings)
        if chosen_engine == "fast":
            from .fastshacl import ProjectFiles

            loaded: ProjectFiles | Dataset = ProjectFiles(files, settings.root)
        else:
            loaded = load_files(files, root=settings.root)
        if key is not None and key != validation_cache.cache_key(
                settings, ontology_files(settings), files, chosen, chosen_engine):
            key = None                      # a file changed while it was read: do not store
    if isinstance(loaded, Dataset):
        report = _validate_dataset(settings, loaded, chosen_engine, files, chosen,
                                   ontology=(vocabulary, shapes))
    else:
        report = _validate_files(settings, loaded, chosen, vocabulary, shapes)
    if key is not None and place is not None:
        validation_cache.save(place, key, report_to_json(report))
    return report


def _validate_files(settings: Settings, files: Any, chosen: Sequence[Path],
                    vocabulary: Graph, shapes: Graph) -> ValidationReport:
    """The fast engine on files parsed into an Oxigraph store (:class:`kg.fastshacl.
    ProjectFiles`): the results located and filtered as :func:`_validate_dataset` does."""
    from .fastshacl import validate_project_files

    report = validate_project_files(files, shapes=shapes, vocabulary=vocabulary)
    wanted = {relative_path(p, settings.root) for p in chosen}
    results = []
    for r in report.results:
        stating = files.files_stating(r.focus_node)
        if chosen and not wanted.intersection(stating):
            continue
        results.append(ValidationResult(**{**r.__dict__,
                                           "file": stating[0] if stating else None}))
    return ValidationReport(results, report.triples, report.graph)


def _validate_dataset(settings: Settings, dataset: Dataset, engine: Engine,
                      order: Sequence[Path], chosen: Sequence[Path] = (), *,
                      ontology: tuple[Graph, Graph] | None = None) -> ValidationReport:
    vocabulary, shapes = ontology or split_ontology(settings)
    vocabulary_graphs = {graph_name(p, settings.root) for p in ontology_files(settings)}
    union = Graph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if g not in vocabulary_graphs:
            union.add((s, p, o))
    report = validate_with(engine, union, shapes=shapes, vocabulary=vocabulary)
    results = _locate(dataset, report.results,
                      [relative_path(p, settings.root) for p in order])
    if chosen:
        stated: set[Node] = set()
        for path in chosen:
            stated.update(dataset.graph(graph_name(path, settings.root)).subjects())
        results = [r for r in results if r.focus_node in stated]
    return ValidationReport(results, report.triples, report.graph)


# --- reports as JSON (the cache's form) -------------------------------------------------------

def _term_to_json(term: Node | None) -> Any:
    if term is None:
        return None
    if isinstance(term, RDFLiteral):
        return {"literal": str(term), "lang": term.language,
                "datatype": None if term.datatype is None else str(term.datatype)}
    if isinstance(term, BNode):
        return {"bnode": str(term)}
    return {"iri": str(term)}


def _term_from_json(data: Any) -> Node | None:
    if data is None:
        return None
    if "literal" in data:
        if data.get("lang"):
            return RDFLiteral(data["literal"], lang=data["lang"])
        datatype = data.get("datatype")
        return RDFLiteral(data["literal"], datatype=None if datatype is None else URIRef(datatype))
    if "bnode" in data:
        return BNode(data["bnode"])
    return URIRef(data["iri"])


def report_to_json(report: ValidationReport) -> dict[str, Any]:
    """A report's results and triple count as JSON-able data, every term exactly."""
    return {"triples": report.triples, "results": [
        {"focus_node": _term_to_json(r.focus_node), "path": _term_to_json(r.path),
         "value": _term_to_json(r.value), "message": r.message, "severity": r.severity,
         "source_shape": _term_to_json(r.source_shape),
         "constraint": _term_to_json(r.constraint), "file": r.file}
        for r in report.results]}


def report_from_json(data: dict[str, Any], *, from_cache: bool = False) -> ValidationReport:
    """:func:`report_to_json` read back (without the report graph)."""
    results = []
    for r in data["results"]:
        focus = _term_from_json(r["focus_node"])
        if focus is None or not isinstance(r["message"], str) or \
                r["severity"] not in SEVERITIES.values():
            raise ValueError("not a validation result")
        results.append(ValidationResult(
            focus_node=focus, path=_term_from_json(r["path"]),
            value=_term_from_json(r["value"]), message=r["message"], severity=r["severity"],
            source_shape=_term_from_json(r["source_shape"]),
            constraint=_term_from_json(r["constraint"]),
            file=r["file"] if isinstance(r["file"], str) else None))
    if not isinstance(data["triples"], int):
        raise ValueError("not a triple count")
    return ValidationReport(results, data["triples"], None, from_cache=from_cache)
