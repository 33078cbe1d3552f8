"""FtM entities → rows of kg's tabular record types (``kg/tabular/schema.yaml``).

Each fact's ``source`` is its dataset (a ``kg:Dataset`` source) plus the entity's own
``sourceUrl``; its confidence is ``single-source`` (one dataset reports it) unless the entity
came from ``kg export --format ftm`` and its summary says kg's confidence. What kg cannot hold
(a Person, a Vessel, a link to one, a party in a role kg has no column for) is counted in
:attr:`Tables.skipped` with the reason, never silently lost.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..tabular import Schema
from ..tabular.values import URL_RE, join_list, split_list
from .exporting import ftm_date
from .mapping import (
    IMPORTED_ORGANIZATIONS,
    IMPORTED_TIES,
    LAWSUIT_SIDES,
    PARTICIPATION_STATUS,
    PARTY_ROLES,
    ROLE_SYNONYMS,
    TIE_SCHEMA,
    UNKNOWN_LINK,
)
from .reading import Entity

Row = dict[str, str]
_NOT_SLUG = re.compile(r"[^A-Za-z0-9._-]+")
_KG_SUMMARY = re.compile(r"kg confidence: ([a-z-]+)(?:\. (.*))?", re.DOTALL)
OPENSANCTIONS_DATASET = "https://www.opensanctions.org/datasets/{}/"


def slug(text: str) -> str:
    """An id kg accepts made of FtM text: other characters become '-'.

    >>> slug("NK-2Zb9 xY"), slug("ofac-1234")
    ('NK-2Zb9-xY', 'ofac-1234')
    """
    return _NOT_SLUG.sub("-", text).strip("-._") or "x"


@dataclass
class Tables:
    """Rows by record type, each with the entity it came from; what was skipped, and why."""

    rows: dict[str, list[tuple[Entity, Row]]] = field(default_factory=lambda: defaultdict(list))
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, record_type: str, entity: Entity, row: Row) -> None:
        self.rows[record_type].append((entity, {k: v for k, v in row.items() if v}))

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1


class Converter:
    """Turns the entities of one batch into :class:`Tables`."""

    def __init__(self, schema: Schema, *, stem: str, dataset: str | None,
                 dataset_url: str | None) -> None:
        self.schema = schema
        self.stem = stem  # in source ids: each file's sources are its own (no clash)
        self.dataset = dataset
        self.dataset_url = dataset_url
        self.tables = Tables()
        self.orgs: dict[str, str] = {}  # FtM id → kg id of the organizations imported
        self.org_names: dict[str, str] = {}  # name → kg id
        self.courts: set[str] = set()  # kg ids of courts
        self.agencies: set[str] = set()  # kg ids of government agencies
        self.not_held: dict[str, str] = {}  # FtM id → schema of entities kg cannot hold
        self.sources: dict[str, tuple[Entity, Row]] = {}  # each with the entity citing it first
        self.tiers: dict[str, tuple[Entity, Row]] = {}

    def enum(self, name: str, value: str | None) -> str | None:
        return value if value is not None and value in self.schema.enums[name] else None

    # -- sources --------------------------------------------------------------------------

    def _dataset_source(self, entity: Entity) -> str:
        names = [self.dataset] if self.dataset else list(entity.datasets)
        from_field = not self.dataset and bool(names)
        if not names:
            names = [self.stem]
        ids = []
        for name in names:
            source_id = f"ftm-{self.stem}" + ("" if slug(name) == self.stem else f"-{slug(name)}")
            if source_id not in self.sources:
                url = self.dataset_url or (OPENSANCTIONS_DATASET.format(name) if from_field
                                           else None)
                if url is None:
                    raise InputError(entity.path, f"the dataset {name!r} needs a URL to be a "
                                     "kg source: give --dataset-url", row=entity.line)
                self.sources[source_id] = (entity, {
                    "id": source_id, "url": url, "kind": "dataset",
                    "title": f"FollowTheMoney dataset {name}"})
            ids.append(source_id)
        return ids[0] if len(ids) == 1 else join_list(ids, escape=False)

    def sourced(self, entity: Entity) -> Row:
        """The source, confidence and note cells of a fact from ``entity``."""
        ids = [self._dataset_source(entity)]
        publisher = entity.first("publisher")
        for url in entity.values("sourceUrl"):
            if not URL_RE.fullmatch(url):
                continue
            source_id = f"ftm-{self.stem}-src-{hashlib.sha1(url.encode()).hexdigest()[:12]}"
            self.sources.setdefault(source_id, (entity, {"id": source_id, "url": url,
                                                         "publisher": publisher or ""}))
            ids.append(source_id)
        confidence, note = "single-source", f"FtM {entity.schema} {entity.id}"
        found = _KG_SUMMARY.fullmatch(entity.first("summary") or "")
        if found and self.enum("confidence", found.group(1)):
            confidence, note = found.group(1), found.group(2) or ""
        elif entity.first("summary"):
            note += f": {entity.first('summary')}"
        return {"source": join_list(ids, escape=False), "confidence": confidence, "note": note}

    # -- entities -------------------------------------------------------------------------

    def organization(self, e: Entity) -> None:
        kg_id = slug(e.id)
        kinds = [k for k in e.values("classification") if self.enum("organization-kind", k)]
        kinds = kinds or [IMPORTED_ORGANIZATIONS[e.schema]]
        names = e.values("name")
        label = str(e.proxy.caption) if names else (e.first("alias") or e.id)
        aliases = [n for n in names + e.values("alias") if n != label]
        website = next((w for w in e.values("website") if URL_RE.fullmatch(w)), "")
        self.orgs[e.id] = kg_id
        self.org_names.setdefault(label, kg_id)
        if {"court", "state-court"} & set(kinds):
            self.courts.add(kg_id)
        if "government-agency" in kinds:
            self.agencies.add(kg_id)
        self.tables.add("organizations", e, {
            "id": kg_id, "kind": join_list(kinds, escape=False), "label": label,
            "aliases": join_list(sorted(set(aliases)), escape=True), "homepage": website,
            "jurisdiction": e.first("jurisdiction") or e.first("country") or "",
            "description": e.first("description") or "", **self.sourced(e)})

    def ref(self, e: Entity, prop: str, what: str) -> str | None:
        """The kg id of the entity ``prop`` names; None (and counted) when kg cannot hold it."""
        target = e.first(prop) or ""
        if target in self.not_held:
            self.tables.skip(f"{e.schema} ({what} is a {self.not_held[target]})")
            return None
        return self.orgs.get(target) or slug(target)

    def _dates(self, e: Entity, row: Row, *, only_with_start: bool = False) -> Row:
        statuses = e.values("status")
        start, end = ftm_date(e.first("startDate")), ftm_date(e.first("endDate"))
        status = next((s for s in statuses if self.enum("end-status", s)), None)
        if end:
            status = None
        elif status is None and (start or not only_with_start):
            status = "unknown"
        return {**row, "start": start or "", "end": end or "", "end_status": status or ""}

    def membership(self, e: Entity) -> None:
        member, body = self.ref(e, "member", "the member"), self.ref(e, "organization",
                                                                      "the organization")
        if member is None or body is None:
            return
        role = e.first("role")
        if PARTICIPATION_STATUS in e.values("status") and self.enum("participation-role", role):
            row = {"id": slug(e.id), "participant": member, "body": body, "role": role or ""}
            self.tables.add("participations", e, {**self._dates(e, row), **self.sourced(e)})
            return
        tier = ""
        if role:
            tier = slug(f"{body}-{role}")
            self.tiers.setdefault(tier, (e, {"id": tier, "foundation": body, "label": role,
                                             **self.sourced(e)}))
        row = {"id": slug(e.id), "member": member, "foundation": body, "tier": tier}
        self.tables.add("memberships", e, {**self._dates(e, row), **self.sourced(e)})

    def directorship(self, e: Entity) -> None:
        holder, body = self.ref(e, "director", "the director"), self.ref(e, "organization",
                                                                         "the organization")
        if holder is None or body is None:
            return
        kind = self.enum("seat-kind", e.first("role")) or "board-seat"
        row = {"id": slug(e.id), "holder": holder, "body": body, "kind": kind}
        self.tables.add("seats", e, {**self._dates(e, row), **self.sourced(e)})

    def link(self, e: Entity) -> None:
        _schema, source, target = TIE_SCHEMA.get(IMPORTED_TIES[e.schema], UNKNOWN_LINK) \
            if e.schema != "UnknownLink" else UNKNOWN_LINK
        frm, to = self.ref(e, source, f"the {source}"), self.ref(e, target, f"the {target}")
        if frm is None or to is None:
            return
        role = e.first("role") or ""
        transfer = self.enum("transfer-kind", role.removeprefix("patent "))
        if role.startswith("patent ") and transfer:
            self.tables.add("transfers", e, {
                "id": slug(e.id), "transferor": frm, "transferee": to, "kind": transfer,
                "date": ftm_date(e.first("date")) or "", **self.sourced(e)})
            return
        kind = self.enum("tie-kind", role) or IMPORTED_TIES[e.schema]
        description = e.first("description") or ("" if kind == role else role)
        row = {"id": slug(e.id), "kind": kind, "from": frm, "to": to,
               "description": description}
        self.tables.add("ties", e, {**self._dates(e, row, only_with_start=True),
                                    **self.sourced(e)})

    def project(self, e: Entity, steward: str | None) -> None:
        kind = next((k for k in e.values("keywords") if self.enum("project-kind", k)), "project")
        self.tables.add("projects", e, {
            "id": slug(e.id), "kind": kind, "label": str(e.proxy.caption),
            "steward": steward or "", "description": e.first("description") or "",
            **self.sourced(e)})

    def case(self, e: Entity, parties: list[Entity]) -> None:
        row: dict[str, str] = {"id": slug(e.id), "label": str(e.proxy.caption)}
        by_column: dict[str, list[str]] = defaultdict(list)
        columns = {role: column for column, role in PARTY_ROLES.items()}
        for p in parties:
            role = (p.first("role") or "").strip().lower()
            role = ROLE_SYNONYMS.get(role, role)
            column = columns.get(role) or columns.get(role.removesuffix("s"))
            if column is None:
                self.tables.skip(f"CourtCaseParty (role {role or 'not given'!r})")
                continue
            party = self.ref(p, "party", "the party")
            if party is not None:
                by_column[column].append(party)
        kind = self.enum("proceeding-kind", e.first("type"))
        if kind is None and not any(by_column[c] for c, side in LAWSUIT_SIDES.items()
                                    if side == "plaintiffs"):
            self.tables.skip("CourtCase (no plaintiff kg can hold)")
            kept = sum(len(v) for v in by_column.values())  # the others are counted already
            if kept:
                self.tables.skipped["CourtCaseParty (its case is skipped)"] += kept
            return
        court = self.org_names.get(e.first("court") or "")
        statuses = e.values("status")
        closed = ftm_date(e.first("closeDate"))
        end_status = next((s for s in statuses if self.enum("end-status", s)), "")
        row.update({
            "kind": kind or "", "filed": ftm_date(e.first("fileDate")) or "",
            "closed": closed or "", "docket": e.first("caseNumber") or "",
            **self._forum(court, kind),
            "outcome": next((s for s in statuses if self.enum("outcome", s)), ""),
            "end_status": "" if closed else end_status,
            "claims": join_list([c for c in e.values("category")
                                 if self.enum("claim-type", c)], escape=False),
            "outcome_note": e.first("description") or "",
            **{c: join_list(sorted(set(v)), escape=False) for c, v in by_column.items()},
            **self.sourced(e)})
        if kind is None:
            row.pop("kind")
            self._fold_into_lawsuit(row)
        self.tables.add("proceedings" if kind else "lawsuits", e, row)

    def _forum(self, court: str | None, kind: str | None) -> Row:
        """FtM's ``court`` (a name) as kg's court, the agency of an agency action, or forum."""
        if not court:
            return {}
        if court in self.courts:
            return {"court": court}
        if kind == "agency-action" and court in self.agencies:
            return {"agency": court}
        return {"forum": court}

    def _fold_into_lawsuit(self, row: Row) -> None:
        """A lawsuit has plaintiffs and defendants: a respondent is a defendant, a complainant
        or petitioner a plaintiff; other roles are counted and left out."""
        lawsuit_columns = set(self.schema.types["lawsuits"].column_names)
        for column in [c for c, v in row.items() if v and c not in lawsuit_columns]:
            parties = split_list(row.pop(column))
            side = LAWSUIT_SIDES.get(column)
            if side is None:
                self.tables.skipped[f"CourtCaseParty (a {PARTY_ROLES[column]} in a lawsuit)"] \
                    += len(parties)
                continue
            row[side] = join_list(sorted({*split_list(row.get(side, "")), *parties}),
                                  escape=False)


LEGAL_ENTITIES = tuple(IMPORTED_ORGANIZATIONS)
LINKS = tuple(IMPORTED_TIES)


def convert(entities: list[Entity], schema: Schema, *, dataset: str | None,
            dataset_url: str | None) -> Tables:
    """The rows the entities of one file become (organizations first, so links find them)."""
    c = Converter(schema, stem=output_stem(entities[0].path), dataset=dataset,
                  dataset_url=dataset_url)
    for e in entities:
        if e.schema in LEGAL_ENTITIES:
            c.organization(e)
        elif e.proxy.schema.is_a("Thing") and e.schema not in ("CourtCase", "Project"):
            c.not_held[e.id] = e.schema
    parties, stewards = _gather(c, entities)
    for e in entities:
        _one(c, e, parties, stewards)
    for entity, row in [*c.tiers.values(), *c.sources.values()]:
        c.tables.add("tiers" if "foundation" in row else "sources", entity, row)
    return c.tables


def _gather(c: Converter, entities: list[Entity]
            ) -> tuple[dict[str, list[Entity]], dict[str, str]]:
    """The parties of each case and the steward of each project, by the FtM id of either."""
    parties: dict[str, list[Entity]] = defaultdict(list)
    stewards: dict[str, str] = {}
    for e in entities:
        if e.schema == "CourtCaseParty":
            parties[e.first("case") or ""].append(e)
        elif e.schema == "ProjectParticipant" and e.first("role") == "steward":
            steward = c.ref(e, "participant", "the steward")
            if steward:
                stewards[e.first("project") or ""] = steward
    cases = {e.id for e in entities if e.schema == "CourtCase"}
    for case_id, orphans in parties.items():
        if case_id not in cases:
            c.tables.skipped["CourtCaseParty (its CourtCase is not in the file)"] += len(orphans)
    return parties, stewards


def _one(c: Converter, e: Entity, parties: dict[str, list[Entity]],
         stewards: dict[str, str]) -> None:
    if e.schema in LEGAL_ENTITIES or e.schema == "CourtCaseParty":
        return
    if e.schema == "Membership":
        c.membership(e)
    elif e.schema == "Directorship":
        c.directorship(e)
    elif e.schema in LINKS:
        c.link(e)
    elif e.schema == "CourtCase":
        c.case(e, parties.get(e.id, []))
    elif e.schema == "Project":
        c.project(e, stewards.get(e.id))
    elif e.schema == "ProjectParticipant" and e.first("role") == "steward":
        return
    else:
        c.tables.skip(e.schema)


def output_stem(path: Path) -> str:
    """The name the outputs of an FtM file start with: ``sanctions.ftm.json`` → ``sanctions``."""
    return slug(re.sub(r"(\.ftm)?\.(json|jsonl|ndjson)$", "", path.name))
