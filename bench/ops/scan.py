"""Full conflict scan: the proxy pattern query alone, and kg.conflicts.find_conflicts over
every foundation (all seven patterns, evidence chains, temporal status)."""

from __future__ import annotations

from typing import Any

from bench.common import QUERIES, settings, timed


def proxy_query(store: Any, backend: str, exp: dict[str, Any], repeat: int) -> dict[str, Any]:
    from kg.queries import parse_query_file, select

    query = parse_query_file(QUERIES / "proxy.rq", "proxy")
    times, rows = timed(lambda: select(store, query), repeat)
    answer = sorted({"|".join(f"<{r[c]}>" for c in ("foundation", "member", "proxy", "target"))
                     for r in rows})
    planted = sorted({"|".join(f"<{f[k]}>" for k in ("foundation",)) + "|" + "|".join(
        f"<{f['roles'][k]}>" for k in ("member", "proxy", "target"))
        for f in exp["findings"] if f["pattern"] == "proxy"})
    return {"times": times, "rows": len(answer), "answer": answer, "correct": answer == planted}


def full_scan(store: Any, backend: str, exp: dict[str, Any], repeat: int) -> dict[str, Any]:
    from kg.conflicts import find_conflicts

    conf = settings(backend)

    def scan() -> list[Any]:
        return find_conflicts(store, conf)  # every foundation in the graph

    times, found = timed(scan, repeat)
    strong = {(f.pattern, f.foundation, tuple(sorted(f.parties))) for f in found
              if f.temporal_status == "active" and f.severity == "high"}
    planted = {(f["pattern"], f["foundation"], tuple(f["parties"])) for f in exp["findings"]
               if f["temporal_status"] == "active"}
    return {"times": times, "rows": len(found), "correct": strong == planted}
