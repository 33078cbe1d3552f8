"""The validation-report cache: ``kg validate`` with nothing changed answers from ``build/``.

A report is stored under ``build/validation/`` with the key it was computed for: the sha256 of
the bytes of every ontology and data file (and of the PATHS checked), their paths, the engine,
the versions of kg, of the engine's library, of rdflib and pyoxigraph, a digest of kg's own
validation code (an editable install keeps its version while its code changes) and the size
limit of :mod:`kg.parsing`. A rerun whose key is the same answers from the file; any change
(a byte of a file, a file added, removed or renamed, another engine) validates again.

Files are read for hashing with :func:`kg.parsing.read_bytes`, so the parser's guards (regular
files only, the size limit) and their messages apply before anything is looked up; a file that
does not parse never gets a report stored. The cache file is written atomically (a temporary
file in the same folder, then a rename); one that cannot be read, does not decode or holds
another key is ignored and replaced. A project whose ``build/`` cannot be written still
validates, without a cache. Each scope (engine plus PATHS) has its own file, and only the
:data:`KEEP` most recently written are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from .config import Settings
from .parsing import read_bytes
from .project import relative_path

FORMAT = 1                 # of the cache file; a file of another format is ignored
KEEP = 16                  # cache files kept (one per engine and set of PATHS)
FOLDER = "validation"      # under the project's build/
_CODE = ("validation.py", "validation_cache.py", "fastshacl.py", "parsing.py", "project.py")
_LIBRARIES = {"pyshacl": ("pyshacl",), "fast": ("pyshacl-turbo",)}


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


def _code_digest() -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in _CODE:
        with contextlib.suppress(OSError):
            digest.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
    return digest.hexdigest()


def cache_key(settings: Settings, ontology: Sequence[Path], data: Sequence[Path],
              chosen: Sequence[Path], engine: str) -> str:
    """The key of a validation: see the module notes. Reads every file (through the guards)."""
    def files(paths: Sequence[Path]) -> list[list[str]]:
        return [[relative_path(p, settings.root), hashlib.sha256(read_bytes(p)).hexdigest()]
                for p in paths]

    facts: dict[str, Any] = {
        "format": FORMAT,
        "engine": engine,
        "versions": {name: _version(name) for name in
                     ("kg", "rdflib", "pyoxigraph", *_LIBRARIES.get(engine, ()))},
        "code": _code_digest(),
        "max_file_mb": os.environ.get("KG_MAX_FILE_MB", ""),
        "ontology": files(ontology),
        "data": files(data),
        "chosen": [relative_path(p, settings.root) for p in chosen],
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def cache_file(settings: Settings, engine: str, chosen: Sequence[Path]) -> Path:
    """Where the report of this scope (engine and PATHS) is kept."""
    scope = json.dumps([engine, sorted(relative_path(p, settings.root) for p in chosen)])
    name = hashlib.sha256(scope.encode()).hexdigest()[:16]
    return settings.build_dir / FOLDER / f"{engine}-{name}.json"


def load(path: Path, key: str) -> dict[str, Any] | None:
    """The stored report for ``key``, or None (no file, unreadable, corrupt, another key)."""
    try:
        with path.open("rb") as handle:
            stored = json.load(handle)
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(stored, dict) or stored.get("format") != FORMAT or \
            stored.get("key") != key or not isinstance(stored.get("report"), dict):
        return None
    report: dict[str, Any] = stored["report"]
    return report


def save(path: Path, key: str, report: dict[str, Any]) -> bool:
    """Store ``report`` for ``key`` atomically; False (and nothing changed) when it cannot be."""
    text = json.dumps({"format": FORMAT, "key": key, "report": report}, ensure_ascii=False)
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".", suffix=".part", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)        # mkstemp's 0600 would hide it from the team
        os.replace(temporary, path)
        temporary = None
        _prune(path.parent)
        return True
    except OSError:
        return False
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _prune(folder: Path) -> None:
    entries = []
    for entry in folder.glob("*.json"):
        with contextlib.suppress(OSError):
            entries.append((entry.stat().st_mtime, entry))
    for _mtime, entry in sorted(entries, reverse=True)[KEEP:]:
        with contextlib.suppress(OSError):
            entry.unlink()
