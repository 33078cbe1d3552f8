"""The findings API of ``kg serve`` on the curated data: the same findings, IDs, reasons and
errors as the CLI, over real HTTP."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import httpx
import pytest

from kg.building import build_persistent
from kg.config import Settings

from .conftest import ROOT, run_kg
from .serving import Running, kg_server

FOUNDING = "litigation:symantec@openstack-foundation"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    path = tmp_path_factory.mktemp("serve-findings") / "store"
    build_persistent(Settings(root=ROOT), path, progress=False)
    with kg_server(path, "--timeout", "20", "--workers", "2", "--no-build") as running:
        yield running


def api(server: Running, route: str, **params: str | list[str]) -> httpx.Response:
    return httpx.get(f"{server.base}{route}", params=params, timeout=60)


def test_findings_equal_the_cli(server: Running) -> None:
    answer = api(server, "/api/findings")
    assert answer.status_code == 200, answer.text
    served = answer.json()
    cli = json.loads(run_kg("conflicts", "--format", "json").stdout)
    assert served["count"] == len(cli) == 1
    assert served["findings"] == cli
    first = served["findings"][0]
    assert first["id"] == FOUNDING and first["severity"] == "high"
    assert isinstance(first["score"], int) and isinstance(first["hypothetical"], bool)
    assert [r["text"] for r in first["reasons"]][:2] == ["recent (126–156 days)",
                                                         "confirmed chain"]


def test_filters_and_one_finding(server: Running) -> None:
    assert api(server, "/api/findings", as_of="2013-06-01").json()["count"] == 0
    assert api(server, "/api/findings", severity="low").json()["count"] == 0
    assert api(server, "/api/findings", pattern="proxy").json()["count"] == 1
    one = api(server, f"/api/findings/{FOUNDING}")
    assert one.status_code == 200 and one.json()["id"] == FOUNDING
    rows = list(csv.DictReader(io.StringIO(api(server, "/api/findings", format="csv").text)))
    assert rows and {r["finding_id"] for r in rows} == {FOUNDING}


def test_whatif_entity_and_search(server: Running) -> None:
    whatif = api(server, "/api/whatif", organization="symantec",
                 tier="openstack-foundation-gold", join_date="2013-06-01").json()
    (finding,) = whatif["findings"]
    assert (finding["temporal_status"], finding["severity"], finding["hypothetical"]) == (
        "active", "high", True)
    entity = api(server, "/api/entities/symantec").json()
    assert entity["label"] == "Symantec" and entity["facts"]
    assert [f["id"] for f in entity["findings"]] == [FOUNDING]
    assert entity["findings"][0]["role"] == "party"
    rackspace = api(server, "/api/entities/rackspace").json()
    assert rackspace["findings"][0]["role"] == "counterparty"
    hits = api(server, "/api/search", q="clouding").json()["results"]
    assert hits[0]["id"] == "clouding-ip"


@pytest.mark.parametrize(("route", "params", "status", "message"), [
    ("/api/findings", {"foundation": "nosuch"}, 404,
     "unknown foundation 'nosuch' (nearest: openstack-foundation)"),
    ("/api/findings/litigation:symantek@openstack-foundation", {}, 404, "nearest: " + FOUNDING),
    ("/api/findings", {"as_of": "20141231"}, 400, "is not a date"),
    ("/api/findings", {"severity": "huge"}, 400, "is not one of high, medium, low"),
    ("/api/findings", {"window": "-3"}, 400, "is not a number of days"),
    ("/api/entities/symantek", {}, 404, "unknown entity 'symantek' (nearest: symantec"),
    ("/api/whatif", {"organization": "oracle"}, 400, "needs 'organization' and 'tier'"),
    ("/api/search", {"q": " "}, 400, "non-empty 'q'"),
])
def test_errors_are_json_with_the_cli_message(server: Running, route: str,
                                              params: dict[str, str], status: int,
                                              message: str) -> None:
    answer = api(server, route, **params)
    assert answer.status_code == status, answer.text
    assert message in answer.json()["error"]


def test_openapi_names_the_findings_routes(server: Running) -> None:
    paths = api(server, "/api/openapi.json").json()["paths"]
    assert {"/api/findings", "/api/findings/{id}", "/api/whatif", "/api/entities/{id}",
            "/api/search"} <= set(paths)


def test_unknown_foundation_is_the_same_message_on_the_cli() -> None:
    result = run_kg("conflicts", "--foundation", "nosuch")
    assert result.returncode == 2
    assert "unknown foundation 'nosuch' (nearest: openstack-foundation)" in result.stderr


def test_the_findings_page_offers_every_pattern(server: Running) -> None:
    from kg.conflicts import patterns

    page = api(server, "/findings")
    assert page.status_code == 200
    for name in patterns(Settings(root=ROOT)):  # the specs, new ones included
        assert f'<option value="{name}"' in page.text, name
