"""A real ``kg serve`` for the tests: a subprocess on a free loopback port, over a persistent
store built from the repository's data into a temporary folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Running:
    """A started server: its base URL, store and process."""

    base: str
    store_path: Path
    process: subprocess.Popen[str]
    log: Path

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def kg_server(store_path: Path, *args: str, root: Path = REPO, host: str = "127.0.0.1",
              start_timeout: float = 90.0) -> Iterator[Running]:
    """Start ``kg serve`` with ``args``; stop it (SIGINT, then SIGKILL) on exit."""
    port = free_port()
    log = store_path.parent / f"serve-{port}.log"
    command = [sys.executable, "-m", "kg", "--root", str(root), "--store-path", str(store_path),
               "serve", "--host", host, "--port", str(port), *args]
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, text=True,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
    running = Running(f"http://127.0.0.1:{port}", store_path, process, log)
    try:
        _wait_ready(running, start_timeout)
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def _wait_ready(running: Running, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise RuntimeError(f"kg serve exited early:\n{running.stderr()}")
        try:
            if httpx.get(f"{running.base}/api/status", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"kg serve did not answer within {timeout} s:\n{running.stderr()}")
