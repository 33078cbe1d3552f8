"""Entity profile: every sourced fact about one entity (queries/entity-profile.rq)."""

from __future__ import annotations

from typing import Any

from bench.common import QUERIES, ROOT, timed


def profile(store: Any, backend: str, exp: dict[str, Any], repeat: int) -> dict[str, Any]:
    from kg.queries import parse_query_file, select

    path = ROOT / "queries" / "entity-profile.rq"
    if not path.exists():
        path = QUERIES / "profile.rq"
    query = parse_query_file(path, "entity-profile")
    times, rows = timed(lambda: select(store, query, {"entity": exp["profile_entity"]}), repeat)
    return {"times": times, "rows": len(rows), "query": path.relative_to(ROOT).as_posix(),
            "correct": len(rows) > 0}
