"""Results, findings and pictures as a notebook shows them: plain values, DataFrames, HTML
tables and SVG, on the curated data (the repr methods are what Jupyter calls)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

import kg
from kg.conflicts import find_conflicts
from kg.findings import Findings
from kg.queries import get_query, run_query, select
from kg.results import python_value
from kg.stores import SelectResult

from .conftest import ROOT

SYMANTEC_GOLD = "membership-symantec-gold-2014"
SILICONANGLE = ("https://siliconangle.com/2014/12/24/"
                "symantec-boosts-openstack-foundation-even-as-it-sues-some-members")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def members(repo_store, settings) -> SelectResult:  # type: ignore[no-untyped-def]
    return select(repo_store, get_query(settings, "members-by-tier"), {"as_of": "2015-06-30"})


@pytest.fixture(scope="module")
def findings(repo_store, settings) -> Findings:  # type: ignore[no-untyped-def]
    return Findings(find_conflicts(repo_store, settings))


def test_a_result_is_indexed_and_sliced_like_a_list_of_rows(members: SelectResult) -> None:
    assert members[0] is members.rows[0]
    assert members[-1] is members.rows[-1]
    first = members[:3]
    assert isinstance(first, SelectResult) and len(first) == 3
    assert first.columns == members.columns and first.rows == members.rows[:3]
    assert [row for row in members] == members.rows
    assert isinstance(members[0]["member"], URIRef)  # .rows and rows stay rdflib terms


def test_records_hold_dates_numbers_and_ids(members: SelectResult) -> None:
    records = members.records()
    assert len(records) == len(members) == 27
    (symantec,) = [r for r in records if r["member"] == "symantec"]
    assert symantec["member_name"] == "Symantec"
    assert symantec["tier"] == "openstack-foundation-gold" and symantec["tier_name"] == "Gold"
    assert symantec["tier_rank"] == 2 and isinstance(symantec["tier_rank"], int)
    assert symantec["start"] == date(2014, 12, 1)  # known to the month: "from 2014-12"
    assert symantec["start_precision"] == "kg:MonthPrecision"
    assert symantec["last_confirmed"] == date(2016, 1, 25)
    assert symantec["end"] is None  # unbound
    assert symantec["confidence"] == "kg:Confirmed"
    assert SILICONANGLE in symantec["sources"].split()


def test_records_of_the_timeline_name_the_membership_by_its_id(repo_store, settings) -> None:  # type: ignore[no-untyped-def]
    result = run_query(repo_store, get_query(settings, "timeline"), {"entity": "symantec"})
    assert isinstance(result, SelectResult)
    (gold,) = [r for r in result.records() if r["fact"] == SYMANTEC_GOLD]
    assert gold["kind"] == "kg:Membership" and gold["other"] == "openstack-foundation"
    assert (gold["start"], gold["other_label"]) == (date(2014, 12, 1), "OpenStack Foundation")


@pytest.mark.parametrize(("term", "value"), [
    (Literal("2014", datatype=XSD.gYear), 2014),
    (Literal("2014-12", datatype=XSD.gYearMonth), "2014-12"),
    (Literal("200000", datatype=XSD.decimal), Decimal("200000")),
    (Literal("1.5", datatype=XSD.double), 1.5),
    (Literal("true", datatype=XSD.boolean), True),
    (Literal("2014-12-22", datatype=XSD.date), date(2014, 12, 22)),
    (Literal("AT&T"), "AT&T"),
    (URIRef("https://w3id.org/kg/id/clouding-ip"), "clouding-ip"),
    (URIRef("https://w3id.org/kg/ontology#Gold"), "kg:Gold"),
    (URIRef("https://example.org/other"), "https://example.org/other"),
    (BNode("b1"), "_:b1"),
    (None, None),
])
def test_each_term_becomes_the_python_value_a_person_expects(term, value) -> None:  # type: ignore[no-untyped-def]
    got = python_value(term)
    assert got == value and type(got) is type(value)


def test_to_pandas_gives_dates_and_nullable_integers(members: SelectResult) -> None:
    pd = pytest.importorskip("pandas")
    frame = members.to_pandas()
    assert list(frame.columns) == members.columns and len(frame) == 27
    assert str(frame["start"].dtype) == "datetime64[s]"
    assert str(frame["tier_rank"].dtype) == "Int64"
    symantec = frame[frame["member"] == "symantec"].iloc[0]
    assert symantec["start"] == pd.Timestamp("2014-12-01")
    assert symantec["tier_rank"] == 2 and pd.isna(symantec["end"])


def test_decimals_are_exact_in_records_and_numbers_in_a_frame(repo_store) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("pandas")
    result = repo_store.select(
        "PREFIX kg: <https://w3id.org/kg/ontology#> "
        "SELECT ?membership ?fee WHERE { ?membership kg:annualFee ?fee } ORDER BY ?membership")
    fees = {r["membership"]: r["fee"] for r in result.records()}
    assert fees[SYMANTEC_GOLD] == Decimal("200000")
    assert fees["membership-vmware-gold-2012"] == Decimal("66667")
    frame = result.to_pandas()
    assert str(frame["fee"].dtype) == "Float64" and frame["fee"].max() == 200000.0


def test_a_result_shows_as_an_escaped_html_table(members: SelectResult) -> None:
    html = members._repr_html_()
    assert html.startswith('<div class="kg-table"><p>27 rows</p>')
    assert "<th>member_name</th>" in html and "<td>Symantec</td>" in html
    assert f'<a href="{SILICONANGLE}"' in html  # a cell of URLs becomes links
    hostile = SelectResult(["name", "url"], [{"name": Literal("<script>alert(1)</script>"),
                                              "url": Literal("javascript:alert(1)")}])
    shown = hostile._repr_html_()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown and "<script>" not in shown
    assert "<a " not in shown  # only http(s) is ever linked


def test_a_long_result_is_cut_and_says_so(members: SelectResult) -> None:
    doubled = SelectResult(members.columns, members.rows * 2)
    html = doubled._repr_html_()
    assert "<p>first 30 of 54 rows</p>" in html
    assert html.count("<tr>") == 31  # the header and 30 rows


def test_findings_as_a_frame_one_row_per_finding(findings: Findings) -> None:
    pytest.importorskip("pandas")
    frame = findings.to_pandas()
    assert len(frame) == len(findings) == 1
    top = frame.iloc[0]
    assert (top["rank"], top["id"]) == (1, "litigation:symantec@openstack-foundation")
    assert (top["severity"], top["confidence"], top["party"]) == ("high", "confirmed", "symantec")
    assert top["headline"].startswith("Symantec → Clouding IP")
    assert "Clouding IP" in top["parties"] and "Rackspace" in top["parties"]
    assert str(frame["score"].dtype) == "Int64"
    assert str(frame["period_start"].dtype) == "datetime64[s]"


def test_a_findings_evidence_as_a_frame_one_row_per_link(findings: Findings) -> None:
    pd = pytest.importorskip("pandas")
    finding = findings[0]
    frame = finding.evidence_frame()
    assert len(frame) == len(finding.evidence)
    gold = frame[frame["fact"] == SYMANTEC_GOLD].iloc[0]
    assert (gold["subject"], gold["relation"]) == ("symantec", "member of (Gold)")
    assert gold["object"] == "openstack-foundation"
    assert gold["start"] == pd.Timestamp("2014-12-01") and gold["start_precision"] == "month"
    assert SILICONANGLE in gold["sources"].split()
    emc = frame[frame["fact"] == "membership-emc-corporate-sponsor-2012"].iloc[0]
    assert (emc["end"], emc["end_edtf"]) == (pd.Timestamp("2014-12-31"), "..2014-12")  # a bound
    assert set(findings.evidence_frame()["finding"]) == {finding.id}


def test_a_finding_shows_its_reasons_evidence_and_sources(findings: Findings) -> None:
    html = findings[0]._repr_html_()
    assert "<h4>Symantec → Clouding IP → 6 co-members + own code (Nova, Swift)</h4>" in html
    assert "Why this rank:" in html and "<li>+8 Gold member</li>" in html
    assert "AT&amp;T" in html and "AT&T" not in html  # escaped
    assert "<td>member of (Gold)</td>" in html and "<td>2014-12</td>" in html
    assert f'<a href="{SILICONANGLE}" rel="noreferrer noopener">' in html


def test_the_findings_show_as_a_table_and_slice_as_findings(findings: Findings) -> None:
    html = findings._repr_html_()
    assert "<p>1 finding</p>" in html
    assert "<td>litigation:symantec@openstack-foundation</td>" in html
    assert isinstance(findings[:1], Findings) and findings[:1][0] is findings[0]
    assert repr(findings) == "Findings([litigation:symantec@openstack-foundation (high, 93)])"


def test_a_findings_picture_is_svg_whose_labels_are_text(repo_store, findings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kg.rendering import finding_picture
    from kg.stores import read_graph

    picture = finding_picture(findings[0], graph=read_graph(repo_store))
    svg = picture._repr_svg_()
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    words = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for label in ("Symantec", "Clouding IP", "Rackspace", "sued (plaintiff in)"):
        assert label in words
    assert picture.svg() is svg  # written once
    with picture:  # a file from the same drawing (its words as outlines), then let go
        saved = picture.save(tmp_path / "chain.svg")
    assert ET.parse(saved).getroot().tag == f"{SVG}svg"
    assert picture._figure is None


def test_kg_query_answers_from_the_project(settings) -> None:  # type: ignore[no-untyped-def]
    result = kg.query("members-by-tier", settings.with_store("memory"), as_of="2015-06-30")
    assert "symantec" in {r["member"] for r in result.records()}
    with pytest.raises(kg.ParameterError, match="as_of"):
        kg.query("members-by-tier", settings.with_store("memory"), as_of="June 2015")


class _Borrowed:
    """The session's store lent to the API: its calls close the store they open."""

    def __init__(self, store) -> None:  # type: ignore[no-untyped-def]
        self._store = store

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._store, name)

    def close(self) -> None:
        pass


def test_list_findings_and_picture_answer_from_the_project_store(  # type: ignore[no-untyped-def]
        repo_store, settings, monkeypatch) -> None:
    import kg.warm

    monkeypatch.setattr(kg.warm, "project_store", lambda _settings: _Borrowed(repo_store))
    found = kg.list_findings(settings, as_of="2016-06-30")
    assert isinstance(found, kg.Findings)
    assert [f.id for f in found] == ["litigation:symantec@openstack-foundation"]
    assert found[0].as_of == date(2016, 6, 30)
    timeline = kg.picture("symantec", settings, timeline=True)
    assert timeline.title == "Timeline: Symantec"
    words = " ".join("".join(t.itertext())
                     for t in ET.fromstring(timeline.svg()).iter(f"{SVG}text"))
    assert "OpenStack Foundation" in words and "Gold" in words
    with pytest.raises(kg.KGError, match="unknown entity 'symantek'"):
        kg.picture("symantek", settings)


def test_without_pandas_everything_but_frames_works() -> None:
    code = textwrap.dedent(f"""
        import sys
        sys.modules["pandas"] = None  # as if the extra were not installed
        import kg
        from kg.config import Settings
        settings = Settings(root=__import__("pathlib").Path({str(ROOT)!r}), store="memory")
        result = kg.query("members-by-tier", settings, as_of="2015-06-30")
        (row,) = [r for r in result.records() if r["member"] == "symantec"]
        print(row["start"].isoformat(), row["tier_name"])
        print("<td>Symantec</td>" in result._repr_html_())
        try:
            result.to_pandas()
        except kg.KGError as exc:
            print(exc)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "2014-12-01 Gold", "True", "DataFrames need pandas: pip install 'kg[pandas]'"]
