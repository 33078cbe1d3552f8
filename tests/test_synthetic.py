"""Smoke test of the synthetic ecosystem: the planted findings, and only them, come back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.synthetic import generate
from kg.config import Settings
from kg.queries import parse_query_file, select
from kg.stores.oxigraph_store import OxigraphStore
from kg.stores.rdflib_store import RdflibStore

ROOT = Path(__file__).resolve().parents[1]
PROXY = ROOT / "bench" / "queries" / "proxy.rq"


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("g") / "g20k.nt"
    return out, generate(20_000, out, seed=11)


def _key(pattern: str, foundation: str, parties: object) -> tuple[str, str, tuple[str, ...]]:
    return pattern, foundation, tuple(sorted(str(p) for p in parties))  # type: ignore[attr-defined]


def test_generation_is_deterministic_and_sized(graph: tuple[Path, dict], tmp_path: Path) -> None:
    path, expected = graph
    again = generate(20_000, tmp_path / "again.nt", seed=11)
    assert path.read_bytes() == (tmp_path / "again.nt").read_bytes()
    assert again["findings"] == expected["findings"]
    assert 20_000 <= expected["triples"] < 22_000
    assert json.loads(Path(f"{path}.expected.json").read_text())["triples"] == expected["triples"]
    assert {f["pattern"] for f in expected["findings"]} >= {
        "direct", "proxy", "commons", "contributor", "former", "governance", "licence"}
    assert {f["via"] for f in expected["findings"] if f["pattern"] == "proxy"} == {
        "transfer", "Funding", "Ownership", "AgencyTie"}


def test_turtle_and_ntriples_hold_the_same_triples(graph: tuple[Path, dict]) -> None:
    path, expected = graph
    nt, ttl = OxigraphStore(), OxigraphStore()
    nt.load_file(path, "urn:kg:g")
    ttl.load_file(path.with_suffix(".ttl"), "urn:kg:g")
    assert len(nt) == len(ttl) == expected["triples"]


def test_find_conflicts_returns_exactly_the_planted_findings(graph: tuple[Path, dict]) -> None:
    conflicts = pytest.importorskip("kg.conflicts")
    path, expected = graph
    store = OxigraphStore()
    store.load_file(path, "urn:kg:g")
    settings = Settings.from_env(ROOT)
    found = [f for fd in expected["foundations"]
             for f in conflicts.find_conflicts(store, settings, foundation=fd)]
    # active and high severity: every planted finding, and nothing else
    strong = {_key(f.pattern, f.foundation, f.parties) for f in found
              if f.temporal_status == "active" and f.severity == "high"}
    planted = {_key(f["pattern"], f["foundation"], f["parties"]) for f in expected["findings"]
               if f["temporal_status"] == "active"}
    assert strong == planted
    # former members: reported as historical
    historical = {_key(f.pattern, f.foundation, f.parties) for f in found
                  if f.temporal_status == "historical"}
    assert {_key(f["pattern"], f["foundation"], f["parties"]) for f in expected["findings"]
            if f["temporal_status"] == "historical"} <= historical
    # near misses (an interval ended before the suit was filed) are never strong findings
    near = {_key(n["pattern"], n["foundation"], n["parties"]) for n in expected["near_misses"]}
    assert not near & strong
    assert len(near) == len(expected["near_misses"])


def test_what_if_finds_the_planted_applicant(graph: tuple[Path, dict]) -> None:
    from datetime import date

    from kg import whatif
    from kg.namespaces import KGD

    path, expected = graph
    store = OxigraphStore()
    store.load_file(path, "urn:kg:g")
    case = expected["what_if"][0]
    found = whatif.what_if(
        store, Settings.from_env(ROOT), organization=case["entity"],
        foundation=case["foundation"], tier=case["foundation"] + "-tier-2",
        join_date=date.fromisoformat(case["date"]))
    assert {f.pattern for f in found} == set(case["patterns"])
    assert {p for f in found for p in f.parties} == set(case["parties"])
    assert KGD  # the data namespace the generator mints IRIs in


def test_rdflib_and_oxigraph_agree_on_the_proxy_pattern(graph: tuple[Path, dict]) -> None:
    path, expected = graph
    query = parse_query_file(PROXY, "proxy")
    answers = []
    for store in (OxigraphStore(), RdflibStore()):
        store.load_file(path, "urn:kg:g")
        answers.append({(str(r["foundation"]), str(r["member"]), str(r["proxy"]),
                         str(r["target"])) for r in select(store, query)})
    planted = {(f["foundation"], f["roles"]["member"], f["roles"]["proxy"], f["roles"]["target"])
               for f in expected["findings"] if f["pattern"] == "proxy"}
    assert answers[0] == answers[1] == planted
