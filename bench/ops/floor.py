"""The floor: a plain-Python dict hash join of the proxy pattern over parsed triples.

Only the predicates the pattern needs are kept while parsing (parsing is reported apart and
not part of the floor's time): the join itself is what no engine can beat by much.
"""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path
from typing import Any

KG = "<https://w3id.org/kg/ontology#"
NEEDED = {KG + p + ">" for p in ("plaintiff", "defendant", "filedDate", "transferor",
                                 "transferee", "fromParty", "toParty", "member", "foundation",
                                 "startDate", "endDate")}


def parse(path: Path) -> dict[str, list[tuple[str, str]]]:
    by_pred: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            s, p, rest = line.split(" ", 2)
            if p in NEEDED:
                by_pred[p[len(KG):-1]].append((s, rest[:-3]))
    return by_pred


def _date(lit: str) -> str:
    return lit[1:11]


def join(t: dict[str, list[tuple[str, str]]]) -> set[tuple[str, str, str, str]]:  # noqa: C901
    def index(pred: str) -> dict[str, list[str]]:
        d: dict[str, list[str]] = defaultdict(list)
        for s, o in t[pred]:
            d[s].append(o)
        return d

    plaintiffs, defendants = index("plaintiff"), index("defendant")
    filed = {s: _date(o) for s, o in t["filedDate"]}
    backers: dict[str, list[str]] = defaultdict(list)         # proxy -> members behind it
    for a, b in (("transferor", "transferee"), ("fromParty", "toParty")):
        frm = index(a)
        for link, to in t[b]:
            for m in frm.get(link, ()):
                backers[to].append(m)
    foundation = {s: o for s, o in t["foundation"]}
    start = {s: _date(o) for s, o in t["startDate"]}
    end = {s: _date(o) for s, o in t["endDate"]}
    memberships: dict[str, list[str]] = defaultdict(list)     # org -> memberships
    for ms, org in t["member"]:
        memberships[org].append(ms)

    def holding(org: str, day: str) -> set[str]:
        return {foundation[m] for m in memberships.get(org, ())
                if m in foundation and start.get(m, "9999") <= day and end.get(m, "9999") >= day}

    found = set()
    for suit, proxies in plaintiffs.items():
        day = filed.get(suit)
        if day is None:
            continue
        for proxy in proxies:
            for member in backers.get(proxy, ()):
                fs = holding(member, day)
                if not fs:
                    continue
                for target in defendants.get(suit, ()):
                    if target != member:
                        for f in fs & holding(target, day):
                            found.add((f, member, proxy, target))
    return found


def run(path: Path, repeat: int) -> dict[str, Any]:
    t = time.perf_counter()
    triples = parse(path)
    parse_s = time.perf_counter() - t
    times, result = [], set()
    for _ in range(repeat):
        t = time.perf_counter()
        result = join(triples)
        times.append(time.perf_counter() - t)
    return {"times": times, "parse_seconds": parse_s, "rows": len(result),
            "answer": sorted("|".join(x) for x in result)}
