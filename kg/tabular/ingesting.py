"""``ingest_files``: CSV files → checked triples → ``data/ingested/<stem>.ttl``, all or nothing.

The order of work:

1. every file is read and every row parsed on its own (type of each cell, required cells);
2. the batch is checked as a whole against the project's graph (ids unique, refs exist and
   point at the right class, cross-column rules); an unknown id that a file rejected whole
   (not CSV, a bad header) could define is not an error of its own but counted in that file's
   error (:class:`Unread`): one root cause, one message;
3. the project's graph plus the new triples are validated with the SHACL shapes, and the
   violations about the new nodes are reported against their file, row and field;
4. only when nothing is wrong anywhere, the outputs ``data/ingested/<stem>.ttl`` are written as
   one batch (:mod:`kg.committing`): staged, each staged file parsed again by the one parser,
   then moved into place in one commit step that a reader never sees half-done and that the
   next run finishes when the process was killed during it.

The whole run holds the project's writer lock (:func:`kg.project.writing`), so two ingests (or
an ingest and a build) never interleave: the second waits, and is refused after
``KG_LOCK_WAIT`` seconds. Outputs that cannot be written (a folder in the way) are found before
anything is written. Re-ingesting a file replaces its earlier output, and its rows are checked
against the project *without* that output (plus the batch), so ingesting is idempotent.
Problems with the inputs come back in :attr:`IngestResult.errors`; a broken project
(unparsable Turtle under ``data/``, unusable shapes) raises, because then nothing can be
checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from .. import committing
from ..config import Settings
from ..errors import InputError, KGError, SourceError
from ..namespaces import PREFIXES
from ..parsing import parse_file
from ..project import data_files, relative_path, shown_path, writing
from ..validation import ValidationResult, resolve_engine, split_ontology, validate_with
from .converting import (
    Known,
    Record,
    UnknownRef,
    check_ids,
    check_records,
    iter_triples,
    read_record,
    ref_classes,
)
from .reading import read_rows
from .schema import Column, RecordType, Schema, load_schema

OUTPUT_FOLDER = "ingested"


@dataclass(frozen=True)
class IngestedFile:
    """One input file and what it became."""

    path: Path
    record_type: str
    rows: int
    triples: int
    output: Path
    replaced: bool  # an earlier output of a file with this name existed


@dataclass(frozen=True)
class IngestResult:
    """What ``ingest_files`` did. ``written`` is False whenever ``errors`` is not empty."""

    files: tuple[IngestedFile, ...]
    errors: tuple[KGError, ...]
    warnings: tuple[ValidationResult, ...] = ()
    graph: Graph = field(default_factory=Graph)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """Lines a person can read: one per error, or one per file written."""
        if self.errors:
            return "\n".join([*(f"error: {e}" for e in self.errors),
                              f"nothing was written ({len(self.errors)} error(s))"])
        verb = "wrote" if self.written else "checked (not written)"
        lines = [
            f"{verb} {shown_path(f.output)}: {f.rows} row(s), {f.triples} triple(s) from "
            f"{shown_path(f.path)}"
            + (" (replaced the earlier version)" if f.replaced and self.written else "")
            for f in self.files
        ]
        lines += [f"warning: {w.focus_node}: {w.message}" for w in self.warnings]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def raise_for_errors(self) -> None:
        """Raise the first error (an InputError or SourceError), if any."""
        if self.errors:
            raise self.errors[0]


def output_path(settings: Settings, path: Path) -> Path:
    """Where the triples of an input file go: ``data/ingested/<stem>.ttl``."""
    return settings.data_dir / OUTPUT_FOLDER / f"{path.stem}.ttl"


@dataclass
class Unread:
    """An input file rejected whole (not CSV, a bad header, a clash of names): its rows are
    unknown, so references to ids it would define cannot be checked."""

    path: Path
    record_type: RecordType
    error: KGError
    follow_ons: list[InputError] = field(default_factory=list)

    def could_define(self, schema: Schema, column: Column, known: Known) -> bool:
        if column.ref == self.record_type.name:
            return True
        allowed = ref_classes(schema, column, known)
        return allowed is not None and bool(set(schema.classes_of(self.record_type)) & allowed)

    def folded(self) -> KGError:
        """The root error, with the follow-on errors it caused counted instead of listed."""
        if not self.follow_ons:
            return self.error
        n = len(self.follow_ons)
        files = sorted({Path(e.path).name for e in self.follow_ons})
        where = ", ".join(files) if len(files) <= 3 else f"{len(files)} other files"
        note = (f" (and {n} reference{'s' if n > 1 else ''} to ids this file defines, in "
                f"{where}: not checked)")
        e = self.error
        if isinstance(e, InputError):
            return InputError(e.path, e.reason + note, row=e.row, field=e.field)
        if isinstance(e, SourceError):
            return SourceError(e.path, e.reason + note, line=e.line, column=e.column)
        return KGError(f"{e}{note}")


def _read_file(schema: Schema, path: Path, rejected: set[Node],
               unread: list[Unread]) -> tuple[list[Record], list[KGError]]:
    rt = schema.for_file(path)
    if rt is None:
        ends = ", ".join(f"{t.file}.csv" for t in schema.types.values())
        return [], [InputError(path, f"cannot tell the record type: the file name must end "
                                     f"with one of {ends}")]
    try:
        rows = read_rows(path, rt)
    except (InputError, SourceError) as exc:
        unread.append(Unread(path, rt, exc))
        return [], [exc]
    records: list[Record] = []
    errors: list[KGError] = []
    for row in rows:
        record, problems = read_record(schema, rt, path, row)
        errors.extend(problems)
        if record is not None:
            records.append(record)  # checked against the batch too, so every error is listed
            if problems:
                rejected.add(record.node)
    return records, errors


def _display(path: Path, root: Path) -> str:
    shown = relative_path(path, root) if path.resolve().is_relative_to(root.resolve()) \
        else path.as_posix()
    return "".join(c if c.isprintable() else "?" for c in shown)  # it goes into a comment


def _known(settings: Settings, replaced: set[Path], vocabulary: Graph) -> tuple[Known, Graph]:
    """The project's data without the outputs about to be replaced, and those outputs."""
    per_file, old = {}, Graph()
    for path in data_files(settings):
        if path.resolve() in replaced:
            parse_file(path, into=old)
        else:
            per_file[_display(path, settings.root)] = parse_file(path)
    return Known.from_graphs(per_file, vocabulary), old


def _violations(report_results: Iterable[ValidationResult], records: dict[Node, Record],
                removed: set[Node], known: Known) -> tuple[list[KGError], list[ValidationResult]]:
    errors: list[KGError] = []
    warnings: list[ValidationResult] = []
    for v in report_results:
        about_batch = v.focus_node in records or v.value in records
        if not (about_batch or v.focus_node in removed or v.value in removed):
            continue
        if v.severity != "violation":
            warnings.append(v)
            continue
        shape = str(v.source_shape).rsplit("#", 1)[-1] if v.source_shape else "a shape"
        message = f"{v.message or 'violates the shapes'} (SHACL {shape})"
        record = records.get(v.focus_node)
        if record is not None:
            column = record.record_type.column_for(v.path) if isinstance(v.path, URIRef) else None
            errors.append(record.error(message, column))
        else:
            where = known.files.get(v.focus_node, str(v.focus_node))
            errors.append(InputError(where, f"{v.focus_node}: {message}; a row of this batch "
                                            "removes or changes a node it needs"))
    return errors, warnings


def _neighbourhood(project: Graph, batch: Graph, removed: set[Node]) -> Graph:
    """The batch and what its shapes can see: the nodes it points at and the nodes pointing at
    it (or at what it removes), each with its triples and the classes of what those point at.

    Validating this instead of the whole project keeps ``kg ingest`` fast on large graphs; the
    shapes only look one or two steps away from a focus node.
    """
    near = set(batch.subjects()) | {o for o in batch.objects() if isinstance(o, URIRef)}
    for target in set(batch.subjects()) | removed:
        near.update(project.subjects(None, target))
    out = Graph()
    out += batch
    for node in near | removed:
        for _s, p, o in project.triples((node, None, None)):
            out.add((node, p, o))
            if isinstance(o, URIRef):
                for cls in project.objects(o, RDF.type):
                    out.add((o, RDF.type, cls))
    return out


def _turtle(graph: Graph, source: str) -> bytes:
    out = Graph()
    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri, override=True, replace=True)
    out += graph
    body = out.serialize(format="longturtle")
    head = (f"# Generated by `kg ingest` from {source}.\n"
            "# Edit that file and ingest it again; changes made here are overwritten.\n\n")
    return (head + body).encode("utf-8")


def _write_all(settings: Settings, outputs: dict[Path, bytes]) -> None:
    """Stage every output, parse each staged file with the one parser, then commit them all."""
    staged = committing.stage(settings, outputs)
    try:
        for file in staged.values():
            parse_file(file)
    except SourceError:
        for file in staged.values():
            file.unlink(missing_ok=True)
        raise
    committing.commit(settings, staged)


def _blocked(settings: Settings, outputs: dict[Path, Path]) -> list[KGError]:
    """Outputs that cannot be written (a folder or a FIFO in the way; a hidden name)."""
    errors: list[KGError] = []
    for source, target in outputs.items():
        if target.name.startswith("."):
            errors.append(InputError(source, f"the output {target.name} would be a hidden "
                                             "file, which kg does not read: rename the input"))
            continue
        try:
            committing.check_target(target)
        except SourceError as exc:
            errors.append(exc)
    return errors


def _convert(schema: Schema, paths: Sequence[Path], rejected: set[Node],
             unread: list[Unread]) -> tuple[dict[Path, list[Record]], list[KGError]]:
    by_file: dict[Path, list[Record]] = {}
    errors: list[KGError] = []
    stems: dict[str, Path] = {}
    for path in paths:
        if path.stem in stems:
            clash = InputError(path, f"another input has the same name "
                                     f"({stems[path.stem]}); both would be written to "
                                     f"{OUTPUT_FOLDER}/{path.stem}.ttl: rename one")
            errors.append(clash)
            rt = schema.for_file(path)
            if rt is not None:
                unread.append(Unread(path, rt, clash))
            continue
        stems[path.stem] = path
        records, problems = _read_file(schema, path, rejected, unread)
        by_file[path] = records
        errors.extend(problems)
    return by_file, errors


def _fold(schema: Schema, errors: list[InputError], unread: list[Unread],
          known: Known) -> list[InputError]:
    """Unknown ids that a rejected file may define go under that file's error (one root cause,
    one message); the errors left are returned."""
    kept: list[InputError] = []
    for e in errors:
        owner = None
        if isinstance(e, UnknownRef):
            owner = next((u for u in unread if u.could_define(schema, e.column, known)), None)
        if owner is None:
            kept.append(e)
        else:
            owner.follow_ons.append(e)
    return kept


def _graph_of(schema: Schema, records: list[Record]) -> Graph:
    """The triples of a file's rows, added in one batch (a graph per row costs twice as much
    on the 3,700 contribution rows of the curated data)."""
    graph = Graph()
    graph.addN((s, p, o, graph) for r in records for s, p, o in iter_triples(schema, r))
    return graph


def ingest_files(settings: Settings, paths: Iterable[str | Path], *,
                 dry_run: bool = False, origins: Mapping[Path, str] | None = None) -> IngestResult:
    """Check CSV files and, when nothing is wrong, write their triples under ``data/ingested``.

    With ``dry_run`` everything is checked and nothing is written. ``origins`` names the file
    an input was made from (for the output's header), when it is a converted temporary file.
    """
    with writing(settings):
        committing.clean(settings)  # a batch interrupted earlier: finish it or drop it
        return _ingest(settings, paths, dry_run=dry_run, origins=origins or {})


def _ingest(settings: Settings, paths: Iterable[str | Path], *, dry_run: bool,
            origins: Mapping[Path, str]) -> IngestResult:
    schema = load_schema()
    inputs = [Path(p) for p in paths]
    rejected: set[Node] = set()
    unread: list[Unread] = []
    by_file, errors = _convert(schema, inputs, rejected, unread)
    outputs = {path: output_path(settings, path) for path in by_file}
    vocabulary, shapes = split_ontology(settings)
    known, old = _known(settings, {o.resolve() for o in outputs.values()}, vocabulary)
    known.rejected = rejected
    records = [r for rs in by_file.values() for r in rs]
    graphs = {path: _graph_of(schema, rs) for path, rs in by_file.items()}
    batch = Graph()
    for g in graphs.values():
        batch += g
    # Errors come in the order of their causes: a row that cannot be read or repeats an id,
    # then what the batch as a whole gets wrong (refs, rules), then what the shapes find.
    errors = _sorted([*errors, *_blocked(settings, outputs), *check_ids(records, known)], inputs)
    errors += _sorted([*_fold(schema, check_records(schema, records, batch, known), unread,
                              known)], inputs)
    roots = {id(u.error): u.folded() for u in unread}
    errors = [roots.get(id(e), e) for e in errors]
    warnings: list[ValidationResult] = []
    if not errors:
        removed = set(old.subjects()) - set(batch.subjects())
        report = validate_with(resolve_engine(None), _neighbourhood(known.graph, batch, removed),
                               shapes=shapes,
                          vocabulary=vocabulary)
        found, warnings = _violations(report.results, {r.node: r for r in records}, removed, known)
        errors = _sorted(found, inputs)
    files = tuple(
        IngestedFile(path, schema.for_file(path).name, len(by_file[path]),  # type: ignore[union-attr]
                     len(graphs[path]), outputs[path], outputs[path].exists())
        for path in by_file if schema.for_file(path) is not None
    )
    if errors or dry_run:
        return IngestResult(files, tuple(errors), tuple(warnings), batch, False)
    _write_all(settings,
               {outputs[p]: _turtle(g, origins.get(p) or _display(p, settings.root))
                for p, g in graphs.items()})
    return IngestResult(files, (), tuple(warnings), batch, True)


def _sorted(errors: list[KGError], inputs: list[Path]) -> list[KGError]:
    order = {str(p): i for i, p in enumerate(inputs)}

    def key(e: KGError) -> tuple[int, int]:
        path = getattr(e, "path", "")
        row = getattr(e, "row", None) or getattr(e, "line", None) or 0
        return order.get(path, len(order)), row

    return sorted(errors, key=key)
