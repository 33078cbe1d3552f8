"""Start-up: build or reopen the store, start the workers, listen (what ``kg serve`` runs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..building import build_persistent, current_generation
from ..errors import KGError, StoreError
from .options import ServeOptions, is_loopback
from .pool import WorkerPool

Echo = Callable[[str], Any]


def prepare_store(options: ServeOptions, *, build: bool, echo: Echo) -> None:
    """Bring the persistent store up to date (incremental: only changed files are loaded)."""
    if build:
        report = build_persistent(options.settings, options.store_path, progress=False)
        what = "up to date" if report.up_to_date else f"loaded {len(report.loaded)} file(s)"
        echo(f"kg serve: store {options.store_path} ({report.generation}): {what}, "
             f"{report.triples} triples")
    elif current_generation(options.store_path.absolute()) is None:
        raise StoreError(f"{options.store_path}: no store built here (run 'kg build' or drop "
                         "--no-build)")


def serve(options: ServeOptions, *, host: str, port: int, build: bool = True,
          echo: Echo = print) -> None:
    """Serve until interrupted. Errors before listening are KGErrors (one line)."""
    try:
        import uvicorn

        from .app import create_app
    except ImportError as exc:
        raise KGError(f"kg serve needs the 'serve' extra ({exc.name} is missing): "
                      "pip install 'kg[serve]'") from None
    if not is_loopback(host):
        echo(f"kg serve: warning: listening on {host}, not loopback: other machines can reach "
             "this server (it is read-only)")
    prepare_store(options, build=build, echo=echo)
    pool = WorkerPool(options)
    pool.start()
    base = f"http://{host if ':' not in host else f'[{host}]'}:{port}"
    isolated = "network-isolated" if pool.info.get("network_isolated") else "not isolated"

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets)
            if self.started:
                echo(f"kg serve: {base}/sparql and {base}/api/queries — read-only, "
                     f"{options.workers} workers ({isolated}), timeout {options.timeout:g} s, "
                     f"row limit {options.row_limit}")

    config = uvicorn.Config(
        create_app(options, pool), host=host, port=port, log_level="warning",
        access_log=False, server_header=False, lifespan="on", timeout_graceful_shutdown=5,
        h11_max_incomplete_event_size=options.max_url + 16 * 1024,
    )
    server = Server(config)
    try:
        server.run()
    except SystemExit:
        raise KGError(f"{host}:{port}: cannot listen there (in use, or not an address of "
                      "this machine)") from None
    finally:
        pool.close()
