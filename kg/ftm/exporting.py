"""kg's graph → FollowTheMoney entities (JSON lines), built and checked by ``followthemoney``.

The graph is read through the tabular export (:func:`kg.tabular.table_rows`): its record types
are the simplest description of kg's model, and what they leave out this leaves out too. Each
row becomes one FtM entity (a suit also one ``CourtCaseParty`` per party); its sources become
``sourceUrl`` and ``publisher``, its confidence and note the ``summary``. Ids are
``make_id("kg", <kg IRI>, ...)``, so exporting the same graph twice gives the same file.
Record types FtM has no schema for (patents, components, contributions, ...) are counted in
:attr:`FtmExport.left_out`, not written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ..namespaces import KGD
from ..tabular import load_schema, table_rows
from ..tabular.values import slug_of, split_list
from ._model import ftm_model, make_id
from .mapping import (
    ORGANIZATION_SCHEMA,
    PARTICIPATION_STATUS,
    PARTY_ROLES,
    TIE_SCHEMA,
    UNKNOWN_LINK,
)

EXPORTED = ("organizations", "projects", "memberships", "participations", "seats", "lawsuits",
            "proceedings", "ties", "transfers")
_DAY = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
Row = dict[str, str]


@dataclass
class FtmExport:
    """The entities (as FtM dicts, in file order) and the rows of record types not exported."""

    entities: list[dict[str, Any]] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)

    def lines(self) -> str:
        return "".join(json.dumps(e, sort_keys=True, ensure_ascii=False) + "\n"
                       for e in self.entities)

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for e in self.entities:
            counts[e["schema"]] = counts.get(e["schema"], 0) + 1
        wrote = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        lines = [f"wrote {len(self.entities)} FtM entities ({wrote})"]
        if self.left_out:
            skipped = ", ".join(f"{n} {t}" for t, n in sorted(self.left_out.items()))
            lines.append(f"not exported (no FtM schema for them): {skipped}")
        return "\n".join(lines)


def ftm_date(text: str | None) -> str | None:
    """A kg date cell as an FtM date: ``2014-12`` stays, EDTF is cut to its known start
    (``2014-12?`` → ``2014-12``, ``2010-12/..`` → ``2010-12``); no earliest day → None.

    >>> ftm_date("2014-12?"), ftm_date("..2014"), ftm_date("2010-08-12/2010-08-13")
    ('2014-12', None, '2010-08-12')
    """
    if not text or text.startswith(".."):
        return None
    found = _DAY.match(text)
    return found.group() if found else None


def _rows(graph: Graph, record_type: str) -> list[Row]:
    header, rows, _dropped = table_rows(graph, record_type)
    return [{k: v for k, v in zip(header, row, strict=True) if v} for row in rows]


class _Builder:
    """Makes the entities of one export; knows the sources and the ids of kg's nodes."""

    def __init__(self, graph: Graph) -> None:
        self.model = ftm_model()
        self.sources = {r["id"]: r for r in _rows(graph, "sources")}
        self.tiers = {r["id"]: r for r in _rows(graph, "tiers")}
        self.orgs = {r["id"]: r for r in _rows(graph, "organizations")}
        self.out: list[dict[str, Any]] = []

    def ref(self, slug: str) -> str:
        return make_id(str(KGD[slug]))

    def entity(self, schema: str, row: Row, *parts: str) -> Any:
        """A new entity with kg's sources and confidence of ``row``."""
        e = self.model.make_entity(schema)
        e.id = make_id(*parts) if parts else self.ref(row["id"])
        for source_id in split_list(row.get("source", "")):
            source = self.sources.get(source_id, {})
            e.add("sourceUrl", source.get("url"))
            e.add("publisher", source.get("publisher"))
        if "confidence" in row:
            note = f". {row['note']}" if row.get("note") else ""
            e.add("summary", f"kg confidence: {row['confidence']}{note}")
        return e

    def dates(self, e: Any, row: Row, start: str = "start", end: str = "end") -> None:
        e.add("startDate", ftm_date(row.get(start)))
        e.add("endDate", ftm_date(row.get(end)))
        e.add("status", row.get("end_status"))

    def keep(self, e: Any) -> None:
        self.out.append(e.to_dict())


def _organization(b: _Builder, row: Row) -> None:
    kinds = split_list(row.get("kind", ""))
    schema = next((ORGANIZATION_SCHEMA[k] for k in kinds if k in ORGANIZATION_SCHEMA),
                  "Organization")
    e = b.entity(schema, row)
    e.add("name", row["label"])
    e.add("alias", split_list(row.get("aliases", "")) + split_list(row.get("legal_names", "")))
    e.add("website", row.get("homepage"))
    _jurisdiction(e, row.get("jurisdiction"))
    e.add("description", row.get("description"))
    e.add("classification", kinds)
    b.keep(e)


def _jurisdiction(e: Any, text: str | None) -> None:
    """kg's jurisdiction is words ("Delaware, United States"); FtM's is a country code."""
    if not text:
        return
    for part in [text, *(p.split("(")[0].strip() for p in text.split(","))]:
        e.add("jurisdiction", part, fuzzy=True, quiet=True)
        if e.get("jurisdiction"):
            return


def _project(b: _Builder, row: Row) -> None:
    e = b.entity("Project", row)
    e.add("name", row["label"])
    e.add("description", row.get("description"))
    e.add("keywords", row.get("kind"))
    b.keep(e)
    if row.get("steward"):
        p = b.entity("ProjectParticipant", row, str(KGD[row["id"]]), "steward")
        p.add("project", e.id)
        p.add("participant", b.ref(row["steward"]))
        p.add("role", "steward")
        b.keep(p)


def _membership(b: _Builder, row: Row) -> None:
    e = b.entity("Membership", row)
    e.add("member", b.ref(row["member"]))
    e.add("organization", b.ref(row["foundation"]))
    tier = b.tiers.get(row.get("tier", ""))
    e.add("role", tier["label"] if tier else None)
    b.dates(e, row)
    b.keep(e)


def _participation(b: _Builder, row: Row) -> None:
    e = b.entity("Membership", row)
    e.add("member", b.ref(row["participant"]))
    e.add("organization", b.ref(row["body"]))
    e.add("role", row["role"])
    b.dates(e, row)
    e.add("status", PARTICIPATION_STATUS)
    b.keep(e)


def _seat(b: _Builder, row: Row) -> None:
    e = b.entity("Directorship", row)
    e.add("director", b.ref(row["holder"]))
    e.add("organization", b.ref(row["body"]))
    e.add("role", row["kind"])
    b.dates(e, row)
    b.keep(e)


def _case(b: _Builder, row: Row, kind: str | None) -> None:
    e = b.entity("CourtCase", row)
    e.add("name", row["label"])
    e.add("caseNumber", row.get("docket"))
    e.add("fileDate", ftm_date(row.get("filed")))
    e.add("closeDate", ftm_date(row.get("closed")))
    court = b.orgs.get(row.get("court") or row.get("forum") or row.get("agency") or "")
    e.add("court", court["label"] if court else None)
    e.add("status", row.get("outcome") or row.get("end_status"))
    e.add("type", kind)
    e.add("category", split_list(row.get("claims", "")))
    e.add("description", row.get("outcome_note"))
    b.keep(e)
    for column, role in PARTY_ROLES.items():
        for party in split_list(row.get(column, "")):
            p = b.entity("CourtCaseParty", row, str(KGD[row["id"]]), role, str(KGD[party]))
            p.add("case", e.id)
            p.add("party", b.ref(party))
            p.add("role", role)
            b.keep(p)


def _tie(b: _Builder, row: Row) -> None:
    schema, source, target = TIE_SCHEMA.get(row["kind"], UNKNOWN_LINK)
    owned = split_list(b.orgs.get(row["to"], {}).get("kind", ""))
    if schema == "Ownership" and ORGANIZATION_SCHEMA.get(owned[0] if owned else "") != "Company":
        schema, source, target = UNKNOWN_LINK  # FtM owns assets: a company, not a foundation
    e = b.entity(schema, row)
    e.add(source, b.ref(row["from"]))
    e.add(target, b.ref(row["to"]))
    e.add("role", row["kind"])
    e.add("description", row.get("description") or row.get("licensed"))
    b.dates(e, row)
    b.keep(e)


def _transfer(b: _Builder, row: Row) -> None:
    e = b.entity("UnknownLink", row)
    e.add("subject", b.ref(row["transferor"]))
    e.add("object", b.ref(row["transferee"]))
    e.add("role", f"patent {row['kind']}")
    e.add("date", ftm_date(row.get("date")))
    e.add("description", "; ".join(split_list(row.get("patents", ""))) or None)
    b.keep(e)


def export_ftm(graph: Graph) -> FtmExport:
    """The graph's organizations, projects, memberships, participations, seats, suits,
    proceedings, ties and patent transfers as FtM entities."""
    b = _Builder(graph)
    for row in b.orgs.values():
        _organization(b, row)
    for name, write in (("projects", _project), ("memberships", _membership),
                        ("participations", _participation), ("seats", _seat),
                        ("ties", _tie), ("transfers", _transfer)):
        for row in _rows(graph, name):
            write(b, row)
    for row in _rows(graph, "lawsuits"):
        _case(b, row, None)
    for row in _rows(graph, "proceedings"):
        _case(b, row, row["kind"])
    return FtmExport(b.out, _left_out(graph))


def _left_out(graph: Graph) -> dict[str, int]:
    schema, counts = load_schema(), {}
    for name, rt in schema.types.items():
        if name in (*EXPORTED, "sources", "tiers"):
            continue
        nodes = {s for cls in schema.classes_of(rt) for s in graph.subjects(RDF.type, cls)
                 if isinstance(s, URIRef) and slug_of(s)}
        if nodes:
            counts[name] = len(nodes)
    return counts


def write_ftm(graph: Graph, output: Path | None) -> tuple[str | None, FtmExport]:
    """Write the entities to ``output`` (JSON lines) or return them as text for stdout."""
    export = export_ftm(graph)
    text = export.lines()
    if output is None:
        return text, export
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    return None, export
