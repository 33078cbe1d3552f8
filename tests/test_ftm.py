"""FollowTheMoney out and in: every exported entity is valid FtM, the curated data survives
export → import into an empty project, an OpenSanctions-style file shows in `kg profile`, and
bad files are refused with one line naming the file and line, nothing written."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from kg.config import Settings
from kg.derived import stated_graph
from kg.errors import KGError
from kg.ftm import export_ftm, ftm_date, import_ftm
from kg.namespaces import KG
from kg.tabular import table_rows

from .conftest import FIXTURES, run_kg_here

pytest.importorskip("followthemoney")
from followthemoney import model  # noqa: E402

SANCTIONS = FIXTURES / "ftm" / "sanctions.ftm.json"


@pytest.fixture(scope="module")
def curated(repo_store: Any) -> Graph:
    return stated_graph(repo_store)


@pytest.fixture(scope="module")
def exported(curated: Graph) -> list[dict[str, Any]]:
    return export_ftm(curated).entities


@pytest.fixture(scope="module")
def round_trip(exported: list[dict[str, Any]],
               tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """The export imported into a project with an empty data/ folder: its graph."""
    import shutil

    from .conftest import ROOT

    root = tmp_path_factory.mktemp("ftm-round-trip")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "queries", root / "queries")
    (root / "data").mkdir()
    file = root / "kg.ftm.json"
    file.write_text("".join(json.dumps(e) + "\n" for e in exported), encoding="utf-8")
    done = import_ftm(Settings(root=root), [file], dataset="kg",
                      dataset_url="https://example.org/kg")
    assert done.ok, done.summary()
    graph = Graph()
    for ttl in sorted((root / "data" / "ingested").glob("*.ttl")):
        graph.parse(ttl)
    return graph


def _rows(graph: Graph, record_type: str) -> list[dict[str, str]]:
    header, rows, _ = table_rows(graph, record_type)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _names(graph: Graph) -> dict[str, str]:
    return {r["id"]: r["label"] for r in [*_rows(graph, "organizations"),
                                          *_rows(graph, "tiers")]}


def _organizations(graph: Graph) -> set[tuple[str, str]]:
    return {(r["label"], r["kind"]) for r in _rows(graph, "organizations")}


def _memberships(graph: Graph) -> set[tuple[str, ...]]:
    n = _names(graph)
    return {(n[r["member"]], n[r["foundation"]], n.get(r["tier"], ""),
             ftm_date(r["start"]) or "", ftm_date(r["end"]) or "")
            for r in _rows(graph, "memberships")}


def _suits(graph: Graph) -> set[tuple[str, ...]]:
    return {(r["label"], r.get("kind", ""), ftm_date(r["filed"]) or "",
             ftm_date(r["closed"]) or "", r["docket"], r["outcome"])
            for r in [*_rows(graph, "lawsuits"), *_rows(graph, "proceedings")]}


def _parties(graph: Graph) -> set[tuple[str, str, str]]:
    from kg.ftm.mapping import PARTY_ROLES
    from kg.tabular.values import split_list

    n = _names(graph)
    return {(r["label"], column, n[party])
            for r in [*_rows(graph, "lawsuits"), *_rows(graph, "proceedings")]
            for column in PARTY_ROLES for party in split_list(r.get(column, ""))}


def _links(graph: Graph, record_type: str, columns: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Rows of ``record_type`` as tuples: organization ids as names, dates as FtM dates."""
    n = _names(graph)
    return {tuple(n.get(r[c]) or (ftm_date(r[c]) if c in ("start", "end", "date") else r[c])
                  or "" for c in columns) for r in _rows(graph, record_type)}


def test_every_exported_entity_is_valid_ftm(exported: list[dict[str, Any]]) -> None:
    assert len(exported) > 400
    for data in exported:
        proxy = model.get_proxy(data, cleaned=False)
        assert proxy.to_dict()["properties"] == data["properties"], data["id"]
        assert proxy.schema.validate(data) is None, data
        assert all(proxy.get(p) for p in proxy.schema.required), data


def test_the_export_carries_names_sources_confidence_and_dates(
        exported: list[dict[str, Any]]) -> None:
    by_name = {e["properties"]["name"][0]: e for e in exported if "name" in e["properties"]}
    rackspace = by_name["Rackspace"]
    assert rackspace["schema"] == "Company"
    assert rackspace["properties"]["sourceUrl"]
    assert rackspace["properties"]["summary"][0].startswith("kg confidence: ")
    foundation = by_name["OpenStack Foundation"]
    assert foundation["schema"] == "Organization"
    assert foundation["properties"]["classification"] == ["foundation"]
    members = [e for e in exported if e["schema"] == "Membership"
               and e["properties"]["organization"] == [foundation["id"]]
               and e["properties"]["member"] == [rackspace["id"]]]
    assert members and members[0]["properties"]["role"] == ["Platinum"]
    assert members[0]["properties"]["startDate"][0].startswith("20")
    roles = {e["properties"]["role"][0] for e in exported if e["schema"] == "CourtCaseParty"}
    assert {"plaintiff", "defendant"} <= roles


def test_re_export_is_identical(curated: Graph) -> None:
    assert export_ftm(curated).lines() == export_ftm(curated).lines()


def test_round_trip_keeps_organizations_memberships_suits_and_parties(
        curated: Graph, round_trip: Graph) -> None:
    assert _organizations(round_trip) == _organizations(curated)
    assert _memberships(round_trip) == _memberships(curated)
    assert len(_memberships(curated)) > 20
    assert _suits(round_trip) == _suits(curated)
    assert _parties(round_trip) == _parties(curated)
    for record_type, columns in (
            ("seats", ("holder", "body", "kind", "start", "end", "end_status")),
            ("ties", ("kind", "from", "to", "start", "end", "end_status", "description")),
            ("transfers", ("transferor", "transferee", "kind", "date"))):
        assert _links(round_trip, record_type, columns) == _links(curated, record_type, columns)
    assert ("Rackspace", "OpenStack Foundation", "Platinum") in {
        m[:3] for m in _memberships(round_trip)}


def _project(tmp_project: Path, *args: str) -> Any:
    return run_kg_here("--root", str(tmp_project), *args)


def test_an_opensanctions_file_is_ingested_and_shows_in_profile(tmp_project: Path) -> None:
    done = _project(tmp_project, "import-ftm", str(SANCTIONS))
    assert done.returncode == 0, done.stderr
    assert "skipped 1 Vessel entity (kg cannot hold it)" in done.stdout
    assert "skipped 1 Person entity" in done.stdout
    assert "skipped 1 Membership entity (the member is a Person)" in done.stdout
    acme = _profile(tmp_project, "osn-acme-holdings")
    facts = {(f["fact_type"], f["role"], f["counterpart_name"]) for f in acme}
    assert (str(KG.Lawsuit), str(KG.defendant), "PatentCo LLC") in facts  # PatentCo v. Acme
    assert (str(KG.Membership), str(KG.member), "Open Widget Foundation") in facts
    member = next(f for f in acme if f["fact_type"] == str(KG.Membership))
    assert member["start"].startswith("2014-12")
    urls = {f["source_url"] for f in acme if f["fact_type"] == str(KG.Lawsuit)}
    assert "https://www.opensanctions.org/datasets/gb_coh_psc/" in urls  # the dataset
    assert "https://www.courtlistener.com/docket/123/patentco-v-acme/" in urls  # its sourceUrl
    patentco = _profile(tmp_project, "osn-patentco")
    assert (str(KG.plaintiff), "Acme Holdings Ltd") in {(f["role"], f["counterpart_name"])
                                                   for f in patentco}
    out = _project(tmp_project, "export", "--format", "ftm")  # and out again, on stdout
    assert out.returncode == 0, out.stderr
    back = [json.loads(line) for line in out.stdout.splitlines()]
    assert {e["properties"]["name"][0] for e in back if e["schema"] == "CourtCase"} == {
        "PatentCo LLC v. Acme Holdings Ltd"}
    assert sorted(e["properties"]["role"][0] for e in back
                  if e["schema"] == "CourtCaseParty") == ["defendant", "plaintiff"]


def _profile(tmp_project: Path, entity: str) -> list[dict[str, Any]]:
    done = _project(tmp_project, "profile", entity, "--format", "json")
    assert done.returncode == 0, done.stderr
    facts: list[dict[str, Any]] = json.loads(done.stdout)
    return facts


def test_kg_ingest_takes_an_ftm_file_and_re_import_replaces_it(tmp_project: Path) -> None:
    first = _project(tmp_project, "ingest", str(SANCTIONS))
    assert first.returncode == 0, first.stderr
    again = _project(tmp_project, "import-ftm", str(SANCTIONS))
    assert again.returncode == 0, again.stderr
    assert "wrote data/ingested/sanctions-ftm-lawsuits.ttl: 1 lawsuits row(s)" in again.stdout


def test_an_aleph_file_without_datasets_maps_roles_to_the_two_sides_of_a_lawsuit() -> None:
    from kg.ftm.converting import convert
    from kg.ftm.reading import read_entities
    from kg.tabular import load_schema

    entities = read_entities(FIXTURES / "ftm" / "aleph.jsonl")
    tables = convert(entities, load_schema(), dataset=None,
                     dataset_url="https://aleph.example.org/datasets/7")
    [(_, suit)] = tables.rows["lawsuits"]
    assert (suit["label"], suit["plaintiffs"], suit["defendants"], suit["outcome"]) == (
        "Globex v. Initech", "c1", "c2", "settled")  # Claimant, Respondent
    [(_, tie)] = tables.rows["ties"]
    assert (tie["kind"], tie["from"], tie["to"], tie["start"]) == ("ownership", "c1", "c2",
                                                                  "2001")
    [(_, source)] = tables.rows["sources"]
    assert (source["id"], source["url"]) == ("ftm-aleph", "https://aleph.example.org/datasets/7")
    assert dict(tables.skipped) == {"CourtCaseParty (role 'witness')": 1, "Person": 1}


def test_what_kg_cannot_hold_is_counted_with_its_reason(tmp_path: Path) -> None:
    from kg.ftm.converting import convert
    from kg.ftm.reading import read_entities
    from kg.tabular import load_schema

    lines = [
        {"id": "p", "schema": "Person", "properties": {"name": ["Jane Roe"]}},
        {"id": "c", "schema": "Company", "properties": {"name": ["Globex"]}},
        {"id": "k", "schema": "CourtCase", "properties": {"name": ["Roe v. Globex"]}},
        {"id": "k-p", "schema": "CourtCaseParty",
         "properties": {"case": ["k"], "party": ["p"], "role": ["plaintiff"]}},
        {"id": "k-d", "schema": "CourtCaseParty",
         "properties": {"case": ["k"], "party": ["c"], "role": ["defendant"]}},
        {"id": "x-d", "schema": "CourtCaseParty",
         "properties": {"case": ["elsewhere"], "party": ["c"], "role": ["defendant"]}},
        {"id": "v", "schema": "Vessel", "properties": {"name": ["MV Widget"]}},
    ]
    file = tmp_path / "mixed.ftm.json"
    file.write_text("".join(json.dumps(e) + "\n" for e in lines), encoding="utf-8")
    tables = convert(read_entities(file), load_schema(), dataset="x",
                     dataset_url="https://example.org/x")
    assert dict(tables.skipped) == {
        "CourtCase (no plaintiff kg can hold)": 1,
        "CourtCaseParty (the party is a Person)": 1,
        "CourtCaseParty (its case is skipped)": 1,
        "CourtCaseParty (its CourtCase is not in the file)": 1,
        "Person": 1,
        "Vessel": 1,
    }
    assert [r["label"] for _, r in tables.rows["organizations"]] == ["Globex"]


BAD = {
    "not-json": ('{"id": "a", "schema": "Company", "properties": {"name": ["A"]}}\n{not json\n',
                 ":2: not JSON"),
    "unknown-schema": ('{"id": "a", "schema": "Spaceship", "properties": {}}\n',
                       ":1: unknown FtM schema 'Spaceship'"),
    "missing-required": ('{"id": "a", "schema": "Company", "properties": {"name": ["A"]}}\n'
                         '{"id": "m", "schema": "Membership", "properties": {"member": ["a"]}}\n',
                         ":2: field 'organization': a Membership needs organization"),
    "no-dataset-url": ('{"id": "a", "schema": "Company", "properties": {"name": ["A"]}}\n',
                       ":1: the dataset 'no-dataset-url' needs a URL to be a kg source: "
                       "give --dataset-url"),
    "unknown-ref": ('{"id": "m", "schema": "Membership", "properties": {"member": ["ghost"], '
                    '"organization": ["nobody"]}, "datasets": ["x"]}\n',
                    ":1: field 'member': Membership m: "),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_file_is_refused_with_its_line_and_nothing_written(tmp_project: Path,
                                                                 case: str) -> None:
    text, expected = BAD[case]
    file = tmp_project / f"{case}.ftm.json"
    file.write_text(text, encoding="utf-8")
    done = _project(tmp_project, "import-ftm", str(file))
    assert done.returncode == 2
    assert f"{file.name}{expected}" in done.stderr
    assert not (tmp_project / "data" / "ingested").exists() or not list(
        (tmp_project / "data" / "ingested").iterdir())


def test_without_followthemoney_the_commands_say_how_to_install_it(
        monkeypatch: pytest.MonkeyPatch, tmp_project: Path) -> None:
    from kg.ftm import write_ftm

    monkeypatch.setitem(sys.modules, "followthemoney", None)
    with pytest.raises(KGError, match=r"pip install 'kg\[ftm\]'"):
        write_ftm(Graph(), None)
    done = _project(tmp_project, "import-ftm", str(SANCTIONS))
    assert done.returncode == 2
    assert done.stderr.strip() == ("kg: error: FollowTheMoney support needs the followthemoney "
                                   "package: pip install 'kg[ftm]'")
