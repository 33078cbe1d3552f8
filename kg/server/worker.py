"""A worker process: holds the persistent store open read-only and runs one job at a time.

Started by :class:`~kg.server.pool.WorkerPool` (from a ``forkserver``, or ``spawn``: nothing of
the server's event loop is inherited). It first gives up its network access where the kernel
allows (a network namespace of its own: ``unshare(CLONE_NEWNET)`` as root,
``CLONE_NEWUSER|CLONE_NEWNET`` otherwise), so that even a ``SERVICE`` that slipped past the
checks could not reach anything; then opens the store (the generation the pool serves),
finds the conflicts once (:func:`warm`), says ``ready`` with what it holds, and answers jobs
until it is sent ``None``, its pipe closes, or it is killed (a query past its timeout).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..building import open_persistent
from ..derived import stated_size
from ..errors import KGError
from ..stores.oxigraph_store import OxigraphStore
from .jobs import Job, WorkerContext, execute
from .options import ServeOptions

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (a server killed with SIGKILL must
    not leave a worker running a pathological query)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass


def isolate_network() -> bool:
    """Move this process into an empty network namespace; True when that worked."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return True
    return False


def open_store(options: ServeOptions, generation: str | None) -> OxigraphStore:
    """The generation the pool serves (so every worker answers from the same data, even after
    a ``kg build`` made a newer one), else the store's current generation."""
    if generation is not None and Path(generation).is_dir():
        return OxigraphStore(Path(generation), read_only=True)
    return open_persistent(options.store_path)


def warm(context: WorkerContext) -> None:
    """Find the conflicts once, before serving (the worker keeps them: see
    :mod:`.findings_api`), so that the pages and the findings API answer from memory even on a
    worker that just replaced one killed at the timeout (1 s on the curated graph, 3 s at 1M
    triples, which under load would otherwise run past the timeout). A failure is left for the
    request that needs the findings to report."""
    from .findings_api import FindingsJob

    try:
        FindingsJob().findings(context)
    except Exception:  # noqa: BLE001, S110 - the request that asks will say what is wrong
        pass


def main(conn: Connection, options: ServeOptions, generation: str | None = None) -> None:
    """The worker's life: isolate, open, announce, answer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    die_with_parent()
    isolated = isolate_network() if options.isolate_network else False
    try:
        store = open_store(options, generation)
    except KGError as exc:
        conn.send(("error", str(exc)))
        return
    context = WorkerContext(store, options.settings, options.row_limit)
    if options.warm_findings:
        warm(context)
    info: dict[str, Any] = {
        "pid": os.getpid(), "triples": stated_size(store), "graphs": list(store.graph_names()),
        "generation": str(store.path), "network_isolated": isolated,
    }
    conn.send(("ready", info))
    while True:
        try:
            job: Job | None = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            reply = execute(job, context)
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the worker silently
            print(f"kg serve: worker {os.getpid()}: {type(exc).__name__}: {exc}",
                  file=sys.stderr, flush=True)
            reply = job.fail(500, f"internal error ({type(exc).__name__})")
        conn.send(reply)
