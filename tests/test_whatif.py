"""The what-if check reads only the applicant's neighbourhood; its findings must be exactly
those of the finder run on a full copy of the graph with the hypothetical membership added
(the oracle), on the real data and on a synthetic graph with a planted applicant."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.config import Settings
from kg.conflicts import find_conflicts
from kg.findings import Finding
from kg.queries import to_iri
from kg.stores import Store, build_store
from kg.stores.oxigraph_store import OxigraphStore
from kg.synthetic import generate
from kg.whatif import (
    HOPS,
    WHATIF_MEMBERSHIP,
    hypothetical_membership,
    membership_patterns,
    neighbourhood,
    what_if,
)

ROOT = Path(__file__).resolve().parent.parent
PARTIES = """
PREFIX kg: <https://w3id.org/kg/ontology#>
SELECT DISTINCT ?org WHERE {
  { ?s kg:plaintiff|kg:defendant|kg:transferor|kg:transferee|kg:fromParty|kg:toParty ?org }
  UNION { ?seat kg:seatHolder ?org }
}
"""


class Oracle:
    """The finder on a full copy of the graph, the hypothetical membership added."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.copy = OxigraphStore()
        self.copy.add_graph(store.to_graph(), "urn:test:base")
        self.settings = settings

    def __call__(self, organization: str, foundation: str, tier: str,
                 join_date: date) -> list[Finding]:
        self.copy.add_graph(hypothetical_membership(to_iri(organization), to_iri(foundation),
                                                    to_iri(tier), join_date), "urn:test:whatif")
        try:
            return find_conflicts(self.copy, self.settings, foundation=foundation,
                                  as_of=join_date, hypothetical=str(WHATIF_MEMBERSHIP),
                                  patterns=membership_patterns(self.settings))
        finally:
            self.copy.drop_graph("urn:test:whatif")


def parties(store: Store) -> list[str]:
    return sorted(str(r["org"]) for r in store.select(PARTIES).rows)


@pytest.fixture(scope="module")
def real() -> tuple[Store, Settings]:
    settings = Settings(root=ROOT)
    return build_store(settings), settings


@pytest.mark.parametrize("join_date", [date(2015, 1, 1), date(2013, 6, 1)])
def test_every_party_of_the_real_data_gets_the_oracles_findings(
        real: tuple[Store, Settings], join_date: date) -> None:
    store, settings = real
    foundation, tier = "kgd:openstack-foundation", "kgd:openstack-foundation-gold"
    orgs = parties(store)
    assert len(orgs) > 40
    oracle = Oracle(store, settings)
    nonempty = 0
    for org in orgs:
        got = what_if(store, settings, organization=org, foundation=foundation, tier=tier,
                      join_date=join_date)
        assert got == oracle(org, foundation, tier, join_date), org
        nonempty += bool(got)
    assert nonempty >= 5  # the comparison is not only between empty lists


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, dict, Settings]:
    path = tmp_path_factory.mktemp("g") / "g10k.nt"
    expected = generate(10_000, path, seed=5)
    store = OxigraphStore()
    store.load_file(path, "urn:test:g")
    return store, expected, Settings(root=ROOT)


def test_synthetic_applicant_and_parties_match_the_oracle(
        synthetic: tuple[Store, dict, Settings]) -> None:
    store, expected, settings = synthetic
    case = expected["what_if"][0]
    day = date.fromisoformat(case["date"])
    foundation = case["foundation"]
    tier = foundation + "-tier-2"
    got = what_if(store, settings, organization=case["entity"], foundation=foundation,
                  tier=tier, join_date=day)
    assert {p for f in got for p in f.parties} == set(case["parties"])
    # every party of the planted findings, joining the same foundation
    orgs = sorted({p for f in expected["findings"] for p in f["parties"]})
    assert len(orgs) > 10
    oracle = Oracle(store, settings)
    for org in orgs:
        assert what_if(store, settings, organization=org, foundation=foundation, tier=tier,
                       join_date=day) == oracle(org, foundation, tier, day), org


def test_the_neighbourhood_is_small_and_reaches_the_chain(
        synthetic: tuple[Store, dict, Settings]) -> None:
    store, expected, settings = synthetic
    case = expected["what_if"][0]
    graph = neighbourhood(store, settings, to_iri(case["entity"]),
                          to_iri(case["foundation"]))
    assert len(graph) < len(store) / 10
    nodes = {str(s) for s in graph.subjects()}
    assert set(case["facts"]) <= nodes  # the tie and the suit of the planted chain
    assert HOPS == 5


def test_the_store_is_left_as_it_was(synthetic: tuple[Store, dict, Settings]) -> None:
    store, expected, settings = synthetic
    before = len(store)
    case = expected["what_if"][0]
    what_if(store, settings, organization=case["entity"], foundation=case["foundation"],
            tier=case["foundation"] + "-tier-2", join_date=date.fromisoformat(case["date"]))
    assert len(store) == before
