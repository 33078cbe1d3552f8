"""The command line as a user runs it: exit codes, one clear line on bad input, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import ROOT, run_kg, run_kg_here


def assert_clean_error(proc, *needles: str) -> None:  # type: ignore[no-untyped-def]
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_malformed_turtle_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix kgd: <https://w3id.org/kg/id/> .\n\nkgd:a kgd:b \"open .\n")
    assert_clean_error(run_kg("validate", str(bad)), f"{bad}:3:", "Turtle syntax error")


def test_missing_file() -> None:
    assert_clean_error(run_kg("validate", "no/such/file.ttl"), "no/such/file.ttl", "no such file")


def test_unknown_query() -> None:
    assert_clean_error(run_kg("query", "no-such-query"), "no query named 'no-such-query'")


def test_bad_parameter_value() -> None:
    proc = run_kg("query", "contributions-by-company", "-p", "component=nova", "-p", "year=twenty")
    assert_clean_error(proc, "parameter 'year' (integer)", "'twenty'")


def test_unknown_parameter() -> None:
    proc = run_kg("query", "contributions-by-company", "-p", "colour=blue")
    assert_clean_error(proc, "no parameter 'colour'")


def test_parameter_without_equals() -> None:
    assert_clean_error(run_kg("query", "contributions-by-company", "-p", "year"), "key=value")


def test_unknown_option_is_a_usage_error() -> None:
    assert_clean_error(run_kg("conflicts", "--colour"), "--colour")


def test_not_a_project(tmp_path: Path) -> None:
    assert_clean_error(run_kg("--root", str(tmp_path), "queries"), "no data/ folder")


def test_validate_whole_graph_conforms() -> None:
    proc = run_kg("validate")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "conforms" in proc.stderr


def test_validate_file_with_a_violation_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "violation.ttl"
    bad.write_text(
        "@prefix kg: <https://w3id.org/kg/ontology#> .\n"
        "@prefix kgd: <https://w3id.org/kg/id/> .\n"
        "kgd:membership-nobody a kg:Membership ; kg:foundation kgd:openstack-foundation .\n"
    )
    proc = run_kg("validate", str(bad), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    results = json.loads(proc.stdout)
    assert results and all(r["focus_node"].endswith("membership-nobody") for r in results)
    assert any("source" in r["message"].lower() for r in results)


def test_validate_without_pyshacl_turbo(tmp_project: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The default falls back to pySHACL and says so; --engine fast is one clear error."""
    import sys

    import kg.validation

    (tmp_project / "data" / "one.ttl").write_text(
        "@prefix kg: <https://w3id.org/kg/ontology#> .\n"
        "@prefix kgd: <https://w3id.org/kg/id/> .\n"
        "kgd:membership-nobody a kg:Membership ; kg:foundation kgd:openstack-foundation .\n")
    monkeypatch.setattr(kg.validation, "fast_engine_available", lambda: False)
    monkeypatch.setitem(sys.modules, "pyshacl_turbo", None)   # import fails
    proc = run_kg_here("--root", str(tmp_project), "validate", "--no-cache", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    assert "pyshacl-turbo is not installed, so validating with pySHACL" in proc.stderr
    assert all(r["focus_node"].endswith("membership-nobody") for r in json.loads(proc.stdout))
    assert_clean_error(run_kg_here("--root", str(tmp_project), "validate", "--engine", "fast",
                                   "--no-cache"), "needs pyshacl-turbo")


def test_validate_refuses_a_triple_term_naming_the_file(tmp_project: Path) -> None:
    star = tmp_project / "data" / "star.ttl"
    star.write_text("@prefix ex: <urn:ex:> .\nex:a ex:b <<( ex:c ex:d ex:e )>> .\n")
    assert_clean_error(run_kg_here("--root", str(tmp_project), "validate"), str(star),
                       "triple term")


def test_queries_lists_every_file() -> None:
    proc = run_kg("queries", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    names = {row["name"] for row in json.loads(proc.stdout)}
    files = {p.relative_to(ROOT / "queries").with_suffix("").as_posix()
             for p in (ROOT / "queries").rglob("*.rq")}
    assert names == files


def test_contributions_json_is_a_list_of_objects_keyed_by_column() -> None:
    proc = run_kg("query", "contributions-by-company", "-p", "component=nova", "-p", "year=2014",
                  "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    red_hat = next(r for r in rows if r.get("company_name") == "Red Hat")
    assert red_hat["commits"] == 910


def test_conflicts_json_shows_the_founding_chain_with_sources() -> None:
    proc = run_kg("conflicts", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    findings = json.loads(proc.stdout)
    chain = next(
        f for f in findings
        if f["pattern"] == "proxy"
        and {"symantec", "clouding-ip", "rackspace"} <= {p.rsplit("/", 1)[-1] for p in f["parties"]}
    )
    facts = " ".join(e["subject"] + " " + e["object"] for e in chain["evidence"])
    for slug in ("symantec", "clouding-ip", "rackspace"):
        assert slug in facts
    assert all(e["sources"] and all(u.startswith("http") for u in e["sources"])
               for e in chain["evidence"])


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_export_round_trips(fmt: str, tmp_path: Path) -> None:
    from rdflib import Graph
    out = tmp_path / f"graph.{fmt}"
    proc = run_kg("export", "--format", fmt, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    parsed = Graph().parse(out, format={"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt])
    assert len(parsed) > 1000


def test_every_command_is_in_the_readme() -> None:
    from kg.cli import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in cli.commands if f"kg {name}" not in readme]
    assert missing == []


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```", 2)[1]
    assert "make demo" in first_block and "make test" in first_block


def test_render_writes_a_picture_of_an_entity(tmp_path: Path) -> None:
    out = tmp_path / "symantec.png"
    proc = run_kg("render", "--entity", "symantec", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_render_needs_a_known_suffix(tmp_path: Path) -> None:
    assert_clean_error(run_kg("render", "--entity", "symantec", "-o", str(tmp_path / "x.gif")),
                       ".png or .svg")


def test_sharded_validation_finds_the_planted_violations(tmp_path: Path) -> None:
    from bench.synthetic import generate

    expected = generate(6000, tmp_path / "g.nt", turtle=False)
    proc = run_kg("validate", "--shard-size", "700", str(tmp_path / "g.nt"), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    found = {r["focus_node"] for r in json.loads(proc.stdout)}
    assert found == {v["focus_node"] for v in expected["violations"]}


# --- issue 9: nothing a user feeds kg crashes it ----------------------------------------------

CRASH = ("import sys, kg.queries as q\n"
         "def boom(*a, **k): raise RuntimeError('planted')\n"
         "q.list_queries = boom\n"
         "from kg.cli import main\nmain(sys.argv[1:])\n")


@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_error_exits_2_in_one_line_and_debug_shows_the_traceback(
        debug: bool) -> None:
    import subprocess
    import sys

    args = ["--debug"] if debug else []
    proc = subprocess.run([sys.executable, "-c", CRASH, *args, "queries"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("kg: error: unexpected RuntimeError: planted"), proc.stderr
    if debug:
        assert "Traceback (most recent call last)" in proc.stderr
    else:
        assert_clean_error(proc, "--debug")


@pytest.mark.parametrize(("value", "words"), [
    ("as_of=2014-W01-1", "'2014-W01-1' is not a valid date (use YYYY-MM-DD)"),
    ("as_of=20141231", "'20141231' is not a valid date"),
    ("as_of=2014-12-31\x01", "U+0001 at position 11 is a control character"),
])
def test_parameters_are_parsed_strictly(value: str, words: str) -> None:
    assert_clean_error(run_kg_here("--root", str(ROOT), "query", "members-by-tier", "-p", value),
                       words)


def test_a_lone_surrogate_is_refused() -> None:
    import os
    import subprocess
    import sys

    arg = os.fsencode("entity=a") + b"\xff"  # not UTF-8: Python sees a lone surrogate
    proc = subprocess.run([os.fsencode(sys.executable), b"-m", b"kg", b"query",
                           b"entity-profile", b"-p", arg], cwd=ROOT, capture_output=True,
                          timeout=120)
    assert proc.returncode == 2
    assert b"is a lone surrogate" in proc.stderr and b"Traceback" not in proc.stderr


@pytest.mark.parametrize(("env", "args", "words"), [
    ({"KG_ENDPOINT": "http://[::1"}, ["--store", "sparql", "query", "foundations"],
     "not a valid URL: Invalid IPv6 URL"),
    ({"KG_TIMEOUT": "soon"}, ["queries"], "KG_TIMEOUT='soon': not a positive number"),
    ({}, ["build", "/proc/x"], "/proc/x: cannot make a store here"),
])
def test_bad_settings_are_one_clear_line(env: dict[str, str], args: list[str],
                                         words: str) -> None:
    monkeypatch = pytest.MonkeyPatch()
    with monkeypatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        assert_clean_error(run_kg_here("--root", str(ROOT), *args), words)


def test_a_server_that_never_answers_costs_the_timeout_only(tmp_path: Path) -> None:
    import socket
    import time

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections (the kernel does) and never answers
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        started = time.monotonic()
        proc = run_kg_here("--root", str(ROOT), "--store", "sparql", "--endpoint", url,
                           "--timeout", "1", "query", "foundations")
        assert time.monotonic() - started < 30
        assert_clean_error(proc, "no answer within 1 s")
    finally:
        silent.close()


def test_a_binary_query_file_is_one_clear_line(tmp_project: Path) -> None:
    (tmp_project / "queries" / "blob.rq").write_bytes(b"#+ summary: x\n\x00\xff\xfe binary")
    assert_clean_error(run_kg_here("--root", str(tmp_project), "query", "blob"), "blob.rq:2:2",
                       "not UTF-8")


def test_a_root_with_data_but_no_ontology_is_not_a_project(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    assert_clean_error(run_kg_here("--root", str(tmp_path), "validate"), "no ontology/")


def test_validate_and_query_reject_what_build_rejects_with_the_same_line(
        tmp_project: Path) -> None:
    (tmp_project / "data" / "bad.ttl").write_text(
        "@prefix kg: <https://w3id.org/kg/ontology#> .\n<not an iri> a kg:Membership .\n")
    lines = set()
    for args in (["validate"], ["build"], ["query", "foundations"], ["conflicts"]):
        proc = run_kg_here("--root", str(tmp_project), *args)
        assert_clean_error(proc, "bad.ttl:2:1: Turtle syntax error: Invalid IRI code point")
        lines.add(proc.stderr)
    assert len(lines) == 1


def test_a_file_name_with_spaces_and_symbols_works_end_to_end(tmp_project: Path,
                                                              tmp_path: Path) -> None:
    import shutil

    case = ROOT / "examples" / "new-case"
    odd = tmp_path / "in" / "my orgs #1 100% 'q' é-organizations.csv"
    odd.parent.mkdir()
    shutil.copy(case / "example-organizations.csv", odd)
    others = [str(p) for p in sorted(case.glob("*.csv")) if "organizations" not in p.name]
    root = ["--root", str(tmp_project)]
    proc = run_kg_here(*root, "ingest", str(odd), *others)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_project / "data" / "ingested" / "my orgs #1 100% 'q' é-organizations.ttl").is_file()
    found = run_kg_here(*root, "conflicts", "--foundation", "example-standards-body",
                   "--format", "json")
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout), "the example case has findings"
    profile = run_kg_here(*root, "profile", "example-widgets", "--format", "json")
    assert profile.returncode == 0 and "example-widgets" in profile.stdout, profile.stderr
    built = run_kg_here(*root, "build")
    assert built.returncode == 0, built.stderr
    stored = run_kg_here(*root, "--store-path", str(tmp_project / "build" / "store"), "profile",
                    "example-widgets", "--format", "json")
    assert json.loads(stored.stdout) == json.loads(profile.stdout)


def test_csv_export_neutralises_formulas_and_ingest_takes_them_back(tmp_project: Path,
                                                                   tmp_path: Path) -> None:
    import csv
    import shutil

    case = tmp_path / "case"
    shutil.copytree(ROOT / "examples" / "new-case", case)
    orgs = case / "example-organizations.csv"
    orgs.write_text(orgs.read_text(encoding="utf-8").replace(
        "A fictional member company.", "\"'=cmd|' /C calc'!A0\"", 1), encoding="utf-8")
    root = ["--root", str(tmp_project)]
    assert run_kg_here(*root, "ingest", *map(str, sorted(case.glob("*.csv")))).returncode == 0
    before = run_kg_here(*root, "export", "--format", "nt").stdout
    assert '"=cmd|\' /C calc\'!A0"' in before
    out = tmp_path / "out"
    assert run_kg_here(*root, "export", "--format", "csv", "-o", str(out)).returncode == 0
    cells = [c for row in csv.reader((out / "organizations.csv").open()) for c in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not any(c[:1] in ("=", "+", "-", "@", "\t", "\r") for c in cells)
    shutil.rmtree(tmp_project / "data" / "ingested")
    assert run_kg_here(*root, "ingest", *map(str, sorted(out.glob("*.csv")))).returncode == 0
    after = run_kg_here(*root, "export", "--format", "nt").stdout
    from rdflib import Graph
    from rdflib.compare import isomorphic

    assert isomorphic(Graph().parse(data=before, format="nt"),
                      Graph().parse(data=after, format="nt"))


def test_ids_finds_the_existing_oracle_organization() -> None:
    proc = run_kg_here("ids", "oracle", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    assert found[0]["id"] == "oracle", found[:3]  # the exact match ranks first
    assert found[0]["label"] == "Oracle" and "Company" in found[0]["kinds"]
    assert "Oracle Corp." in found[0]["aliases"]
    table = run_kg_here("ids", "ORACLE", "--format", "csv").stdout.splitlines()
    assert table[0] == "id,label,kinds,aliases"
    assert table[1].startswith("oracle,Oracle,")
    typo = json.loads(run_kg_here("ids", "oracel", "--format", "json").stdout)
    assert typo[0]["id"] == "oracle"  # a close match when nothing contains the text


def test_ids_of_one_kind_lists_only_that_kind() -> None:
    proc = run_kg_here("ids", "--kind", "Lawsuit", "clouding", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    assert {"clouding-v-oracle", "clouding-v-rackspace"} <= {e["id"] for e in found}
    assert all(e["kinds"] == ["Lawsuit"] for e in found), found
    assert "clouding-ip" not in {e["id"] for e in found}  # the company, not a lawsuit
    lower = json.loads(run_kg_here("ids", "--kind", "lawsuit", "clouding",
                                   "--format", "json").stdout)
    assert lower == found
    wider = json.loads(run_kg_here("ids", "--kind", "LegalProceeding", "--format", "json").stdout)
    kinds = {k for e in wider for k in e["kinds"]}
    assert {"Lawsuit", "InterPartesReview"} <= kinds  # the classes below LegalProceeding
    rows = list(__import__("csv").DictReader(
        run_kg_here("ids", "--kind", "lawsuit", "clouding", "--format", "csv").stdout
        .splitlines()))
    assert [r["id"] for r in rows] == [e["id"] for e in found]


def test_ids_with_an_unknown_kind_is_one_clear_line() -> None:
    assert_clean_error(run_kg_here("ids", "--kind", "Lawsut", "x"),
                       "unknown kind 'Lawsut'", "Lawsuit")
