"""One measured run in a fresh process: ``python -m bench.child '<json args>'``.

Prints one JSON line: the op's timings and details. The parent reads the child's peak
memory from ``os.wait4`` (ru_maxrss), so every figure of peak memory is one process's own.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

QUERY_OPS = {
    "scan-proxy": ("bench.ops.scan", "proxy_query"),
    "scan-full": ("bench.ops.scan", "full_scan"),
    "whatif-query": ("bench.ops.whatif", "whatif_query"),
    "whatif-api": ("bench.ops.whatif", "whatif_api"),
    "profile": ("bench.ops.profile", "profile"),
    "image": ("bench.ops.image", "image"),
}


def main(args: dict[str, Any]) -> dict[str, Any]:
    import importlib

    from bench.common import expected, open_backend

    path = Path(args["graph"])
    op = args["op"]
    if op in ("load-nt", "load-ttl"):
        from bench.ops import load

        return load.run(args["backend"], path, op[5:], args["repeat"])
    if op == "floor":
        from bench.ops import floor

        return floor.run(path, args["repeat"])
    if op == "shacl":
        from bench.ops import shacl

        return shacl.run(args["engine"], path, args["shapes"], args["repeat"],
                         args.get("shard_size", 100_000), args.get("first_shards"))
    # query ops: load once (untimed here), then time each op
    t = time.perf_counter()
    store = open_backend(args["backend"], path)
    load_s = time.perf_counter() - t
    exp = expected(path)
    out: dict[str, Any] = {"load_seconds": load_s, "ops": {}}
    for name in args["ops"]:
        module, fn = QUERY_OPS[name]
        try:
            out["ops"][name] = getattr(importlib.import_module(module), fn)(
                store, args["backend"], exp, args["repeat"])
        except Exception as exc:  # a failing op is recorded, the others still run
            out["ops"][name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return out


if __name__ == "__main__":
    result = main(json.loads(sys.argv[1]))
    sys.stdout.write("\n" + json.dumps(result) + "\n")
