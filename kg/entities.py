"""Finding an entity's ID from what a user typed: exact IDs, labels and aliases, nearest first.

Used for "did you mean" hints wherever a command takes an entity (``kg profile``,
``kg render --entity``, ``kg conflicts --what-if``), so an unknown ID is an error that names
the nearest known ones instead of an empty answer.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .config import Settings
from .errors import KGError
from .queries import get_query, select, to_iri
from .stores import Store
from .vocabulary import local_name


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
    # unbound (every entity): the query's own text; a named query's parameter is required
    rows = (store.select(query.text) if iri is None
            else select(store, query, {"entity": iri})).rows
    for row in rows:
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


def check_entity(store: Store, settings: Settings, wanted: str) -> str:
    """The entity's IRI; an unknown one is an error naming the nearest known IDs."""
    iri = str(to_iri(wanted))
    if entities(store, settings, iri):
        return iri
    known = entities(store, settings)
    hints = ", ".join(f"{e.id} ({e.label})" for e in nearest(wanted, known)) or "none"
    raise KGError(f"unknown entity {wanted!r} (nearest: {hints})")


__all__ = ["Entity", "check_entity", "entities", "nearest"]
