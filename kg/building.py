"""A persistent embedded store built from the project files: incremental and crash-safe.

:func:`build_persistent` (what ``kg build`` runs) loads the ontology and data files into an
Oxigraph store on disk, one named graph per file (:func:`kg.project.graph_name`, as everywhere
else), each file read by the one parser (:func:`kg.parsing.load_into`).
:func:`open_persistent` reopens it read-only, in milliseconds. Whenever a build changed anything,
the derived contribution totals are recomputed in the new generation (:func:`kg.derived.
refresh_totals`, graph :data:`kg.project.TOTALS_GRAPH`; the manifest records their triples).

Layout, for a store at ``PATH``::

    PATH                      a symlink to the current generation: PATH.d/gen-000007
    PATH.d/gen-000007/        the Oxigraph (RocksDB) directory
    PATH.d/gen-000007.json    its manifest: file → sha256, size, triple count, graph
    PATH.d/lock               held (flock) while a build runs

Incremental: each build compares the files' sha256 with the manifest of the current generation.
Unchanged files are skipped, changed ones have their named graph replaced, removed ones have it
dropped. Nothing changed: nothing is written.

Crash safety (``kill -9`` at any moment leaves the previous store intact and usable): the live
generation is never written to. A build makes the next generation with ``Store.backup`` of the
current one (a RocksDB checkpoint: hard links, so it takes milliseconds and little space), applies
the changes there, closes it, writes its manifest (temporary file, fsync, rename), and only then
swaps the ``PATH`` symlink atomically (``os.replace`` of a new symlink). A generation that was
never swapped in — the leftover of a killed build — is deleted by the next build. The generation
just replaced is kept until the next build, so a reader that opened it keeps working.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import json
import os
import re
import shutil
import time
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import committing
from .config import Settings
from .derived import refresh_totals
from .errors import SourceError, StoreError
from .namespaces import KG
from .parsing import load_into, open_source, read_quads
from .progress import Progress, make_progress
from .project import (
    TOTALS_GRAPH,
    data_files,
    fsync_dir,
    graph_name,
    ontology_files,
    reading,
    relative_path,
    writing,
)
from .stores.oxigraph_store import OxigraphStore

MANIFEST_VERSION = 2  # 2: graph names are percent-encoded
GENERATION = re.compile(r"^gen-(\d{6,})$")
# Files up to this size are parsed and then written in one bulk load together: each bulk load
# of a disk store costs about 0.14 s however small the file (the curated project: 17 files,
# 2.4 s apart, 0.3 s together). Bigger files go to the bulk loader one by one.
BATCH_BYTES = 4 << 20


@dataclass(frozen=True)
class FileEntry:
    """One project file as the manifest records it."""

    path: str       # relative to the project root, POSIX style
    graph: str      # the named graph holding its triples
    sha256: str
    size: int
    triples: int


@dataclass
class BuildReport:
    """What a build did. ``loaded`` and ``removed`` are exactly the files it touched."""

    path: Path
    generation: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    triples: int = 0
    derived: int = 0    # triples of the derived graph (kg.derived), counted in ``triples``
    seconds: float = 0.0
    files: dict[str, FileEntry] = field(default_factory=dict)

    @property
    def loaded(self) -> list[str]:
        """Files (re)loaded by this build: added or changed."""
        return sorted([*self.added, *self.changed])

    @property
    def up_to_date(self) -> bool:
        """True when nothing had to be written."""
        return not (self.added or self.changed or self.removed)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["path"] = str(self.path)
        data["loaded"] = self.loaded
        return data

    def __str__(self) -> str:
        """One line for a person, e.g. ``built build/store: 1,234 triples in 12 files (3
        re-loaded, 9 unchanged) in 2.1 s; 567 of them derived (contribution totals)``."""
        files = len(self.files)
        parts = [f"{len(self.loaded):,} re-loaded" if self.loaded else "",
                 f"{len(self.unchanged):,} unchanged" if self.unchanged else "",
                 f"{len(self.removed):,} removed" if self.removed else ""]
        done = ", ".join(p for p in parts if p)
        verb = "up to date" if self.up_to_date else "built"
        text = (f"{verb} {self.path}: {self.triples:,} triples in {files:,} "
                f"file{'' if files == 1 else 's'}{f' ({done})' if done else ''} "
                f"in {self.seconds:.1f} s")
        return text + (f"; {self.derived:,} of them derived (contribution totals)"
                       if self.derived else "")


def default_store_path(settings: Settings) -> Path:
    """Where ``kg build`` keeps the store unless told otherwise: ``Settings.store_path`` or
    ``build/store`` under the project root."""
    return settings.store_path or settings.build_dir / "store"


def project_files(settings: Settings) -> list[Path]:
    """The files a build loads: the ontology, then the data."""
    return [*ontology_files(settings), *data_files(settings)]


def _home(path: Path) -> Path:
    return path.with_name(path.name + ".d")


def _manifest_file(generation_dir: Path) -> Path:
    return generation_dir.with_name(generation_dir.name + ".json")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open_source(path) as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror or exc}") from exc
    return digest.hexdigest()



def current_generation(path: Path) -> Path | None:
    """The generation directory ``path`` points to, or None when nothing was built there."""
    if not path.is_symlink():
        return None
    target = Path(os.path.realpath(path))
    return target if target.is_dir() and _manifest_file(target).is_file() else None


def read_manifest(path: Path) -> dict[str, FileEntry]:
    """The manifest of the store at ``path`` (empty when there is none)."""
    generation = current_generation(path)
    if generation is None:
        return {}
    return _load_manifest(_manifest_file(generation))


def _load_manifest(file: Path) -> dict[str, FileEntry]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if data.get("version") != MANIFEST_VERSION:
            return {}
        return {e["path"]: FileEntry(**e) for e in data["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}  # unreadable: rebuild everything


def _manifest_derived(file: Path) -> int:
    """The triples of the derived graph a manifest records (0 for an older manifest)."""
    try:
        return int(json.loads(file.read_text(encoding="utf-8")).get("derived", {})
                   .get("triples", 0))
    except (OSError, ValueError, AttributeError, TypeError):
        return 0


def _write_manifest(file: Path, entries: dict[str, FileEntry], root: Path,
                    derived: int = 0) -> None:
    data = {
        "version": MANIFEST_VERSION,
        "root": str(root),
        "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "triples": sum(e.triples for e in entries.values()) + derived,
        "derived": {"graph": TOTALS_GRAPH, "triples": derived},
        "files": [asdict(entries[k]) for k in sorted(entries)],
    }
    tmp = file.with_name(file.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, file)
    fsync_dir(file.parent)


@contextlib.contextmanager
def _locked(home: Path) -> Iterator[None]:
    home.mkdir(parents=True, exist_ok=True)
    with (home / "lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"{home}: another build is running") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _generations(home: Path) -> list[Path]:
    found = [p for p in home.iterdir() if GENERATION.match(p.name)]
    return sorted(found, key=lambda p: int(GENERATION.match(p.name).group(1)))  # type: ignore[union-attr]


def _remove_generation(generation: Path) -> None:
    shutil.rmtree(generation, ignore_errors=True)
    for extra in (_manifest_file(generation), generation.with_name(generation.name + ".json.tmp")):
        with contextlib.suppress(FileNotFoundError):
            extra.unlink()


def _collect_garbage(home: Path, current: Path | None) -> None:
    """Keep the current generation and the one before it; drop the rest (killed builds)."""
    keep: set[Path] = set()
    if current is not None:
        keep.add(current)
        older = [g for g in _generations(home) if _number(g) < _number(current)]
        if older:
            keep.add(older[-1])
    for generation in _generations(home):
        if generation not in keep:
            _remove_generation(generation)
    for stray in home.glob("*.json"):
        if stray.with_suffix("") not in keep and GENERATION.match(stray.stem):
            stray.unlink(missing_ok=True)


def _number(generation: Path) -> int:
    match = GENERATION.match(generation.name)
    return int(match.group(1)) if match else -1


def _check_target(path: Path) -> None:
    if path.is_symlink() or not path.exists():
        return
    if path.is_dir() and not any(path.iterdir()):
        path.rmdir()  # an empty directory someone made for us
        return
    raise StoreError(
        f"{path}: exists and is not a store made by 'kg build' "
        "(expected a symlink to a generation); remove it or choose another path"
    )


def _swap(path: Path, generation: Path) -> None:
    """Point ``path`` at ``generation`` atomically."""
    link = path.with_name(f".{path.name}.swap-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    os.symlink(os.path.relpath(generation, path.parent), link)
    os.replace(link, path)
    fsync_dir(path.parent)


def _count(store: ox.Store, graph: str) -> int:
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    for row in result:  # type: ignore[union-attr]
        return int(row["n"].value)
    return 0


def _plan(
    settings: Settings, chosen: Sequence[Path], previous: dict[str, FileEntry], report: BuildReport
) -> tuple[dict[str, tuple[Path, str, int]], dict[str, FileEntry]]:
    """Hash the files and sort them into added / changed / unchanged / removed."""
    wanted: dict[str, tuple[Path, str, int]] = {}
    for file in chosen:
        digest = _sha256(file)  # refuses what is not a regular file
        wanted[relative_path(file, settings.root)] = (file, digest, file.stat().st_size)
    kept: dict[str, FileEntry] = {}
    for rel, (_file, digest, _size) in sorted(wanted.items()):
        old = previous.get(rel)
        if old is None:
            report.added.append(rel)
        elif old.sha256 != digest:
            report.changed.append(rel)
        else:
            report.unchanged.append(rel)
            kept[rel] = old
    report.removed = sorted(set(previous) - set(wanted))
    return wanted, kept


def _make_generation(
    settings: Settings, generation: Path, current: Path | None, previous: dict[str, FileEntry],
    wanted: dict[str, tuple[Path, str, int]], entries: dict[str, FileEntry], report: BuildReport,
    progress: Progress | bool | None,
) -> None:
    """Fill ``generation`` (a checkpoint of ``current`` plus the changes), closed on return."""
    if current is not None:
        ox.Store.read_only(str(current)).backup(str(generation))
    store = ox.Store(str(generation))
    gone = [ox.NamedNode(previous[rel].graph) for rel in [*report.removed, *report.changed]]
    recount = current is None or _holds_contributions(store, gone)
    for name in gone:
        if store.contains_named_graph(name):
            store.remove_graph(name)
    todo = [(rel, *wanted[rel]) for rel in report.loaded]
    graphs = {rel: ox.NamedNode(str(graph_name(file, settings.root))) for rel, file, *_ in todo}
    bar = make_progress(progress, total=sum(size for *_, size in todo), label="build", unit="B")
    with bar:
        batch: list[ox.Quad] = []
        for rel, file, _digest, size in todo:
            bar.set_label(f"build: loading {rel}")
            if size <= BATCH_BYTES and file.suffix.lower() in (".ttl", ".nt"):
                batch.extend(ox.Quad(q.subject, q.predicate, q.object, graphs[rel])
                             for q in read_quads(file))
            else:
                load_into(store, file, graphs[rel])
            bar.update(size)
        if batch:
            store.bulk_extend(batch)
        for rel, _file, digest, size in todo:
            graph = graphs[rel].value
            entries[rel] = FileEntry(rel, graph, digest, size, _count(store, graph))
        # derived facts (contribution totals, kg.derived), recomputed when a file that was or
        # is loaded holds contribution records or component links (1M: seconds, so not for
        # every small change)
        if recount or _holds_contributions(store, list(graphs.values())):
            bar.set_label("build: contribution totals")
            refresh_totals(OxigraphStore.wrapping(store, generation))
        report.derived = _count(store, TOTALS_GRAPH)
        bar.set_label("build: flushing")
        store.flush()
        if _worth_optimizing(previous, todo):
            bar.set_label("build: optimizing")
            store.optimize()  # compacted, the scan on disk is about twice as fast
    del store
    gc.collect()  # close RocksDB before the swap


def is_current(settings: Settings, path: Path | None = None) -> bool:
    """True when the store at ``path`` holds exactly the project's files as they are now
    (compared by content hash): then nothing needs building and no lock is taken."""
    path = Path(path or default_store_path(settings)).absolute()
    generation = current_generation(path)
    if generation is None:
        return False
    previous = _load_manifest(_manifest_file(generation))
    if not previous:
        return False
    with reading(settings):
        chosen = project_files(settings)
        if len(chosen) != len(previous):
            return False
        for file in chosen:
            entry = previous.get(relative_path(file, settings.root))
            if entry is None or entry.size != file.stat().st_size or entry.sha256 != _sha256(file):
                return False
    return True


_CONTRIBUTION_LINKS = tuple(ox.NamedNode(str(term)) for term in (
    KG.contributor, KG.contributorBucket, KG.toComponent, KG.componentOf))


def _holds_contributions(store: ox.Store, graphs: Sequence[ox.NamedNode]) -> bool:
    """True when one of ``graphs`` states what the contribution totals are summed from."""
    return any(next(iter(store.quads_for_pattern(None, link, None, graph)), None) is not None
               for graph in graphs for link in _CONTRIBUTION_LINKS)


def _worth_optimizing(previous: dict[str, FileEntry], todo: list[tuple[str, Path, str, int]]
                      ) -> bool:
    """Compact after a fresh build or one that re-loaded a tenth of the bytes or more; a small
    change leaves a few small files behind (at 1M triples compaction costs 1.4 s, more than
    re-loading a small file)."""
    before = sum(e.size for e in previous.values())
    return not before or sum(size for *_, size in todo) * 10 >= before


def build_persistent(
    settings: Settings,
    path: Path | None = None,
    *,
    progress: Progress | bool | None = None,
    files: Sequence[Path] | None = None,
    lock_wait: float | None = None,
) -> BuildReport:
    """Build or update the persistent Oxigraph store at ``path`` (default
    :func:`default_store_path`) from the project's files (or ``files``); see the module notes.
    ``progress``: a :class:`~kg.progress.Progress`, ``None`` (a bar on a terminal only) or
    ``False`` (silent). ``lock_wait``: seconds to wait for another writer (default
    ``KG_LOCK_WAIT``)."""
    started = time.monotonic()
    path = Path(path or default_store_path(settings)).absolute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        home = _home(path)
        home.mkdir(exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{path}: cannot make a store here: {exc.strerror or exc}") from None
    with writing(settings, wait=lock_wait), _locked(home):
        committing.clean(settings)  # an interrupted ingest: finish it or drop its leftovers
        chosen = list(files) if files is not None else project_files(settings)
        _check_target(path)
        current = current_generation(path)
        _collect_garbage(home, current)  # leftovers of killed builds
        previous = _load_manifest(_manifest_file(current)) if current else {}
        report = BuildReport(path, current.name if current else "")
        wanted, entries = _plan(settings, chosen, previous, report)

        if current is None or not report.up_to_date:
            existing = _generations(home)
            generation = home / f"gen-{(_number(existing[-1]) + 1) if existing else 1:06d}"
            failure: BaseException | None = None
            try:
                _make_generation(
                    settings, generation, current, previous, wanted, entries, report, progress
                )
                _write_manifest(_manifest_file(generation), entries, settings.root,
                                report.derived)
                _swap(path, generation)  # the commit point
            except BaseException as exc:
                failure = exc
            if failure is not None:
                # the traceback's frames still hold the half-built store: close it (RocksDB
                # writes into the folder until then, so it could survive the removal)
                traceback.clear_frames(failure.__traceback__)
                gc.collect()
                _remove_generation(generation)
                raise failure
            _collect_garbage(home, generation)
            report.generation = generation.name
        elif current is not None:
            report.derived = _manifest_derived(_manifest_file(current))

        report.files = entries
        report.triples = sum(e.triples for e in entries.values()) + report.derived
        report.seconds = time.monotonic() - started
        return report


def open_persistent(path: Path, *, read_only: bool = True) -> OxigraphStore:
    """The store :func:`build_persistent` made at ``path``, pinned to its current generation.
    Read-only by default (several processes may read while a build makes the next generation)."""
    generation = current_generation(Path(path).absolute())
    if generation is None:
        raise StoreError(f"{path}: no store built here (run 'kg build')")
    return OxigraphStore(generation, read_only=read_only)
