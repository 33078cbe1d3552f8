"""The command line as a user runs it: exit codes, one clear line on bad input, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import ROOT, run_kg


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
