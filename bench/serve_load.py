"""Load test of ``kg serve``: ``python -m bench.serve_load [--clients 50] [--seconds 60]
[--graph curated|1m]``.

Builds the project's persistent store (into ``bench/work/serve/<graph>/``; ``--graph 1m``
first makes a project of the 1M-triple synthetic graph there), starts ``kg serve`` on a free
loopback port with its defaults (3 workers, 5 s timeout, 10,000-row limit), and runs
``--clients`` asyncio clients (httpx) for ``--seconds``, each sending one request after the
other from a fixed mix of SPARQL queries (GET and form POST, SELECT/ASK/CONSTRUCT in several
formats, the service description), named queries of the API, the findings API (list, one
finding, a what-if, an entity) and the HTML pages (home, findings, a finding, an entity).
Meanwhile one more client sends, again and again, a query that runs past the timeout (a
three-way cross product).

Counted as errors: any answer other than 200 to the mix, any transport error, and any answer
to the slow query other than the 503 that says it ran past the timeout. The server's memory
(RSS of the server process and of its workers, from /proc) is sampled every second. The
figures go to ``bench/SERVE.md``, one section per graph run (the raw ones to
``bench/work/serve/<graph>/load.json``; ``--render`` rewrites SERVE.md from them).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work" / "serve"
REPORT = ROOT / "bench" / "SERVE.md"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PREFIXES = ("PREFIX kg: <https://w3id.org/kg/ontology#>\n"
            "PREFIX kgd: <https://w3id.org/kg/id/>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")
JSON_RESULTS = "application/sparql-results+json"

# (route label, weight, method, path, params or form, Accept)
MIX: list[tuple[str, int, str, str, dict[str, str], str | None]] = [
    ("sparql GET select json", 6, "GET", "/sparql",
     {"query": PREFIXES + "SELECT ?s ?label WHERE { ?s a kg:Lawsuit ; rdfs:label ?label }"},
     JSON_RESULTS),
    ("sparql GET select csv", 2, "GET", "/sparql",
     {"query": PREFIXES + "SELECT ?p ?o WHERE { kgd:symantec ?p ?o }"}, "text/csv"),
    ("sparql GET select xml", 2, "GET", "/sparql",
     {"query": PREFIXES + "SELECT ?m ?tier WHERE { ?m a kg:Membership ; kg:tier ?tier }"},
     "application/sparql-results+xml"),
    ("sparql POST form ask", 3, "POST", "/sparql",
     {"query": PREFIXES + "ASK { kgd:symantec ?p ?o }"}, JSON_RESULTS),
    ("sparql GET construct turtle", 2, "GET", "/sparql",
     {"query": PREFIXES + "CONSTRUCT { ?m ?p ?o } WHERE { ?m a kg:Membership ; ?p ?o }"},
     "text/turtle"),
    ("sparql GET service description", 1, "GET", "/sparql", {}, "text/turtle"),
    ("api members-by-tier", 4, "GET", "/api/queries/members-by-tier",
     {"as_of": "2014-12-31"}, None),
    ("api contributions-by-company", 2, "GET", "/api/queries/contributions-by-company",
     {"component": "nova", "year": "2014"}, None),
    ("api entity-profile csv", 1, "GET", "/api/queries/entity-profile",
     {"entity": "symantec", "format": "csv"}, None),
    ("api foundations", 2, "GET", "/api/queries/foundations", {}, None),
    ("api queries list", 1, "GET", "/api/queries", {}, None),
    # the findings API and the HTML pages; {finding}, {entity}, {organization}, {tier} and
    # {foundation} are chosen from the graph at the start (see ``choose``), so any graph works
    ("api findings", 2, "GET", "/api/findings", {}, None),
    ("api finding", 2, "GET", "/api/findings/{finding}", {}, None),
    ("api whatif", 2, "GET", "/api/whatif",
     {"organization": "{organization}", "tier": "{tier}", "foundation": "{foundation}",
      "join_date": "{join_date}"}, None),
    ("api entity", 2, "GET", "/api/entities/{entity}", {}, None),
    ("page home", 2, "GET", "/", {}, None),
    ("page findings", 1, "GET", "/findings", {}, None),
    ("page finding", 2, "GET", "/findings/{finding}", {}, None),
    ("page entity", 2, "GET", "/entities/{entity}", {}, None),
]


# one request at a time before the load: what a request costs when it need not wait
SEQUENTIAL = [
    ("ASK", 1, "GET", "/sparql", {"query": PREFIXES + "ASK { kgd:symantec ?p ?o }"},
     JSON_RESULTS),
    ("SELECT of 31 rows", 1, "GET", "/sparql", MIX[0][4], JSON_RESULTS),
    ("named query members-by-tier", 1, "GET", "/api/queries/members-by-tier",
     {"as_of": "2014-12-31"}, None),
    ("service description", 1, "GET", "/sparql", {}, "text/turtle"),
    ("api findings", 1, "GET", "/api/findings", {}, None),
    ("page finding", 1, "GET", "/findings/{finding}", {}, None),
]
TIER = PREFIXES + """SELECT ?tier WHERE { ?tier kg:tierOf ?foundation .
  OPTIONAL { ?tier kg:tierRank ?rank } } ORDER BY ?rank ?tier LIMIT 1"""


def choose(base: str) -> dict[str, str]:
    """The finding, entity and what-if the mix asks for, taken from the served graph: the first
    finding (highest score), its conflicted party, and a what-if that its first counterparty
    (else the party) joins the finding's foundation at its top tier on 2014-06-01."""
    answer = httpx.get(base + "/api/findings", timeout=300)
    if answer.status_code != 200:
        raise SystemExit(f"/api/findings answered {answer.status_code}: {answer.text[:300]}")
    found = answer.json()["findings"]
    if not found:
        raise SystemExit("the graph has no findings: the findings routes cannot be measured")
    first = found[0]
    local = lambda iri: str(iri).rsplit("/", 1)[-1]  # noqa: E731
    tier = httpx.get(base + "/sparql", params={"query": TIER.replace(
        "?foundation", f"<{first['foundation']}>")}, headers={"Accept": JSON_RESULTS},
        timeout=60).json()["results"]["bindings"]
    return {"finding": first["id"], "entity": local(first["party"]),
            "organization": local((first.get("counterparties") or [first["party"]])[0]),
            "tier": local(tier[0]["tier"]["value"]) if tier else "",
            "foundation": local(first["foundation"]),
            "join_date": "2014-06-01"}


def resolve(mix: list[Any], chosen: dict[str, str]) -> list[Any]:
    """The mix with the chosen IDs put into its paths and parameters."""
    def fill(text: str) -> str:
        return text.format(**chosen) if "{" in text and not text.startswith("PREFIX") else text
    return [(label, weight, method, fill(path), {k: fill(v) for k, v in params.items()}, accept)
            for label, weight, method, path, params, accept in mix]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (the workers are children of the fork server)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            direct = [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in direct:
            found += [child, *children(child)]
    return found


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    in_window: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # done by `until`
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    slow: list[tuple[int, float, str]] = field(default_factory=list)
    memory: list[tuple[float, int, int, int]] = field(default_factory=list)
    cpu: dict[int, float] = field(default_factory=dict)  # worker pid → CPU seconds seen
    cpu_at_start: tuple[float, float, float] = (0.0, 0.0, 0.0)  # server, workers, client
    cpu_at_end: tuple[float, float, float] = (0.0, 0.0, 0.0)
    sequential: dict[str, float] = field(default_factory=dict)


async def client(http: httpx.AsyncClient, base: str, until: float, tally: Tally,
                 seed: int, mix: list[Any]) -> None:
    rng = random.Random(seed)
    weights = [m[1] for m in mix]
    while time.monotonic() < until:
        label, _, method, path, params, accept = rng.choices(mix, weights)[0]
        headers = {"Accept": accept} if accept else {}
        started = time.monotonic()
        try:
            if method == "POST":
                r = await http.post(base + path, data=params, headers=headers)
            else:
                r = await http.get(base + path, params=params, headers=headers)
            elapsed = time.monotonic() - started
            if r.status_code == 200:
                tally.latencies[label].append(elapsed)
                tally.in_window[label] += time.monotonic() <= until
            else:
                tally.errors[label].append(f"{r.status_code}: {r.text.strip()[:200]}")
        except httpx.HTTPError as exc:
            tally.errors[label].append(f"{type(exc).__name__}: {exc}")


async def slow_client(http: httpx.AsyncClient, base: str, until: float, tally: Tally) -> None:
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            r = await http.get(base + "/sparql", params={"query": SLOW})
            tally.slow.append((r.status_code, time.monotonic() - started, r.text.strip()))
        except httpx.HTTPError as exc:
            tally.slow.append((0, time.monotonic() - started, f"{type(exc).__name__}: {exc}"))


async def sample_memory(pid: int, until: float, tally: Tally, started: float) -> None:
    while time.monotonic() < until:
        workers = children(pid)
        for w in workers:
            tally.cpu[w] = max(tally.cpu.get(w, 0.0), cpu_seconds(w))
        tally.memory.append((time.monotonic() - started, rss_kib(pid),
                             sum(rss_kib(w) for w in workers), len(workers)))
        await asyncio.sleep(1.0)


async def drive(base: str, pid: int, clients: int, seconds: float, chosen: dict[str, str],
                workers: int = 3) -> tuple[Tally, float]:
    tally = Tally()
    mix, sequential = resolve(MIX, chosen), resolve(SEQUENTIAL, chosen)
    limits = httpx.Limits(max_connections=clients + 5, max_keepalive_connections=clients + 5)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        # warm-up: every worker computes the findings once (three requests at once go to
        # three idle workers), then every route once
        warm = await asyncio.gather(*(http.get(base + "/api/findings", timeout=300)
                                      for _ in range(workers)))
        if any(r.status_code != 200 for r in warm):
            raise SystemExit(f"warm-up failed on the findings: {[r.text for r in warm]}")
        for label, _, method, path, params, accept in mix:
            r = await http.request(method, base + path,
                                   **({"data": params} if method == "POST" else
                                      {"params": params}),
                                   headers={"Accept": accept} if accept else {})
            if r.status_code != 200:
                raise SystemExit(f"warm-up failed on {label}: {r.status_code} {r.text}")
        for label, _, method, path, params, accept in sequential:
            times = []
            for _ in range(30):
                begun = time.perf_counter()
                await http.request(method, base + path, params=params,
                                   headers={"Accept": accept} if accept else {})
                times.append(time.perf_counter() - begun)
            tally.sequential[label] = percentile(times, 0.5) * 1000
        started = time.monotonic()
        until = started + seconds
        tally.cpu_at_start = (cpu_seconds(pid), sum(cpu_seconds(w) for w in children(pid)),
                              sum(os.times()[:2]))
        for w in children(pid):
            tally.cpu[w] = cpu_seconds(w)
        await asyncio.gather(
            *(client(http, base, until, tally, seed, mix) for seed in range(clients)),
            slow_client(http, base, until, tally),
            sample_memory(pid, until + 0.5, tally, started),
        )
        tally.cpu_at_end = (cpu_seconds(pid), sum(tally.cpu.values()), sum(os.times()[:2]))
    return tally, time.monotonic() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def make_one_m() -> Path:
    """A project of the ontology, the queries and the 1M-triple synthetic graph
    (``bench/work/g1000000.ttl``, made by ``python -m bench.synthetic`` when missing)."""
    import shutil

    project = WORK / "1m" / "project"
    source = ROOT / "bench" / "work" / "g1000000.ttl"
    if not source.exists():
        subprocess.run([sys.executable, "-m", "bench.synthetic", "--triples", "1e6", "--out",
                        str(source.with_suffix(".nt"))], check=True, cwd=ROOT)
    shutil.rmtree(project, ignore_errors=True)
    for folder in ("ontology", "queries"):
        shutil.copytree(ROOT / folder, project / folder)
    (project / "data").mkdir()
    shutil.copyfile(source, project / "data" / "synthetic.ttl")
    return project


def build_store(root: Path, work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    store = work / "store"
    subprocess.run([sys.executable, "-m", "kg", "--root", str(root), "--store-path", str(store),
                    "build"], check=True, stdout=subprocess.DEVNULL)
    return store


def start_server(root: Path, store: Path, work: Path, port: int, timeout: float | None = None,
                 ) -> subprocess.Popen[bytes]:
    log = (work / "server.log").open("wb")
    more = [] if timeout is None else ["--timeout", f"{timeout:g}"]
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "--root", str(root), "--store-path", str(store), "serve",
         "--port", str(port), "--no-build", *more], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/status", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"kg serve did not start; see {work / 'server.log'}")


def summarize(tally: Tally, seconds: float, clients: int, status: dict[str, Any]
              ) -> dict[str, Any]:
    routes = {}
    for label, *_ in MIX:
        values = tally.latencies.get(label, [])
        routes[label] = {"ok": len(values), "errors": len(tally.errors.get(label, [])),
                         "per_s": tally.in_window.get(label, 0) / seconds,
                         "p50_ms": percentile(values, 0.5) * 1000,
                         "p99_ms": percentile(values, 0.99) * 1000}
    timeouts = [s for s in tally.slow if s[0] == 503 and "ran past the timeout" in s[2]]
    everything = [v for values in tally.latencies.values() for v in values]
    return {
        "clients": clients, "seconds": seconds, "routes": routes,
        "total": {"ok": len(everything), "per_s": sum(tally.in_window.values()) / seconds,
                  "p50_ms": percentile(everything, 0.5) * 1000,
                  "p99_ms": percentile(everything, 0.99) * 1000,
                  "errors": sum(len(v) for v in tally.errors.values())},
        "error_samples": {k: v[:3] for k, v in tally.errors.items()},
        "slow": {"sent": len(tally.slow), "timed_out": len(timeouts),
                 "other": [s for s in tally.slow if s not in timeouts][:5],
                 "seconds": [round(s[1], 2) for s in tally.slow]},
        "memory": tally.memory, "status": status, "sequential_ms": tally.sequential,
        "cpu_s": {k: round(e - b, 1) for k, b, e in
                  zip(("server", "workers", "client"), tally.cpu_at_start, tally.cpu_at_end,
                      strict=True)},
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "load_before": os.getloadavg()},
    }


GRAPHS = {"curated": "the curated graph", "1m": "the 1M-triple synthetic graph"}


def render_all() -> str:
    """SERVE.md: one section per graph measured (``bench/work/serve/<graph>/load.json``)."""
    parts = ["# Serving under load (`kg serve`)", ""]
    for name in GRAPHS:
        path = WORK / name / "load.json"
        if path.exists():
            parts.append(render(json.loads(path.read_text(encoding="utf-8")), name))
    return "\n".join(parts)


def render(result: dict[str, Any], name: str = "curated") -> str:
    memory = result["memory"]
    first, last = memory[0], memory[-1]
    peak_server = max(m[1] for m in memory)
    peak_workers = max(m[2] for m in memory)
    mid = memory[len(memory) // 2]
    total, slow, cpu = result["total"], result["slow"], result["cpu_s"]
    chosen = result.get("chosen", {})
    lines = [
        f"## On {GRAPHS.get(name, name)}",
        "",
        "Measured by `python -m bench.serve_load` (asyncio + httpx on loopback, the client on the "
        f"same 2-core machine as the server, which other work shared: load average "
        f"{result['machine']['load_before'][0]:.1f} at the start). The server ran with its "
        f"defaults: {result['status']['workers']} worker processes, a "
        f"{result['status']['timeout_s']:g} s timeout, a {result['status']['row_limit']}-row "
        f"limit, on {GRAPHS.get(name, name)} ({result['status']['triples']} triples). "
        f"{result['clients']} clients sent requests back to back for "
        f"{result['seconds']:.0f} s from the mix below (requests per second count the answers "
        "that arrived within that time; latencies and errors count every request sent in it); "
        "one more client sent, again and again, a query that runs past the timeout."
        + (f" The finding asked for is `{chosen['finding']}`, the entity `{chosen['entity']}`, "
           f"the what-if {chosen['organization']} joining {chosen['foundation']} as "
           f"{chosen['tier']} on {chosen['join_date']}." if chosen else ""),
        "",
        f"**Errors: {total['errors']}** out of {total['ok'] + total['errors']} requests of the "
        "mix; "
        f"the slow query was sent {slow['sent']} times and stopped at the timeout "
        f"{slow['timed_out']} times ({', '.join(f'{s:g}' for s in slow['seconds'])} s), "
        f"with {len(slow['other'])} other answers.",
        "",
        "| route | requests | errors | per second | p50 | p99 |",
        "|---|---|---|---|---|---|",
    ]
    for label, r in result["routes"].items():
        lines.append(f"| {label} | {r['ok']} | {r['errors']} | {r['per_s']:.1f} | "
                     f"{r['p50_ms']:.0f} ms | {r['p99_ms']:.0f} ms |")
    lines += [
        f"| **all** | {total['ok']} | {total['errors']} | {total['per_s']:.1f} | "
        f"{total['p50_ms']:.0f} ms | {total['p99_ms']:.0f} ms |",
        "",
        "Memory (RSS, from /proc, sampled every second): the server process "
        f"{first[1] / 1024:.0f} MiB at the start, {mid[1] / 1024:.0f} MiB midway, "
        f"{last[1] / 1024:.0f} MiB at the end (peak {peak_server / 1024:.0f} MiB); its child "
        "processes (the workers, the fork server they are forked from and multiprocessing's "
        "resource tracker; RSS counts the pages they share once per process) together "
        f"{first[2] / 1024:.0f} → {mid[2] / 1024:.0f} → {last[2] / 1024:.0f} MiB "
        f"(peak {peak_workers / 1024:.0f} MiB; a worker killed at the timeout is replaced by a "
        "fresh one, so their sum dips and comes back).",
        "",
        f"CPU used during the run: the server process {cpu['server']:.0f} s, its children "
        f"{cpu['workers']:.0f} s (the slow query's among them, at nice 10 after its first "
        f"second), the load client {cpu['client']:.0f} s, out of "
        f"{2 * result['wall_s']:.0f} core-seconds on this machine (the run took "
        f"{result['wall_s']:.0f} s with the answers still on their way); the rest went to the "
        "other work on it. The latencies under load are therefore mostly waiting for a core; one "
        "request at a time, before the load (median of 30 each): "
        + ", ".join(f"{k} {v:.1f} ms" for k, v in result["sequential_ms"].items()) + ".",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--graph", choices=tuple(GRAPHS), default="curated",
                        help="curated: this project; 1m: a project of the 1M-triple synthetic "
                             "graph, made under bench/work/serve/1m/")
    parser.add_argument("--timeout", type=float, default=None,
                        help="the server's --timeout (default: kg serve's, 5 s)")
    parser.add_argument("--render", action="store_true",
                        help="only rewrite bench/SERVE.md from the last runs' load.json")
    args = parser.parse_args()
    if args.render:
        REPORT.write_text(render_all(), encoding="utf-8")
        return
    work = WORK / args.graph
    root = ROOT if args.graph == "curated" else make_one_m()
    store = build_store(root, work)
    port = free_port()
    server = start_server(root, store, work, port, args.timeout)
    base = f"http://127.0.0.1:{port}"
    try:
        chosen = choose(base)
        tally, wall = asyncio.run(drive(base, server.pid, args.clients, args.seconds, chosen))
        status = httpx.get(f"{base}/api/status", timeout=10).json()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
    result = summarize(tally, args.seconds, args.clients, status)
    result["wall_s"], result["chosen"] = wall, chosen
    (work / "load.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    REPORT.write_text(render_all(), encoding="utf-8")
    print(render(result, args.graph))


if __name__ == "__main__":
    main()
