"""Finding an entity's ID from what a user typed: exact IDs, labels and aliases, nearest first.

Used for "did you mean" hints wherever a command takes an entity (``kg profile``,
``kg render --entity``, ``kg conflicts --what-if``), so an unknown ID is an error that names
the nearest known ones instead of an empty answer; :func:`search` is ``kg ids`` (find an
existing ID by label or alias, ranked, optionally of one kind and the kinds below it), and the
ingest's "did you mean" uses :func:`nearest` on the nodes of the kind a column expects.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace

from .config import Settings
from .errors import KGError
from .queries import get_query, select, to_iri
from .stores import Store
from .vocabulary import Vocabulary, local_name


@dataclass(frozen=True)
class Entity:
    iri: str
    label: str
    kinds: tuple[str, ...]
    aliases: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return local_name(self.iri)


def entities(store: Store, settings: Settings, iri: str | None = None) -> list[Entity]:
    """Every labelled entity of the data (``queries/entity-ids.rq``), or only ``iri``."""
    found: dict[str, Entity] = {}
    query = get_query(settings, "entity-ids")
    if iri is None:  # the parameter left unbound: every entity (bind_params requires it)
        query = replace(query, params=tuple(p for p in query.params if p.name != "entity"))
    params = None if iri is None else {"entity": iri}
    for row in select(store, query, params).rows:
        iri = str(row["entity"])
        kinds = (local_name(row["kind"]),)
        aliases = () if row.get("alias") is None else (str(row["alias"]),)
        old = found.get(iri)
        if old is None:
            found[iri] = Entity(iri, str(row["label"]), kinds, aliases)
        else:
            found[iri] = Entity(iri, old.label, tuple(sorted({*old.kinds, *kinds})),
                                tuple(sorted({*old.aliases, *aliases})))
    return sorted(found.values(), key=lambda e: e.iri)


def nearest(wanted: str, known: list[Entity], n: int = 3) -> list[Entity]:
    """The entities whose ID, label or alias is closest to ``wanted``."""
    text = wanted.lower().removeprefix("kgd:")
    keys: dict[str, Entity] = {}
    for entity in known:
        for key in (entity.id, entity.label, *entity.aliases):
            keys.setdefault(key.lower(), entity)
    contained = [e for k, e in keys.items() if text and text in k]
    close = [keys[k] for k in difflib.get_close_matches(text, list(keys), n=n * 3, cutoff=0.5)]
    out: list[Entity] = []
    for entity in [*close, *contained]:
        if entity not in out:
            out.append(entity)
    return out[:n]


def kinds_below(vocabulary: Vocabulary, kind: str, present: set[str]) -> set[str]:
    """The local names of ``kind`` (any case) and of every class below it; empty when no
    class of the vocabulary or of ``present`` (the kinds the data uses) has that name."""
    wanted = kind.strip().lower().removeprefix("kg:")
    found = {local_name(t) for t in vocabulary.terms
             if any(local_name(a).lower() == wanted for a in vocabulary.lineage(t))}
    return found | {k for k in present if k.lower() == wanted}


def _words(key: str) -> list[str]:
    return [w for w in re.split(r"[\W_]+", key) if w]


def search(known: list[Entity], text: str | None = None,
           kinds: set[str] | None = None) -> list[Entity]:
    """The entities (of one of ``kinds``) whose ID, label or alias matches ``text``, best first:
    equal, then starting with it (or a word of it does), then containing it, then close to it
    (a typo); ties by ID. No text: all of them, by ID.

    >>> known = [Entity("https://w3id.org/kg/id/clouding-v-oracle",
    ...                 "Clouding IP, LLC v. Oracle Corp.", ("Lawsuit",)),
    ...          Entity("https://w3id.org/kg/id/oracle", "Oracle", ("Company",), ("Oracle Corp.",)),
    ...          Entity("https://w3id.org/kg/id/symantec", "Symantec", ("Company",))]
    >>> [e.id for e in search(known, "ORACLE")], [e.id for e in search(known, "oracel")]
    (['oracle', 'clouding-v-oracle'], ['oracle', 'clouding-v-oracle'])
    >>> [e.id for e in search(known, "oracle", kinds={"Lawsuit"})]
    ['clouding-v-oracle']
    """
    pool = [e for e in known if kinds is None or set(e.kinds) & kinds]
    wanted = (text or "").strip().lower().removeprefix("kgd:")
    if not wanted:
        return sorted(pool, key=lambda e: e.id)
    scored: list[tuple[int, float, int, str, Entity]] = []
    for entity in pool:
        keys = [k.lower() for k in (entity.id, entity.label, *entity.aliases) if k]
        words = [w for k in keys for w in _words(k)]
        if wanted in keys:
            rank, ratio = 0, 1.0
        elif any(k.startswith(wanted) for k in [*keys, *words]):
            rank, ratio = 1, 1.0
        elif any(wanted in k for k in keys):
            rank, ratio = 2, 1.0
        else:  # a typo: close to an ID, a label or an alias, or (a little less) to a word of one
            ratio = max(_similarity(wanted, keys), WORD_WEIGHT * _similarity(wanted, words))
            if ratio < CLOSE * WORD_WEIGHT:
                continue
            rank = 3
        shortest = min((len(k) for k in keys if wanted in k), default=len(entity.id))
        scored.append((rank, -ratio, shortest, entity.id, entity))
    return [entry[-1] for entry in sorted(scored, key=lambda t: t[:4])]


def _similarity(wanted: str, keys: list[str]) -> float:
    matcher = difflib.SequenceMatcher(b=wanted)
    best = 0.0
    for key in set(keys):
        matcher.set_seq1(key)
        if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
            best = max(best, matcher.ratio())
    return best


WORD_WEIGHT = 0.95  # a typo of a whole ID or label ranks before the same typo of one word
CLOSE = 0.75  # how similar a typo must be (difflib's ratio) to count as a close match


def check_entity(store: Store, settings: Settings, wanted: str) -> str:
    """The entity's IRI; an unknown one is an error naming the nearest known IDs."""
    iri = str(to_iri(wanted))
    if entities(store, settings, iri):
        return iri
    known = entities(store, settings)
    hints = ", ".join(f"{e.id} ({e.label})" for e in nearest(wanted, known)) or "none"
    raise KGError(f"unknown entity {wanted!r} (nearest: {hints})")


__all__ = ["Entity", "check_entity", "entities", "kinds_below", "nearest", "search"]
