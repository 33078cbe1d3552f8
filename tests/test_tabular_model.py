# ruff: noqa: E501  (CSV cells are kept whole so they read as a spreadsheet would)
"""Issue 13 point 1, the model and the format: every record type added for it ingests from CSV,
validates with the shapes, exports with ``kg export --format csv`` and re-ingests into an empty
project as the same graph; each new rule names the file, row and column of a bad cell.

The fixtures (tests/fixtures/tabular/model) are fictional: Acme, Globex, Initech, an example
consortium, agency and courts. Every test works on a temporary project (the real ontology and
queries); the repository's data/ is never written.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from kg.config import Settings
from kg.errors import InputError
from kg.namespaces import KG, KGD
from kg.project import TOTALS_GRAPH
from kg.stores import build_store
from kg.tabular import IngestResult, export_tables, ingest_files, load_schema
from kg.validation import validate_project
from kg.vocabulary import Vocabulary

from .conftest import run_kg_here
from .test_tabular import files_of, ingested, make_project, set_cell

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "tabular" / "model"
ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"

# The record types issue 13 added, and a class each must produce.
NEW_TYPES = {
    "licenses": KG.License, "projects": KG.Standard, "components": KG.Component,
    "repositories": KG.Repository, "contributions": KG.Contribution,
    "proceedings": KG.Counterclaim, "licence-refusals": KG.LicenceRefusal,
    "demands": KG.LicenceDemand, "participations": KG.Participation,
    "implementations": KG.Implementation, "aliases": KG.Alias, "renames": KG.Rename,
}
PROCEEDING_CLASSES = (KG.Counterclaim, KG.AgencyAction, KG.Appeal, KG.Reexamination,
                      KG.BankruptcyProceeding)


def empty_project(base: Path) -> Settings:
    """The real ontology and queries and no data at all."""
    settings = make_project(base)
    (settings.data_dir / "base.ttl").unlink()
    return settings


def copy_fixtures(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for path in files_of(FIXTURES):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, IngestResult]:
    """The fixture batch ingested once into an empty project (read-only for its users)."""
    settings = empty_project(tmp_path_factory.mktemp("model"))
    result = ingest_files(settings, files_of(FIXTURES))
    assert result.ok, result.summary()
    return settings, result


def kg(settings: Settings, *args: str):  # type: ignore[no-untyped-def]
    return run_kg_here("--root", str(settings.root), *args)


# -- the schema


def test_every_new_record_type_is_sourced_and_has_a_fixture() -> None:
    schema = load_schema()
    for name in NEW_TYPES:
        rt = schema.types[name]
        assert rt.sourced, name
        assert {"source", "confidence", "note"} <= set(rt.column_names), name
        assert any(schema.for_file(p) is rt for p in files_of(FIXTURES)), name


def test_lawsuits_keep_their_columns_and_class() -> None:
    rt = load_schema().types["lawsuits"]
    assert rt.rdf_class == KG.Lawsuit
    old = ["id", "label", "plaintiffs", "defendants", "filed", "closed", "docket", "court",
           "outcome", "outcome_note", "patents", "related"]
    assert list(rt.column_names[: len(old)]) == old
    assert {"claims", "forum", "concerns_body", "amicus", "end_status", "settlement_amount",
            "settlement_note"} <= set(rt.column_names)


def test_every_enum_value_is_a_concept_or_class_of_the_vocabulary() -> None:
    vocabulary = Graph().parse(ONTOLOGY / "kg.ttl")
    from rdflib.namespace import OWL, SKOS

    for name, values in load_schema().enums.items():
        for key, term in values.items():
            is_class = (term, RDF.type, OWL.Class) in vocabulary
            notation = vocabulary.value(term, SKOS.notation)
            assert is_class or notation is None or str(notation) == key, (name, key, term)
            assert is_class or (term, RDF.type, SKOS.Concept) in vocabulary, (name, key, term)


# -- ingest, validate, export, ingest again


def test_the_batch_ingests_and_validates(clean: tuple[Settings, IngestResult]) -> None:
    settings, result = clean
    assert result.written and result.warnings == ()
    report = validate_project(settings)
    assert report.conforms, [r.message for r in report.violations]


@pytest.mark.parametrize("record_type", sorted(NEW_TYPES))
def test_each_new_record_type_converts(clean: tuple[Settings, IngestResult],
                                       record_type: str) -> None:
    settings, _result = clean
    out = settings.data_dir / "ingested" / f"m-{record_type}.ttl"
    g = Graph().parse(out)
    assert list(g.subjects(RDF.type, NEW_TYPES[record_type])), record_type
    for node in set(g.subjects(RDF.type, None)):
        assert g.value(node, KG.confidence) == KG.SingleSource
        assert g.value(node, KG.source) == KGD["src-m"]


def test_the_proceeding_kinds_and_their_parties(clean: tuple[Settings, IngestResult]) -> None:
    g = clean[1].graph
    for cls in PROCEEDING_CLASSES:
        assert list(g.subjects(RDF.type, cls)), cls
    assert g.value(KGD["globex-counterclaim-acme"], KG.counterclaimIn) == KGD["acme-v-globex"]
    action = KGD["matter-of-acme"]
    assert g.value(action, KG.agency) == KGD["example-agency"]
    assert g.value(action, KG.respondent) == KGD.acme
    assert g.value(action, KG.complainant) == KGD.globex
    assert (action, KG.party, None) not in g  # the parties are their subproperties' only
    assert g.value(KGD["appeal-acme-v-globex-state"], KG.appealOf) == KGD["acme-v-globex-state"]
    assert set(g.objects(KGD["bankruptcy-initech"], KG.creditor)) == {KGD.acme, KGD.globex}
    suit = KGD["acme-v-globex"]
    assert set(g.objects(suit, KG.claimType)) == {KG.PatentInfringement, KG.BreachOfContract}
    assert g.value(suit, KG.endStatus) == KG.Ended and g.value(suit, KG.closedDate) is None
    assert g.value(suit, KG.settlementAmount) == Literal("1500000.0", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#decimal"))
    assert g.value(suit, KG.amicus) == KGD.initech
    assert g.value(suit, KG.concernsBody) == KGD["example-consortium"]
    assert (KGD["court-example-state"], RDF.type, KG.StateCourt) in g


def test_ties_with_an_intermediary_and_a_software_licence(
        clean: tuple[Settings, IngestResult]) -> None:
    g = clean[1].graph
    licence = KGD["acme-software-licence-globex"]
    assert (licence, RDF.type, KG.SoftwareLicensing) in g
    assert g.value(licence, KG.licensedItem) == Literal("Globex codec SDK")
    assert g.value(licence, KG.endStatus) == KG.Ended
    assert g.value(KGD["globex-investment-initech"], KG.intermediary) == KGD.acme
    refusal = KGD["globex-refuses-acme-2014-05"]
    assert (refusal, RDF.type, KG.LicenceRefusal) in g
    vocabulary = Vocabulary.from_graph(Graph().parse(ONTOLOGY / "kg.ttl"))
    assert str(KG.Tie) not in vocabulary.lineage(KG.LicenceRefusal)  # it backs nobody
    assert str(KG.Tie) in vocabulary.lineage(KG.SoftwareLicensing)


def test_export_then_ingest_is_isomorphic(clean: tuple[Settings, IngestResult],
                                          tmp_path: Path) -> None:
    _settings, first = clean
    exported = export_tables(first.graph, tmp_path / "out", prefix="rt-")
    assert exported.dropped == 0
    assert set(NEW_TYPES) <= set(exported.files)
    fresh = empty_project(tmp_path / "fresh")
    second = ingest_files(fresh, files_of(tmp_path / "out"))
    assert second.ok, second.summary()
    assert isomorphic(first.graph, second.graph)
    again = export_tables(ingested(fresh), tmp_path / "out2", prefix="rt-")
    for name, path in exported.files.items():
        assert again.files[name].read_bytes() == path.read_bytes(), name


def test_kg_export_csv_then_ingest_gives_the_same_graph(clean: tuple[Settings, IngestResult],
                                                        tmp_path: Path) -> None:
    settings, _result = clean
    out = tmp_path / "tables"
    proc = kg(settings, "export", "--format", "csv", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert {f"{load_schema().types[n].file}.csv" for n in NEW_TYPES} <= \
        {p.name for p in out.glob("*.csv")}
    fresh = empty_project(tmp_path / "fresh")
    result = ingest_files(fresh, files_of(out))
    assert result.ok, result.summary()
    assert isomorphic(ingested(settings), ingested(fresh))
    report = validate_project(fresh)
    assert report.conforms, [r.message for r in report.violations]


# -- what the new rows are for


def test_kg_ids_finds_entities_by_their_alias_rows_and_former_names(
        clean: tuple[Settings, IngestResult]) -> None:
    settings, _result = clean
    for text, kind, wanted in (("Acme Corporation of Delaware", None, "acme"),
                               ("codec case", "LegalProceeding", "acme-v-globex"),
                               ("Initrode", "Company", "initech")):
        args = ["ids", text, "--format", "json"] + (["--kind", kind] if kind else [])
        proc = kg(settings, *args)
        assert proc.returncode == 0, proc.stderr
        rows = json.loads(proc.stdout)
        assert rows and rows[0]["id"] == wanted, (text, rows)


def test_ingested_contributions_feed_the_derived_totals(
        clean: tuple[Settings, IngestResult]) -> None:
    settings, _result = clean
    store = build_store(settings)
    rows = store.select(f"""PREFIX kg: <https://w3id.org/kg/ontology#>
        SELECT ?who ?commits ?rank WHERE {{ GRAPH <{TOTALS_GRAPH}> {{
          ?s a kg:ContributionSummary ; kg:totalOf ?who ;
             kg:totalComponent <{KGD["example-codec"]}> ; kg:totalCommits ?commits .
          OPTIONAL {{ ?s kg:contributorRank ?rank }} }} }}""")
    found = {str(r["who"]): (int(str(r["commits"])), r["rank"]) for r in rows}
    assert found[str(KGD.acme)][0] == 12 and int(str(found[str(KGD.acme)][1])) == 1
    assert found[str(KGD.globex)][0] == 3
    proc = kg(settings, "profile", "acme", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert "contrib-example-codec-repo-example-codec-acme-2014" in proc.stdout


def test_a_participation_is_never_called_a_membership(
        clean: tuple[Settings, IngestResult]) -> None:
    settings, _result = clean
    vocabulary = Vocabulary.from_graph(Graph().parse(ONTOLOGY / "kg.ttl"))
    words = [vocabulary.phrase(KG.Participation), vocabulary.phrase(KG.Participation, short=True)] + [
        vocabulary.phrase(role) for role in (KG.Supporter, KG.Observer, KG.ParticipantRole,
                                             KG.Steward, KG.SpecificationLead, KG.Promoter)]
    assert all(w and "member" not in w.lower() for w in words), words
    proc = kg(settings, "query", "members-by-tier", "-p", "as_of=2020-01-01", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert "globex" not in proc.stdout and "acme" not in proc.stdout
    proc = kg(settings, "profile", "globex", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    about = [r for r in json.loads(proc.stdout) if "participation" in json.dumps(r).lower()
             or "supporter" in json.dumps(r).lower()]
    assert about, proc.stdout
    assert all("member" not in json.dumps(r).lower() for r in about), about


# -- one bad cell per new rule: the error names the file, the row and the column

BAD = [  # (case, file, line, column, value, field, words)
    ("closed-and-end-status", "m-lawsuits.csv", 2, "closed", "2016", "end_status", "not both"),
    ("proceeding-closed-and-end-status", "m-proceedings.csv", 2, "closed", "2016", "end_status", "not both"),
    ("unknown-claim-type", "m-lawsuits.csv", 3, "claims", "unfair-competition;libel", "claims", "not one of"),
    ("unknown-end-status", "m-lawsuits.csv", 2, "end_status", "over", "end_status", "not one of"),
    ("counterclaim-in-not-a-lawsuit", "m-proceedings.csv", 2, "counterclaim_in", "matter-of-acme", "counterclaim_in", "not one of"),
    ("agency-not-an-agency", "m-proceedings.csv", 3, "agency", "court-example", "agency", "not one of"),
    ("agency-action-without-agency", "m-proceedings.csv", 3, "agency", "", "agency", "SHACL AgencyActionShape-agency"),
    ("respondent-also-complainant", "m-proceedings.csv", 3, "complainants", "globex;acme", "complainants", "both"),
    ("debtor-also-creditor", "m-proceedings.csv", 6, "creditors", "acme;initech", "creditors", "both"),
    ("unknown-proceeding-kind", "m-proceedings.csv", 4, "kind", "lawsuit", "kind", "not one of"),
    ("negative-settlement", "m-lawsuits.csv", 2, "settlement_amount", "-5", "settlement_amount", "SHACL"),
    ("intermediary-is-a-party", "m-ties.csv", 3, "intermediary", "globex", "intermediary", "both"),
    ("unknown-tie-kind", "m-ties.csv", 2, "kind", "licence", "kind", "not one of"),
    ("refusal-to-itself", "m-licence-refusals.csv", 2, "to", "globex", "to", "must differ"),
    ("refusal-without-end", "m-licence-refusals.csv", 2, "end_status", "", "end_status", "silently"),
    ("demandant-also-demanded-of", "m-demands.csv", 2, "demanded_of", "globex;acme", "demanded_of", "both"),
    ("demand-without-demanded-of", "m-demands.csv", 2, "demanded_of", "", "demanded_of", "required"),
    ("participant-is-the-body", "m-participations.csv", 3, "body", "globex", "body", "must differ"),
    ("participation-without-end", "m-participations.csv", 3, "end_status", "", "end_status", "silently"),
    ("unknown-participation-role", "m-participations.csv", 2, "role", "gold", "role", "not one of"),
    ("participation-project-not-a-project", "m-participations.csv", 2, "project", "acme", "project", "not one of"),
    ("implemented-work-not-a-work", "m-implementations.csv", 2, "work", "example-standard;acme", "work", "not one of"),
    ("participation-ends-before-start", "m-participations.csv", 2, "end", "2009", "end", "before start"),
    ("repository-of-another-component", "m-contributions.csv", 2, "component", "example-player", "repository", "belongs to"),
    ("contribution-credited-to-nobody", "m-contributions.csv", 3, "contributor", "", "contributor", "give contributor or bucket"),
    ("negative-commits", "m-contributions.csv", 2, "commits", "-3", "commits", "does not look right"),
    ("year-not-a-year", "m-contributions.csv", 2, "year", "14", "year", "does not look right"),
    ("repository-without-component", "m-repositories.csv", 2, "component", "", "component", "required"),
    ("unknown-project-kind", "m-projects.csv", 2, "kind", "library", "kind", "not one of"),
    ("steward-unknown", "m-projects.csv", 3, "steward", "example-consortum", "steward", "did you mean 'example-consortium'"),
    ("component-of-a-component", "m-components.csv", 2, "project", "example-player", "project", "not one of"),
    ("alias-of-unknown-entity", "m-aliases.csv", 2, "entity", "acmee", "entity", "unknown id 'acmee'"),
    ("alias-without-name", "m-aliases.csv", 3, "name", "", "name", "required"),
    ("rename-to-the-same-name", "m-renames.csv", 2, "new_name", "Initrode", "new_name", "must differ"),
    ("rename-of-a-project", "m-renames.csv", 2, "entity", "example-project", "entity", "not one of"),
    ("unknown-organization-kind", "m-organizations.csv", 8, "kind", "county-court", "kind", "not one of"),
]


@pytest.mark.parametrize(("case", "name", "line", "column", "value", "field", "words"), BAD,
                         ids=[b[0] for b in BAD])
def test_a_bad_cell_names_file_row_and_column(
    tmp_path: Path, case: str, name: str, line: int, column: str, value: str, field: str,
    words: str,
) -> None:
    project = empty_project(tmp_path / "p")
    batch = copy_fixtures(tmp_path / "batch")
    set_cell(batch / name, line, column, value)
    result = ingest_files(project, files_of(batch))
    assert result.errors, f"{case}: no error"
    error = result.errors[0]
    assert isinstance(error, InputError), error
    assert (Path(error.path).name, error.row, error.field) == (name, line, field), str(error)
    assert words in str(error), str(error)
    assert not (project.data_dir / "ingested").exists()


def test_did_you_mean_offers_an_entity_by_its_alias_row(tmp_path: Path) -> None:
    project = empty_project(tmp_path / "p")
    assert ingest_files(project, files_of(FIXTURES)).ok
    later = tmp_path / "later"
    later.mkdir()
    (later / "n-participations.csv").write_text(
        "participant,body,role,start,end_status,source,confidence\n"
        "acme-corporation-of-delaware,example-consortium,observer,2019,ongoing,src-m,uncertain\n",
        encoding="utf-8")
    result = ingest_files(project, files_of(later))
    assert len(result.errors) == 1
    assert "did you mean 'acme'" in str(result.errors[0]), str(result.errors[0])


def test_the_proceedings_query_reads_a_patent_suit_without_claim_types_as_patent(
        clean: tuple[Settings, IngestResult]) -> None:
    settings, _result = clean
    proc = kg(settings, "query", "proceedings", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    by = {(r["proceeding"].rsplit("/", 1)[-1], (r.get("claim_type") or "").rsplit("#", 1)[-1])
          for r in rows}
    assert ("reexam-us0000001", "PatentInfringement") in by  # no claim type, a patent: read as patent
    assert ("matter-of-acme", "Antitrust") in by
    kinds = {r["proceeding"].rsplit("/", 1)[-1]: r["kind"].rsplit("#", 1)[-1] for r in rows}
    assert kinds["globex-counterclaim-acme"] == "Counterclaim"  # not also a row as a Lawsuit
    assert kinds["bankruptcy-initech"] == "BankruptcyProceeding"
    ended = [r for r in rows if r["proceeding"].endswith("/acme-v-globex")]
    assert ended and all(r["end_status"].endswith("#Ended") for r in ended)


def test_the_new_party_roles_count_as_parties_of_members(tmp_path: Path) -> None:
    project = empty_project(tmp_path / "p")
    batch = copy_fixtures(tmp_path / "batch")
    (batch / "m-tiers.csv").write_text(
        "id,foundation,label,rank,source,confidence\n"
        "example-consortium-gold,example-consortium,Gold,1,src-m,single-source\n", encoding="utf-8")
    (batch / "m-memberships.csv").write_text(
        "member,foundation,tier,start,end_status,source,confidence\n"
        "initech,example-consortium,example-consortium-gold,2010,ongoing,src-m,single-source\n",
        encoding="utf-8")
    assert ingest_files(project, files_of(batch)).ok
    proc = kg(project, "query", "lawsuits-involving-members", "-p", "foundation=example-consortium",
              "--format", "json")
    assert proc.returncode == 0, proc.stderr
    roles = {(r["suit"].rsplit("/", 1)[-1], r["party"].rsplit("/", 1)[-1], r["role"])
             for r in json.loads(proc.stdout)}
    assert ("bankruptcy-initech", "initech", "debtor") in roles
    assert ("bankruptcy-initech", "acme", "creditor") in roles
    assert not any(party == "initech" and suit == "acme-v-globex" for suit, party, _ in roles)
