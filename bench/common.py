"""Shared helpers of the benchmarks: paths, graph files, stores, timing."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work"
QUERIES = ROOT / "bench" / "queries"
FALLBACK_SHAPES = ROOT / "bench" / "fixtures" / "shapes-fallback.ttl"
GRAPH_NAME = "urn:kg:file:synthetic"
ONTOLOGY_GRAPH = "urn:kg:file:ontology"
# an on-disk store marked otherwise was built without the ontology or the contribution totals
READY = "graph, ontology and contribution totals"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}


def graph_path(size: str) -> Path:
    return WORK / f"g{SIZES[size]}.nt"


def expected(path: Path) -> dict[str, Any]:
    return json.loads(Path(f"{path}.expected.json").read_text(encoding="utf-8"))


def ensure_graph(size: str) -> Path:
    path = graph_path(size)
    answers = Path(f"{path}.expected.json")
    # a graph written before the expected answers listed one finding per conflict is redone
    if not answers.exists() or "planted" not in expected(path):
        from bench.synthetic import generate

        generate(SIZES[size], path, seed=42)
    return path


def timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    """Wall-clock seconds of ``repeat`` calls and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times, result


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def open_backend(backend: str, path: Path, *, fmt_path: Path | None = None) -> Any:
    """A kg store of ``backend`` holding the graph at ``path`` and the project's ontology, whose
    annotations are the vocabulary the finder and the pictures read (load not timed here)."""
    from kg.stores.oxigraph_store import OxigraphStore
    from kg.stores.rdflib_store import RdflibStore

    source = fmt_path or path
    if backend == "oxigraph":
        store = OxigraphStore()
    elif backend == "oxigraph-disk":
        folder = WORK / f"store-{path.stem}"
        ready = folder / "READY"
        if ready.exists() and ready.read_text() == READY:
            return OxigraphStore(folder, read_only=True)
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        store = OxigraphStore(folder)
        _load(store, source)
        store.store.flush()
        ready.write_text(READY)
        return store
    elif backend == "rdflib":
        store = RdflibStore()
    else:
        raise ValueError(f"unknown backend {backend}")
    _load(store, source)
    return store


def _load(store: Any, source: Path) -> None:
    for ontology in sorted((ROOT / "ontology").glob("*.ttl")):
        store.load_file(ontology, ONTOLOGY_GRAPH)
    store.load_file(source, GRAPH_NAME)
    from kg.derived import refresh_totals

    refresh_totals(store)  # as kg.stores.build_store and kg build do


def settings(backend: str) -> Any:
    from kg.config import Settings

    kind = "oxigraph" if backend.startswith("oxigraph") else backend
    return Settings.from_env(ROOT, store=kind)
