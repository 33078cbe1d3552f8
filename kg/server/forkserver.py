"""Preloaded by the fork server that the workers are forked from (``pool.process_context``).

Importing it there does two things: the worker module is loaded once, so a new worker starts
in a fraction of a second; and the fork server asks Linux to kill it when the server dies. The
workers ask the same of their parent (the fork server), so a server killed with SIGKILL takes
its workers with it, even one stuck in a pathological query (pyoxigraph holds the GIL while it
evaluates, so no watcher thread could do it). Imported anywhere else, it does nothing more
than import the worker module.
"""

from __future__ import annotations

import sys

from . import worker


def in_fork_server() -> bool:
    """True while ``multiprocessing.forkserver.main`` is importing this module."""
    frame = sys._getframe()
    while frame is not None:
        if (frame.f_code.co_name == "main"
                and frame.f_globals.get("__name__") == "multiprocessing.forkserver"):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


if in_fork_server():
    worker.die_with_parent()
