"""Interlocks (LittleSis's view): the organizations connected to several of the given parties.

A connector is an organization (a node whose class is ``kg:Organization`` or below it:
companies, foundations, patent assertion entities, …) with a fact of its own with at least
``min_reached`` of the given parties: a membership, a seat, a suit either way, a patent
transfer, a tie. Components are not connectors (that every member commits to Nova is no
interlock). Ranked by how many of the given parties it reaches, then by how many facts tie it
to them, then by the latest date among those facts, then by label.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import KGError
from .graph import (
    Fact,
    FactReader,
    PartyGraph,
    edges_between,
    known,
    party_graph,
    rdf_graph,
    resolve,
)

CONNECTOR_CLASSES = ("Organization",)  # local names of the classes a connector is one of
# the kinds of fact between two organizations (a contribution or an accusation ends at a
# component, never a connector: reading them would only cost time)
CONNECTING_KINDS = ("membership", "governance", "transfer", "tie", "lawsuit")


@dataclass(frozen=True)
class Connection:
    """The facts between a connector and one of the given parties."""

    entity: str
    entity_label: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Interlock:
    """A connector, the given parties it reaches and the facts that connect them."""

    party: str
    label: str
    kind: str
    connections: tuple[Connection, ...]

    @property
    def reached(self) -> tuple[str, ...]:
        return tuple(c.entity for c in self.connections)

    @property
    def facts(self) -> tuple[Fact, ...]:
        return tuple(f for c in self.connections for f in c.facts)

    @property
    def latest(self) -> date | None:
        """The latest date among the connecting facts (start or end)."""
        days = [d for f in self.facts for d in (f.start, f.end) if d is not None]
        return max(days, default=None)

    def to_dict(self) -> dict[str, Any]:
        return {"party": self.party, "label": self.label, "kind": self.kind,
                "reached": list(self.reached),
                "latest": self.latest.isoformat() if self.latest else None,
                "connections": [{"entity": c.entity, "entity_label": c.entity_label,
                                 "facts": [f.to_dict() for f in c.facts]}
                                for c in self.connections]}


@dataclass(frozen=True)
class InterlockResult:
    entities: tuple[str, ...]
    labels: tuple[str, ...]
    min_reached: int
    interlocks: tuple[Interlock, ...]
    as_of: date | None = None
    graph: PartyGraph[str] | None = None


def is_connector(g: PartyGraph[str], node: str) -> bool:
    return any(c in CONNECTOR_CLASSES for c in g.nodes[node].get("lineage", ()))


def _rank(lock: Interlock) -> tuple[Any, ...]:
    latest = lock.latest
    return (-len(lock.connections), -len(lock.facts),
            -(latest.toordinal() if latest else 0), lock.label, lock.party)


def _fact_key(fact: Fact) -> tuple[Any, ...]:
    return (-(fact.end or fact.start or date.min).toordinal(), fact.kind, fact.fact)


def interlocks(store: Any, entities: Sequence[str], *, min_reached: int | None = None,
               as_of: date | None = None) -> InterlockResult:
    """The organizations connected to at least ``min_reached`` of ``entities`` (default 2,
    or all of them when fewer are given), ranked, each with its connecting facts.

    ``as_of`` leaves out the facts that had not begun or had ended by then.

    On the curated data the connectors of ``["rackspace", "hp"]`` are the OpenStack
    Foundation, then Clouding IP.
    """
    if not entities:
        raise KGError("interlocks: give at least one entity")
    graph = rdf_graph(store)
    for name in entities:
        known(graph, name)
    g = party_graph(graph, as_of=as_of, kinds=CONNECTING_KINDS)
    given = list(dict.fromkeys(resolve(g, graph, e) for e in entities))
    wanted = min(2, len(given)) if min_reached is None else min_reached
    if not 1 <= wanted <= len(given):
        raise KGError(f"--min {wanted}: choose 1 to {len(given)} (the entities given)")
    reader = FactReader(graph, g)
    candidates = sorted({n for e in given for n in (*g.successors(e), *g.predecessors(e))}
                        - set(given))
    found = []
    for party in (c for c in candidates if is_connector(g, c)):
        connections = []
        for entity in given:
            facts = sorted((reader.fact(row) for row in edges_between(g, party, entity)),
                           key=_fact_key)
            if facts:
                connections.append(Connection(entity, str(g.nodes[entity]["label"]),
                                              tuple(facts)))
        if len(connections) >= wanted:
            found.append(Interlock(party, str(g.nodes[party]["label"]),
                                   str(g.nodes[party].get("kind_label", "")),
                                   tuple(connections)))
    labels = tuple(str(g.nodes[e]["label"]) for e in given)
    return InterlockResult(tuple(given), labels, wanted, tuple(sorted(found, key=_rank)),
                           as_of, g)


__all__ = ["Connection", "Interlock", "InterlockResult", "interlocks"]
