"""Replace a batch of project files as one step: stage, check, commit; finish it after a kill.

``kg ingest`` writes several files, and a reader must see all of them or none. So:

1. :func:`stage` refuses targets that are in the way (a directory, a FIFO, a folder that is a
   file) before anything is written, then writes every output into a fresh folder under
   ``data/.kg/`` (created honouring the umask, fsynced). Staged files are hidden from readers.
2. The caller checks the staged files (``kg ingest`` parses each with the one parser).
3. :func:`commit` takes the data lock exclusively, writes a journal listing the moves
   (temporary file, fsync, rename: *the* commit point), makes the moves and deletes the
   journal.

A process killed before the journal is renamed leaves only a staging folder: the old state,
and the next writer deletes it (:func:`clean`). Killed after: the journal is there, and the
next reader or writer makes the remaining moves (:func:`recover`, each move is idempotent):
the new state. Either way nobody reads half a batch.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import time
from collections.abc import Mapping
from pathlib import Path

from .config import Settings
from .errors import SourceError
from .project import fsync_dir, reading, state_dir

JOURNAL = "journal.json"
STAGING_PREFIX = "staging-"



def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` (never existing) with mode 0666 minus the umask, and fsync it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def check_target(target: Path) -> None:
    """Raise when ``target`` cannot be replaced by a regular file."""
    for parent in reversed(target.parents):
        if parent.exists() and not parent.is_dir():
            raise SourceError(target, f"cannot write: {parent} is in the way (not a folder)")
    if target.is_symlink() or target.exists():
        mode = target.lstat().st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            raise SourceError(target, f"cannot write: {kind} is in the way; move it away")


def stage(settings: Settings, outputs: Mapping[Path, bytes]) -> dict[Path, Path]:
    """Write ``outputs`` (target → bytes) to a staging folder; target → staged file."""
    for target in outputs:
        check_target(target)
    home = state_dir(settings)
    folder = home / f"{STAGING_PREFIX}{os.getpid()}-{time.monotonic_ns()}"
    staged: dict[Path, Path] = {}
    try:
        folder.mkdir(parents=True)
        for n, (target, data) in enumerate(outputs.items()):
            file = folder / f"{n:04d}{target.suffix}"
            _write_new(file, data)
            staged[target] = file
        fsync_dir(folder)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise SourceError(folder, f"cannot write: {exc.strerror or exc}") from exc
    return staged


def _journal(settings: Settings) -> Path:
    return state_dir(settings) / JOURNAL


def _apply(settings: Settings, moves: list[dict[str, str]]) -> None:
    """Make the journal's moves; a move already made (staged file gone) is skipped."""
    root = settings.root
    folders: set[Path] = set()
    for move in moves:
        staged, target = root / move["staged"], root / move["target"]
        if staged.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
            folders.add(target.parent)
    for folder in folders:
        fsync_dir(folder)
    journal = _journal(settings)
    journal.unlink(missing_ok=True)
    fsync_dir(journal.parent)
    for move in moves:
        shutil.rmtree((root / move["staged"]).parent, ignore_errors=True)


def commit(settings: Settings, staged: Mapping[Path, Path]) -> None:
    """Move every staged file into place as one step (see the module notes)."""
    root = settings.root.resolve()
    moves = [
        {"staged": os.path.relpath(file.resolve(), root),
         "target": os.path.relpath(target.resolve(), root)}
        for target, file in staged.items()
    ]
    journal = _journal(settings)
    tmp = journal.with_name(JOURNAL + ".tmp")
    try:
        with reading(settings, exclusive=True):
            tmp.unlink(missing_ok=True)
            _write_new(tmp, json.dumps({"version": 1, "moves": moves}).encode())
            os.replace(tmp, journal)  # the commit point
            fsync_dir(journal.parent)
            _apply(settings, moves)
    except OSError as exc:
        raise SourceError(journal, f"cannot commit the batch: {exc.strerror or exc}; "
                                   "the next kg command finishes it") from exc


def recover(settings: Settings) -> bool:
    """Finish a commit that was interrupted (True when there was one)."""
    journal = _journal(settings)
    if not journal.is_file():
        return False
    with reading(settings, exclusive=True):
        try:
            data = json.loads(journal.read_text(encoding="utf-8"))
            moves = list(data["moves"])
        except FileNotFoundError:
            return False  # the committer finished while we waited
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SourceError(journal, f"unreadable commit journal ({exc}); the batch it "
                                       "lists is in the staging folders next to it") from exc
        _apply(settings, moves)
    return True


def clean(settings: Settings) -> int:
    """Delete staging folders left by killed writers (call with the writer lock held)."""
    home = state_dir(settings)
    if not home.is_dir():
        return 0
    recover(settings)
    gone = 0
    for folder in home.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(folder, ignore_errors=True)
        gone += 1
    (home / (JOURNAL + ".tmp")).unlink(missing_ok=True)
    return gone
