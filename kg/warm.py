"""The store every command answers from: the project's own persistent store, kept warm.

The first command on a project builds ``build/store`` (:func:`kg.building.build_persistent`);
every later one hashes the files, finds them unchanged and opens the store read-only in
milliseconds. A changed, added or removed file is re-loaded alone (its named graph replaced)
before the command runs, under the project's writer lock. ``--store memory`` (or ``rdflib``,
``sparql``) chooses another store; ``--store-path`` another place.

A project whose ``build/`` cannot be written (a read-only checkout) is answered from memory.
"""

from __future__ import annotations

import os
from pathlib import Path

from .building import build_persistent, default_store_path, is_current, open_persistent
from .config import Settings
from .project import state_dir
from .stores import Store, build_store, open_store

BUILD_WAIT = 600.0  # seconds a command waits for another process that is building the store


def project_store(settings: Settings, *, progress: bool | None = None) -> Store:
    """The store ``settings`` names, up to date with the project's files."""
    if settings.store == "sparql":
        return open_store(settings)
    if settings.store in ("memory", "rdflib"):
        return build_store(settings)
    path = default_store_path(settings).absolute()
    if not is_current(settings, path):
        if not _writable(settings, path):
            return build_store(settings.with_store("memory"))
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
