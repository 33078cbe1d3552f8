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
    # a member sues a fellow member (a contract claim) while a non-member backs it: one more
    # chain of direct's finding, naming the backer and the intermediary
    # an agency's action against a member and a participant over their conduct in the body
    "agency": [("agency:acme@test-foundation", ("agency",), ("Acme", "Test Foundation"),
                "active", 0, "high", 68, "confirmed"),
               ("agency:globex@test-foundation", ("agency",), ("Globex", "Test Foundation"),
                "active", 0, "medium", 50, "single-source")],
    # the action concerns another body; the respondent joined after the action was filed
    "agency-near-miss": [],
    # a member's patents reached a non-member through two transfers; the agency acts against
    # it (successor, Acme the party). The member respondent of a second action is agency's.
    "successor": [("agency:bigcloud@test-foundation", ("agency",), ("BigCloud", "Test Foundation"),
                   "active", 0, "high", 70, "confirmed"),
                  ("agency:acme@test-foundation", ("successor",),
                   ("Acme", "Globex", "Test Foundation"), "active", 0, "high", 68, "confirmed")],
    # a member's complaint to an agency about a fellow member: direct for the complainant,
    # agency for the respondent
    "agency-complaint": [("litigation:acme@test-foundation", ("direct",), ("Acme", "BigCloud"),
                          "active", 0, "high", 81, "confirmed"),
                         ("agency:bigcloud@test-foundation", ("agency",),
                          ("BigCloud", "Test Foundation"), "active", 0, "high", 80, "confirmed")],
    "backed": [("litigation:acme@test-foundation", ("direct", "backed"), ("Acme", "BigCloud"),
                "active", 0, "high", 81, "confirmed")],
    # the near miss: the backer's funding ended years before the suit
    "backed-expired": [("litigation:acme@test-foundation", ("direct",), ("Acme", "BigCloud"),
                        "active", 0, "high", 81, "confirmed")],
    "commons": [("litigation:acme@test-foundation", ("commons",), ("Acme", "HoldCo IP", "Widget"),
                 "active", 0, "medium", 68, "single-source")],
    # the defendant BigCloud, a top contributor sued over its code, is context, not a finding
    "contributor": [("litigation:acme@test-foundation", ("commons", "contributor"),
                     ("Acme", "HoldCo IP", "Widget"), "active", 0, "high", 80, "confirmed")],
    # former only: direct needs the plaintiff's membership to overlap the suit
    "former": [("former:acme@test-foundation", ("former",), ("Acme", "BigCloud"), "recent", 1,
                "medium", 51, "confirmed")],
    # a former member's licence demand counts as its suit (the demand's date as the filing)
    "former-demand": [("former:acme@test-foundation", ("former",), ("Acme", "BigCloud", "Initech"),
                       "recent", 93, "medium", 54, "confirmed")],
    # the near miss: the demand was made while Acme was still a member
    "former-demand-member": [],
    "governance": [("litigation:acme@test-foundation", ("governance",),
                    ("Acme", "HoldCo IP", "BigCloud"), "active", 0, "low", 63, "uncertain")],
    "licence": [("litigation:bigcloud@test-foundation", ("licence",), ("BigCloud", "Widget"),
                 "historical", 456, "low", 35, "confirmed")],
    # a copyright-only suit over the code: litigation for direct and commons, never licence
    "licence-copyright": [("litigation:bigcloud@test-foundation", ("direct", "commons"),
                           ("BigCloud", "WebShop", "Widget"), "active", 0, "high", 83,
                           "confirmed")],
    "year-only": [("litigation:acme@test-foundation", ("direct",), ("Acme", "BigCloud"),
                   "unknown", None, "low", 36, "single-source")],
    # the spec lead sues a participant implementing its standard (copyright); the steward of a
    # standard counterclaims against a member implementing a component of it (contract) and
    # sues a member contributing to that component (trade secret)
    "steward": [("litigation:globex@test-foundation", ("direct", "steward"),
                 ("Globex", "Hooli", "Initech"), "active", 0, "high", 84, "confirmed"),
                ("litigation:initech@test-foundation", ("direct",), ("Initech", "Globex"),
                 "active", 0, "high", 83, "confirmed"),
                ("litigation:acme@test-foundation", ("steward",), ("Acme", "BigCloud"),
                 "active", 0, "medium", 63, "single-source")],
    # the defendant implements another standard; an observer is no steward
    "steward-near-miss": [],
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


def test_licence_is_patents_only(backend: str) -> None:
    """The retaliation clause ends patent licences: a copyright suit over the code is not
    licence's, though it is litigation for direct and commons."""
    store, settings = fixture_store("licence-copyright", backend)
    assert find_conflicts(store, settings, foundation=FOUNDATION, patterns=["licence"]) == []
    (finding,) = find_conflicts(store, settings, foundation=FOUNDATION, patterns=["direct"])
    assert finding.suits == ("https://w3id.org/kg/id/bigcloud-v-webshop",)
    spec = (ROOT / "queries" / "conflicts" / "licence.yaml").read_text(encoding="utf-8")
    query = (ROOT / "queries" / "conflicts" / "licence.rq").read_text(encoding="utf-8")
    assert "Patent claims only" in query and "kg:PatentInfringement" in query
    assert "Patent\n# suits only" in spec
    # the patent suit of the licence fixture still fires it
    store, settings = fixture_store("licence", backend)
    assert [f.patterns for f in find_conflicts(store, settings, foundation=FOUNDATION)] == [
        ("licence",)]


def test_former_member_asserts_patents_through_a_licence_demand(backend: str) -> None:
    store, settings = fixture_store("former-demand", backend)
    (finding,) = find_conflicts(store, settings, foundation=FOUNDATION)
    demand = "https://w3id.org/kg/id/demand-acme-2013"
    assert finding.suits == (demand,)
    assert finding.counterparties == tuple(f"https://w3id.org/kg/id/{s}"
                                           for s in ("bigcloud", "initech"))  # not Hooli
    kinds = [(e.kind, e.subject_label, e.relation, e.object_label) for e in finding.evidence]
    assert kinds[:3] == [
        ("Membership", "Acme", "member of (Gold)", "Test Foundation"),
        ("LicenceDemand", "Acme", "demanded a patent licence (demandant in)",
         "Acme's royalty demand of September 2013"),
        ("LicenceDemand", "Acme's royalty demand of September 2013",
         "was made of (demanded of)", "BigCloud"),
    ]
    assert finding.evidence[1].start == date(2013, 9, 1)
    assert finding.summary.startswith(
        "Acme (Gold member from 2012-09-01), a former member, demanded patent licences from "
        "2 members (BigCloud, Initech) in 2013;")
    assert "93–122 days after Acme's membership ended" in finding.summary
    assert "two co-members demanded of" in [r.text for r in finding.reasons]
    # on 2013-08-01 the demand had not been made
    assert find_conflicts(store, settings, foundation=FOUNDATION, as_of=date(2013, 8, 1)) == []


def test_backed_names_the_backer_and_the_chain_to_it(backend: str) -> None:
    store, settings = fixture_store("backed", backend)
    (finding,) = find_conflicts(store, settings, foundation=FOUNDATION)
    backed = next(c for c in finding.chains if c.pattern == "backed")
    assert (backed.temporal_status, backed.counterparty) == (
        "active", "https://w3id.org/kg/id/bigcloud")
    edges = [(e.kind, e.subject_label, e.relation, e.object_label) for e in finding.evidence
             if e.fact in backed.facts and e.kind not in ("Membership", "Lawsuit")]
    assert edges == [
        ("Investment", "Globex", "invested in", "Acme"),
        ("SoftwareLicensing", "Globex", "bought a licence from", "Acme"),
        ("Investment", "Initech Capital", "introduced (as intermediary) the money of", "Globex"),
    ]
    # Umbrella's funding ended in 2010: it backs no suit
    assert "Umbrella" not in json.dumps(finding.to_dict())
    assert ("Globex invested in Acme; Globex bought a licence from Acme; Initech Capital "
            "introduced (as intermediary) the money of Globex") in finding.summary
    # the backer's tie is one link of the chain: the investment is single-source
    assert (backed.confidence, backed.weakest) == ("single-source", "single-source: "
                                                   "investment-globex-acme")
    # before the licence was bought (as of 2014-06-01 it was: year precision; 2013 not)
    early = find_conflicts(store, settings, foundation=FOUNDATION, as_of=date(2013, 12, 31))
    assert early == []  # not sued yet


def test_steward_names_the_stewardship_and_the_implementation(backend: str) -> None:
    store, settings = fixture_store("steward", backend)
    found = {f.party_label: f for f in find_conflicts(store, settings, foundation=FOUNDATION)}
    lead = found["Acme"]
    assert lead.temporal_status == "active" and lead.patterns == ("steward",)
    assert [(e.kind, e.subject_label, e.relation, e.object_label) for e in lead.evidence] == [
        ("Participation", "Acme", "takes part in (specification lead)", "Test Foundation"),
        ("Participation", "Acme", "is the spec lead of", "Widget Protocol"),
        ("Lawsuit", "Acme", "sued (plaintiff in)", "Acme v. BigCloud"),
        ("Lawsuit", "Acme v. BigCloud", "was brought against (defendant)", "BigCloud"),
        ("Implementation", "BigCloud", "implements", "Widget Protocol"),
        ("Participation", "BigCloud", "takes part in (participant)", "Test Foundation"),
    ]
    # participants, never called members
    assert lead.summary == (
        "Acme (specification lead from 2012) sued fellow participant BigCloud in 2014; Acme is "
        "the spec lead of Widget Protocol; BigCloud implements Widget Protocol; the suit is "
        "pending, while Acme took part.")
    assert lead.confidence == "single-source"  # the implementation has one source
    steward = found["Globex"]
    chain = next(c for c in steward.chains if c.pattern == "steward")
    assert chain.suit == "https://w3id.org/kg/id/globex-counterclaim"
    edges = [(e.kind, e.subject_label, e.relation, e.object_label) for e in steward.evidence
             if e.fact in chain.facts]
    assert ("Standard", "Globex", "is the steward of", "Gizmo API") in edges
    assert ("Implementation", "Initech", "implements", "Gizmo Core") in edges
    assert ("Counterclaim", "Globex", "sued (plaintiff in)",
            "Globex's counterclaim in Initech v. Globex") in edges
    # a contributor to a component of the steward's work counts as implementing it
    hooli = next(c for c in steward.chains
                 if c.pattern == "steward" and c.counterparty.endswith("/hooli"))
    assert ("Contribution", "Hooli", "contributed to", "Gizmo Core") in [
        (e.kind, e.subject_label, e.relation, e.object_label) for e in steward.evidence
        if e.fact in hooli.facts]


def test_agency_names_the_agency_and_the_body(backend: str) -> None:
    store, settings = fixture_store("agency", backend)
    acme, _ = find_conflicts(store, settings, foundation=FOUNDATION)
    assert (acme.family, acme.temporal_status, acme.counterparties) == (
        "agency", "active", ("https://w3id.org/kg/id/test-foundation",))
    assert [(e.kind, e.subject_label, e.relation, e.object_label) for e in acme.evidence] == [
        ("Membership", "Acme", "member of (Gold)", "Test Foundation"),
        ("AgencyAction", "Acme", "was the respondent in", "In re Acme (Trade Agency)"),
        ("AgencyAction", "Trade Agency", "brought (agency)", "In re Acme (Trade Agency)"),
        ("AgencyAction", "In re Acme (Trade Agency)", "concerns the respondent's conduct in",
         "Test Foundation"),
        ("AgencyAction", "BigCloud", "complained to the agency in", "In re Acme (Trade Agency)"),
    ]
    assert acme.summary == (
        "Acme (Gold member from 2013-01-15) was the respondent of an action by Trade Agency over "
        "its conduct in Test Foundation in 2015; BigCloud complained to the agency in In re Acme "
        "(Trade Agency); the action was closed with a consent order 2016-01-20, while Acme was "
        "a member.")
    # the agency is the forum, never a party
    assert "https://w3id.org/kg/id/trade-agency" not in acme.parties


def test_what_if_reaches_an_agency_action(backend: str) -> None:
    """The what-if neighbourhood follows respondents (and the issue 13 party edges)."""
    store, settings = fixture_store("agency-near-miss", backend)
    ask = {"organization": "initech", "foundation": FOUNDATION,
           "tier": "kgd:test-foundation-gold", "join_date": date(2015, 6, 1)}
    (finding,) = what_if(store, settings, **ask, as_of=date(2015, 10, 1))
    assert (finding.id, finding.hypothetical, finding.temporal_status) == (
        "agency:initech@test-foundation", True, "active")
    assert "Trade Agency" in finding.summary


def test_a_complaint_to_an_agency_is_litigation_for_direct(backend: str) -> None:
    store, settings = fixture_store("agency-complaint", backend)
    (direct,) = find_conflicts(store, settings, foundation=FOUNDATION, patterns=["direct"])
    assert direct.summary.startswith(
        "Acme (Gold member from 2013-01-15) complained to an agency about fellow member "
        "BigCloud in 2015; the action is pending")
    assert [e.relation for e in direct.evidence][1:3] == [
        "complained to the agency in (complainant)", "was brought against (respondent)"]


def test_a_counterclaim_is_a_suit_by_the_counterclaimant(backend: str) -> None:
    store, settings = fixture_store("steward", backend)
    found = find_conflicts(store, settings, foundation=FOUNDATION, patterns=["direct"])
    globex = next(f for f in found if f.party_label == "Globex")
    counterclaim = next(c for c in globex.chains if c.counterparty.endswith("/initech"))
    assert counterclaim.suit == "https://w3id.org/kg/id/globex-counterclaim"
    assert "counterclaimed against fellow member Initech in 2015" in counterclaim.summary
    # suits of two kinds: the finding's summary says "sued"
    assert "sued 2 fellow members (Hooli, Initech) in 2015" in globex.summary


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
    assert patterns(settings) == ("direct", "backed", "proxy", "governance", "steward",
                                  "commons", "licence", "contributor", "former", "agency",
                                  "successor")


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


def test_a_spec_checks_its_links_and_words(tmp_path: Path) -> None:
    from kg.conflicts.specs import read_spec
    from kg.errors import QueryHeaderError

    base = ("pattern: p\nfamily: litigation\ncolumns: {party: a, plaintiff: a, suit: s, "
            "counterparty: d}\nrole: membership\ncounterparty: co-member\n"
            "before_filing: drop\n")
    good = tmp_path / "p.yaml"
    good.write_text(base + "links:\n  - {fact: f, subject: a, object: w, term: r, at: role,\n"
                    "     relation: 'is the {} of', required: false}\n"
                    "suit_words: {LicenceDemand: {plaintiff: demanded}}\n"
                    "verbs: {LicenceDemand: demanded licences from}\n", encoding="utf-8")
    spec = read_spec(good)
    (link,) = spec.links
    assert (link.fact, link.term, link.at, link.required, link.say) == ("f", "r", "role",
                                                                       False, True)
    assert spec.suit_words == {"LicenceDemand": {"plaintiff": "demanded"}}
    assert spec.verbs == {"LicenceDemand": "demanded licences from"}
    for bad, message in (("links: [{fact: f, subject: a}]", "a link has"),
                         ("links:\n  - {fact: f, subject: a, object: b, at: nowhere}", "'at'"),
                         ("links: {fact: f}", "'links' is a list"),
                         ("counterparty: body\nverbs: [x]", "'verbs' is a mapping")):
        path = tmp_path / "p.yaml"
        text = base + bad + "\n" if not bad.startswith("counterparty") else \
            base.replace("counterparty: co-member\n", "") + bad + "\n"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(QueryHeaderError, match=message):
            read_spec(path)


def test_successor_follows_the_chain_of_title_to_the_respondent(backend: str) -> None:
    store, settings = fixture_store("successor", backend)
    (acme,) = [f for f in find_conflicts(store, settings, foundation=FOUNDATION)
               if "successor" in f.patterns]
    assert [(e.kind, e.subject_label, e.relation, e.object_label) for e in acme.evidence] == [
        ("Membership", "Acme", "member of (Gold)", "Test Foundation"),
        ("PatentTransfer", "Acme", "assigned patents to", "HoldCo IP"),
        ("PatentTransfer", "HoldCo IP", "sold patents to", "Globex"),
        ("AgencyAction", "Globex", "was the respondent in", "In re Globex (Trade Agency)"),
        ("AgencyAction", "Trade Agency", "brought (agency)", "In re Globex (Trade Agency)"),
        ("AgencyAction", "In re Globex (Trade Agency)", "concerns the respondent's conduct in",
         "Test Foundation"),
    ]
    assert "https://w3id.org/kg/id/trade-agency" not in acme.parties  # the forum, not a party
    assert acme.summary.startswith("Acme (Gold member from 2013-01-15) transferred patents that "
                                   "reached Globex, the respondent of an action by Trade Agency")
