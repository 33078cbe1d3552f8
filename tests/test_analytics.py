"""kg.analytics: paths, interlocks and centrality with their evidence; the commands; pictures."""

from __future__ import annotations

import importlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from kg.analytics import centrality, interlocks, paths
from kg.analytics.drawing import draw, path_graph
from kg.errors import KGError

from .conftest import ROOT, run_kg_here

K = "https://w3id.org/kg/id/"
TINY = Path(__file__).resolve().parent / "fixtures" / "analytics" / "tiny.ttl"


@pytest.fixture(scope="module")
def tiny() -> Graph:
    return Graph().parse(TINY).parse(ROOT / "ontology" / "kg.ttl")


@pytest.fixture(scope="module")
def symantec_rackspace(repo_store: Any) -> Any:
    return paths(repo_store, "symantec", "rackspace")


def test_symantec_to_rackspace_is_the_patents_then_the_suit(symantec_rackspace: Any) -> None:
    best = symantec_rackspace.paths[0]
    assert best.labels == ("Symantec", "Clouding IP", "Rackspace")
    transfer, suit = (hop.fact for hop in best.hops)
    assert transfer.sentence == "Symantec —transferred patents to→ Clouding IP"
    assert transfer.when == "2012"
    assert "https://e.casetext.com/case/clouding-ip-llc-v-google-inc" in {
        s.url for s in transfer.sources}
    assert suit.sentence == "Clouding IP —sued→ Rackspace"
    assert suit.when == "2012-05-29 → dismissed, no standing 2014-07-28"
    assert suit.start == date(2012, 5, 29) and suit.confidence == "confirmed"
    assert any("Rackspace" in s.title for s in suit.sources)
    # the other facts between Symantec and Clouding IP come with the hop (ties, the 2018 suit)
    assert {f.kind for f in best.hops[0].facts} >= {"transfer", "tie", "lawsuit"}


def test_shared_membership_is_a_path_but_ranked_after_specific_facts(
        symantec_rackspace: Any) -> None:
    texts = [p.text for p in symantec_rackspace.paths]
    assert texts[-1] == "Symantec → OpenStack Foundation → Rackspace"
    hops = symantec_rackspace.paths[-1].hops
    assert [h.fact.detail for h in hops] == ["Gold member", "Platinum member"]
    assert symantec_rackspace.found > len(texts)  # more shortest paths, via components


def test_a_cut_in_the_candidates_keeps_the_specific_paths(repo_store: Any,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module("kg.analytics.paths")  # the name is also the function's
    monkeypatch.setattr(module, "MAX_CANDIDATES", 2)  # fewer than the shortest paths there are
    cut = paths(repo_store, "symantec", "rackspace", max_paths=1)
    assert cut.found == 2 and cut.paths[0].text == "Symantec → Clouding IP → Rackspace"


def test_as_of_leaves_out_what_had_not_begun(repo_store: Any, tiny: Graph) -> None:
    early = paths(repo_store, "symantec", "rackspace", as_of=date(2013, 1, 1))
    assert [p.text for p in early.paths] == ["Symantec → Clouding IP → Rackspace"]
    suit = early.paths[0].hops[1].fact
    assert suit.when == "since 2012-05-29"  # the dismissal of 2014 was not known yet
    assert paths(tiny, "alpha", "beta", as_of=date(2015, 1, 1)).paths == ()
    assert [p.text for p in paths(tiny, "alpha", "beta").paths] == ["Alpha → Holder → Beta"]


def test_as_of_counts_the_commits_of_the_years_ended_by_then(tiny: Graph) -> None:
    def commits(**kw: Any) -> tuple[str, str]:
        fact = paths(tiny, "alpha", "widget", **kw).paths[0].hops[0].fact
        return fact.detail, fact.when

    assert commits() == ("80 commits", "2012–2016")
    assert commits(as_of=date(2014, 1, 1)) == ("50 commits", "2012")
    assert paths(tiny, "alpha", "widget", as_of=date(2012, 6, 30)).paths == ()


def test_unknown_entity_names_the_nearest(tiny: Graph) -> None:
    with pytest.raises(KGError, match=r"unknown entity 'alpah' \(nearest: alpha \(Alpha\)"):
        paths(tiny, "alpah", "beta")
    assert paths(tiny, "alpha", "gamma").paths == ()


def test_interlocks_of_rackspace_and_hp(repo_store: Any) -> None:
    result = interlocks(repo_store, ["rackspace", "hp"])
    by_label = {lock.label: lock for lock in result.interlocks}
    assert list(by_label)[:2] == ["OpenStack Foundation", "Clouding IP"]
    clouding = by_label["Clouding IP"]
    assert {f.sentence: f.when for f in clouding.facts} == {
        "Clouding IP —sued→ Rackspace": "2012-05-29 → dismissed, no standing 2014-07-28",
        "Clouding IP —sued→ HP": "2013 → dismissed, no standing 2014-07-28"}
    assert all(f.sources for f in clouding.facts)
    memberships = {f.sentence: f.detail for f in by_label["OpenStack Foundation"].facts
                   if f.kind == "membership"}
    assert memberships == {"Rackspace —is a member of→ OpenStack Foundation": "Platinum member",
                           "HP —is a member of→ OpenStack Foundation": "Platinum member"}
    assert all(lock.reached == result.entities for lock in result.interlocks)


def test_interlocks_as_of(repo_store: Any, tiny: Graph) -> None:
    early = interlocks(repo_store, ["rackspace", "hp"], as_of=date(2012, 12, 31))
    assert "Clouding IP" not in [lock.label for lock in early.interlocks]  # v. HP: 2013
    assert [lock.label for lock in interlocks(tiny, ["alpha", "beta"]).interlocks] == ["Holder"]
    assert interlocks(tiny, ["alpha", "beta"], as_of=date(2015, 1, 1)).interlocks == ()
    with pytest.raises(KGError, match="--min 3"):
        interlocks(tiny, ["alpha", "beta"], min_reached=3)


def test_centrality_ranks_the_plaintiff_that_sued_many_members(repo_store: Any) -> None:
    result = centrality(repo_store, "openstack", top=5)
    assert result.body_label == "OpenStack Foundation"
    top = [row.label for row in result.ranking]
    assert top[0] == "Clouding IP" and "Rackspace" in top[:3]
    assert result.ranking[0].member == "" and result.ranking[0].suits >= 10
    assert [r.betweenness for r in result.ranking] == sorted(
        (r.betweenness for r in result.ranking), reverse=True)


def test_path_command_prints_the_sourced_chain() -> None:
    done = run_kg_here("path", "symantec", "rackspace")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Path 1 of 3 (2 hops): Symantec → Clouding IP → Rackspace"
    assert lines[1].startswith("  1. Symantec —transferred patents to→ Clouding IP")
    assert "source: Clouding IP, LLC v. Google Inc." in lines[2]
    assert lines[3].startswith("  2. Clouding IP —sued→ Rackspace · 2012-05-29 → dismissed")


def test_path_command_exit_codes() -> None:
    unknown = run_kg_here("path", "symantec", "symantek-corp")
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("kg: error: unknown entity 'symantek-corp' (nearest: ")
    assert len(unknown.stderr.strip().splitlines()) == 1
    none = run_kg_here("path", "symantec", "rackspace", "--via", "transfer")
    assert none.returncode == 1
    assert "no path between Symantec and Rackspace" in none.stderr


def test_render_path_draws_the_paths_entities(symantec_rackspace: Any, tmp_path: Path) -> None:
    g = path_graph(symantec_rackspace)
    drawing = draw(g, tmp_path / "path.png")
    labels = {g.nodes[n]["label"] for n in drawing.nodes}
    assert labels == {label for p in symantec_rackspace.paths for label in p.labels}
    assert drawing.edges == sum(len(p.hops) for p in symantec_rackspace.paths)
    assert drawing.path.stat().st_size > 0
    both = run_kg_here("render", "--path", "a", "b", "--entity", "c", "-o", "x.png")
    assert both.returncode == 2
    assert "exactly one of --entity, --finding, --path or --interlocks" in both.stderr
