# ruff: noqa: E501  (CSV rows are kept whole so they read as a spreadsheet would)
"""The tabular input format: CSV → checked triples → data/ingested, and back.

Every test works on a temporary copy of the project (ontology + a small data set written
here), so the repository's data/ is never written.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from kg.config import Settings
from kg.errors import InputError
from kg.namespaces import KG, KGD
from kg.tabular import IngestResult, export_tables, format_reference, ingest_files, load_schema
from kg.validation import validate_project

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

BASE_TTL = """\
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix kgd: <https://w3id.org/kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

kgd:src-base a kg:Source ;
    kg:url "https://example.org/base"^^xsd:anyURI .

kgd:base-corp a kg:Company ;
    kg:confidence kg:Uncertain ;
    kg:source kgd:src-base ;
    rdfs:label "Base Corp (test fixture)" .

kgd:base-project a kg:Project ;
    kg:confidence kg:Uncertain ;
    kg:source kgd:src-base ;
    rdfs:label "Base Project" .

kgd:base-component a kg:Component ;
    kg:componentOf kgd:base-project ;
    kg:confidence kg:Uncertain ;
    kg:source kgd:src-base ;
    rdfs:label "Base Component" .
"""

S = "src-t"  # the batch's own source
TAIL = f"{S},single-source,"
# One file per record type; every row is valid. Line numbers in the bad-value cases refer to these.
FULL_BATCH = {
    "t-sources.csv": (
        "id,url,title,publisher,date,kind,note\n"
        f"{S},https://example.org/t,Test source,Test,2014-12-22,news-report,\n"
    ),
    "t-organizations.csv": (
        "id,kind,label,legal_names,aliases,homepage,jurisdiction,description,source,confidence,note\n"
        f"acme,company,Acme,Acme\\; Sons;Acme Inc.,ACME,https://example.org/acme,US,,{TAIL}\n"
        f"globex,company,Globex,,,,,,{TAIL}\n"
        f"body,foundation,Some Body,,,,,,{TAIL}\n"
        f"troll,patent-assertion-entity,Troll LLC,,,,,,{TAIL}\n"
        "court-x,court,Court X,,,,,"  # the last row: a quoted cell over two lines
        f'"quote "" newline\n > ; \\ end",{TAIL}\n'
    ),
    "t-tiers.csv": (
        "id,foundation,label,rank,fee_note,source,confidence,note\n"
        f"body-gold,body,Gold,2,,{TAIL}\n"
        f"body-platinum,body,Platinum,1,,{TAIL}\n"
    ),
    "t-memberships.csv": (
        "id,member,foundation,tier,start,end,end_status,last_confirmed,annual_fee,source,confidence,note\n"
        f"acme-gold,acme,body,body-gold,2012,2014-12,,,50000,{TAIL}\n"
        f",globex,body,body-platinum,2013-05-02,,ongoing,2015-01-01,,{TAIL}\n"
        f"base-gold,base-corp,body,body-gold,2014,,unknown,,,{TAIL}\n"
    ),
    "t-seats.csv": (
        "id,holder,body,kind,start,end,end_status,official,source,confidence,note\n"
        f"acme-board,acme,body,board-seat,2013,,ongoing,true,{TAIL}\n"
    ),
    "t-patents.csv": (
        "id,number,title,priority_date,filing_date,issue_date,inventors,original_assignee,source,confidence,note\n"
        f",US1234567,A widget,2001-01-01,2001-06-01,2004-05-18,A. Inventor;B. Inventor,acme,{TAIL}\n"
    ),
    "t-lawsuits.csv": (
        "id,label,plaintiffs,defendants,filed,closed,docket,court,outcome,outcome_note,patents,related,source,confidence,note\n"
        f"troll-v-globex,Troll LLC v. Globex,troll,globex;base-corp,2013-03,2014,1:13-cv-1,court-x,settled,,US1234567,,{TAIL}\n"
    ),
    "t-rulings.csv": (
        "id,lawsuit,kind,date,description,source,confidence,note\n"
        f",troll-v-globex,settlement-order,2014-07,,{TAIL}\n"
    ),
    "t-accusations.csv": (
        "id,lawsuit,component,technology,patent,source,confidence,note\n"
        f",troll-v-globex,base-component,,US1234567,{TAIL}\n"
        f",troll-v-globex,,Distributed storage,,{TAIL}\n"
    ),
    "t-transfers.csv": (
        "id,transferor,transferee,kind,date,patents,retained_rights,source,confidence,note\n"
        f",acme,troll,assignment-with-retained-rights,2012,US1234567,practise;sublicense,{TAIL}\n"
    ),
    "t-ties.csv": (
        "id,kind,from,to,start,end,end_status,description,source,confidence,note\n"
        f",funding,acme,troll,2012-02,,unknown,,{TAIL}\n"
        f",agency,base-corp,troll,,,,,{TAIL}\n"
    ),
}
EXPECTED_CLASS = {
    "sources": KG.Source, "organizations": KG.Company, "tiers": KG.MembershipTier,
    "memberships": KG.Membership, "seats": KG.GovernanceSeat, "patents": KG.Patent,
    "lawsuits": KG.Lawsuit, "rulings": KG.Ruling, "accusations": KG.Accusation,
    "transfers": KG.PatentTransfer, "ties": KG.Funding,
}


# -- fixtures and helpers


def make_project(base: Path) -> Settings:
    """A temporary project: the real ontology and queries, and a tiny data set."""
    root = base / "project"
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "queries", root / "queries")
    (root / "data").mkdir(parents=True)
    (root / "data" / "base.ttl").write_text(BASE_TTL, encoding="utf-8")
    return Settings(root=root)


def write_batch(base: Path) -> Path:
    folder = base / "batch"
    folder.mkdir()
    for name, text in FULL_BATCH.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    return make_project(tmp_path)


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    return write_batch(tmp_path)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, IngestResult]:
    """The full batch ingested once into its own project (read-only for the tests using it)."""
    base = tmp_path_factory.mktemp("clean")
    settings = make_project(base)
    folder = write_batch(base)
    result = ingest_files(settings, files_of(folder))
    assert result.ok, result.summary()
    return settings, result


def files_of(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.csv"))


def snapshot(settings: Settings) -> dict[str, bytes]:
    """Every file under data/ and its bytes."""
    return {
        p.relative_to(settings.data_dir).as_posix(): p.read_bytes()
        for p in sorted(settings.data_dir.rglob("*")) if p.is_file()
    }


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    """Change one cell (lines are 1-based, the header is line 1)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def ingested(settings: Settings) -> Graph:
    graph = Graph()
    for path in sorted((settings.data_dir / "ingested").glob("*.ttl")):
        graph.parse(path)
    return graph


# -- every record type converts


def test_the_example_batch_is_clean(clean: tuple[Settings, IngestResult]) -> None:
    _settings, result = clean
    assert result.errors == ()
    assert result.written
    assert len(result.files) == len(FULL_BATCH)


@pytest.mark.parametrize("record_type", sorted(EXPECTED_CLASS))
def test_each_record_type_converts(clean: tuple[Settings, IngestResult], record_type: str) -> None:
    settings, _result = clean
    out = settings.data_dir / "ingested" / f"t-{record_type}.ttl"
    graph = Graph().parse(out)
    assert any(graph.subjects(RDF.type, EXPECTED_CLASS[record_type])), out.read_text()
    if load_schema().types[record_type].sourced:
        for node in graph.subjects(RDF.type, None):
            assert (node, KG.source, KGD[S]) in graph
            assert (node, KG.confidence, KG.SingleSource) in graph


def test_partial_dates_follow_the_first_and_last_day_rule(
    clean: tuple[Settings, IngestResult],
) -> None:
    g = clean[1].graph
    m = KGD["acme-gold"]
    assert g.value(m, KG.startDate) == Literal("2012-01-01", datatype=XSD.date)
    assert g.value(m, KG.startPrecision) == KG.YearPrecision
    assert g.value(m, KG.endDate) == Literal("2014-12-31", datatype=XSD.date)
    assert g.value(m, KG.endPrecision) == KG.MonthPrecision
    suit = KGD["troll-v-globex"]
    assert g.value(suit, KG.filedDate) == Literal("2013-03-01", datatype=XSD.date)
    assert g.value(suit, KG.closedDate) == Literal("2014-12-31", datatype=XSD.date)
    assert (suit, KG.closedPrecision, KG.YearPrecision) in g
    assert set(g.objects(suit, KG.defendant)) == {KGD.globex, KGD["base-corp"]}
    assert g.value(KGD["globex-body-platinum-2013-05-02"], KG.startPrecision) is None  # a day


def test_an_empty_id_is_made_by_the_template(clean: tuple[Settings, IngestResult]) -> None:
    g = clean[1].graph
    assert (KGD["globex-body-platinum-2013-05-02"], RDF.type, KG.Membership) in g
    assert (KGD.US1234567, KG.patentNumber, Literal("US1234567")) in g
    assert (KGD["troll-v-globex-accuses-Distributed-storage"], RDF.type, KG.Accusation) in g
    assert (KGD["transfer-acme-troll-2012"], RDF.type, KG.PatentTransfer) in g


def test_lists_split_on_semicolons_and_keep_escaped_ones(
    clean: tuple[Settings, IngestResult],
) -> None:
    g = clean[1].graph
    assert set(g.objects(KGD.acme, KG.legalName)) == {Literal("Acme; Sons"), Literal("Acme Inc.")}
    assert g.value(KGD["court-x"], KG.description) == Literal('quote " newline\n > ; \\ end')


# -- bad values: the first error names the file, the row and the field

BAD = [
    # id, file, line, column, new value, expected field, words in the message
    ("bad-date", "t-memberships.csv", 3, "start", "2013-13", "start", "not a date"),
    ("bad-full-date", "t-sources.csv", 2, "date", "2014-12", "date", "YYYY-MM-DD"),
    ("unknown-enum", "t-memberships.csv", 2, "confidence", "sure", "confidence", "not one of"),
    ("missing-required", "t-lawsuits.csv", 2, "plaintiffs", "", "plaintiffs", "required"),
    ("missing-source", "t-tiers.csv", 3, "source", "", "source", "required"),
    ("unknown-ref", "t-memberships.csv", 3, "member", "globx", "member", "unknown id 'globx'"),
    ("unknown-source", "t-seats.csv", 2, "source", "src-nowhere", "source", "unknown id"),
    ("ref-of-wrong-class", "t-memberships.csv", 2, "tier", "globex", "tier", "not one of"),
    ("tier-of-another-body", "t-memberships.csv", 2, "foundation", "acme", "tier",
     "belongs to body"),
    ("end-before-start", "t-memberships.csv", 2, "end", "2011", "end", "before start"),
    ("closed-before-filed", "t-lawsuits.csv", 2, "closed", "2012", "closed", "before filed"),
    ("empty-end-without-status", "t-memberships.csv", 2, "end", "", "end_status",
     "must not silently mean either"),
    ("end-and-status", "t-memberships.csv", 3, "end", "2015", "end_status", "not both"),
    ("tie-without-end", "t-ties.csv", 2, "end_status", "", "end_status", "silently"),
    ("duplicate-id", "t-organizations.csv", 3, "id", "acme", "id", "used twice"),
    ("id-exists-in-graph", "t-organizations.csv", 3, "id", "base-corp", "id",
     "already exists in the graph (data/base.ttl)"),
    ("id-not-a-slug", "t-organizations.csv", 2, "id", "Acme Corp", "id", "not an id"),
    ("id-with-angle-bracket", "t-organizations.csv", 2, "id", "acme>x", "id", "not an id"),
    ("ref-with-angle-bracket", "t-tiers.csv", 2, "foundation", "body> <x", "foundation",
     "not an id"),
    ("bad-url", "t-sources.csv", 2, "url", "example.org/t", "url", "not a URL"),
    ("url-with-space", "t-sources.csv", 2, "url", "https://example.org/a b", "url", "not a URL"),
    ("bad-integer", "t-tiers.csv", 2, "rank", "second", "rank", "whole number"),
    ("bad-decimal", "t-memberships.csv", 2, "annual_fee", "50,000", "annual_fee", "not a number"),
    ("bad-boolean", "t-seats.csv", 2, "official", "maybe", "official", "true or false"),
    ("bad-patent-number", "t-patents.csv", 2, "number", "6738799", "number", "US6738799"),
    ("same-transferor-transferee", "t-transfers.csv", 2, "transferee", "acme", "transferee",
     "must differ"),
    ("plaintiff-also-defendant", "t-lawsuits.csv", 2, "defendants", "globex;troll",
     "defendants", "both"),
    ("accusation-without-target", "t-accusations.csv", 3, "technology", "", "component",
     "component or technology"),
    ("shacl-tier-rank", "t-tiers.csv", 2, "rank", "0", "rank", "SHACL"),
    ("shacl-negative-fee", "t-memberships.csv", 2, "annual_fee", "-5", "annual_fee", "SHACL"),
]


@pytest.mark.parametrize(("case", "name", "line", "column", "value", "field", "words"), BAD,
                         ids=[b[0] for b in BAD])
def test_a_bad_value_names_file_row_and_field(
    project: Settings, batch: Path, case: str, name: str, line: int, column: str, value: str,
    field: str, words: str,
) -> None:
    path = batch / name
    set_cell(path, line, column, value)
    before = snapshot(project)
    result = ingest_files(project, files_of(batch))
    assert not result.ok and not result.written
    first = result.errors[0]
    assert isinstance(first, InputError), first
    assert (first.path, first.row, first.field) == (str(path), line, field), str(first)
    assert words in first.reason, str(first)
    assert str(first).startswith(f"{path}:{line}: field '{field}': ")
    assert snapshot(project) == before
    assert not (project.data_dir / "ingested").exists()


def test_header_problems_name_line_1(project: Settings, batch: Path) -> None:
    path = batch / "t-tiers.csv"
    path.write_text(path.read_text().replace("fee_note", "fee"), encoding="utf-8")
    first = ingest_files(project, files_of(batch)).errors[0]
    assert (first.path, first.row, first.field) == (str(path), 1, "fee")  # type: ignore[attr-defined]
    assert "unknown column" in str(first)


def test_a_missing_comma_names_the_row(project: Settings, batch: Path) -> None:
    path = batch / "t-tiers.csv"
    path.write_text(path.read_text() + "body-silver,body,Silver,3,,src-t,single-source\n")
    first = ingest_files(project, files_of(batch)).errors[0]
    assert (first.path, first.row) == (str(path), 4)  # type: ignore[attr-defined]
    assert "values but the header has" in str(first)


def test_a_multiline_cell_names_the_line_where_its_row_starts(project: Settings,
                                                              batch: Path) -> None:
    path = batch / "t-tiers.csv"
    path.write_text(
        "id,foundation,label,rank,fee_note,source,confidence,note\n"
        'body-gold,body,Gold,2,"two\nlines",src-t,single-source,\n'
        "body-platinum,body,Platinum,1,,src-t,sure,\n", encoding="utf-8")
    first = ingest_files(project, files_of(batch)).errors[0]
    assert (first.row, first.field) == (4, "confidence")  # type: ignore[attr-defined]


def test_not_utf8_and_unknown_file_names_are_errors(project: Settings, batch: Path) -> None:
    (batch / "t-tiers.csv").write_bytes("id,foundation,label\nbody-g,body,Gr\xfcn\n".encode("latin-1"))
    (batch / "people.csv").write_text("id\nx\n", encoding="utf-8")
    errors = ingest_files(project, files_of(batch)).errors
    messages = [str(e) for e in errors]
    assert any("people.csv" in m and "record type" in m for m in messages), messages
    assert any("t-tiers.csv:2" in m and "UTF-8" in m for m in messages), messages


def test_a_byte_order_mark_is_fine(project: Settings, batch: Path) -> None:
    path = batch / "t-sources.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert ingest_files(project, files_of(batch)).ok


def test_all_bad_rows_of_a_file_are_reported_in_order(project: Settings, batch: Path) -> None:
    path = batch / "t-memberships.csv"
    set_cell(path, 2, "start", "soon")
    set_cell(path, 4, "confidence", "maybe")
    rows = [(e.path, e.row) for e in ingest_files(project, files_of(batch)).errors]  # type: ignore[attr-defined]
    assert rows == [(str(path), 2), (str(path), 4)]


# -- text is stored as a literal and never breaks anything

NASTY = [
    'He said "no"',
    "two\nlines",
    "a > b < c & d",
    'ends with a backslash \\',
    "<https://evil.example/> ; kgd:x a kg:Lawsuit .",
    '""" triple quotes """',
    "semi; colon",
    "ünïcödé ✓",
]


def test_text_is_a_literal_whatever_it_contains(project: Settings, batch: Path) -> None:
    path = batch / "t-organizations.csv"
    slots = [(line, column) for line in (2, 3, 4, 5) for column in ("label", "description")]
    for (line, column), text in zip(slots, NASTY, strict=True):
        set_cell(path, line, column, text)
    result = ingest_files(project, files_of(batch))
    assert result.ok, result.summary()
    written = ingested(project)
    for (line, column), text in zip(slots, NASTY, strict=True):
        node = KGD[["acme", "globex", "body", "troll"][line - 2]]
        prop = RDFS.label if column == "label" else KG.description
        assert list(written.objects(node, prop)) == [Literal(text)]
    assert isomorphic(written, result.graph)


# -- all or nothing


def test_one_bad_row_leaves_data_ingested_untouched(project: Settings, batch: Path) -> None:
    assert ingest_files(project, files_of(batch)).written
    before = snapshot(project)
    set_cell(batch / "t-organizations.csv", 2, "label", "Acme renamed")   # a good change
    set_cell(batch / "t-memberships.csv", 3, "start", "soon")             # and one bad row
    result = ingest_files(project, files_of(batch))
    assert [e.row for e in result.errors] == [3]  # type: ignore[attr-defined]
    assert snapshot(project) == before
    assert not list((project.data_dir / "ingested").glob(".*"))  # no temporary files left


def test_reingesting_replaces_the_earlier_output(project: Settings, batch: Path) -> None:
    first = ingest_files(project, files_of(batch))
    before = snapshot(project)
    again = ingest_files(project, files_of(batch))
    assert again.written and all(f.replaced for f in again.files)
    assert snapshot(project) == before
    set_cell(batch / "t-organizations.csv", 2, "label", "Acme renamed")
    assert ingest_files(project, [batch / "t-organizations.csv"]).written
    g = ingested(project)
    assert g.value(KGD.acme, RDFS.label) == Literal("Acme renamed")
    assert len(g) == len(first.graph)


def test_removing_a_row_that_others_need_is_refused(project: Settings, batch: Path) -> None:
    assert ingest_files(project, files_of(batch)).written
    before = snapshot(project)
    path = batch / "t-tiers.csv"
    path.write_text("\n".join(path.read_text().splitlines()[:2]) + "\n", encoding="utf-8")
    result = ingest_files(project, [path])  # body-platinum is gone; a membership uses it
    assert not result.ok
    assert "data/ingested/t-memberships.ttl" in str(result.errors[0])
    assert snapshot(project) == before


def test_dry_run_writes_nothing(project: Settings, batch: Path) -> None:
    result = ingest_files(project, files_of(batch), dry_run=True)
    assert result.ok and not result.written
    assert not (project.data_dir / "ingested").exists()


def test_two_inputs_with_one_name_are_refused(project: Settings, batch: Path,
                                              tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(batch / "t-sources.csv", other / "t-sources.csv")
    result = ingest_files(project, [*files_of(batch), other / "t-sources.csv"])
    assert "same name" in str(result.errors[0])
    assert not (project.data_dir / "ingested").exists()


# -- export → ingest gives the same graph


def test_export_then_ingest_is_isomorphic(clean: tuple[Settings, IngestResult],
                                          tmp_path: Path) -> None:
    settings, first = clean
    exported = export_tables(first.graph, tmp_path / "out", prefix="rt-")
    assert exported.dropped == 0
    assert set(exported.files) == set(EXPECTED_CLASS)

    fresh = make_project(tmp_path)
    second = ingest_files(fresh, files_of(tmp_path / "out"))
    assert second.ok, second.summary()
    assert isomorphic(first.graph, second.graph)
    assert isomorphic(ingested(settings), ingested(fresh))

    again = export_tables(ingested(fresh), tmp_path / "out2", prefix="rt-")
    for name, path in exported.files.items():
        assert again.files[name].read_bytes() == path.read_bytes()


def test_export_only_some_nodes(clean: tuple[Settings, IngestResult], tmp_path: Path) -> None:
    result = export_tables(clean[1].graph, tmp_path / "out", only=[KGD.acme, KGD.globex])
    assert result.rows == {"organizations": 2}
    assert result.files["organizations"].name == "organizations.csv"


def test_export_counts_what_the_format_cannot_hold(tmp_path: Path) -> None:
    g = Graph()
    g.add((KGD.x, RDF.type, KG.Company))
    g.add((KGD.x, RDFS.label, Literal("X")))
    g.add((KGD.x, RDFS.label, Literal("Another X")))  # one-value column
    g.add((KGD.x, KG.unknownProperty, Literal("?")))  # no column
    result = export_tables(g, tmp_path / "out")
    assert result.rows == {"organizations": 1} and result.dropped == 2


# -- the examples a newcomer copies


def test_the_new_case_example_ingests_and_validates(project: Settings) -> None:
    (project.data_dir / "base.ttl").unlink()
    result = ingest_files(project, files_of(EXAMPLES / "new-case"))
    assert result.ok, result.summary()
    report = validate_project(project)
    assert report.conforms, [r.message for r in report.violations]
    g = ingested(project)
    for node in g.subjects(KG.confidence, None):
        assert g.value(node, KG.confidence) == KG.Uncertain  # fictional data is never confirmed
    for url in g.objects(None, KG.url):
        assert str(url).startswith("https://example.org/")
    for title in g.objects(None, __import__("rdflib").namespace.DCTERMS.title):
        assert "FICTIONAL" in str(title)


def test_the_bad_row_example_names_its_row(project: Settings) -> None:
    result = ingest_files(project, files_of(EXAMPLES / "bad-row"))
    assert len(result.errors) == 1
    error = result.errors[0]
    assert isinstance(error, InputError)
    assert Path(error.path).name == "example-memberships.csv"
    assert (error.row, error.field) == (3, "end")
    assert not (project.data_dir / "ingested").exists()


def test_the_bad_row_example_differs_from_new_case_in_one_row() -> None:
    good, bad = EXAMPLES / "new-case", EXAMPLES / "bad-row"
    assert [p.name for p in files_of(good)] == [p.name for p in files_of(bad)]
    changed = [
        (p.name, a) for p in files_of(good)
        for a, b in zip(p.read_text().splitlines(), (bad / p.name).read_text().splitlines(),
                        strict=True)
        if a != b
    ]
    assert len(changed) == 1, changed


def test_the_readme_reference_matches_the_schema() -> None:
    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    reference = format_reference()
    begin, end = reference.splitlines()[0], reference.splitlines()[-1]
    assert begin in text and end in text
    start = text.index(begin)
    embedded = text[start: text.index(end, start) + len(end)] + "\n"
    assert embedded == reference, "run: python -m kg.tabular examples/README.md"


def test_the_readme_shows_the_example_files_as_they_are() -> None:
    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"<!-- file: (\S+) -->\n```csv\n(.*?)```", text, flags=re.DOTALL)
    assert {name for name, _ in shown} == {
        f"examples/new-case/{p.name}" for p in files_of(EXAMPLES / "new-case")
    }
    for name, body in shown:
        assert (ROOT / name).read_text(encoding="utf-8") == body, name


@pytest.mark.skipif(importlib.util.find_spec("kg.conflicts") is None,
                    reason="kg/conflicts.py (find_conflicts) has not landed yet")
def test_the_new_case_shows_a_direct_conflict(project: Settings) -> None:
    from kg.conflicts import find_conflicts
    from kg.stores import build_store

    (project.data_dir / "base.ttl").unlink()
    assert ingest_files(project, files_of(EXAMPLES / "new-case")).written
    findings = find_conflicts(build_store(project), project, foundation="example-standards-body")
    direct = [f for f in findings if f.pattern == "direct"]
    parties = {frozenset(f.parties) for f in direct}
    assert frozenset({str(KGD["example-widgets"]), str(KGD["example-gadgets"])}) in parties, \
        [f.summary for f in findings]
