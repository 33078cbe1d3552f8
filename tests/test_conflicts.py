"""The conflict finder on small fixture graphs (one per pattern, plus near misses), on both
embedded backends, and the founding chain on the real data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.config import Settings
from kg.conflicts import PATTERNS, find_conflicts, severity_of
from kg.errors import KGError
from kg.findings import Finding
from kg.loading import load_graph
from kg.stores import Store, build_store
from kg.whatif import what_if

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "conflicts"
BACKENDS = ("oxigraph", "rdflib")
FOUNDATION = "kgd:test-foundation"

# (pattern, party labels, temporal status, gap days, severity, confidence), in finder order
EXPECTED: dict[str, list[tuple[object, ...]]] = {
    "direct": [("direct", ("Acme", "BigCloud"), "active", 0, "high", "confirmed")],
    "proxy": [("proxy", ("Acme", "HoldCo IP", "BigCloud"), "recent", 126, "medium", "confirmed")],
    "commons": [("commons", ("Acme", "HoldCo IP"), "active", 0, "medium", "single-source")],
    "contributor": [
        ("commons", ("Acme", "HoldCo IP"), "active", 0, "high", "confirmed"),
        ("contributor", ("Acme", "HoldCo IP"), "active", 0, "high", "confirmed"),
        ("contributor", ("BigCloud", "HoldCo IP"), "active", 0, "high", "confirmed"),
    ],
    "former": [
        ("direct", ("Acme", "BigCloud"), "recent", 1, "medium", "confirmed"),
        ("former", ("Acme", "BigCloud"), "recent", 1, "medium", "confirmed"),
    ],
    "governance": [
        ("governance", ("Acme", "HoldCo IP", "BigCloud"), "active", 0, "low", "uncertain"),
    ],
    "licence": [
        ("commons", ("BigCloud",), "historical", 456, "low", "confirmed"),
        ("contributor", ("BigCloud",), "historical", 456, "low", "confirmed"),
        ("licence", ("BigCloud",), "historical", 456, "low", "confirmed"),
    ],
    "year-only": [("direct", ("Acme", "BigCloud"), "unknown", None, "low", "confirmed")],
    "uncertain-link": [
        ("proxy", ("Acme", "HoldCo IP", "BigCloud"), "active", 0, "low", "uncertain"),
    ],
}


def fixture_store(name: str, backend: str) -> tuple[Store, Settings]:
    settings = Settings(root=ROOT, store=backend)
    dataset = load_graph(settings, [FIXTURES / f"{name}.ttl"])
    return build_store(settings, dataset), settings


def summary_of(finding: Finding) -> tuple[object, ...]:
    return (finding.pattern, finding.party_labels, finding.temporal_status, finding.gap_days,
            finding.severity, finding.confidence)


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_every_fixture_has_expectations() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.ttl")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_findings(name: str, backend: str) -> None:
    store, settings = fixture_store(name, backend)
    findings = find_conflicts(store, settings, foundation=FOUNDATION)
    assert [summary_of(f) for f in findings] == EXPECTED[name]
    for finding in findings:
        assert finding.foundation_label == "Test Foundation"
        assert finding.evidence, finding
        for edge in finding.evidence:
            assert edge.sources, f"{edge.fact} has no source"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_backends_agree(name: str) -> None:
    results = []
    for backend in BACKENDS:
        store, settings = fixture_store(name, backend)
        results.append([f.to_dict() for f in find_conflicts(store, settings,
                                                             foundation=FOUNDATION)])
    assert results[0] == results[1]


def test_proxy_evidence_chain() -> None:
    store, settings = fixture_store("proxy", "oxigraph")
    (finding,) = find_conflicts(store, settings, foundation=FOUNDATION)
    assert finding.parties == tuple(f"https://w3id.org/kg/id/{s}"
                                    for s in ("acme", "holdco", "bigcloud"))
    kinds = [(e.kind, e.subject_label, e.relation, e.object_label) for e in finding.evidence]
    assert kinds == [
        ("Membership", "Acme", "member of (Gold)", "Test Foundation"),
        ("Backing", "Acme", "backs", "HoldCo IP"),
        ("PatentTransfer", "Acme", "transferred patents with retained rights to", "HoldCo IP"),
        ("Lawsuit", "HoldCo IP", "sued (plaintiff in)", "HoldCo IP v. BigCloud"),
        ("Lawsuit", "HoldCo IP v. BigCloud", "was brought against (defendant)", "BigCloud"),
        ("Membership", "BigCloud", "member of (Platinum)", "Test Foundation"),
    ]
    membership = finding.evidence[0]
    assert (membership.start, membership.start_precision, membership.end_status) == (
        date(2014, 12, 1), "month", "ongoing")
    assert membership.sources == ("https://example.org/a", "https://example.org/b")
    transfer = finding.evidence[2]
    assert (transfer.start_precision, transfer.confidence) == ("year", "confirmed")
    assert finding.evidence[5].end_status == "unknown"
    assert (finding.period_start, finding.period_end) == (date(2014, 7, 28), date(2014, 12, 1))
    assert finding.summary == (
        "Acme (Gold member from Dec 2014) transferred patents with retained rights to HoldCo IP, "
        "which sued BigCloud (Platinum member) in 2012; the suit was dismissed 2014-07-28, "
        "126–156 days before Acme joined.")


def test_uncertain_link_carries_its_note() -> None:
    store, settings = fixture_store("uncertain-link", "rdflib")
    (finding,) = find_conflicts(store, settings, foundation=FOUNDATION)
    backing = next(e for e in finding.evidence if e.kind == "Backing")
    assert (backing.confidence, backing.note) == ("uncertain", "one blog post, unclear wording")


def test_as_of_only_counts_what_was_known(backend: str) -> None:
    store, settings = fixture_store("proxy", backend)
    assert find_conflicts(store, settings, foundation=FOUNDATION, as_of=date(2014, 6, 1)) == []
    (finding,) = find_conflicts(store, settings, foundation=FOUNDATION, as_of=date(2015, 1, 1))
    assert (finding.pattern, finding.temporal_status, finding.gap_days) == ("proxy", "recent", 126)


def test_as_of_turns_later_ends_into_ongoing(backend: str) -> None:
    store, settings = fixture_store("former", backend)
    # on 2013-05-01 Acme was still a member and had not sued: nothing yet
    assert find_conflicts(store, settings, foundation=FOUNDATION, as_of=date(2013, 5, 1)) == []


def test_patterns_filter_and_unknown_pattern() -> None:
    store, settings = fixture_store("former", "oxigraph")
    found = find_conflicts(store, settings, foundation=FOUNDATION, patterns=["former"])
    assert [f.pattern for f in found] == ["former"]
    with pytest.raises(KGError, match="unknown conflict pattern"):
        find_conflicts(store, settings, foundation=FOUNDATION, patterns=["nope"])


def test_what_if_does_not_touch_the_store(backend: str) -> None:
    store, settings = fixture_store("governance", backend)
    before = len(store)
    found = what_if(store, settings, organization="acme", foundation=FOUNDATION,
                    tier="kgd:test-foundation-gold", join_date=date(2015, 3, 1))
    assert [summary_of(f) for f in found] == [
        ("proxy", ("Acme", "HoldCo IP", "BigCloud"), "active", 0, "low", "uncertain")]
    assert found[0].evidence[0].note == "hypothetical membership (what-if)"
    assert len(store) == before
    assert [f.pattern for f in find_conflicts(store, settings, foundation=FOUNDATION)] == [
        "governance"]


def test_severity_rule() -> None:
    assert severity_of("active", "confirmed") == "high"
    assert severity_of("active", "confirmed", defendant_ok=False) == "medium"
    assert severity_of("active", "single-source") == "medium"
    assert severity_of("recent", "confirmed") == "medium"
    assert severity_of("active", "uncertain") == "low"
    assert severity_of("historical", "confirmed") == "low"
    assert severity_of("unknown", "confirmed") == "low"
    assert PATTERNS == ("direct", "proxy", "commons", "contributor", "former", "governance",
                        "licence")


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def real_findings() -> list[Finding]:
    settings = Settings(root=ROOT)
    store = build_store(settings)
    if not store.ask("PREFIX kg: <https://w3id.org/kg/ontology#> "
                     "ASK { ?s a kg:Lawsuit ; kg:plaintiff ?p }"):
        pytest.skip("the curated lawsuits (data/curated) have not landed yet")
    return find_conflicts(store, settings)


def test_real_data_reports_the_founding_chain(real_findings: list[Finding]) -> None:
    kgd = "https://w3id.org/kg/id/"
    chain = [f for f in real_findings if f.pattern == "proxy"
             and f.parties == (kgd + "symantec", kgd + "clouding-ip", kgd + "rackspace")]
    assert len(chain) == 1, [f.summary for f in real_findings]
    finding = chain[0]
    assert finding.foundation == kgd + "openstack-foundation"
    assert finding.foundation_label == "OpenStack Foundation"
    assert finding.temporal_status == "recent"
    membership = finding.evidence[0]
    suit = next(e for e in finding.evidence if e.fact == kgd + "clouding-v-rackspace")
    assert membership.start is not None and suit.end is not None
    assert finding.gap_days == (membership.start - suit.end).days
    for edge in finding.evidence:
        assert edge.sources, f"{edge.fact} has no source URL"
        assert all(url.startswith("http") for url in edge.sources)
    kinds = {e.kind for e in finding.evidence}
    assert {"Membership", "PatentTransfer", "Lawsuit"} <= kinds


def test_former_is_not_reported_when_the_plaintiff_had_rejoined(tmp_path: Path,
                                                                 backend: str) -> None:
    """former needs no membership of the plaintiff's holding on the filing date."""
    settings = Settings(root=ROOT, store=backend)
    again = tmp_path / "rejoined.ttl"
    again.write_text(
        "@prefix kg: <https://w3id.org/kg/ontology#> .\n"
        "@prefix kgd: <https://w3id.org/kg/id/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "kgd:m-acme-again a kg:Membership ; kg:member kgd:acme ;\n"
        "  kg:foundation kgd:test-foundation ; kg:tier kgd:test-foundation-gold ;\n"
        '  kg:startDate "2013-06-01"^^xsd:date ; kg:endStatus kg:Ongoing ;\n'
        "  kg:confidence kg:Confirmed .\n", encoding="utf-8")
    base = load_graph(settings, [FIXTURES / "former.ttl"])
    both = load_graph(settings, [FIXTURES / "former.ttl", again])
    before = find_conflicts(build_store(settings, base), settings, foundation=FOUNDATION,
                            patterns=["former"])
    after = find_conflicts(build_store(settings, both), settings, foundation=FOUNDATION,
                           patterns=["former"])
    assert [f.pattern for f in before] == ["former"]
    assert after == []
