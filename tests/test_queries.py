"""Every named query: parses on both engines, has a valid header whose parameters are the
variables it uses, runs on the real data; and the rows the real data must give."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal

from kg.config import Settings
from kg.loading import load_graph
from kg.queries import NamedQuery, bind_params, get_query, list_queries, parse_query_file, select
from kg.stores import Store, build_store
from kg.stores.binding import with_values

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
SETTINGS = Settings(root=ROOT)
KGD = "https://w3id.org/kg/id/"
# sample values for parameters without a default, by name
SAMPLES: dict[str, Any] = {"as_of": "2014-12-31", "entity": "symantec", "fact": "symantec",
                           "component": "nova", "year": 2014, "node": "symantec",
                           "party": "symantec"}
MINE = sorted(p for p in QUERIES.rglob("*.rq") if p.relative_to(QUERIES).parts[0] != "report")


def name_of(path: Path) -> str:
    return path.relative_to(QUERIES).with_suffix("").as_posix()


def params_for(query: NamedQuery) -> dict[str, Any]:
    return {p.name: SAMPLES[p.name] for p in query.params if p.default is None}


@pytest.fixture(scope="module")
def dataset():  # type: ignore[no-untyped-def]
    return load_graph(SETTINGS)


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def store(request: pytest.FixtureRequest, dataset) -> Store:  # type: ignore[no-untyped-def]
    return build_store(SETTINGS.with_store(str(request.param)), dataset)


@pytest.fixture(scope="module")
def rdflib_store(dataset) -> Store:  # type: ignore[no-untyped-def]
    return build_store(SETTINGS.with_store("rdflib"), dataset)


@pytest.fixture(scope="module")
def oxigraph_store(dataset) -> Store:  # type: ignore[no-untyped-def]
    return build_store(SETTINGS, dataset)


def rows(store: Store, name: str, **params: Any) -> list[dict[str, str | None]]:
    result = select(store, get_query(SETTINGS, name), params)
    return [{k: (None if v is None else str(v)) for k, v in row.items()} for row in result]


def has(store: Store, pattern: str) -> bool:
    return store.ask("PREFIX kg: <https://w3id.org/kg/ontology#> "
                     "PREFIX kgd: <https://w3id.org/kg/id/> ASK { " + pattern + " }")


@pytest.mark.parametrize("path", MINE, ids=name_of)
def test_header_is_valid_and_params_are_used(path: Path) -> None:
    query = parse_query_file(path, name_of(path))
    assert query.summary
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", path.stem), "file names are kebab-case"
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
    for variable in re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", body):
        assert re.fullmatch(r"[a-z][a-z0-9_]*", variable), f"?{variable} is not snake_case"
    declared = {p.name for p in query.params}
    assert declared == {p.name for p in query.params if re.search(rf"[?$]{p.name}\b", body)}
    prefixes = set(re.findall(r"^PREFIX\s+([a-z]*):", body, re.MULTILINE))
    used = set(re.findall(r"(?<![\w?$<])([a-z]+):[A-Za-z_]", body)) - {"http", "https"}
    assert used <= prefixes, f"missing PREFIX lines for {sorted(used - prefixes)}"
    if path.parent.name == "checks":
        assert path.stem.endswith("-violation")
    if "ORDER BY" not in body.upper() and query.form == "SELECT":
        if "unordered" not in query.tags:  # the tag says why in the description
            pytest.fail("SELECT queries order their rows (or are tagged unordered)")
        assert "unordered on purpose" in (query.description or "").lower()


@pytest.mark.parametrize("path", MINE, ids=name_of)
def test_parses_on_both_engines(path: Path) -> None:
    import pyoxigraph
    from rdflib.plugins.sparql import prepareQuery

    query = parse_query_file(path, name_of(path))
    text = with_values(query.text, bind_params(query, params_for(query)))
    prepareQuery(text)
    pyoxigraph.Store().query(text)


@pytest.mark.parametrize("path", MINE, ids=name_of)
def test_runs_on_the_real_data(path: Path, oxigraph_store: Store,
                               request: pytest.FixtureRequest) -> None:
    """Every query on the default engine; rdflib runs each of them in
    test_both_engines_give_the_same_rows (all but report/, run here)."""
    query = get_query(SETTINGS, name_of(path))
    store = oxigraph_store
    if query.name.startswith("report/"):
        store = request.getfixturevalue("rdflib_store")
    result = select(store, query, params_for(query))
    assert result.columns
    if path.parent.name == "checks":
        assert [] == [{k: str(v) for k, v in r.items()} for r in result][:5], \
            f"{path.name}: data-quality violations"


COMPARED = [q.name for q in list_queries(SETTINGS) if not q.name.startswith("report/")]


def _rows(store: Store, query: NamedQuery) -> list[tuple[tuple[str, str], ...]]:
    found = select(store, query, params_for(query))
    return sorted(tuple(sorted(_canon(k, v) for k, v in row.items())) for row in found)


@pytest.mark.parametrize("name", COMPARED)
def test_both_engines_give_the_same_rows(name: str, oxigraph_store: Store,
                                         rdflib_store: Store) -> None:
    """rdflib's rows equal Oxigraph's on the real data (one test per query, so that the
    test workers share them: rdflib takes 20 s on the proxy pattern alone)."""
    query = get_query(SETTINGS, name)
    assert _rows(rdflib_store, query) == _rows(oxigraph_store, query), name


def _canon(column: str, value: object) -> tuple[str, str]:
    """GROUP_CONCAT order is engine-defined: compare concatenations as sorted sets."""
    text = "" if value is None else str(value)
    if column in ("sources", "patent_owners", "counterpart", "counterpart_name", "tier_at_filing"):
        text = " ".join(sorted(re.split(r"; |, | ", text)))
    if isinstance(value, Literal) and value.datatype is not None and column in ("commits",):
        text = str(int(value))
    return column, text


# --------------------------------------------------------------------------- expected rows


def test_members_by_tier(oxigraph_store: Store) -> None:
    if not has(oxigraph_store, "?m a kg:Membership ; kg:member kgd:symantec"):
        pytest.skip("curated memberships have not landed yet")
    members = {(r["member"], r["tier_name"]): r for r in
               rows(oxigraph_store, "members-by-tier", as_of=date(2014, 12, 31))}
    assert (KGD + "symantec", "Gold") in members
    assert (KGD + "rackspace", "Platinum") in members
    symantec = members[(KGD + "symantec", "Gold")]
    assert symantec["status_as_of"] == "member"
    assert symantec["sources"]
    later = {r["member"] for r in rows(oxigraph_store, "members-by-tier",
                                       as_of=date(2015, 1, 1))}
    assert KGD + "nebula" not in later
    assert KGD + "symantec" in later


def test_contributions_by_company_nova_2014(oxigraph_store: Store) -> None:
    if not has(oxigraph_store, "?c a kg:Contribution ; kg:toComponent kgd:nova"):
        pytest.skip("the generated OpenStack contributions (data/openstack) have not landed yet")
    found = rows(oxigraph_store, "contributions-by-company", component="nova", year=2014)
    by_name = {r["company_name"]: r for r in found}
    assert found[0]["company_name"] == "Red Hat"
    assert int(by_name["Red Hat"]["commits"] or 0) == 910
    assert int(by_name["IBM"]["commits"] or 0) == 645
    assert by_name["*independent"]["is_bucket"] == "true"
    assert by_name["Red Hat"]["is_bucket"] == "false"
    commits = [int(r["commits"] or 0) for r in found]
    assert commits == sorted(commits, reverse=True)


def test_sponsor_vs_plaintiff_has_the_founding_chain(oxigraph_store: Store) -> None:
    if not has(oxigraph_store, "kgd:clouding-v-rackspace kg:plaintiff ?p"):
        pytest.skip("the curated lawsuits have not landed yet")
    found = rows(oxigraph_store, "sponsor-vs-plaintiff")
    chain = [r for r in found if r["member"] == KGD + "symantec"
             and r["proxy"] == KGD + "clouding-ip" and r["defendant"] == KGD + "rackspace"]
    assert chain and chain[0]["pattern"] == "proxy"
    assert chain[0]["suit"] == KGD + "clouding-v-rackspace"
    assert {r["member_tier"] for r in chain} == {"Gold"}
    assert {r["defendant_tier"] for r in chain} == {"Platinum"}


def test_entity_profile_of_symantec_is_sourced(oxigraph_store: Store) -> None:
    if not has(oxigraph_store, "?m kg:member kgd:symantec"):
        pytest.skip("curated data about Symantec has not landed yet")
    found = rows(oxigraph_store, "entity-profile", entity="symantec")
    assert found
    for row in found:
        assert row["source_url"], row
    assert any(r["fact_type"] and r["fact_type"].endswith("Membership") for r in found)


def test_as_of_cuts_what_started_later(repo_store, settings) -> None:  # type: ignore[no-untyped-def]
    from kg.queries import get_query, select

    def pairs(day: str) -> set[tuple[str, str]]:
        rows = select(repo_store, get_query(settings, "sponsor-vs-plaintiff"), {"as_of": day})
        return {(str(r["member_name"]), str(r["defendant_name"])) for r in rows}

    assert pairs("2014-06-01") == set()          # Symantec joined in Dec 2014
    assert ("Symantec", "Rackspace") in pairs("2014-12-31")
    suits = select(repo_store, get_query(settings, "lawsuits-involving-members"),
                   {"as_of": "2012-05-28"})
    assert "clouding-v-rackspace" not in {str(r["suit"]).rsplit("/", 1)[-1] for r in suits}


def test_as_of_on_profile_and_accusations(repo_store, settings) -> None:  # type: ignore[no-untyped-def]
    from kg.queries import get_query, select

    profile = get_query(settings, "entity-profile")
    early = select(repo_store, profile, {"entity": "symantec", "as_of": "2013-01-01"})
    later = select(repo_store, profile, {"entity": "symantec"})
    assert "membership-symantec-gold-2014" not in {str(r["fact"]).rsplit("/", 1)[-1] for r in early}
    assert "membership-symantec-gold-2014" in {str(r["fact"]).rsplit("/", 1)[-1] for r in later}
    accused = get_query(settings, "patents-against-components")
    assert len(select(repo_store, accused, {"as_of": "2012-01-01"})) == 0   # suits filed 2012-05
    assert len(select(repo_store, accused)) > 0


def test_a_query_file_edited_while_running_is_read_again(tmp_path: Path) -> None:
    (tmp_path / "queries").mkdir()
    path = tmp_path / "queries" / "probe.rq"
    path.write_text("#+ summary: first\nSELECT ?x WHERE { BIND(1 AS ?x) } ORDER BY ?x\n",
                    encoding="utf-8")
    settings = Settings(root=tmp_path)
    first = get_query(settings, "probe")
    assert get_query(settings, "probe") is first  # parsed once
    path.write_text("#+ summary: second, longer\nSELECT ?y WHERE { BIND(2 AS ?y) } ORDER BY ?y\n",
                    encoding="utf-8")
    assert get_query(settings, "probe").summary == "second, longer"


# --------------------------------------------------------------------------- confirmed facts

CONFIRMED_CASES = """
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix kgd: <https://w3id.org/kg/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

kgd:s-reg-1 a kg:Source ; dcterms:publisher "The Register" ; kg:sourceKind kg:NewsReport ;
    kg:url "https://www.theregister.com/a"^^xsd:anyURI .
kgd:s-reg-2 a kg:Source ; dcterms:publisher "The Register" ; kg:sourceKind kg:NewsReport ;
    kg:url "https://theregister.com/b"^^xsd:anyURI .
kgd:s-cio a kg:Source ; dcterms:publisher "CIO Australia" ; kg:sourceKind kg:NewsReport ;
    kg:url "https://www2.cio.com.au/c"^^xsd:anyURI .
kgd:s-gigaom-old a kg:Source ; dcterms:publisher "Gigaom" ;
    kg:url "https://old.gigaom.com/d"^^xsd:anyURI .
kgd:s-gigaom a kg:Source ; dcterms:publisher "Gigaom" ; kg:url "https://gigaom.com/e"^^xsd:anyURI .
kgd:s-blog-a a kg:Source ; kg:url "http://blog.example.org/a"^^xsd:anyURI .
kgd:s-blog-b a kg:Source ; kg:url "http://blog.example.org/b"^^xsd:anyURI .
kgd:s-court a kg:Source ; dcterms:publisher "Justia" ; kg:sourceKind kg:CourtRecord ;
    kg:url "https://law.justia.com/f"^^xsd:anyURI .
kgd:s-registry a kg:Source ; dcterms:publisher "USPTO" ; kg:sourceKind kg:RegistryRecord ;
    kg:url "https://assignment.uspto.gov/g"^^xsd:anyURI .

kgd:one-news kg:confidence kg:Confirmed ; kg:source kgd:s-reg-1 .
kgd:same-publisher kg:confidence kg:Confirmed ; kg:source kgd:s-reg-1, kgd:s-reg-2 .
kgd:same-publisher-other-host kg:confidence kg:Confirmed ;
    kg:source kgd:s-gigaom-old, kgd:s-gigaom .
kgd:same-host-no-publisher kg:confidence kg:Confirmed ; kg:source kgd:s-blog-a, kgd:s-blog-b .
kgd:two-publishers kg:confidence kg:Confirmed ; kg:source kgd:s-reg-1, kgd:s-cio .
kgd:court-record kg:confidence kg:Confirmed ; kg:source kgd:s-court .
kgd:registry-record kg:confidence kg:Confirmed ; kg:source kgd:s-registry .
kgd:single kg:confidence kg:SingleSource ; kg:source kgd:s-reg-1 .
"""


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_confirmed_needs_two_independent_sources_or_a_primary_record(backend: str) -> None:
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    dataset.graph("urn:kg:file:cases.ttl").parse(data=CONFIRMED_CASES, format="turtle")
    store = build_store(SETTINGS.with_store(backend), dataset)
    query = get_query(SETTINGS, "checks/confirmed-without-independent-sources-violation")
    found = {str(row["fact"]).removeprefix(KGD) for row in select(store, query, {})}
    assert found == {"one-news", "same-publisher", "same-publisher-other-host",
                     "same-host-no-publisher"}
