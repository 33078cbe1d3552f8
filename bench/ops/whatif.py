"""One-entity check, "what if X joins F today?": the bound query alone, and the product's
kg.whatif.what_if (the finder on the applicant's neighbourhood)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bench.common import QUERIES, settings, timed


def whatif_query(store: Any, backend: str, exp: dict[str, Any], repeat: int) -> dict[str, Any]:
    from kg.queries import parse_query_file, select

    query = parse_query_file(QUERIES / "whatif.rq", "whatif")
    case = exp["what_if"][0]
    params = {"entity": case["entity"], "foundation": case["foundation"], "as_of": case["date"]}
    times, rows = timed(lambda: select(store, query, params), repeat)
    parties = {case["entity"]} | {str(r[c]) for r in rows for c in ("proxy", "target")}
    return {"times": times, "rows": len(rows), "correct": parties == set(case["parties"])}


def whatif_api(store: Any, backend: str, exp: dict[str, Any], repeat: int) -> dict[str, Any]:
    from kg.whatif import what_if

    case = exp["what_if"][0]
    conf = settings(backend)

    def check() -> list[Any]:
        return what_if(store, conf, organization=case["entity"], foundation=case["foundation"],
                       tier=case["foundation"] + "-tier-2",
                       join_date=date.fromisoformat(case["date"]))

    times, found = timed(check, repeat)
    return {"times": times, "rows": len(found),
            "correct": {p for f in found for p in f.parties} == set(case["parties"])
            and {f.id for f in found} == {case["id"]}}
