"""The synthetic ecosystem: deterministic, sized, and its expected answers are the whole answer
(one finding per conflict, near misses that must not appear; the finder's comparison with them
is tests/test_expected_answers.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.synthetic import generate, slug
from kg.config import Settings
from kg.queries import parse_query_file, select
from kg.stores.oxigraph_store import OxigraphStore
from kg.stores.rdflib_store import RdflibStore

from .conftest import load_with_ontology

ROOT = Path(__file__).resolve().parents[1]
PROXY = ROOT / "bench" / "queries" / "proxy.rq"


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("g") / "g20k.nt"
    return out, generate(20_000, out, seed=11)


def test_generation_is_deterministic_and_sized(graph: tuple[Path, dict], tmp_path: Path) -> None:
    path, expected = graph
    again = generate(20_000, tmp_path / "again.nt", seed=11)
    assert path.read_bytes() == (tmp_path / "again.nt").read_bytes()
    assert again["findings"] == expected["findings"]
    assert 20_000 <= expected["triples"] < 22_000
    assert json.loads(Path(f"{path}.expected.json").read_text())["triples"] == expected["triples"]


def test_expected_findings_are_one_per_conflict(graph: tuple[Path, dict]) -> None:
    _, expected = graph
    findings, near = expected["findings"], expected["near_misses"]
    ids = [f["id"] for f in findings]
    assert len(ids) == len(set(ids))
    assert {n["id"] for n in near}.isdisjoint(ids)
    assert len({n["id"] for n in near}) == len(near)
    for f in findings:
        assert set(f) == {"id", "family", "party", "foundation", "counterparties",
                          "intermediaries", "temporal_status", "patterns"}
        assert f["id"] == f"{f['family']}:{slug(f['party'])}@{slug(f['foundation'])}"
        assert f["counterparties"] == sorted(f["counterparties"])
        assert f["party"] not in f["counterparties"]  # a defendant is never the party
    patterns = {p for f in findings for p in f["patterns"]}
    assert patterns == {"direct", "proxy", "commons", "contributor", "former", "governance",
                        "licence"}
    assert {p["via"] for p in expected["planted"] if p["pattern"] == "proxy"} == {
        "transfer", "Funding", "Ownership", "AgencyTie"}


def test_licence_and_commons_on_one_member_are_one_finding(graph: tuple[Path, dict]) -> None:
    _, expected = graph
    both = [f for f in expected["findings"] if "licence" in f["patterns"]]
    assert both and all(f["patterns"] == ["commons", "licence"] for f in both)
    assert all(f["intermediaries"] == [] and len(f["counterparties"]) == 1 for f in both)


def test_contributor_finding_names_the_plaintiff_side(graph: tuple[Path, dict]) -> None:
    _, expected = graph
    planted = {p["id"]: p for p in expected["planted"]}
    for f in (f for f in expected["findings"] if f["patterns"] == ["contributor"]):
        roles = planted[f["id"]]["roles"]
        assert f["party"] == roles["contributor"]  # the assignor, not the sued contributor
        assert f["intermediaries"] == [roles["plaintiff"]]
        assert sorted(f["counterparties"]) == sorted([planted[f["id"]]["component"],
                                                      roles["defendant"]])


def test_former_pairs_are_never_direct_and_near_misses_say_why(graph: tuple[Path, dict]) -> None:
    _, expected = graph
    near = {n["id"]: n for n in expected["near_misses"]}
    former = [f for f in expected["findings"] if f["family"] == "former"]
    assert former and all(f["temporal_status"] == "historical" for f in former)
    for f in former:
        assert near[f"litigation:{slug(f['party'])}@{slug(f['foundation'])}"]["why"]
    kinds = {n["id"].split(":")[1].split("-")[1] for n in near.values()}
    assert kinds == {"direct", "proxy", "governance", "former"}
    assert all(n["why"] for n in near.values())
    (case, *_) = expected["what_if"]
    assert case["id"] == f"litigation:{slug(case['entity'])}@{slug(case['foundation'])}"


def test_turtle_and_ntriples_hold_the_same_triples(graph: tuple[Path, dict]) -> None:
    path, expected = graph
    nt, ttl = OxigraphStore(), OxigraphStore()
    nt.load_file(path, "urn:kg:g")
    ttl.load_file(path.with_suffix(".ttl"), "urn:kg:g")
    assert len(nt) == len(ttl) == expected["triples"]


def test_what_if_finds_the_planted_applicant(graph: tuple[Path, dict]) -> None:
    from datetime import date

    from kg import whatif
    from kg.namespaces import KGD

    path, expected = graph
    store = load_with_ontology(OxigraphStore(), path)
    case = expected["what_if"][0]
    found = whatif.what_if(
        store, Settings.from_env(ROOT), organization=case["entity"],
        foundation=case["foundation"], tier=case["foundation"] + "-tier-2",
        join_date=date.fromisoformat(case["date"]))
    assert {f.pattern for f in found} == set(case["patterns"])
    assert {f.id for f in found} == {case["id"]}
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
    planted = {(p["foundation"], p["roles"]["member"], p["roles"]["proxy"], p["roles"]["target"])
               for p in expected["planted"] if p["pattern"] == "proxy"}
    assert answers[0] == answers[1] == planted
