"""The OpenStack importer: the committed data/openstack/*.ttl against data/raw/openstack/."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from kg.importers import openstack
from kg.importers._openstack_contributions import slugify
from kg.namespaces import KG, KGD, PREFIXES
from kg.resolution import load_aliases

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "openstack"
RAW = ROOT / "data" / "raw" / "openstack"
TTL_FILES = sorted(OUT.glob("*.ttl"))
BUCKETS = {"*independent": "bucket-independent", "*robots": "bucket-robots",
           "*unmapped-single-author": "bucket-unmapped-single-author",
           "*unknown": "bucket-unknown"}

CONTRIBUTIONS = """
SELECT ?repo ?who ?year ?n WHERE {
  ?c a kg:Contribution ; kg:viaRepository/kg:repositoryName ?repo ;
     kg:year ?year ; kg:commitCount ?n .
  { ?c kg:contributor ?who } UNION { ?c kg:contributorBucket ?who }
}"""
COMPONENT_SUM = """
SELECT (SUM(?n) AS ?total) WHERE {
  ?c kg:contributor ?org ; kg:year ?year ; kg:commitCount ?n ; kg:viaRepository ?repo .
  ?repo kg:repositoryOf ?component .
}"""


@pytest.fixture(scope="module")
def graph() -> Graph:
    union = Graph()
    for path in TTL_FILES:
        union.parse(path, format="turtle")
    return union


@pytest.fixture(scope="module")
def csv_rows() -> list[dict[str, str]]:
    with (RAW / "commits-by-company-year.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _expected_node(company: str, table) -> URIRef:
    if company in BUCKETS:
        return KGD[BUCKETS[company]]
    return table.resolve(company) or KGD[slugify(company)]


def test_outputs_exist():
    assert [p.name for p in TTL_FILES] == ["components.ttl", "contributions.ttl",
                                           "governance-history.ttl",
                                           "organizations-stackalytics.ttl"]


def test_generated_files_are_up_to_date(capsys):
    assert openstack.main(["--root", str(ROOT), "--check"]) == 0, capsys.readouterr()


def test_generation_is_deterministic():
    assert openstack.generate(ROOT) == openstack.generate(ROOT)


@pytest.mark.parametrize("path", TTL_FILES, ids=lambda p: p.name)
def test_each_file_parses_alone_with_header_and_no_blank_nodes(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# {openstack.HEADER}\n")
    alone = Graph().parse(data=text, format="turtle")
    assert len(alone) > 0
    assert not any(isinstance(term, BNode) for triple in alone for term in triple)
    for prefix, namespace in alone.namespaces():
        if prefix in PREFIXES:
            assert str(namespace) == PREFIXES[prefix]


def test_every_csv_row_is_one_contribution_with_its_count(graph, csv_rows):
    table = load_aliases(ROOT / "data" / "aliases.csv")
    expected = Counter(
        (r["repo"], _expected_node(r["company"], table), int(r["year"]), int(r["commits"]))
        for r in csv_rows
    )
    found = Counter(
        (str(row.repo), row.who, row.year.toPython(), row.n.toPython())
        for row in graph.query(CONTRIBUTIONS, initNs={"kg": KG})
    )
    assert found == expected
    assert len(set(graph.subjects(RDF.type, KG.Contribution))) == len(csv_rows)


def test_commit_sums_per_repository_equal_the_csv(graph, csv_rows):
    expected = Counter()
    for r in csv_rows:
        expected[r["repo"]] += int(r["commits"])
    found = Counter()
    for row in graph.query(CONTRIBUTIONS, initNs={"kg": KG}):
        found[str(row.repo)] += row.n.toPython()
    assert found == expected
    assert sum(found.values()) == 96242


@pytest.mark.parametrize(("org", "component", "year", "total"), [
    ("redhat", "nova", 2014, 910),      # 863 nova + 47 python-novaclient
    ("ibm", "nova", 2014, 645),         # 631 + 14
    ("symantec", "keystone", 2014, 4),
    ("symantec", "glance", 2014, 1),
    ("symantec", "magnetodb", 2014, 130),  # 97 magnetodb + 33 python-magnetodbclient
])
def test_component_sums_over_its_repositories(graph, org, component, year, total):
    bindings = {"org": KGD[org], "component": KGD[component],
                "year": Literal(year, datatype=XSD.integer)}
    result = list(graph.query(COMPONENT_SUM, initNs={"kg": KG}, initBindings=bindings))
    assert result[0].total.toPython() == total


def test_buckets_are_never_organizations(graph):
    buckets = set(graph.subjects(RDF.type, KG.ContributorBucket))
    assert buckets == {KGD[b] for b in BUCKETS.values()}
    for bucket in buckets:
        assert (bucket, RDF.type, KG.Company) not in graph
        assert not list(graph.subjects(KG.contributor, bucket))


def test_merged_names_point_to_curated_entities_and_stay_as_alt_labels(graph):
    assert (KGD.redhat, SKOS.altLabel, Literal("Red Hat")) in graph
    assert (KGD.citrix, SKOS.altLabel, Literal("Citrix Systems")) in graph
    assert (KGD["red-hat"], None, None) not in graph
    assert (KGD.redhat, RDF.type, KG.Company) not in graph  # curated data defines it
    assert (KGD.hpe, RDF.type, KG.Company) in graph
    assert (KGD["dell-emc"], RDF.type, KG.Company) in graph
    assert (KGD["ubuntu-com"], KG.confidence, KG.Uncertain) in graph


def test_contributions_carry_method_source_and_confidence(graph):
    method = KGD["method-stackalytics-domain-attribution"]
    assert (method, RDF.type, KG.DerivationMethod) in graph
    assert len(list(graph.objects(method, KG.caveat))) >= 4
    for contribution in graph.subjects(RDF.type, KG.Contribution):
        assert graph.value(contribution, KG.method) == method
        assert graph.value(contribution, KG.confidence) == KG.Confirmed
        assert len(list(graph.objects(contribution, KG.source))) == 2


def test_components_and_repositories(graph):
    components = set(graph.subjects(RDF.type, KG.Component))
    assert len(components) == 17
    assert all(graph.value(c, KG.componentOf) == KGD.openstack for c in components)
    assert (KGD.openstack, RDF.type, None) not in graph  # defined in curated data
    nova = KGD["repo-openstack-nova"]
    assert graph.value(nova, KG.repositoryOf) == KGD.nova
    assert str(graph.value(nova, KG.url)) == "https://github.com/openstack/nova"
    assert (KGD["repo-openstack-nova-specs"], KG.repositoryOf, KGD.nova) in graph
    for source in graph.subjects(RDF.type, KG.Source):
        assert graph.value(source, KG.url) is not None


def test_magnetodb_official_period_and_not_integrated(graph):
    status = KGD["status-magnetodb-official"]
    assert graph.value(status, KG.statusOf) == KGD.magnetodb
    assert graph.value(status, KG.status) == KG.Official
    assert graph.value(status, KG.startDate) == Literal("2015-04-21", datatype=XSD.date)
    assert graph.value(status, KG.endDate) == Literal("2015-09-29", datatype=XSD.date)
    retired = KGD["status-magnetodb-retired"]
    assert graph.value(retired, KG.startDate) == Literal("2015-09-29", datatype=XSD.date)
    kinds = {graph.value(s, KG.status) for s in graph.subjects(KG.statusOf, KGD.magnetodb)}
    assert kinds == {KG.Official, KG.Retired}


def test_release_dates_and_big_tent(graph):
    nova = KGD["status-nova-integrated"]
    assert graph.value(nova, KG.startDate) == Literal("2010-01-01", datatype=XSD.date)
    assert graph.value(nova, KG.startPrecision) == KG.YearPrecision
    assert str(graph.value(nova, KG.release)) == "Austin"
    heat = KGD["status-heat-incubated"]
    assert graph.value(heat, KG.endDate) == Literal("2013-10-31", datatype=XSD.date)
    assert graph.value(heat, KG.endPrecision) == KG.MonthPrecision
    official = KGD["status-nova-official"]
    assert graph.value(official, KG.startDate) == Literal("2015-01-08", datatype=XSD.date)
    assert graph.value(official, KG.endStatus) == KG.Ongoing
    assert graph.value(official, KG.lastConfirmed) == Literal("2026-08-08", datatype=XSD.date)
    assert graph.value(KGD["status-sahara-official"], KG.endStatus) == KG.EndUnknown


def test_incubation_starts_with_its_release_cycle(graph):
    """incubated-since names the first full cycle in incubation (governance c5c4fa0a30af): the
    start is the previous release, so Sahara and Zaqar (Icehouse) start 2013-10, before the
    2014-01-06 governance commit that already lists them as incubated."""
    for codename in ("sahara", "zaqar"):
        status = KGD[f"status-{codename}-incubated"]
        assert graph.value(status, KG.startDate) == Literal("2013-10-01", datatype=XSD.date)
        assert graph.value(status, KG.startPrecision) == KG.MonthPrecision
        assert KGD["src-openstack-governance-7044c177dcc0"] in set(
            graph.objects(status, KG.source))
    heat = KGD["status-heat-incubated"]
    assert graph.value(heat, KG.startDate) == Literal("2012-09-01", datatype=XSD.date)  # Grizzly


def test_every_interval_has_an_end_or_an_end_status(graph):
    for status in graph.subjects(RDF.type, KG.ComponentStatus):
        has_end = graph.value(status, KG.endDate) is not None
        has_status = graph.value(status, KG.endStatus) is not None
        assert has_end != has_status, status
        assert graph.value(status, KG.startDate) is not None, status
