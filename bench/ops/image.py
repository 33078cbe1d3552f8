"""Neighbourhood image: CONSTRUCT an entity's fact nodes and their parties, draw a PNG with
kg.rendering (networkx + matplotlib)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from bench.common import QUERIES, settings, timed


def image(store: Any, backend: str, exp: dict[str, Any], repeat: int) -> dict[str, Any]:
    from kg.queries import parse_query_file, run_query
    from kg.rendering import draw_entity
    from kg.vocabulary import load_vocabulary

    query = parse_query_file(QUERIES / "neighbourhood.rq", "neighbourhood")
    entity = exp["profile_entity"]
    out = Path(tempfile.mkdtemp(prefix="kg-bench-img-")) / "neighbourhood.png"
    vocabulary = load_vocabulary(store, settings(backend))  # the CONSTRUCT holds no ontology

    def draw() -> int:
        graph = run_query(store, query, {"entity": entity})
        draw_entity(graph, entity, out, vocabulary=vocabulary)  # type: ignore[arg-type]
        return len(graph)  # type: ignore[arg-type]

    times, n = timed(draw, repeat)
    return {"times": times, "rows": n, "correct": out.stat().st_size > 0}
