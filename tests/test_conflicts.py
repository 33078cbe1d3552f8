"""The conflict finder on small fixture graphs (one per pattern, plus near misses), on both
embedded backends, and the founding case on the real data."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from kg.config import Settings
from kg.conflicts import find_conflicts, find_finding, patterns
from kg.errors import KGError
from kg.findings import Finding
from kg.loading import load_graph
from kg.stores import Store, build_store
from kg.whatif import what_if

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "conflicts"
BACKENDS = ("oxigraph", "rdflib")
FOUNDATION = "kgd:test-foundation"

# (id, patterns, party labels, temporal status, gap days, severity, score, confidence)
EXPECTED: dict[str, list[tuple[object, ...]]] = {
    "direct": [("litigation:acme@test-foundation", ("direct",), ("Acme", "BigCloud"),
                "active", 0, "high", 71, "confirmed")],
    "proxy": [("litigation:acme@test-foundation", ("proxy",), ("Acme", "HoldCo IP", "BigCloud"),
               "recent", 126, "high", 61, "confirmed")],
    "commons": [("litigation:acme@test-foundation", ("commons",), ("Acme", "HoldCo IP", "Widget"),
                 "active", 0, "medium", 68, "single-source")],
    # the defendant BigCloud, a top contributor sued over its code, is context, not a finding
    "contributor": [("litigation:acme@test-foundation", ("commons", "contributor"),
                     ("Acme", "HoldCo IP", "Widget"), "active", 0, "high", 80, "confirmed")],
    # former only: direct needs the plaintiff's membership to overlap the suit
    "former": [("former:acme@test-foundation", ("former",), ("Acme", "BigCloud"), "recent", 1,
                "medium", 51, "confirmed")],
    "governance": [("litigation:acme@test-foundation", ("governance",),
                    ("Acme", "HoldCo IP", "BigCloud"), "active", 0, "low", 63, "uncertain")],
    "licence": [("litigation:bigcloud@test-foundation", ("licence",), ("BigCloud", "Widget"),
                 "historical", 456, "low", 35, "confirmed")],
    "year-only": [("litigation:acme@test-foundation", ("direct",), ("Acme", "BigCloud"),
                   "unknown", None, "low", 36, "single-source")],
    "uncertain-link": [("litigation:acme@test-foundation", ("proxy",),
                        ("Acme", "HoldCo IP", "BigCloud"), "active", 0, "low", 51, "uncertain")],
}


def fixture_store(name: str, backend: str) -> tuple[Store, Settings]:
    settings = Settings(root=ROOT, store=backend)
    dataset = load_graph(settings, [FIXTURES / f"{name}.ttl"])
    return build_store(settings, dataset), settings


def summary_of(finding: Finding) -> tuple[object, ...]:
    return (finding.id, finding.patterns, finding.party_labels, finding.temporal_status,
            finding.gap_days, finding.severity, finding.score, finding.confidence)


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
    # the sentence names the best-sourced link and the outcome in the ontology's words
    assert finding.summary == (
        "Acme (Gold member from Dec 2014) transferred patents with retained rights to HoldCo IP, "
        "which sued fellow member BigCloud in 2012; the suit was dismissed for lack of standing "
        "2014-07-28, 126–156 days before Acme joined.")
    assert [r.text for r in finding.reasons] == [
        "recent (126–156 days)", "confirmed chain", "Gold member", "one co-member sued"]
    assert finding.score == sum(r.points for r in finding.reasons)


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
    assert finding.as_of == date(2015, 1, 1)


def test_as_of_turns_later_ends_into_ongoing(backend: str) -> None:
    store, settings = fixture_store("former", backend)
    # on 2013-05-01 Acme was still a member and had not sued: nothing yet
    assert find_conflicts(store, settings, foundation=FOUNDATION, as_of=date(2013, 5, 1)) == []


def test_patterns_filter_and_unknown_pattern() -> None:
    store, settings = fixture_store("former", "oxigraph")
    found = find_conflicts(store, settings, foundation=FOUNDATION, patterns=["former"])
    assert [f.pattern for f in found] == ["former"]
    assert find_conflicts(store, settings, foundation=FOUNDATION, patterns=["direct"]) == []
    with pytest.raises(KGError, match="unknown conflict pattern"):
        find_conflicts(store, settings, foundation=FOUNDATION, patterns=["nope"])


def test_unknown_foundation_and_finding_name_the_nearest() -> None:
    store, settings = fixture_store("direct", "oxigraph")
    with pytest.raises(KGError, match=r"unknown foundation 'test-foundaton' "
                                      r"\(nearest: test-foundation\)"):
        find_conflicts(store, settings, foundation="test-foundaton")
    found = find_conflicts(store, settings)
    assert find_finding(found, "litigation:acme@test-foundation") is found[0]
    with pytest.raises(KGError, match="nearest: litigation:acme@test-foundation"):
        find_finding(found, "litigation:acmee@test-foundation")


def test_window_decides_recent_or_historical() -> None:
    store, settings = fixture_store("proxy", "oxigraph")
    (finding,) = find_conflicts(store, settings, foundation=FOUNDATION, window=100)
    assert (finding.temporal_status, finding.gap_days) == ("historical", 126)
    assert finding.reasons[0].text == "historical (126–156 days)"
    with pytest.raises(KGError, match="0 days or more"):
        find_conflicts(store, settings, window=-1)


def test_what_if_does_not_touch_the_store(backend: str) -> None:
    store, settings = fixture_store("governance", backend)
    before = len(store)
    ask = {"organization": "acme", "foundation": FOUNDATION, "tier": "kgd:test-foundation-gold",
           "join_date": date(2015, 3, 1)}
    # as of the join date (the default) the suit had not been filed
    assert what_if(store, settings, **ask) == []
    found = what_if(store, settings, **ask, as_of=date(2015, 7, 1))
    assert [summary_of(f) for f in found] == [
        # only the chains the imagined membership makes: the seat's governance chain is not one
        ("litigation:acme@test-foundation", ("proxy",),
         ("Acme", "HoldCo IP", "BigCloud"), "active", 0, "low", 61, "uncertain")]
    (finding,) = found
    assert finding.hypothetical
    assert finding.evidence[0].relation == "would be a member of (Gold; hypothetical)"
    assert "joining as Gold member on 2015-03-01" in finding.summary
    assert "Gold member (hypothetical)" in [r.text for r in finding.reasons]
    assert len(store) == before
    assert [f.patterns for f in find_conflicts(store, settings, foundation=FOUNDATION)] == [
        ("governance",)]


def test_patterns_come_from_the_specs() -> None:
    settings = Settings(root=ROOT)
    assert patterns(settings) == ("direct", "proxy", "governance", "commons", "licence",
                                  "contributor", "former")


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def real_store() -> tuple[Store, Settings]:
    settings = Settings(root=ROOT)
    return build_store(settings), settings


@pytest.fixture(scope="module")
def real_findings(real_store: tuple[Store, Settings]) -> list[Finding]:
    store, settings = real_store
    return find_conflicts(store, settings)


KGD = "https://w3id.org/kg/id/"


def test_real_data_one_finding_per_conflict(real_findings: list[Finding]) -> None:
    keys = [(f.party, f.foundation, c) for f in real_findings for c in f.counterparties]
    assert len(keys) == len(set(keys)), "two findings share party, foundation and counterparty"
    defendants = {KGD + s for s in ("rackspace", "hp", "att", "vmware", "emc")}
    assert not {f.party for f in real_findings} & defendants, "a defendant is never conflicted"


def test_real_data_puts_the_founding_case_first(real_findings: list[Finding]) -> None:
    finding = real_findings[0]
    assert finding.id == "litigation:symantec@openstack-foundation"
    assert finding.foundation_label == "OpenStack Foundation"
    assert finding.intermediaries == (KGD + "clouding-ip",)
    # Oracle (corporate sponsor by July 2015, start unknown) is a co-member since issue 13
    assert set(finding.counterparties) == {KGD + s for s in (
        "rackspace", "hp", "att", "vmware", "emc", "oracle", "nova", "swift")}
    assert [r.text for r in finding.reasons] == [
        "recent (126–156 days)", "confirmed chain", "Gold member", "holds a governance seat",
        "six co-members sued", "the foundation's own code accused (Nova, Swift)"]
    assert finding.severity == "high" and finding.confidence == "confirmed"
    assert finding.headline == "Symantec → Clouding IP → 6 co-members + own code (Nova, Swift)"
    membership = finding.evidence[0]
    suit = next(e for e in finding.evidence if e.fact == KGD + "clouding-v-rackspace")
    assert membership.start is not None and suit.end is not None
    assert finding.gap_days == (membership.start - suit.end).days
    for edge in finding.evidence:
        assert edge.sources, f"{edge.fact} has no source URL"
        assert all(url.startswith("http") for url in edge.sources)
    assert {"Membership", "PatentTransfer", "Lawsuit", "GovernanceSeat"} <= {
        e.kind for e in finding.evidence}
    assert any("Rackspace, a top contributor to Swift" in c for c in finding.context)
    assert any("also named Google" in c for c in finding.context)


def test_real_data_as_of_before_symantec_joined(real_store: tuple[Store, Settings]) -> None:
    store, settings = real_store
    assert find_conflicts(store, settings, as_of=date(2013, 6, 1)) == []
    (finding,) = what_if(store, settings, organization="symantec",
                         foundation="openstack-foundation", tier="openstack-foundation-gold",
                         join_date=date(2013, 6, 1))
    assert (finding.temporal_status, finding.severity, finding.hypothetical) == (
        "active", "high", True)
    assert "a suit is pending as of 2013-06-01" in [r.text for r in finding.reasons]
    # Clouding v. Oracle (Oracle: a corporate sponsor by July 2015, so it may have been one
    # then) has no recorded end
    assert "4 are pending as of 2013-06-01, 1 has no recorded end" in finding.summary


ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _dates_in(value: object, path: str = "") -> list[tuple[str, date]]:
    """Every ISO date in a finding's JSON, with where it is (source URLs are citations)."""
    out: list[tuple[str, date]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "sources":
                out += _dates_in(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _dates_in(item, f"{path}[{i}]")
    elif isinstance(value, str):
        out += [(path, date(int(y), int(m), int(d))) for y, m, d in ISO.findall(value)]
    return out


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("day", [date(2012, 6, 1), date(2014, 8, 1), date(2015, 1, 1)])
def test_as_of_leaks_no_later_date(name: str, day: date) -> None:
    store, settings = fixture_store(name, "oxigraph")
    for finding in find_conflicts(store, settings, as_of=day):
        text = json.dumps(finding.to_dict())
        later = [(where, d) for where, d in _dates_in(finding.to_dict()) if d > day
                 and not where.endswith(".as_of")]
        assert later == [], text
        assert str(day.year + 1) not in finding.summary


@pytest.mark.parametrize("day", [date(2012, 6, 1), date(2014, 8, 1), date(2015, 1, 1)])
def test_as_of_leaks_no_later_date_on_real_data(day: date,
                                                real_store: tuple[Store, Settings]) -> None:
    store, settings = real_store
    for finding in find_conflicts(store, settings, as_of=day):
        later = [(where, d) for where, d in _dates_in(finding.to_dict()) if d > day
                 and not where.endswith(".as_of")]
        assert later == [], finding.id


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
