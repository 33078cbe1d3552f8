"""SHACL validation in shards of focus nodes, for graphs no validator holds whole.

Why: at 10^7 triples pySHACL (an rdflib graph plus its own indexes), pyshacl-turbo and rudof
all need more memory than the machine has. SHACL results are *local*: each is about one focus
node, and what decides it is the part of the graph the shapes can reach from that node. So the
focus nodes are enumerated from the shapes' targets, cut into shards of ``shard_size``, and each
shard is validated on a small graph holding its *closure*:

- every triple whose subject is a focus node of the shard;
- the ``rdf:type`` triples of every object of those triples (``sh:class``; the vocabulary is
  mixed in for subclasses), and all triples of those objects when the shapes reach further
  than one hop (``sh:sparql``, ``sh:node``, ``sh:qualifiedValueShape``, ``sh:closed``, paths
  that are not a plain predicate, property shapes nested in property shapes);
- triples *into* a focus node when the shapes use ``sh:inversePath``, ``sh:targetObjectsOf``
  or SPARQL (which may look either way);
- the triples of blank nodes that a focus node points at (one level: the contract gives
  every fact node an IRI, so blank nodes only appear inside shapes-free structures).

Closure nodes are themselves targets of shapes but with partial data, so only results whose
focus node belongs to the shard are kept; each focus node belongs to exactly one shard, so the
merged report equals the whole-graph report (``tests/test_sharding.py`` and the 1M-triple
benchmark compare them result for result).

The graph is read as N-Triples text, in passes over the file, and each shard's lines are
routed to a temporary file: no index of the whole graph is built in memory, and literals keep
their exact lexical form and datatype (pyoxigraph 0.5 would turn ``xsd:nonNegativeInteger``
into ``xsd:integer`` and ``1.50`` into ``1.5``, which changes SHACL datatype results).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import Literal, Protocol, TextIO, runtime_checkable

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from .errors import ShapesError, SourceError
from .namespaces import SH
from .validation import ValidationReport, ValidationResult, validate

Validator = Callable[[Graph, Graph, Graph | None], ValidationReport]


@runtime_checkable
class FileValidator(Protocol):
    """A validator that is given each shard's N-Triples file instead of an rdflib graph
    (e.g. :class:`kg.fastshacl.FastValidator`, whose engine reads the text itself)."""

    reads_files: Literal[True]

    def __call__(self, data: Graph | Path, shapes: Graph,
                 vocabulary: Graph | None) -> ValidationReport: ...

GraphSource = Path | str | Graph

RDF_TYPE = f"<{RDF.type}>"
_COMMENTED = re.compile(r"\.\s+#[^\"<>]*$")      # a triple followed by a comment
# Constraints that may look past the focus node's own triples and its objects' types.
DEEP = (SH.sparql, SH.node, SH.qualifiedValueShape, SH.closed)


def _pyshacl(data: Graph, shapes: Graph, vocabulary: Graph | None) -> ValidationReport:
    return validate(data, shapes=shapes, vocabulary=vocabulary)


def _split(line: str) -> tuple[str, str, str] | None:
    """(subject, predicate, object) of an N-Triples line, as N-Triples terms."""
    line = line.strip()
    if not line or line[0] == "#":
        return None
    s, _, rest = line.partition(" ")
    p, _, o = rest.lstrip().partition(" ")
    o = o.strip()
    if o.endswith("."):
        o = o[:-1].rstrip()
    return s, p, o


def _triples(path: Path) -> Iterator[tuple[str, str, str, str]]:
    """Every triple of an N-Triples file; a line that is not one (cut short, no final
    ``.``) is an error naming the file and the line."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            t = _split(line)
            if t is None:
                continue
            if not t[2] or not line.rstrip().endswith(".") and not _COMMENTED.search(line):
                raise SourceError(path, f"not an N-Triples line: {line.strip()[:80]}",
                                  line=number)
            yield t[0], t[1], t[2], line if line.endswith("\n") else line + "\n"


def _subclasses(vocabulary: Graph | None, classes: set[Node]) -> set[Node]:
    """``classes`` and all their rdfs:subClassOf descendants in the vocabulary."""
    found = set(classes)
    if vocabulary is None:
        return found
    todo = list(classes)
    while todo:
        c = todo.pop()
        for sub in vocabulary.subjects(RDFS.subClassOf, c):
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


Targets = tuple[set[Node], set[Node], set[Node], set[Node]]


def _targets(shapes: Graph, vocabulary: Graph | None) -> Targets:
    """(classes, nodes, subjects-of predicates, objects-of predicates) the shapes target."""
    classes = set(shapes.objects(None, SH.targetClass))
    shape_nodes = set(shapes.subjects(RDF.type, SH.NodeShape))
    shape_nodes |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    for shape in shape_nodes:
        if (shape, RDF.type, RDFS.Class) in shapes or (
            vocabulary is not None and (shape, RDF.type, RDFS.Class) in vocabulary
        ):
            classes.add(shape)       # implicit class targets
    return (_subclasses(vocabulary, classes), set(shapes.objects(None, SH.targetNode)),
            set(shapes.objects(None, SH.targetSubjectsOf)),
            set(shapes.objects(None, SH.targetObjectsOf)))


def _reach(shapes: Graph) -> tuple[bool, bool]:
    """(deep, incoming): must the closure take objects' triples, and triples into the node?"""
    deep = any(True for p in DEEP for _ in shapes.subject_objects(p))
    for path in shapes.objects(None, SH.path):
        if not isinstance(path, URIRef):        # sequence, alternative, inverse, * paths
            deep = True
    nested = any(True for s in shapes.subjects(SH.path, None)
                 for _ in shapes.objects(s, SH.property))
    incoming = any(True for _ in shapes.subject_objects(SH.inversePath)) or \
        any(True for _ in shapes.subject_objects(SH.sparql)) or \
        any(True for _ in shapes.subject_objects(SH.targetObjectsOf))
    return deep or nested, incoming


def _n3(term: Node) -> str:
    return term.n3()


class _Plan:
    """Pass 1: which nodes are focus nodes, and the rdf:type lines of every typed node."""

    def __init__(self, path: Path, shapes: Graph, vocabulary: Graph | None) -> None:
        classes, nodes, subjects_of, objects_of = (
            {_n3(x) for x in group} for group in _targets(shapes, vocabulary))
        self.deep, self.incoming = _reach(shapes)
        self.type_lines: dict[str, list[str]] = {}
        focus: set[str] = set(nodes)
        for s, p, o, line in _triples(path):
            if p == RDF_TYPE:
                self.type_lines.setdefault(s, []).append(line)
                if o in classes:
                    focus.add(s)
            if p in subjects_of:
                focus.add(s)
            if p in objects_of and o[0] in "<_":
                focus.add(o)
        self.focus = sorted(focus)


def _route(path: Path, plan: _Plan, shard_size: int, folder: Path) -> list[Path]:
    """Passes 2 and 3: write each shard's closure to its own N-Triples file."""
    shard_of = {node: i // shard_size for i, node in enumerate(plan.focus)}
    n = (len(plan.focus) + shard_size - 1) // shard_size
    files = [folder / f"shard-{i:05d}.nt" for i in range(n)]
    outs = [open(f, "w", encoding="utf-8") for f in files]
    refs: dict[str, set[int]] = {}      # node -> shards whose focus nodes point at it
    try:
        for s, _p, o, line in _triples(path):
            i = shard_of.get(s)
            if i is not None:
                outs[i].write(line)
                if o[0] in "<_" and shard_of.get(o) != i:
                    refs.setdefault(o, set()).add(i)
            if plan.incoming and o in shard_of and shard_of[o] != i:
                outs[shard_of[o]].write(line)
        _route_objects(path, plan, refs, outs)
    finally:
        for f in outs:
            f.close()
    return files


def _route_objects(path: Path, plan: _Plan, refs: dict[str, set[int]],
                   outs: Sequence[TextIO]) -> None:
    """Objects' rdf:type lines (from pass 1) and, for deep shapes or blank nodes, all their
    triples (pass 3) go to every shard that points at them."""
    for node, shards_ in refs.items():
        for line in plan.type_lines.get(node, ()):
            for i in shards_:
                outs[i].write(line)
    if plan.deep or any(node[0] == "_" for node in refs):
        for s, _p, _o, line in _triples(path):
            if s in refs and (plan.deep or s[0] == "_"):
                for i in refs[s]:
                    outs[i].write(line)


def _to_ntriples(source: GraphSource, folder: Path) -> Path:
    if isinstance(source, Graph):
        path = folder / "input.nt"
        source.serialize(path, format="nt", encoding="utf-8")
        return path
    path = Path(source)
    if path.suffix.lower() == ".nt":
        return path
    if path.suffix.lower() in (".ttl", ".nq", ".trig"):
        from .loading import parse_file

        graph = parse_file(path)
        out = folder / "input.nt"
        graph.serialize(out, format="nt", encoding="utf-8")
        return out
    raise ShapesError(f"{path}: cannot shard a {path.suffix} file (give N-Triples or Turtle)")


def validate_sharded(
    graph_source: GraphSource,
    *,
    shapes: Graph,
    vocabulary: Graph | None = None,
    shard_size: int = 50_000,
    validator: Validator | FileValidator | None = None,
    workdir: Path | None = None,
    only: Collection[str] | None = None,
    first_shards: int | None = None,
    workers: int = 1,
) -> ValidationReport:
    """Validate ``graph_source`` (an N-Triples or Turtle file, or an rdflib graph) shard by
    shard of ``shard_size`` focus nodes and merge the results; equal to validating the whole
    graph at once. ``validator(data, shapes, vocabulary)`` defaults to pySHACL; a
    :class:`FileValidator` is given each shard's file instead of a parsed graph. With ``only``
    (IRIs), just those focus nodes are validated, in their full context; with
    ``first_shards``, only the first shards (a sample, to estimate time and memory); with
    ``workers`` > 1, shards are validated in that many processes at once (memory: one shard
    per process)."""
    if shard_size < 1:
        raise ValueError("shard_size must be positive")
    if not isinstance(graph_source, Graph):
        from .parsing import read_quads

        for _quad in read_quads(Path(graph_source)):  # the one parser decides what the file is
            pass
    run = validator or _pyshacl
    with tempfile.TemporaryDirectory(dir=workdir, prefix="kg-shards-") as tmp:
        folder = Path(tmp)
        path = _to_ntriples(graph_source, folder)
        plan = _Plan(path, shapes, vocabulary)
        if only is not None:
            wanted = {f"<{x}>" for x in only}
            plan.focus = [x for x in plan.focus if x in wanted]
        triples = sum(1 for _ in _triples(path))
        if isinstance(run, FileValidator) and only is None and len(plan.focus) <= shard_size:
            files = [path]      # one shard: the whole file is its closure, no need to route
        else:
            files = _route(path, plan, shard_size, folder)
        del plan.type_lines
        shards = [(file, plan.focus[i * shard_size:(i + 1) * shard_size])
                  for i, file in enumerate(files[:first_shards])]
        results: list[ValidationResult] = []
        if workers > 1 and len(shards) > 1:
            results = _in_processes(shards, shapes, vocabulary, run, workers)
        else:
            for file, focus in shards:
                results.extend(_shard(file, focus, shapes, vocabulary, run))
    results.sort(key=lambda x: (str(x.focus_node), str(x.path), x.message))
    return ValidationReport(results, triples)


def _shard(file: Path, focus: Sequence[str], shapes: Graph, vocabulary: Graph | None,
           run: Validator | FileValidator) -> list[ValidationResult]:
    """Validate one shard's closure; keep the results about the shard's own focus nodes."""
    mine = {URIRef(x[1:-1]) for x in focus if x[0] == "<"}
    mine_b = {x[2:] for x in focus if x[0] == "_"}
    if isinstance(run, FileValidator):
        part = run(file, shapes, vocabulary)
    else:
        graph = Graph()
        graph.parse(file, format="nt")
        part = run(graph, shapes, vocabulary)
    return [r for r in part.results if r.focus_node in mine or str(r.focus_node) in mine_b]


_worker: tuple[Graph, Graph | None, Validator | FileValidator] | None = None


def _start_worker(shapes: Graph, vocabulary: Graph | None,
                  run: Validator | FileValidator) -> None:
    global _worker
    _worker = (shapes, vocabulary, run)


def _worker_shard(file: Path, focus: Sequence[str]) -> list[ValidationResult]:
    assert _worker is not None
    return _shard(file, focus, *_worker)


def _in_processes(shards: Sequence[tuple[Path, Sequence[str]]], shapes: Graph,
                  vocabulary: Graph | None, run: Validator | FileValidator,
                  workers: int) -> list[ValidationResult]:
    """The shards in ``workers`` processes, each given the shapes and vocabulary once.
    Forked where the platform can (no re-import of the caller's ``__main__``, whatever
    guards it has; only the validator, in the workers, starts native threads), spawned
    elsewhere, in which case everything passed must pickle."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context(method),
                             initializer=_start_worker,
                             initargs=(shapes, vocabulary, run)) as pool:
        parts = list(pool.map(_worker_shard, *zip(*shards, strict=True)))
    return [r for part in parts for r in part]


def report_key(report: ValidationReport) -> list[tuple[str | None, ...]]:
    """A report as sorted plain tuples, for comparing two reports result for result."""
    rows = [tuple(r.to_dict().values()) for r in report.results]
    return sorted(rows, key=lambda row: tuple("" if x is None else x for x in row))
