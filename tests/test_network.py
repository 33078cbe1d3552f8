"""kg.network: fact nodes collapse into labelled edges; neighbourhoods; findings; GraphML."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph

from kg.errors import KGError
from kg.findings import Evidence, Finding, Reason
from kg.network import (
    EDGE_KINDS,
    finding_to_networkx,
    format_date,
    format_interval,
    layered_order,
    neighbourhood,
    to_networkx,
    write_graphml,
)
from kg.vocabulary import Vocabulary

HERE = Path(__file__).resolve().parent / "fixtures" / "network"
ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "kg.ttl"
K = "https://w3id.org/kg/id/"


def load_finding(path: Path) -> Finding:
    """A Finding from the JSON form of Finding.to_dict()."""
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))

    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    evidence = tuple(
        Evidence(**{**ev, "start": day(ev.get("start")), "end": day(ev.get("end")),
                    "sources": tuple(ev.get("sources", ()))})
        for ev in raw.pop("evidence")
    )
    raw.pop("parties", None)
    raw.pop("party_labels", None)
    tuples = {k: tuple(v) for k, v in raw.items() if isinstance(v, list)}
    return Finding(**{**raw, **tuples, "reasons": tuple(Reason(**r) for r in raw["reasons"]),
                      "period_start": day(raw["period_start"]),
                      "period_end": day(raw["period_end"]), "as_of": day(raw.get("as_of")),
                      "evidence": evidence})


def with_ontology(path: Path, ontology: Path = ONTOLOGY) -> Graph:
    """The fixture's facts and the ontology, as a store's graph holds them."""
    return Graph().parse(path).parse(ontology)


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary.from_graph(Graph().parse(ONTOLOGY))


@pytest.fixture(scope="module")
def founding() -> Graph:
    return with_ontology(HERE / "founding.ttl")


@pytest.fixture(scope="module")
def many() -> Graph:
    return with_ontology(HERE / "many_defendants.ttl")


@pytest.fixture(scope="module")
def finding() -> Finding:
    return load_finding(HERE / "finding-proxy.json")


def labels(g: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    return {(g.nodes[u]["label"], g.nodes[v]["label"], d["label"])
            for u, v, d in g.edges(data=True)}


@pytest.mark.parametrize(("value", "precision", "text"), [
    (date(2012, 1, 1), "year", "2012"),
    (date(2014, 12, 1), "month", "Dec 2014"),
    (date(2014, 7, 28), "day", "2014-07-28"),
    (None, "day", "?"),
])
def test_format_date_follows_precision(value: date | None, precision: str, text: str) -> None:
    assert format_date(value, precision) == text


def test_format_interval_never_hides_an_unknown_end() -> None:
    start = date(2014, 12, 1)
    month = "month"
    assert format_interval(start, None, start_precision=month, end_status="ongoing") == (
        "since Dec 2014")
    assert format_interval(start, None, start_precision=month, end_status="unknown") == (
        "Dec 2014 – ?")
    assert format_interval(start, None, start_precision="month") == "Dec 2014 – ?"
    assert format_interval(date(2012, 1, 1), date(2015, 12, 31), start_precision="year",
                           end_precision="year") == "2012 – 2015"
    assert format_interval(None, None) == ""


def test_founding_case_nodes_and_kinds(founding: Graph) -> None:
    g = to_networkx(founding)
    kinds = {g.nodes[n]["label"]: g.nodes[n]["kind"] for n in g}
    assert kinds == {
        "Symantec": "Company", "Clouding IP": "PatentAssertionEntity", "Rackspace": "Company",
        "HP": "Company", "OpenStack Foundation": "Foundation", "Swift": "Component",
        "OpenStack": "Project",
    }
    assert all(g.nodes[n]["iri"] == n for n in g)
    assert "https://w3id.org/kg/id/clouding-v-rackspace" not in g  # one defendant: an edge


def test_founding_case_edge_labels(founding: Graph) -> None:
    assert labels(to_networkx(founding)) == {
        ("Symantec", "OpenStack Foundation", "Gold member · Dec 2014 – ?"),
        ("Rackspace", "OpenStack Foundation", "Platinum member · since 2012-09-19"),
        ("HP", "OpenStack Foundation", "Platinum member · 2012 – 2015"),
        ("Symantec", "Clouding IP", "patents (retained rights) · 2012"),
        ("Clouding IP", "Rackspace", "sued · 2012-05-29 → dismissed, no standing 2014-07-28"),
        ("Clouding IP", "HP", "sued · May 2012 → dismissed, no standing 2014-07-28"),
        ("Clouding IP", "Swift", "accused in suit v. Rackspace · 2012-05-29"),
        ("Rackspace", "Swift", "2,221 commits (2012–2013)"),
        ("Swift", "OpenStack", "part of"),
        ("OpenStack", "OpenStack Foundation", "stewarded by"),
    }


def test_edges_carry_fact_dates_confidence_and_sources(founding: Graph) -> None:
    g = to_networkx(founding)
    (suit,) = [d for _, v, d in g.edges(data=True)
               if d["kind"] == "lawsuit" and v == K + "rackspace"]
    assert suit["fact"] == suit["suit"] == K + "clouding-v-rackspace"
    assert suit["start"] == date(2012, 5, 29) and suit["end"] == date(2014, 7, 28)
    assert suit["confidence"] == "confirmed"
    assert suit["docket"] == "1:12-cv-00675"
    assert suit["court"] == "U.S. District Court for the District of Delaware"
    assert suit["sources"] == (
        "https://www.courtlistener.com/docket/clouding-ip-llc-v-rackspace-hosting-inc/",)
    (membership,) = [d for u, _, d in g.edges(data=True)
                     if d["kind"] == "membership" and u == K + "symantec"]
    assert membership["start_precision"] == "month" and membership["end_status"] == "unknown"
    assert len(membership["sources"]) == 2
    (accusation,) = [d for _, _, d in g.edges(data=True) if d["kind"] == "accusation"]
    assert accusation["confidence"] == "uncertain"
    (code,) = [d for _, _, d in g.edges(data=True) if d["kind"] == "contribution"]
    assert code["commits"] == 2221 and len(code["facts"]) == 2
    assert code["confidence"] == "single-source"  # the weakest of the merged facts
    assert {d["kind"] for _, _, d in g.edges(data=True)} <= set(EDGE_KINDS)


def test_include_kinds_filters_and_rejects_unknown_kinds(founding: Graph) -> None:
    g = to_networkx(founding, include_kinds=["membership"])
    assert {d["kind"] for _, _, d in g.edges(data=True)} == {"membership"}
    assert g.number_of_edges() == 3
    with pytest.raises(KGError, match="unknown edge kind"):
        to_networkx(founding, include_kinds=["friendship"])


def test_neighbourhood_of_symantec(founding: Graph) -> None:
    one = neighbourhood(founding, K + "symantec", 1)
    assert {one.nodes[n]["label"] for n in one} == {
        "Symantec", "Clouding IP", "OpenStack Foundation"}
    assert one.nodes[K + "symantec"]["focus"] is True
    assert one.graph["title"] == "Symantec: neighbourhood (depth 1)"
    two = neighbourhood(founding, K + "symantec", 2)
    assert {"Rackspace", "HP", "Swift"} <= {two.nodes[n]["label"] for n in two}
    assert "OpenStack" not in {two.nodes[n]["label"] for n in two}  # no structure edges
    assert neighbourhood(founding, K + "symantec", 0).number_of_nodes() == 1
    with pytest.raises(KGError, match="not in the graph"):
        neighbourhood(founding, K + "nobody", 1)


def test_hubs_are_shown_but_not_walked_through(founding: Graph) -> None:
    g = to_networkx(founding, focus=K + "symantec", depth=2, hub_limit=3)
    assert g.nodes[K + "openstack-foundation"]["hub"] == 4  # three memberships + stewardship
    assert g.nodes[K + "clouding-ip"]["hub"] == 4  # a transfer, two suits, an accusation
    assert K + "hp" not in g
    assert K + "hp" in to_networkx(founding, focus=K + "symantec", depth=2, hub_limit=None)
    centre = to_networkx(founding, focus=K + "clouding-ip", depth=1, hub_limit=1)
    assert "hub" not in centre.nodes[K + "clouding-ip"]  # the focus is always walked
    assert K + "hp" in centre


def test_a_bounded_neighbourhood_keeps_the_most_relevant_connected_edges(
        founding: Graph) -> None:
    g = neighbourhood(founding, K + "symantec", 2, limit=3)
    # membership and the transfer of the focus first, then litigation it reaches
    assert labels(g) == {
        ("Symantec", "OpenStack Foundation", "Gold member · Dec 2014 – ?"),
        ("Symantec", "Clouding IP", "patents (retained rights) · 2012"),
        ("Clouding IP", "HP", "sued · May 2012 → dismissed, no standing 2014-07-28"),
    }
    assert g.graph["omitted_edges"] == 5
    assert g.graph["omitted"] == ("2 membership edges, 1 accusation edge, "
                                  "1 contribution edge (2,221 commits), 1 legal proceeding edge")
    # memberships by tier (kg:tierRank): the Platinum members before the Gold one
    top = neighbourhood(founding, K + "openstack-foundation", 1, limit=2)
    assert {u for u, _ in top.edges()} == {K + "hp", K + "rackspace"}
    assert top.graph["omitted"] == "1 membership edge"
    whole = neighbourhood(founding, K + "symantec", 2, limit=8)
    assert whole.number_of_edges() == 8 and "omitted" not in whole.graph


def test_suit_with_many_defendants_is_a_node(many: Graph) -> None:
    g = to_networkx(many)
    suit = K + "acme-ip-v-alpha"
    assert g.nodes[suit]["kind"] == "Lawsuit"
    assert g.nodes[suit]["subtitle"] == "filed 2019-03-04 → pending"
    assert sorted(g.nodes[v]["label"] for v in g.successors(suit)) == ["Alpha", "Beta", "Gamma"]
    assert labels(g) >= {
        ("Acme IP", "Acme IP LLC v. Alpha Inc. et al.", "plaintiff"),
        ("BigCo", "Acme IP", "funds · 2018 – ?"),
        ("BigCo", "SmallCo", "acquired · Jun 2017"),
        ("BigCo", "Example Foundation", "board seat · 2016 – 2018"),
    }
    flat = to_networkx(many, suits="edges")
    assert suit not in flat
    assert sum(d["kind"] == "lawsuit" for _, _, d in flat.edges(data=True)) == 3


def test_finding_to_networkx(finding: Finding, founding: Graph, vocabulary: Vocabulary) -> None:
    g = finding_to_networkx(finding, vocabulary=vocabulary)
    assert labels(g) == {
        ("Symantec", "OpenStack Foundation", "Gold member · Dec 2014 – ?"),
        ("Symantec", "Clouding IP", "transferred patents (retained rights) · 2012"),
        ("Clouding IP", "Rackspace", "sued · 2012-05-29 → 2014-07-28"),
        ("Rackspace", "OpenStack Foundation", "Platinum member · since 2012-09-19"),
    }
    assert g.nodes[finding.foundation]["kind"] == "Foundation"
    assert g.nodes[K + "clouding-ip"]["kind"] == "Organization"  # no graph: a guess
    assert g.graph["title"] == "Symantec → Clouding IP → Rackspace at OpenStack Foundation"
    assert g.graph["finding_id"] == "litigation:symantec@openstack-foundation"
    assert g.graph["summary"] == finding.summary
    assert g.graph["reasons"][0] == "recent (126 days)"
    assert {g.nodes[n].get("party") for n in g} == {True, None}
    (transfer,) = [d for _, _, d in g.edges(data=True) if d["kind"] == "transfer"]
    assert (transfer["confidence"], transfer["confidence_label"]) == ("single-source",
                                                                      "single source")
    with_graph = finding_to_networkx(finding, graph=founding)
    assert with_graph.nodes[K + "clouding-ip"]["kind"] == "PatentAssertionEntity"


def test_a_graph_without_its_ontology_cannot_be_named() -> None:
    with pytest.raises(KGError, match="holds no ontology"):
        to_networkx(Graph().parse(HERE / "founding.ttl"))


def test_words_come_from_the_ontology(tmp_path: Path) -> None:
    text = ONTOLOGY.read_text(encoding="utf-8")
    for old, new in (('kg:shortPhrase "retained rights"@en', 'kg:shortPhrase "rights kept"@en'),
                     ('kg:shortPhrase "dismissed, no standing"@en',
                      'kg:shortPhrase "thrown out"@en'),
                     ('kg:shortPhrase "member"@en', 'kg:shortPhrase "sponsor"@en')):
        assert old in text
        text = text.replace(old, new)
    copy = tmp_path / "kg.ttl"
    copy.write_text(text, encoding="utf-8")
    shown = labels(to_networkx(with_ontology(HERE / "founding.ttl", copy)))
    assert ("Symantec", "Clouding IP", "patents (rights kept) · 2012") in shown
    assert ("Clouding IP", "Rackspace", "sued · 2012-05-29 → thrown out 2014-07-28") in shown
    assert ("Symantec", "OpenStack Foundation", "Gold sponsor · Dec 2014 – ?") in shown


def test_node_and_edge_kinds_follow_the_class_hierarchy(founding: Graph) -> None:
    g = to_networkx(founding)
    clouding = g.nodes[K + "clouding-ip"]
    assert clouding["kind_label"] == "patent-assertion entity"
    assert clouding["lineage"][:2] == ("PatentAssertionEntity", "Organization")
    kinds = {d["kind"]: d["kind_label"] for _, _, d in g.edges(data=True)}
    assert kinds["lawsuit"] == "legal proceeding"  # a kg:Lawsuit is a kg:LegalProceeding
    assert kinds["structure"] == "part of / stewarded by"


def test_layered_order_puts_the_foundation_on_top(founding: Graph) -> None:
    top, layers = layered_order(to_networkx(founding))
    assert top == [K + "openstack-foundation"]
    assert layers[0] == [K + "symantec"]
    assert layers[1] == [K + "clouding-ip"]
    assert set(layers[2]) == {K + "hp", K + "rackspace"}


def test_graphml_round_trips(founding: Graph, tmp_path: Path) -> None:
    g = to_networkx(founding)
    path = write_graphml(g, tmp_path / "founding.graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    assert set(back.nodes) == set(g.nodes)
    assert back.number_of_edges() == g.number_of_edges()
    assert {(u, v, d["label"]) for u, v, d in back.edges(data=True)} == {
        (u, v, d["label"]) for u, v, d in g.edges(data=True)}
    assert back.nodes[K + "clouding-ip"]["kind"] == "PatentAssertionEntity"
    (suit,) = [d for _, v, d in back.edges(data=True) if d["fact"] == K + "clouding-v-rackspace"]
    assert suit["start"] == "2012-05-29"
    assert isinstance(suit["sources"], str)
