"""The project kg is pointed at: which files are what, how their graphs are named, who may write.

Every other module asks this one, so the answers cannot drift apart:

- **Roles.** ``ontology/*.ttl`` is the vocabulary, except files whose stem ends in ``shapes``
  (the SHACL shapes); every RDF file under ``data/`` is data, except ``data/raw/`` (importer
  inputs) and hidden files and folders (``.``-names: editors' swap files, temporary files);
  ``queries/**/*.rq`` are the named queries. kg's own state (locks, the commit journal, staged
  files) is kept in ``.kg/`` at the root.
- **Graph names.** A file's triples live in the named graph ``urn:kg:file:`` + its path
  relative to the root, percent-encoded (RFC 3987 ``iunreserved`` and ``/`` stay as they are,
  every other byte of the UTF-8 form becomes ``%XX``), so any file name gives a valid IRI and
  :func:`path_of` gives the path back. Facts kg derives from the files live in graphs named
  ``urn:kg:derived:`` + a name (:data:`TOTALS_GRAPH`, :func:`is_derived_graph`): no file holds
  them, so per-file code (exports by file, validation locations, the build manifest) skips them.
- **Writers.** :func:`writing` is the project lock that ``kg ingest`` and ``kg build`` hold for
  their whole run (a second writer waits up to ``KG_LOCK_WAIT`` seconds, default 10, then is
  refused naming the lock); :func:`reading` is held by readers while they list and parse the
  data, and exclusively for the few renames of a commit (:mod:`kg.committing`), so nobody ever
  reads half a batch.

>>> from pathlib import Path
>>> name = graph_name(Path("/p/data/ingested/my orgs #1 100%.ttl"), Path("/p"))
>>> str(name)
'urn:kg:file:data/ingested/my%20orgs%20%231%20100%25.ttl'
>>> path_of(name)
'data/ingested/my orgs #1 100%.ttl'
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from rdflib import URIRef

from .config import Settings
from .errors import KGError, SourceError

FILE_GRAPH = "urn:kg:file:"
DERIVED_GRAPH = "urn:kg:derived:"  # facts kg computes from the files, never a file's graph
TOTALS_GRAPH = DERIVED_GRAPH + "contribution-totals"  # kg.derived.refresh_totals writes it
RDF_SUFFIXES = {
    ".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld", ".trig": "trig",
}
SKIPPED_DATA_DIRS = ("raw",)  # inputs of importers, not RDF
STATE_DIR = ".kg"             # at the root: locks, the commit journal, staged files
_SAFE = "/-._~"               # kept as they are in graph names, with ASCII letters and digits


class ProjectError(KGError):
    """The folder is not a usable kg project, or another writer holds it."""


# --- graph names ---------------------------------------------------------------------------

def relative_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` in POSIX form (absolute without its ``/`` when outside)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix().lstrip("/")


def shown_path(path: Path) -> str:
    """``path`` as a person at the shell refers to it: relative to the working folder when it
    lies below it, else as it is."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def graph_name(path: Path, root: Path) -> URIRef:
    """The named graph a file is loaded into: stable, escaped, reversible (:func:`path_of`)."""
    encoded = urllib.parse.quote(relative_path(path, root), safe=_SAFE, errors="surrogatepass")
    return URIRef(FILE_GRAPH + encoded)


def is_file_graph(name: object) -> bool:
    """True for the graph names :func:`graph_name` makes."""
    return str(name).startswith(FILE_GRAPH)


def is_derived_graph(name: object) -> bool:
    """True for the graphs of derived facts (:data:`TOTALS_GRAPH`): no file holds them, so
    they are neither exported as files nor validated as one; a build recomputes them."""
    return str(name).startswith(DERIVED_GRAPH)


def path_of(name: object) -> str | None:
    """The relative path a file graph holds (None for any other graph)."""
    if not is_file_graph(name):
        return None
    return urllib.parse.unquote(str(name).removeprefix(FILE_GRAPH), errors="surrogatepass")


# --- roles -----------------------------------------------------------------------------------

def require_project(settings: Settings) -> None:
    """Raise unless the root holds ``data/`` and an ``ontology/`` with at least one file."""
    if not settings.data_dir.is_dir():
        raise ProjectError(f"{settings.root}: no data/ folder here (use --root or KG_ROOT)")
    if not settings.ontology_dir.is_dir() or not ontology_files(settings):
        raise ProjectError(
            f"{settings.root}: no ontology/*.ttl here, so nothing can be checked "
            "(a project holds ontology/, data/ and queries/; use --root or KG_ROOT)"
        )


def ontology_files(settings: Settings) -> list[Path]:
    """The vocabulary and shapes files, sorted."""
    if not settings.ontology_dir.is_dir():
        return []
    return sorted(p for p in settings.ontology_dir.glob("*.ttl") if not p.name.startswith("."))


def is_shapes_file(path: Path) -> bool:
    """Files of ``ontology/`` whose stem ends in ``shapes`` hold the SHACL shapes."""
    return path.stem.endswith("shapes")


def vocabulary_files(settings: Settings) -> list[Path]:
    return [p for p in ontology_files(settings) if not is_shapes_file(p)]


def shapes_files(settings: Settings) -> list[Path]:
    return [p for p in ontology_files(settings) if is_shapes_file(p)]


def _is_data(path: Path, data_dir: Path) -> bool:
    parts = path.relative_to(data_dir).parts
    return (
        path.suffix.lower() in RDF_SUFFIXES
        and not any(part in SKIPPED_DATA_DIRS or part.startswith(".") for part in parts)
        and path.is_file()
    )


def data_files(settings: Settings) -> list[Path]:
    """Every RDF file under ``data/`` (see the module notes), sorted, plus any extra data.

    List them inside :func:`reading` to see one state of the project, before or after a batch.
    """
    if not settings.data_dir.is_dir():
        return list(settings.extra_data)
    found = [p for p in settings.data_dir.rglob("*") if _is_data(p, settings.data_dir)]
    return sorted(found) + list(settings.extra_data)


def query_files(settings: Settings) -> list[Path]:
    """The named queries, sorted."""
    return sorted(settings.queries_dir.rglob("*.rq")) if settings.queries_dir.is_dir() else []


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new entry in ``directory`` durable (best effort: some file systems
    refuse to open a directory)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- locks -----------------------------------------------------------------------------------

def state_dir(settings: Settings) -> Path:
    """Where kg keeps its locks and the commit journal: ``.kg/`` at the root."""
    return settings.root / STATE_DIR


def _lock_wait() -> float:
    raw = os.environ.get("KG_LOCK_WAIT", "10")
    try:
        return max(0.0, float(raw))
    except ValueError:
        raise ProjectError(f"KG_LOCK_WAIT={raw!r}: not a number of seconds") from None


@contextlib.contextmanager
def _flock(file: Path, mode: int, *, wait: float, what: str) -> Iterator[None]:
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("a") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ProjectError(
                        f"{file}: {what} is running on this project (waited {wait:g} s); "
                        "try again when it has finished"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def someone_writing(settings: Settings) -> bool:
    """True while another process holds the project's writer lock (an ingest or a build)."""
    try:
        with _flock(state_dir(settings) / "write.lock", fcntl.LOCK_EX, wait=0, what="a writer"):
            return False
    except ProjectError:
        return True


@contextlib.contextmanager
def writing(settings: Settings, *, wait: float | None = None) -> Iterator[None]:
    """The project's writer lock (``kg ingest`` and ``kg build`` hold it for their whole run)."""
    try:
        lock = _flock(state_dir(settings) / "write.lock", fcntl.LOCK_EX,
                      wait=_lock_wait() if wait is None else wait,
                      what="another 'kg ingest' or 'kg build'")
        with lock:
            yield
    except OSError as exc:
        raise SourceError(state_dir(settings), f"cannot take the project lock: "
                                               f"{exc.strerror or exc}") from exc


@contextlib.contextmanager
def reading(settings: Settings, *, exclusive: bool = False) -> Iterator[None]:
    """Held while the data files are listed and parsed (shared), or renamed (exclusive).

    A shared hold first finishes an ingest that was killed half-way through its commit
    (:func:`kg.committing.recover`), so what is read is always the state before a batch or the
    state after it. A project on a read-only disk cannot be written, so there it is a no-op.
    """
    if not exclusive:
        from .committing import recover

        recover(settings)
    file = state_dir(settings) / "data.lock"
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        lock = _flock(file, mode, wait=_lock_wait(), what="an ingest's commit")
        lock.__enter__()
    except OSError:
        if exclusive:
            raise
        yield
        return
    try:
        yield
    finally:
        lock.__exit__(None, None, None)
