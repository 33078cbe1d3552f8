"""The alias table and the resolver (kg.resolution)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.namespaces import KGD
from kg.resolution import load_aliases, normalize_name, parse_aliases, resolution_report

ROOT = Path(__file__).resolve().parents[1]
ALIASES = ROOT / "data" / "aliases.csv"
RAW = ROOT / "data" / "raw" / "openstack"
CURATED_IDS = frozenset("""
    openstack-foundation rackspace nasa symantec clouding-ip clouding-corp marathon ipnav
    parallel-iron uniloc rotatable redhat hp ibm att emc vmware netapp mirantis oin
    unified-patents canonical suse nebula intel nec cisco clearpath cloudscaling dell dreamhost
    itri morphlabs piston yahoo ericsson juniper fujitsu parallels aptira huawei google citrix
    oracle amazon apple microsoft ca dropbox sap verizon terremark
""".split())
HEADER = "name,entity,kind,note"


@pytest.fixture(scope="module")
def table():
    return load_aliases(ALIASES)


@pytest.fixture(scope="module")
def commit_names() -> list[str]:
    with (RAW / "commits-by-company-year.csv").open(encoding="utf-8") as handle:
        return sorted({r["company"] for r in csv.DictReader(handle)
                       if not r["company"].startswith("*")})


@pytest.mark.parametrize(("name", "entity"), [
    ("Symantec Corporation", "symantec"),
    ("Symantec", "symantec"),
    ("Clouding IP, LLC", "clouding-ip"),
    ("Stec IP, LLC", "clouding-ip"),
    ("STEC IP", "clouding-ip"),
    ("Hewlett-Packard Company", "hp"),
    ("HP", "hp"),
    ("Red Hat, Inc.", "redhat"),
    ("Red Hat", "redhat"),
    ("Rackspace Hosting, Inc.", "rackspace"),
    ("Rackspace US, Inc.", "rackspace"),
    ("AT&T Mobility LLC", "att"),
    ("AT&T Corp.", "att"),
    ("AT&T", "att"),
    ("EMC Corporation", "emc"),
    ("VMware, Inc.", "vmware"),
    ("Citrix Systems", "citrix"),
])
def test_founding_organizations_resolve(table, name, entity):
    assert table.resolve(name) == KGD[entity]


@pytest.mark.parametrize("name", ["HPE", "Dell EMC", "ubuntu.com", "Yahoo! JAPAN", "Veritas",
                                  "Acme Widgets"])
def test_names_kept_apart_do_not_resolve(table, name):
    assert table.resolve(name) is None


def test_normalisation_folds_case_punctuation_and_legal_suffixes():
    assert normalize_name("RED HAT, INC.") == normalize_name("Red Hat") == "redhat"
    assert normalize_name("Symantec Corporation") == "symantec"
    assert normalize_name("Rotatable Technologies LLC") == "rotatabletechnologies"
    assert normalize_name("Universidade Federal de São Carlos").endswith("saocarlos")
    assert normalize_name("Company") == "company"  # a suffix alone is kept


def test_every_entity_is_a_curated_organization(table):
    assert {row.entity for row in table.rows} <= CURATED_IDS


def test_stackalytics_names_exist_in_the_stackalytics_data(table, commit_names):
    with (RAW / "company-domains.csv").open(encoding="utf-8") as handle:
        known = {r["company"] for r in csv.DictReader(handle)} | set(commit_names)
    rows = [r for r in table.rows if r.kind in {"stackalytics", "distinct"}]
    assert [r.name for r in rows if r.name not in known] == []


def test_report_merges_unresolved_and_near_misses(table, commit_names):
    report = resolution_report(commit_names, table)
    merged = {m.name: m.entity for m in report.merged}
    assert merged["Red Hat"] == "redhat" and merged["Symantec"] == "symantec"
    assert merged["HP"] == "hp" and "HPE" not in merged
    assert {"HPE", "Dell EMC", "ubuntu.com"} <= set(report.unresolved)
    assert not set(merged) & set(report.unresolved)
    pairs = {(n.name, n.entity) for n in report.near_misses}
    assert {("HPE", "hp"), ("ubuntu.com", "canonical"), ("Dell EMC", "emc"),
            ("Dell EMC", "dell")} <= pairs


def test_near_misses_found_by_similarity_without_a_reviewed_row():
    table = parse_aliases([HEADER, "HP,hp,stackalytics,", "EMC,emc,fact-base,"])
    report = resolution_report(["HPE", "Dell EMC", "Zeta"], table)
    found = {(n.name, n.entity, n.reason) for n in report.near_misses}
    assert found == {("HPE", "hp", "similar"), ("Dell EMC", "emc", "contains")}
    assert report.unresolved == ("Dell EMC", "HPE", "Zeta")


def _write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "aliases.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("rows", "row", "field"), [
    (["Red Hat,redhat,stackalytics,", "Acme,acme,nickname,"], 3, "kind"),
    (["Red Hat,redhat,stackalytics,", ",acme,caption,"], 3, "name"),
    (["Red Hat,,stackalytics,"], 2, "entity"),
    (["Red Hat,redhat,,"], 2, "kind"),
    (["Red Hat,Red Hat,stackalytics,"], 2, "entity"),
    (["Red Hat,redhat,stackalytics,", "x,y,caption,", "RED HAT INC,ibm,caption,"], 4, "name"),
    (["HP,hp,stackalytics,", "HP,hp,distinct,contradiction"], 3, "entity"),
])
def test_bad_rows_name_file_row_and_field(tmp_path, rows, row, field):
    path = _write(tmp_path, *rows)
    with pytest.raises(InputError) as caught:
        load_aliases(path)
    error = caught.value
    assert (error.path, error.row, error.field) == (str(path), row, field)
    assert str(path) in str(error) and f":{row}" in str(error) and field in str(error)


def test_bad_header_is_row_1(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("name,iri,kind,note\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_aliases(path)
    assert caught.value.row == 1


def test_one_name_may_be_kept_apart_from_several_entities():
    table = parse_aliases([HEADER, "Dell EMC,dell,distinct,", "Dell EMC,emc,distinct,"])
    assert table.resolve("Dell EMC") is None
    assert [r.entity for r in table.distinct_from("Dell EMC")] == ["dell", "emc"]
