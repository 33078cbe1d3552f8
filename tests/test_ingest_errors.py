# ruff: noqa: E501  (CSV rows are kept whole so they read as a spreadsheet would)
"""Ingest that helps (issue 13, point 4): one root cause gives one message, every bad field of
a row is listed, "did you mean" offers ids of the right kind, and re-ingesting a file replaces
its earlier version.

Each test works on a temporary project (the real ontology and queries, the small data set of
``test_tabular``) and runs ``kg`` as a user would; the repository's data/ is never written.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDFS

from kg.config import Settings
from kg.errors import InputError
from kg.namespaces import KG, KGD
from kg.tabular import ingest_files

from .conftest import run_kg_here
from .test_tabular import files_of, make_project, set_cell, snapshot, write_batch

# The sources file of the batch with a second row whose title opens a quote it never closes
# properly: Python's csv module (strict) stops at line 3.
BAD_QUOTE = 'src-u,https://example.org/u,"A "bad" title,Test,2014-12-22,news-report,\n'


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    return make_project(tmp_path)


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    return write_batch(tmp_path)


def kg(settings: Settings, *args: str):  # type: ignore[no-untyped-def]
    return run_kg_here("--root", str(settings.root), *args)


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


# -- one root cause, one message


def test_a_badly_quoted_sources_row_is_one_error_with_its_follow_ons_counted(
        project: Settings, batch: Path) -> None:
    sources = batch / "t-sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8") + BAD_QUOTE, encoding="utf-8")
    before = snapshot(project)
    proc = kg(project, "ingest", *map(str, files_of(batch)))
    assert proc.returncode == 2, proc.stderr
    errors = error_lines(proc.stderr)
    # Every row of the ten other files cites src-t, which the rejected file defines: 19
    # references, folded under the one root error instead of 19 "unknown id" lines.
    assert errors == [
        f"error: {sources}:3: not valid CSV: ',' expected after '\"' "
        "(and 19 references to ids this file defines, in 10 other files: not checked)"
    ], proc.stderr
    assert "unknown id" not in proc.stderr
    assert proc.stderr.rstrip().endswith("nothing was written (1 error(s))")
    assert snapshot(project) == before
    assert not (project.data_dir / "ingested").exists()


def test_the_follow_ons_name_their_files_and_other_errors_stay_listed(
        project: Settings, batch: Path) -> None:
    lawsuits = batch / "t-lawsuits.csv"
    lawsuits.write_text(lawsuits.read_text(encoding="utf-8").replace("id,label,", "id,lable,"),
                        encoding="utf-8")  # a bad header: the whole file is rejected
    set_cell(batch / "t-memberships.csv", 3, "start", "soon")  # unrelated: still reported
    set_cell(batch / "t-rulings.csv", 2, "source", "src-nowhere")  # a real unknown source
    proc = kg(project, "ingest", *map(str, files_of(batch)))
    assert proc.returncode == 2, proc.stderr
    errors = error_lines(proc.stderr)
    assert errors[0] == (
        f"error: {lawsuits}:1: field 'lable': unknown column for lawsuits (columns: "
        "id, label, plaintiffs, defendants, filed, closed, docket, court, outcome, "
        "outcome_note, patents, related, claims, forum, concerns_body, amicus, end_status, "
        "settlement_amount, settlement_note, patent_claims, comment, source, confidence, note) "
        "(and 3 references to ids "
        "this file defines, in t-accusations.csv, t-rulings.csv: not checked)"), errors
    assert any(f"{batch / 't-memberships.csv'}:3: field 'start'" in e for e in errors), errors
    assert any(f"{batch / 't-rulings.csv'}:2: field 'source': unknown id 'src-nowhere'" in e
               for e in errors), errors
    assert len(errors) == 3, errors
    assert not (project.data_dir / "ingested").exists()


# -- every bad field of a row


def test_a_row_with_three_bad_fields_gives_three_errors(project: Settings,
                                                        batch: Path) -> None:
    path = batch / "t-memberships.csv"
    set_cell(path, 2, "start", "soon")          # not a date
    set_cell(path, 2, "annual_fee", "lots")     # not a number
    set_cell(path, 2, "member", "acm")          # unknown id (a typo of acme)
    result = ingest_files(project, files_of(batch))
    assert not result.written
    found = [(e.path, e.row, e.field) for e in result.errors if isinstance(e, InputError)]
    assert sorted(found) == sorted([(str(path), 2, "start"), (str(path), 2, "annual_fee"),
                                    (str(path), 2, "member")]), result.summary()
    assert len(result.errors) == 3
    proc = kg(project, "ingest", *map(str, files_of(batch)))
    assert proc.returncode == 2
    lines = error_lines(proc.stderr)
    assert len(lines) == 3 and all(line.startswith(f"error: {path}:2: field '") for line in lines)
    assert "unknown id 'acm'" in proc.stderr and "did you mean 'acme'?" in proc.stderr
    assert "nothing was written (3 error(s))" in proc.stderr


def test_a_bad_cell_does_not_also_break_the_rule_it_is_part_of(project: Settings,
                                                               batch: Path) -> None:
    path = batch / "t-memberships.csv"
    set_cell(path, 2, "end", "2014-13")  # bad; the interval rule must not add "end is empty"
    errors = ingest_files(project, files_of(batch)).errors
    assert [(e.row, e.field) for e in errors] == [(2, "end")], [str(e) for e in errors]  # type: ignore[attr-defined]


# -- did you mean: of the kind the column expects


TYPO = "troll-v-globex-settlement-order"  # meant: the lawsuit troll-v-globex
RULING = "troll-v-globex-settlement-order-2014-07"  # the batch's ruling (its id template)


def test_a_lawsuit_typo_suggests_the_lawsuit_never_a_ruling(project: Settings,
                                                             batch: Path) -> None:
    # The fixture is fair: as plain strings, the ruling's id is the closer one.
    assert difflib.get_close_matches(TYPO, ["troll-v-globex", RULING], n=1) == [RULING]
    accusations = batch / "t-accusations.csv"
    others = [p for p in files_of(batch) if p != accusations]
    assert kg(project, "ingest", *map(str, others)).returncode == 0  # lawsuit, ruling: graph
    set_cell(accusations, 2, "lawsuit", TYPO)
    proc = kg(project, "ingest", str(accusations))
    assert proc.returncode == 2, proc.stderr
    assert error_lines(proc.stderr) == [
        f"error: {accusations}:2: field 'lawsuit': unknown id '{TYPO}': no row of the batch "
        "and no node in the graph has this id (did you mean 'troll-v-globex'?)"]
    assert f"'{RULING}'" not in proc.stderr


def test_suggestions_come_from_the_batch_too_and_keep_their_kind(project: Settings,
                                                                 batch: Path) -> None:
    set_cell(batch / "t-accusations.csv", 2, "lawsuit", TYPO)  # ruling and suit: batch only
    set_cell(batch / "t-seats.csv", 2, "holder", "body-gol")  # an org column; a tier is closer
    messages = [str(e) for e in ingest_files(project, files_of(batch)).errors]
    assert any("did you mean 'troll-v-globex'?" in m for m in messages), messages
    seat = next(m for m in messages if "'body-gol'" in m)
    assert "body-gold" not in seat and "did you mean 'body'?" in seat, seat


# -- re-ingest replaces


def test_reingesting_a_corrected_lawsuits_file_replaces_its_earlier_version(
        project: Settings, batch: Path) -> None:
    assert kg(project, "ingest", *map(str, files_of(batch))).returncode == 0
    lawsuits = batch / "t-lawsuits.csv"
    dependants = [str(lawsuits), str(batch / "t-rulings.csv"), str(batch / "t-accusations.csv")]
    shown = json.loads(kg(project, "ids", "troll-v-globex", "--format", "json").stdout)
    assert shown[0]["label"] == "Troll LLC v. Globex"  # the warm store holds the first version

    # A broken edit: rejected whole, the rulings and accusations that cite the suit are not
    # "unknown id" errors, and the first version stays as it was.
    good = lawsuits.read_text(encoding="utf-8")
    lawsuits.write_text(good.replace("Troll LLC v. Globex", '"Troll LLC "v." Globex"'),
                        encoding="utf-8")
    before = snapshot(project)
    proc = kg(project, "ingest", *dependants)
    assert proc.returncode == 2
    assert len(error_lines(proc.stderr)) == 1 and "unknown id" not in proc.stderr, proc.stderr
    assert "(and 3 references to ids this file defines" in proc.stderr
    assert snapshot(project) == before

    # Fixed: the suit it defines is neither unknown nor a duplicate of its earlier version.
    lawsuits.write_text(good.replace("Troll LLC v. Globex", "Troll LLC v. Globex Corp."),
                        encoding="utf-8")
    set_cell(lawsuits, 2, "defendants", "globex")  # base-corp was never sued
    proc = kg(project, "ingest", *dependants)
    assert proc.returncode == 0, proc.stderr
    assert "t-lawsuits.ttl: 1 row(s)" in proc.stdout and "(replaced the earlier version)" in proc.stdout
    written = Graph().parse(project.data_dir / "ingested" / "t-lawsuits.ttl")
    suit = KGD["troll-v-globex"]
    assert list(written.objects(suit, RDFS.label)) == [Literal("Troll LLC v. Globex Corp.")]
    assert set(written.objects(suit, KG.defendant)) == {KGD.globex}
    shown = json.loads(kg(project, "ids", "troll-v-globex", "--format", "json").stdout)
    assert [(e["id"], e["label"]) for e in shown] == [("troll-v-globex",
                                                       "Troll LLC v. Globex Corp.")]
    graph = Graph().parse(data=kg(project, "export", "--format", "nt").stdout, format="nt")
    assert list(graph.objects(suit, RDFS.label)) == [Literal("Troll LLC v. Globex Corp.")]
    assert set(graph.objects(suit, KG.defendant)) == {KGD.globex}


def test_a_fixed_file_saved_under_another_name_is_told_which_name_replaces(
        project: Settings, batch: Path, tmp_path: Path) -> None:
    orgs = batch / "t-organizations.csv"
    assert kg(project, "ingest", str(batch / "t-sources.csv"), str(orgs)).returncode == 0
    renamed = tmp_path / "t-fixed-organizations.csv"
    renamed.write_text(orgs.read_text(encoding="utf-8").replace("Globex", "Globex Inc."),
                       encoding="utf-8")
    proc = kg(project, "ingest", str(renamed))
    assert proc.returncode == 2
    assert (f"error: {renamed}:2: field 'id': id 'acme' already exists in the graph "
            "(data/ingested/t-organizations.ttl): refer to it instead of defining it again, or "
            "name this file t-organizations.csv to replace the version ingested from a file of "
            "that name") in error_lines(proc.stderr), proc.stderr
    again = tmp_path / "again" / "t-organizations.csv"
    again.parent.mkdir()
    again.write_bytes(renamed.read_bytes())
    proc = kg(project, "ingest", str(again))
    assert proc.returncode == 0 and "(replaced the earlier version)" in proc.stdout, proc.stderr
    labels = json.loads(kg(project, "ids", "--kind", "Company", "globex", "--format", "json").stdout)
    assert [e["label"] for e in labels] == ["Globex Inc."]
