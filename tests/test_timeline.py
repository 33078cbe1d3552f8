"""kg.rendering.timeline: the bars a timeline is drawn from, and the picture (SVG text, PNG)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kg.conflicts import find_conflicts, find_finding
from kg.findings import Finding
from kg.rendering.timeline import Bar, draw_entity_timeline, draw_finding_timeline, finding_bars

from .conftest import run_kg_here

FOUNDING = "litigation:symantec@openstack-foundation"
K = "https://w3id.org/kg/id/"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def founding(repo_store: Any, settings: Any) -> Finding:
    return find_finding(find_conflicts(repo_store, settings), FOUNDING)


@pytest.fixture(scope="module")
def bars(repo_store: Any, settings: Any, founding: Finding) -> list[Bar]:
    return finding_bars(repo_store, settings, founding)


def test_the_founding_finding_has_the_gold_membership_seat_and_the_clouding_suits(
        bars: list[Bar]) -> None:
    by_fact = {b.fact.removeprefix(K): b for b in bars}
    gold = by_fact["membership-symantec-gold-2014"]
    assert (gold.kind, gold.party_label, gold.relation) == ("membership", "Symantec",
                                                          "Gold member")
    assert (gold.start, gold.start_precision) == (date(2014, 12, 1), "month")
    assert gold.when.startswith("2014-12") and gold.end_status == "unknown"
    assert any(b.kind == "governance" and b.party_label == "Symantec" for b in bars)
    suits = [b for b in bars if b.kind == "lawsuit"]
    assert suits and all(b.relation.startswith("Clouding IP sued ") for b in suits)
    assert {b.start.year for b in suits if b.start} == {2012, 2013}
    assert "Clouding IP sued Jungle Disk, Rackspace" in {b.relation for b in suits}
    rackspace = next(b for b in suits if "Rackspace" in b.relation)
    assert rackspace.when == "2012-05-29 – 2014-07-28 · dismissed, no standing"
    # a year-precision filing is said as a year
    assert any(b.when.startswith("2013 – ") for b in suits)
    # only the finding's foundation and suits; the party first, the suits last
    assert bars[0].party_label == "Symantec" and bars[-1].kind == "lawsuit"
    parties = [b.party_label for b in bars if b.kind != "lawsuit"]
    # Oracle: a corporate sponsor by July 2015 (start unknown), a co-member sued since the fix
    assert set(parties) <= {"Symantec", "AT&T", "EMC", "HP", "Oracle", "Rackspace", "VMware"}
    emc_gold = by_fact["membership-emc-gold-by-2014-12"]
    assert emc_gold.when == "by December 2014 – end unknown"
    emc_sponsor = by_fact["membership-emc-corporate-sponsor-2012"]
    assert emc_sponsor.when == "2012-12 – by December 2014"


def test_the_svg_names_the_parties_and_dates_and_marks_the_as_of_day(
        repo_store: Any, settings: Any, founding: Finding, tmp_path: Path) -> None:
    plain = draw_finding_timeline(repo_store, settings, founding, tmp_path / "plain.svg")
    text = plain.read_text()
    for words in ("Symantec: Gold member", "2014-12", "Clouding IP sued AT&amp;T",
                  "Rackspace", "2012-05-29", "2013 – ", "membership", "legal proceeding",
                  "date precision", FOUNDING):
        assert words in text, words
    assert "as of" not in text
    marked = draw_finding_timeline(repo_store, settings, founding, tmp_path / "as-of.svg",
                                   as_of=date(2014, 12, 31))
    assert "as of 2014-12-31" in marked.read_text()
    again = draw_finding_timeline(repo_store, settings, founding, tmp_path / "again.svg",
                                  as_of=date(2014, 12, 31))
    assert again.read_bytes() == marked.read_bytes()


def test_png_of_an_entity_and_the_command_line(repo_store: Any, settings: Any,
                                               tmp_path: Path) -> None:
    out = draw_entity_timeline(repo_store, settings, K + "symantec", "Symantec",
                               tmp_path / "symantec.png", as_of=date(2014, 12, 31))
    data = out.read_bytes()
    assert data.startswith(PNG_MAGIC)
    width = int.from_bytes(data[16:20], "big")
    assert 1200 <= width <= 3000
    svg = tmp_path / "cli.svg"
    result = run_kg_here("render", "--timeline", "--finding", FOUNDING, "-o", str(svg))
    assert result.returncode == 0, result.stderr
    assert "Symantec: Gold member" in svg.read_text()
    result = run_kg_here("render", "--timeline", "--entity", "rackspace", "--as-of",
                         "2014-07-28", "-o", str(tmp_path / "rackspace.png"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "rackspace.png").read_bytes().startswith(PNG_MAGIC)
