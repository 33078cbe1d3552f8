"""`kg demo` end to end: the case file a board reads, the same bytes on every run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kg.casefile import run_demo
from kg.config import Settings

from .conftest import ROOT


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    outs = []
    for name in ("one", "two"):
        out = tmp_path_factory.mktemp(name)
        assert run_demo(Settings(root=ROOT), out, echo=lambda _: None) == 0
        outs.append(out)
    return outs[0], outs[1]


def test_two_runs_write_byte_identical_reports(two_runs: tuple[Path, Path]) -> None:
    one, two = two_runs
    for name in ("report.md", "report.html", "conflicts.json"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    timings = json.loads((one / "timings.json").read_text())
    assert set(timings) >= {"load", "validate", "conflicts", "render"}
    assert "Timings" not in (one / "report.md").read_text()
    # the top-ranked finding's timeline: in both reports, drawn the same both times
    (timeline,) = [p.relative_to(one) for p in (one / "findings").glob("*-timeline.png")]
    assert (one / timeline).read_bytes() == (two / timeline).read_bytes()
    assert f"]({timeline.as_posix()})" in (one / "report.md").read_text()
    assert f'src="{timeline.as_posix()}"' in (one / "report.html").read_text()


def test_the_report_opens_with_the_ranked_summary_and_the_digests(
        two_runs: tuple[Path, Path]) -> None:
    out = two_runs[0]
    text = (out / "report.md").read_text()
    findings = json.loads((out / "conflicts.json").read_text())
    head = text.split("## Summary", 1)[0]
    assert re.search(r"data: \d+ files, \d+ triples, sha256 [0-9a-f]{16}", head)
    assert re.search(r"queries: \d+ files, sha256 [0-9a-f]{16}", head)
    assert "kg version: " in head
    summary = text.split("## Summary\n", 1)[1].split("\n## ", 1)[0]
    ids = re.findall(r"\]\(#([^)]+)\) in ", summary)
    by_id = {f["id"]: f for f in findings}
    assert ids and set(ids) == set(by_id)
    scores = [by_id[i]["score"] for i in ids]
    assert scores == sorted(scores, reverse=True)
    # each finding has its anchor, and the HTML the same order
    page = (out / "report.html").read_text()
    assert [m for m in re.findall(r'<section class="finding" id="([^"]+)">', page)] == ids
    # the top-ranked finding's picture, named by its ID
    from kg.report import safe_name

    assert (out / "findings" / f"{safe_name(ids[0])}.svg").is_file()
    assert all((out / "findings" / f"{safe_name(i)}.png").is_file() for i in ids)


def test_each_fact_is_listed_once(two_runs: tuple[Path, Path]) -> None:
    text = (two_runs[0] / "report.md").read_text()
    facts = text.split("## Facts\n", 1)[1].split("\n## ", 1)[0]
    names = re.findall(r'^\| <a id="fact-\d+"></a>\d+ \| `([^`]+)`', facts, re.M)
    assert names and len(names) == len(set(names))
    findings = json.loads((two_runs[0] / "conflicts.json").read_text())
    used = {e["fact"].rsplit("/", 1)[-1] for f in findings for e in f["evidence"]}
    assert {n.replace("\\", "") for n in names} == used


def test_no_case_data_in_the_casefile_code() -> None:
    code = (ROOT / "kg" / "casefile.py").read_text().lower()
    for slug in ("symantec", "clouding", "rackspace", "openstack"):
        assert slug not in code
