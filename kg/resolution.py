"""Entity resolution: which names (Stackalytics, court captions, the fact base) denote which
organization.

The source of truth is a reviewable CSV alias table, ``data/aliases.csv``, with the columns
``name,entity,kind,note``. ``entity`` is the local name of the organization's ``kgd:`` IRI
(``redhat`` for ``kgd:redhat``). ``kind`` says where the name comes from:

============== ==========================================================================
kind           meaning
============== ==========================================================================
stackalytics   a company name (or raw e-mail domain) in the Stackalytics-derived data
caption        a party's name in a court caption
fact-base      a name used in the project's fact base
former-name    an earlier name of the entity (``Stec IP, LLC`` for Clouding IP)
acquired-domain an e-mail domain of an acquired company that Stackalytics counts as the
               acquirer for every year (the note carries the acquisition and its date)
distinct       a *negative* judgement: reviewed and kept apart from ``entity`` (``HPE`` is
               not ``hp``). Never resolves; always reported as a near-miss.
============== ==========================================================================

Resolution is reversible: nothing is renamed in place. Callers keep the original name (the
OpenStack importer writes it as ``skos:altLabel`` on the entity).

>>> table = parse_aliases(["name,entity,kind,note", "Red Hat,redhat,stackalytics,"])
>>> table.resolve("RED HAT, Inc.")
rdflib.term.URIRef('https://w3id.org/kg/id/redhat')
>>> table.resolve("Red Hat Israel") is None
True
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from kg.errors import InputError, SourceError
from kg.namespaces import KGD

__all__ = [
    "ALIAS_KINDS",
    "AliasRow",
    "AliasTable",
    "Merge",
    "NearMiss",
    "ResolutionReport",
    "load_aliases",
    "normalize_name",
    "parse_aliases",
    "resolution_report",
]

ALIAS_KINDS: frozenset[str] = frozenset(
    {"stackalytics", "caption", "fact-base", "former-name", "acquired-domain", "distinct"}
)
_POSITIVE_KINDS = ALIAS_KINDS - {"distinct"}
_COLUMNS = ("name", "entity", "kind", "note")
_ENTITY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Trailing words that only say what legal form an organization has.
_LEGAL_SUFFIXES = frozenset(
    {"inc", "incorporated", "llc", "corp", "corporation", "company", "co", "ltd", "limited",
     "gmbh", "ag", "plc", "lp", "llp"}
)
# Words too common in company names to make two names look alike.
_GENERIC_WORDS = frozenset(
    {"technologies", "technology", "systems", "networks", "network", "cloud", "computing",
     "software", "solutions", "group", "labs", "data", "services", "international", "the"}
)
_JOINERS = re.compile(r"[&.'!’]")
_SEPARATORS = re.compile(r"[^a-z0-9]+")
NEAR_MISS_RATIO = 0.75


def normalize_name(name: str) -> str:
    """The comparison key of a name: accents folded, case folded, ``&``, ``.``, ``'`` and ``!``
    dropped, other punctuation treated as spaces, trailing legal suffixes removed, spaces removed.

    >>> normalize_name("Hewlett-Packard Company")
    'hewlettpackard'
    >>> normalize_name("AT&T Corp.") == normalize_name("at&t")
    True
    >>> normalize_name("Clouding IP, LLC")
    'cloudingip'
    """
    return "".join(_tokens(name))


def _tokens(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    words = [w for w in _SEPARATORS.split(_JOINERS.sub("", folded)) if w]
    while len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    return words


@dataclass(frozen=True, slots=True)
class AliasRow:
    """One row of the alias table; ``row`` is its line number in the file (header = 1)."""

    name: str
    entity: str
    kind: str
    note: str
    row: int

    @property
    def iri(self) -> URIRef:
        return KGD[self.entity]

    @property
    def is_positive(self) -> bool:
        return self.kind != "distinct"


@dataclass(frozen=True, slots=True)
class AliasTable:
    """The loaded alias table. Build it with :func:`load_aliases` or :func:`parse_aliases`."""

    path: str
    rows: tuple[AliasRow, ...]

    def lookup(self, name: str) -> AliasRow | None:
        """The positive row whose normalised name equals ``name``'s (exact spelling first)."""
        key = normalize_name(name)
        matches = [r for r in self.rows if r.is_positive and normalize_name(r.name) == key]
        exact = [r for r in matches if r.name == name]
        best = exact or matches
        return best[0] if best else None

    def resolve(self, name: str) -> URIRef | None:
        """The ``kgd:`` IRI that ``name`` denotes, or ``None`` when the table does not say."""
        row = self.lookup(name)
        return row.iri if row is not None else None

    def distinct_from(self, name: str) -> tuple[AliasRow, ...]:
        """The reviewed ``distinct`` rows for ``name``."""
        key = normalize_name(name)
        return tuple(r for r in self.rows if not r.is_positive and normalize_name(r.name) == key)


def load_aliases(path: str | Path) -> AliasTable:
    """Read and check the alias table at ``path``.

    Raises :class:`~kg.errors.InputError` naming the file, row and field of the first bad row
    (unknown kind, empty field, malformed entity, a name mapped to two entities, a name both
    merged into and kept apart from one entity), or :class:`~kg.errors.SourceError` when the
    file cannot be read.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceError(path, f"cannot read the alias table: {exc.strerror}") from exc
    return parse_aliases(text.splitlines(), path=str(path))


def parse_aliases(lines: Iterable[str], *, path: str = "<aliases>") -> AliasTable:
    """Parse alias-table lines (header first); see :func:`load_aliases` for the checks."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != _COLUMNS:
        raise InputError(path, f"the header must be {','.join(_COLUMNS)}, got {header}", row=1)
    rows: list[AliasRow] = []
    for number, values in enumerate(reader, start=2):
        if not values:
            continue
        rows.append(_check_row(path, number, values))
    _check_consistency(path, rows)
    return AliasTable(path=path, rows=tuple(rows))


def _check_row(path: str, number: int, values: Sequence[str]) -> AliasRow:
    if len(values) != len(_COLUMNS):
        raise InputError(
            path, f"expected {len(_COLUMNS)} fields, got {len(values)}", row=number, field=None
        )
    name, entity, kind, note = (v.strip() for v in values)
    for field, value in (("name", name), ("entity", entity), ("kind", kind)):
        if not value:
            raise InputError(path, "the field is empty", row=number, field=field)
    if kind not in ALIAS_KINDS:
        raise InputError(
            path, f"unknown kind {kind!r}; use one of {sorted(ALIAS_KINDS)}", row=number,
            field="kind",
        )
    if not _ENTITY_PATTERN.match(entity):
        raise InputError(
            path, f"{entity!r} is not a kgd: local name (lowercase, digits, '-')", row=number,
            field="entity",
        )
    return AliasRow(name=name, entity=entity, kind=kind, note=note, row=number)


def _check_consistency(path: str, rows: Sequence[AliasRow]) -> None:
    merged: dict[str, AliasRow] = {}
    for row in (r for r in rows if r.is_positive):
        key = normalize_name(row.name)
        earlier = merged.setdefault(key, row)
        if earlier.entity != row.entity:
            raise InputError(
                path,
                f"{row.name!r} maps to {row.entity!r} but row {earlier.row} maps "
                f"{earlier.name!r} (same normalised name) to {earlier.entity!r}",
                row=row.row, field="name",
            )
    for row in (r for r in rows if not r.is_positive):
        positive = merged.get(normalize_name(row.name))
        if positive is not None and positive.entity == row.entity:
            raise InputError(
                path,
                f"{row.name!r} is kept apart from {row.entity!r} but row {positive.row} "
                "merges it into that entity",
                row=row.row, field="entity",
            )


@dataclass(frozen=True, slots=True)
class Merge:
    """A name that resolved: ``how`` is ``exact`` or ``normalised``; ``row`` is the table row."""

    name: str
    entity: str
    kind: str
    how: str
    row: int


@dataclass(frozen=True, slots=True)
class NearMiss:
    """A name that did *not* resolve to ``entity`` but looks as if it might.

    ``reason`` is ``reviewed-distinct`` (a ``distinct`` row keeps them apart),
    ``similar`` (difflib ratio of the normalised names, in ``score``) or ``contains``
    (one name's words contain the other's).
    """

    name: str
    entity: str
    alias: str
    reason: str
    score: float


@dataclass(frozen=True, slots=True)
class ResolutionReport:
    """What :func:`resolution_report` found, each part sorted for stable output."""

    merged: tuple[Merge, ...]
    unresolved: tuple[str, ...]
    near_misses: tuple[NearMiss, ...]


def resolution_report(names: Iterable[str], table: AliasTable) -> ResolutionReport:
    """Resolve every name and list what merged, what did not, and what a person should review.

    >>> table = parse_aliases(["name,entity,kind,note", "HP,hp,stackalytics,",
    ...                        "HPE,hp,distinct,separate company"])
    >>> report = resolution_report(["HP", "HPE", "Acme"], table)
    >>> [m.name for m in report.merged], report.unresolved
    (['HP'], ('Acme', 'HPE'))
    >>> [(n.name, n.entity, n.reason) for n in report.near_misses]
    [('HPE', 'hp', 'reviewed-distinct')]
    """
    merged: list[Merge] = []
    unresolved: list[str] = []
    near: list[NearMiss] = []
    for name in sorted(set(names)):
        found = table.lookup(name)
        if found is None:
            unresolved.append(name)
            near.extend(_near_misses(name, table))
            continue
        how = "exact" if found.name == name else "normalised"
        merged.append(
            Merge(name=name, entity=found.entity, kind=found.kind, how=how, row=found.row)
        )
    return ResolutionReport(merged=tuple(merged), unresolved=tuple(unresolved),
                            near_misses=tuple(near))


def _near_misses(name: str, table: AliasTable) -> list[NearMiss]:
    found: dict[str, NearMiss] = {}
    for row in table.distinct_from(name):
        found[row.entity] = NearMiss(name, row.entity, row.name, "reviewed-distinct", 1.0)
    words = _tokens(name)
    key = _distinctive(words)
    for row in table.rows:
        if not row.is_positive or row.entity in found:
            continue
        other = _tokens(row.name)
        score = difflib.SequenceMatcher(None, key, _distinctive(other)).ratio()
        if score >= NEAR_MISS_RATIO:
            found[row.entity] = NearMiss(name, row.entity, row.name, "similar", round(score, 3))
        elif _contains(words, other) or _contains(other, words):
            found[row.entity] = NearMiss(name, row.entity, row.name, "contains", round(score, 3))
    return [found[entity] for entity in sorted(found)]


def _distinctive(words: Sequence[str]) -> str:
    """The normalised key without generic words (all of them if nothing else is left)."""
    kept = [w for w in words if w not in _GENERIC_WORDS]
    return "".join(kept or words)


def _contains(words: Sequence[str], part: Sequence[str]) -> bool:
    """Whether ``part`` occurs as consecutive whole words in ``words`` (and is shorter)."""
    size = len(part)
    if not part or size >= len(words) or len("".join(part)) < 3:
        return False
    return any(list(words[i : i + size]) == list(part) for i in range(len(words) - size + 1))
