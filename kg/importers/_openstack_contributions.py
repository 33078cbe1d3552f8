"""Per-company commit counts and the organizations they name, as RDF graphs.

Contributors are resolved through the alias table (:mod:`kg.resolution`): a Stackalytics name
that denotes a curated organization points at that organization (``Red Hat`` → ``kgd:redhat``)
and is kept as its ``skos:altLabel``. Other names become ``kg:Company`` nodes of their own. The
four Stackalytics buckets (``*independent`` …) are ``kg:ContributorBucket`` nodes, linked with
``kg:contributorBucket`` instead of ``kg:contributor``, so they are never counted as companies
but their commits still add up per repository.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.errors import InputError
from kg.importers._openstack_governance import CURATION, github_source_iri, repo_iri
from kg.importers._openstack_inputs import CommitRow, RawInputs
from kg.importers._turtle import add_sourced, new_graph
from kg.namespaces import KG, KGD
from kg.resolution import AliasTable

STACKALYTICS_SOURCE = "src-stackalytics-default-data-b2a718656cad"


def slugify(name: str) -> str:
    """Lowercase ASCII, every run of other characters turned into one ``-``.

    >>> slugify("Yahoo! JAPAN"), slugify("Universidade Federal de São Carlos")
    ('yahoo-japan', 'universidade-federal-de-sao-carlos')
    """
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


@dataclass(frozen=True, slots=True)
class Contributor:
    """Who a CSV ``company`` value is: a node, the slug used in contribution IRIs, its kind."""

    name: str
    node: URIRef
    slug: str
    kind: str          # "curated" (merged by the alias table), "company", "raw-domain", "bucket"


def contributors(inputs: RawInputs, table: AliasTable) -> dict[str, Contributor]:
    """Every ``company`` value of the commit table, resolved; slugs are checked to be unique."""
    buckets = {b["name"]: b["id"] for b in inputs.curation["buckets"]}
    first_alias: dict[str, str] = {}
    for row in table.rows:
        if row.kind == "stackalytics":
            first_alias.setdefault(row.entity, row.name)
    found: dict[str, Contributor] = {}
    for name in sorted({row.company for row in inputs.commits}):
        found[name] = _contributor(name, inputs, table, buckets, first_alias)
    _check_unique(found, {row.entity for row in table.rows})
    return found


def _contributor(name: str, inputs: RawInputs, table: AliasTable, buckets: dict[str, str],
                 first_alias: dict[str, str]) -> Contributor:
    if name.startswith("*"):
        if name not in buckets:
            raise InputError(CURATION, f"bucket {name!r} of the commit table is not described",
                             field="buckets")
        return Contributor(name, KGD[buckets[name]], buckets[name], "bucket")
    alias = table.lookup(name)
    if alias is not None:
        slug = alias.entity if first_alias.get(alias.entity) == name else slugify(name)
        return Contributor(name, alias.iri, slug, "curated")
    kind = "company" if name in inputs.stackalytics_companies else "raw-domain"
    return Contributor(name, KGD[slugify(name)], slugify(name), kind)


def _check_unique(found: dict[str, Contributor], curated: set[str]) -> None:
    seen: dict[str, str] = {}
    for name, contributor in found.items():
        if contributor.kind in {"company", "raw-domain"} and contributor.slug in curated:
            raise InputError("data/aliases.csv", f"{name!r} is unresolved but its slug "
                             f"{contributor.slug!r} is a curated organization's IRI")
        earlier = seen.setdefault(contributor.slug, name)
        if earlier != name:
            raise InputError("data/raw/openstack/commits-by-company-year.csv",
                             f"{name!r} and {earlier!r} get the same slug {contributor.slug!r}")


def contribution_iri(row: CommitRow, contributor: Contributor) -> URIRef:
    """``kgd:contrib-<repo-slug>-<org-slug>-<year>``."""
    return KGD[f"contrib-{row.repo.replace('/', '-')}-{contributor.slug}-{row.year}"]


def build_contributions(inputs: RawInputs, table: AliasTable) -> Graph:
    """One ``kg:Contribution`` per CSV row, plus the method and the buckets."""
    graph = new_graph()
    method = _add_method(graph, inputs.curation["method"])
    for bucket in inputs.curation["buckets"]:
        node = KGD[bucket["id"]]
        graph.add((node, RDF.type, KG.ContributorBucket))
        graph.add((node, RDFS.label, Literal(bucket["name"])))
        graph.add((node, KG.description, Literal(bucket["description"])))
    who = contributors(inputs, table)
    for row in inputs.commits:
        _add_contribution(graph, row, who[row.company], method,
                          github_source_iri(inputs, row.repo))
    return graph


def _add_method(graph: Graph, spec: dict[str, Any]) -> URIRef:
    node = KGD[spec["id"]]
    graph.add((node, RDF.type, KG.DerivationMethod))
    graph.add((node, RDFS.label, Literal(spec["label"])))
    graph.add((node, KG.description, Literal(spec["description"])))
    for caveat in spec["caveats"]:
        graph.add((node, KG.caveat, Literal(caveat)))
    return node


def _add_contribution(graph: Graph, row: CommitRow, who: Contributor, method: URIRef,
                      git_source: URIRef) -> None:
    node = contribution_iri(row, who)
    graph.add((node, RDF.type, KG.Contribution))
    plural = "" if row.commits == 1 else "s"
    graph.add((node, RDFS.label, Literal(
        f"{who.name} → {row.repo}, {row.year}: {row.commits} commit{plural}")))
    link = KG.contributorBucket if who.kind == "bucket" else KG.contributor
    graph.add((node, link, who.node))
    graph.add((node, KG.toComponent, KGD[row.component]))
    graph.add((node, KG.viaRepository, repo_iri(row.repo)))
    graph.add((node, KG.year, Literal(row.year, datatype=XSD.integer)))
    graph.add((node, KG.commitCount, Literal(row.commits, datatype=XSD.nonNegativeInteger)))
    graph.add((node, KG.method, method))
    add_sourced(graph, node, [git_source, KGD[STACKALYTICS_SOURCE]],
                KG.Confirmed)


def build_organizations(inputs: RawInputs, table: AliasTable) -> Graph:
    """Companies for unresolved names; ``skos:altLabel`` for every merged name."""
    graph = new_graph()
    repos_of: dict[str, set[str]] = {}
    for row in inputs.commits:
        repos_of.setdefault(row.company, set()).add(row.repo)
    for name, who in sorted(contributors(inputs, table).items()):
        if who.kind == "curated":
            graph.add((who.node, SKOS.altLabel, Literal(name)))
        elif who.kind == "company":
            _add_company(graph, who, [KGD[STACKALYTICS_SOURCE]], KG.SingleSource,
                         "Company name as spelled in Stackalytics' domain mapping; not one of "
                         "the curated organizations (see data/aliases.csv).")
        elif who.kind == "raw-domain":
            sources = [github_source_iri(inputs, repo) for repo in sorted(repos_of[name])]
            _add_company(graph, who, sources, KG.Uncertain,
                         "A raw e-mail domain with no Stackalytics company, used by at least "
                         "two people in these repositories' git history; the organization "
                         "behind it has not been identified.")
    return graph


def _add_company(graph: Graph, who: Contributor, sources: list[URIRef], confidence: URIRef,
                 note: str) -> None:
    graph.add((who.node, RDF.type, KG.Company))
    graph.add((who.node, RDFS.label, Literal(who.name)))
    add_sourced(graph, who.node, sources, confidence, note)
