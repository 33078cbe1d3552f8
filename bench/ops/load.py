"""Load: parse a file into a fresh store (N-Triples or Turtle), one run per process."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import GRAPH_NAME


def run(backend: str, path: Path, fmt: str, repeat: int) -> dict[str, Any]:
    from kg.stores.oxigraph_store import OxigraphStore
    from kg.stores.rdflib_store import RdflibStore

    source = path if fmt == "nt" else path.with_suffix(".ttl")
    times = []
    for _ in range(repeat):
        folder = None
        if backend == "oxigraph":
            store: Any = OxigraphStore()
        elif backend == "oxigraph-disk":
            folder = Path(tempfile.mkdtemp(prefix="kg-bench-", dir=path.parent))
            store = OxigraphStore(folder)
        else:
            store = RdflibStore()
        t = time.perf_counter()
        store.load_file(source, GRAPH_NAME)
        if folder is not None:
            store.store.flush()
        times.append(time.perf_counter() - t)
        n = len(store) if backend != "rdflib" else len(store.dataset.graph(GRAPH_NAME))
        store.close()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    return {"times": times, "triples": n, "bytes": source.stat().st_size}
