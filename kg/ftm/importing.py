"""``import_ftm``: FtM JSON lines → kg's tabular rows → the tabular ingest, all or nothing.

The entities are converted (:mod:`kg.ftm.converting`) to the CSV record types of
``kg/tabular/schema.yaml`` and written to a temporary folder, which
:func:`kg.tabular.ingest_files` checks and writes into ``data/ingested/<file>-ftm-<type>.ttl``
(one writer: the same checks, SHACL validation, atomic commit and project lock as
``kg ingest``). An error about a converted row is reported against the FtM file and the line of
the entity the row came from.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..errors import InputError, KGError
from ..project import relative_path
from ..tabular import IngestResult, ingest_files, load_schema
from ..tabular.values import neutralise_cell
from .converting import Tables, convert, output_stem
from .reading import Entity, read_entities


@dataclass(frozen=True)
class FtmImport:
    """What ``import_ftm`` did: the ingest's result, the entities read and what was skipped."""

    result: IngestResult
    entities: int
    skipped: dict[str, int] = field(default_factory=dict)
    root: Path = Path(".")  # the project's: outputs are shown relative to it

    @property
    def ok(self) -> bool:
        return self.result.ok

    def summary(self) -> str:
        if not self.result.ok:
            return self.result.summary()
        verb = "wrote" if self.result.written else "checked (not written)"
        lines = [f"read {self.entities} FtM entities"]
        lines += [f"{verb} {relative_path(f.output, self.root)}: {f.rows} {f.record_type} row(s)"
                  for f in self.result.files]
        lines += [_skipped(what, n) for what, n in sorted(self.skipped.items())]
        lines += [f"warning: {w.focus_node}: {w.message}" for w in self.result.warnings]
        return "\n".join(lines)


def _skipped(what: str, n: int) -> str:
    """``skipped 3 Vessel entities (kg cannot hold them)``, with the reason when there is one."""
    schema, _, reason = what.partition(" (")
    noun = "entity" if n == 1 else "entities"
    why = f"({reason}" if reason else f"(kg cannot hold {'it' if n == 1 else 'them'})"
    return f"skipped {n} {schema} {noun} {why}"


_Lines = dict[int, Entity]  # a CSV line → the entity its row came from


def _write_csv(path: Path, header: list[str], rows: list[tuple[Entity, dict[str, str]]]
               ) -> _Lines:
    lines: _Lines = {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for entity, row in rows:
        lines[out.getvalue().count("\n") + 1] = entity
        writer.writerow([neutralise_cell(row.get(c, "")) for c in header])
    path.write_text(out.getvalue(), encoding="utf-8")
    return lines


def _write_tables(folder: Path, stem: str, tables: Tables) -> dict[Path, _Lines]:
    schema = load_schema()
    written = {}
    for name, rt in schema.types.items():  # the schema's order: sources first
        rows = tables.rows.get(name)
        if rows:
            path = folder / f"{stem}-ftm-{rt.file}.csv"
            used = [c for c in rt.column_names if any(c in r for _e, r in rows)]
            written[path] = _write_csv(path, used, rows)
    return written


def _origin(error: KGError, lines: dict[Path, _Lines]) -> KGError:
    """An error about a converted row, told about the FtM file and line it came from."""
    if not isinstance(error, InputError):
        return error
    found = lines.get(Path(error.path))
    if found is None:
        return error
    entity = found.get(error.row or 0)
    if entity is None:
        return InputError(next(iter(found.values())).path, error.reason, field=error.field)
    reason = f"{entity.schema} {entity.id}: {error.reason}"
    return InputError(entity.path, reason, row=entity.line, field=error.field)


def import_ftm(settings: Settings, paths: Iterable[str | Path], *, dataset: str | None = None,
               dataset_url: str | None = None, dry_run: bool = False) -> FtmImport:
    """Read FtM JSON lines files and ingest what kg can hold of them; see the module doc."""
    schema = load_schema()
    total, skipped = 0, dict[str, int]()
    with tempfile.TemporaryDirectory(prefix="kg-ftm-") as tmp:
        lines: dict[Path, _Lines] = {}
        origins: dict[Path, str] = {}
        for path in map(Path, paths):
            entities = read_entities(path)
            total += len(entities)
            tables = convert(entities, schema, dataset=dataset, dataset_url=dataset_url)
            for reason, n in tables.skipped.items():
                skipped[reason] = skipped.get(reason, 0) + n
            written = _write_tables(Path(tmp), output_stem(path), tables)
            lines.update(written)
            origins.update({p: f"{path.name} (FollowTheMoney)" for p in written})
        result = ingest_files(settings, list(lines), dry_run=dry_run, origins=origins)
    errors = tuple(_origin(e, lines) for e in result.errors)
    result = IngestResult(result.files, errors, result.warnings, result.graph, result.written)
    return FtmImport(result, total, skipped, settings.root)
