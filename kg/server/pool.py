"""A small pool of worker processes, and the per-query timeout that kills and replaces one.

The event loop never runs a query. :meth:`WorkerPool.run` waits for an idle worker (an
``asyncio.Queue``), hands the job over its pipe from a thread, and waits at most ``timeout``
seconds for the answer. Past it the worker is killed (SIGKILL: pyoxigraph cannot be
interrupted), the client gets 503 with the reason, and a new worker is started in the
background; the other workers go on serving meanwhile. A job still running after a second is
lowered in CPU priority (nice 10) until it ends, so that on a busy machine the short queries of
the other clients are not slowed by it.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing as mp
import os
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from ..errors import StoreError
from . import worker
from .jobs import Job
from .options import ServeOptions
from .replies import Problem, Reply

START_TIMEOUT = 120.0
DEMOTE_AFTER = 1.0   # seconds a job runs before its worker yields the CPU to the others
DEMOTED_NICE = 10


class _TimedOut(Exception):
    pass


class _Died(Exception):
    pass


class Worker:
    """One process and its end of the pipe."""

    def __init__(self, process: BaseProcess, conn: Connection, info: dict[str, Any]) -> None:
        self.process = process
        self.conn = conn
        self.info = info
        self.demoted = False  # running at a lower CPU priority; retired after its job

    def roundtrip(self, job: Job, timeout: float) -> Reply:
        """Send a job and wait for its reply (blocking; runs in a thread). A job still running
        after :data:`DEMOTE_AFTER` seconds is lowered in CPU priority, so that the short
        queries of other clients go first on a busy machine."""
        early = min(DEMOTE_AFTER, timeout)
        try:
            self.conn.send(job)
            ready = self.conn.poll(early)
            if not ready and early < timeout:
                self._renice(DEMOTED_NICE)
                ready = self.conn.poll(timeout - early)
            if not ready:
                self.kill()
                raise _TimedOut
            reply: Reply = self.conn.recv()
        except (EOFError, OSError) as exc:
            self.kill()
            raise _Died from exc
        if self.demoted:
            self._renice(0)  # allowed as root; otherwise the worker stays demoted: retired
        return reply

    def _renice(self, nice: int) -> None:
        pid = self.process.pid
        if pid is None:
            return
        try:
            os.setpriority(os.PRIO_PROCESS, pid, nice)
            self.demoted = nice > 0
        except OSError:
            self.demoted = True

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        self.process.join(5)
        with contextlib.suppress(OSError):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        self.process.join(2)
        if self.process.is_alive():
            self.kill()


def process_context() -> Any:
    """``forkserver`` with the worker module preloaded where there is one (a replacement starts
    in about 0.15 s instead of about 1 s), else ``spawn``; never a plain ``fork`` of the
    server, whose event loop and threads must not be copied."""
    if "forkserver" in mp.get_all_start_methods():
        context = mp.get_context("forkserver")
        context.set_forkserver_preload(["kg.server.forkserver"])
        return context
    return mp.get_context("spawn")


def start_worker(options: ServeOptions, generation: str | None = None) -> Worker:
    """Start one worker and wait until it has opened the store (blocking)."""
    context = process_context()
    parent, child = context.Pipe()
    process = context.Process(target=worker.main, args=(child, options, generation), daemon=True,
                              name="kg-serve-worker")
    process.start()
    child.close()
    if not parent.poll(START_TIMEOUT):
        Worker(process, parent, {}).kill()
        raise StoreError(f"a query worker did not start within {START_TIMEOUT:.0f} s")
    try:
        kind, info = parent.recv()
    except (EOFError, OSError):
        Worker(process, parent, {}).kill()
        raise StoreError("a query worker stopped while opening the store") from None
    if kind != "ready":
        Worker(process, parent, {}).kill()
        raise StoreError(str(info))
    return Worker(process, parent, info)


class WorkerPool:
    """``options.workers`` query processes behind one async :meth:`run`."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.workers: list[Worker] = []
        self.info: dict[str, Any] = {}
        self.timeouts = 0
        self.replaced = 0
        self._waiting = 0
        self._idle: asyncio.Queue[Worker] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        # one thread per job in flight, one per replacement being started
        self._threads = ThreadPoolExecutor(2 * options.workers + 2, thread_name_prefix="kg-pool")

    def start(self) -> None:
        """Start every worker (blocking, before the server listens); errors are KGErrors.
        The first one picks the store's generation, the others open the same."""
        first = start_worker(self.options)
        self.info = dict(first.info)
        rest = list(self._threads.map(lambda _: self._try_start(),
                                      range(self.options.workers - 1)))
        self.workers = [first, *(w for w in rest if isinstance(w, Worker))]
        failures = [w for w in rest if isinstance(w, StoreError)]
        if failures:
            self.close()
            raise failures[0]

    def _try_start(self) -> Worker | StoreError:
        try:
            started = start_worker(self.options, self.info.get("generation"))
        except StoreError as exc:
            return exc
        if started.info.get("generation") != self.info.get("generation"):
            print(f"kg serve: a new worker serves {started.info.get('generation')} (the others "
                  f"{self.info.get('generation')}, which is gone)", file=sys.stderr, flush=True)
        return started

    def attach(self) -> None:
        """Bind the pool to the running event loop (the server's lifespan start)."""
        self._loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        for w in self.workers:
            self._idle.put_nowait(w)

    async def run(self, job: Job, *, timeout: float | None = None) -> Reply:
        """The job's reply; 503 when it runs past ``timeout`` or no worker frees up in time."""
        if self._idle is None or self._loop is None:
            raise RuntimeError("WorkerPool.attach() was not called")
        limit = self.options.timeout if timeout is None else timeout
        if self._waiting >= self.options.max_waiting:
            raise Problem(503, "the server is busy: too many requests are waiting; try again")
        self._waiting += 1
        try:
            chosen = await asyncio.wait_for(self._idle.get(), timeout=max(limit, 1.0) * 2)
        except TimeoutError:
            raise Problem(503, "every query worker stayed busy; try again") from None
        finally:
            self._waiting -= 1
        started = time.monotonic()
        future: Future[Reply] = self._threads.submit(chosen.roundtrip, job, limit)
        future.add_done_callback(lambda f: self._loop.call_soon_threadsafe(  # type: ignore[union-attr]
            self._after, chosen, f))
        try:
            return await asyncio.wrap_future(future)
        except _TimedOut:
            raise Problem(503, f"the query ran past the timeout of {limit:g} s and was stopped "
                               f"(after {time.monotonic() - started:.1f} s)") from None
        except _Died:
            raise Problem(500, "the query worker stopped unexpectedly (out of memory?); "
                               "it has been replaced") from None

    def _after(self, chosen: Worker, future: Future[Reply]) -> None:
        """Back to the idle queue, or replaced when it was killed or died."""
        error = None if future.cancelled() else future.exception()
        if isinstance(error, (_TimedOut, _Died)):
            self.timeouts += isinstance(error, _TimedOut)
            self._replace(chosen)
        elif chosen.demoted:  # could not be given its priority back
            self._threads.submit(chosen.stop)
            self._replace(chosen)
        elif self._idle is not None:
            self._idle.put_nowait(chosen)

    def _replace(self, dead: Worker) -> None:
        def started(f: Future[Worker | StoreError]) -> None:
            new = f.result()
            if isinstance(new, StoreError):
                print(f"kg serve: a query worker could not be replaced: {new}", file=sys.stderr,
                      flush=True)
            elif self._loop is not None:
                self._loop.call_soon_threadsafe(self._adopt, dead, new)

        self._threads.submit(self._try_start).add_done_callback(started)

    def _adopt(self, dead: Worker, new: Worker) -> None:
        """In the event loop: ``new`` takes the place of ``dead``."""
        self.workers = [w for w in self.workers if w is not dead] + [new]
        self.replaced += 1
        if self._idle is not None:
            self._idle.put_nowait(new)

    @property
    def idle(self) -> int:
        return self._idle.qsize() if self._idle is not None else 0

    def close(self) -> None:
        """Stop every worker (the server's lifespan end)."""
        for w in self.workers:
            w.stop()
        self.workers = []
        self._threads.shutdown(wait=False, cancel_futures=True)
