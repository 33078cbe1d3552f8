# ruff: noqa: E501  (CSV rows are kept whole so they read as a spreadsheet would)
"""Dates as people know them (issue 13): EDTF in the CSV columns, the bounds in the graph,
"may" where the bounds allow both, and the curated memberships whose start is known only as a
bound."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from kg.config import Settings
from kg.conflicts import find_conflicts
from kg.errors import KGError
from kg.loading import load_graph
from kg.namespaces import KG, KGD
from kg.stores import build_store
from kg.tabular import export_tables, ingest_files
from kg.temporal import (
    Interval,
    compare,
    describe_edtf,
    parse_edtf,
    status_as_of,
)

from .test_tabular import files_of, ingested, make_project, set_cell, write_batch

ROOT = Path(__file__).resolve().parent.parent
CONFLICTS = ROOT / "tests" / "fixtures" / "conflicts"
D = date

# -- parsing: each form to strict bounds, never an invented day

FORMS = [
    # text, earliest, latest, precision (None: a range), qualifier
    ("2014", D(2014, 1, 1), D(2014, 12, 31), "year", ""),
    ("2014-12", D(2014, 12, 1), D(2014, 12, 31), "month", ""),
    ("2010-08-12/2010-08-13", D(2010, 8, 12), D(2010, 8, 13), None, ""),
    ("1991~", D(1991, 1, 1), D(1991, 12, 31), "year", "~"),
    ("2014-12?", D(2014, 12, 1), D(2014, 12, 31), "month", "?"),
    ("..2014-12", None, D(2014, 12, 31), None, ""),
    ("../2014-12", None, D(2014, 12, 31), None, ""),
    ("2010-12/..", D(2010, 12, 1), None, None, ""),
    ("..", None, None, None, ""),
    ("2012/2014-02", D(2012, 1, 1), D(2014, 2, 28), None, ""),
]


@pytest.mark.parametrize(("text", "earliest", "latest", "precision", "qualifier"), FORMS,
                         ids=[f[0] for f in FORMS])
def test_each_form_parses_to_its_bounds(text: str, earliest: date | None,
                                        latest: date | None, precision: str | None,
                                        qualifier: str) -> None:
    value = parse_edtf(text)
    assert (value.earliest, value.latest, value.precision, value.qualifier) == (
        earliest, latest, precision, qualifier)
    assert value.is_range == (precision is None)
    assert value.plain == (precision is not None and not qualifier)


@pytest.mark.parametrize("text", ["2014-13", "2014-12-12/2014-12-01", "2014/..2015", "~2014",
                                  "2014-12-32", "Dec 2014", "../..", "2014?~"])
def test_what_is_not_edtf_is_refused(text: str) -> None:
    with pytest.raises(KGError):
        parse_edtf(text)


@pytest.mark.parametrize(("text", "words"), [
    ("..2014-12", "by December 2014"),
    ("2010-12/..", "no earlier than December 2010"),
    ("2010-08-12/2010-08-13", "12 or 13 August 2010"),
    ("2010-08-12/2010-08-20", "12 to 20 August 2010"),
    ("2012/2014-02", "between 2012 and February 2014"),
    ("1991~", "about 1991"),
    ("2014-12?", "possibly December 2014"),
    ("..", "unknown"),
])
def test_bounds_in_words(text: str, words: str) -> None:
    assert describe_edtf(text) == words


# -- status and comparison: "may" (unknown) where the bounds allow both

BY_DEC_2014 = Interval(None, end_status="unknown", start_latest=D(2014, 12, 31),
                       start_edtf="..2014-12")


def test_a_start_known_only_as_by_a_month() -> None:
    assert BY_DEC_2014.has_start and BY_DEC_2014.earliest_start is None
    assert BY_DEC_2014.latest_start == D(2014, 12, 31)
    # it may have held on any day before the bound: never "not started", never "active"
    assert status_as_of(BY_DEC_2014, D(2010, 1, 1)) == "unknown"
    assert status_as_of(BY_DEC_2014, D(2014, 12, 30)) == "unknown"
    ongoing = Interval(None, end_status="ongoing", start_latest=D(2014, 12, 31),
                       start_edtf="..2014-12")
    assert status_as_of(ongoing, D(2015, 1, 1)) == "active"
    assert status_as_of(ongoing, D(2014, 6, 1)) == "unknown"


def test_a_start_no_earlier_than() -> None:
    after = Interval(D(2010, 12, 1), end_status="ongoing", start_edtf="2010-12/..")
    assert after.start_range and after.latest_start is None
    assert status_as_of(after, D(2010, 11, 30)) == "not started"
    assert status_as_of(after, D(2011, 6, 1)) == "unknown"  # it may not have begun yet


def test_a_two_day_start_and_bounded_ends() -> None:
    two_days = Interval(D(2010, 8, 12), end_status="ongoing", start_latest=D(2010, 8, 13),
                        start_edtf="2010-08-12/2010-08-13")
    assert status_as_of(two_days, D(2010, 8, 12)) == "unknown"
    assert status_as_of(two_days, D(2010, 8, 13)) == "active"
    # corporate sponsor from December 2012, ended by December 2014 (EMC's, corrected)
    sponsor = Interval(D(2012, 12, 1), D(2014, 12, 31), "month", end_edtf="..2014-12")
    assert sponsor.status_of_end == "ended" and sponsor.end_range
    assert status_as_of(sponsor, D(2015, 1, 1)) == "ended"
    assert status_as_of(sponsor, D(2013, 6, 1)) == "unknown"  # it may have ended already
    # ended no earlier than December 2014: certainly held until then
    late = Interval(D(2012, 12, 1), None, "month", end_earliest=D(2014, 12, 1),
                    end_edtf="2014-12/..")
    assert late.status_of_end == "ended"
    assert status_as_of(late, D(2014, 6, 1)) == "active"
    assert status_as_of(late, D(2016, 6, 1)) == "unknown"


SUIT = Interval(D(2013, 1, 1), D(2014, 7, 28), "year")  # Clouding v. EMC: 2013 – 2014-07-28


def test_compare_says_may_overlap_where_the_bounds_allow_both() -> None:
    result = compare(BY_DEC_2014, SUIT, 365)
    assert result.status == "unknown" and result.gap_days is None
    assert "the start is known only as a bound (by December 2014)" in result.note
    # a bound that rules the overlap in or out gives a definite answer
    by_2012 = Interval(None, end_status="ongoing", start_latest=D(2012, 12, 31),
                       start_edtf="..2012")
    assert compare(by_2012, SUIT, 365).status == "active"
    ended_by_2012 = Interval(D(2010, 1, 1), D(2012, 6, 30), end_edtf="..2012-06")
    far = compare(ended_by_2012, SUIT, 30)
    assert (far.status, far.gap_days, far.a_first) == ("historical", 185, True)
    after = Interval(D(2016, 1, 1), end_status="ongoing", start_edtf="2016/..")
    later = compare(after, SUIT, 365)
    assert (later.status, later.gap_days, later.max_gap_days) == ("historical", 522, None)


def test_clip_keeps_what_may_have_held_and_drops_what_began_later() -> None:
    assert BY_DEC_2014.clip(D(2013, 6, 1)) == BY_DEC_2014  # it may have held then
    starts_later = Interval(D(2014, 6, 1), end_status="unknown", start_latest=D(2014, 8, 31),
                            start_edtf="2014-06/2014-08")
    assert starts_later.clip(D(2014, 5, 31)) is None
    assert starts_later.clip(D(2014, 7, 1)) == starts_later
    late = Interval(D(2012, 12, 1), None, "month", end_earliest=D(2014, 12, 1),
                    end_edtf="2014-12/..")
    clipped = late.clip(D(2013, 6, 1))
    assert clipped is not None and clipped.status_of_end == "ongoing"  # not ended by then
    assert Interval(None).clip(D(2014, 1, 1)) is None


# -- the CSV format: each form in, the graph holds the bounds, export gives the text back


@pytest.mark.parametrize(("cell", "triples"), [
    ("..2014-12", {KG.startLatest: Literal(D(2014, 12, 31), datatype=XSD.date),
                   KG.startEDTF: Literal("..2014-12")}),
    ("2010-08-12/2010-08-13", {KG.startDate: Literal(D(2010, 8, 12), datatype=XSD.date),
                               KG.startLatest: Literal(D(2010, 8, 13), datatype=XSD.date),
                               KG.startEDTF: Literal("2010-08-12/2010-08-13")}),
    ("2010-12/..", {KG.startDate: Literal(D(2010, 12, 1), datatype=XSD.date),
                    KG.startEDTF: Literal("2010-12/..")}),
    ("1991~", {KG.startDate: Literal(D(1991, 1, 1), datatype=XSD.date),
               KG.startPrecision: KG.YearPrecision, KG.startEDTF: Literal("1991~")}),
    ("2014-12?", {KG.startDate: Literal(D(2014, 12, 1), datatype=XSD.date),
                  KG.startPrecision: KG.MonthPrecision, KG.startEDTF: Literal("2014-12?")}),
    ("..", {KG.startEDTF: Literal("..")}),
    ("", {}),
])
def test_a_membership_start_in_edtf_round_trips(tmp_path: Path, cell: str,
                                                triples: dict[Any, Any]) -> None:
    settings = make_project(tmp_path)
    folder = write_batch(tmp_path)
    memberships = folder / "t-memberships.csv"
    set_cell(memberships, 2, "start", cell)  # acme-gold: 2012 – 2014-12
    result = ingest_files(settings, files_of(folder))
    assert result.ok, result.summary()
    graph = ingested(settings)
    node = KGD["acme-gold"]
    dates = {KG.startDate, KG.startPrecision, KG.startLatest, KG.startEDTF}
    assert {(p, o) for p, o in graph.predicate_objects(node) if p in dates} == set(
        triples.items())
    out = export_tables(graph, tmp_path / "out", record_types=["memberships"])
    rows = list(csv.DictReader(out.files["memberships"].open(encoding="utf-8")))
    assert next(r for r in rows if r["id"] == "acme-gold")["start"] == cell
    assert out.dropped == 0


@pytest.mark.parametrize(("column", "line", "cell", "prop", "bound"), [
    ("end", 2, "..2014-12", KG.endDate, D(2014, 12, 31)),
    ("end", 2, "2014-06/..", KG.endEarliest, D(2014, 6, 1)),
    ("end", 2, "2014-06/2014-12", KG.endEarliest, D(2014, 6, 1)),
])
def test_an_end_in_edtf_round_trips(tmp_path: Path, column: str, line: int, cell: str,
                                    prop: Any, bound: date) -> None:
    settings = make_project(tmp_path)
    folder = write_batch(tmp_path)
    set_cell(folder / "t-memberships.csv", line, column, cell)
    result = ingest_files(settings, files_of(folder))
    assert result.ok, result.summary()
    graph = ingested(settings)
    assert graph.value(KGD["acme-gold"], prop) == Literal(bound, datatype=XSD.date)
    assert graph.value(KGD["acme-gold"], KG.endEDTF) == Literal(cell)
    out = export_tables(graph, tmp_path / "out", record_types=["memberships"])
    rows = list(csv.DictReader(out.files["memberships"].open(encoding="utf-8")))
    assert next(r for r in rows if r["id"] == "acme-gold")["end"] == cell


def test_proceeding_and_event_dates_in_edtf_round_trip(tmp_path: Path) -> None:
    settings = make_project(tmp_path)
    folder = write_batch(tmp_path)
    set_cell(folder / "t-lawsuits.csv", 2, "filed", "2013-03-04/2013-03-05")
    set_cell(folder / "t-lawsuits.csv", 2, "closed", "2014~")
    set_cell(folder / "t-rulings.csv", 2, "date", "..2014-07")
    result = ingest_files(settings, files_of(folder))
    assert result.ok, result.summary()
    graph = ingested(settings)
    suit = KGD["troll-v-globex"]
    assert graph.value(suit, KG.filedDate) == Literal(D(2013, 3, 4), datatype=XSD.date)
    assert graph.value(suit, KG.filedLatest) == Literal(D(2013, 3, 5), datatype=XSD.date)
    assert graph.value(suit, KG.closedDate) == Literal(D(2014, 12, 31), datatype=XSD.date)
    assert graph.value(suit, KG.closedEDTF) == Literal("2014~")
    ruling = next(graph.subjects(KG.dateEDTF, Literal("..2014-07")))
    assert graph.value(ruling, KG.date) is None
    assert graph.value(ruling, KG.dateLatest) == Literal(D(2014, 7, 31), datatype=XSD.date)
    out = export_tables(graph, tmp_path / "out", record_types=["lawsuits", "rulings"])
    suits = list(csv.DictReader(out.files["lawsuits"].open(encoding="utf-8")))
    assert (suits[0]["filed"], suits[0]["closed"]) == ("2013-03-04/2013-03-05", "2014~")
    rulings = list(csv.DictReader(out.files["rulings"].open(encoding="utf-8")))
    assert rulings[0]["date"] == "..2014-07"


def test_the_rules_still_demand_an_end_and_order(tmp_path: Path) -> None:
    settings = make_project(tmp_path)
    folder = write_batch(tmp_path)
    path = folder / "t-memberships.csv"
    set_cell(path, 2, "start", "..2014-12")
    set_cell(path, 2, "end", "")  # no end and no end_status
    result = ingest_files(settings, files_of(folder))
    assert not result.ok
    assert any(e.field == "end_status" for e in result.errors), result.summary()
    set_cell(path, 2, "end", "..")  # '..' is no end either
    result = ingest_files(settings, files_of(folder))
    assert any(e.field == "end_status" for e in result.errors), result.summary()
    set_cell(path, 2, "end", "2011")  # before the earliest start (2012-06)
    set_cell(path, 2, "start", "2012-06/..")
    result = ingest_files(settings, files_of(folder))
    assert any(e.field == "end" and "before" in e.reason for e in result.errors)
    set_cell(path, 2, "start", "2014-12-12/2014-12-01")
    result = ingest_files(settings, files_of(folder))
    assert any(e.field == "start" and "date range" in e.reason for e in result.errors)


def test_last_confirmed_with_month_precision_is_the_months_first_day(tmp_path: Path) -> None:
    settings = make_project(tmp_path)
    folder = write_batch(tmp_path)
    set_cell(folder / "t-memberships.csv", 3, "last_confirmed", "2015-01")
    result = ingest_files(settings, files_of(folder))
    assert result.ok, result.summary()
    graph = ingested(settings)
    (node,) = graph.subjects(KG.lastConfirmed, None)
    # confirmed on some day of January 2015: certainly held until the 1st
    assert graph.value(node, KG.lastConfirmed) == Literal(D(2015, 1, 1), datatype=XSD.date)


# -- the conflict finder and as-of with a start known only as a bound


def _direct_with(tmp_path: Path, start: str) -> tuple[Any, Settings]:
    """The ``direct`` fixture (Acme sues BigCloud, 2014-03-10 – 2015-01-20) with Acme's
    membership start replaced by ``start`` (Turtle)."""
    text = (CONFLICTS / "direct.ttl").read_text(encoding="utf-8")
    old = 'kg:startDate "2013-01-15"^^xsd:date ; kg:endStatus kg:Ongoing ;'
    assert old in text
    path = tmp_path / "direct.ttl"
    path.write_text(text.replace(old, start), encoding="utf-8")
    settings = Settings(root=ROOT, store="oxigraph")
    return build_store(settings, load_graph(settings, [path])), settings


def test_a_membership_with_an_unknown_start_is_a_finding_party_with_status_unknown(
        tmp_path: Path) -> None:
    store, settings = _direct_with(tmp_path, (
        'kg:startLatest "2015-06-30"^^xsd:date ; kg:startEDTF "..2015-06" ; '
        'kg:endStatus kg:EndUnknown ;'))
    (finding,) = find_conflicts(store, settings, foundation="kgd:test-foundation")
    assert finding.party == KGD + "acme" and finding.temporal_status == "unknown"
    assert finding.gap_days is None
    chain = finding.chains[0]
    assert "the start is known only as a bound (by June 2015)" in chain.summary
    membership = next(e for e in finding.evidence if e.kind == "Membership"
                      and e.subject == KGD + "acme")
    assert (membership.start, membership.start_edtf) == (None, "..2015-06")
    assert "Acme (Gold member by June 2015)" in finding.summary


def test_a_bound_that_settles_it_gives_a_definite_status(tmp_path: Path) -> None:
    store, settings = _direct_with(tmp_path, (
        'kg:startLatest "2014-12-31"^^xsd:date ; kg:startEDTF "..2014-12" ; '
        'kg:endStatus kg:Ongoing ;'))
    (finding,) = find_conflicts(store, settings, foundation="kgd:test-foundation")
    assert finding.temporal_status == "active"  # a member by Dec 2014, sued until Jan 2015


def test_as_of_leaves_out_a_membership_whose_earliest_start_is_after_the_date(
        tmp_path: Path) -> None:
    store, settings = _direct_with(tmp_path, (
        'kg:startDate "2014-06-01"^^xsd:date ; kg:startLatest "2014-08-31"^^xsd:date ; '
        'kg:startEDTF "2014-06/2014-08" ; kg:endStatus kg:Ongoing ;'))
    assert find_conflicts(store, settings, foundation="kgd:test-foundation",
                          as_of=D(2014, 5, 31)) == []
    (finding,) = find_conflicts(store, settings, foundation="kgd:test-foundation",
                                as_of=D(2014, 7, 1))
    # it may have begun by then, so it is kept; the suit was pending, so they overlap
    assert finding.party == KGD + "acme" and finding.temporal_status == "active"


# -- the curated data


def test_emc_is_gold_by_december_2014_and_no_longer_a_corporate_sponsor(
        repo_store: Any, settings: Settings) -> None:
    from kg.queries import get_query, select

    graph = Graph().parse(ROOT / "data" / "curated" / "memberships.ttl")
    gold = KGD["membership-emc-gold-by-2014-12"]
    assert graph.value(gold, KG.tier) == KGD["openstack-foundation-gold"]
    assert graph.value(gold, KG.startDate) is None
    assert graph.value(gold, KG.startLatest) == Literal(D(2014, 12, 31), datatype=XSD.date)
    assert str(graph.value(gold, KG.startEDTF)) == "..2014-12"
    assert graph.value(gold, KG.source) == KGD["src-siliconangle-2014-12-24"]
    sponsor = KGD["membership-emc-corporate-sponsor-2012"]
    assert graph.value(sponsor, KG.endDate) == Literal(D(2014, 12, 31), datatype=XSD.date)
    assert graph.value(sponsor, KG.endStatus) is None
    rows = select(repo_store, get_query(settings, "members-by-tier"), {"as_of": "2015-06-01"})
    emc = {str(r["tier_name"]): str(r["status_as_of"]) for r in rows
           if str(r["member"]) == KGD + "emc"}
    assert emc == {"Gold": "possibly member"}
    starts = {str(r["member_name"]) for r in rows if r.get("start") is None}
    assert {"Aptira", "EMC", "Huawei", "Oracle"} <= starts


def test_edtf_text_kg_cannot_read_is_shown_as_written_never_a_crash() -> None:
    odd = Interval(D(2012, 1, 1), end_status="unknown", start_edtf="around 2012")
    assert not odd.start_range and odd.latest_start == D(2012, 1, 1)
    assert compare(odd, SUIT, 365).status in ("active", "unknown")
    from kg.temporal import date_label
    assert date_label(None, "day", "around 2012") == "around 2012"


def test_the_profile_says_the_bound_in_words() -> None:
    import os
    import subprocess
    import sys

    from .conftest import run_kg

    proc = subprocess.run([sys.executable, "-m", "kg", "--store", "memory", "profile", "emc"],
                          cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "400"})
    assert proc.returncode == 0, proc.stderr
    assert "  by December 2014  " in proc.stdout  # whole, in its own column
    as_csv = run_kg("--store", "memory", "profile", "emc", "--format", "csv")
    rows = list(csv.DictReader(as_csv.stdout.splitlines()))
    gold = [r for r in rows if r["fact"].endswith("membership-emc-gold-by-2014-12")]
    assert gold and {(r["start"], r["start_latest"], r["start_edtf"]) for r in gold} == {
        ("", "2014-12-31", "..2014-12")}
