"""A deterministic synthetic ecosystem: foundations, members, code, patents and lawsuits.

``generate(n_triples, out, seed=...)`` streams N-Triples (and the same triples as Turtle) to
disk, one entity at a time, so that 10^7 triples never live in Python objects, and writes the
exact expected answers to ``<out>.expected.json``.

How the answers stay exact. The *background* is built so that no conflict pattern can fire
under any reasonable reading of the patterns in DESIGN.md:

- background plaintiffs are patent-assertion entities (``pae-*``) that are never members,
  never hold seats and receive patents and money only from outsiders (``out-*``, ``fund-*``);
- background defendants are members whose every membership is ongoing and who hold no seat,
  or outsiders;
- background accusations name a technology string, never a foundation component;
- members transfer patents and tie only to holding companies (``hold-*``) that never sue;
- only members contribute code (a planted contributor case adds one outsider); governance
  seats go to members that are never sued.

Then every pattern is *planted* with fresh entities, and SHACL violations on fresh nodes with
the property they break. The expected answers are the whole answer: ``findings`` lists every
finding the finder must report, one per conflict (id ``family:party@foundation``, party,
counterparties, intermediaries, temporal status, patterns), and ``near_misses`` the findings
that must not appear (the same shape with an interval that ended more than the recent window
before the suit was filed, and the ``direct`` reading of a ``former`` pair); ``planted`` keeps
the roles and facts of each case. Unplanted data
follows the vocabulary contract (ontology/README.md) so that it conforms.

Run: ``python -m bench.synthetic --triples 1000000 --out bench/work/g1m.nt``.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from kg.namespaces import KG, KGD, PREFIXES, RDF, RDFS, XSD

Obj = str  # an N-Triples term, already formatted
Pairs = list[tuple[str, Obj]]

A = str(RDF.type)
LABEL = str(RDFS.label)
TITLE = PREFIXES["dcterms"] + "title"
PUBLISHER = PREFIXES["dcterms"] + "publisher"
DCDATE = PREFIXES["dcterms"] + "date"
TODAY = "2026-01-01"           # the "today" of what-if questions in expected answers
WINDOW_DAYS = 365              # the finder's default recent window the near misses are outside


def k(local: str) -> str:
    return str(KG[local])


def d(local: str) -> str:
    return str(KGD[local])


def iri(value: str) -> Obj:
    return f"<{value}>"


def lit(value: str) -> Obj:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typed(value: object, datatype: str) -> Obj:
    return f'"{value}"^^<{XSD}{datatype}>'


def date(value: str) -> Obj:
    return typed(value, "date")


def integer(value: int) -> Obj:
    return typed(value, "integer")


class Writer:
    """Streams subject blocks as N-Triples and Turtle, counting triples."""

    def __init__(self, nt: TextIO, ttl: TextIO | None) -> None:
        self.nt, self.ttl, self.count = nt, ttl, 0
        self._prefixes = sorted(((v, p) for p, v in PREFIXES.items()), key=lambda x: -len(x[0]))
        if ttl is not None:
            for p, v in PREFIXES.items():
                ttl.write(f"@prefix {p}: <{v}> .\n")
            ttl.write("\n")

    def _short(self, term: Obj) -> str:
        if term.startswith("<"):
            value = term[1:-1]
            for ns, p in self._prefixes:
                if value.startswith(ns):
                    local = value[len(ns):]
                    if local and local.replace("-", "").replace("_", "").isalnum() \
                            and local[0].isalnum() and local[-1].isalnum():
                        return f"{p}:{local}"
            return term
        if "^^<" in term:
            body, _, dt = term.rpartition("^^")
            return f"{body}^^{self._short(dt)}"
        return term

    def entity(self, subject: str, pairs: Pairs) -> None:
        s = f"<{subject}>"
        self.nt.write("".join(f"{s} <{p}> {o} .\n" for p, o in pairs))
        self.count += len(pairs)
        if self.ttl is not None:
            body = " ;\n    ".join(
                f"{'a' if p == A else self._short('<' + p + '>')} {self._short(o)}"
                for p, o in pairs
            )
            self.ttl.write(f"{self._short(s)} {body} .\n")


@dataclass
class World:
    """What the generator knows while writing: pools of IRIs and the expected answers."""

    rng: random.Random
    w: Writer
    sources: list[str] = field(default_factory=list)
    foundations: list[str] = field(default_factory=list)
    tiers: dict[str, list[str]] = field(default_factory=dict)
    components: dict[str, list[str]] = field(default_factory=dict)
    courts: list[str] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    near_misses: list[dict[str, Any]] = field(default_factory=list)
    planted: list[dict[str, Any]] = field(default_factory=list)
    violations: list[dict[str, Any]] = field(default_factory=list)
    what_if: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    serial: int = 0

    def next(self, prefix: str) -> str:
        self.serial += 1
        self.counts[prefix] = self.counts.get(prefix, 0) + 1
        return d(f"{prefix}-{self.serial:08d}")

    def sourced(self, confidence: str = "Confirmed") -> Pairs:
        src = self.sources[self.rng.randrange(len(self.sources))] if self.sources else d("src-seed")
        return [(k("source"), iri(src)), (k("confidence"), iri(k(confidence)))]


CONFIDENCES = ("Confirmed", "Confirmed", "SingleSource", "Uncertain")
KINDS_OF_SOURCE = ("NewsReport", "CourtRecord", "PrimaryRecord", "GitHistory", "Blog", "Dataset")
TIER_NAMES = ("Platinum", "Gold", "Corporate Sponsor", "Individual")
YEARS = range(2010, 2024)


def rdate(rng: random.Random, y0: int, y1: int) -> str:
    return f"{rng.randint(y0, y1)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


# --- entity writers -------------------------------------------------------------------------

def source(wd: World, slug: str | None = None) -> str:
    s = d(slug) if slug else wd.next("src")
    n = wd.serial
    wd.w.entity(s, [
        (A, iri(k("Source"))),
        (k("url"), typed(f"https://example.org/news/{n}", "anyURI")),
        (TITLE, lit(f"Report {n}")),
        (PUBLISHER, lit(f"Publisher {n % 97}")),
        (DCDATE, date(rdate(wd.rng, 2010, 2023))),
        (k("sourceKind"), iri(k(KINDS_OF_SOURCE[n % len(KINDS_OF_SOURCE)]))),
    ])
    return s


def organization(wd: World, cls: str, prefix: str, label: str | None = None) -> str:
    o = wd.next(prefix)
    wd.w.entity(o, [
        (A, iri(k(cls))),
        (LABEL, lit(label or f"{prefix.capitalize()} {wd.serial}")),
        (k("legalName"), lit(f"{prefix.capitalize()} {wd.serial} Inc.")),
        *wd.sourced(),
    ])
    return o


def membership(wd: World, member: str, foundation: str, start: str,
               end: str | None = None, status: str = "Ongoing", tier: int | None = None,
               confidence: str | None = None) -> str:
    m = wd.next("membership")
    tiers = wd.tiers[foundation]
    pairs: Pairs = [
        (A, iri(k("Membership"))),
        (k("member"), iri(member)),
        (k("foundation"), iri(foundation)),
        (k("tier"), iri(tiers[tier if tier is not None else wd.rng.randrange(3)])),
        (k("startDate"), date(start)),
    ]
    if end:
        pairs.append((k("endDate"), date(end)))
    else:
        pairs.append((k("endStatus"), iri(k(status))))
    pairs += wd.sourced(confidence or wd.rng.choice(CONFIDENCES))
    wd.w.entity(m, pairs)
    return m


def seat(wd: World, holder: str, foundation: str, start: str, end: str | None = None) -> str:
    s = wd.next("seat")
    pairs: Pairs = [
        (A, iri(k("GovernanceSeat"))),
        (k("seatHolder"), iri(holder)),
        (k("body"), iri(foundation)),
        (k("seatKind"), iri(k(wd.rng.choice(("BoardSeat", "LegalAffairsCommitteeSeat"))))),
        (k("startDate"), date(start)),
        (k("endDate"), date(end)) if end else (k("endStatus"), iri(k("Ongoing"))),
        (k("official"), typed("true", "boolean")),
        *wd.sourced(),
    ]
    wd.w.entity(s, pairs)
    return s


def contribution(wd: World, org: str, component: str, year: int, commits: int) -> str:
    c = wd.next("contrib")
    wd.w.entity(c, [
        (A, iri(k("Contribution"))),
        (k("contributor"), iri(org)),
        (k("toComponent"), iri(component)),
        (k("year"), integer(year)),
        (k("commitCount"), typed(commits, "nonNegativeInteger")),
        (k("method"), iri(d("method-git-log"))),
        *wd.sourced(),
    ])
    return c


def patent(wd: World, assignee: str, number: str | None = None) -> str:
    p = wd.next("US")
    n = number or f"US{7_000_000 + wd.serial % 2_999_999}"
    wd.w.entity(p, [
        (A, iri(k("Patent"))),
        (k("patentNumber"), lit(n)),
        (TITLE, lit(f"Method and system number {wd.serial}")),
        (k("filingDate"), date(rdate(wd.rng, 1998, 2008))),
        (k("issueDate"), date(rdate(wd.rng, 2009, 2012))),
        (k("originalAssignee"), iri(assignee)),
        *wd.sourced(),
    ])
    claim = p + "-claim-1"
    wd.w.entity(claim, [
        (A, iri(k("PatentClaim"))),
        (k("claimOf"), iri(p)),
        (k("claimNumber"), typed(1, "positiveInteger")),
        *wd.sourced(),
    ])
    return p


def transfer(wd: World, frm: str, to: str, patents: Iterable[str], kind: str, when: str,
             retained: bool = False) -> str:
    t = wd.next("transfer")
    pairs: Pairs = [
        (A, iri(k("PatentTransfer"))),
        (k("transferor"), iri(frm)),
        (k("transferee"), iri(to)),
        *[(k("patent"), iri(p)) for p in patents],
        (k("transferKind"), iri(k(kind))),
        (k("date"), date(when)),
        *wd.sourced(),
    ]
    if retained:
        pairs.append((k("retainedRight"), lit("right to practise and sublicense")))
    wd.w.entity(t, pairs)
    return t


def tie(wd: World, cls: str, frm: str, to: str, start: str) -> str:
    t = wd.next("tie")
    wd.w.entity(t, [
        (A, iri(k(cls))),
        (k("fromParty"), iri(frm)),
        (k("toParty"), iri(to)),
        (k("startDate"), date(start)),
        (k("endStatus"), iri(k("Ongoing"))),
        *wd.sourced(),
    ])
    return t


def lawsuit(wd: World, plaintiff: str, defendants: list[str], filed: str,
            patents: Iterable[str] = (), closed: str | None = None,
            claims: Iterable[str] = ()) -> str:
    s = wd.next("case")
    pairs: Pairs = [
        (A, iri(k("Lawsuit"))),
        (LABEL, lit(f"Case {wd.serial}")),
        (k("docket"), lit(f"1:{filed[:4]}-cv-{wd.serial % 100000:05d}")),
        (k("court"), iri(wd.courts[wd.serial % len(wd.courts)])),
        (k("filedDate"), date(filed)),
        (k("plaintiff"), iri(plaintiff)),
        *[(k("defendant"), iri(x)) for x in defendants],
        *[(k("assertsPatent"), iri(p)) for p in patents],
        *[(k("claimType"), iri(k(c))) for c in claims],
        (k("outcome"), iri(k("Settled" if closed else "Pending"))),
        *wd.sourced(),
    ]
    if closed:
        pairs.append((k("closedDate"), date(closed)))
    wd.w.entity(s, pairs)
    return s


def accusation(wd: World, suit: str, component: str | None, via: str | None) -> str:
    a = wd.next("accusation")
    pairs: Pairs = [(A, iri(k("Accusation"))), (k("accusedIn"), iri(suit))]
    if component:
        pairs.append((k("accusedComponent"), iri(component)))
    else:
        pairs.append((k("accusedTechnology"), lit(f"Technology {wd.serial % 50}")))
    if via:
        pairs.append((k("viaPatent"), iri(via)))
    wd.w.entity(a, pairs + wd.sourced())
    return a


# --- the fixed frame: foundations, tiers, projects, components, courts ----------------------

def frame(wd: World, n_foundations: int, n_components: int) -> None:
    w, rng = wd.w, wd.rng
    wd.sources += [source(wd) for _ in range(20)]
    w.entity(d("method-git-log"), [
        (A, iri(k("DerivationMethod"))), (LABEL, lit("git log by author e-mail domain")),
        (k("description"), lit("Commits on master counted per author e-mail domain and year.")),
    ])
    w.entity(d("apache-2.0"), [
        (A, iri(k("License"))), (LABEL, lit("Apache License 2.0")),
        (k("patentRetaliation"), typed("true", "boolean")), *wd.sourced(),
    ])
    for i in range(8):
        wd.courts.append(organization(wd, "Court", "court", f"District Court {i}"))
    for f in range(n_foundations):
        fd = organization(wd, "Foundation", "foundation", f"Foundation {f}")
        wd.foundations.append(fd)
        wd.tiers[fd] = []
        for rank, name in enumerate(TIER_NAMES, start=1):
            t = f"{fd}-tier-{rank}"
            w.entity(t, [
                (A, iri(k("MembershipTier"))), (LABEL, lit(name)), (k("tierOf"), iri(fd)),
                (k("tierRank"), integer(rank)), *wd.sourced(),
            ])
            wd.tiers[fd].append(t)
        project = f"{fd}-project"
        w.entity(project, [
            (A, iri(k("Project"))), (LABEL, lit(f"Project {f}")),
            (k("license"), iri(d("apache-2.0"))), (k("stewardedBy"), iri(fd)), *wd.sourced(),
        ])
        wd.components[fd] = []
        for c in range(n_components):
            comp = f"{fd}-component-{c}"
            w.entity(comp, [
                (A, iri(k("Component"))), (LABEL, lit(f"Component {f}.{c}")),
                (k("componentOf"), iri(project)), (k("serviceName"), lit(f"Service {c}")),
                *wd.sourced(),
            ])
            repo = f"{fd}-repo-{c}"
            w.entity(repo, [
                (A, iri(k("Repository"))), (k("repositoryOf"), iri(comp)),
                (k("repositoryName"), lit(f"project{f}/component{c}")),
                (k("url"), typed(f"https://example.org/git/{f}/{c}", "anyURI")), *wd.sourced(),
            ])
            st = f"{comp}-status"
            w.entity(st, [
                (A, iri(k("ComponentStatus"))), (k("statusOf"), iri(comp)),
                (k("status"), iri(k("Integrated"))), (k("startDate"), date(rdate(rng, 2010, 2014))),
                (k("endStatus"), iri(k("Ongoing"))), *wd.sourced(),
            ])
            wd.components[fd].append(comp)


# --- background batches: conflict-free by construction --------------------------------------

@dataclass
class Pools:
    defendable: list[str] = field(default_factory=list)   # ongoing members without seats
    outsiders: list[str] = field(default_factory=list)
    paes: list[str] = field(default_factory=list)
    pae_patents: dict[str, list[str]] = field(default_factory=dict)


def _member_of(wd: World, m: str, fd: str) -> bool:
    """A background membership and contributions; True when the membership is ongoing."""
    rng = wd.rng
    r = rng.random()
    start = rdate(rng, 2010, 2020)
    if r < 0.7:
        membership(wd, m, fd, start)
    elif r < 0.9:
        membership(wd, m, fd, start, end=f"{int(start[:4]) + rng.randint(1, 4)}-12-31")
    else:
        membership(wd, m, fd, start, status="EndUnknown")
    for comp in rng.sample(wd.components[fd], k=min(3, len(wd.components[fd]))):
        for year in rng.sample(YEARS, k=2):
            contribution(wd, m, comp, year, rng.randint(1, 400))
    return r < 0.7


def batch(wd: World, pools: Pools) -> None:
    """About 1,000 triples of ordinary, finding-free data."""
    rng = wd.rng
    for _ in range(2):
        wd.sources.append(source(wd))
    for i in range(8):
        m = organization(wd, "Company", "company")
        homes = rng.sample(wd.foundations, k=min(len(wd.foundations), rng.choice((1, 1, 2))))
        ongoing = all([_member_of(wd, m, fd) for fd in homes])
        if i == 0:
            seat(wd, m, homes[0], rdate(rng, 2012, 2018))
        elif ongoing:
            pools.defendable.append(m)
        # members' own patents, sometimes moved to a holding company that never sues
        mine = [patent(wd, m) for _ in range(rng.choice((0, 1, 2)))]
        if mine and rng.random() < 0.5:
            hold = organization(wd, "Company", "hold")
            transfer(wd, m, hold, mine, rng.choice(("Assignment", "Sale", "ExclusiveLicence")),
                     rdate(rng, 2011, 2020))
            tie(wd, rng.choice(("Ownership", "Funding", "Investment")), m, hold,
                rdate(rng, 2010, 2020))
    _suits(wd, pools)


def _suits(wd: World, pools: Pools) -> None:
    """Outsiders, a patent-assertion entity backed only by outsiders, and its suits."""
    rng = wd.rng
    for _ in range(2):
        pools.outsiders.append(organization(wd, "Company", "out"))
    # a patent-assertion entity backed only by outsiders
    pae = organization(wd, "PatentAssertionEntity", "pae")
    pools.paes.append(pae)
    out = rng.choice(pools.outsiders)
    pats = [patent(wd, out) for _ in range(2)]
    transfer(wd, out, pae, pats, rng.choice(("AssignmentWithRetainedRights", "ExclusiveLicence")),
             rdate(rng, 2011, 2014), retained=True)
    fund = organization(wd, "Company", "fund")
    tie(wd, rng.choice(("Funding", "AgencyTie", "Ownership")), fund, pae, rdate(rng, 2010, 2014))
    pools.pae_patents[pae] = pats
    for _ in range(2):
        plaintiff = rng.choice(pools.paes)
        pool = pools.defendable if pools.defendable and rng.random() < 0.8 else pools.outsiders
        defendants = list(dict.fromkeys(rng.choice(pool) for _ in range(rng.randint(1, 3))))
        filed = rdate(rng, 2012, 2022)
        closed = f"{int(filed[:4]) + 1}-06-30" if rng.random() < 0.5 else None
        suit = lawsuit(wd, plaintiff, defendants, filed, pools.pae_patents[plaintiff], closed)
        accusation(wd, suit, None, pools.pae_patents[plaintiff][0])


# --- planted cases ---------------------------------------------------------------------------
#
# Each planted case records the one finding the finder must report for it (``findings``) and
# its near misses, findings that must NOT appear (``near_misses``), in the finder's own terms:
# the finding id is ``family:party@foundation``, the party is the member whose own side
# litigates (never a defendant), counterparties are the co-members sued or the foundation's
# components accused. ``planted`` keeps the roles and facts of every plant for the queries and
# tests that look inside a case.

FAMILY = {"direct": "litigation", "proxy": "litigation", "governance": "litigation",
          "commons": "litigation", "licence": "litigation", "contributor": "litigation",
          "former": "former"}


def slug(value: str) -> str:
    """The local name of a ``https://w3id.org/kg/id/`` IRI: the part an id is made of."""
    return value.removeprefix(str(KGD))


def finding_id(family: str, party: str, foundation: str) -> str:
    return f"{family}:{slug(party)}@{slug(foundation)}"


def _finding(wd: World, patterns: list[str], fd: str, party: str, counterparties: list[str],
             intermediaries: list[str], roles: dict[str, str], facts: list[str],
             status: str = "active", **extra: Any) -> None:
    family = FAMILY[patterns[0]]
    fid = finding_id(family, party, fd)
    wd.findings.append({"id": fid, "family": family, "party": party, "foundation": fd,
                        "counterparties": sorted(counterparties),
                        "intermediaries": sorted(intermediaries), "temporal_status": status,
                        "patterns": sorted(patterns)})
    wd.planted.append({"id": fid, "pattern": patterns[0], "foundation": fd, "roles": roles,
                       "facts": facts, **extra})


def _near(wd: World, pattern: str, fd: str, party: str, why: str) -> None:
    wd.near_misses.append({"id": finding_id(FAMILY[pattern], party, fd), "party": party,
                           "foundation": fd, "why": why})


def plant_direct(wd: World, fd: str) -> None:
    a = organization(wd, "Company", "planted-direct-plaintiff")
    b = organization(wd, "Company", "planted-direct-defendant")
    ma = membership(wd, a, fd, "2012-03-01", tier=0, confidence="Confirmed")
    mb = membership(wd, b, fd, "2011-05-01", tier=1, confidence="Confirmed")
    suit = lawsuit(wd, a, [b], "2016-04-12")
    _finding(wd, ["direct"], fd, a, [b], [], {"plaintiff": a, "defendant": b}, [ma, mb, suit])
    # near miss: the defendant left the foundation before the suit was filed
    a2 = organization(wd, "Company", "near-direct-plaintiff")
    b2 = organization(wd, "Company", "near-direct-defendant")
    membership(wd, a2, fd, "2012-03-01", confidence="Confirmed")
    membership(wd, b2, fd, "2011-05-01", end="2014-12-31", confidence="Confirmed")
    lawsuit(wd, a2, [b2], "2016-04-12")
    _near(wd, "direct", fd, a2,
          "the defendant's membership ended 2014-12-31, before the suit was filed 2016-04-12")


def plant_proxy(wd: World, fd: str, via: str) -> None:
    s = organization(wd, "Company", f"planted-proxy-{via.lower()}-member")
    p = organization(wd, "PatentAssertionEntity", f"planted-proxy-{via.lower()}-pae")
    v = organization(wd, "Company", f"planted-proxy-{via.lower()}-target")
    ms = membership(wd, s, fd, "2012-01-15", confidence="Confirmed")
    mv = membership(wd, v, fd, "2011-02-01", confidence="Confirmed")
    pats = [patent(wd, s)]
    if via == "transfer":
        link = transfer(wd, s, p, pats, "AssignmentWithRetainedRights", "2013-02-01", retained=True)
    else:
        link = tie(wd, via, s, p, "2013-02-01")
        pats = [patent(wd, p)]
    suit = lawsuit(wd, p, [v], "2016-09-01", pats)
    _finding(wd, ["proxy"], fd, s, [v], [p], {"member": s, "proxy": p, "target": v},
             [ms, link, suit, mv], via=via)
    # near miss: the backer's membership ended more than the window before the suit was filed
    s2 = organization(wd, "Company", f"near-proxy-{via.lower()}-member")
    p2 = organization(wd, "PatentAssertionEntity", f"near-proxy-{via.lower()}-pae")
    v2 = organization(wd, "Company", f"near-proxy-{via.lower()}-target")
    membership(wd, s2, fd, "2011-01-15", end="2013-12-31", confidence="Confirmed")
    membership(wd, v2, fd, "2011-02-01", confidence="Confirmed")
    pats2 = [patent(wd, s2)]
    if via == "transfer":
        transfer(wd, s2, p2, pats2, "AssignmentWithRetainedRights", "2013-02-01", retained=True)
    else:
        tie(wd, via, s2, p2, "2013-02-01")
        pats2 = [patent(wd, p2)]
    lawsuit(wd, p2, [v2], "2016-09-01", pats2)
    _near(wd, "proxy", fd, s2,
          "the backer's membership ended 2013-12-31, 975 days (more than the 365-day window) "
          "before the suit was filed 2016-09-01")


def plant_commons(wd: World, fd: str) -> None:
    m = organization(wd, "Company", "planted-commons-licensor")
    p = organization(wd, "PatentAssertionEntity", "planted-commons-pae")
    out = organization(wd, "Company", "planted-commons-defendant")   # not a member
    mm = membership(wd, m, fd, "2012-06-01", confidence="Confirmed")
    pat = patent(wd, m)
    tr = transfer(wd, m, p, [pat], "ExclusiveLicence", "2013-05-01")
    comp = wd.components[fd][-1]
    suit = lawsuit(wd, p, [out], "2017-02-01", [pat])
    acc = accusation(wd, suit, comp, pat)
    _finding(wd, ["commons"], fd, m, [comp], [p], {"owner": m, "plaintiff": p},
             [mm, tr, suit, acc], component=comp)


def plant_licence(wd: World, fd: str) -> None:
    """A member sues for patent infringement (a claim type, no patent named) over the
    foundation's own code: Apache-2.0 §3 (licence is patents-only).

    The member is itself the plaintiff suing over the commons, so the licence and commons
    patterns show one conflict: one finding with both patterns."""
    m = organization(wd, "Company", "planted-licence-plaintiff")
    out = organization(wd, "Company", "planted-licence-defendant")     # not a member
    mm = membership(wd, m, fd, "2012-06-01", confidence="Confirmed")
    comp = wd.components[fd][-3]
    suit = lawsuit(wd, m, [out], "2017-05-01", claims=["PatentInfringement"])
    acc = accusation(wd, suit, comp, None)
    _finding(wd, ["licence", "commons"], fd, m, [comp], [], {"plaintiff": m},
             [mm, suit, acc], component=comp)


def plant_contributor(wd: World, fd: str) -> None:
    """The plaintiff's side writes the code it sues over: a non-member contributes to a
    component in the suit's years and transfers the patent to the PAE that sues the
    component's top contributor (a member; being sued is context, not its own conflict)."""
    r = organization(wd, "Company", "planted-contributor-defendant")
    p = organization(wd, "PatentAssertionEntity", "planted-contributor-pae")
    out = organization(wd, "Company", "planted-contributor-assignor")   # not a member
    mr = membership(wd, r, fd, "2011-09-01", confidence="Confirmed")
    comp = wd.components[fd][-2]
    contribution(wd, r, comp, 2016, 100_000)                             # the top contributor
    contribution(wd, r, comp, 2017, 90_000)
    c1 = contribution(wd, out, comp, 2016, 800)
    c2 = contribution(wd, out, comp, 2017, 600)
    pat = patent(wd, out)
    tr = transfer(wd, out, p, [pat], "Assignment", "2014-01-10")
    suit = lawsuit(wd, p, [r], "2017-03-01", [pat])
    acc = accusation(wd, suit, comp, pat)
    # the finding is about the code (the sued member r is the context of its exposure)
    _finding(wd, ["commons", "contributor"], fd, out, [comp], [p],
             {"contributor": out, "plaintiff": p, "defendant": r},
             [c1, c2, tr, suit, acc, mr], component=comp)


def plant_former(wd: World, fd: str) -> None:
    q = organization(wd, "Company", "planted-former-plaintiff")
    v = organization(wd, "Company", "planted-former-defendant")
    mq = membership(wd, q, fd, "2011-01-01", end="2014-12-31", confidence="Confirmed")
    mv = membership(wd, v, fd, "2010-10-01", confidence="Confirmed")
    suit = lawsuit(wd, q, [v], "2016-02-01")
    _finding(wd, ["former"], fd, q, [v], [], {"plaintiff": q, "defendant": v}, [mq, mv, suit],
             status="historical", gap_days=397)
    # former and direct exclude each other: the pair is not a direct finding too
    _near(wd, "direct", fd, q,
          "the plaintiff's membership ended 2014-12-31, before the suit was filed 2016-02-01: "
          "a former finding, not a direct one")


def plant_governance(wd: World, fd: str) -> None:
    g = organization(wd, "Company", "planted-governance-plaintiff")    # a seat, no membership
    v = organization(wd, "Company", "planted-governance-defendant")
    st = seat(wd, g, fd, "2012-01-01")
    mv = membership(wd, v, fd, "2011-01-01", confidence="Confirmed")
    suit = lawsuit(wd, g, [v], "2016-06-01")
    _finding(wd, ["governance"], fd, g, [v], [], {"seat_holder": g, "defendant": v},
             [st, mv, suit])
    g2 = organization(wd, "Company", "near-governance-plaintiff")
    v2 = organization(wd, "Company", "near-governance-defendant")
    seat(wd, g2, fd, "2012-01-01", end="2014-12-31")
    membership(wd, v2, fd, "2011-01-01", confidence="Confirmed")
    lawsuit(wd, g2, [v2], "2016-06-01")
    _near(wd, "governance", fd, g2,
          "the seat ended 2014-12-31, 518 days (more than the 365-day window) before the suit "
          "was filed 2016-06-01")


def plant_what_if(wd: World, fd: str) -> None:
    """A non-member that funds a PAE suing a member: a finding only if it joined."""
    x = organization(wd, "Company", "whatif-applicant")
    p = organization(wd, "PatentAssertionEntity", "whatif-pae")
    v = organization(wd, "Company", "whatif-target")
    membership(wd, v, fd, "2011-01-01", confidence="Confirmed")
    t = tie(wd, "Funding", x, p, "2015-01-01")
    suit = lawsuit(wd, p, [v], "2019-01-01", [patent(wd, p)])
    wd.what_if.append({"id": finding_id("litigation", x, fd), "entity": x, "foundation": fd,
                       "date": TODAY, "patterns": ["proxy"], "parties": sorted({x, p, v}),
                       "facts": [t, suit]})


def plant_violations(wd: World, fd: str) -> None:
    """SHACL violations on fresh nodes: (focus node, path) pairs, path None for node-level."""
    def org(prefix: str) -> str:
        return organization(wd, "Company", prefix)

    def add(focus: str, cls: str, path: str | None, why: str) -> None:
        wd.violations.append({"focus_node": focus, "class": k(cls), "path": path, "why": why})

    def entity(prefix: str, pairs: Pairs) -> str:
        s = wd.next(prefix)
        wd.w.entity(s, pairs)
        return s

    tiers = wd.tiers[fd]
    base = [(k("foundation"), iri(fd)), (k("tier"), iri(tiers[2])),
            (k("startDate"), date("2015-01-01"))]
    m = entity("bad-membership-nosource", [
        (A, iri(k("Membership"))), (k("member"), iri(org("bad-a"))), *base,
        (k("endStatus"), iri(k("Ongoing"))), (k("confidence"), iri(k("Confirmed")))])
    add(m, "Membership", k("source"), "a Sourced fact without kg:source")
    m = entity("bad-membership-noconfidence", [
        (A, iri(k("Membership"))), (k("member"), iri(org("bad-b"))), *base,
        (k("endStatus"), iri(k("Ongoing"))), (k("source"), iri(wd.sources[0]))])
    add(m, "Membership", k("confidence"), "no kg:confidence")
    m = entity("bad-membership-nomember", [
        (A, iri(k("Membership"))), *base, (k("endStatus"), iri(k("Ongoing"))), *wd.sourced()])
    add(m, "Membership", k("member"), "no kg:member")
    m = entity("bad-membership-noend", [
        (A, iri(k("Membership"))), (k("member"), iri(org("bad-c"))), *base, *wd.sourced()])
    add(m, "Membership", None, "neither kg:endDate nor kg:endStatus")
    p = entity("bad-patent-number", [
        (A, iri(k("Patent"))), (k("patentNumber"), lit("EP1234567")),
        (k("originalAssignee"), iri(org("bad-d"))), *wd.sourced()])
    add(p, "Patent", k("patentNumber"), "patent number does not match ^US(RE)?[0-9]+$")
    s = entity("bad-source-nourl", [(A, iri(k("Source"))), (TITLE, lit("No URL"))])
    add(s, "Source", k("url"), "a source without kg:url")
    o = entity("bad-org-nolabel", [(A, iri(k("Company"))), *wd.sourced()])
    add(o, "Company", LABEL, "an organization without rdfs:label")
    c = entity("bad-contribution-negative", [
        (A, iri(k("Contribution"))), (k("contributor"), iri(org("bad-e"))),
        (k("toComponent"), iri(wd.components[fd][0])), (k("year"), integer(2015)),
        (k("commitCount"), integer(-5)), (k("method"), iri(d("method-git-log"))), *wd.sourced()])
    add(c, "Contribution", k("commitCount"), "a negative commit count")


PLANTERS = (plant_direct, plant_commons, plant_licence, plant_contributor, plant_former,
            plant_governance)
PROXY_VIAS = ("transfer", "Funding", "Ownership", "AgencyTie")


def generate(n_triples: int, out: Path | str, *, seed: int = 42, turtle: bool = True,
             cases: int | None = None) -> dict[str, Any]:
    """Write about ``n_triples`` triples to ``out`` (.nt) and ``out`` with .ttl; return and
    write (``<out>.expected.json``) the expected answers."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    n_cases = cases if cases is not None else max(2, min(25, n_triples // 40_000))
    n_foundations = max(2, min(12, n_triples // 400_000 + 2))
    ttl_path = out.with_suffix(".ttl")
    big = 1 << 20
    with open(out, "w", encoding="utf-8", buffering=big) as nt, \
            (open(ttl_path, "w", encoding="utf-8", buffering=big) if turtle else _Null()) as ttl:
        wd = World(random.Random(seed), Writer(nt, ttl if turtle else None))
        frame(wd, n_foundations, 12)
        pools = Pools()
        batch(wd, pools)
        for i in range(n_cases):
            fd = wd.foundations[i % len(wd.foundations)]
            for plant in PLANTERS:
                plant(wd, fd)
            for via in PROXY_VIAS:
                plant_proxy(wd, fd, via)
            if i < 2:
                plant_violations(wd, fd)
                plant_what_if(wd, fd)
        while wd.w.count < n_triples:
            batch(wd, pools)
    expected = {
        "seed": seed, "triples": wd.w.count, "target": n_triples, "today": TODAY,
        "nt": str(out), "ttl": str(ttl_path) if turtle else None,
        "window_days": WINDOW_DAYS,
        "findings": wd.findings, "near_misses": wd.near_misses, "planted": wd.planted,
        "violations": wd.violations, "what_if": wd.what_if, "foundations": wd.foundations,
        "profile_entity": wd.planted[0]["roles"]["plaintiff"],
        "counts": dict(sorted(wd.counts.items())),
    }
    Path(f"{out}.expected.json").write_text(json.dumps(expected, indent=1), encoding="utf-8")
    return expected


class _Null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.synthetic",
                                     description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--triples", type=float, required=True, help="target size, e.g. 1e6")
    parser.add_argument("--out", type=Path, required=True, help="N-Triples file to write")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-turtle", action="store_true", help="skip the Turtle copy")
    args = parser.parse_args(argv)
    exp = generate(int(args.triples), args.out, seed=args.seed, turtle=not args.no_turtle)
    print(f"{exp['triples']} triples -> {args.out}; {len(exp['findings'])} findings, "
          f"{len(exp['near_misses'])} near misses, {len(exp['violations'])} violations")


if __name__ == "__main__":
    main()
