"""Full conflict scan: the proxy pattern query alone, and kg.conflicts.find_conflicts over
every foundation, its whole output compared with the expected answers."""

from __future__ import annotations

from typing import Any

from bench.common import QUERIES, settings, timed


def proxy_query(store: Any, backend: str, exp: dict[str, Any], repeat: int) -> dict[str, Any]:
    from kg.queries import parse_query_file, select

    query = parse_query_file(QUERIES / "proxy.rq", "proxy")
    times, rows = timed(lambda: select(store, query), repeat)
    answer = sorted({"|".join(f"<{r[c]}>" for c in ("foundation", "member", "proxy", "target"))
                     for r in rows})
    planted = sorted({"|".join(f"<{x}>" for x in (
        p["foundation"], p["roles"]["member"], p["roles"]["proxy"], p["roles"]["target"]))
        for p in exp["planted"] if p["pattern"] == "proxy"})
    return {"times": times, "rows": len(answer), "answer": answer, "correct": answer == planted}


def full_scan(store: Any, backend: str, exp: dict[str, Any], repeat: int) -> dict[str, Any]:
    from kg.conflicts import find_conflicts

    conf = settings(backend)

    def scan() -> list[Any]:
        return find_conflicts(store, conf)  # every foundation in the graph

    times, found = timed(scan, repeat)
    return {"times": times, "rows": len(found), **compare(found, exp)}


def compare(found: list[Any], exp: dict[str, Any]) -> dict[str, Any]:
    """The finder's whole output against the expected answers: every expected finding with
    the same id, counterparties and temporal status, nothing else, and no near miss."""
    got = {(f.id, tuple(sorted(f.counterparties)), f.temporal_status) for f in found}
    want = {(f["id"], tuple(sorted(f["counterparties"])), f["temporal_status"])
            for f in exp["findings"]}
    near = {n["id"] for n in exp["near_misses"]} & {f.id for f in found}
    return {"correct": got == want and not near and len(got) == len(found),
            "missing": len(want - got), "extra": len(got - want), "near_misses_found": len(near)}
