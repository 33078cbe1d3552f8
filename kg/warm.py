"""The store every command answers from: the project's own persistent store, kept warm.

The first command on a project builds ``build/store`` (:func:`kg.building.build_persistent`);
every later one hashes the files, finds them unchanged and opens the store read-only in
milliseconds. A changed, added or removed file is re-loaded alone (its named graph replaced)
before the command runs, under the project's writer lock. ``--store memory`` (or ``rdflib``,
``sparql``) chooses another store; ``--store-path`` another place.

A project whose ``build/`` cannot be written (a read-only checkout) is answered from memory.

A large project's first command does not wait for the store: building it on disk takes three
times as long as loading the files into memory (1M triples: about 30 s against 10 s), so the
command answers from memory and starts ``kg build`` as a process of its own in the background,
the way ``git gc --auto`` does; its output goes to ``.kg/background-build.log``. Later commands
find the store built (or wait for the build under the lock). ``KG_BACKGROUND_BUILD_BYTES``
sets the size from which this happens (default 16 MiB of files; ``0`` never).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .building import (
    build_persistent,
    current_generation,
    default_store_path,
    is_current,
    open_persistent,
    project_files,
)
from .config import Settings
from .progress import step
from .project import someone_writing, state_dir
from .stores import Store, build_store, open_store

BUILD_WAIT = 600.0  # seconds a command waits for another process that is building the store
BACKGROUND_BYTES = 16 * 2**20  # files weighing more: the first command builds in the background
LOG = "background-build.log"


def project_store(settings: Settings, *, progress: bool | None = None) -> Store:
    """The store ``settings`` names, up to date with the project's files."""
    if settings.store == "sparql":
        return open_store(settings)
    if settings.store in ("memory", "rdflib"):
        with step("load into memory"):
            return build_store(settings)
    path = default_store_path(settings).absolute()
    if not is_current(settings, path):
        if not _writable(settings, path):
            with step("load into memory"):
                return build_store(settings.with_store("memory"))
        if current_generation(path) is None and _builds_behind(settings):
            with step("load into memory"):
                store = build_store(settings.with_store("memory"))  # the files are good: build
            if not someone_writing(settings):  # else that build (or ingest) comes first
                start_background_build(settings, path)
            return store
        build_persistent(settings, path, progress=progress, lock_wait=BUILD_WAIT)
    return open_persistent(path)


def _writable(settings: Settings, path: Path) -> bool:
    for folder in (path.parent, state_dir(settings)):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
        if not os.access(folder, os.W_OK):
            return False
    return True


def _builds_behind(settings: Settings) -> bool:
    try:
        threshold = int(os.environ.get("KG_BACKGROUND_BUILD_BYTES", BACKGROUND_BYTES))
    except ValueError:
        threshold = BACKGROUND_BYTES
    if threshold <= 0 or settings.extra_data:
        return False
    return sum(f.stat().st_size for f in project_files(settings)) >= threshold


def start_background_build(settings: Settings, path: Path) -> None:
    """``kg build`` of ``path`` as a detached process (its own session: it outlives this one
    and no terminal signal reaches it), logging to ``.kg/background-build.log``."""
    log = state_dir(settings) / LOG
    with log.open("ab") as out:
        subprocess.Popen(  # noqa: S603 (our own interpreter and module, no shell)
            [sys.executable, "-m", "kg", "--root", str(settings.root), "build", str(path)],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True, close_fds=True,
            env={**os.environ, "KG_DEBUG": "", "KG_LOCK_WAIT": str(BUILD_WAIT)})
